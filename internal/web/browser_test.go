package web_test

// Browser tests: a real headless Chromium (Debian's chromium, driven with
// chromedp) against a real Fyr (fyrtest.Start). They check the live updates
// between two people, the phone layout, accessibility with axe-core and the
// weight of each page.
//
// FYR_SCREENSHOT=path writes a screenshot of the incident page (for the
// README, docs/incident-page.png) while TestBrowserAccessibility runs:
//
//	FYR_SCREENSHOT=$PWD/docs/incident-page.png go test -run BrowserAccessibility ./internal/web/ FYR_CHROMIUM=path names another
// browser binary.

import (
	"context"
	_ "embed"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"fyr/internal/auth"
	"fyr/internal/fyrtest"
	"fyr/internal/incident"
)

// axeSource is axe-core (MPL-2.0, see testdata/axe-core.LICENSE), vendored so
// that the test needs no network.
//
//go:embed testdata/axe.min.js
var axeSource string

// browserStepTimeout bounds every browser step; a step only takes this long when it
// fails.
const browserStepTimeout = 20 * time.Second

// pageBudget is the most a page may weigh: HTML, CSS and JS together.
const pageBudget = 100 * 1024

// chromiumPath finds the browser. A missing browser fails the test: CI
// installs it, and a silent skip would hide the UI from the tests.
func chromiumPath(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("FYR_CHROMIUM"); p != "" {
		if _, err := exec.LookPath(p); err != nil {
			t.Fatalf("FYR_CHROMIUM=%s: no browser there: %v", p, err)
		}
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "/usr/bin/chromium"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Fatal("chromium not found: the browser tests need a headless Chromium; install Debian's package " +
		"(apt-get install -y chromium) or set FYR_CHROMIUM to the browser binary")
	return ""
}

// chromium is the one headless Chromium of this test binary. Starting a
// browser costs seconds; a browser context in a running one (newTab: its own
// cookies, storage and cache, like an incognito window) costs milliseconds.
// The first browser test starts it; TestMain stops it.
var chromium struct {
	once sync.Once
	ctx  context.Context // the browser's first tab; newTab opens the others
	stop func()
	err  error
}

// startBrowser returns the context of the shared Chromium, on which newTab
// opens a tab in a browser context of its own.
func startBrowser(t *testing.T) context.Context {
	t.Helper()
	path := chromiumPath(t)
	chromium.once.Do(func() {
		opts := append(chromedp.DefaultExecAllocatorOptions[:],
			chromedp.ExecPath(path),
			chromedp.Flag("headless", true),
			chromedp.NoSandbox,
			chromedp.DisableGPU,
			chromedp.NoFirstRun,
			// The machine has no outside network: without these Chromium keeps
			// trying to reach Google's services.
			chromedp.Flag("disable-quic", true),
			chromedp.Flag("disable-background-networking", true),
			chromedp.Flag("disable-component-update", true),
			chromedp.Flag("disable-sync", true),
			chromedp.WindowSize(1280, 900),
		) // no UserDataDir: the allocator makes a temporary one and removes it
		allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
		ctx, cancel := chromedp.NewContext(allocCtx)
		chromium.ctx = ctx
		chromium.stop = func() {
			cancel()
			cancelAlloc()
		}
		// The first run starts the browser; it must have no time limit, as the
		// limit would end the browser.
		chromium.err = chromedp.Do(ctx)
	})
	if chromium.err != nil {
		t.Fatalf("start chromium: %v", chromium.err)
	}
	return chromium.ctx
}

// TestMain stops the shared Chromium after the last test.
func TestMain(m *testing.M) {
	code := m.Run()
	if chromium.stop != nil {
		chromium.stop()
	}
	os.Exit(code)
}

// browserTab is one person's browser: a tab in a browser context of its own, so its
// cookies are its own. It records the page's uncaught JavaScript exceptions.
type browserTab struct {
	t    *testing.T
	name string
	ctx  context.Context
	mu   sync.Mutex
	errs []string
}

func newTab(t *testing.T, browser context.Context, name string) *browserTab {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("%s: open tab: %v", name, err)
	}
	b := &browserTab{t: t, name: name, ctx: ctx}
	if err := chromedp.Listen(ctx, func(ev any) {
		if ev, ok := ev.(*runtime.EventExceptionThrown); ok {
			msg := ev.ExceptionDetails.Text
			if ev.ExceptionDetails.Exception != nil {
				msg += " " + ev.ExceptionDetails.Exception.Description
			}
			b.mu.Lock()
			b.errs = append(b.errs, fmt.Sprintf("%s:%d: %s", ev.ExceptionDetails.URL, ev.ExceptionDetails.LineNumber, msg))
			b.mu.Unlock()
		}
	}); err != nil {
		t.Fatalf("%s: listen: %v", name, err)
	}
	t.Cleanup(func() {
		b.mu.Lock()
		defer b.mu.Unlock()
		for _, e := range b.errs {
			t.Errorf("%s: JavaScript exception: %s", name, e)
		}
	})
	return b
}

