package web_test

// The 04:00 test (issue 8): a ward manager on a phone (390 × 844) logs in,
// lands on the unit page, sees what needs the unit's answer with its button
// in the first screen and acknowledges in place; the page follows the unit
// live; radios sit beside their labels; the phone's first screen is spent
// on content, not chrome.
//
// FYR_UNIT_SCREENSHOT=path writes the README's screenshot of the unit page
// on a phone (demo data) while TestBrowserUnitAcknowledgesFromFirstScreen
// runs:
//
//	FYR_UNIT_SCREENSHOT=$PWD/docs/unit-page-phone.png go test -run BrowserUnitAcknowledgesFromFirstScreen ./internal/web/
//
// FYR_SHOTS=dir writes a screenshot of every form the radio test checks,
// to look at.

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"fyr/internal/auth"
	"fyr/internal/demo"
	"fyr/internal/dispatch"
	"fyr/internal/event"
	"fyr/internal/fyrtest"
	"fyr/internal/incident"
)

const phoneWidth, phoneHeight = 390, 844

// scripts turns the page's JavaScript on or off.
func scripts(on bool) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: !on})
		return err
	})
}

func phone(b *browserTab) {
	b.t.Helper()
	b.do("phone viewport", chromedp.EmulateViewport(phoneWidth, phoneHeight, chromedp.EmulateMobile, chromedp.EmulateTouch))
}

// box is an element's place on the screen (CSS pixels, viewport).
type box struct {
	Top    float64 `json:"top"`
	Bottom float64 `json:"bottom"`
	Left   float64 `json:"left"`
	Right  float64 `json:"right"`
	Text   string  `json:"text"`
}

// boxesJS returns the boxes of the elements a selector matches.
func boxesJS(sel string) string {
	return fmt.Sprintf(`Array.from(document.querySelectorAll(%q)).map(e => { const r = e.getBoundingClientRect();
		return {top: r.top, bottom: r.bottom, left: r.left, right: r.right, text: e.textContent.trim().slice(0, 80)} })`, sel)
}

