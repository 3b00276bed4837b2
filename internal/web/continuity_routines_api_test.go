package web_test

import (
	"context"
	"testing"

	"fyr/internal/auth"
	"fyr/internal/continuity"
	"fyr/internal/dispatch"
	"fyr/internal/fyrtest"
	"fyr/internal/incident"
)

// routineRouteCases are the routes of backup routines in an incident in the
// authorisation test: the staff activate, units (their own) and the staff
// report, the roles that read the journal read the board.
func routineRouteCases() map[string]routeCase {
	staff := []auth.Role{auth.Admin, auth.Staff}
	reporters := []auth.Role{auth.Admin, auth.Staff, auth.Unit}
	readers := []auth.Role{auth.Admin, auth.Staff, auth.Viewer}
	// activated opens an incident with the routine "paper" (for the
	// component "cosmic") activated for avd1.
	activated := func(t *testing.T, env *fyrtest.Env, activate bool) string {
		t.Helper()
		ctx := context.Background()
		admin := env.Principal(auth.Admin)
		if _, err := env.Svc.Continuity.SaveComponent(ctx, admin, continuity.Component{ID: "cosmic", Kind: continuity.System, Name: "Cosmic"}); err != nil {
			t.Fatal(err)
		}
		if _, err := env.Svc.Continuity.SaveRoutine(ctx, admin, continuity.Routine{ID: "paper", Title: "Papper", Steps: []string{"Skriv"},
			For: []string{"cosmic"}}); err != nil {
			t.Fatal(err)
		}
		inc, err := env.Svc.Incidents.OpenIncident(ctx, admin, incident.Open{Title: "IT-avbrott", Scope: "region", Level: incident.Staff})
		if err != nil {
			t.Fatal(err)
		}
		if activate {
			if _, err := env.Svc.Continuity.ActivateRoutine(ctx, admin, continuity.Activate{Incident: inc.ID, Routine: "paper",
				Audience: dispatch.Audience{Units: []string{"avd1"}}}); err != nil {
				t.Fatal(err)
			}
		}
		return "/api/v1/incidents/" + string(inc.ID) + "/routines"
	}
	return map[string]routeCase{
		"POST /api/v1/incidents/{id}/routines": {staff, 201, func(t *testing.T, env *fyrtest.Env, _ string) (string, any) {
			return activated(t, env, false), map[string]any{"routine": "paper", "audience": map[string]any{"units": []string{"avd1"}}}
		}},
		"POST /api/v1/incidents/{id}/routines/{routine}/reports": {reporters, 201, func(t *testing.T, env *fyrtest.Env, _ string) (string, any) {
			return activated(t, env, true) + "/paper/reports", map[string]any{"unit": "avd1", "state": "working"}
		}},
		"GET /api/v1/incidents/{id}/routines": {readers, 200, func(t *testing.T, env *fyrtest.Env, _ string) (string, any) {
			return activated(t, env, true), nil
		}},
	}
}
