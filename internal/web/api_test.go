package web_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"fyr/internal/auth"
	"fyr/internal/fyrtest"
)

type created struct {
	ID  string `json:"id"`
	Seq uint64 `json:"seq"`
}

func openIncident(t *testing.T, env *fyrtest.Env, token string) string {
	t.Helper()
	var inc created
	if code := env.Do(token, "POST", "/api/v1/incidents", map[string]any{"title": "IT-avbrott", "description": "DNS", "scope": "region", "level": "staff"}, &inc); code != 201 {
		t.Fatalf("open incident: %d", code)
	}
	return inc.ID
}

// routeCase builds a valid request for one route, so that an allowed role
// gets the success status and a refused one 403.
type routeCase struct {
	allowed []auth.Role
	status  int
	request func(t *testing.T, env *fyrtest.Env, admin string) (path string, body any)
}

// spendsToken lists the routes that spend the caller's token (logout):
// each role calls them with a fresh one.
var spendsToken = map[string]bool{"POST /api/v1/logout": true}

var n int

func fresh() string { n++; return fmt.Sprintf("user%d", n) }

func routeCases() map[string]routeCase {
	all := []auth.Role{auth.Admin, auth.Staff, auth.Unit, auth.Viewer}
	writers := []auth.Role{auth.Admin, auth.Staff}
	readers := []auth.Role{auth.Admin, auth.Staff, auth.Viewer}
	admins := []auth.Role{auth.Admin}
	incidentPath := func(suffix string) func(t *testing.T, env *fyrtest.Env, admin string) (string, any) {
		return func(t *testing.T, env *fyrtest.Env, admin string) (string, any) {
			return "/api/v1/incidents/" + openIncident(t, env, admin) + suffix, nil
		}
	}
	with := func(f func(t *testing.T, env *fyrtest.Env, admin string) (string, any), body any) func(t *testing.T, env *fyrtest.Env, admin string) (string, any) {
		return func(t *testing.T, env *fyrtest.Env, admin string) (string, any) {
			p, _ := f(t, env, admin)
			return p, body
		}
	}
	newUser := func(t *testing.T, env *fyrtest.Env, admin string) (string, any) {
		name := fresh()
		if code := env.Do(admin, "POST", "/api/v1/users", map[string]any{"username": name, "name": "N", "role": "viewer", "password": "a-long-password-1"}, nil); code != 201 {
			t.Fatalf("create user: %d", code)
		}
		return "/api/v1/users/" + name, nil
	}
	newDispatch := func(t *testing.T, env *fyrtest.Env, admin string) string {
		id := openIncident(t, env, admin)
		var d struct{ Dispatch string }
		if code := env.Do(admin, "POST", "/api/v1/incidents/"+id+"/dispatches", map[string]any{"kind": "message", "title": "t",
			"audience": map[string]any{"units": []string{"avd1"}}, "deadline": time.Now().Add(time.Hour).Format(time.RFC3339)}, &d); code != 201 {
			t.Fatalf("create dispatch: %d", code)
		}
		return d.Dispatch
	}
	acks := []auth.Role{auth.Admin, auth.Staff, auth.Unit}
	cases := map[string]routeCase{
		"POST /api/v1/incidents/{id}/dispatches": {writers, 201, func(t *testing.T, env *fyrtest.Env, admin string) (string, any) {
			return "/api/v1/incidents/" + openIncident(t, env, admin) + "/dispatches", map[string]any{"kind": "message", "title": "t",
				"audience": map[string]any{"all": true}, "deadline": time.Now().Add(time.Hour).Format(time.RFC3339)}
		}},
		"GET /api/v1/incidents/{id}/dispatches": {readers, 200, incidentPath("/dispatches")},
		"GET /api/v1/dispatches/{id}": {readers, 200, func(t *testing.T, env *fyrtest.Env, admin string) (string, any) {
			return "/api/v1/dispatches/" + newDispatch(t, env, admin), nil
		}},
		"POST /api/v1/dispatches/{id}/ack": {acks, 200, func(t *testing.T, env *fyrtest.Env, admin string) (string, any) {
			return "/api/v1/dispatches/" + newDispatch(t, env, admin) + "/ack", map[string]any{"unit": "avd1"}
		}},
		"POST /api/v1/login": {all, 200, func(*testing.T, *fyrtest.Env, string) (string, any) {
			return "/api/v1/login", map[string]string{"username": "viewer", "password": fyrtest.Password}
		}},
		"POST /api/v1/logout":        {all, 200, func(*testing.T, *fyrtest.Env, string) (string, any) { return "/api/v1/logout", nil }},
		"GET /api/v1/incidents":      {all, 200, func(*testing.T, *fyrtest.Env, string) (string, any) { return "/api/v1/incidents", nil }},
		"GET /api/v1/incidents/{id}": {all, 200, incidentPath("")},
		"POST /api/v1/incidents": {writers, 201, func(*testing.T, *fyrtest.Env, string) (string, any) {
			return "/api/v1/incidents", map[string]any{"title": "t", "scope": "region", "level": "staff"}
		}},
		"POST /api/v1/incidents/{id}/levels": {writers, 200, with(incidentPath("/levels"),
			map[string]any{"scope": "region", "level": "reinforcement", "reason": "r", "decided_by": "d"})},
		"GET /api/v1/incidents/{id}/journal":  {readers, 200, incidentPath("/journal")},
		"POST /api/v1/incidents/{id}/journal": {writers, 201, with(incidentPath("/journal"), map[string]any{"kind": "info_in", "text": "x"})},
		"POST /api/v1/incidents/{id}/close":   {writers, 200, with(incidentPath("/close"), map[string]any{"reason": "klart"})},
		"GET /api/v1/export":                  {admins, 200, func(*testing.T, *fyrtest.Env, string) (string, any) { return "/api/v1/export", nil }},
		"GET /api/v1/users":                   {admins, 200, func(*testing.T, *fyrtest.Env, string) (string, any) { return "/api/v1/users", nil }},
		"POST /api/v1/users": {admins, 201, func(*testing.T, *fyrtest.Env, string) (string, any) {
			return "/api/v1/users", map[string]any{"username": fresh(), "name": "N", "role": "staff", "password": "a-long-password-1"}
		}},
		"POST /api/v1/users/{username}/disable": {admins, 200, func(t *testing.T, env *fyrtest.Env, admin string) (string, any) {
			p, _ := newUser(t, env, admin)
			return p + "/disable", nil
		}},
		"POST /api/v1/users/{username}/password": {admins, 200, func(t *testing.T, env *fyrtest.Env, admin string) (string, any) {
			p, _ := newUser(t, env, admin)
			return p + "/password", map[string]any{"password": "another-password-2"}
		}},
	}
	maps.Copy(cases, directoryRouteCases())
	maps.Copy(cases, situationRouteCases())
	maps.Copy(cases, userRouteCases())
	maps.Copy(cases, continuityRouteCases())
	maps.Copy(cases, backlogRouteCases())
	maps.Copy(cases, routineRouteCases())
	return cases
}

