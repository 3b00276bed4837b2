package web

import (
	"net/http"

	"fyr/internal/dispatch"
	"fyr/internal/fail"
)

// receiptPage is what a signed receipt link opens, without a login: the
// message and one button, sized for a phone.
type receiptPage struct {
	Base
	Token    string
	Link     dispatch.Link
	View     dispatch.UnitView
	UnitName string
	Done     bool
	Error    *fail.Error
}

func (s *Server) receiptRoutes() {
	s.mux.HandleFunc("GET /r/{token}", s.receiptGet)
	s.mux.HandleFunc("POST /r/{token}", s.receiptPost)
	s.mux.HandleFunc("POST /r/{token}/opened", s.receiptOpened)
}

// receiptOpened takes the receipt page's beacon: the page was shown to a
// person (a link scanner's GET does not run it).
func (s *Server) receiptOpened(w http.ResponseWriter, r *http.Request) {
	if err := s.svc.Dispatch.LinkOpened(r.Context(), r.PathValue("token")); err != nil {
		fe := s.report(r, err)
		http.Error(w, fe.Error(), status(fe.Code))
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) receiptGet(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	rc, err := s.svc.Dispatch.FollowLink(r.Context(), token)
	s.showReceipt(w, r, token, rc, err)
}

func (s *Server) receiptPost(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	_, err := s.svc.Dispatch.AcknowledgeByLink(r.Context(), token, r.PostFormValue("answer"), r.PostFormValue("readback"))
	if err == nil {
		http.Redirect(w, r, "/r/"+token+"?done=1", http.StatusSeeOther)
		return
	}
	rc, lerr := s.svc.Dispatch.FollowLink(r.Context(), token)
	if lerr != nil {
		err = lerr
	}
	s.showReceipt(w, r, token, rc, err)
}

func (s *Server) showReceipt(w http.ResponseWriter, r *http.Request, token string, rc dispatch.LinkReceipt, err error) {
	pg := receiptPage{Base: s.base(r, nil, T(langOf(r), "dispatch.ack")), Token: token, Link: rc.Link, View: rc.View,
		UnitName: s.svc.Directory.UnitName(rc.Link.Unit)}
	pg.Active = nil // the banner is for logged-in users
	switch {
	case rc.Used && r.URL.Query().Get("done") == "1":
		pg.Done = true // this page's own receipt used the link: the normal end
	case err != nil:
		fe := localize(langOf(r), s.report(r, err))
		pg.Error = shown(langOf(r), fe)
		w.WriteHeader(status(fe.Code))
	}
	s.render(w, r, "receipt", pg)
}
