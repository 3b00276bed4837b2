package continuityui

import (
	"net/http"

	"fyr/internal/auth"
	"fyr/internal/continuity"
	"fyr/internal/web"
)

func init() {
	web.RequireFields[continuity.Activate]("routine", "audience")
	web.RequireFields[continuity.ReportRoutine]("state")
}

// routineRoutes are the API of backup routines in an incident.
func (m *Module) routineRoutes() []web.APIRoute {
	return []web.APIRoute{
		{Method: "POST", Path: "/api/v1/incidents/{id}/routines", Summary: "Activate a backup routine for an audience of units: " +
			"it goes out as a message dispatch naming the routine and its steps, with receipts and escalation (deadline for the receipts: " +
			"default 30 minutes), and is written in the journal, all in one write",
			Action: auth.WriteIncidents, Body: continuity.Activate{}, Response: continuity.RoutineActivated{}, Status: 201,
			Handle: web.JSONCommand(201, func(c *continuity.Activate, r *http.Request) { c.Incident = web.IncidentID(r) },
				m.svc.ActivateRoutine, nil)},
		{Method: "POST", Path: "/api/v1/incidents/{id}/routines/{routine}/reports", Summary: "A unit reports an activated routine as " +
			"started, working or not_working (a note is required for not_working): a unit account for its own unit (unit may be left out), " +
			"the staff for any unit, by phone. The report is the unit's receipt of the activation; not working (and working again) " +
			"is also a journal entry",
			Action: auth.FileReport, Body: continuity.ReportRoutine{}, Response: continuity.RoutineReport{}, Status: 201,
			Handle: web.JSONCommand(201, func(c *continuity.ReportRoutine, r *http.Request) {
				c.Incident, c.Routine = web.IncidentID(r), r.PathValue("routine")
			}, m.svc.ReportRoutine, nil)},
		{Method: "GET", Path: "/api/v1/incidents/{id}/routines", Summary: "The board of the routines activated in an incident: per routine " +
			"its activations and counts, per unit its last reported state (none: not reported), not working first",
			Action: auth.ReadJournal, Response: continuity.RoutineBoard{}, Status: 200, Handle: m.apiRoutineBoard,
			Query: []web.QueryParam{{Name: "at", Description: "The board as it stood at this time, as known now (RFC 3339)"},
				{Name: "known_at", Description: "The board as the staff knew it at this time (RFC 3339)"}}},
	}
}

func (m *Module) apiRoutineBoard(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	a, err := asOf(r)
	if err != nil {
		return err
	}
	b, err := m.svc.RoutineBoard(p, web.IncidentID(r), a)
	if err != nil {
		return err
	}
	web.WriteJSON(w, 200, b)
	return nil
}
