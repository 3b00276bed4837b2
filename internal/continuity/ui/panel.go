package continuityui

import (
	"html/template"
	"net/http"
	"net/url"

	"fyr/internal/auth"
	"fyr/internal/incident"
	"fyr/internal/web"
)

// The incident page's continuity panel: what the statuses recorded in the
// incident put out of action, in three figures, and the way to the
// continuity page (record a status, the impact, the drawing).

type panelView struct {
	Lang                   web.Lang
	Incident               incident.ID
	Components, Units      int
	Broken                 int
	CanRecord, HasStatuses bool
}

func (m *Module) incidentPanel(r *http.Request, p auth.Principal) (template.HTML, error) {
	id := web.IncidentID(r)
	q, err := web.ParseQuery(r)
	if err != nil || !q.IsNow() {
		return "", nil // the page refuses a bad query; the panel speaks of now
	}
	rep, err := m.svc.Impact(p, id, incident.AsOf{})
	if err != nil {
		return "", nil // a caller who may not read it gets no panel
	}
	v := panelView{Lang: web.LangOf(r), Incident: id, Components: len(rep.Components), Units: len(rep.Units),
		CanRecord: m.svc.MayRecord(p) == nil, HasStatuses: len(rep.Components) > 0}
	for _, rt := range rep.Routines {
		if !rt.Works {
			v.Broken++
		}
	}
	return m.sh.Partial("continuity-panel", v)
}

// unitPanel is the unit page's way to its backup routines: those active in
// an incident (one tap per state) and its binder to print.
func (m *Module) unitPanel(r *http.Request, p auth.Principal) (template.HTML, error) {
	q := ""
	if p.Role != auth.Unit {
		q = "?unit=" + url.QueryEscape(r.URL.Query().Get("unit"))
	}
	return m.sh.Partial("continuity-unit-panel", unitPanelView{Lang: web.LangOf(r), Query: template.URL(q)})
}

type unitPanelView struct {
	Lang  web.Lang
	Query template.URL // "?unit=…" for the staff, "" for the unit's own account; escaped
}