// do runs steps with a time limit and fails the test on error.
func (b *browserTab) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, browserStepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		b.t.Fatalf("%s: %s: %v", b.name, what, err)
	}
}

// cdpRun runs one action with a time limit and returns its value.
func cdpRun[T any](b *browserTab, what string, a chromedp.Action[T]) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, browserStepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		b.t.Fatalf("%s: %s: %v", b.name, what, err)
	}
	return v
}

// cdpEval evaluates a JavaScript expression (awaiting a promise) into T.
func cdpEval[T any](b *browserTab, what, expr string) T {
	b.t.Helper()
	return cdpRun(b, what, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
}

// submit clicks a submit button and waits for the page that answers.
func (b *browserTab) submit(what, button string) {
	b.t.Helper()
	cdpRun(b, what, chromedp.WaitEvent(page.LoadEventFired, nil,
		chromedp.Click(chromedp.CSS(button), chromedp.NodeVisible)))
}

// login logs in through the form and lands on back once ready is visible.
func (b *browserTab) login(base, username, back, ready string) {
	b.t.Helper()
	b.do("open the login page",
		chromedp.Navigate(base+"/login?back="+url.QueryEscape(back)),
		chromedp.SendKeys(chromedp.ID("username"), username),
		chromedp.SendKeys(chromedp.ID("password"), fyrtest.Password))
	b.submit("log in as "+username, `form[action="/login"] button[type=submit]`)
	b.do("page after login", chromedp.WaitVisible(chromedp.CSS(ready)))
}

// count is the number of elements that match a CSS selector.
func (b *browserTab) count(sel string) int {
	b.t.Helper()
	return cdpEval[int](b, "count "+sel, fmt.Sprintf("document.querySelectorAll(%q).length", sel))
}

// liveGate is a reverse proxy in front of Fyr that can cut a browser's
// connections and hold its reconnecting EventSource until told to let go:
// a deterministic stand-in for a dropped mobile link.
type liveGate struct {
	srv   *httptest.Server
	proxy *httputil.ReverseProxy
	mu    sync.Mutex
	hold  chan struct{} // closed to let held /live requests through; nil: none held
	live  chan string   // the Last-Event-ID of each /live request as it arrives
}

func newLiveGate(t *testing.T, target string) *liveGate {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	g := &liveGate{proxy: httputil.NewSingleHostReverseProxy(u), live: make(chan string, 64)}
	g.proxy.FlushInterval = -1
	g.proxy.ErrorLog = nil
	g.proxy.ErrorHandler = func(w http.ResponseWriter, r *http.Request, err error) {
		if r.Context().Err() == nil {
			w.WriteHeader(http.StatusBadGateway)
		}
	}
	g.srv = httptest.NewServer(http.HandlerFunc(g.serve))
	t.Cleanup(func() {
		g.release()
		g.srv.CloseClientConnections()
		g.srv.Close()
	})
	return g
}

func (g *liveGate) serve(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/live" {
		select {
		case g.live <- r.Header.Get("Last-Event-ID"):
		default:
		}
		g.mu.Lock()
		hold := g.hold
		g.mu.Unlock()
		if hold != nil {
			select {
			case <-hold:
			case <-r.Context().Done():
				return
			}
		}
	}
	g.proxy.ServeHTTP(w, r)
}

