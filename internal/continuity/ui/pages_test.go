package continuityui_test

import (
	"bytes"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"fyr/internal/auth"
	"fyr/internal/fyrtest"
)

// page sends a page request with a bearer token (form nil for a GET) and
// returns the status, the Location and the body.
func page(t *testing.T, env *fyrtest.Env, token, method, path string, form url.Values) (int, string, string) {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, env.URL+path, body)
	if err != nil {
		t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.Header.Set("Authorization", "Bearer "+token)
	return send(t, req)
}

func send(t *testing.T, req *http.Request) (int, string, string) {
	t.Helper()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Location"), string(b)
}

func mustContain(t *testing.T, what, html string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(html, w) {
			t.Errorf("%s: no %q in\n%s", what, w, html)
		}
	}
}

func openIncident(t *testing.T, env *fyrtest.Env, staff string) string {
	t.Helper()
	var inc struct{ ID string }
	if code := env.Do(staff, "POST", "/api/v1/incidents", map[string]any{"title": "IT-avbrott", "scope": "region", "level": "staff"}, &inc); code != 201 {
		t.Fatalf("open incident: %d", code)
	}
	return inc.ID
}

// The registry page lists every component with its status across the open
// incidents, worst first, with the supplier's phone as a tel: link; the
// add form is offered to an administrator only, and a refusal is shown by
// its field with nothing written.
func TestRegistryPage(t *testing.T) {
	t.Parallel()
	env, admin := kronoberg(t)
	staff, viewer := env.Token(auth.Staff), env.Token(auth.Viewer)
	env.Do(admin, "POST", "/api/v1/registry/components", map[string]any{"id": "cambio", "kind": "supplier", "name": "Cambio",
		"contact_name": "Supporten", "contact_phone": "010-123 45 67", "criticality": "high", "max_outage": "4h"}, nil)
	id := openIncident(t, env, staff)
	if code := env.Do(staff, "POST", "/api/v1/incidents/"+id+"/statuses", map[string]any{"component": "fax", "status": "degraded"}, nil); code != 201 {
		t.Fatalf("record fax: %d", code)
	}
	if code := env.Do(staff, "POST", "/api/v1/incidents/"+id+"/statuses", map[string]any{"component": "pacs", "status": "down"}, nil); code != 201 {
		t.Fatalf("record pacs: %d", code)
	}
	code, _, html := page(t, env, viewer, "GET", "/registry", nil)
	if code != 200 {
		t.Fatalf("registry: %d\n%s", code, html)
	}
	mustContain(t, "registry", html, `href="tel:0101234567"`, "Komponenter: 8. I öppna händelser nere: 1, störda: 1.", `data-live="situation"`, `data-incident="`+id+`"`)
	pacs, fax, dns := strings.Index(html, `id="c-pacs"`), strings.Index(html, `id="c-fax"`), strings.Index(html, `id="c-dns"`)
	if pacs < 0 || fax < pacs || dns < fax {
		t.Errorf("not worst first: pacs %d, fax %d, dns %d", pacs, fax, dns)
	}
	if strings.Contains(html, `id="ct-new"`) {
		t.Error("a viewer is offered the form to add a component")
	}
	_, _, html = page(t, env, viewer, "GET", "/registry?kind=supplier", nil)
	if !strings.Contains(html, `id="c-cambio"`) || strings.Contains(html, `id="c-dns"`) {
		t.Errorf("filter by kind: %s", html)
	}

	_, _, html = page(t, env, admin, "GET", "/registry", nil)
	mustContain(t, "registry as admin", html, `id="ct-new"`)
	seq := env.Svc.Seq()
	code, _, html = page(t, env, admin, "POST", "/registry/components", url.Values{"id": {"lab"}, "name": {"Labbet"}, "kind": {"robot"}})
	if code != 400 {
		t.Fatalf("bad kind: %d", code)
	}
	mustContain(t, "bad kind", html, `id="cn-kind-err"`, `robot`, `value="Labbet"`)
	code, _, _ = page(t, env, admin, "POST", "/registry/components", url.Values{"id": {"dns"}, "name": {"Ny DNS"}, "kind": {"system"}})
	if code != 400 || env.Svc.Seq() != seq {
		t.Errorf("adding a taken id: %d, seq %d → %d", code, seq, env.Svc.Seq())
	}
	if code, _, _ := page(t, env, viewer, "POST", "/registry/components", url.Values{"id": {"lab"}, "name": {"Labbet"}, "kind": {"system"}}); code != 403 || env.Svc.Seq() != seq {
		t.Errorf("a viewer adds a component: %d", code)
	}
	code, loc, _ := page(t, env, admin, "POST", "/registry/components", url.Values{"id": {"lab"}, "name": {"Labbet"}, "kind": {"system"}, "criticality": {"high"}})
	if code != 303 || loc != "/registry/components/lab?saved=component" {
		t.Fatalf("add: %d %s", code, loc)
	}
	_, _, html = page(t, env, admin, "GET", loc, nil)
	mustContain(t, "saved", html, `id="ct-saved"`, "Komponenten är sparad.", "Labbet")
}

