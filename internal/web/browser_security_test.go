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

// A receipt page shown in a real browser sends its beacon and so counts as
// opened; the coverage board says what "opened" means; the pages of this
// work (receipt, channels with a refused SMS number, a unit account on a
// unit whose contacts it may not see) pass axe-core on a phone.
func TestBrowserReceiptBeaconAndSecurityPages(t *testing.T) {
	t.Parallel()
	env := fyrtest.Start(t)
	ctx := context.Background()
	staff := env.Principal(auth.Staff)
	inc, err := env.Svc.Incidents.OpenIncident(ctx, staff, incident.Open{Title: "IT-avbrott", Scope: "region", Level: incident.Staff})
	if err != nil {
		t.Fatal(err)
	}
	d, err := env.Svc.Dispatch.CreateDispatch(ctx, staff, dispatch.Create{Incident: inc.ID, Kind: dispatch.KindMessage,
		Title: "Ställ in planerade operationer", Body: "Gäller från kl. 08.03.", Audience: dispatch.Audience{Units: []string{"avd1"}},
		Deadline: env.Svc.Now().Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	for range 6 {
		env.Svc.Dispatch.AcknowledgeBySMS(ctx, "+46701112233", "000000", "")
	}
	token := env.Svc.Dispatch.ReceiptLink("attempt-1", d.Dispatch, "avd1", "Anna Test", dispatch.Email)
	browser := startBrowser(t)

	u := newTab(t, browser, "receipt on a phone")
	u.do("phone viewport", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateTouch))
	before := env.Svc.Seq()
	u.do("open the receipt link", chromedp.Navigate(env.URL+"/r/"+token), chromedp.WaitVisible(chromedp.ID("receipt-form")))
	wctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	if err := env.Svc.WaitFor(wctx, before+1); err != nil {
		t.Fatalf("the page's beacon recorded nothing: %v", err)
	}
	if _, states, _ := env.Svc.Dispatch.Dispatch(staff, d.Dispatch); states[0].Opened.IsZero() {
		t.Fatal("the page was shown but the dispatch is not opened")
	}
	axeAudit(t, u, "receipt page on a phone")
	shot(t, u, "receipt-phone")

	s := newTab(t, browser, "staff on a phone")
	s.do("phone viewport", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateTouch))
	board := "/dispatches/" + string(d.Dispatch)
	s.login(env.URL, "staff", board, "#coverage-"+string(d.Dispatch))
	means := cdpEval[string](s, "what opened means", `document.getElementById("opened-means-`+string(d.Dispatch)+`").textContent`)
	if !strings.Contains(means, "Öppnat") || !strings.Contains(means, "e-postfilter") {
		t.Fatalf("the board does not say what opened means: %q", means)
	}
	axeAudit(t, s, "coverage board on a phone")
	shot(t, s, "board-phone")
	s.do("channels", chromedp.Navigate(env.URL+"/channels"), chromedp.WaitVisible(chromedp.ID("sms-guessers")))
	if n := s.count("#sms-guessers strong.failing"); n != 1 {
		t.Fatalf("the channels page shows %d refused numbers, want 1", n)
	}
	axeAudit(t, s, "channels page on a phone")
	shot(t, s, "channels-phone")

	w := newTab(t, browser, "unit account on a phone")
	w.do("phone viewport", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateTouch))
	w.login(env.URL, "unit", "/directory?unit="+fyrtest.Hospital, "#reach-h")
	w.do("another unit's page", chromedp.Navigate(env.URL+"/directory?unit=region"), chromedp.WaitVisible(chromedp.ID("contacts-hidden")))
	axeAudit(t, w, "another unit's page for a unit account")
	shot(t, w, "directory-hidden-phone")
}
