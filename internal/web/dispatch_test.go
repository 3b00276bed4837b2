package web_test

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"fyr/internal/auth"
	"fyr/internal/dispatch"
	"fyr/internal/fyrtest"
	"fyr/internal/web"
)

func TestDispatchFromFormToReceipt(t *testing.T) {
	t.Parallel()
	env := fyrtest.Start(t)
	id := openIncident(t, env, env.Token(auth.Staff))
	staff := newBrowser(t, env)
	staff.login(auth.Staff)
	staff.get("/incidents/" + id + "/dispatch")

	// Bad input names the field and writes nothing.
	before := env.Svc.Seq()
	code, _, body := staff.post("/incidents/"+id+"/dispatch", url.Values{"csrf": {staff.csrf}, "kind": {"message"}, "title": {"Ställ in"},
		"deadline": {"30"}, "channels": {"inapp"}, "step": {"preview"}})
	if code != 400 || !strings.Contains(body, `<a href="#d-q">Mottagare</a>`) || env.Svc.Seq() != before {
		t.Fatalf("empty audience: %d", code)
	}
	loc := sendDispatch(t, staff, id, url.Values{"kind": {"message"}, "title": {"Kan ni operera i natt?"},
		"subtrees": {fyrtest.Hospital}, "question": {"Akut kirurgi i natt?"}, "answers": {"Ja\nNej\nDelvis"}, "deadline": {"30"}}, 2)
	_, board := staff.get(loc)
	if !strings.Contains(board, "0 av 2 enheter") || !strings.Contains(board, `id="u-avd1"`) {
		t.Fatal("the board does not show 0 of 2 units with a row per unit")
	}
	_, page := staff.get("/incidents/" + id)
	if !strings.Contains(page, "Utskick: Kan ni operera i natt?") {
		t.Fatal("the dispatch is not in the journal")
	}

	// The unit's own account: inbox, open, acknowledge with an answer.
	unit := newBrowser(t, env)
	unit.login(auth.Unit)
	_, inbox := unit.get("/inbox")
	if !strings.Contains(inbox, loc) {
		t.Fatal("the unit's inbox lacks the dispatch")
	}
	unit.get(loc)
	code, _, body = unit.post(loc+"/ack", url.Values{"csrf": {unit.csrf}, "answer": {"Kanske"}})
	if code != 400 || !strings.Contains(body, "<code>answer</code>") {
		t.Fatalf("answer outside the fixed ones: %d", code)
	}
	if code, _, _ := unit.post(loc+"/ack", url.Values{"csrf": {unit.csrf}, "answer": {"Delvis"}, "readback": {"En sal öppen"}}); code != 303 {
		t.Fatalf("ack: %d", code)
	}
	if _, mine := unit.get(loc); !strings.Contains(mine, "Din enhet har kvitterat") {
		t.Fatal("the unit page does not confirm the receipt")
	}
	_, board = staff.get(loc)
	if !strings.Contains(board, "1 av 2 enheter") || !strings.Contains(board, "Delvis") || !strings.Contains(board, "En sal öppen") {
		t.Fatal("the board does not show the receipt with its answer and read-back")
	}
	// The staff takes the hospital's receipt by phone.
	if code, _, _ := staff.post(loc+"/ack", url.Values{"csrf": {staff.csrf}, "unit": {fyrtest.Hospital}, "answer": {"Ja"}}); code != 303 {
		t.Fatalf("receipt by phone: %d", code)
	}
	if _, board = staff.get(loc); !strings.Contains(board, "2 av 2 enheter (100 %)") || !strings.Contains(board, "100 %:") {
		t.Fatal("the board does not show full coverage and when it was reached")
	}
	noMissingKeys(t, staff, loc, loc+"/print", "/incidents/"+id)
	noMissingKeys(t, unit, loc, "/inbox")
	if code, print := staff.get(loc + "/print"); code != 200 || !strings.Contains(print, "print.css") || !strings.Contains(print, "2 av 2 enheter") {
		t.Fatalf("print view of the board: %d", code)
	}
	// A viewer may read the board but not acknowledge.
	viewer := newBrowser(t, env)
	viewer.login(auth.Viewer)
	if code, _ := viewer.get(loc); code != 200 {
		t.Fatalf("viewer board: %d", code)
	}
	if code, _, _ := viewer.post(loc+"/ack", url.Values{"csrf": {viewer.csrf}, "unit": {"avd1"}}); code != 403 {
		t.Fatalf("viewer ack: %d", code)
	}
}

