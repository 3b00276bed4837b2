package ui

import (
	"html/template"
	"net/http"

	"fyr/internal/auth"
	"fyr/internal/incident"
	"fyr/internal/web"
)

// The incident page's backlog panel: how much manual work is left to
// re-enter, and the way to the staff's page of it.

type panelView struct {
	Lang     web.Lang
	Incident incident.ID
	Left     int
}

func (m *Module) incidentPanel(r *http.Request, p auth.Principal) (template.HTML, error) {
	id := web.IncidentID(r)
	if q, err := web.ParseQuery(r); err != nil || !q.IsNow() {
		return "", nil // the page refuses a bad query; the panel speaks of now
	}
	left, err := m.svc.Left(p, id)
	if err != nil {
		return "", nil // a caller who may not read it gets no panel
	}
	return m.sh.Partial("backlog-panel", panelView{Lang: web.LangOf(r), Incident: id, Left: left})
}

// unitPanel is the unit page's way to its backlog in each active incident
// (the unit's own account: the staff record from the incident's page).
func (m *Module) unitPanel(r *http.Request, p auth.Principal) (template.HTML, error) {
	if p.Role != auth.Unit {
		return "", nil
	}
	b := m.sh.Base(r, &p, "")
	if len(b.Active) == 0 {
		return "", nil
	}
	return m.sh.Partial("backlog-unit-panel", unitPanelView{Lang: web.LangOf(r), Active: b.Active})
}

type unitPanelView struct {
	Lang   web.Lang
	Active []incident.Incident
}