func documentedRoutes(t *testing.T, env *fyrtest.Env) []string {
	t.Helper()
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	if code := env.Do("", "GET", "/api/v1/openapi.json", nil, &doc); code != 200 {
		t.Fatalf("openapi.json: %d", code)
	}
	if doc.OpenAPI != "3.1.0" {
		t.Fatalf("openapi version %q", doc.OpenAPI)
	}
	var routes []string
	for path, ops := range doc.Paths {
		for method := range ops {
			routes = append(routes, strings.ToUpper(method)+" "+path)
		}
	}
	sort.Strings(routes)
	return routes
}

// Every route in the OpenAPI document, for every role: allowed roles get the
// success status, the others 403, and no token 401.
func TestAuthorisationEveryRouteEveryRole(t *testing.T) {
	t.Parallel()
	env := fyrtest.Start(t)
	tokens := map[auth.Role]string{}
	for _, r := range auth.Roles {
		tokens[r] = env.Token(r)
	}
	cases := routeCases()
	routes := documentedRoutes(t, env)
	for _, rt := range routes {
		c, ok := cases[rt]
		if !ok {
			t.Errorf("route %s has no authorisation case: add it to routeCases", rt)
			continue
		}
		method, _, _ := strings.Cut(rt, " ")
		for _, role := range auth.Roles {
			path, body := c.request(t, env, tokens[auth.Admin])
			want := 403
			if slices.Contains(c.allowed, role) {
				want = c.status
			}
			token := tokens[role]
			if spendsToken[rt] {
				token = env.Token(role)
			}
			if got := env.Do(token, method, path, body, nil); got != want {
				t.Errorf("%s as %s: status %d, want %d", rt, role, got, want)
			}
		}
		if rt != "POST /api/v1/login" {
			path, body := c.request(t, env, tokens[auth.Admin])
			if got := env.Do("", method, path, body, nil); got != 401 {
				t.Errorf("%s without a token: status %d, want 401", rt, got)
			}
		}
	}
	for rt := range cases {
		if !slices.Contains(routes, rt) {
			t.Errorf("authorisation case %s is not a documented route", rt)
		}
	}
	checkUserPagesEveryRole(t, env, tokens)
}