// cut holds new /live requests and drops every open connection.
func (g *liveGate) cut() {
	g.mu.Lock()
	g.hold = make(chan struct{})
	g.mu.Unlock()
	g.srv.CloseClientConnections()
}

// release lets held /live requests through.
func (g *liveGate) release() {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.hold != nil {
		close(g.hold)
		g.hold = nil
	}
}

// nextLive waits for the next /live request and returns its Last-Event-ID.
func (g *liveGate) nextLive(t *testing.T) string {
	t.Helper()
	select {
	case id := <-g.live:
		return id
	case <-time.After(browserStepTimeout):
		t.Fatal("no /live request reached the server")
		return ""
	}
}

func TestBrowserIncidentLive(t *testing.T) {
	t.Parallel()
	env := fyrtest.Start(t)
	gate := newLiveGate(t, env.URL)
	browser := startBrowser(t)
	a := newTab(t, browser, "browser A (staff)")
	b := newTab(t, browser, "browser B (viewer)")

	// A logs in and opens an incident at staff level from the list page.
	a.login(env.URL, "staff", "/", "#o-title")
	const title = "Storbrand i Hamnen"
	a.do("fill in the open form",
		chromedp.SendKeys(chromedp.ID("o-title"), title),
		chromedp.SendKeys(chromedp.ID("o-desc"), "Rökutveckling, flera skadade."),
		chromedp.SetValue(chromedp.ID("o-level"), "staff"),
		chromedp.SendKeys(chromedp.ID("o-decided"), "TiB Anna Berg"),
		chromedp.SendKeys(chromedp.ID("o-reason"), "Larm från SOS Alarm"))
	a.submit("open the incident", `form[action="/incidents"] button[type=submit]`)
	a.do("incident page", chromedp.WaitVisible(chromedp.CSS("#levels-box li.lvl-staff")))
	loc := cdpRun(a, "location", chromedp.Location())
	u, err := url.Parse(loc)
	if err != nil || !strings.HasPrefix(u.Path, "/incidents/") {
		t.Fatalf("after opening, A is at %q", loc)
	}
	incPath := u.Path
	if got := a.count("#banner p.banner.lvl-staff"); got != 1 {
		t.Fatalf("A: %d staff-level banners after opening, want 1", got)
	}

	// B (a viewer, through the gate) is on the same incident page before the change.
	b.login(gate.srv.URL, "viewer", incPath, "#levels-box li.lvl-staff")
	if id := gate.nextLive(t); id != "" {
		t.Fatalf("B's first /live request carries Last-Event-ID %q", id)
	}
	if n := b.count("#level-form"); n != 0 {
		t.Fatalf("the viewer sees the level form")
	}
	// A marker that a reload would lose.
	cdpEval[chromedp.Void](b, "mark the page", "window.fyrNoReload = true")

	// A raises the region to förstärkningsläge.
	a.do("fill in the level form",
		chromedp.Click(chromedp.CSS("details:has(#level-form) > summary"), chromedp.NodeVisible),
		chromedp.WaitVisible(chromedp.ID("l-level")),
		chromedp.SetValue(chromedp.ID("l-scope"), "region"),
		chromedp.SetValue(chromedp.ID("l-level"), "reinforcement"),
		chromedp.SendKeys(chromedp.ID("l-decided"), "Chefläkare Erik Lund"),
		chromedp.SendKeys(chromedp.ID("l-reason"), "Många skadade, behov av förstärkning"))
	a.submit("raise the level", "#level-form button[type=submit]")
	a.do("A sees the new level", chromedp.WaitVisible(chromedp.CSS("#levels-box li.lvl-reinforcement")))

	// B sees the banner and the levels box change without a reload.
	b.do("B sees the live level change",
		chromedp.WaitVisible(chromedp.CSS("#banner p.banner.lvl-reinforcement")),
		chromedp.WaitVisible(chromedp.CSS("#levels-box li.lvl-reinforcement")))
	if n := b.count("#banner p.banner"); n != 1 {
		t.Errorf("B: %d banners, want 1", n)
	}
	if n := b.count("#levels-box li"); n != 1 {
		t.Errorf("B: %d rows in the levels box, want 1 (the region)", n)
	}
	if !cdpEval[bool](b, "marker", "window.fyrNoReload === true") {
		t.Fatal("B reloaded the page to show the level change")
	}

	// A writes a journal entry; B sees it appear.
	const text1 = "Ambulanssjukvården: 12 skadade till Testsjukhuset, första ankomst 14:20."
	entry1 := a.record(text1)
	b.do("B sees the entry live", chromedp.WaitVisible(chromedp.ID("e-"+entry1)))
	if got := cdpRun(b, "entry text", chromedp.Text(chromedp.ID("e-"+entry1))); !strings.Contains(got, text1) {
		t.Errorf("B's live entry reads %q, want it to contain %q", got, text1)
	}

	// B's link drops; while it is down A writes another entry. B's
	// EventSource reconnects with Last-Event-ID and gets what it missed,
	// nothing twice.
	gate.cut()
	lastID := gate.nextLive(t) // B's reconnect, held at the gate
	if lastID == "" {
		t.Fatal("B reconnected without Last-Event-ID")
	}
	b.do("B shows that the link is down", chromedp.WaitReady(chromedp.CSS("#live-state.off")))
	if s := cdpRun(b, "live state", chromedp.Text(chromedp.ID("live-state"))); !strings.Contains(s, "återansluter") {
		t.Errorf("B's live marker reads %q while the link is down, want it to say so in words", s)
	}
	const text2 = "Beslut: Testsjukhuset öppnar katastrofförråd 2."
	entry2 := a.record(text2)
	gate.release()
	b.do("B gets the missed entry after reconnecting",
		chromedp.WaitVisible(chromedp.ID("e-"+entry2)),
		chromedp.WaitReady(chromedp.CSS("#live-state:not(.off)")))
	for _, id := range []string{entry1, entry2} {
		if n := b.count("#journal-list li#e-" + id); n != 1 {
			t.Errorf("B shows entry %s %d times after reconnecting, want 1", id, n)
		}
	}
	if n, want := b.count("#journal-list > li"), a.count("#journal-list > li"); n != want {
		t.Errorf("B shows %d journal entries, A %d", n, want)
	}
	if n := b.count("#banner p.banner"); n != 1 {
		t.Errorf("B: %d banners after reconnecting, want 1", n)
	}
	if !cdpEval[bool](b, "marker", "window.fyrNoReload === true") {
		t.Fatal("B reloaded the page")
	}

	// B leaves and comes back: the page and the live entries agree.
	b.do("B navigates away", chromedp.Navigate(gate.srv.URL+"/"), chromedp.WaitVisible(chromedp.CSS("table.list")))
	b.do("B comes back", chromedp.Navigate(gate.srv.URL+incPath), chromedp.WaitVisible(chromedp.ID("e-"+entry2)))
	const text3 = "Lägesbild skickad till samtliga sjukhus."
	entry3 := a.record(text3)
	b.do("B sees the third entry", chromedp.WaitVisible(chromedp.ID("e-"+entry3)))
	for _, id := range []string{entry1, entry2, entry3} {
		if n := b.count("#journal-list li#e-" + id); n != 1 {
			t.Errorf("B shows entry %s %d times after coming back, want 1", id, n)
		}
	}

	// The print view: an A4 timeline with the entries.
	a.do("print view", chromedp.Navigate(env.URL+incPath+"/print"), chromedp.WaitVisible(chromedp.CSS("table.journal-print")))
	printed := cdpRun(a, "print text", chromedp.Text(chromedp.CSS("main")))
	for _, want := range []string{title, text1, text2, text3} {
		if !strings.Contains(printed, want) {
			t.Errorf("the print view lacks %q", want)
		}
	}
	if i1, i3 := strings.Index(printed, text1), strings.Index(printed, text3); i1 > i3 {
		t.Error("the print view is not in time order")
	}
	pdf := cdpRun(a, "print to PDF", chromedp.PrintToPDF(chromedp.PDFPreferCSSPageSize()))
	if !strings.HasPrefix(string(pdf), "%PDF-") || len(pdf) < 1000 {
		t.Fatalf("PrintToPDF gave %d bytes starting %q", len(pdf), pdf[:min(len(pdf), 8)])
	}
	// A4 is 595 × 842 points.
	if m := regexp.MustCompile(`/MediaBox\s*\[\s*0 0 (\d+)(?:\.\d+)? (\d+)`).FindSubmatch(pdf); m == nil {
		t.Error("the PDF has no MediaBox")
	} else if w, _ := strconv.Atoi(string(m[1])); w < 594 || w > 596 {
		t.Errorf("the PDF page is %s × %s points, want A4 (595 × 842)", m[1], m[2])
	} else if h, _ := strconv.Atoi(string(m[2])); h < 841 || h > 842 {
		t.Errorf("the PDF page is %s × %s points, want A4 (595 × 842)", m[1], m[2])
	}
}

