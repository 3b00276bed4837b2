package web

import (
	"html/template"
	"net/http"

	"fyr/internal/auth"
	"fyr/internal/dispatch"
	"fyr/internal/incident"
)

// The incident page's dispatches panel: the incident's dispatches with
// their coverage, for the journal's readers, on the page as it is now.
// It belongs in the dispatch UI module (internal/dispatch/ui) once that
// is out of the shell: then it registers the panel from its Mount.

// dispatchListView is what the "dispatch-list" template shows.
type dispatchListView struct {
	Lang       Lang
	Incident   incident.Incident
	CanWrite   bool
	Dispatches []dispatch.Dispatch
}

func (s *Server) dispatchPanel() {
	s.HandlePanel("incident", 20, func(r *http.Request, p auth.Principal) (template.HTML, error) {
		q, err := parseQuery(r, "")
		if err != nil || !q.IsNow() || !auth.Can(p.Role, auth.ReadJournal) {
			return "", nil // the page itself refuses a bad query
		}
		inc, err := s.svc.Incidents.Current(incident.ID(r.PathValue("id"))) // the page checked the caller
		if err != nil {
			return "", nil
		}
		v := dispatchListView{Lang: langOf(r), Incident: inc,
			CanWrite: auth.Can(p.Role, auth.WriteIncidents) && !inc.Closed}
		v.Dispatches, _ = s.svc.Dispatch.Dispatches(p, inc.ID)
		return s.Partial("dispatch-list", v)
	})
}