// The OpenAPI document and the routes served are the same set: every
// documented operation is served, no other method on those paths is.
func TestOpenAPIMatchesServedRoutes(t *testing.T) {
	t.Parallel()
	env := fyrtest.Start(t)
	routes := documentedRoutes(t, env)
	if len(routes) < 8 {
		t.Fatalf("only %d documented routes", len(routes))
	}
	paths := map[string]bool{}
	for _, rt := range routes {
		method, path, _ := strings.Cut(rt, " ")
		paths[path] = true
		concrete := strings.NewReplacer("{id}", "X", "{username}", "nobody").Replace(path)
		if got := env.Do("", method, concrete, nil, nil); got == 404 || got == 405 {
			t.Errorf("documented %s answers %d", rt, got)
		}
	}
	for path := range paths {
		concrete := strings.NewReplacer("{id}", "X", "{username}", "nobody").Replace(path)
		for _, m := range []string{"GET", "POST", "PUT", "PATCH", "DELETE"} {
			if slices.Contains(routes, m+" "+path) {
				continue
			}
			if got := env.Do("", m, concrete, nil, nil); got != 405 {
				t.Errorf("undocumented %s %s answers %d, want 405", m, path, got)
			}
		}
	}
	if got := env.Do("", "GET", "/api/v1/nothing-here", nil, nil); got != 404 {
		t.Errorf("unknown API path answers %d", got)
	}
}

func rawRequest(t *testing.T, env *fyrtest.Env, token, method, path, contentType, body string) (int, fyrtest.APIError) {
	t.Helper()
	req, _ := http.NewRequest(method, env.URL+path, strings.NewReader(body))
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var e fyrtest.APIError
	json.NewDecoder(resp.Body).Decode(&e)
	return resp.StatusCode, e
}

