package web_test

// Browser tests of issue 8's points 6, 8 and 12 for the staff and the
// administrator, on a laptop (1366×768) and, for the user page and the
// error pages, a phone (390 px): four eyes says who may approve instead of
// offering a button that can only fail; the round's table holds in each
// column what its header says; "live" is said only when it is live; the
// administrator's user page; error pages in the house style; a login that
// says it is working.

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"fyr/internal/auth"
	"fyr/internal/directory"
	"fyr/internal/dispatch"
	"fyr/internal/fail"
	"fyr/internal/fyrtest"
	"fyr/internal/incident"
	"fyr/internal/situation"
)

const laptopW, laptopH = 1366, 768

func laptop(b *browserTab) {
	b.t.Helper()
	b.do("laptop viewport", chromedp.EmulateViewport(laptopW, laptopH))
}

// text is the visible text of the first element matching sel ("" when none).
func (b *browserTab) text(sel string) string {
	b.t.Helper()
	return cdpEval[string](b, "text of "+sel, fmt.Sprintf(`(document.querySelector(%q) || {innerText: ""}).innerText`, sel))
}

// shot saves a full-page PNG when FYR_SHOTS names a directory, to look at.
func shot(t *testing.T, b *browserTab, name string) {
	t.Helper()
	dir := os.Getenv("FYR_SHOTS")
	if dir == "" {
		return
	}
	png := cdpRun(b, "screenshot "+name, chromedp.FullScreenshot(100))
	if err := os.WriteFile(dir+"/"+name+".png", png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// shotOf saves a PNG of one element when FYR_SHOTS names a directory.
func shotOf(t *testing.T, b *browserTab, name, sel string) {
	t.Helper()
	dir := os.Getenv("FYR_SHOTS")
	if dir == "" {
		return
	}
	png := cdpRun(b, "screenshot "+name, chromedp.Screenshot(chromedp.CSS(sel)))
	if err := os.WriteFile(dir+"/"+name+".png", png, 0o644); err != nil {
		t.Fatal(err)
	}
}

func staffPrincipal(t *testing.T, env *fyrtest.Env, username string) auth.Principal {
	t.Helper()
	u, ok := env.Svc.Auth.User(username)
	if !ok {
		t.Fatalf("no account %q", username)
	}
	return auth.Principal{Username: u.Username, Name: u.Name, Role: u.Role, Function: u.Function}
}

// Point 6: the author of a draft is not offered "Godkänn" under four eyes,
// nor is anyone without the approving function; each is told, in the
// page's language, who may approve. The service's refusal is complete.
func TestBrowserFourEyesSaysWhoMayApprove(t *testing.T) {
	t.Parallel()
	env := fyrtest.Start(t)
	ctx := context.Background()
	inc := pictureIncident(t, env)
	addStabschef(t, env, "chef1", "Stina Stabschef")
	addStabschef(t, env, "chef2", "Anna Andersson")
	pic, err := env.Svc.Situation.DraftPicture(ctx, staffPrincipal(t, env, "chef1"), situation.DraftPicture{Incident: inc})
	if err != nil {
		t.Fatal(err)
	}
	path := "/pictures/" + string(pic.ID)

	// The service's refusal names the rule and what must happen, whole.
	_, err = env.Svc.Situation.ApprovePicture(ctx, staffPrincipal(t, env, "chef1"), pic.ID)
	if msg := fail.As(err).Message; fail.As(err).Code != fail.Forbidden || !strings.HasSuffix(msg, "another holder of the approving function must approve it") {
		t.Errorf("the author's approval is refused with %q (%s), want the whole rule", msg, fail.As(err).Code)
	}

	browser := startBrowser(t)
	author := newTab(t, browser, "author (stabschef)")
	laptop(author)
	author.login(env.URL, "chef1", path, "#picture-status")
	if n := author.count("#approve-form"); n != 0 {
		t.Error("the author is offered Godkänn under four eyes: it can only be refused")
	}
	if got := author.text("#approve-who"); got != "Godkänns av en annan stabschef: Anna Andersson." {
		t.Errorf("the author's page says %q about who approves, want the other stabschef named", got)
	}
	axeAudit(t, author, "draft, its author")
	phone(author)
	checkNoSideScroll(t, author, "draft, its author", 390)
	shotOf(t, author, "picture-author-phone", "#approve-wait")
	laptop(author)
	author.do("English", chromedp.Navigate(env.URL+"/lang?l=en&back="+path), chromedp.WaitVisible(chromedp.ID("approve-who")))
	if got := author.text("#approve-who"); got != "To be approved by another stabschef: Anna Andersson." {
		t.Errorf("in English the author's page says %q", got)
	}
	if got := author.text("#approve-wait"); strings.Contains(got, "Godkänn") {
		t.Errorf("the English page speaks Swedish: %q", got)
	}

	// Staff without the function: no button, the approvers named (the
	// author not among them under four eyes).
	staff := newTab(t, browser, "staff without the function")
	laptop(staff)
	staff.login(env.URL, "staff", path, "#picture-status")
	if n := staff.count("#approve-form"); n != 0 {
		t.Error("staff without the approving function is offered Godkänn")
	}
	if got := staff.text("#approve-who"); got != "Godkänns av stabschef: Anna Andersson." {
		t.Errorf("staff's page says %q about who approves", got)
	}

	// The other stabschef is offered it, and it works.
	chef2 := newTab(t, browser, "the other stabschef")
	laptop(chef2)
	chef2.login(env.URL, "chef2", path, "#picture-status")
	if n := chef2.count("#approve-who"); n != 0 {
		t.Error("the one who may approve is told who may")
	}
	chef2.submit("approve", "#approve-form button[type=submit]")
	chef2.do("approved", chromedp.WaitVisible(chromedp.CSS("#picture-status.pstatus-approved")))
}

// roundColumnsJS maps each row of the round's table to its cells by the
// header's text, and reports whether a cell holds a phone link.
const roundColumnsJS = `(() => {
  const heads = Array.from(document.querySelectorAll("#round-units thead th")).map(th => th.innerText.trim());
  return Array.from(document.querySelectorAll("#round-units tbody tr")).map(tr => {
    const cells = Array.from(tr.children);
    const row = {id: tr.id, cells: cells.length, heads: heads.length, tel: {}, text: {}};
    cells.forEach((c, i) => { row.tel[heads[i]] = !!c.querySelector("a[href^='tel:']"); row.text[heads[i]] = c.innerText.trim(); });
    return row;
  });
})()`

type roundRow struct {
	ID    string            `json:"id"`
	Cells int               `json:"cells"`
	Heads int               `json:"heads"`
	Tel   map[string]bool   `json:"tel"`
	Text  map[string]string `json:"text"`
}

// roundWithOneMissing opens a round to two units: the hospital reports (by
// phone, through the staff), Avdelning 1 (whose primary contact has a
// mobile) does not.
func roundWithOneMissing(t *testing.T, env *fyrtest.Env) (incident.ID, situation.RoundID) {
	t.Helper()
	ctx := context.Background()
	staff := env.Principal(auth.Staff)
	inc, err := env.Svc.Incidents.OpenIncident(ctx, staff, incident.Open{Title: "Strömavbrott", Scope: "region", Level: incident.Staff,
		Reason: "Elnätet nere", DecidedBy: "TiB"})
	if err != nil {
		t.Fatal(err)
	}
	admin := env.Principal(auth.Admin)
	if _, err := env.Svc.Directory.SetContacts(ctx, &admin, directory.SetContacts{Unit: "avd1", Primary: "p1"}); err != nil {
		t.Fatal(err)
	}
	round, err := env.Svc.Situation.OpenRound(ctx, staff, situation.OpenRound{Incident: inc.ID,
		Audience: dispatch.Audience{Units: []string{"avd1", fyrtest.Hospital}}, Deadline: env.Svc.Now().Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.Svc.Situation.FileReport(ctx, staff, situation.File{Round: round.Round, Unit: fyrtest.Hospital, Values: situation.Values{
		State: situation.Normal, Staff: situation.Staffing{Present: 40}, Beds: situation.Beds{Total: 100, Occupied: 80}}}); err != nil {
		t.Fatal(err)
	}
	return inc.ID, round.Round
}

// Point 8: the round's table holds in each column what its header says
// (the contact details of a missing unit are not under "Rapporterad"),
// and the rounds, roll-up and picture pages say "live" only once they are.
func TestBrowserRoundColumnsAndLiveOnlyWhenLive(t *testing.T) {
	t.Parallel()
	env := fyrtest.Start(t)
	inc, round := roundWithOneMissing(t, env)
	roundPath := "/rounds/" + string(round)
	pages := []struct{ name, path, ready string }{
		{"round", roundPath, "#round-units"},
		{"roll-up", "/incidents/" + string(inc) + "/overview", "#rollup"},
		{"picture versions", "/incidents/" + string(inc) + "/pictures", "#versions-h"},
	}
	browser := startBrowser(t)
	b := newTab(t, browser, "staff")
	laptop(b)
	b.login(env.URL, "staff", roundPath, "#round-units")

	rows := cdpEval[[]roundRow](b, "the round's table", roundColumnsJS)
	if len(rows) != 2 {
		t.Fatalf("the round's table has %d rows, want 2", len(rows))
	}
	for _, r := range rows {
		if r.Cells != r.Heads {
			t.Errorf("row %s has %d cells under %d headers", r.ID, r.Cells, r.Heads)
		}
		if r.Tel["Rapporterad"] {
			t.Errorf("row %s holds a phone number under \"Rapporterad\" (%q)", r.ID, r.Text["Rapporterad"])
		}
	}
	missing := rows[0]
	if missing.ID != "ru-avd1" || !missing.Tel["Ring"] || missing.Text["Rapporterad"] != "Ej rapporterat" {
		t.Errorf("the missing unit's row: %+v; want Avdelning 1 first, its phone under \"Ring\" and \"Ej rapporterat\" under \"Rapporterad\"", missing)
	}
	if got := rows[1].Text["Rapporterad"]; !regexp.MustCompile(`^\d{4}-\d\d-\d\d \d\d:\d\d`).MatchString(got) {
		t.Errorf("the reported unit's \"Rapporterad\" reads %q, want the time", got)
	}

	// On a phone each row is a card whose lines say what they hold.
	phone(b)
	b.do("the round on a phone", chromedp.Navigate(env.URL+roundPath), chromedp.WaitVisible(chromedp.CSS("#live-state:not(.off)")))
	checkNoSideScroll(t, b, "the round", 390)
	axeAudit(t, b, "the round on a phone")
	shotOf(t, b, "round-phone", "#round-units")
	laptop(b)

	// With JavaScript the marker appears once the live connection is open.
	for _, p := range pages {
		b.do(p.name, chromedp.Navigate(env.URL+p.path), chromedp.WaitVisible(chromedp.CSS(p.ready)),
			chromedp.WaitVisible(chromedp.CSS("#live-state:not(.off)")))
		if got := b.text("#live-state"); !strings.HasPrefix(got, "Uppdateras direkt") {
			t.Errorf("%s: the live marker reads %q once connected", p.name, got)
		}
	}

	// Without JavaScript nothing claims to be live.
	nojs := newTab(t, browser, "staff without JavaScript")
	laptop(nojs)
	nojs.login(env.URL, "staff", roundPath, "#round-units")
	nojs.do("turn JavaScript off", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
		return err
	}))
	for _, p := range pages {
		nojs.do(p.name+" without JavaScript", chromedp.Navigate(env.URL+p.path), chromedp.WaitVisible(chromedp.CSS(p.ready)))
		body := cdpRun(nojs, "read "+p.name, chromedp.Text(chromedp.CSS("body")))
		if strings.Contains(body, "Uppdateras") || strings.Contains(body, "direkt") {
			t.Errorf("%s without JavaScript claims to be live: %q", p.name, body)
		}
	}
	// Nor does the page a plain HTTP client gets: the marker is sent
	// hidden and empty.
	hb := newBrowser(t, env)
	hb.login(auth.Staff)
	tagRe := regexp.MustCompile(`(?s)<[^>]*>`)
	for _, p := range pages {
		_, page := hb.get(p.path)
		if visible := tagRe.ReplaceAllString(page, " "); strings.Contains(visible, "Uppdateras") {
			t.Errorf("%s over plain HTTP says it updates live", p.name)
		}
		if !strings.Contains(page, `id="live-state" hidden`) {
			t.Errorf("%s has no hidden live marker", p.name)
		}
	}
}

// Point 12: the administrator manages accounts on a page: list, create,
// change role, function and unit, disable, enable, reset the password.
// Checked on a laptop and on a phone, axe-clean; other roles get 403.
func TestBrowserUsersPage(t *testing.T) {
	t.Parallel()
	env := fyrtest.Start(t)
	browser := startBrowser(t)
	b := newTab(t, browser, "admin")
	laptop(b)
	b.login(env.URL, "admin", "/", "a[href='/users']")
	b.do("the user page from the navigation", chromedp.Click(chromedp.CSS("a[href='/users']"), chromedp.NodeVisible),
		chromedp.WaitVisible(chromedp.ID("users")))
	for _, role := range auth.Roles {
		row := b.text("#u-" + string(role))
		if !strings.Contains(row, "Test "+string(role)) || !strings.Contains(row, "Aktivt") {
			t.Errorf("the list's row of %s reads %q", role, row)
		}
	}
	if got := b.text("#u-unit"); !strings.Contains(got, "Enhet") || !strings.Contains(got, "Avdelning 1") {
		t.Errorf("the unit account's row reads %q, want its role and unit by name", got)
	}
	axeAudit(t, b, "user list")
	checkWeight(t, b, "user list")

	// A new account; a refusal names the field and keeps what was typed.
	b.do("fill in a new account with a short password",
		chromedp.SendKeys(chromedp.ID("n-username"), "anna.a"),
		chromedp.SendKeys(chromedp.ID("n-name"), "Anna Andersson"),
		chromedp.SetValue(chromedp.ID("n-role"), "staff"),
		chromedp.SendKeys(chromedp.ID("n-function"), "Stabschef"),
		chromedp.SendKeys(chromedp.ID("n-password"), "kort"),
		chromedp.RemoveAttribute(chromedp.ID("n-password"), "minlength"))
	b.submit("create with a short password", "#user-new button[type=submit]")
	if got := b.text("#user-error"); !strings.Contains(got, "password") {
		t.Errorf("a short password is refused with %q, want the field named", got)
	}
	if v := cdpEval[string](b, "kept name", `document.getElementById("n-name").value`); v != "Anna Andersson" {
		t.Errorf("the refused form lost the name: %q", v)
	}
	b.do("a long password", chromedp.SendKeys(chromedp.ID("n-password"), "ett-langt-losenord-1"))
	b.submit("create", "#user-new button[type=submit]")
	b.do("created", chromedp.WaitVisible(chromedp.ID("user-notice")))
	if got := b.text("#u-anna\\.a"); !strings.Contains(got, "Anna Andersson") || !strings.Contains(got, "Stab") || !strings.Contains(got, "Stabschef") {
		t.Errorf("the new account's row reads %q", got)
	}
	u, ok := env.Svc.Auth.User("anna.a")
	if !ok || u.Role != auth.Staff || u.Function != "Stabschef" {
		t.Fatalf("the account created: %+v", u)
	}

	// Change it to a unit account for Avdelning 1.
	b.do("open the account", chromedp.Click(chromedp.CSS(`a[href="/users/anna.a"]`), chromedp.NodeVisible),
		chromedp.WaitVisible(chromedp.ID("user-change")))
	axeAudit(t, b, "one account")
	b.do("make it a unit account", chromedp.SetValue(chromedp.ID("c-role"), "unit"), chromedp.SetValue(chromedp.ID("c-unit"), "avd1"))
	b.submit("save", "#user-change button[type=submit]")
	b.do("changed", chromedp.WaitVisible(chromedp.ID("user-notice")))
	if u, _ := env.Svc.Auth.User("anna.a"); u.Role != auth.Unit || u.Unit != "avd1" {
		t.Errorf("after the change: %+v", u)
	}
	// Reset the password: the new one logs in over the API.
	b.do("a new password", chromedp.SendKeys(chromedp.ID("pw-new"), "ett-annat-losenord-2"))
	b.submit("set the password", "#user-password button[type=submit]")
	b.do("password set", chromedp.WaitVisible(chromedp.ID("user-notice")))
	if code := env.Do("", "POST", "/api/v1/login", map[string]string{"username": "anna.a", "password": "ett-annat-losenord-2"}, nil); code != 200 {
		t.Errorf("login with the reset password: %d", code)
	}
	// Disable, then enable.
	b.submit("disable", "#user-disable button[type=submit]")
	b.do("disabled", chromedp.WaitVisible(chromedp.ID("user-enable")))
	if got := b.text("#user-status"); got != "Avstängt" {
		t.Errorf("status after disabling: %q", got)
	}
	if code := env.Do("", "POST", "/api/v1/login", map[string]string{"username": "anna.a", "password": "ett-annat-losenord-2"}, nil); code != 401 {
		t.Errorf("a disabled account logs in: %d", code)
	}
	b.submit("enable", "#user-enable button[type=submit]")
	b.do("enabled", chromedp.WaitVisible(chromedp.ID("user-disable")))
	if code := env.Do("", "POST", "/api/v1/login", map[string]string{"username": "anna.a", "password": "ett-annat-losenord-2"}, nil); code != 200 {
		t.Errorf("the enabled account cannot log in: %d", code)
	}
	// The only administrator cannot disable itself.
	b.do("own account", chromedp.Navigate(env.URL+"/users/admin"), chromedp.WaitVisible(chromedp.ID("user-disable")))
	b.submit("disable the only admin", "#user-disable button[type=submit]")
	if got := b.text("#user-error"); !strings.Contains(got, "enda administratören") {
		t.Errorf("disabling the only admin answers %q", got)
	}

	// On a phone: no sideways scrolling, axe-clean.
	phone(b)
	for _, p := range []struct{ name, path, ready string }{{"user list", "/users", "#users"}, {"one account", "/users/anna.a", "#user-change"}} {
		b.do(p.name+" on a phone", chromedp.Navigate(env.URL+p.path), chromedp.WaitVisible(chromedp.CSS(p.ready)))
		checkNoSideScroll(t, b, p.name, 390)
		axeAudit(t, b, p.name+" on a phone")
		shot(t, b, "users-"+strings.ReplaceAll(p.name, " ", "-")+"-phone")
	}

	// Staff meets the 403 page, in the house style, with a way on.
	s := newTab(t, browser, "staff")
	laptop(s)
	s.login(env.URL, "staff", "/users", "#error-title")
	if got := s.text("#error-title"); got != "Du har inte behörighet" {
		t.Errorf("staff on /users sees %q", got)
	}
	if s.count(`#error-next a[href="/"]`) != 1 || s.count(`#error-next a[href^="/login"]`) != 1 {
		t.Error("the 403 page offers no way home or to log in with another account")
	}
}

// Point 12: 404, 403 and 500 are pages in the house style, in the user's
// language, saying what to do next; the API keeps its JSON errors.
func TestBrowserErrorPages(t *testing.T) {
	t.Parallel()
	env := fyrtest.Start(t)
	seedBrowserIncidents(t, env)
	// A page that fails inside, as a disk or a bug would make it.
	mux := http.NewServeMux()
	mux.Handle("/boom", env.Web.PageForTest(func(http.ResponseWriter, *http.Request, auth.Principal) error {
		return errors.New("disk on fire at /var/lib/fyr")
	}))
	mux.Handle("/", env.Web)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)

	// The API answers JSON, not a page.
	var apiErr fyrtest.APIError
	if code := env.Do("", "GET", "/api/v1/no-such-thing", nil, &apiErr); code != 404 || apiErr.Error.Code != "not_found" {
		t.Errorf("an unknown API address: %d %+v, want 404 with a JSON error", code, apiErr)
	}

	browser := startBrowser(t)
	b := newTab(t, browser, "visitor")
	for _, width := range []int64{laptopW, 390} {
		if width == 390 {
			phone(b)
		} else {
			laptop(b)
		}
		// Not logged in: a 404 page that shows nothing about incidents.
		resp := cdpRun(b, "404", chromedp.NavigateResponse(srv.URL+"/no/such/page"))
		if resp.Status != 404 {
			t.Errorf("an unknown page answers %d", resp.Status)
		}
		if got := b.text("#error-title"); got != "Sidan finns inte" {
			t.Errorf("404 page title %q", got)
		}
		if b.count("#banner p.banner") != 0 {
			t.Error("the 404 page shows incidents before login")
		}
		if b.count(`#error-next a[href^="/login"]`) != 1 {
			t.Error("the 404 page offers no way to log in")
		}
		axeAudit(t, b, fmt.Sprintf("404 page at %d px", width))
		checkNoSideScroll(t, b, "404 page", int(width))
		shot(t, b, fmt.Sprintf("404-%d", width))
	}

	s := newTab(t, browser, "staff")
	laptop(s)
	s.login(srv.URL, "staff", "/", "#o-title")
	for _, width := range []int64{laptopW, 390} {
		if width == 390 {
			phone(s)
		}
		resp := cdpRun(s, "404 logged in", chromedp.NavigateResponse(srv.URL+"/incidents/no-such-incident"))
		if resp.Status != 404 || s.text("#error-title") != "Sidan finns inte" || s.count(`#error-next a[href="/"]`) != 1 {
			t.Errorf("a missing incident: %d %q; want the 404 page with a way home", resp.Status, s.text("#error-title"))
		}
		resp = cdpRun(s, "403", chromedp.NavigateResponse(srv.URL+"/users"))
		if resp.Status != 403 || s.text("#error-title") != "Du har inte behörighet" {
			t.Errorf("staff on /users: %d %q", resp.Status, s.text("#error-title"))
		}
		axeAudit(t, s, fmt.Sprintf("403 page at %d px", width))
		checkNoSideScroll(t, s, "403 page", int(width))
		shot(t, s, fmt.Sprintf("403-%d", width))
		resp = cdpRun(s, "500", chromedp.NavigateResponse(srv.URL+"/boom"))
		body := s.text("main")
		if resp.Status != 500 || s.text("#error-title") != "Något gick fel i Fyr" || s.count(`#error-next a[href="/boom"]`) != 1 {
			t.Errorf("an internal error: %d %q; want the 500 page with a way to try again", resp.Status, s.text("#error-title"))
		}
		if strings.Contains(body, "disk on fire") || !strings.Contains(body, "Tid:") {
			t.Errorf("the 500 page shows the internal error or no time to quote: %q", body)
		}
		axeAudit(t, s, fmt.Sprintf("500 page at %d px", width))
		checkNoSideScroll(t, s, "500 page", int(width))
		shot(t, s, fmt.Sprintf("500-%d", width))
	}
	// Where a form posts to, opened as a page (a bookmark): the 404 page too.
	s.do("laptop again", chromedp.EmulateViewport(laptopW, laptopH))
	resp := cdpRun(s, "a form's address", chromedp.NavigateResponse(srv.URL+"/users/staff/disable"))
	if resp.Status != 404 || s.text("#error-title") != "Sidan finns inte" {
		t.Errorf("GET of a form's address: %d %q; want the 404 page", resp.Status, s.text("#error-title"))
	}
	// In English, in English.
	s.do("English", chromedp.Navigate(srv.URL+"/lang?l=en&back=/no-such-page"), chromedp.WaitVisible(chromedp.ID("error-title")))
	if got := s.text("main"); !strings.Contains(got, "Page not found") || strings.Contains(got, "Sidan") || strings.Contains(got, "startsidan") {
		t.Errorf("the English 404 page reads %q", got)
	}
}

// Point 12: login says it is working while the password is checked. The
// hashing slots are held so that the check waits as it would under load;
// the test lets it go once the page has said so.
func TestBrowserLoginSaysItIsWorking(t *testing.T) {
	t.Parallel()
	env := fyrtest.Start(t)
	release := make(chan struct{})
	held := make(chan struct{})
	const slots = 2 // the app's limiter: the password hashes run at once
	for range slots {
		go env.Svc.Auth.Limiter.Hash(func() {
			held <- struct{}{}
			<-release
		})
	}
	for range slots {
		<-held
	}
	var once bool
	letGo := func() {
		if !once {
			once = true
			close(release)
		}
	}
	t.Cleanup(letGo)

	browser := startBrowser(t)
	b := newTab(t, browser, "staff")
	laptop(b)
	b.do("the login page", chromedp.Navigate(env.URL+"/login"),
		chromedp.SendKeys(chromedp.ID("username"), "staff"),
		chromedp.SendKeys(chromedp.ID("password"), fyrtest.Password))
	// Clicked from the page: the submit handlers run before click returns;
	// the login then waits for a hashing slot.
	type state struct {
		Disabled bool   `json:"disabled"`
		Button   string `json:"button"`
		Busy     string `json:"busy"`
		Status   string `json:"status"`
	}
	// One evaluation clicks and reads: while the page waits for the answer
	// the browser may not run another.
	const read = `(click) => { const f = document.querySelector('form[action="/login"]'), b = f.querySelector("button[type=submit]");
	  if (click) b.click();
	  return {disabled: b.disabled, button: b.textContent, busy: f.getAttribute("aria-busy") || "", status: f.querySelector("[data-busy-status]").textContent}; }`
	before := cdpEval[state](b, "before", "("+read+")(false)")
	if before.Disabled || before.Button != "Logga in" || before.Status != "" {
		t.Fatalf("before submitting the login form shows %+v", before)
	}
	got := cdpEval[state](b, "submit", "("+read+")(true)")
	if !got.Disabled || got.Button != "Loggar in…" || got.Busy != "true" || !strings.HasPrefix(got.Status, "Loggar in…") {
		t.Errorf("while the password is checked the form shows %+v; want the button disabled reading \"Loggar in…\" and a status line", got)
	}
	letGo()
	b.do("logged in", chromedp.WaitVisible(chromedp.ID("o-title")))
}
