package web_test

import (
	"context"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"fyr/internal/auth"
	"fyr/internal/dispatch"
	"fyr/internal/fyrtest"
	"fyr/internal/incident"
)

// Without JavaScript: a unit lands on its page after login, finds the
// Kvittera button of a dispatch there, and the POST comes back to the page
// with the receipt in the dispatch's place, at the top of the page.
func TestUnitPageAcknowledgesWithoutScript(t *testing.T) {
	t.Parallel()
	env := fyrtest.Start(t)
	ctx := context.Background()
	staff := env.Principal(auth.Staff)
	inc, err := env.Svc.Incidents.OpenIncident(ctx, staff, incident.Open{Title: "IT-avbrott", Scope: "region", Level: incident.Staff})
	if err != nil {
		t.Fatal(err)
	}
	d, err := env.Svc.Dispatch.CreateDispatch(ctx, staff, dispatch.Create{Incident: inc.ID, Kind: dispatch.KindMessage,
		Title: "Pappersjournal från kl 05", Body: "Alla avdelningar övergår till pappersjournal.",
		Audience: dispatch.Audience{Units: []string{"avd1"}}, Deadline: env.Svc.Now().Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	id := string(d.Dispatch)

	u := newBrowser(t, env)
	code, loc, _ := u.post("/login", url.Values{"username": {"unit"}, "password": {fyrtest.Password}, "back": {"/"}})
	if code != 303 || loc != "/unit" {
		t.Fatalf("a unit's login answers %d → %q, want 303 → /unit", code, loc)
	}
	_, page := u.get("/unit")
	if !strings.Contains(page, `action="/unit/ack/`+id+`"`) {
		t.Fatal("the unit page has no Kvittera form for the dispatch")
	}
	code, loc, _ = u.post("/unit/ack/"+id, url.Values{"csrf": {u.csrf}})
	if code != 303 || !strings.HasPrefix(loc, "/unit?acked="+id) {
		t.Fatalf("Kvittera answers %d → %q, want 303 → /unit?acked=%s", code, loc, id)
	}
	_, page = u.get(loc)
	todo := page[strings.Index(page, `id="todo"`):strings.Index(page, `id="picture-h"`)]
	if !regexp.MustCompile(`✔ Kvitterat \d\d:\d\d av Test unit`).MatchString(todo) {
		t.Fatalf("after Kvittera the top of the unit page lacks the receipt:\n%s", todo)
	}
	if strings.Contains(todo, `action="/unit/ack/`+id+`"`) {
		t.Error("the acknowledged dispatch still offers Kvittera")
	}
	if _, page = u.get("/unit"); strings.Contains(page[strings.Index(page, `id="todo"`):strings.Index(page, `id="picture-h"`)], "Pappersjournal från kl 05") {
		t.Error("the acknowledged dispatch is still listed as waiting when the page is opened again")
	}
	var board struct {
		Units []dispatch.UnitState `json:"units"`
	}
	env.Do(env.Token(auth.Staff), "GET", "/api/v1/dispatches/"+id, nil, &board)
	if len(board.Units) != 1 || board.Units[0].Ack == nil || board.Units[0].Ack.Channel != dispatch.InApp {
		t.Fatalf("the board after Kvittera: %+v", board.Units)
	}

	// Only the unit's own account acknowledges here: the staff record
	// receipts on the board; others may not.
	for _, role := range []auth.Role{auth.Admin, auth.Staff, auth.Viewer} {
		s := newBrowser(t, env)
		s.login(role)
		s.get("/")
		if code, _, _ := s.post("/unit/ack/"+id, url.Values{"csrf": {s.csrf}}); code != 403 {
			t.Errorf("%s acknowledging on a unit page: %d, want 403", role, code)
		}
	}
	if code, _, _ := newBrowser(t, env).post("/unit/ack/"+id, url.Values{}); code != 401 {
		t.Errorf("acknowledging without a session: %d, want 401", code)
	}
	// Another unit's dispatch, or none: refused, naming it.
	if code, _, page := u.post("/unit/ack/no-such-dispatch", url.Values{"csrf": {u.csrf}}); code != 404 || !strings.Contains(page, "no-such-dispatch") {
		t.Errorf("acknowledging a dispatch that does not exist: %d", code)
	}
}

// Nothing about incidents before login: not on the login page, not on an
// error page, not on a receipt link's page (which shows its own dispatch
// and nothing else).
func TestNothingAboutIncidentsBeforeLogin(t *testing.T) {
	t.Parallel()
	env := fyrtest.Start(t)
	ctx := context.Background()
	staff := env.Principal(auth.Staff)
	secret := []string{"Strömavbrott Centralsjukhuset", "ÖVNING: journalsystemet otillgängligt", "Beredskapsläge"}
	inc, err := env.Svc.Incidents.OpenIncident(ctx, staff, incident.Open{Title: secret[0], Scope: "region", Level: incident.Reinforcement})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.Svc.Incidents.OpenIncident(ctx, staff, incident.Open{Title: secret[1], Scope: "region", Level: incident.Staff, Exercise: true}); err != nil {
		t.Fatal(err)
	}
	d, err := env.Svc.Dispatch.CreateDispatch(ctx, staff, dispatch.Create{Incident: inc.ID, Kind: dispatch.KindMessage, Title: "Kvittera mottaget",
		Audience: dispatch.Audience{Units: []string{"avd1"}}, Deadline: env.Svc.Now().Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	token := env.Svc.Dispatch.ReceiptLink("attempt-1", d.Dispatch, "avd1", "Anna Test", dispatch.SMS)

	anon := newBrowser(t, env)
	check := func(what string, code int, page string) {
		t.Helper()
		if code == 0 || page == "" {
			t.Fatalf("%s: nothing came back (%d)", what, code)
		}
		for _, s := range secret {
			if strings.Contains(page, s) {
				t.Errorf("%s (%d) shows %q before login", what, code, s)
			}
		}
	}
	for _, path := range []string{"/login", "/login?back=%2Fincidents%2F" + string(inc.ID), "/r/" + token, "/r/forged.token", "/no/such/page"} {
		code, page := anon.get(path)
		check("GET "+path, code, page)
	}
	if _, page := anon.get("/r/" + token); !strings.Contains(page, "Kvittera mottaget") {
		t.Error("the receipt link's page lacks its own dispatch")
	}
	code, _, page := anon.post("/incidents/"+string(inc.ID)+"/journal", url.Values{"text": {"x"}})
	check("POST without a session", code, page)
	code, _, page = anon.post("/login", url.Values{"username": {"staff"}, "password": {"wrong-password"}})
	check("a failed login", code, page)

	// After login the banners are there.
	anon.login(auth.Staff)
	if _, page := anon.get("/"); !strings.Contains(page, `class="banner lvl-reinforcement"`) {
		t.Error("no banner after login")
	}
}