// Bad input answers 4xx naming the field and writes nothing.
func TestBadInputNamesTheFieldAndWritesNothing(t *testing.T) {
	t.Parallel()
	env := fyrtest.Start(t)
	staff, viewer := env.Token(auth.Staff), env.Token(auth.Viewer)
	id := openIncident(t, env, staff)
	closed := openIncident(t, env, staff)
	if code := env.Do(staff, "POST", "/api/v1/incidents/"+closed+"/close", map[string]any{"reason": "klart"}, nil); code != 200 {
		t.Fatalf("close: %d", code)
	}
	future := time.Now().Add(time.Hour).UTC().Format(time.RFC3339)
	cases := []struct {
		name, token, path, ctype, body string
		status                         int
		field                          string
	}{
		{"unknown level", staff, "/incidents/ID/levels", "application/json", `{"scope":"region","level":"red","reason":"r","decided_by":"d"}`, 400, "level"},
		{"unknown scope", staff, "/incidents/ID/levels", "application/json", `{"scope":"mars","level":"disaster","reason":"r","decided_by":"d"}`, 400, "scope"},
		{"level in the future", staff, "/incidents/ID/levels", "application/json", `{"scope":"region","level":"disaster","reason":"r","decided_by":"d","occurred_at":"` + future + `"}`, 400, "occurred_at"},
		{"entry in the future", staff, "/incidents/ID/journal", "application/json", `{"kind":"info_in","text":"x","occurred_at":"` + future + `"}`, 400, "occurred_at"},
		{"unparseable time", staff, "/incidents/ID/journal", "application/json", `{"kind":"info_in","text":"x","occurred_at":"igår"}`, 400, "occurred_at"},
		{"empty text", staff, "/incidents/ID/journal", "application/json", `{"kind":"info_in","text":""}`, 400, "text"},
		{"oversized text", staff, "/incidents/ID/journal", "application/json", `{"kind":"info_in","text":"` + strings.Repeat("a", 20001) + `"}`, 400, "text"},
		{"unknown kind", staff, "/incidents/ID/journal", "application/json", `{"kind":"rumour","text":"x"}`, 400, "kind"},
		{"wrong type", staff, "/incidents/ID/journal", "application/json", `{"kind":"info_in","text":42}`, 400, "text"},
		{"unknown field", staff, "/incidents/ID/journal", "application/json", `{"kind":"info_in","text":"x","colour":"red"}`, 400, "colour"},
		{"malformed JSON", staff, "/incidents/ID/journal", "application/json", `{"kind":"info_in",`, 400, "body"},
		{"empty body", staff, "/incidents/ID/journal", "application/json", ``, 400, "body"},
		{"wrong content type", staff, "/incidents/ID/journal", "text/plain", `{"kind":"info_in","text":"x"}`, 400, "Content-Type"},
		{"unknown incident", staff, "/incidents/NOPE/journal", "application/json", `{"kind":"info_in","text":"x"}`, 404, ""},
		{"closing a closed incident", staff, "/incidents/CLOSED/close", "application/json", `{"reason":"igen"}`, 409, ""},
		{"entry on a closed incident", staff, "/incidents/CLOSED/journal", "application/json", `{"kind":"info_in","text":"x"}`, 409, ""},
		{"level change by a viewer", viewer, "/incidents/ID/levels", "application/json", `{"scope":"region","level":"disaster","reason":"r","decided_by":"d"}`, 403, ""},
		{"dispatch to an empty audience", staff, "/incidents/ID/dispatches", "application/json", `{"kind":"message","title":"t","audience":{},"deadline":"` + future + `"}`, 400, "audience"},
		{"dispatch to an unknown unit", staff, "/incidents/ID/dispatches", "application/json", `{"kind":"message","title":"t","audience":{"units":["mars"]},"deadline":"` + future + `"}`, 400, "audience.units"},
		{"dispatch on a closed incident", staff, "/incidents/CLOSED/dispatches", "application/json", `{"kind":"message","title":"t","audience":{"all":true},"deadline":"` + future + `"}`, 409, ""},
		{"dispatch without a deadline", staff, "/incidents/ID/dispatches", "application/json", `{"kind":"message","title":"t","audience":{"all":true}}`, 400, "deadline"},
		{"incident without title", staff, "/incidents", "application/json", `{"scope":"region","level":"staff"}`, 400, "title"},
		{"incident at unknown level", staff, "/incidents", "application/json", `{"title":"t","scope":"region","level":"yellow"}`, 400, "level"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := "/api/v1" + strings.NewReplacer("ID", id, "CLOSED", closed).Replace(c.path)
			before := env.Svc.Seq()
			code, e := rawRequest(t, env, c.token, "POST", path, c.ctype, c.body)
			if code != c.status || e.Error.Field != c.field || e.Error.Message == "" {
				t.Fatalf("status %d field %q message %q; want %d naming %q", code, e.Error.Field, e.Error.Message, c.status, c.field)
			}
			if after := env.Svc.Seq(); after != before {
				t.Fatalf("refused request wrote %d events", after-before)
			}
		})
	}
}

