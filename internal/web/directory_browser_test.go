package web_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"fyr/internal/demo"
	"fyr/internal/directory"
	"fyr/internal/fyrtest"
)

// seedDemoDirectory imports the demo's 300 units and 1,500 people.
func seedDemoDirectory(t *testing.T, env *fyrtest.Env) {
	t.Helper()
	var imp directory.Import
	for i, u := range demo.Units {
		imp.Units = append(imp.Units, directory.UnitRow{Line: i + 2, Unit: u})
	}
	for i, p := range demo.People {
		imp.People = append(imp.People, directory.PersonRow{Line: i + 2, Person: p})
	}
	ctx := context.Background()
	if _, err := env.Svc.Directory.ImportDirectory(ctx, nil, imp); err != nil {
		t.Fatal(err)
	}
	u, _ := env.Svc.P.Units.Unit("cs-iva")
	if _, err := env.Svc.Directory.SetOnDuty(ctx, nil, directory.SetOnDuty{Unit: "cs-iva", Person: u.Deputies[0],
		From: time.Now().Add(-time.Hour), To: time.Now().Add(11 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
}

// The directory with the demo's 300 units and 1,500 people stays usable on
// a phone: no sideways scrolling, no axe violations, every page within the
// weight budget, including the largest hospital, search results, a form
// error and the import's list of bad rows.
func TestBrowserDirectory(t *testing.T) {
	t.Parallel()
	env := fyrtest.Start(t)
	seedDemoDirectory(t, env)
	browser := startBrowser(t)
	b := newTab(t, browser, "phone")
	const width, height = 390, 844
	b.do("phone viewport", chromedp.EmulateViewport(width, height, chromedp.EmulateMobile, chromedp.EmulateTouch))
	b.login(env.URL, "admin", "/directory", ".tree")
	check := func(name string, weigh bool) {
		t.Helper()
		r := cdpEval[struct {
			ScrollWidth int      `json:"scrollWidth"`
			InnerWidth  int      `json:"innerWidth"`
			Wide        []string `json:"wide"`
		}](b, "measure "+name, overflowJS)
		if r.ScrollWidth > r.InnerWidth || r.ScrollWidth > width {
			t.Errorf("%s on a %d px phone scrolls sideways: scrollWidth %d; too wide: %s", name, width, r.ScrollWidth, strings.Join(r.Wide, ", "))
		}
		if weigh { // (the weight test fetches the page again, with GET)
			checkWeight(t, b, name)
		}
		axeAudit(t, b, name)
		shot(t, b, "directory-"+strings.ReplaceAll(name, " ", "-"))
	}
	for _, p := range []struct{ name, path, ready string }{
		{"directory overview", "/directory", ".tree"},
		{"the largest hospital", "/directory?unit=cs", ".ucard"},
		{"the region", "/directory?unit=region", ".ucard"},
		{"a ward with an on-duty shift", "/directory?unit=cs-iva", ".role-on_duty"},
		{"search", "/directory?q=andersson", ".people"},
		{"a search for one letter", "/directory?q=a", ".people"},
		{"import page", "/directory/import", "#i-units"},
	} {
		b.do(p.name, chromedp.Navigate(env.URL+p.path), chromedp.WaitVisible(chromedp.CSS(p.ready)))
		check(p.name, true)
		if n := b.count(".ucard"); p.path == "/directory?unit=cs" && n < 40 {
			t.Errorf("the hospital page shows %d units below it", n)
		}
	}

	// A bad upload lists its rows.
	bad := filepath.Join(t.TempDir(), "enheter.csv")
	os.WriteFile(bad, []byte("id;name;type;parent;phone;email;primary;deputies\nx1;X;ward;nowhere;070-12;x@;p9;\n"), 0o600)
	b.do("choose a file", chromedp.SetUploadFiles(chromedp.ID("i-units"), []string{bad}))
	b.submit("import a bad file", `form[action="/directory/import"] button[type=submit]`)
	b.do("import errors", chromedp.WaitVisible(chromedp.ID("import-error")))
	if n := b.count("table.problems tbody tr"); n != 4 {
		t.Errorf("the bad file's problems: %d rows, want 4", n)
	}
	check("import errors", false)

	// A form error on a unit page.
	b.do("unit page", chromedp.Navigate(env.URL+"/directory?unit=cs-iva"), chromedp.WaitVisible(chromedp.CSS("#reach-h")))
	b.do("open the contacts form", chromedp.Click(chromedp.CSS("#contacts summary"), chromedp.NodeVisible),
		chromedp.SetValue(chromedp.ID("c-phone"), "070-12"))
	b.submit("save a bad phone number", `form[action="/directory/units/cs-iva/contacts"] button[type=submit]`)
	b.do("contacts error", chromedp.WaitVisible(chromedp.ID("contacts-error")))
	check("unit page with a form error", false)
}