// record writes a journal entry through the form and returns its id.
func (b *browserTab) record(text string) string {
	b.t.Helper()
	b.do("fill in the journal form",
		chromedp.WaitVisible(chromedp.ID("r-text")),
		chromedp.SetValue(chromedp.ID("r-kind"), "info_in"),
		chromedp.SendKeys(chromedp.ID("r-text"), text))
	b.submit("save the entry", "#record-form button[type=submit]")
	id := cdpEval[string](b, "find the entry", fmt.Sprintf(
		`(Array.from(document.querySelectorAll("#journal-list > li")).find(li => li.textContent.includes(%q)) || {id: ""}).id`, text))
	if !strings.HasPrefix(id, "e-") {
		b.t.Fatalf("%s: the entry %q is not in the journal after saving", b.name, text)
	}
	return strings.TrimPrefix(id, "e-")
}

// saveScreenshot saves the incident page as the README shows it.
func saveScreenshot(t *testing.T, b *browserTab, pageURL, path string) {
	t.Helper()
	b.do("incident page for the screenshot",
		chromedp.EmulateViewport(1100, 1000),
		chromedp.Navigate(pageURL),
		chromedp.WaitVisible(chromedp.CSS("#journal-list li")),
		chromedp.Evaluate[chromedp.Void](`document.getElementById("record").open = false`))
	png := cdpRun(b, "screenshot", chromedp.CaptureScreenshot())
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	b.do("reset the viewport", chromedp.EmulateReset())
	t.Logf("wrote %s (%d bytes)", path, len(png))
}

