package web_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"fyr/internal/app"
	"fyr/internal/auth"
	"fyr/internal/fyrtest"
)

// On a phone, with the storage full: every page says at the top that
// nothing can be saved and reading works; a form sent anyway answers a
// page saying nothing was saved. Both pass axe-core and fit 390 px.
func TestBrowserStorageFullOnAPhone(t *testing.T) {
	t.Parallel()
	env := fyrtest.StartWith(t, app.Config{Dir: t.TempDir(), MaxStore: 256 << 10})
	token := env.Token(auth.Staff)
	var inc struct{ ID string }
	env.Do(token, "POST", "/api/v1/incidents", map[string]any{"title": "Lagringen full", "scope": "region", "level": "staff"}, &inc)
	big := strings.Repeat("lägesrapport ", 1500)
	code := 0
	for i := 0; i < 500 && code != 503; i++ {
		code = env.Do(token, "POST", "/api/v1/incidents/"+inc.ID+"/journal", map[string]any{"kind": "info_in", "text": fmt.Sprint(i, big)}, nil)
	}
	if code != 503 {
		t.Fatal("the storage limit was not reached")
	}

	browser := startBrowser(t)
	b := newTab(t, browser, "phone")
	b.do("phone viewport", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateTouch))
	b.login(env.URL, "staff", "/", "#writes-down")
	banner := cdpEval[string](b, "banner text", `document.getElementById("writes-down").textContent`)
	if !strings.Contains(banner, "Lagringen är full") {
		t.Errorf("banner %q", banner)
	}
	shot(t, b, "storage-full-incidents")
	axeAudit(t, b, "incident list, storage full")

	b.do("fill in the form to open an incident", chromedp.SendKeys(chromedp.ID("o-title"), "Skrivs inte"))
	b.submit("open an incident", `form[action="/incidents"] button[type=submit]`)
	msg := cdpEval[string](b, "error text", `document.querySelector("main .error").textContent`)
	if !strings.Contains(msg, "Lagringen är full — ingenting sparades") {
		t.Errorf("error page says %q", msg)
	}
	shot(t, b, "storage-full-error")
	axeAudit(t, b, "error page, storage full")
}