// A component's page: what it depends on and what depends on it (a unit
// too), its routines, and the admin forms, refusing by field.
func TestComponentPage(t *testing.T) {
	t.Parallel()
	env, admin := kronoberg(t)
	viewer := env.Token(auth.Viewer)
	code, _, html := page(t, env, viewer, "GET", "/registry/components/cosmic", nil)
	if code != 200 {
		t.Fatalf("component: %d", code)
	}
	mustContain(t, "cosmic", html, "behöver <a href=\"/registry/components/dns\">DNS</a>",
		`<a href="/registry/components/lakemedel">Läkemedelsordination</a> körs på Cosmic`, "Faxa remisser", "Pappersjournal", "Expeditionen")
	if strings.Contains(html, `id="ct-dep"`) {
		t.Error("a viewer is offered the dependency form")
	}
	_, _, html = page(t, env, viewer, "GET", "/registry/components/lakemedel", nil)
	mustContain(t, "lakemedel", html, "Avdelning 1 <span class=\"meta\">(Enhet)</span> använder Läkemedelsordination")
	if code, _, _ := page(t, env, viewer, "GET", "/registry/components/nope", nil); code != 404 {
		t.Errorf("unknown component: %d", code)
	}

	seq := env.Svc.Seq()
	code, _, html = page(t, env, admin, "POST", "/registry/components/cosmic/dependencies", url.Values{"to": {"cosmic"}, "type": {"needs"}})
	if code != 400 || env.Svc.Seq() != seq {
		t.Fatalf("self-dependency: %d", code)
	}
	mustContain(t, "self-dependency", html, `id="d-to-err"`, `<details class="card" id="ct-dep" open>`)
	code, loc, _ := page(t, env, admin, "POST", "/registry/components/cosmic/dependencies", url.Values{"to": {"network"}, "type": {"needs"}, "group": {"net"}, "mode": {"any"}})
	if code != 303 {
		t.Fatalf("add dependency: %d", code)
	}
	_, _, html = page(t, env, admin, "GET", loc, nil)
	mustContain(t, "dependency", html, "Beroendet är sparat.", "grupp net: räcker med en")

	code, _, html = page(t, env, admin, "POST", "/registry/components/cosmic/routines", url.Values{"rid": {"tel"}, "title": {"Ring labbet"}, "steps": {"  \n"}})
	if code != 400 {
		t.Fatalf("routine with no steps: %d", code)
	}
	mustContain(t, "no steps", html, `id="r-steps-err"`)
	code, _, _ = page(t, env, admin, "POST", "/registry/components/cosmic/routines", url.Values{"rid": {"tel"}, "title": {"Ring labbet"},
		"steps": {"Ring 1234\nSkriv ner svaret"}, "needs": {"network"}, "paper_copy": {"Pärmen"}})
	if code != 303 {
		t.Fatalf("add routine: %d", code)
	}
	_, _, html = page(t, env, viewer, "GET", "/registry/components/cosmic", nil)
	mustContain(t, "routine", html, `id="rt-tel"`, "<li>Skriv ner svaret</li>", "Internt nät")
}

