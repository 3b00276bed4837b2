package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"fyr/internal/auth"
	"fyr/internal/dispatch"
	"fyr/internal/fyrtest"
	"fyr/internal/incident"
)

// A unit contact acknowledges on a phone; the staff's coverage board
// updates live, without reloading.
func TestBrowserUnitAcknowledgesOnPhone(t *testing.T) {
	t.Parallel()
	env := fyrtest.Start(t)
	ctx := context.Background()
	staff := env.Principal(auth.Staff)
	inc, err := env.Svc.Incidents.OpenIncident(ctx, staff, incident.Open{Title: "IT-avbrott", Scope: "region", Level: incident.Reinforcement})
	if err != nil {
		t.Fatal(err)
	}
	d, err := env.Svc.Dispatch.CreateDispatch(ctx, staff, dispatch.Create{Incident: inc.ID, Kind: dispatch.KindMessage,
		Title: "Kan ni ta emot akuta patienter i natt?", Body: "Svara senast 22.00.",
		Audience: dispatch.Audience{Units: []string{"avd1", fyrtest.Hospital}},
		Question: &dispatch.Question{Text: "Akuta patienter i natt?", Answers: []string{"Ja", "Nej", "Delvis"}},
		Deadline: env.Svc.Now().Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	board := "/dispatches/" + string(d.Dispatch)
	browser := startBrowser(t)

	s := newTab(t, browser, "staff")
	s.login(env.URL, "staff", board, "#coverage-"+string(d.Dispatch))
	s.do("mark the board", chromedp.Evaluate[chromedp.Void]("window.__notReloaded = true"))
	axeAudit(t, s, "coverage board")

	u := newTab(t, browser, "unit phone")
	u.do("phone viewport", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateTouch))
	u.login(env.URL, "unit", "/inbox", ".inbox")
	u.submit("open the dispatch", `.inbox a`)
	u.do("the receipt form", chromedp.WaitVisible(chromedp.ID("ack-form")))
	axeAudit(t, u, "unit dispatch page on a phone")
	u.do("choose an answer", chromedp.Click(chromedp.ID("ans-2"), chromedp.NodeVisible))
	u.submit("acknowledge", "button.ack")
	u.do("confirmation", chromedp.WaitVisible(chromedp.CSS(".done")))

	s.do("the board shows the receipt live", chromedp.WaitVisible(chromedp.CSS("#u-avd1.acked")))
	text := cdpEval[string](s, "coverage text", `document.getElementById("coverage-`+string(d.Dispatch)+`").textContent`)
	if !strings.Contains(text, "1 av 2") {
		t.Fatalf("coverage after one receipt: %q", text)
	}
	if !cdpEval[bool](s, "not reloaded", "window.__notReloaded === true") {
		t.Fatal("the board reloaded instead of updating live")
	}
}
