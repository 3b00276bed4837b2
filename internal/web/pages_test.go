package web_test

import (
	"encoding/csv"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"fyr/internal/auth"
	"fyr/internal/fyrtest"
)

// browser is a cookie-keeping HTTP client that does not follow redirects,
// so the tests see them.
type browser struct {
	t    *testing.T
	env  *fyrtest.Env
	c    *http.Client
	csrf string
}

func newBrowser(t *testing.T, env *fyrtest.Env) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, env: env, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

var csrfRe = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func (b *browser) get(path string) (int, string) {
	b.t.Helper()
	resp, err := b.c.Get(b.env.URL + path)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if m := csrfRe.FindSubmatch(body); m != nil {
		b.csrf = string(m[1])
	}
	return resp.StatusCode, string(body)
}

func (b *browser) post(path string, form url.Values) (int, string, string) {
	b.t.Helper()
	resp, err := b.c.PostForm(b.env.URL+path, form)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Location"), string(body)
}

func (b *browser) login(role auth.Role) {
	b.t.Helper()
	code, loc, _ := b.post("/login", url.Values{"username": {string(role)}, "password": {fyrtest.Password}, "back": {"/"}})
	want := "/"
	if role == auth.Unit {
		want = "/unit" // a unit lands on its own page
	}
	if code != 303 || loc != want {
		b.t.Fatalf("login as %s: %d → %q, want %q", role, code, loc, want)
	}
	b.get(want)
}

func TestPagesRunAnIncidentWithFormsAlone(t *testing.T) {
	t.Parallel()
	env := fyrtest.Start(t)
	b := newBrowser(t, env)
	if code, _ := b.get("/"); code != 303 {
		t.Fatalf("anonymous / answers %d, want a redirect to the login page", code)
	}
	if code, _, body := b.post("/login", url.Values{"username": {"staff"}, "password": {"wrong-password"}}); code != 401 || !strings.Contains(body, "Fel användarnamn eller lösenord") {
		t.Fatalf("wrong password: %d", code)
	}
	b.login(auth.Staff)
	_, list := b.get("/")
	if !strings.Contains(list, "Inga händelser ännu") {
		t.Fatal("the empty incident list does not say so")
	}
	code, loc, _ := b.post("/incidents", url.Values{"csrf": {b.csrf}, "title": {"DNS-fel"}, "scope": {"region"}, "level": {"staff"}})
	if code != 303 || !strings.HasPrefix(loc, "/incidents/") {
		t.Fatalf("open: %d %q", code, loc)
	}
	_, page := b.get(loc)
	if !strings.Contains(page, `class="banner lvl-staff"`) || !strings.Contains(page, "Stabsläge") {
		t.Fatal("incident page lacks the stabsläge banner")
	}
	// A form without the CSRF token is refused and writes nothing.
	before := env.Svc.Seq()
	if code, _, _ := b.post(loc+"/levels", url.Values{"scope": {"region"}, "level": {"reinforcement"}, "reason": {"r"}, "decided_by": {"d"}}); code != 403 {
		t.Fatalf("level change without CSRF: %d", code)
	}
	// A form error names the field, keeps the input and writes nothing.
	code, _, body := b.post(loc+"/journal", url.Values{"csrf": {b.csrf}, "kind": {"info_in"}, "text": {"Rakel fungerar"}, "occurred_at": {"2099-01-01T10:00"}})
	if code != 400 || !strings.Contains(body, "<code>occurred_at</code>") || !strings.Contains(body, "Rakel fungerar") {
		t.Fatalf("future entry via form: %d; the page must name occurred_at and keep the text", code)
	}
	if env.Svc.Seq() != before {
		t.Fatal("refused forms wrote events")
	}
	if code, _, _ := b.post(loc+"/levels", url.Values{"csrf": {b.csrf}, "scope": {"region"}, "level": {"reinforcement"}, "reason": {"Fler enheter drabbade"}, "decided_by": {"Sven Ledin"}}); code != 303 {
		t.Fatalf("level change: %d", code)
	}
	if code, _, _ := b.post(loc+"/journal", url.Values{"csrf": {b.csrf}, "kind": {"decision"}, "text": {"All icke-akut vård ställs in"},
		"decision_maker": {"Sven Ledin"}, "inform": {"Alla kliniker\nKommunerna"}, "occurred_at": {"2026-01-05T08:03"}}); code != 303 {
		t.Fatalf("decision: %d", code)
	}
	_, page = b.get(loc)
	for _, want := range []string{`class="banner lvl-reinforcement"`, "All icke-akut vård ställs in", "Alla kliniker, Kommunerna", "efterregistrerad"} {
		if !strings.Contains(page, want) {
			t.Errorf("incident page lacks %q", want)
		}
	}
	_, print := b.get(loc + "/print")
	if !strings.Contains(print, "/static/print.css") || !strings.Contains(print, "All icke-akut vård ställs in") {
		t.Error("print view lacks the print stylesheet or the decision")
	}
	resp, err := b.c.Get(env.URL + loc + "/journal.csv")
	if err != nil {
		t.Fatal(err)
	}
	cr := csv.NewReader(strings.NewReader(strings.TrimPrefix(readAll(resp), "\ufeff")))
	cr.Comma = ';' // Swedish Excel's separator
	rows, err := cr.ReadAll()
	if err != nil || len(rows) != 5 || rows[0][0] != "Nr" {
		t.Fatalf("CSV: %v, %d rows", err, len(rows))
	}
	if rows[1][12] != "All icke-akut vård ställs in" || rows[1][17] != "Sven Ledin" {
		t.Errorf("CSV is not a timeline led by the 08:03 decision: %v", rows[1])
	}
	// English is one click away.
	b.get("/lang?l=en&back=/")
	if _, en := b.get(loc); !strings.Contains(en, "Reinforcement") || !strings.Contains(en, `lang="en"`) {
		t.Error("English page not in English")
	}
	if code, _, _ := b.post(loc+"/close", url.Values{"csrf": {b.csrf}, "reason": {"Åter till normalläge"}}); code != 303 {
		t.Fatalf("close: %d", code)
	}
	if _, list := b.get("/"); strings.Contains(list, `class="banner`) {
		t.Error("banner still shown after closing the only incident")
	}
}