func TestLoginIsRateLimited(t *testing.T) {
	t.Parallel()
	env := fyrtest.Start(t)
	codes := []int{}
	for range auth.MaxFailures + 1 {
		codes = append(codes, env.Do("", "POST", "/api/v1/login", map[string]string{"username": "staff", "password": "wrong-password!"}, nil))
	}
	if !slices.Equal(codes[:auth.MaxFailures], slices.Repeat([]int{401}, auth.MaxFailures)) || codes[auth.MaxFailures] != 429 {
		t.Fatalf("login statuses %v; want %d×401 then 429", codes, auth.MaxFailures)
	}
	// Even the right password is refused while limited.
	if got := env.Do("", "POST", "/api/v1/login", map[string]string{"username": "staff", "password": fyrtest.Password}, nil); got != 429 {
		t.Fatalf("right password while limited: %d", got)
	}
}

func TestDisabledAccountLosesItsSession(t *testing.T) {
	t.Parallel()
	env := fyrtest.Start(t)
	admin, viewer := env.Token(auth.Admin), env.Token(auth.Viewer)
	if got := env.Do(viewer, "GET", "/api/v1/incidents", nil, nil); got != 200 {
		t.Fatalf("before: %d", got)
	}
	if got := env.Do(admin, "POST", "/api/v1/users/viewer/disable", nil, nil); got != 200 {
		t.Fatalf("disable: %d", got)
	}
	if got := env.Do(viewer, "GET", "/api/v1/incidents", nil, nil); got != 401 {
		t.Fatalf("after disabling, the old token answers %d, want 401", got)
	}
}

type sseEvent struct {
	id, name, data string
}

// readSSE reads events until want of the named kind have arrived.
func readSSE(t *testing.T, r *bufio.Reader, name string, want int) []sseEvent {
	t.Helper()
	var out []sseEvent
	var cur sseEvent
	for len(out) < want {
		line, err := r.ReadString('\n')
		if err != nil {
			t.Fatalf("read SSE after %d %s events: %v", len(out), name, err)
		}
		line = strings.TrimRight(line, "\n")
		switch {
		case line == "":
			if cur.name == name {
				out = append(out, cur)
			}
			cur = sseEvent{}
		case strings.HasPrefix(line, "id: "):
			cur.id = line[4:]
		case strings.HasPrefix(line, "event: "):
			cur.name = line[7:]
		case strings.HasPrefix(line, "data: "):
			cur.data = line[6:]
		}
	}
	return out
}

