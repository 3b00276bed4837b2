package continuityui_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"fyr/internal/app"
	"fyr/internal/auth"
	"fyr/internal/continuity"
	"fyr/internal/demo"
	"fyr/internal/demo/registry"
	"fyr/internal/fyrtest"
	"fyr/internal/incident"
	"fyr/internal/pages"
	"fyr/internal/store"
	"fyr/internal/web"
)

// With the demo's registry (about 100 components, 300 units) every
// continuity page weighs under the budget of 100 KiB: its HTML and the
// stylesheets and script it loads. The drawing is a document of its own
// (its own URL, loaded lazily where the page shows it, openable alone):
// it keeps under the budget by itself.
func TestDemoPagesWeigh(t *testing.T) {
	t.Parallel()
	svc, err := app.Open(context.Background(), app.Config{Dir: t.TempDir(), Log: store.NewMem(), Org: "exempel"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { svc.Close() })
	if err := demo.Seed(context.Background(), svc); err != nil {
		t.Fatal(err)
	}
	srv, err := web.New(svc, nil, pages.Modules(svc)...)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	env := &fyrtest.Env{T: t, Svc: svc, Web: srv, URL: hs.URL}
	var login struct{ Token string }
	if code := env.Do("", "POST", "/api/v1/login", map[string]string{"username": "admin", "password": demo.Password}, &login); code != 200 {
		t.Fatalf("login: %d", code)
	}
	// The demo's registry, as its seeding will import it.
	if _, err := svc.Continuity.ImportCSV(context.Background(), nil, registry.Components, registry.Dependencies); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Continuity.ImportRoutines(context.Background(), nil, registry.Routines); err != nil {
		t.Fatal(err)
	}
	// As on 21 Sep 2018: both DNS servers down, recorded in today's open incident.
	p := auth.Principal{Username: "admin", Role: auth.Admin}
	incs, err := svc.Incidents.List(p)
	if err != nil {
		t.Fatal(err)
	}
	var open incident.ID
	for _, inc := range incs {
		if !inc.Closed {
			open = inc.ID
		}
	}
	for _, id := range []string{"dns-1", "dns-2"} {
		if _, err := svc.Continuity.RecordStatus(context.Background(), p, continuity.RecordStatus{Incident: open, Component: id, Status: continuity.Down}); err != nil {
			t.Fatal(err)
		}
	}
	cs, _ := svc.Continuity.Components(p)
	size := func(path string) int {
		code, _, body := page(t, env, login.Token, "GET", path, nil)
		if code != http.StatusOK {
			t.Fatalf("%s: %d", path, code)
		}
		return len(body)
	}
	shell := size("/static/fyr.css") + size("/static/fyr.js") + size("/registry/continuity.css")
	for _, c := range []struct{ page, svg string }{
		{"/registry", ""},
		{"/registry/components/dns-1", ""},
		{"/registry/whatif", ""},
		{"/registry/whatif?down=dns-1,dns-2", "/registry/whatif.svg?down=dns-1,dns-2"},
		{"/incidents/" + string(open) + "/continuity", "/incidents/" + string(open) + "/continuity.svg"},
	} {
		html, svg := size(c.page), 0
		if c.svg != "" {
			svg = size(c.svg)
		}
		total := shell + html
		t.Logf("%s weighs %d bytes: HTML %d, CSS and JS %d; drawing %d (%d components)", c.page, total, html, shell, svg, len(cs))
		if total > 100<<10 {
			t.Errorf("%s weighs %d bytes, more than 100 KiB", c.page, total)
		}
		if svg > 100<<10 {
			t.Errorf("%s weighs %d bytes, more than 100 KiB", c.svg, svg)
		}
	}
}