// The ward manager's path at 04:00, on the demo data: log in (tap 1), land
// on "Min enhet" with the lägesbild to acknowledge and the report asked for
// in the first screen, tap Kvittera (tap 2) and read "Kvitterat 04:12 av
// Amir" where the button was, the page not moved.
func TestBrowserUnitAcknowledgesFromFirstScreen(t *testing.T) {
	t.Parallel()
	base := startDemo(t).url
	browser := startBrowser(t)
	u := newTab(t, browser, "ward phone")
	phone(u)
	taps := 0

	u.do("login page", chromedp.Navigate(base+"/login"), chromedp.WaitVisible(chromedp.ID("username")),
		chromedp.SendKeys(chromedp.ID("username"), "avd"), chromedp.SendKeys(chromedp.ID("password"), demo.Password))
	taps++
	u.submit("log in", `form[action="/login"] button[type=submit]`)
	u.do("the page after login", chromedp.WaitVisible(chromedp.ID("unit-live")))
	if loc, _ := url.Parse(cdpRun(u, "location", chromedp.Location())); loc.Path != "/unit" {
		t.Fatalf("a unit account lands on %s after login, want /unit (Min enhet)", loc.Path)
	}

	// The first screen: what needs the unit's answer, each with its button.
	todo := cdpEval[[]box](u, "to-do buttons", boxesJS(".todo-item button.ack, .todo-item a.button"))
	if len(todo) != 2 {
		t.Fatalf("the unit page offers %d buttons to answer with, want 2 (Kvittera the lägesbild, Fyll i the report): %+v", len(todo), todo)
	}
	for _, b := range todo {
		if b.Top < 0 || b.Bottom > phoneHeight {
			t.Errorf("the button %q is at %.0f–%.0f px, outside the first screen (0–%d)", b.Text, b.Top, b.Bottom, phoneHeight)
		}
	}
	checkFirstScreen(t, u, "unit page")
	t.Logf("the unit page is %d px tall at %d px", cdpEval[int](u, "height", `document.documentElement.scrollHeight`), phoneWidth)
	checkNoSideScroll(t, u, "unit page", phoneWidth)
	axeAuditPhone(t, u, "unit page on a phone")
	checkWeight(t, u, "unit page")
	if path := os.Getenv("FYR_UNIT_SCREENSHOT"); path != "" {
		png := cdpRun(u, "screenshot", chromedp.CaptureScreenshot())
		if err := os.WriteFile(path, png, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s (%d bytes)", path, len(png))
	}

	// The lägesbild is shown once, not again in its dispatch.
	const forecast = "Leverantören räknar med att återställa journalen"
	if n := cdpEval[int](u, "forecast", fmt.Sprintf(`document.body.innerText.split(%q).length - 1`, forecast)); n != 1 {
		t.Errorf("the lägesbild's forecast is on the unit page %d times, want once", n)
	}

	// Tap 2: Kvittera. The receipt shows in place; the page does not move.
	before := cdpEval[box](u, "the item", `(() => { const r = document.querySelector(".todo-item.kind-picture").getBoundingClientRect(); return {top: r.top, bottom: r.bottom} })()`)
	cdpEval[chromedp.Void](u, "mark the page", `window.__notReloaded = true; window.__scrollY = window.scrollY`)
	taps++
	u.do("Kvittera", chromedp.Click(chromedp.CSS(".todo-item.kind-picture button.ack"), chromedp.NodeVisible),
		chromedp.WaitVisible(chromedp.CSS(".todo-item.kind-picture .done")))
	done := cdpEval[box](u, "the receipt", boxesJS(".todo-item.kind-picture .done")+"[0]")
	if !regexp.MustCompile(`Kvitterat \d\d:\d\d av Amir Avdelning`).MatchString(done.Text) {
		t.Errorf("the receipt reads %q, want \"Kvitterat HH:MM av Amir Avdelning\"", done.Text)
	}
	if done.Top < 0 || done.Bottom > phoneHeight {
		t.Errorf("the receipt is at %.0f–%.0f px, not where the user is looking", done.Top, done.Bottom)
	}
	after := cdpEval[box](u, "the item after", `(() => { const r = document.querySelector(".todo-item.kind-picture").getBoundingClientRect(); return {top: r.top, bottom: r.bottom} })()`)
	if d := after.Top - before.Top; d < -1 || d > 1 {
		t.Errorf("the acknowledged item moved by %.0f px", d)
	}
	if !cdpEval[bool](u, "not reloaded", `window.__notReloaded === true && window.scrollY === window.__scrollY`) {
		t.Error("acknowledging reloaded or scrolled the page")
	}
	if s := cdpEval[string](u, "announced", `document.getElementById("unit-news").textContent`); !strings.Contains(s, "Kvitterat") {
		t.Errorf("the live region says %q after acknowledging", s)
	}
	axeAuditPhone(t, u, "unit page after acknowledging")
	if taps > 3 {
		t.Errorf("%d taps from login to an acknowledged decision, want at most 3", taps)
	}

	// The inbox marks what is not acknowledged.
	u.do("inbox", chromedp.Navigate(base+"/inbox"), chromedp.WaitVisible(chromedp.ID("inbox")))
	items := cdpEval[[]box](u, "inbox items", boxesJS("#inbox li"))
	marked := 0
	for _, it := range items {
		if strings.Contains(it.Text, "Ej kvitterat") {
			marked++
		}
	}
	if len(items) != 2 || marked != 1 {
		t.Errorf("the inbox marks %d of %d dispatches \"Ej kvitterat\", want 1 of 2 (the call to report): %+v", marked, len(items), items)
	}
}

// axeAuditPhone is axeAudit, then closes the menu that axe opened (with
// every <details>), as the user would have it.
func axeAuditPhone(t *testing.T, b *browserTab, name string) {
	t.Helper()
	axeAudit(t, b, name)
	b.do("close the menu", chromedp.Evaluate[chromedp.Void](`document.querySelector("header details").open = false`))
}

// checkFirstScreen checks the phone's first screen: the content starts in
// its first third, the navigation is collapsed, each incident banner is one
// line.
func checkFirstScreen(t *testing.T, b *browserTab, name string) {
	t.Helper()
	r := cdpEval[struct {
		MainTop   float64   `json:"mainTop"`
		Banners   []float64 `json:"banners"`
		Line      float64   `json:"line"`
		NavHidden bool      `json:"navHidden"`
		Menu      bool      `json:"menu"`
	}](b, "first screen of "+name, `(() => {
		const cs = getComputedStyle(document.body);
		const links = Array.from(document.querySelectorAll("header nav a"));
		const summary = document.querySelector("header details > summary");
		return {mainTop: document.getElementById("main").getBoundingClientRect().top,
			banners: Array.from(document.querySelectorAll("#banner .banner")).map(p => p.getBoundingClientRect().height),
			line: parseFloat(cs.lineHeight) || 1.45 * parseFloat(cs.fontSize),
			navHidden: links.length > 0 && links.every(a => !a.checkVisibility()),
			menu: !!summary && summary.getBoundingClientRect().height >= 24};
	})()`)
	if r.MainTop >= phoneHeight/3 {
		t.Errorf("%s: the content starts at %.0f px, not in the first third of the screen (< %d)", name, r.MainTop, phoneHeight/3)
	}
	if !r.NavHidden || !r.Menu {
		t.Errorf("%s: the navigation is not collapsed behind a menu button on a phone (links hidden %v, menu button %v)", name, r.NavHidden, r.Menu)
	}
	for i, h := range r.Banners {
		if h > 1.9*r.Line+16 {
			t.Errorf("%s: banner %d is %.0f px tall, more than one line (%.0f px)", name, i+1, h, r.Line)
		}
	}
}

// On a phone the navigation collapses behind a menu button that works
// without JavaScript; the banners are one line each; the content starts in
// the first third of the screen. On a laptop the navigation is open.
func TestBrowserPhoneChrome(t *testing.T) {
	t.Parallel()
	env := fyrtest.Start(t)
	id := seedBrowserIncidents(t, env) // two active incidents: two banners
	browser := startBrowser(t)
	s := newTab(t, browser, "staff phone")
	phone(s)
	s.login(env.URL, "staff", "/", "#o-title")
	for _, p := range []struct{ name, path, ready string }{
		{"incident list", "/", "#o-title"},
		{"incident page", "/incidents/" + string(id), "#journal-list li"},
	} {
		s.do(p.name, chromedp.Navigate(env.URL+p.path), chromedp.WaitVisible(chromedp.CSS(p.ready)))
		if n := s.count("#banner .banner"); n != 2 {
			t.Fatalf("%s: %d banners, want 2", p.name, n)
		}
		checkFirstScreen(t, s, p.name)
		shot(t, s, "chrome-"+strings.ReplaceAll(p.name, " ", "-"))
	}

	// Without JavaScript the menu opens and its links can be followed.
	s.do("scripts off", scripts(false), chromedp.Navigate(env.URL+"/"), chromedp.WaitVisible(chromedp.ID("o-title")))
	s.do("open the menu", chromedp.Click(chromedp.CSS("header details > summary"), chromedp.NodeVisible),
		chromedp.WaitVisible(chromedp.CSS(`header nav a[href="/directory"]`)))
	shot(t, s, "chrome-menu-open")
	s.submit("follow a link from the menu", `header nav a[href="/directory"]`)
	s.do("the directory", chromedp.WaitVisible(chromedp.CSS(".tree")))
	s.do("scripts on", scripts(true))

	l := newTab(t, browser, "staff laptop")
	l.do("laptop viewport", chromedp.EmulateViewport(1366, 768))
	l.login(env.URL, "staff", "/", "#o-title")
	if !cdpEval[bool](l, "nav open", `(() => { const a = document.querySelector('header nav a[href="/directory"]'); return a.getBoundingClientRect().width > 0 })()`) {
		t.Error("on a laptop the navigation is hidden behind the menu button")
	}
}

// A new dispatch to the unit appears on its open unit page without a
// reload, marked "Nytt beslut" and announced; a sound only once the user
// turned it on. A receipt given elsewhere takes the dispatch off the list.
func TestBrowserUnitPageLive(t *testing.T) {
	t.Parallel()
	env := fyrtest.Start(t)
	ctx := context.Background()
	staff := env.Principal(auth.Staff)
	inc, err := env.Svc.Incidents.OpenIncident(ctx, staff, incident.Open{Title: "IT-avbrott", Scope: "region", Level: incident.Staff})
	if err != nil {
		t.Fatal(err)
	}
	decide := func(text string) dispatch.ID {
		t.Helper()
		e, err := env.Svc.Incidents.Record(ctx, staff, incident.Record{Incident: inc.ID, Kind: incident.Decision, Text: text, Verified: true,
			Decision: &incident.DecisionInfo{DecisionMaker: "Chefläkare Erik Lund", Mandate: "RSSL"}})
		if err != nil {
			t.Fatal(err)
		}
		d, err := env.Svc.Dispatch.CreateDispatch(ctx, staff, dispatch.Create{Incident: inc.ID, Kind: dispatch.KindDecision, Decision: e.ID,
			Title: text, Body: text, Audience: dispatch.Audience{Units: []string{"avd1"}}, Deadline: env.Svc.Now().Add(time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		return d.Dispatch
	}

	// The phone reaches Fyr through a link that can drop its receipts.
	target, _ := url.Parse(env.URL)
	proxy := httputil.NewSingleHostReverseProxy(target)
	proxy.FlushInterval = -1
	var down atomic.Bool
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if down.Load() && strings.HasPrefix(r.URL.Path, "/unit/ack/") {
			if c, _, err := w.(http.Hijacker).Hijack(); err == nil {
				c.Close()
			}
			return
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(func() {
		front.CloseClientConnections()
		front.Close()
	})

	browser := startBrowser(t)
	u := newTab(t, browser, "ward phone")
	phone(u)
	u.login(front.URL, "unit", "/unit", "#unit-live")
	u.do("the page follows live", chromedp.WaitVisible(chromedp.ID("todo-none")),
		chromedp.Evaluate[chromedp.Void](`window.__notReloaded = true`))

	first := decide("Planerade operationer ställs in i morgon")
	u.do("the decision appears", chromedp.WaitVisible(chromedp.CSS("#d-"+string(first)+" .new-mark")))
	if s := cdpRun(u, "marker", chromedp.Text(chromedp.CSS("#d-"+string(first)+" .new-mark"))); s != "Nytt beslut" {
		t.Errorf("the marker reads %q, want \"Nytt beslut\"", s)
	}
	u.do("announced", chromedp.Poll[chromedp.Void](`document.getElementById("unit-news").textContent.includes("Nytt beslut: Planerade operationer")`))
	if !cdpEval[bool](u, "not reloaded", `window.__notReloaded === true`) {
		t.Fatal("the unit page reloaded to show the new dispatch")
	}
	if n := cdpEval[int](u, "sounds", `window.fyrSounds || 0`); n != 0 {
		t.Errorf("%d sounds with the sound off (the default)", n)
	}
	axeAuditPhone(t, u, "unit page with a new decision")

	if !cdpEval[bool](u, "shown", `document.getElementById("unit-news").getBoundingClientRect().height > 24`) {
		t.Error("the new decision is only read out, not shown")
	}
	shot(t, u, "live-new-decision")
	// A tap on the note takes it away (it covers the top of the screen).
	u.do("dismiss the note", chromedp.Click(chromedp.ID("unit-news"), chromedp.NodeVisible),
		chromedp.Poll[chromedp.Void](`document.getElementById("unit-news").textContent === ""`))
	// The user turns the sound on (it plays once to show how it sounds).
	u.do("sound on", chromedp.Click(chromedp.ID("sound"), chromedp.NodeVisible))
	if s := cdpEval[string](u, "stored", `localStorage.getItem("fyr-sound")`); s != "on" {
		t.Fatalf("the sound setting is stored as %q", s)
	}
	// The staff follow the unit's page too.
	s := newTab(t, browser, "staff laptop")
	s.login(env.URL, "staff", "/unit?unit=avd1", "#d-"+string(first))
	second := decide("Reservkraft testas kl 06")
	u.do("the second decision appears", chromedp.WaitVisible(chromedp.CSS("#d-"+string(second)+" .new-mark")),
		chromedp.Poll[chromedp.Void](`(window.fyrSounds || 0) === 2`))
	s.do("the staff see it too", chromedp.WaitVisible(chromedp.CSS("#d-"+string(second)+" .new-mark")))

	// The staff record a receipt given by phone: the page stops asking.
	if _, err := env.Svc.Dispatch.Acknowledge(ctx, staff, dispatch.Acknowledge{Dispatch: first, Unit: "avd1", By: event.Actor{Name: "Amir per telefon"}}); err != nil {
		t.Fatal(err)
	}
	u.do("the first leaves the list", chromedp.Poll[chromedp.Void](`!document.querySelector("#todo #d-`+string(first)+`")`))
	if !cdpEval[bool](u, "still there", `!!document.querySelector("#todo #d-`+string(second)+` .new-mark:not([hidden])")`) {
		t.Error("the second decision lost its marker when the page followed the receipt")
	}

	// The link drops the receipt: the page says so and the button works again.
	ack := "#d-" + string(second) + " button.ack"
	down.Store(true)
	u.do("Kvittera with the link down", chromedp.Click(chromedp.CSS(ack), chromedp.NodeVisible),
		chromedp.Poll[chromedp.Void](`document.getElementById("unit-news").textContent.includes("Fyr kunde inte nås")`))
	if !cdpEval[bool](u, "shown", `document.getElementById("unit-news").getBoundingClientRect().height > 24`) {
		t.Error("the failed receipt is only read out, not shown")
	}
	shot(t, u, "live-receipt-failed")
	if !cdpEval[bool](u, "button", `!document.querySelector(`+strconv.Quote(ack)+`).disabled`) {
		t.Fatal("after a failed receipt the Kvittera button stays disabled")
	}
	down.Store(false)
	u.do("dismiss the note", chromedp.Click(chromedp.ID("unit-news"), chromedp.NodeVisible),
		chromedp.Poll[chromedp.Void](`document.getElementById("unit-news").textContent === ""`))
	u.do("Kvittera again", chromedp.Click(chromedp.CSS(ack), chromedp.NodeVisible),
		chromedp.WaitVisible(chromedp.CSS("#d-"+string(second)+" .done")))
}

// radioJS measures every visible radio and checkbox on the page against
// its label: the box, the gap between box and label, and whether the label
// carries a decoration (a ::before glyph) that could pass for a state.
const radioJS = `Array.from(document.querySelectorAll("input[type=radio], input[type=checkbox]")).filter(i => i.getBoundingClientRect().width > 0).map(i => {
	const b = i.getBoundingClientRect();
	const l = document.querySelector('label[for="' + i.id + '"]');
	const lr = l ? l.getBoundingClientRect() : null;
	const before = l ? getComputedStyle(l, "::before").content : "none";
	return {id: i.id, w: b.width, h: b.height, right: b.right, cy: (b.top + b.bottom) / 2,
		label: !!l, lleft: lr ? lr.left : 0, ltop: lr ? lr.top : 0, lbottom: lr ? lr.bottom : 0, lh: lr ? lr.height : 0,
		deco: before !== "none" && before !== "normal" && before !== '""'};
})`

// checkRadios fails for a radio or checkbox that floats away from its
// label, is too small to hit, or whose label wears a decoration.
func checkRadios(t *testing.T, b *browserTab, name string, min int) {
	t.Helper()
	cdpEval[chromedp.Void](b, "show the first", `(() => { const i = Array.from(document.querySelectorAll("input[type=radio], input[type=checkbox]")).find(i => i.getBoundingClientRect().width > 0); if (i) i.scrollIntoView({block: "center"}) })()`)
	shot(t, b, "radios-"+strings.ReplaceAll(name, " ", "-"))
	rs := cdpEval[[]struct {
		ID      string  `json:"id"`
		W       float64 `json:"w"`
		H       float64 `json:"h"`
		Right   float64 `json:"right"`
		CY      float64 `json:"cy"`
		Label   bool    `json:"label"`
		LLeft   float64 `json:"lleft"`
		LTop    float64 `json:"ltop"`
		LBottom float64 `json:"lbottom"`
		LH      float64 `json:"lh"`
		Deco    bool    `json:"deco"`
	}](b, "radios on "+name, radioJS)
	if len(rs) < min {
		t.Fatalf("%s: %d radios and checkboxes, want at least %d", name, len(rs), min)
	}
	for _, r := range rs {
		switch {
		case !r.Label:
			t.Errorf("%s: %s has no label", name, r.ID)
		case r.LLeft-r.Right < 0 || r.LLeft-r.Right > 20:
			t.Errorf("%s: %s: the box ends at x=%.0f and its label starts at x=%.0f: not beside each other", name, r.ID, r.Right, r.LLeft)
		case r.CY < r.LTop || r.CY > r.LBottom:
			t.Errorf("%s: %s: the box (centre y=%.0f) is not on its label's line (%.0f–%.0f)", name, r.ID, r.CY, r.LTop, r.LBottom)
		case r.W < 24 || r.H < 24 || r.LH < 24:
			t.Errorf("%s: %s: box %.0f × %.0f px, label %.0f px tall: too small for a thumb (24 px)", name, r.ID, r.W, r.H, r.LH)
		case r.Deco:
			t.Errorf("%s: %s: the label carries a decoration that can pass for a selected state", name, r.ID)
		}
	}
}

// Radios and checkboxes sit beside their labels, thumb-sized, on every
// form a phone meets.
func TestBrowserRadiosBesideLabels(t *testing.T) {
	t.Parallel()
	env := fyrtest.Start(t)
	inc, rd := openRound(t, env)
	ctx := context.Background()
	staff := env.Principal(auth.Staff)
	d, err := env.Svc.Dispatch.CreateDispatch(ctx, staff, dispatch.Create{Incident: inc.ID, Kind: dispatch.KindMessage,
		Title: "Kan ni ta emot akuta patienter i natt?", Audience: dispatch.Audience{Units: []string{"avd1"}},
		Question: &dispatch.Question{Text: "Akuta patienter i natt?", Answers: []string{"Ja", "Nej", "Delvis"}},
		Deadline: env.Svc.Now().Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.Svc.Incidents.Record(ctx, staff, incident.Record{Incident: inc.ID, Kind: incident.Decision, Text: "Planerad vård ställs in.",
		Verified: true, Decision: &incident.DecisionInfo{DecisionMaker: "Chefläkare"}}); err != nil {
		t.Fatal(err)
	}
	browser := startBrowser(t)

	u := newTab(t, browser, "ward phone")
	phone(u)
	u.login(env.URL, "unit", "/rounds/"+string(rd.Round)+"/report", "#report-form")
	checkRadios(t, u, "report form", 3)
	u.do("unit page", chromedp.Navigate(env.URL+"/unit"), chromedp.WaitVisible(chromedp.ID("unit-live")))
	checkRadios(t, u, "unit page", 3)
	u.do("dispatch", chromedp.Navigate(env.URL+"/dispatches/"+string(d.Dispatch)), chromedp.WaitVisible(chromedp.ID("ack-form")))
	checkRadios(t, u, "answers to a question", 3)

	s := newTab(t, browser, "staff phone")
	phone(s)
	s.login(env.URL, "staff", "/", "#o-title")
	checkRadios(t, s, "open form", 1)
	s.do("dispatch form", chromedp.Navigate(env.URL+"/incidents/"+string(inc.ID)+"/dispatch"), chromedp.WaitVisible(chromedp.ID("dispatch-form")))
	checkRadios(t, s, "dispatch form", 3)
	s.do("journal form", chromedp.Navigate(env.URL+"/incidents/"+string(inc.ID)), chromedp.WaitReady(chromedp.ID("r-verified")),
		chromedp.Evaluate[chromedp.Void](`document.querySelectorAll("details").forEach(d => d.open = true)`))
	checkRadios(t, s, "journal form", 1)
	s.do("rounds form", chromedp.Navigate(env.URL+"/incidents/"+string(inc.ID)+"/rounds"), chromedp.WaitReady(chromedp.ID("r-all")),
		chromedp.Evaluate[chromedp.Void](`document.querySelectorAll("details").forEach(d => d.open = true)`))
	checkRadios(t, s, "rounds form", 2)
}