// seedBrowserIncidents fills Fyr with what the pages must show: two incidents (one
// an exercise at disaster level), a hospital scope, and journal entries of
// every kind, late, unverified and corrected.
func seedBrowserIncidents(t *testing.T, env *fyrtest.Env) incident.ID {
	t.Helper()
	ctx := context.Background()
	p := env.Principal(auth.Staff)
	inc, err := env.Svc.Incidents.OpenIncident(ctx, p, incident.Open{Title: "Storbrand i Hamnen", Description: "Rökutveckling, flera skadade.",
		Scope: "region", Level: incident.Staff, Reason: "Larm från SOS Alarm", DecidedBy: "TiB Anna Berg", Function: "TiB"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.Svc.Incidents.ChangeLevel(ctx, p, incident.ChangeLevel{Incident: inc.ID, Scope: fyrtest.Hospital,
		Level: incident.Reinforcement, Reason: "Masstillströmning", DecidedBy: "Chefläkare Erik Lund"}); err != nil {
		t.Fatal(err)
	}
	rec := func(r incident.Record) string {
		t.Helper()
		r.Incident = inc.ID
		e, err := env.Svc.Incidents.Record(ctx, p, r)
		if err != nil {
			t.Fatal(err)
		}
		return e.ID
	}
	first := rec(incident.Record{Kind: incident.InfoIn, Text: "12 skadade på väg till Testsjukhuset.\nFörsta ankomst 14:20.",
		Source: "SOS Alarm", Channel: "Rakel", From: "Ambulansdirigent", To: "TiB", Verified: true})
	rec(incident.Record{Kind: incident.InfoIn, Text: "Rättelse: 14 skadade, inte 12.", Corrects: first, Verified: true})
	rec(incident.Record{Kind: incident.Decision, Text: "Testsjukhuset öppnar katastrofförråd 2.", Verified: true,
		Decision: &incident.DecisionInfo{DecisionMaker: "Chefläkare Erik Lund", Mandate: "Delegation RSSL",
			Rationale: "Förbrukningen överstiger förrådet", ValidUntil: time.Now().Add(6 * time.Hour), Inform: []string{"Förrådschef", "Akutmottagningen"}}})
	rec(incident.Record{Kind: incident.Task, Text: "Ta fram lägesbild över intensivvårdsplatser.", Verified: true,
		Task: &incident.TaskInfo{Owner: "Intensivvårdssamordnare", Deadline: time.Now().Add(2 * time.Hour), Status: incident.TaskOpen}})
	rec(incident.Record{Kind: incident.InfoOut, Text: "Obekräftat: rökutveckling når bostadsområde. Källa https://example.invalid/en/mycket/lang/adress/utan/mellanslag/som/inte/far/spranga/layouten/pa/en/telefon",
		OccurredAt: time.Now().Add(-time.Hour), Verified: false})
	rec(incident.Record{Kind: incident.Coordination, Text: "Samverkanskonferens med kommunen kl 15.", Verified: true})
	rec(incident.Record{Kind: incident.Report, Text: "Rapport till Socialstyrelsen skickad.", Verified: true})

	if _, err := env.Svc.Incidents.OpenIncident(ctx, p, incident.Open{Title: "Övning Stella", Scope: "region",
		Level: incident.Disaster, Exercise: true, Reason: "Övning", DecidedBy: "TiB"}); err != nil {
		t.Fatal(err)
	}
	return inc.ID
}

// axeViolation is what the test reports of each axe-core violation.
type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target  string `json:"target"`
		HTML    string `json:"html"`
		Summary string `json:"summary"`
	} `json:"nodes"`
}

