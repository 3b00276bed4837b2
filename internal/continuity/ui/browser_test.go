package continuityui_test

// A browser test of the continuity pages on a phone: a real headless
// Chromium (chromedp) against a real Fyr. The helpers are a minimal copy of
// internal/web/browser_test.go's (unexported there).
//
// CT_SHOTS=dir writes a screenshot of every page at 390 px into dir.

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"fyr/internal/auth"
	"fyr/internal/fyrtest"
)

const stepTimeout = 20 * time.Second

type tab struct {
	t    *testing.T
	name string
	ctx  context.Context
}

func startChromium(t *testing.T) context.Context {
	t.Helper()
	path := os.Getenv("FYR_CHROMIUM")
	if path == "" {
		for _, name := range []string{"chromium", "chromium-browser"} {
			if p, err := exec.LookPath(name); err == nil {
				path = p
				break
			}
		}
	}
	if path == "" {
		t.Fatal("chromium not found: install Debian's package (apt-get install -y chromium) or set FYR_CHROMIUM")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path), chromedp.Flag("headless", true),
		chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun, chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.WindowSize(390, 844))
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

// openTab opens a phone (390 × 844) in a browser context of its own.
func openTab(t *testing.T, browser context.Context, name string) *tab {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile)); err != nil {
		t.Fatalf("%s: open tab: %v", name, err)
	}
	return &tab{t: t, name: name, ctx: ctx}
}

func (b *tab) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		b.t.Fatalf("%s: %s: %v", b.name, what, err)
	}
}

func get[T any](b *tab, what string, a chromedp.Action[T]) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		b.t.Fatalf("%s: %s: %v", b.name, what, err)
	}
	return v
}

