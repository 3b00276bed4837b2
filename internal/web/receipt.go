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
	if err := s.svc.LinkOpened(r.Context(), r.PathValue("token")); err != nil {
		fe := s.report(r, err)
		http.Error(w, fe.Error(), status(fe.Code))
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) receiptGet(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	link, view, err := s.svc.FollowLink(r.Context(), token)
	s.showReceipt(w, r, token, link, view, err)
}

func (s *Server) receiptPost(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	_, err := s.svc.AcknowledgeByLink(r.Context(), token, r.PostFormValue("answer"), r.PostFormValue("readback"))
	if err == nil {
		http.Redirect(w, r, "/r/"+token+"?done=1", http.StatusSeeOther)
		return
	}
	link, view, lerr := s.svc.FollowLink(r.Context(), token)
	if lerr != nil {
		err = lerr
	}
	s.showReceipt(w, r, token, link, view, err)
}

func (s *Server) showReceipt(w http.ResponseWriter, r *http.Request, token string, link dispatch.Link, view dispatch.UnitView, err error) {
	pg := receiptPage{Base: s.base(r, nil, T(langOf(r), "dispatch.ack")), Token: token, Link: link, View: view,
		UnitName: s.unitName(link.Unit)}
	pg.Active = nil // the banner is for logged-in users
	if err != nil {
		fe := localize(langOf(r), s.report(r, err))
		// A used link after this page's own receipt is the normal end.
		if r.URL.Query().Get("done") == "1" && fe.Field == "link" && fe.Code == fail.Invalid {
			pg.Done = true
		} else {
			pg.Error = shown(langOf(r), fe)
			w.WriteHeader(status(fe.Code))
		}
	}
	s.render(w, r, "receipt", pg)
}
