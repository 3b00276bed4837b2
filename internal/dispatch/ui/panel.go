package dispatchui

import (
	"html/template"
	"net/http"

	"fyr/internal/auth"
	"fyr/internal/dispatch"
	"fyr/internal/incident"
	"fyr/internal/web"
)

// The incident page's dispatches panel: the incident's dispatches with
// their coverage, for the journal's readers, on the page as it is now.

// dispatchListView is what the "dispatch-list" template shows.
type dispatchListView struct {
	Lang       web.Lang
	Incident   incident.Incident
	CanWrite   bool
	Dispatches []dispatch.Dispatch
}

func (m *Module) incidentPanel(r *http.Request, p auth.Principal) (template.HTML, error) {
	q, err := web.ParseQuery(r)
	if err != nil || !q.IsNow() {
		return "", nil // the page itself refuses a bad query; the past has no live board
	}
	inc, err := m.inc.Incident(p, web.IncidentID(r), incident.AsOf{})
	if err != nil {
		return "", nil
	}
	list, err := m.svc.Dispatches(p, inc.ID)
	if err != nil {
		return "", nil // not a journal reader: no panel
	}
	v := dispatchListView{Lang: web.LangOf(r), Incident: inc, Dispatches: list,
		CanWrite: auth.Can(p.Role, auth.WriteIncidents) && !inc.Closed}
	return m.sh.Partial("dispatch-list", v)
}