func TestCoverageIsLive(t *testing.T) {
	t.Parallel()
	env := fyrtest.Start(t)
	staff := env.Token(auth.Staff)
	id := openIncident(t, env, staff)
	r, body := openSSE(t, env, env.Token(auth.Viewer), id, "")
	defer body.Close()
	b := newBrowser(t, env)
	b.login(auth.Staff)
	b.get("/incidents/" + id + "/dispatch")
	loc := sendDispatch(t, b, id, url.Values{"kind": {"message"}, "title": {"Rapportera läget"}, "units": {"avd1"}, "deadline": {"15"}}, 1)
	u := newBrowser(t, env)
	u.login(auth.Unit)
	u.get(loc)
	u.post(loc+"/ack", url.Values{"csrf": {u.csrf}})
	got := readSSE(t, r, "coverage", 3) // created, opened, acknowledged
	if !strings.Contains(got[2].data, "1 av 1 enheter") || !strings.Contains(got[2].data, `u-avd1`) {
		t.Fatalf("last coverage event: %s", got[2].data)
	}
	// The figure goes to every place the dispatch is listed, and those
	// places show it as a figure, not as a bare link.
	if !strings.Contains(got[2].data, `"figure":"Kvitterat 1 av 1"`) {
		t.Fatalf("the live update lacks the figure: %s", got[2].data)
	}
	_, page := b.get("/incidents/" + id)
	dispatchID := strings.TrimPrefix(loc, "/dispatches/")
	if n := strings.Count(page, `data-coverage="`+dispatchID+`">Kvitterat 1 av 1</span>`); n != 2 {
		t.Fatalf("the incident page shows the figure %d times, want in the list of dispatches and in the journal entry", n)
	}
}

// A signed receipt link works without a login, once; a forged or reused
// link gets a clear error and changes nothing.
func TestReceiptLinkWithoutLogin(t *testing.T) {
	t.Parallel()
	env := fyrtest.Start(t)
	staff := env.Token(auth.Staff)
	id := openIncident(t, env, staff)
	var d struct{ Dispatch string }
	env.Do(staff, "POST", "/api/v1/incidents/"+id+"/dispatches", map[string]any{"kind": "message", "title": "Ställ in planerade operationer",
		"audience": map[string]any{"units": []string{"avd1"}}, "question": map[string]any{"text": "Klart?", "answers": []string{"Ja", "Nej"}},
		"deadline": time.Now().Add(time.Hour).Format(time.RFC3339)}, &d)
	token := env.Svc.Dispatch.ReceiptLink("attempt-1", dispatch.ID(d.Dispatch), "avd1", "Anna Test", dispatch.SMS)
	anon := newBrowser(t, env)
	code, page := anon.get("/r/" + token)
	if code != 200 || !strings.Contains(page, "Ställ in planerade operationer") || !strings.Contains(page, "Anna Test") {
		t.Fatalf("following the link: %d", code)
	}
	var board struct {
		Units []dispatch.UnitState `json:"units"`
	}
	env.Do(staff, "GET", "/api/v1/dispatches/"+d.Dispatch, nil, &board)
	if !board.Units[0].Opened.IsZero() {
		t.Fatal("a plain GET of the link (what a mail scanner does) marked the dispatch opened")
	}
	// The page's own beacon, sent once the page is shown, does.
	if code, _, _ := anon.post("/r/"+token+"/opened", nil); code != 204 {
		t.Fatalf("the page's beacon: %d", code)
	}
	env.Do(staff, "GET", "/api/v1/dispatches/"+d.Dispatch, nil, &board)
	if board.Units[0].Opened.IsZero() {
		t.Fatal("the page's beacon did not mark the dispatch opened")
	}
	before := env.Svc.Seq()
	if code, _, _ := anon.post("/r/x"+token+"/opened", nil); code != 400 {
		t.Errorf("a beacon with a forged link: %d", code)
	}
	for name, tok := range map[string]string{"forged": "x" + token, "garbage": "abc"} {
		if code, _, body := anon.post("/r/"+tok, url.Values{"answer": {"Ja"}}); code != 400 || !strings.Contains(body, "kvittenslänk") {
			t.Errorf("%s link: %d", name, code)
		}
	}
	if env.Svc.Seq() != before {
		t.Fatal("a bad link wrote events")
	}
	if code, loc, _ := anon.post("/r/"+token, url.Values{"answer": {"Ja"}, "readback": {"Uppfattat"}}); code != 303 {
		t.Fatalf("acknowledge by link: %d", code)
	} else if _, done := anon.get(loc); !strings.Contains(done, "Tack.") {
		t.Fatal("no confirmation after acknowledging")
	}
	env.Do(staff, "GET", "/api/v1/dispatches/"+d.Dispatch, nil, &board)
	if a := board.Units[0].Ack; a == nil || a.Channel != dispatch.SMS || a.By != "Anna Test" || a.Answer != "Ja" {
		t.Fatalf("receipt by link: %+v", a)
	}
	before = env.Svc.Seq()
	if code, _, body := anon.post("/r/"+token, url.Values{"answer": {"Nej"}}); code != 400 || !strings.Contains(body, "redan använts") {
		t.Fatalf("reused link: %d", code)
	}
	// Opened again later, without this page's own receipt before it, the
	// used link says so.
	if code, body := anon.get("/r/" + token); code != 400 || !strings.Contains(body, "redan använts") || strings.Contains(body, "Tack.") {
		t.Fatalf("a used link opened again: %d", code)
	}
	if env.Svc.Seq() != before {
		t.Fatal("a reused link wrote events")
	}
}