// axeRunJS runs axe-core on the page with every <details> opened and every
// hidden fieldset shown, so that the forms are checked too.
const axeRunJS = `(async () => {
  document.querySelectorAll("details").forEach(d => d.open = true);
  document.querySelectorAll("fieldset[hidden]").forEach(f => f.hidden = false);
  const r = await axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}});
  return r.violations.map(v => ({id: v.id, impact: v.impact || "", help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.join(" "), html: n.html.slice(0, 200), summary: n.failureSummary || ""}))}));
})()`

// axeCheck runs axe-core on the page that b shows.
func axeCheck(b *browserTab, name string) []axeViolation {
	b.t.Helper()
	if !cdpEval[bool](b, "axe loaded", "typeof axe !== 'undefined'") {
		cdpEval[chromedp.Void](b, "inject axe-core", axeSource)
	}
	return cdpEval[[]axeViolation](b, "axe.run on "+name, axeRunJS)
}

// axeSelfTest makes sure that axe-core runs and finds what it must: a page
// that passes because the checker is broken proves nothing.
func axeSelfTest(t *testing.T, b *browserTab) {
	t.Helper()
	b.do("a page with known faults", chromedp.Navigate(`data:text/html,<!doctype html><title>x</title><main><input id="i"><p style="color:%23bbb">low contrast</p></main>`))
	got := map[string]bool{}
	for _, v := range axeCheck(b, "self-test") {
		got[v.ID] = true
	}
	for _, want := range []string{"html-has-lang", "label", "color-contrast"} {
		if !got[want] {
			t.Fatalf("axe-core self-test: no %q violation on a page that has one (found %v)", want, got)
		}
	}
}

