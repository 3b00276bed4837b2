package ui

import (
	"net/http"

	"fyr/internal/auth"
	"fyr/internal/backlog"
	"fyr/internal/web"
)

func init() {
	web.RequireFields[backlog.Tally]("unit", "system", "kind", "count")
}

var asOfQuery = []web.QueryParam{
	{Name: "at", Description: "Point in time (RFC 3339): as it stood then, as known now"},
	{Name: "known_at", Description: "Point in time (RFC 3339): what Fyr had recorded by then"},
}

func (m *Module) apiRoutes() []web.APIRoute {
	return []web.APIRoute{
		{Method: "POST", Path: "/api/v1/incidents/{id}/backlog",
			Summary: "Record re-entry backlog (efterregistrering): a positive count adds manual work a unit must enter into a system later, a negative one works it off (never more than is left). A unit account records for its own unit, the staff for any",
			Action:  auth.FileReport, Body: backlog.Tally{}, Response: backlog.Recorded{}, Status: 201,
			Handle: web.JSONCommand(201, func(c *backlog.Tally, r *http.Request) { c.Incident = web.IncidentID(r) }, m.svc.Record,
				func(rec backlog.Recorded) string { return "/api/v1/incidents/" + string(rec.Incident) + "/backlog" })},
		{Method: "GET", Path: "/api/v1/incidents/{id}/backlog",
			Summary: "An incident's re-entry backlog: added, done and left per unit, system and kind and in total, and what was left of each system over time (a unit account: its own unit's)",
			Action:  auth.ReadIncidents, Response: backlog.Totals{}, Status: 200, Query: asOfQuery, Handle: m.apiTotals},
	}
}

func (m *Module) apiTotals(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	q, err := web.ParseQuery(r)
	if err != nil {
		return err
	}
	t, err := m.svc.Totals(p, web.IncidentID(r), q.AsOf)
	if err != nil {
		return err
	}
	web.WriteJSON(w, 200, t)
	return nil
}