// A unit's open inbox hears of a new dispatch to the unit at once.
func TestInboxIsLive(t *testing.T) {
	t.Parallel()
	env := fyrtest.Start(t)
	staff := env.Token(auth.Staff)
	id := openIncident(t, env, staff)
	r, body := openSSE(t, env, env.Token(auth.Unit), "", "")
	defer body.Close()
	for _, unit := range []string{fyrtest.Hospital, "avd1"} { // the first is not the unit account's
		env.Do(staff, "POST", "/api/v1/incidents/"+id+"/dispatches", map[string]any{"kind": "message", "title": "Till " + unit,
			"audience": map[string]any{"units": []string{unit}}, "deadline": time.Now().Add(time.Hour).Format(time.RFC3339)}, nil)
	}
	got := readSSE(t, r, "inbox", 1)
	if !strings.Contains(got[0].data, "Till avd1") {
		t.Fatalf("the unit's inbox heard %s; want only the dispatch to its own unit", got[0].data)
	}
}

var (
	digestField = regexp.MustCompile(`name="audience_digest" value="([0-9a-f]+)"`)
	tokenField  = regexp.MustCompile(`name="token" value="([^"]+)"`)
)

// sendDispatch sends a dispatch through the form as the staff does: the
// preview, which must name units units, then its confirmation. It returns
// the board's path.
func sendDispatch(t *testing.T, b *browser, incident string, form url.Values, units int) string {
	t.Helper()
	before := b.env.Svc.Seq()
	form.Set("csrf", b.csrf)
	if form.Get("channels") == "" {
		form.Set("channels", "inapp")
	}
	form.Set("step", "preview")
	code, _, page := b.post("/incidents/"+incident+"/dispatch", form)
	digest, token := digestField.FindStringSubmatch(page), tokenField.FindStringSubmatch(page)
	if code != 200 || digest == nil || token == nil || !strings.Contains(page, fmt.Sprintf("Skickas till %d enheter", units)) {
		t.Fatalf("preview: %d, want the list of %d units and a confirmation", code, units)
	}
	if b.env.Svc.Seq() != before {
		t.Fatal("the preview wrote to the log")
	}
	form.Set("step", "send")
	form.Set("audience_digest", digest[1])
	form.Set("token", token[1])
	code, loc, _ := b.post("/incidents/"+incident+"/dispatch", form)
	if code != 303 || !strings.HasPrefix(loc, "/dispatches/") {
		t.Fatalf("confirm: %d %q", code, loc)
	}
	// A second click on the confirmation sends nothing more.
	seq := b.env.Svc.Seq()
	if code, again, _ := b.post("/incidents/"+incident+"/dispatch", form); code != 303 || again != loc || b.env.Svc.Seq() != seq {
		t.Fatalf("the confirmation sent twice: %d %q (first %q)", code, again, loc)
	}
	return loc
}

