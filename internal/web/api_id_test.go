package web_test

import (
	"slices"
	"testing"
	"time"

	"fyr/internal/auth"
	"fyr/internal/fyrtest"
)

// Every object answers its id as `id`, beside the older name (dispatch,
// round, report, username), and the document says so.
func TestAPIEveryObjectAnswersID(t *testing.T) {
	env := fyrtest.Start(t)
	admin := env.Token(auth.Admin)
	inc := openIncident(t, env, admin)
	deadline := time.Now().Add(time.Hour).Format(time.RFC3339)
	type obj map[string]any
	same := func(what string, o obj, old string) string {
		t.Helper()
		id, _ := o["id"].(string)
		if id == "" || id != o[old] {
			t.Errorf("%s: id %q, %s %q", what, o["id"], old, o[old])
		}
		return id
	}
	var d, board, list obj
	if code := env.Do(admin, "POST", "/api/v1/incidents/"+inc+"/dispatches", map[string]any{"kind": "message", "title": "t",
		"audience": map[string]any{"units": []string{"avd1"}}, "deadline": deadline}, &d); code != 201 {
		t.Fatalf("dispatch: %d", code)
	}
	id := same("new dispatch", d, "dispatch")
	env.Do(admin, "GET", "/api/v1/dispatches/"+id, nil, &board)
	same("dispatch board", obj(board["dispatch"].(map[string]any)), "dispatch")
	env.Do(admin, "GET", "/api/v1/incidents/"+inc+"/dispatches", nil, &list)
	same("dispatch list", obj(list["dispatches"].([]any)[0].(map[string]any)), "dispatch")

	var round, status, rep, again obj
	if code := env.Do(admin, "POST", "/api/v1/incidents/"+inc+"/rounds", map[string]any{
		"audience": map[string]any{"units": []string{"avd1"}}, "deadline": deadline}, &round); code != 201 {
		t.Fatalf("round: %d", code)
	}
	rid := same("new round", round, "round")
	env.Do(admin, "GET", "/api/v1/rounds/"+rid, nil, &status)
	same("round status", status, "round")
	if code := env.Do(admin, "POST", "/api/v1/rounds/"+rid+"/reports", map[string]any{"unit": "avd1", "state": "normal",
		"staff": map[string]int{"present": 1}, "beds": map[string]int{"total": 1}}, &rep); code != 201 {
		t.Fatalf("report: %d", code)
	}
	repID := same("new report", rep, "report")
	env.Do(admin, "GET", "/api/v1/reports/"+repID, nil, &again)
	same("report", again, "report")

	var user, users obj
	if code := env.Do(admin, "POST", "/api/v1/users", map[string]any{"username": "idtest", "name": "N", "role": "viewer", "password": "a-long-password-1"}, &user); code != 201 {
		t.Fatalf("user: %d", code)
	}
	same("new user", user, "username")
	env.Do(admin, "GET", "/api/v1/users", nil, &users)
	for _, u := range users["users"].([]any) {
		same("user list", obj(u.(map[string]any)), "username")
	}

	var doc struct {
		Components struct {
			Schemas map[string]struct {
				Required   []string       `json:"required"`
				Properties map[string]any `json:"properties"`
			} `json:"schemas"`
		} `json:"components"`
	}
	env.Do("", "GET", "/api/v1/openapi.json", nil, &doc)
	for _, name := range []string{"Dispatch", "Round", "RoundStatus", "Report", "User", "Incident", "Picture", "Unit", "Person", "Shift", "Entry"} {
		s := doc.Components.Schemas[name]
		if _, ok := s.Properties["id"]; !ok || !slices.Contains(s.Required, "id") {
			t.Errorf("schema %s does not document a required id: %v", name, s.Required)
		}
	}
}
