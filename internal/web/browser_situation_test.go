package web_test

import (
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"fyr/internal/fyrtest"
)

// The unit page prints on A4, and the browser keeps a copy that it shows,
// marked with the time it was fetched, when Fyr cannot be reached.
func TestBrowserUnitPageOfflineCopyAndPrint(t *testing.T) {
	t.Parallel()
	env := fyrtest.Start(t)
	openRound(t, env)
	target, _ := url.Parse(env.URL)
	front := httptest.NewServer(httputil.NewSingleHostReverseProxy(target))
	t.Cleanup(front.Close)
	browser := startBrowser(t)
	u := newTab(t, browser, "unit phone")
	u.do("phone viewport", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateTouch))
	u.login(front.URL, "unit", "/unit", "#unit-live")
	u.do("the service worker takes control", chromedp.Poll[chromedp.Void](`navigator.serviceWorker.controller !== null`))
	// The first load came before the worker: load again through it.
	u.do("reload through the worker", chromedp.Navigate(front.URL+"/unit"), chromedp.WaitVisible(chromedp.ID("unit-live")))
	// The worker stores the copy after answering: wait until it is there.
	if !cdpEval[bool](u, "the page is kept", `(async () => {
		for (let i = 0; i < 300; i++) {
			if (await (await caches.open("fyr-unit-v1")).match("/unit")) return true;
			await new Promise(r => setTimeout(r, 20));
		}
		return false;
	})()`) {
		t.Fatal("the service worker kept no copy of the unit page")
	}
	taken := cdpEval[string](u, "taken", `document.getElementById("taken").textContent`)
	if !cdpEval[bool](u, "print button", `(() => { const b = document.querySelector("[data-print]"); return !!b && !b.hidden && b.offsetWidth > 0 })()`) {
		t.Error("the unit page shows no print button")
	}
	if cdpEval[bool](u, "banner hidden online", `getComputedStyle(document.querySelector(".offline-banner")).display !== "none"`) {
		t.Fatal("the offline banner shows while online")
	}

	pdf := cdpRun(u, "print to PDF", chromedp.PrintToPDF(chromedp.PDFPreferCSSPageSize()))
	if !strings.HasPrefix(string(pdf), "%PDF-") {
		t.Fatalf("PrintToPDF gave %d bytes", len(pdf))
	}
	path := filepath.Join(t.TempDir(), "unit.pdf")
	os.WriteFile(path, pdf, 0o600)
	out, err := exec.Command("pdftotext", "-layout", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext (Debian package poppler-utils): %v", err)
	}
	for _, want := range []string{"Avdelning 1", "Lägesrapport 14:00", taken} {
		if !strings.Contains(string(out), want) {
			t.Errorf("the printed unit page lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(string(out), "Skriv ut") || strings.Contains(string(out), "Logga ut") {
		t.Errorf("the printed unit page carries buttons:\n%s", out)
	}

	front.CloseClientConnections()
	front.Close()
	u.do("open the page with Fyr unreachable", chromedp.Navigate(front.URL+"/unit"),
		chromedp.WaitVisible(chromedp.CSS(`.copy[data-copy="offline"] .offline-banner`)))
	banner := cdpEval[string](u, "banner", `document.querySelector(".offline-banner").textContent`)
	if !strings.Contains(banner, taken) {
		t.Errorf("the offline banner %q does not carry the time the copy was fetched (%s)", banner, taken)
	}
	if !strings.Contains(cdpEval[string](u, "content", `document.getElementById("unit-live").textContent`), "Lägesrapport 14:00") {
		t.Error("the offline copy lacks the page's content")
	}
}

// checkNoSideScroll fails when a page scrolls sideways at width.
func checkNoSideScroll(t *testing.T, b *browserTab, name string, width int) {
	t.Helper()
	r := cdpEval[struct {
		ScrollWidth int      `json:"scrollWidth"`
		InnerWidth  int      `json:"innerWidth"`
		Wide        []string `json:"wide"`
	}](b, "measure "+name, overflowJS)
	if r.ScrollWidth > r.InnerWidth || r.ScrollWidth > width {
		t.Errorf("%s on a %d px phone scrolls sideways: scrollWidth %d; too wide: %s", name, width, r.ScrollWidth, strings.Join(r.Wide, ", "))
	}
}