// What-if: checked components give the impact with each routine's and
// unit's path in words, the drawing served at its own URL; the filter
// keeps the choices.
func TestWhatIfPage(t *testing.T) {
	t.Parallel()
	env, _ := kronoberg(t)
	viewer := env.Token(auth.Viewer)
	seq := env.Svc.Seq()
	code, _, html := page(t, env, viewer, "GET", "/registry/whatif?q=dn&down=pacs", nil)
	if code != 200 {
		t.Fatalf("what-if form: %d", code)
	}
	if !strings.Contains(html, `id="w-dns"`) || strings.Contains(html, `id="w-cosmic"`) || !strings.Contains(html, `type="hidden" name="down" value="pacs"`) {
		t.Errorf("filter: %s", html)
	}
	code, _, html = page(t, env, viewer, "GET", "/registry/whatif?down=dns", nil)
	if code != 200 {
		t.Fatalf("what-if: %d", code)
	}
	mustContain(t, "what-if", html,
		"Avdelning 1</strong> <span class=\"meta\">nere</span><br><span class=\"ct-path\">→ använder Läkemedelsordination → körs på Cosmic → behöver DNS <strong class=\"ct-down\">[nere]</strong>",
		"✗ Faxa remisser: fungerar inte</strong> – bryts av DNS",
		"Faxa remisser → behöver Fax → behöver Internt nät → behöver DNS",
		"✓ Pappersjournal: fungerar", "Testsjukhuset <span class=\"meta\">nere: 1, störda: 0", `<img src="/registry/whatif.svg?down=dns"`)
	if env.Svc.Seq() != seq {
		t.Error("a what-if wrote to the log")
	}
	req, _ := http.NewRequest("GET", env.URL+"/registry/whatif.svg?down=dns", nil)
	req.Header.Set("Authorization", "Bearer "+viewer)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	svg, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/svg+xml" || !bytes.HasPrefix(svg, []byte("<svg")) ||
		!bytes.Contains(svg, []byte("FUNGERAR INTE")) || !bytes.Contains(svg, []byte("Faxa remisser")) {
		t.Errorf("svg: %d %s %.300s", resp.StatusCode, resp.Header.Get("Content-Type"), svg)
	}
	_, _, html = page(t, env, viewer, "GET", "/registry/whatif?q=&go=1", nil)
	mustContain(t, "nothing chosen", html, `id="ct-whatif-error"`, "Välj minst en komponent.")
	code, _, html = page(t, env, viewer, "GET", "/registry/whatif?down=nope", nil)
	if code != 400 || !strings.Contains(html, `id="ct-whatif-error"`) {
		t.Errorf("unknown component: %d", code)
	}
}

// The CSV import page: all or nothing, every bad row listed with its line
// and field; a viewer sees the exports but no upload form.
func TestImportPage(t *testing.T) {
	t.Parallel()
	env, admin := kronoberg(t)
	viewer := env.Token(auth.Viewer)
	_, _, html := page(t, env, viewer, "GET", "/registry/import", nil)
	mustContain(t, "import as viewer", html, "/api/v1/registry/components.csv?sep=semicolon")
	if strings.Contains(html, `id="import-form"`) {
		t.Error("a viewer is offered the upload")
	}
	upload := func(comps, deps string) (int, string) {
		code, _, html := page(t, env, admin, "POST", "/registry/import", url.Values{"components": {comps}, "dependencies": {deps}})
		return code, html
	}
	seq := env.Svc.Seq()
	code, html := upload("id,kind,name\nlab,system,Labbet\nx,robot,X\n", "from,to,type\nlab,nowhere,needs\n")
	if code != 400 || env.Svc.Seq() != seq {
		t.Fatalf("bad import: %d, seq %d → %d", code, seq, env.Svc.Seq())
	}
	mustContain(t, "bad import", html, `id="import-error"`, "Komponenter", "Beroenden", "<code>kind</code>", "<code>to</code>",
		`<td data-label="Rad">3</td>`, `<td data-label="Rad">2</td>`)
	code, html = upload("id,kind,name\nlab,system,Labbet\n", "from,to,type\nlab,dns,needs\n")
	if code != 200 {
		t.Fatalf("good import: %d %s", code, html)
	}
	mustContain(t, "good import", html, "Importerat: 1 komponenter nya, 0 ändrade; 1 beroenden nya, 0 ändrade.")
}

