package web_test

import (
	"context"
	"testing"
	"time"

	"fyr/internal/auth"
	"fyr/internal/fyrtest"
	"fyr/internal/incident"
	"fyr/internal/situation"
)

// situationRouteCases are the authorisation cases of the situation
// picture's endpoints.
func situationRouteCases() map[string]routeCase {
	writers := []auth.Role{auth.Admin, auth.Staff}
	readers := []auth.Role{auth.Admin, auth.Staff, auth.Viewer}
	all := []auth.Role{auth.Admin, auth.Staff, auth.Unit, auth.Viewer}
	reporters := []auth.Role{auth.Admin, auth.Staff, auth.Unit}
	newRound := func(t *testing.T, env *fyrtest.Env, admin string) string {
		t.Helper()
		var r struct{ Round string }
		if code := env.Do(admin, "POST", "/api/v1/incidents/"+openIncident(t, env, admin)+"/rounds", map[string]any{
			"audience": map[string]any{"units": []string{"avd1"}}, "deadline": time.Now().Add(time.Hour).Format(time.RFC3339)}, &r); code != 201 {
			t.Fatalf("open round: %d", code)
		}
		return r.Round
	}
	round := func(suffix string) func(t *testing.T, env *fyrtest.Env, admin string) (string, any) {
		return func(t *testing.T, env *fyrtest.Env, admin string) (string, any) {
			return "/api/v1/rounds/" + newRound(t, env, admin) + suffix, nil
		}
	}
	// A draft written by the staff account, optionally approved by the
	// admin (another person: four eyes), through the service.
	picture := func(t *testing.T, env *fyrtest.Env, approve, publish bool) situation.Picture {
		t.Helper()
		ctx := context.Background()
		staff := env.Principal(auth.Staff)
		inc, err := env.Svc.Incidents.OpenIncident(ctx, staff, incident.Open{Title: "DNS", Scope: "region", Level: incident.Staff})
		if err != nil {
			t.Fatal(err)
		}
		p, err := env.Svc.Situation.DraftPicture(ctx, staff, situation.DraftPicture{Incident: inc.ID, Content: situation.Content{Event: "DNS-fel"}})
		if err != nil {
			t.Fatal(err)
		}
		if approve {
			if p, err = env.Svc.Situation.ApprovePicture(ctx, env.Principal(auth.Admin), p.ID); err != nil {
				t.Fatal(err)
			}
		}
		if publish {
			if p, err = env.Svc.Situation.PublishPicture(ctx, staff, situation.Publish{Picture: p.ID}); err != nil {
				t.Fatal(err)
			}
		}
		return p
	}
	pictureAt := func(approve, publish bool, suffix string, body any) func(t *testing.T, env *fyrtest.Env, admin string) (string, any) {
		return func(t *testing.T, env *fyrtest.Env, admin string) (string, any) {
			return "/api/v1/pictures/" + string(picture(t, env, approve, publish).ID) + suffix, body
		}
	}
	report := map[string]any{"unit": "avd1", "state": "limited", "staff": map[string]int{"present": 5, "missing": 2},
		"beds": map[string]int{"total": 20, "occupied": 18}}
	return map[string]routeCase{
		"POST /api/v1/incidents/{id}/rounds": {writers, 201, func(t *testing.T, env *fyrtest.Env, admin string) (string, any) {
			return "/api/v1/incidents/" + openIncident(t, env, admin) + "/rounds", map[string]any{
				"audience": map[string]any{"all": true}, "deadline": time.Now().Add(time.Hour).Format(time.RFC3339)}
		}},
		"GET /api/v1/incidents/{id}/rounds": {readers, 200, func(t *testing.T, env *fyrtest.Env, admin string) (string, any) {
			return "/api/v1/incidents/" + openIncident(t, env, admin) + "/rounds", nil
		}},
		"GET /api/v1/rounds/{id}":        {readers, 200, round("")},
		"POST /api/v1/rounds/{id}/close": {writers, 200, round("/close")},
		"POST /api/v1/rounds/{id}/reopen": {writers, 200, func(t *testing.T, env *fyrtest.Env, admin string) (string, any) {
			id := newRound(t, env, admin)
			if code := env.Do(admin, "POST", "/api/v1/rounds/"+id+"/close", nil, nil); code != 200 {
				t.Fatalf("close round: %d", code)
			}
			return "/api/v1/rounds/" + id + "/reopen", map[string]any{}
		}},
		"GET /api/v1/rounds/{id}/form": {reporters, 200, func(t *testing.T, env *fyrtest.Env, admin string) (string, any) {
			return "/api/v1/rounds/" + newRound(t, env, admin) + "/form?unit=avd1", nil
		}},
		"POST /api/v1/rounds/{id}/reports": {reporters, 201, func(t *testing.T, env *fyrtest.Env, admin string) (string, any) {
			return "/api/v1/rounds/" + newRound(t, env, admin) + "/reports", report
		}},
		"GET /api/v1/reports/{id}": {[]auth.Role{auth.Admin, auth.Staff, auth.Unit}, 200, func(t *testing.T, env *fyrtest.Env, admin string) (string, any) {
			var rep struct{ Report string }
			if code := env.Do(admin, "POST", "/api/v1/rounds/"+newRound(t, env, admin)+"/reports", report, &rep); code != 201 {
				t.Fatalf("file report: %d", code)
			}
			return "/api/v1/reports/" + rep.Report, nil
		}},
		"GET /api/v1/incidents/{id}/overview": {readers, 200, func(t *testing.T, env *fyrtest.Env, admin string) (string, any) {
			return "/api/v1/incidents/" + openIncident(t, env, admin) + "/overview", nil
		}},
		"GET /api/v1/incidents/{id}/pictures": {all, 200, func(t *testing.T, env *fyrtest.Env, admin string) (string, any) {
			return "/api/v1/incidents/" + openIncident(t, env, admin) + "/pictures", nil
		}},
		"POST /api/v1/incidents/{id}/pictures": {writers, 201, func(t *testing.T, env *fyrtest.Env, admin string) (string, any) {
			return "/api/v1/incidents/" + openIncident(t, env, admin) + "/pictures", map[string]any{}
		}},
		"GET /api/v1/pictures/{id}":          {all, 200, pictureAt(true, true, "", nil)},
		"POST /api/v1/pictures/{id}/revise":  {writers, 200, pictureAt(false, false, "/revise", map[string]any{"content": map[string]any{"event": "DNS-fel, värre"}})},
		"POST /api/v1/pictures/{id}/approve": {[]auth.Role{auth.Admin}, 200, pictureAt(false, false, "/approve", nil)},
		"POST /api/v1/pictures/{id}/publish": {writers, 200, pictureAt(true, false, "/publish", map[string]any{})},
		"POST /api/v1/pictures/{id}/discard": {writers, 200, pictureAt(false, false, "/discard", map[string]any{"reason": "Läget har ändrats"})},
		"GET /api/v1/pictures/{id}/diff": {all, 200, func(t *testing.T, env *fyrtest.Env, admin string) (string, any) {
			p := picture(t, env, true, true)
			return "/api/v1/pictures/" + string(p.ID) + "/diff?with=" + string(p.ID), nil
		}},
		"GET /api/v1/pictures/{id}/report": {readers, 200, pictureAt(true, true, "/report", nil)},
		"GET /api/v1/settings/four-eyes": {all, 200, func(*testing.T, *fyrtest.Env, string) (string, any) {
			return "/api/v1/settings/four-eyes", nil
		}},
		"POST /api/v1/settings/four-eyes": {[]auth.Role{auth.Admin}, 200, func(*testing.T, *fyrtest.Env, string) (string, any) {
			return "/api/v1/settings/four-eyes", map[string]any{"enabled": true}
		}},
	}
}

