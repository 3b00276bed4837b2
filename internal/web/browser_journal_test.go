package web_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"fyr/internal/auth"
	"fyr/internal/fyrtest"
	"fyr/internal/incident"
)

// The staff at 1366×768 saves a journal entry: the page confirms it at the
// top with the entry's number and a link to it and stays there; the form
// sent twice at once writes one entry; "verified" starts unchecked. The
// journal pages to older entries without JavaScript's help, and a live
// entry joins the first page only. At 390 px the page fits the phone.
func TestBrowserJournalSavedAndPaged(t *testing.T) {
	t.Parallel()
	env := fyrtest.Start(t)
	id := openIncident(t, env, env.Token(auth.Staff))
	recordN(t, env, id, 60) // #3–#62
	incPath := "/incidents/" + id
	browser := startBrowser(t)
	a := newTab(t, browser, "staff")
	a.do("laptop", chromedp.EmulateViewport(1366, 768))
	a.login(env.URL, "staff", incPath, "#record-form")
	if cdpEval[bool](a, "verified", `document.getElementById("r-verified").checked`) {
		t.Error(`"Verifierad" is checked before the user checks it`)
	}
	a.do("fill in the journal form",
		chromedp.SetValue(chromedp.ID("r-kind"), "info_in"),
		chromedp.SendKeys(chromedp.ID("r-text"), "IT-leverantören bekräftar intrång"))
	a.submit("save", "#record-form button[type=submit]")
	a.do("confirmation", chromedp.WaitVisible(chromedp.ID("saved")))
	saved := cdpRun(a, "confirmation text", chromedp.Text(chromedp.ID("saved")))
	if !strings.Contains(saved, "Sparad: post #63") || !strings.Contains(saved, "IT-leverantören bekräftar intrång") {
		t.Errorf("the confirmation reads %q", saved)
	}
	place := cdpEval[struct {
		Top     float64 `json:"top"`
		Bottom  float64 `json:"bottom"`
		ScrollY float64 `json:"scrollY"`
	}](a, "where the confirmation is", `(() => { const r = document.getElementById("saved").getBoundingClientRect(); return {top: r.top, bottom: r.bottom, scrollY: window.scrollY}; })()`)
	if place.ScrollY != 0 || place.Top < 0 || place.Bottom > 768 {
		t.Errorf("the confirmation is not in view at the top: %+v", place)
	}
	axeAudit(t, a, "incident page after saving")
	shotView(t, a, "journal-saved-1366.png")
	a.do("follow the link to the entry", chromedp.Click(chromedp.CSS("#saved a"), chromedp.NodeVisible))
	inView := cdpEval[string](a, "entry in view", `(() => { const li = document.querySelector("#journal-list > li"); const r = li.getBoundingClientRect(); return location.hash + " " + li.id + " " + r.top + " " + innerHeight; })()`)
	var hash, li string
	var top, height float64
	fmt.Sscan(inView, &hash, &li, &top, &height)
	if hash != "#"+li || top < -1 || top >= height {
		t.Errorf("the confirmation's link does not show the entry: %s", inView)
	}

	// The same form sent twice at once (a double click, a resend).
	a.do("a fresh page", chromedp.Navigate(env.URL+incPath), chromedp.WaitVisible(chromedp.ID("r-text")))
	a.do("fill in again", chromedp.SendKeys(chromedp.ID("r-text"), "Reservrutin för läkemedel startad"))
	before, _ := env.Svc.P.Incidents.Get(incident.ID(id), incident.AsOf{})
	urls := cdpEval[[]string](a, "submit twice", `(async () => {
  const f = document.getElementById("record-form");
  const body = () => new URLSearchParams(new FormData(f));
  const rs = await Promise.all([fetch(f.action, {method: "POST", body: body()}), fetch(f.action, {method: "POST", body: body()})]);
  return rs.map(r => r.status + " " + new URL(r.url).search);
})()`)
	after, _ := env.Svc.P.Incidents.Get(incident.ID(id), incident.AsOf{})
	if after.Entries != before.Entries+1 || len(urls) != 2 || urls[0] != urls[1] || urls[0] != "200 ?saved=64" {
		t.Errorf("the form sent twice: %d entries more, answers %q; want one entry and both answers on it", after.Entries-before.Entries, urls)
	}

	// Pages: the first shows the newest 50; the older link works without JS.
	a.do("first page", chromedp.Navigate(env.URL+incPath), chromedp.WaitVisible(chromedp.ID("page-older")))
	if n := a.count("#journal-list > li"); n != 50 {
		t.Errorf("the first page shows %d entries, want 50", n)
	}
	a.submit("older entries", "#page-older")
	if first := cdpRun(a, "first entry", chromedp.Text(chromedp.CSS("#journal-list > li .serial"))); first != "#14" {
		t.Errorf("the older page starts at %s, want #14", first)
	}
	older := cdpRun(a, "older page", chromedp.Location())

	// A live entry joins the first page, not an older one.
	b := newTab(t, browser, "viewer")
	b.login(env.URL, "viewer", incPath, "#journal-list")
	a.do("back to the older page", chromedp.Navigate(older), chromedp.WaitVisible(chromedp.ID("page-newer")))
	// No need to wait for the live connections: each asks for what
	// happened since its page was rendered.
	e, err := env.Svc.Incidents.Record(context.Background(), env.Principal(auth.Staff), incident.Record{Incident: incident.ID(id), Kind: incident.InfoIn, Text: "Ny post live"})
	if err != nil {
		t.Fatal(err)
	}
	b.do("the first page shows it live", chromedp.WaitVisible(chromedp.ID("e-"+e.ID)))
	a.do("the older page heard it", chromedp.WaitReady(chromedp.CSS(fmt.Sprintf(`body[data-last-entry=%q]`, e.ID))))
	if n := a.count("#e-" + e.ID); n != 0 {
		t.Error("a live entry was added to an older page")
	}

	// The phone.
	b.do("phone", chromedp.EmulateViewport(390, 844), chromedp.Navigate(env.URL+incPath+"?before=60"), chromedp.WaitVisible(chromedp.ID("page-older")))
	checkNoSideScroll(t, b, "journal page", 390)
	axeAudit(t, b, "journal page at 390 px")
	shotView(t, b, "journal-390.png")
	b.do("scroll to the pages", chromedp.ScrollIntoView(chromedp.ID("page-older")))
	shotView(t, b, "journal-390-pager.png")
}