// In an incident: a status recorded through the form is confirmed at the
// top, is in the impact, and the page shows the past with a banner.
func TestIncidentContinuityPage(t *testing.T) {
	t.Parallel()
	env, _ := kronoberg(t)
	staff, viewer := env.Token(auth.Staff), env.Token(auth.Viewer)
	id := openIncident(t, env, staff)
	path := "/incidents/" + id + "/continuity"
	_, _, html := page(t, env, staff, "GET", path, nil)
	mustContain(t, "empty", html, `id="ct-record-form"`, "Ingenting är nere eller stört", `data-incident="`+id+`"`)
	_, _, html = page(t, env, viewer, "GET", path, nil)
	if strings.Contains(html, `id="ct-record-form"`) {
		t.Error("a viewer is offered the form")
	}
	before := time.Now()
	seq := env.Svc.Seq()
	code, _, html := page(t, env, staff, "POST", path, url.Values{"component": {"dns"}, "status": {"down"},
		"occurred_at": {time.Now().Add(48 * time.Hour).In(time.Local).Format("2006-01-02T15:04")}})
	if code != 400 || env.Svc.Seq() != seq {
		t.Fatalf("future: %d", code)
	}
	mustContain(t, "future", html, `id="s-occurred-err"`)
	if code, _, _ := page(t, env, viewer, "POST", path, url.Values{"component": {"dns"}, "status": {"down"}}); code != 403 {
		t.Errorf("a viewer records: %d", code)
	}
	code, loc, _ := page(t, env, staff, "POST", path, url.Values{"component": {"dns"}, "status": {"down"}, "source": {"IT-jouren"}})
	if code != 303 || !strings.HasPrefix(loc, path+"?saved=") {
		t.Fatalf("record: %d %s", code, loc)
	}
	_, _, html = page(t, env, staff, "GET", loc, nil)
	mustContain(t, "recorded", html, `id="ct-saved"`, "Registrerat: DNS är nere", "IT-jouren", "✗ Faxa remisser: fungerar inte",
		`<img src="/incidents/`+id+`/continuity.svg"`)
	past := before.Add(-time.Minute).UTC().Format(time.RFC3339)
	_, _, html = page(t, env, viewer, "GET", path+"?known_at="+url.QueryEscape(past), nil)
	mustContain(t, "past", html, `class="asof"`, "Som staben visste", "Ingenting är nere eller stört")
	if strings.Contains(html, "data-incident=") {
		t.Error("a view of the past follows the live stream")
	}
	_, _, html = page(t, env, viewer, "GET", "/registry", nil)
	mustContain(t, "registry", html, "nere</strong> i <a href=\"/incidents/"+id+"/continuity\">IT-avbrott</a>")
}

