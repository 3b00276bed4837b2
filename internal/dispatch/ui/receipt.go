package dispatchui

import (
	"net/http"

	"fyr/internal/dispatch"
	"fyr/internal/fail"
	"fyr/internal/web"
)

// receiptPage is what a signed receipt link opens, without a login: the
// message and one button, sized for a phone.
type receiptPage struct {
	web.Base
	Token    string
	Link     dispatch.Link
	View     dispatch.UnitView
	UnitName string
	Done     bool
	Error    *fail.Error
}

func (m *Module) receiptRoutes() {
	m.sh.HandleOpen("GET /r/{token}", m.receiptGet)
	m.sh.HandleOpen("POST /r/{token}", m.receiptPost)
	m.sh.HandleOpen("POST /r/{token}/opened", m.receiptOpened)
}

// receiptOpened takes the receipt page's beacon: the page was shown to a
// person (a link scanner's GET does not run it).
func (m *Module) receiptOpened(w http.ResponseWriter, r *http.Request) {
	if err := m.svc.LinkOpened(r.Context(), r.PathValue("token")); err != nil {
		fe := m.sh.Report(r, err)
		http.Error(w, fe.Error(), web.Status(fe.Code))
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (m *Module) receiptGet(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	rc, err := m.svc.FollowLink(r.Context(), token)
	m.showReceipt(w, r, token, rc, err)
}

func (m *Module) receiptPost(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	_, err := m.svc.AcknowledgeByLink(r.Context(), token, r.PostFormValue("answer"), r.PostFormValue("readback"))
	if err == nil {
		http.Redirect(w, r, "/r/"+token+"?done=1", http.StatusSeeOther)
		return
	}
	rc, lerr := m.svc.FollowLink(r.Context(), token)
	if lerr != nil {
		err = lerr
	}
	m.showReceipt(w, r, token, rc, err)
}

func (m *Module) showReceipt(w http.ResponseWriter, r *http.Request, token string, rc dispatch.LinkReceipt, err error) {
	pg := receiptPage{Base: m.sh.Base(r, nil, web.T(web.LangOf(r), "dispatch.ack")), Token: token, Link: rc.Link, View: rc.View,
		UnitName: m.dir.UnitName(rc.Link.Unit)}
	pg.Active = nil // the banner is for logged-in users
	switch {
	case rc.Used && r.URL.Query().Get("done") == "1":
		pg.Done = true // this page's own receipt used the link: the normal end
	case err != nil:
		fe := m.sh.Refusal(r, err)
		pg.Error = web.Shown(web.LangOf(r), fe)
		w.WriteHeader(web.Status(fe.Code))
	}
	m.sh.Render(w, r, "receipt", pg)
}
