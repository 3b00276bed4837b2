package web_test

import (
	"context"
	"testing"

	"fyr/internal/auth"
	"fyr/internal/continuity"
	"fyr/internal/fyrtest"
)

// continuityRouteCases are the continuity registry's routes in the
// authorisation test: administrators keep the registry, every role reads it.
func continuityRouteCases() map[string]routeCase {
	all := []auth.Role{auth.Admin, auth.Staff, auth.Unit, auth.Viewer}
	admins := []auth.Role{auth.Admin}
	// seeded makes sure the components the requests name exist.
	seeded := func(p string, body any) func(*testing.T, *fyrtest.Env, string) (string, any) {
		return func(t *testing.T, env *fyrtest.Env, _ string) (string, any) {
			t.Helper()
			for _, id := range []string{"dns", "cosmic"} {
				if _, err := env.Svc.Continuity.SaveComponent(context.Background(), env.Principal(auth.Admin),
					continuity.Component{ID: id, Kind: continuity.System, Name: id}); err != nil {
					t.Fatal(err)
				}
			}
			return p, body
		}
	}
	inIncident := func(suffix string, body any) func(*testing.T, *fyrtest.Env, string) (string, any) {
		return func(t *testing.T, env *fyrtest.Env, admin string) (string, any) {
			t.Helper()
			seeded("", nil)(t, env, admin)
			return "/api/v1/incidents/" + openIncident(t, env, admin) + suffix, body
		}
	}
	return map[string]routeCase{
		"POST /api/v1/incidents/{id}/statuses": {[]auth.Role{auth.Admin, auth.Staff}, 201, inIncident("/statuses",
			map[string]any{"component": "dns", "status": "down", "source": "IT-jouren"})},
		"GET /api/v1/incidents/{id}/impact":     {all, 200, inIncident("/impact", nil)},
		"GET /api/v1/incidents/{id}/statuses":   {all, 200, inIncident("/statuses", nil)},
		"GET /api/v1/registry/components":       {all, 200, seeded("/api/v1/registry/components", nil)},
		"GET /api/v1/registry/components.csv":   {all, 200, seeded("/api/v1/registry/components.csv", nil)},
		"GET /api/v1/registry/dependencies":     {all, 200, seeded("/api/v1/registry/dependencies", nil)},
		"GET /api/v1/registry/dependencies.csv": {all, 200, seeded("/api/v1/registry/dependencies.csv", nil)},
		"GET /api/v1/registry/routines":         {all, 200, seeded("/api/v1/registry/routines", nil)},
		"GET /api/v1/registry/impact":           {all, 200, seeded("/api/v1/registry/impact?down=dns", nil)},
		"POST /api/v1/registry/components": {admins, 200, seeded("/api/v1/registry/components",
			map[string]any{"id": "pacs", "kind": "system", "name": "PACS"})},
		"POST /api/v1/registry/dependencies": {admins, 200, seeded("/api/v1/registry/dependencies",
			map[string]any{"from": "cosmic", "to": "dns", "type": "needs"})},
		"POST /api/v1/registry/routines": {admins, 200, seeded("/api/v1/registry/routines",
			map[string]any{"id": "paper", "title": "Papper", "steps": []string{"Skriv"}, "for": []string{"cosmic"}})},
		"POST /api/v1/registry/import": {admins, 200, seeded("/api/v1/registry/import?what=components",
			csvBody("id,kind,name\nlab,system,Labb\n"))},
	}
}