// axeAudit checks the page that b shows with axe-core and fails the test with
// every violation.
func axeAudit(t *testing.T, b *browserTab, name string) {
	t.Helper()
	for _, v := range axeCheck(b, name) {
		var nodes strings.Builder
		for _, n := range v.Nodes {
			fmt.Fprintf(&nodes, "\n      %s: %s\n        %s", n.Target, n.HTML, strings.ReplaceAll(n.Summary, "\n", "\n        "))
		}
		t.Errorf("%s: axe %s (%s): %s%s", name, v.ID, v.Impact, v.Help, nodes.String())
	}
}

// pageWeightJS is what the page weighs: its HTML and every stylesheet, script
// and image it loads, fetched again without the cache.
const pageWeightJS = `(async () => {
  const urls = [location.href];
  document.querySelectorAll("link[rel=stylesheet][href], script[src], img[src], link[rel~=icon][href]").forEach(e => urls.push(e.href || e.src));
  let total = 0;
  const parts = [];
  for (const u of urls) {
    const r = await fetch(u, {cache: "no-store", credentials: "same-origin"});
    const n = (await r.arrayBuffer()).byteLength;
    parts.push(new URL(u).pathname + "=" + n);
    total += n;
  }
  return {total, parts: parts.join(" ")};
})()`

// checkWeight checks that the page b shows stays within the budget.
func checkWeight(t *testing.T, b *browserTab, name string) {
	t.Helper()
	w := cdpEval[struct {
		Total int    `json:"total"`
		Parts string `json:"parts"`
	}](b, "weigh "+name, pageWeightJS)
	t.Logf("%s weighs %d bytes (%s)", name, w.Total, w.Parts)
	if w.Total > pageBudget {
		t.Errorf("%s weighs %d bytes (%s), more than %d", name, w.Total, w.Parts, pageBudget)
	}
}

