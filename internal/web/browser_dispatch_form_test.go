package web_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"fyr/internal/app"
	"fyr/internal/auth"
	"fyr/internal/channel"
	"fyr/internal/demo"
	"fyr/internal/directory"
	"fyr/internal/dispatch"
	dispatchui "fyr/internal/dispatch/ui"
	"fyr/internal/fyrtest"
	"fyr/internal/incident"
	"fyr/internal/pages"
	"fyr/internal/store"
	"fyr/internal/web"
)

// decisionWorld is a directory with a few more units, an incident with a
// decision in its journal, and SMS the only configured channel.
func decisionWorld(t *testing.T, env *fyrtest.Env) (incident.Incident, incident.Entry) {
	t.Helper()
	ctx := context.Background()
	for _, u := range []directory.Unit{
		{ID: "avd2", Name: "Avdelning 2", Type: directory.Ward, Parent: fyrtest.Hospital},
		{ID: "vc-norr", Name: "Vårdcentral Norr", Type: directory.Clinic, Parent: "region"},
	} {
		if err := env.Svc.Directory.AddUnit(ctx, "test", u); err != nil {
			t.Fatal(err)
		}
	}
	health := channel.NewHealth(nil)
	env.Web.Configure(dispatchui.ChannelsSetting, dispatchui.Channels{Health: health, Senders: map[string]channel.Sender{channel.SMS: health.Wrap(&flaky{})}})
	staff := env.Principal(auth.Staff)
	inc, err := env.Svc.Incidents.OpenIncident(ctx, staff, incident.Open{Title: "Journalsystemet nere", Scope: "region", Level: incident.Reinforcement})
	if err != nil {
		t.Fatal(err)
	}
	entry, err := env.Svc.Incidents.Record(ctx, staff, incident.Record{Incident: inc.ID, Kind: incident.Decision,
		Text:     "All planerad vård på Testsjukhuset ställs in från kl. 08.03 tills vidare.",
		Decision: &incident.DecisionInfo{DecisionMaker: "Sara Sjukvårdsledare", Mandate: "RSSL enligt krisledningsplanen"}})
	if err != nil {
		t.Fatal(err)
	}
	return inc, entry
}