func readAll(resp *http.Response) string {
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

func TestUnitAccountSeesLevelsNotTheJournal(t *testing.T) {
	t.Parallel()
	env := fyrtest.Start(t)
	id := openIncident(t, env, env.Token(auth.Staff))
	b := newBrowser(t, env)
	b.login(auth.Unit)
	code, page := b.get("/incidents/" + id)
	if code != 200 || !strings.Contains(page, "lvl-staff") || strings.Contains(page, "journal-list") || strings.Contains(page, "level-form") {
		t.Fatalf("unit view: %d; must show levels, no journal, no forms", code)
	}
	for _, p := range []string{"/print", "/journal.csv"} {
		if code, _ := b.get("/incidents/" + id + p); code != 403 {
			t.Errorf("unit GET %s: %d, want 403", p, code)
		}
	}
	v := newBrowser(t, env)
	v.login(auth.Viewer)
	_, page = v.get("/incidents/" + id)
	if !strings.Contains(page, "journal-list") || strings.Contains(page, "record-form") {
		t.Fatal("viewer must read the journal and have no forms")
	}
}

func TestPointInTimePage(t *testing.T) {
	t.Parallel()
	env := fyrtest.Start(t)
	staff := env.Token(auth.Staff)
	var inc created
	env.Do(staff, "POST", "/api/v1/incidents", map[string]any{"title": "t", "scope": "region", "level": "staff", "occurred_at": "2026-01-01T10:00:00+01:00"}, &inc)
	id := inc.ID
	env.Do(staff, "POST", "/api/v1/incidents/"+id+"/levels", map[string]any{"scope": "region", "level": "disaster", "reason": "r", "decided_by": "d", "occurred_at": "2026-01-01T12:00:00+01:00"}, nil)
	b := newBrowser(t, env)
	b.login(auth.Viewer)
	_, then := b.get("/incidents/" + id + "?at=2026-01-01T11:00")
	_, now := b.get("/incidents/" + id)
	if !strings.Contains(then, "Historisk vy") || strings.Contains(then, `lvl lvl-disaster`) || !strings.Contains(then, `lvl lvl-staff`) {
		t.Error("the 11:00 view shows the 12:00 disaster level or no history marker")
	}
	if !strings.Contains(now, `lvl lvl-disaster`) {
		t.Error("the current view lacks the disaster level")
	}
}