// In English: the same impact with English words, no Swedish heading, the
// drawing's words too.
func TestWhatIfPageInEnglish(t *testing.T) {
	t.Parallel()
	env, _ := kronoberg(t)
	viewer := env.Token(auth.Viewer)
	get := func(path string) string {
		t.Helper()
		req, _ := http.NewRequest("GET", env.URL+path, nil)
		req.Header.Set("Authorization", "Bearer "+viewer)
		req.AddCookie(&http.Cookie{Name: "lang", Value: "en"})
		code, _, body := send(t, req)
		if code != 200 {
			t.Fatalf("%s: %d", path, code)
		}
		return body
	}
	html := get("/registry/whatif?down=dns")
	mustContain(t, "what-if in English", html, "Avdelning 1</strong> <span class=\"meta\">down</span><br><span class=\"ct-path\">→ uses Läkemedelsordination → runs on Cosmic → needs DNS <strong class=\"ct-down\">[down]</strong>",
		"✗ Faxa remisser: will not work</strong> – broken by DNS", "Backup routines needed")
	for _, sv := range []string{"Reservrutiner", "Konsekvenser", "fungerar", "behöver", "nere"} {
		if strings.Contains(html, sv) {
			t.Errorf("Swedish %q on the English page", sv)
		}
	}
	svg := get("/registry/whatif.svg?down=dns")
	if !strings.Contains(svg, "WILL NOT WORK") || strings.Contains(svg, "FUNGERAR INTE") {
		t.Errorf("the drawing is not in English: %.400s", svg)
	}
}

// Every page for every role: reading takes auth.ReadIncidents, keeping the
// registry auth.ManageRegistry, recording a status auth.WriteIncidents; a
// refused write changes nothing; without a login a page sends to the login.
func TestPagesAccess(t *testing.T) {
	t.Parallel()
	env, _ := kronoberg(t)
	id := openIncident(t, env, env.Token(auth.Staff))
	inc := "/incidents/" + id + "/continuity"
	gets := []string{"/registry", "/registry?kind=system", "/registry/components/cosmic", "/registry/import", "/registry/whatif",
		"/registry/whatif?down=dns", "/registry/whatif.svg?down=dns", "/registry/continuity.css", inc, inc + ".svg"}
	posts := []struct {
		path   string
		action auth.Action
		form   url.Values
	}{
		{"/registry/components", auth.ManageRegistry, url.Values{"id": {"x1"}, "name": {"X"}, "kind": {"system"}}},
		{"/registry/components/cosmic", auth.ManageRegistry, url.Values{"name": {"Cosmic 2"}, "kind": {"system"}}},
		{"/registry/components/cosmic/dependencies", auth.ManageRegistry, url.Values{"to": {"network"}, "type": {"needs"}}},
		{"/registry/components/cosmic/routines", auth.ManageRegistry, url.Values{"rid": {"r1"}, "title": {"R"}, "steps": {"Ett"}}},
		{"/registry/import", auth.ManageRegistry, url.Values{"components": {"id,kind,name\nx2,system,X2"}}},
		{inc, auth.WriteIncidents, url.Values{"component": {"pacs"}, "status": {"degraded"}}},
	}
	for _, role := range auth.Roles {
		token := env.Token(role)
		for _, path := range gets {
			want := 200
			if !auth.Can(role, auth.ReadIncidents) {
				want = 403
			}
			if code, _, _ := page(t, env, token, "GET", path, nil); code != want {
				t.Errorf("%s GET %s: %d, want %d", role, path, code, want)
			}
		}
		for _, p := range posts {
			seq := env.Svc.Seq()
			code, _, _ := page(t, env, token, "POST", p.path, p.form)
			switch {
			case !auth.Can(role, p.action) && (code != 403 || env.Svc.Seq() != seq):
				t.Errorf("%s POST %s: %d (seq %d → %d), want 403 and nothing written", role, p.path, code, seq, env.Svc.Seq())
			case auth.Can(role, p.action) && code != 303 && code != 200:
				t.Errorf("%s POST %s: %d, want it done", role, p.path, code)
			}
		}
	}
	req, _ := http.NewRequest("GET", env.URL+"/registry", nil)
	if code, loc, _ := send(t, req); code != 303 || !strings.HasPrefix(loc, "/login") {
		t.Errorf("without a login: %d %s", code, loc)
	}
}