func openSSE(t *testing.T, env *fyrtest.Env, token, incident, lastID string) (*bufio.Reader, io.Closer) {
	t.Helper()
	req, _ := http.NewRequest("GET", env.URL+"/live?incident="+incident, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	if lastID != "" {
		req.Header.Set("Last-Event-ID", lastID)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		t.Fatalf("open SSE: %v %v", err, resp)
	}
	return bufio.NewReader(resp.Body), resp.Body
}

// A client that reconnects with Last-Event-ID gets exactly what it missed.
func TestLiveResumesWithoutLossOrDuplicates(t *testing.T) {
	t.Parallel()
	env := fyrtest.Start(t)
	staff, viewer := env.Token(auth.Staff), env.Token(auth.Viewer)
	id := openIncident(t, env, staff)
	r, body := openSSE(t, env, viewer, id, "")
	post := func(text string) created {
		var e created
		if code := env.Do(staff, "POST", "/api/v1/incidents/"+id+"/journal", map[string]any{"kind": "info_in", "text": text}, &e); code != 201 {
			t.Fatalf("post: %d", code)
		}
		return e
	}
	a := post("första")
	got := readSSE(t, r, "entry", 1)
	if !strings.Contains(got[0].data, a.ID) || got[0].id != fmt.Sprint(a.Seq) {
		t.Fatalf("live entry %+v, want id %s seq %d", got[0], a.ID, a.Seq)
	}
	body.Close()
	b, c := post("andra"), post("tredje")
	r, body = openSSE(t, env, viewer, id, got[0].id)
	defer body.Close()
	resumed := readSSE(t, r, "entry", 2)
	if !strings.Contains(resumed[0].data, b.ID) || !strings.Contains(resumed[1].data, c.ID) {
		t.Fatalf("resumed with %q and %q; want the two missed entries in order", resumed[0].data, resumed[1].data)
	}
	d := post("fjärde")
	next := readSSE(t, r, "entry", 1)
	if !strings.Contains(next[0].data, d.ID) {
		t.Fatalf("after resume, next live entry is %q; want %s (no duplicates of the replayed ones)", next[0].data, d.ID)
	}
	// A unit account follows the levels but never receives journal content.
	unit := env.Token(auth.Unit)
	ur, ubody := openSSE(t, env, unit, id, "")
	defer ubody.Close()
	post("hemligt")
	if code := env.Do(staff, "POST", "/api/v1/incidents/"+id+"/levels", map[string]any{"scope": "region", "level": "disaster", "reason": "r", "decided_by": "d"}, nil); code != 200 {
		t.Fatalf("level: %d", code)
	}
	lv := readSSE(t, ur, "levels", 2) // the state on connecting, then the change
	if !strings.Contains(lv[1].data, "lvl-disaster") {
		t.Fatalf("unit's levels event lacks the new level: %s", lv[1].data)
	}
}

// A correction re-sends the corrected entry, which now links to it.
func TestLiveCorrectionUpdatesTheOriginal(t *testing.T) {
	t.Parallel()
	env := fyrtest.Start(t)
	staff, viewer := env.Token(auth.Staff), env.Token(auth.Viewer)
	var inc created
	env.Do(staff, "POST", "/api/v1/incidents", map[string]any{"title": "t", "scope": fyrtest.Hospital, "level": "reinforcement"}, &inc)
	var orig created
	env.Do(staff, "POST", "/api/v1/incidents/"+inc.ID+"/journal", map[string]any{"kind": "info_in", "text": "fel"}, &orig)
	r, body := openSSE(t, env, viewer, inc.ID, "")
	defer body.Close()
	var fix created
	env.Do(staff, "POST", "/api/v1/incidents/"+inc.ID+"/journal", map[string]any{"kind": "info_in", "text": "rätt", "corrects": orig.ID}, &fix)
	got := readSSE(t, r, "entry", 2)
	if !strings.Contains(got[0].data, fix.ID) || !strings.Contains(got[1].data, orig.ID) || !strings.Contains(got[1].data, `#4`) {
		t.Fatalf("after a correction the stream sent %q and %q; want the correction, then the original linking to #4", got[0].data, got[1].data)
	}
	// Scopes are named, not shown as ids.
	var list struct {
		Entries []struct{ ID string } `json:"entries"`
	}
	env.Do(staff, "GET", "/api/v1/incidents/"+inc.ID+"/journal", nil, &list)
	b := newBrowser(t, env)
	b.login(auth.Viewer)
	_, page := b.get("/incidents/" + inc.ID)
	if !strings.Contains(page, "(Testsjukhuset)") || !strings.Contains(page, "rättad av <a href=\"#e-"+fix.ID+"\">#4</a>") {
		t.Fatal("the journal shows scope ids or correction ULIDs instead of names and entry numbers")
	}
}
