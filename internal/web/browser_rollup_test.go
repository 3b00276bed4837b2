package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"fyr/internal/auth"
	"fyr/internal/fyrtest"
	"fyr/internal/situation"
)

// A unit contact reports on a phone; the staff's roll-up shows it live,
// without reloading the page.
func TestBrowserUnitReportsOnPhoneAndRollupUpdatesLive(t *testing.T) {
	t.Parallel()
	env := fyrtest.Start(t)
	inc, _ := openRound(t, env)
	browser := startBrowser(t)

	s := newTab(t, browser, "staff")
	overview := "/incidents/" + string(inc.ID) + "/overview"
	s.login(env.URL, "staff", overview, "#rollup")
	s.do("mark the page", chromedp.Evaluate[chromedp.Void]("window.__notReloaded = true"))
	if strings.Contains(cdpEval[string](s, "roll-up before", `document.getElementById("rollup").textContent`), "TakeCare") {
		t.Fatal("the roll-up shows a system before any report")
	}

	u := newTab(t, browser, "unit phone")
	u.do("phone viewport", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateTouch))
	u.login(env.URL, "unit", "/unit", "#unit-live")
	axeAudit(t, u, "unit page on a phone")
	// axe opened every <details>, the menu too: close it as a user would.
	u.do("close the menu", chromedp.Click(chromedp.CSS("header details > summary"), chromedp.NodeVisible))
	u.submit("open the report form", `.todo a.button`)
	u.do("the report form", chromedp.WaitVisible(chromedp.ID("report-form")))
	axeAudit(t, u, "report form on a phone")
	checkNoSideScroll(t, u, "report form", 390)
	u.do("fill in the report",
		chromedp.Click(chromedp.ID("state-closed"), chromedp.NodeVisible),
		chromedp.SetValue(chromedp.CSS(`#staff\.present`), "4"),
		chromedp.SetValue(chromedp.CSS(`#staff\.missing`), "3"),
		chromedp.SetValue(chromedp.CSS(`#beds\.total`), "12"),
		chromedp.SetValue(chromedp.CSS(`#beds\.occupied`), "12"),
		chromedp.SendKeys(chromedp.CSS(`#sys\.name\.0`), "TakeCare"),
		chromedp.SetValue(chromedp.CSS(`#sys\.state\.0`), "down"),
		chromedp.SendKeys(chromedp.CSS(`#needs`), "Reservkraft till kylskåpen"))
	u.submit("send the report", "button.ack")
	u.do("confirmation", chromedp.WaitVisible(chromedp.ID("filed")))

	s.do("the roll-up shows the report live", chromedp.Poll[chromedp.Void](
		`document.getElementById("rollup").textContent.includes("TakeCare")`))
	text := cdpEval[string](s, "roll-up after", `document.getElementById("rollup").textContent`)
	if !strings.Contains(text, "Avdelning 1") {
		t.Errorf("the roll-up does not name the closed unit:\n%s", text)
	}
	if !cdpEval[bool](s, "not reloaded", "window.__notReloaded === true") {
		t.Fatal("the roll-up page reloaded instead of updating in place")
	}

	// The list of lägesbild versions follows a new draft the same way.
	s.do("the versions list", chromedp.Navigate(env.URL+"/incidents/"+string(inc.ID)+"/pictures"),
		chromedp.WaitVisible(chromedp.ID("pictures-empty")),
		chromedp.Evaluate[chromedp.Void]("window.__notReloaded = true"))
	if _, err := env.Svc.Situation.DraftPicture(context.Background(), env.Principal(auth.Staff), situation.DraftPicture{Incident: inc.ID}); err != nil {
		t.Fatal(err)
	}
	s.do("the new draft shows live", chromedp.WaitVisible(chromedp.ID("picture-versions")))
	if !cdpEval[bool](s, "not reloaded", "window.__notReloaded === true") {
		t.Fatal("the versions list reloaded instead of updating in place")
	}
}