// The staff on a laptop (1366×768) sends a journal decision: no title to
// type, no silent browser block (the server names the field), the units
// picked in a tree that filters as one types, the deadline from a quick
// pick, only the configured channels offered, and the count and list of
// units shown before one confirmation sends it.
func TestBrowserDispatchFormPreviewAndConfirm(t *testing.T) {
	t.Parallel()
	env := fyrtest.Start(t)
	inc, entry := decisionWorld(t, env)
	browser := startBrowser(t)
	s := newTab(t, browser, "staff laptop")
	s.do("laptop viewport", chromedp.EmulateViewport(1366, 768))
	form := "/incidents/" + string(inc.ID) + "/dispatch?decision=" + entry.ID
	s.login(env.URL, "staff", form, "#dispatch-form")
	axeAudit(t, s, "dispatch form")

	if n := s.count("#dispatch-form [required]"); n != 0 {
		t.Errorf("%d fields the browser blocks on without saying so to the server", n)
	}
	if got := cdpEval[string](s, "channels offered", `[...document.querySelectorAll("input[name=channels]")].map(e => e.value).join(",")`); got != "inapp,sms" {
		t.Errorf("channels offered: %q, want only in-app and the configured SMS", got)
	}

	// Nothing picked: the server says which field, in words and with a link.
	before := env.Svc.Seq()
	s.submit("preview without recipients", "#d-preview")
	msg := cdpEval[string](s, "error", `document.getElementById("dispatch-error").textContent`)
	if !strings.Contains(msg, "Mottagare") {
		t.Errorf("the error %q does not name the recipients", msg)
	}

	// The tree filters as the user types; hidden units stay ticked.
	s.do("search", chromedp.SendKeys(chromedp.ID("d-q"), "avdel"))
	visible := cdpEval[string](s, "visible units", `[...document.querySelectorAll("#d-tree li")].filter(li => !li.hidden).map(li => li.querySelector("label").textContent).join(",")`)
	if visible != "Testregionen,Testsjukhuset,Avdelning 1,Avdelning 2" {
		t.Errorf("units shown for \"avdel\": %q", visible)
	}
	s.do("tick Avdelning 1 and Avdelning 2", chromedp.Click(chromedp.ID("du-avd1"), chromedp.NodeVisible),
		chromedp.Click(chromedp.ID("du-avd2"), chromedp.NodeVisible))
	s.do("search again", chromedp.Evaluate[chromedp.Void](`document.getElementById("d-q").value = ""`), chromedp.SendKeys(chromedp.ID("d-q"), "norr"))
	if n := s.count("#d-tree li:not([hidden])"); n != 2 {
		t.Errorf("%d units shown for \"norr\", want the region and Vårdcentral Norr", n)
	}

	// A quick pick fills in the absolute deadline from the server's clock.
	got := quickDeadline(t, s, env, `button[data-minutes="60"]`, "d-deadline", time.Hour)

	s.submit("preview", "#d-preview")
	s.do("the preview", chromedp.WaitVisible(chromedp.ID("confirm-send")))
	axeAudit(t, s, "dispatch preview")
	units := cdpEval[string](s, "units in the preview", `document.getElementById("pv-units").textContent`)
	if !strings.Contains(units, "Avdelning 1") || !strings.Contains(units, "Avdelning 2") || strings.Contains(units, "Vårdcentral") {
		t.Errorf("the preview lists %q", units)
	}
	if b := cdpEval[string](s, "button", `document.getElementById("confirm-send").textContent`); b != "Skicka till 2 enheter" {
		t.Errorf("confirmation button: %q", b)
	}
	if !strings.Contains(cdpEval[string](s, "content", `document.getElementById("decision").textContent`), "Sara Sjukvårdsledare") {
		t.Error("the preview does not show the decision as the units will see it")
	}
	if env.Svc.Seq() != before {
		t.Fatal("the form wrote to the log before the confirmation")
	}

	s.submit("confirm", "#confirm-send")
	s.do("the board", chromedp.WaitVisible(chromedp.CSS("table.board")))
	list, _ := env.Svc.Dispatch.Dispatches(env.Principal(auth.Staff), inc.ID)
	if len(list) != 1 || len(list[0].Units) != 2 || list[0].Title != entry.Text || list[0].Content == nil ||
		strings.Join(list[0].Channels, ",") != "inapp,sms" {
		t.Fatalf("sent: %+v", list)
	}
	if d := list[0].Deadline.In(web.Stockholm).Format("2006-01-02T15:04"); d != got {
		t.Errorf("the dispatch's deadline %s, not the %s the form showed", d, got)
	}

	// The reporting round's form gives its deadline the same way.
	s.do("rounds form", chromedp.Navigate(env.URL+"/incidents/"+string(inc.ID)+"/rounds"), chromedp.WaitVisible(chromedp.ID("round-form")))
	quickDeadline(t, s, env, `#round-form button[data-minutes="30"]`, "r-deadline", 30*time.Minute)
}

// quickDeadline clicks a quick pick and checks the deadline it fills in. The
// page's clock is the server's at load, in whole seconds, moved on since, so
// the field lies between a second before the click and the reading, d on: a
// loaded machine can pass a minute boundary in between.
func quickDeadline(t *testing.T, s *browserTab, env *fyrtest.Env, button, field string, d time.Duration) string {
	t.Helper()
	earliest := env.Svc.Now().Add(d - time.Second).In(web.Stockholm).Truncate(time.Minute)
	s.do("quick pick "+button, chromedp.Click(button, chromedp.NodeVisible))
	got := cdpEval[string](s, "deadline "+field, fmt.Sprintf("document.getElementById(%q).value", field))
	latest := env.Svc.Now().Add(d).In(web.Stockholm)
	if at, err := time.ParseInLocation("2006-01-02T15:04", got, web.Stockholm); err != nil || at.Before(earliest) || at.After(latest) {
		t.Errorf("%s after %s: %q, want between %s and %s", field, button, got, earliest.Format("2006-01-02T15:04"), latest.Format("2006-01-02T15:04"))
	}
	return got
}