func TestBrowserAccessibility(t *testing.T) {
	t.Parallel()
	env := fyrtest.Start(t)
	id := seedBrowserIncidents(t, env)
	browser := startBrowser(t)
	b := newTab(t, browser, "browser")
	incPath := "/incidents/" + string(id)
	axeSelfTest(t, b)

	b.do("login page", chromedp.Navigate(env.URL+"/login"), chromedp.WaitVisible(chromedp.ID("username")))
	checkWeight(t, b, "login page")
	axeAudit(t, b, "login page")

	b.do("wrong password",
		chromedp.SendKeys(chromedp.ID("username"), "staff"),
		chromedp.SendKeys(chromedp.ID("password"), "wrong-password"))
	b.submit("log in with a wrong password", `form[action="/login"] button[type=submit]`)
	b.do("login error", chromedp.WaitVisible(chromedp.ID("login-error")))
	axeAudit(t, b, "login page with an error")

	b.login(env.URL, "staff", "/", "#o-title")
	checkWeight(t, b, "incident list")
	axeAudit(t, b, "incident list")

	// The open form answered with an error beside it.
	b.do("empty title", chromedp.RemoveAttribute(chromedp.ID("o-title"), "required"))
	b.submit("open without a title", `form[action="/incidents"] button[type=submit]`)
	b.do("open error", chromedp.WaitVisible(chromedp.ID("open-error")))
	axeAudit(t, b, "incident list with a form error")

	if path := os.Getenv("FYR_SCREENSHOT"); path != "" {
		saveScreenshot(t, b, env.URL+incPath, path)
	}
	b.do("incident page", chromedp.Navigate(env.URL+incPath), chromedp.WaitVisible(chromedp.CSS("#journal-list li")))
	checkWeight(t, b, "incident page")
	axeAudit(t, b, "incident page")

	b.do("filtered incident page", chromedp.Navigate(env.URL+incPath+"?q=skadade&kind=info_in"),
		chromedp.WaitVisible(chromedp.CSS("#journal-list li")))
	axeAudit(t, b, "incident page, searched")

	b.do("print page", chromedp.Navigate(env.URL+incPath+"/print"), chromedp.WaitVisible(chromedp.CSS("table.journal-print")))
	checkWeight(t, b, "print page")
	axeAudit(t, b, "print page")

	// The same pages in English.
	b.do("English", chromedp.Navigate(env.URL+"/lang?l=en&back="+url.QueryEscape(incPath)),
		chromedp.WaitVisible(chromedp.CSS("#journal-list li")))
	if lang := cdpEval[string](b, "lang", "document.documentElement.lang"); lang != "en" {
		t.Fatalf("after switching, the page is in %q", lang)
	}
	axeAudit(t, b, "incident page (English)")
	b.do("English list", chromedp.Navigate(env.URL+"/"), chromedp.WaitVisible(chromedp.ID("o-title")))
	axeAudit(t, b, "incident list (English)")
}

// overflowJS reports the elements that stick out past the right edge of a
// phone's viewport, and whether the page scrolls sideways.
const overflowJS = `(() => {
  document.querySelectorAll("details").forEach(d => d.open = true);
  const w = document.documentElement.clientWidth;
  const wide = [];
  document.querySelectorAll("body *").forEach(e => {
    const r = e.getBoundingClientRect();
    if (r.width > 0 && r.right > w + 0.5) {
      wide.push(e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + (e.className && typeof e.className === "string" ? "." + e.className.trim().split(/\s+/).join(".") : "") + " right=" + Math.round(r.right));
    }
  });
  return {scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth, clientWidth: w, wide: wide.slice(0, 20)};
})()`

func TestBrowserPhoneLayout(t *testing.T) {
	t.Parallel()
	env := fyrtest.Start(t)
	id := seedBrowserIncidents(t, env)
	browser := startBrowser(t)
	b := newTab(t, browser, "phone")
	const width, height = 390, 844
	b.do("phone viewport", chromedp.EmulateViewport(width, height, chromedp.EmulateMobile, chromedp.EmulateTouch))
	b.login(env.URL, "staff", "/", "#o-title")

	for _, p := range []struct{ name, path, ready string }{
		{"incident page", "/incidents/" + string(id), "#journal-list li"},
		{"incident list", "/", "#o-title"},
		{"directory", "/directory", ".tree"},
	} {
		b.do(p.name, chromedp.Navigate(env.URL+p.path), chromedp.WaitVisible(chromedp.CSS(p.ready)))
		r := cdpEval[struct {
			ScrollWidth int      `json:"scrollWidth"`
			InnerWidth  int      `json:"innerWidth"`
			ClientWidth int      `json:"clientWidth"`
			Wide        []string `json:"wide"`
		}](b, "measure "+p.name, overflowJS)
		if r.ClientWidth != width {
			t.Errorf("%s: the layout viewport is %d px wide, want %d (meta viewport?)", p.name, r.ClientWidth, width)
		}
		if r.ScrollWidth > r.InnerWidth || r.ScrollWidth > width {
			t.Errorf("%s on a %d px phone scrolls sideways: scrollWidth %d, innerWidth %d; too wide: %s",
				p.name, width, r.ScrollWidth, r.InnerWidth, strings.Join(r.Wide, ", "))
		}
		axeAudit(t, b, p.name+" on a phone")
	}
}