// The dispatch form and its preview speak English to an English user: no
// Swedish label left over.
func TestDispatchFormInEnglish(t *testing.T) {
	t.Parallel()
	env := fyrtest.Start(t)
	id := openIncident(t, env, env.Token(auth.Staff))
	b := newBrowser(t, env)
	b.login(auth.Staff)
	b.get("/lang?l=en&back=/")
	_, form := b.get("/incidents/" + id + "/dispatch")
	_, _, preview := b.post("/incidents/"+id+"/dispatch", url.Values{"csrf": {b.csrf}, "kind": {"message"}, "title": {"Report by 14.00"},
		"units": {"avd1"}, "deadline": {"30"}, "channels": {"inapp"}, "step": {"preview"}})
	for name, page := range map[string]string{"form": form, "preview": preview} {
		for _, sv := range []string{"Mottagare", "Kvittens senast", "Skicka till", "Sök enhet", "Kanaler", "med alla under", "Skickas till"} {
			if strings.Contains(page, sv) {
				t.Errorf("the English %s holds the Swedish %q", name, sv)
			}
		}
	}
	if !strings.Contains(preview, "Goes to 1 units") || !strings.Contains(preview, "Send to 1 units") {
		t.Error("the English preview lacks its count")
	}
	noMissingKeys(t, b, "/incidents/"+id+"/dispatch", "/incidents/"+id)
}

// keyLeak is a message key shown instead of its text (T falls back to the
// key).
var keyLeak = regexp.MustCompile(`>[^<]*\b(dsp|dispatch|channel|outcome)\.[a-z][a-z.]*`)

// noMissingKeys fails when a page shows a message key of the dispatch pages
// in place of a text.
func noMissingKeys(t *testing.T, b *browser, paths ...string) {
	t.Helper()
	for _, path := range paths {
		if _, page := b.get(path); keyLeak.MatchString(page) {
			t.Errorf("%s shows the message key %q", path, keyLeak.FindString(page))
		}
	}
}

// Without JavaScript the search and the quick picks are answered by the
// server: the form comes back filtered, with every tick kept, or with the
// deadline set; nothing is sent.
func TestDispatchFormWithoutJavaScript(t *testing.T) {
	t.Parallel()
	env := fyrtest.Start(t)
	id := openIncident(t, env, env.Token(auth.Staff))
	b := newBrowser(t, env)
	b.login(auth.Staff)
	b.get("/incidents/" + id + "/dispatch")
	before := env.Svc.Seq()
	code, _, page := b.post("/incidents/"+id+"/dispatch", url.Values{"csrf": {b.csrf}, "kind": {"message"}, "title": {"Läget"},
		"q": {"avdel"}, "subtrees": {fyrtest.Hospital}, "step": {"filter"}})
	if code != 200 {
		t.Fatalf("search: %d", code)
	}
	for _, want := range []string{
		`<li><span><input type="checkbox" name="units" value="avd1" id="du-avd1">`, // a match
		`<li><span><input type="checkbox" name="units" value="region"`,             // above a match
		`<input type="checkbox" name="subtrees" value="` + fyrtest.Hospital + `" id="ds-` + fyrtest.Hospital + `" checked>`,
		`value="Läget"`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the searched form lacks %s", want)
		}
	}
	_, _, page = b.post("/incidents/"+id+"/dispatch", url.Values{"csrf": {b.csrf}, "q": {"ingen sådan"}, "step": {"filter"}})
	if !strings.Contains(page, `<li hidden><span><input type="checkbox" name="units" value="avd1"`) ||
		strings.Contains(page, `id="d-q-none" hidden`) {
		t.Error("a search without a match hides nothing or does not say so")
	}
	_, _, page = b.post("/incidents/"+id+"/dispatch", url.Values{"csrf": {b.csrf}, "quick": {"60"}})
	want := env.Svc.Now().Add(time.Hour).In(web.Stockholm)
	if !strings.Contains(page, `value="`+want.Format("2006-01-02T15:04")+`"`) && !strings.Contains(page, `value="`+want.Add(-time.Minute).Format("2006-01-02T15:04")+`"`) {
		t.Error("the quick pick +1 h did not set the deadline")
	}
	if env.Svc.Seq() != before {
		t.Fatal("searching or picking a deadline wrote to the log")
	}
}
