package web_test

import (
	"context"
	"testing"

	"fyr/internal/auth"
	"fyr/internal/continuity"
	"fyr/internal/fyrtest"
)

// backlogRouteCases are the authorisation cases of the re-entry backlog's
// endpoints: every role reads (a unit account its own unit's); a unit
// account records for its own unit (avd1), the staff for any, a viewer for
// none.
func backlogRouteCases() map[string]routeCase {
	all := []auth.Role{auth.Admin, auth.Staff, auth.Unit, auth.Viewer}
	recorders := []auth.Role{auth.Admin, auth.Staff, auth.Unit}
	withSystem := func(t *testing.T, env *fyrtest.Env, admin string) string {
		t.Helper()
		if _, err := env.Svc.Continuity.SaveComponent(context.Background(), env.Principal(auth.Admin),
			continuity.Component{ID: "cosmic", Kind: continuity.System, Name: "Cosmic"}); err != nil {
			t.Fatal(err)
		}
		return "/api/v1/incidents/" + openIncident(t, env, admin) + "/backlog"
	}
	return map[string]routeCase{
		"POST /api/v1/incidents/{id}/backlog": {recorders, 201, func(t *testing.T, env *fyrtest.Env, admin string) (string, any) {
			return withSystem(t, env, admin), map[string]any{"unit": "avd1", "system": "cosmic", "kind": "orders", "count": 1}
		}},
		"GET /api/v1/incidents/{id}/backlog": {all, 200, func(t *testing.T, env *fyrtest.Env, admin string) (string, any) {
			return withSystem(t, env, admin), nil
		}},
	}
}
