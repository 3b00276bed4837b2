package ui

import (
	"html/template"
	"net/http"

	"fyr/internal/auth"
	"fyr/internal/incident"
	"fyr/internal/web"
)

// The incident page's situation panel: links to the roll-up, the rounds
// and the picture's versions, for the journal's readers; looking back in
// time (at=, known_at=), the roll-up and the pictures look back too.

type panelView struct {
	Lang     web.Lang
	Incident incident.ID
	// Query is "?" and the incident page's query when it looks back, ""
	// now; built from parsed values, so safe as a URL.
	Query template.URL
}

func (m *Module) incidentPanel(r *http.Request, p auth.Principal) (template.HTML, error) {
	if !auth.Can(p.Role, auth.ReadJournal) {
		return "", nil
	}
	v := panelView{Lang: web.LangOf(r), Incident: web.IncidentID(r)}
	if q, err := web.ParseQuery(r); err == nil && !q.IsNow() {
		v.Query = template.URL("?" + r.URL.Query().Encode())
	}
	return m.sh.Partial("situation-panel", v)
}