// Four eyes is an organisation setting: off, the author may approve; a
// request without the value names the field and changes nothing.
func TestFourEyesSetting(t *testing.T) {
	t.Parallel()
	env := fyrtest.Start(t)
	admin := env.Token(auth.Admin)
	var got struct{ Enabled bool }
	if code := env.Do(admin, "GET", "/api/v1/settings/four-eyes", nil, &got); code != 200 || !got.Enabled {
		t.Fatalf("four eyes by default: %d %+v", code, got)
	}
	before := env.Svc.Seq()
	var e struct{ Error struct{ Field string } }
	if code := env.Do(admin, "POST", "/api/v1/settings/four-eyes", map[string]any{}, &e); code != 400 || e.Error.Field != "enabled" {
		t.Fatalf("no value: %d %+v", code, e)
	}
	if env.Svc.Seq() != before {
		t.Fatal("a refused setting wrote to the log")
	}
	ctx := context.Background()
	inc, _ := env.Svc.Incidents.OpenIncident(ctx, env.Principal(auth.Staff), incident.Open{Title: "DNS", Scope: "region", Level: incident.Staff})
	p, err := env.Svc.Situation.DraftPicture(ctx, env.Principal(auth.Admin), situation.DraftPicture{Incident: inc.ID, Content: situation.Content{Event: "DNS"}})
	if err != nil {
		t.Fatal(err)
	}
	if code := env.Do(admin, "POST", "/api/v1/pictures/"+string(p.ID)+"/approve", nil, nil); code != 403 {
		t.Fatalf("approving one's own draft under four eyes: %d", code)
	}
	if code := env.Do(admin, "POST", "/api/v1/settings/four-eyes", map[string]any{"enabled": false}, &got); code != 200 || got.Enabled {
		t.Fatalf("turn four eyes off: %d %+v", code, got)
	}
	if code := env.Do(admin, "POST", "/api/v1/pictures/"+string(p.ID)+"/approve", nil, nil); code != 200 {
		t.Fatalf("approving one's own draft without four eyes: %d", code)
	}
}
