package ui_test

// A real headless Chromium against a real Fyr: a ward on a 390 px phone
// records backlog with +1 and a number and works some off; the staff page
// shows it live. The helpers are a minimal copy of internal/web's
// browser_test.go (test helpers of another package cannot be imported).
//
// BACKLOG_SHOTS=dir writes screenshots of both pages there.

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"fyr/internal/fyrtest"
)

const stepTimeout = 20 * time.Second

type tab struct {
	t   *testing.T
	ctx context.Context
}

// browser starts a headless Chromium for the test. A missing browser
// fails the test: CI installs it.
func browser(t *testing.T) context.Context {
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
		chromedp.Flag("disable-sync", true))
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

func newTab(t *testing.T, b context.Context) *tab {
	ctx, cancel := chromedp.NewContext(b, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("open tab: %v", err)
	}
	return &tab{t, ctx}
}

func (b *tab) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
}

func eval[T any](b *tab, what, expr string) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
	return v
}

// submit clicks a submit button and waits for the page that answers.
func (b *tab) submit(what, button string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Click(chromedp.CSS(button), chromedp.NodeVisible))); err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
}

func (b *tab) login(base, user, back, ready string) {
	b.t.Helper()
	b.do("login page", chromedp.Navigate(base+"/login?back="+url.QueryEscape(back)),
		chromedp.SendKeys(chromedp.ID("username"), user), chromedp.SendKeys(chromedp.ID("password"), fyrtest.Password))
	b.submit("log in as "+user, `form[action="/login"] button[type=submit]`)
	b.do("page after login", chromedp.WaitVisible(chromedp.CSS(ready)))
}

func (b *tab) text(id string) string {
	b.t.Helper()
	return eval[string](b, "text of #"+id, fmt.Sprintf("document.getElementById(%q).textContent.replace(/\\s+/g, ' ')", id))
}

// axe runs the vendored axe-core of internal/web on the page and fails
// the test with every WCAG 2.1 AA violation.
func (b *tab) axe(name string) {
	b.t.Helper()
	src, err := os.ReadFile(filepath.Join("..", "..", "web", "testdata", "axe.min.js"))
	if err != nil {
		b.t.Fatal(err)
	}
	eval[chromedp.Void](b, "inject axe", string(src))
	type violation struct {
		ID    string   `json:"id"`
		Help  string   `json:"help"`
		Nodes []string `json:"nodes"`
	}
	for _, v := range eval[[]violation](b, "axe on "+name, `(async () => {
  const r = await axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}});
  return r.violations.map(v => ({id: v.id, help: v.help, nodes: v.nodes.map(n => n.target.join(" ") + ": " + (n.failureSummary || ""))}));
})()`) {
		b.t.Errorf("%s: axe %s: %s\n  %s", name, v.ID, v.Help, strings.Join(v.Nodes, "\n  "))
	}
}

func (b *tab) noSideScroll(name string, width int) {
	b.t.Helper()
	if w := eval[int](b, "scroll width", "document.documentElement.scrollWidth"); w > width {
		b.t.Errorf("%s scrolls sideways on a %d px phone: scrollWidth %d", name, width, w)
	}
}