// shotView saves a screenshot of what the screen shows in FYR_SHOTS (a
// directory) when set, to look at.
func shotView(t *testing.T, b *browserTab, name string) {
	t.Helper()
	dir := os.Getenv("FYR_SHOTS")
	if dir == "" {
		return
	}
	png := cdpRun(b, "screenshot", chromedp.CaptureScreenshot())
	if err := os.WriteFile(filepath.Join(dir, name), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// The task board follows the journal live: a new overdue task appears at
// the top without a reload.
func TestBrowserTaskBoardLive(t *testing.T) {
	t.Parallel()
	env := fyrtest.Start(t)
	staff := env.Token(auth.Staff)
	id := openIncident(t, env, staff)
	env.Do(staff, "POST", "/api/v1/incidents/"+id+"/journal", map[string]any{"kind": "task", "text": "Ring leverantören",
		"task": map[string]any{"owner": "Åsa", "deadline": env.Svc.Now().Add(time.Hour).Format(time.RFC3339)}}, nil)
	browser := startBrowser(t)
	b := newTab(t, browser, "staff")
	b.do("laptop", chromedp.EmulateViewport(1366, 768))
	b.login(env.URL, "staff", "/incidents/"+id+"/tasks", "#open-tasks")
	cdpEval[chromedp.Void](b, "mark the page", "window.fyrNoReload = true")
	var e struct {
		Serial int `json:"serial"`
	}
	env.Do(staff, "POST", "/api/v1/incidents/"+id+"/journal", map[string]any{"kind": "task", "text": "Inventera reservrutiner",
		"task": map[string]any{"owner": "Bengt", "deadline": env.Svc.Now().Add(-time.Hour).Format(time.RFC3339)}}, &e)
	b.do("the new task appears", chromedp.WaitVisible(chromedp.ID(fmt.Sprintf("t-%d", e.Serial))))
	if first := cdpEval[string](b, "first row", `document.querySelector("#open-tasks tbody tr").id`); first != fmt.Sprintf("t-%d", e.Serial) {
		t.Errorf("the overdue task is not first: %s", first)
	}
	if !cdpEval[bool](b, "marker", "window.fyrNoReload === true") {
		t.Error("the board reloaded the page")
	}
	axeAudit(t, b, "task board")
	b.do("phone", chromedp.EmulateViewport(390, 844), chromedp.Reload(), chromedp.WaitVisible(chromedp.ID("open-tasks")))
	checkNoSideScroll(t, b, "task board", 390)
	shotView(t, b, "tasks-390.png")
}