func eval[T any](b *tab, what, expr string) T {
	b.t.Helper()
	return get(b, what, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
}

func (b *tab) submit(what, button string) {
	b.t.Helper()
	get(b, what, chromedp.WaitEvent(cdppage.LoadEventFired, nil, chromedp.Click(chromedp.CSS(button), chromedp.NodeVisible)))
}

func (b *tab) login(base, username, back, ready string) {
	b.t.Helper()
	b.do("open the login page", chromedp.Navigate(base+"/login?back="+url.QueryEscape(back)),
		chromedp.SendKeys(chromedp.ID("username"), username), chromedp.SendKeys(chromedp.ID("password"), fyrtest.Password))
	b.submit("log in as "+username, `form[action="/login"] button[type=submit]`)
	b.do("page after login", chromedp.WaitVisible(chromedp.CSS(ready)))
}

type violation struct {
	ID    string `json:"id"`
	Help  string `json:"help"`
	Nodes []struct {
		Target string `json:"target"`
		HTML   string `json:"html"`
	} `json:"nodes"`
}

// audit runs axe-core (vendored in internal/web/testdata) on the page with
// its <details> opened, and fails on every WCAG 2.1 AA violation.
func (b *tab) audit(name string) {
	b.t.Helper()
	if !eval[bool](b, "axe loaded?", "typeof axe !== 'undefined'") {
		axe, err := os.ReadFile(filepath.Join("..", "..", "web", "testdata", "axe.min.js"))
		if err != nil {
			b.t.Fatal(err)
		}
		eval[chromedp.Void](b, "inject axe", string(axe))
	}
	vs := eval[[]violation](b, "axe "+name, `(async () => {
  document.querySelectorAll("details").forEach(d => d.open = true);
  const r = await axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}});
  return r.violations.map(v => ({id: v.id, help: v.help, nodes: v.nodes.map(n => ({target: n.target.join(" "), html: n.html.slice(0, 200)}))}));
})()`)
	for _, v := range vs {
		var nodes strings.Builder
		for _, n := range v.Nodes {
			fmt.Fprintf(&nodes, "\n    %s: %s", n.Target, n.HTML)
		}
		b.t.Errorf("%s: axe %s: %s%s", name, v.ID, v.Help, nodes.String())
	}
}

// shot writes a full-page screenshot when CT_SHOTS names a folder.
func (b *tab) shot(name string) {
	b.t.Helper()
	dir := os.Getenv("CT_SHOTS")
	if dir == "" {
		return
	}
	png := get(b, "screenshot "+name, chromedp.FullScreenshot(100))
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

// On a phone: the staff record DNS down on the incident's continuity page;
// another phone that has the incident's page open and a third on the
// registry see the impact and the status arrive live, without reloading.
// Every page is axe-clean.
func TestBrowserContinuityLive(t *testing.T) {
	env, admin := kronoberg(t)
	staff := env.Token(auth.Staff)
	env.Do(admin, "POST", "/api/v1/registry/components", map[string]any{"id": "cambio", "kind": "supplier", "name": "Cambio",
		"contact_name": "Supporten", "contact_phone": "010-123 45 67", "criticality": "high", "max_outage": "4h"}, nil)
	id := openIncident(t, env, staff)
	path := "/incidents/" + id + "/continuity"
	browser := startChromium(t)

	watcher := openTab(t, browser, "watcher")
	watcher.login(env.URL, "staff", path, "#ct-impact-none")
	watcher.do("live", chromedp.WaitVisible(chromedp.CSS("#live-state:not(.off)")))
	board := openTab(t, browser, "registry")
	board.login(env.URL, "viewer", "/registry", "#c-dns")
	board.do("live", chromedp.WaitVisible(chromedp.CSS("#live-state:not(.off)")))
	board.shot("registry-before")
	board.audit("registry")

	recorder := openTab(t, browser, "recorder")
	recorder.login(env.URL, "staff", path, "#ct-record-form")
	recorder.shot("incident-empty")
	recorder.audit("incident page, empty")
	recorder.do("fill in the status", chromedp.SetValue(chromedp.ID("s-component"), "dns"),
		chromedp.Click(chromedp.ID("s-st-down")), chromedp.SendKeys(chromedp.ID("s-source"), "IT-jouren"))
	recorder.submit("record", "#ct-record-form button[type=submit]")
	saved := get(recorder, "confirmation", chromedp.Text(chromedp.ID("ct-saved")))
	if !strings.Contains(saved, "Registrerat: DNS är nere") {
		t.Errorf("confirmation: %q", saved)
	}
	recorder.shot("incident-recorded")
	recorder.audit("incident page, DNS down")

	watcher.do("the impact arrives live", chromedp.WaitVisible(chromedp.CSS("#ct-routines .ct-broken")))
	broken := get(watcher, "the broken routine", chromedp.Text(chromedp.CSS("#ct-routines .ct-broken")))
	if !strings.Contains(broken, "Faxa remisser: fungerar inte") || !strings.Contains(broken, "Faxa remisser → behöver Fax → behöver Internt nät → behöver DNS") {
		t.Errorf("broken routine: %q", broken)
	}
	if head := get(watcher, "the announced headline", chromedp.Text(chromedp.ID("ct-headline"))); !strings.Contains(head, "reservrutiner som inte fungerar: 1") {
		t.Errorf("the live region says %q", head)
	}
	loc := get(watcher, "still the same page", chromedp.Location())
	if !strings.HasSuffix(loc, path) {
		t.Errorf("the watcher's page moved to %s", loc)
	}
	board.do("the status arrives live", chromedp.WaitVisible(chromedp.CSS("#c-dns.ct-row-down")))
	board.shot("registry-live")

	// The drawing, scrolled sideways in its box at natural size.
	watcher.do("drawing", chromedp.WaitVisible(chromedp.CSS(".ct-graph img")))
	eval[chromedp.Void](watcher, "scroll to the drawing (it loads lazily)", `document.querySelector(".ct-graph img").scrollIntoView()`)
	get(watcher, "drawing loaded", chromedp.Poll[bool](`(() => { const i = document.querySelector(".ct-graph img"); return i.complete && i.naturalWidth > 0 })()`))
	wide := eval[bool](watcher, "scroll box", `(() => { const b = document.querySelector(".ct-graph"); return b.scrollWidth > b.clientWidth && document.documentElement.scrollWidth <= 390 })()`)
	if !wide {
		t.Error("the drawing is not in a box that scrolls sideways, or the page itself scrolls sideways")
	}
	watcher.shot("incident-live")

	viewer := openTab(t, browser, "planner")
	viewer.login(env.URL, "admin", "/registry/whatif?down=dns&down=pacs", "#ct-impact")
	viewer.shot("whatif")
	weight := eval[int](viewer, "page weight", `(async () => {
  const urls = [location.href];
  document.querySelectorAll("link[rel=stylesheet][href], script[src], img[src]").forEach(e => urls.push(e.href || e.src));
  let total = 0;
  for (const u of urls) total += (await (await fetch(u, {cache: "no-store", credentials: "same-origin"})).arrayBuffer()).byteLength;
  return total;
})()`)
	t.Logf("the what-if page weighs %d bytes with its drawing", weight)
	if weight > 100<<10 {
		t.Errorf("the what-if page weighs %d bytes, more than 100 KiB", weight)
	}
	// Printed: A4 landscape (842 × 595 points), the drawing included.
	pdf := get(viewer, "print to PDF", chromedp.PrintToPDF(chromedp.PDFPreferCSSPageSize()))
	if m := regexp.MustCompile(`/MediaBox\s*\[\s*0 0 (\d+)(?:\.\d+)? (\d+)`).FindSubmatch(pdf); m == nil {
		t.Error("the PDF has no MediaBox")
	} else if w, h := string(m[1]), string(m[2]); w < "841" || w > "842" || h < "594" || h > "596" {
		t.Errorf("the printed what-if is %s × %s points, want A4 landscape (842 × 595)", w, h)
	}
	viewer.audit("what-if")
	viewer.do("component", chromedp.Navigate(env.URL+"/registry/components/cosmic"), chromedp.WaitVisible(chromedp.ID("on")))
	viewer.shot("component")
	viewer.audit("component")
	viewer.do("import", chromedp.Navigate(env.URL+"/registry/import"), chromedp.WaitVisible(chromedp.ID("import-form")))
	viewer.audit("import")
	viewer.do("registry as admin", chromedp.Navigate(env.URL+"/registry"), chromedp.WaitVisible(chromedp.ID("ct-new")))
	viewer.shot("registry-admin")
	viewer.audit("registry as admin")
}