func (b *tab) shot(name string) {
	dir := os.Getenv("BACKLOG_SHOTS")
	if dir == "" {
		return
	}
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

func TestBrowserAWardRecordsBacklogAndTheStaffSeeItLive(t *testing.T) {
	env, inc := start(t)
	opened := time.Now()
	br := browser(t)
	staffPage := "/incidents/" + string(inc) + "/backlog"

	s := newTab(t, br)
	s.login(env.URL, "staff", staffPage, "#backlog-empty")
	s.do("mark the page", chromedp.Evaluate[chromedp.Void]("window.__notReloaded = true"))

	u := newTab(t, br)
	const width = 390
	u.do("phone viewport", chromedp.EmulateViewport(width, 844, chromedp.EmulateMobile, chromedp.EmulateTouch))
	u.login(env.URL, "unit", staffPage, "#backlog-empty") // a unit account lands on its own unit's page
	if !strings.Contains(u.text("backlog-empty"), "Inget att efterregistrera") {
		t.Fatalf("the empty state says %q", u.text("backlog-empty"))
	}
	u.axe("the ward's empty page")
	u.shot("unit-empty")

	// A new line: one prescription written on paper in Cosmic.
	u.do("choose system and kind", chromedp.SetValue(chromedp.ID("new-system"), "cosmic"), chromedp.SetValue(chromedp.ID("new-kind"), "prescriptions"))
	u.submit("add the first", "#new-form button.ack")
	u.do("the new row", chromedp.WaitVisible(chromedp.ID("row-cosmic-prescriptions")))
	if got := u.text("saved"); !strings.Contains(got, "Sparat kl ") || !strings.Contains(got, ": +1. Kvar 1.") {
		t.Fatalf("confirmation %q", got)
	}
	u.submit("+1", "#row-cosmic-prescriptions .plus-form button")
	if got := u.text("saved"); !strings.Contains(got, ": +1. Kvar 2.") {
		t.Fatalf("after +1: %q", got)
	}
	u.do("a number", chromedp.SetValue(chromedp.ID("row-cosmic-prescriptions-n"), "12"))
	u.submit("add 12", `#row-cosmic-prescriptions .count-form button[value=add]`)
	if got := u.text("saved"); !strings.Contains(got, ": +12. Kvar 14.") {
		t.Fatalf("after +12: %q", got)
	}
	u.shot("unit-saved")
	u.do("worked off", chromedp.SetValue(chromedp.ID("row-cosmic-prescriptions-n"), "5"))
	u.submit("work off 5", `#row-cosmic-prescriptions .count-form button[value=off]`)
	if got := u.text("saved"); !strings.Contains(got, ": arbetat av 5. Kvar 9.") {
		t.Fatalf("after working off 5: %q", got)
	}
	u.do("more than is left", chromedp.SetValue(chromedp.ID("row-cosmic-prescriptions-n"), "10"))
	u.submit("work off 10", `#row-cosmic-prescriptions .count-form button[value=off]`)
	if got := u.text("backlog-error"); !strings.Contains(got, "Fel i fältet antal") || !strings.Contains(got, "bara 9") {
		t.Fatalf("refusal %q", got)
	}
	if n := eval[int](u, "where the refusal is", `document.querySelectorAll("#row-cosmic-prescriptions #backlog-error").length`); n != 1 {
		t.Fatal("the refusal is not shown in the row whose form was sent")
	}
	if v := eval[string](u, "the new form", `document.getElementById("new-count").value`); v != "1" {
		t.Errorf("the new line's form took the refused row's number: %q", v)
	}
	u.axe("the ward's page with a refusal")
	u.noSideScroll("the ward's page", width)
	u.shot("unit-refused")

	s.do("the staff page shows it live", chromedp.Poll[chromedp.Void](
		`(document.getElementById("sys-cosmic-t") || {textContent: ""}).textContent.includes("Kvar 9")`))
	if got := s.text("sys-cosmic-t"); !strings.Contains(got, "av 14") || !strings.Contains(got, "5 klara") {
		t.Errorf("the staff's Cosmic line: %q", got)
	}
	if got := s.text("unit-avd1"); !strings.Contains(got, "Avdelning 1") {
		t.Errorf("the staff's unit line: %q", got)
	}
	if !eval[bool](s, "not reloaded", "window.__notReloaded === true") {
		t.Fatal("the staff page reloaded instead of updating in place")
	}
	s.axe("the staff page")

	// Reading works without JavaScript: the numbers are in the page.
	n := newTab(t, br)
	n.login(env.URL, "viewer", "/backlog", ".inbox a")
	n.do("turn JavaScript off", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
		return err
	}), chromedp.Navigate(env.URL+staffPage), chromedp.WaitVisible(chromedp.ID("sys-cosmic-t")))
	if got := n.text("sys-cosmic-t"); !strings.Contains(got, "Kvar 9") {
		t.Errorf("without JavaScript the viewer reads %q", got)
	}
	// As it stood before the ward recorded anything: empty, and not live.
	n.do("the page as it stood", chromedp.Navigate(env.URL+staffPage+"?at="+url.QueryEscape(opened.Format(time.RFC3339Nano))),
		chromedp.WaitVisible(chromedp.ID("backlog-empty")), chromedp.WaitVisible(chromedp.CSS("p.asof")))
	if c := eval[int](n, "live marker", `document.querySelectorAll("#live-state").length`); c != 0 {
		t.Error("a view of the past says it is live")
	}
	n.do("the list of incidents", chromedp.Navigate(env.URL+"/backlog"), chromedp.WaitVisible(chromedp.CSS(".inbox a")))
	if got := eval[string](n, "index", `document.querySelector(".inbox li").textContent`); !strings.Contains(got, "Cosmic nere") || !strings.Contains(got, "Kvar 9") {
		t.Errorf("the backlog index: %q", got)
	}
	s.shot("staff")
	s.do("staff on a phone", chromedp.EmulateViewport(width, 844, chromedp.EmulateMobile, chromedp.EmulateTouch), chromedp.Reload())
	s.noSideScroll("the staff page", width)
	s.shot("staff-phone")
}