// The ward manager on a phone (390×844) sees the decision itself in the
// inbox and on the dispatch — its text, who decided with which mandate, from
// when — in the first screen; the staff's board keeps every part in step
// as the receipt comes in, and says "live" only while it is.
func TestBrowserWardSeesTheDecision(t *testing.T) {
	t.Parallel()
	env := fyrtest.Start(t)
	inc, entry := decisionWorld(t, env)
	ctx := context.Background()
	d, err := env.Svc.Dispatch.CreateDispatch(ctx, env.Principal(auth.Staff), dispatch.Create{Incident: inc.ID, Kind: dispatch.KindDecision,
		Decision: entry.ID, Body: "Avboka dagens planerade besök.", Audience: dispatch.Audience{Subtrees: []string{fyrtest.Hospital}},
		Deadline: env.Svc.Now().Add(time.Hour), Channels: []string{dispatch.InApp}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.Svc.NewEngine(nil, env.URL).Round(ctx, d.CreatedAt); err != nil { // the in-app attempts
		t.Fatal(err)
	}
	browser := startBrowser(t)
	board := "/dispatches/" + string(d.Dispatch)

	// Without JavaScript (the page as served) neither the board nor the
	// journal claims to update live.
	plain := newBrowser(t, env)
	plain.login(auth.Staff)
	for _, path := range []string{board, "/incidents/" + string(inc.ID)} {
		_, page := plain.get(path)
		if i := strings.Index(page, `id="live-state"`); i < 0 || !strings.Contains(page[strings.LastIndex(page[:i], "<"):i+80], " hidden") {
			t.Errorf("%s says it updates live before a script has connected", path)
		}
	}

	s := newTab(t, browser, "staff")
	s.login(env.URL, "staff", board, "#coverage-"+string(d.Dispatch))
	s.do("live once connected", chromedp.WaitVisible(chromedp.ID("live-state")))

	j := newTab(t, browser, "staff journal")
	j.login(env.URL, "staff", "/incidents/"+string(inc.ID), "#journal-list")
	j.do("live", chromedp.WaitVisible(chromedp.ID("live-state")))
	if n := j.count(`[data-coverage="` + string(d.Dispatch) + `"]`); n != 2 {
		t.Errorf("the incident page shows the dispatch's figure %d times, want in its list and in the journal", n)
	}

	u := newTab(t, browser, "ward phone")
	u.do("phone viewport", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateTouch))
	u.login(env.URL, "unit", "/inbox", ".inbox")
	if ex := cdpEval[string](u, "inbox", `document.querySelector(".inbox .excerpt").textContent`); !strings.Contains(ex, "All planerad vård på Testsjukhuset") {
		t.Errorf("the inbox shows %q, not the decision", ex)
	}
	u.submit("open the dispatch", ".inbox a")
	u.do("the decision", chromedp.WaitVisible(chromedp.ID("decision")))
	axeAudit(t, u, "the ward's dispatch on a phone")
	text := cdpEval[string](u, "decision", `document.querySelector("h1").innerText + "\n" + document.getElementById("decision").innerText`)
	for _, want := range []string{entry.Text, "Sara Sjukvårdsledare", "RSSL enligt krisledningsplanen", "Gäller från " + entry.OccurredAt.In(web.Stockholm).Format("2006-01-02 15:04")} {
		if !strings.Contains(strings.ReplaceAll(text, "\n", " "), want) && !strings.Contains(text, want) {
			t.Errorf("the ward's page lacks %q in %q", want, text)
		}
	}
	if top := cdpEval[float64](u, "decision top", `document.getElementById("decision").getBoundingClientRect().top`); top > 844 {
		t.Errorf("the decision starts %v px down, below the first screen", top)
	}
	if dir := os.Getenv("FYR_SCREENSHOTS"); dir != "" {
		// axe opens every <details>, the phone's menu too: shut it for the picture.
		u.do("close the menu", chromedp.Evaluate[chromedp.Void](`document.querySelectorAll("details.menu").forEach(d => d.open = false); scrollTo(0, 0)`))
		png := cdpRun(u, "screenshot", chromedp.CaptureScreenshot())
		if err := os.WriteFile(filepath.Join(dir, "dispatch-phone.png"), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	u.submit("acknowledge", "button.ack")
	u.do("confirmation", chromedp.WaitVisible(chromedp.CSS(".done")))

	s.do("the board shows the receipt live", chromedp.WaitVisible(chromedp.CSS("#u-avd1.acked")))
	head := cdpEval[string](s, "headline", `document.querySelector("#coverage-`+string(d.Dispatch)+` .big").textContent`)
	acked := cdpEval[string](s, "per channel", `document.querySelector("tr[data-channel=inapp] td.acked").textContent`)
	if !strings.Contains(head, "1 av 3") || acked != "1" {
		t.Errorf("after one receipt the headline says %q and the in-app row's acknowledged %q", head, acked)
	}
	if last := cdpEval[string](s, "last row", `[...document.querySelectorAll("table.board tbody tr")].pop().id`); last != "u-avd1" {
		t.Errorf("the acknowledged unit's row is not below the units still waiting (last row %q)", last)
	}
	if n := s.count(`#a-unit option[value="avd1"]`); n != 0 {
		t.Error("the phone-receipt form still offers the unit that has acknowledged")
	}
	j.do("the journal's figures follow", chromedp.Poll[chromedp.Void](`[...document.querySelectorAll('[data-coverage="`+string(d.Dispatch)+`"]')].every(e => e.textContent === "Kvitterat 1 av 3")`))
	if dir := os.Getenv("FYR_SCREENSHOTS"); dir != "" {
		png := cdpRun(s, "screenshot", chromedp.CaptureScreenshot())
		if err := os.WriteFile(filepath.Join(dir, "dispatch-board.png"), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// With the demo's directory (about 300 units) the dispatch form stays
// within the page budget, fits a phone without sideways scrolling, and a
// search finds a ward among them; FYR_SCREENSHOTS=dir keeps screenshots.
func TestBrowserDispatchFormWithTheDemoDirectory(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	svc, err := app.Open(ctx, app.Config{Dir: t.TempDir(), Log: store.NewMem(), Org: fyrtest.Org})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(svc.Close)
	if err := demo.Seed(ctx, svc); err != nil {
		t.Fatal(err)
	}
	srv, err := web.New(svc, nil, pages.Modules(svc)...)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	var open incident.Incident
	for _, inc := range svc.P.Incidents.List() {
		if !inc.Closed {
			open = inc
		}
	}
	browser := startBrowser(t)
	b := newTab(t, browser, "staff")
	form := "/incidents/" + string(open.ID) + "/dispatch"
	b.do("log in", chromedp.Navigate(hs.URL+"/login?back="+form), chromedp.SendKeys(chromedp.ID("username"), "stabschef"),
		chromedp.SendKeys(chromedp.ID("password"), demo.Password))
	b.submit("log in", `form[action="/login"] button[type=submit]`)
	b.do("the form", chromedp.WaitVisible(chromedp.ID("dispatch-form")))
	if n := b.count("#d-tree input[name=units]"); n < 250 {
		t.Fatalf("the tree offers %d units, want the demo's ~300", n)
	}
	checkWeight(t, b, "dispatch form with ~300 units")
	shot := func(name string) {
		if dir := os.Getenv("FYR_SCREENSHOTS"); dir != "" {
			if err := os.WriteFile(filepath.Join(dir, name), cdpRun(b, "screenshot", chromedp.CaptureScreenshot()), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	b.do("laptop", chromedp.EmulateViewport(1366, 768))
	shot("dispatch-form-laptop.png")

	b.do("phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateTouch), chromedp.Reload(),
		chromedp.WaitVisible(chromedp.ID("dispatch-form")))
	if r := cdpEval[struct {
		ScrollWidth int      `json:"scrollWidth"`
		Wide        []string `json:"wide"`
	}](b, "measure", overflowJS); r.ScrollWidth > 390 {
		t.Errorf("the form on a 390 px phone is %d px wide: %v", r.ScrollWidth, r.Wide)
	}
	axeAudit(t, b, "dispatch form on a phone")
	b.do("search", chromedp.ScrollIntoView(chromedp.ID("d-q")), chromedp.SendKeys(chromedp.ID("d-q"), "akut"))
	if n := b.count("#d-tree li:not([hidden])"); n < 2 || n > 60 {
		t.Errorf("%d units shown for \"akut\"", n)
	}
	shot("dispatch-form-phone.png")
	b.do("a title", chromedp.SendKeys(chromedp.ID("d-title"), "Rapportera läget senast 14.00"))
	b.do("tick the first match", chromedp.Evaluate[chromedp.Void](`[...document.querySelectorAll("#d-tree li:not([hidden]) input[name=subtrees]")].pop().click()`))
	b.submit("preview", "#d-preview")
	if b.count("#confirm-send") == 0 {
		t.Fatalf("no preview: %s", cdpEval[string](b, "page", `document.querySelector("main").innerText.slice(0, 400)`))
	}
	shot("dispatch-preview-phone.png")
	if w := cdpEval[int](b, "scroll width", "document.documentElement.scrollWidth"); w > 390 {
		t.Errorf("the preview on a 390 px phone is %d px wide", w)
	}
}
