package web_test

import (
	"context"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"fyr/internal/auth"
	"fyr/internal/dispatch"
	"fyr/internal/fyrtest"
	"fyr/internal/incident"
	"fyr/internal/situation"
)

// addStabschef adds a staff account holding the approving function.
func addStabschef(t *testing.T, env *fyrtest.Env, username, name string) {
	t.Helper()
	if _, err := env.Svc.Auth.AddUser(context.Background(), nil, auth.AddUser{Username: username, Name: name, Role: auth.Staff,
		Function: "stabschef", Hash: fyrtest.Hash(fyrtest.Password)}); err != nil {
		t.Fatalf("add %s: %v", username, err)
	}
}

// loginUser logs a browser in as any account.
func (b *browser) loginUser(username string) {
	b.t.Helper()
	code, loc, _ := b.post("/login", url.Values{"username": {username}, "password": {fyrtest.Password}, "back": {"/"}})
	if code != 303 || loc != "/" {
		b.t.Fatalf("login as %s: %d → %q", username, code, loc)
	}
	b.get("/")
}

// getRaw fetches a file: status, headers and body.
func (b *browser) getRaw(path string) (int, http.Header, []byte) {
	b.t.Helper()
	resp, err := b.c.Get(b.env.URL + path)
	if err != nil {
		b.t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, []byte(readAll(resp))
}

// pictureIncident is an incident with what a picture is prefilled from: a
// decision, an open task and a reporting round in which one of two units
// has reported a limited operation and a journal system down.
func pictureIncident(t *testing.T, env *fyrtest.Env) incident.ID {
	t.Helper()
	ctx := context.Background()
	staff := env.Principal(auth.Staff)
	inc, err := env.Svc.Incidents.OpenIncident(ctx, staff, incident.Open{Title: "IT-avbrott i journalsystemet", Scope: "region", Level: incident.Staff,
		Reason: "Journalsystemet nere", DecidedBy: "TiB"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.Svc.Incidents.Record(ctx, staff, incident.Record{Incident: inc.ID, Kind: incident.Decision, Text: "All icke-akut vård ställs in",
		Decision: &incident.DecisionInfo{DecisionMaker: "Sjukvårdsledare"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := env.Svc.Incidents.Record(ctx, staff, incident.Record{Incident: inc.ID, Kind: incident.Task, Text: "Ta fram reservrutin för läkemedelslistor",
		Task: &incident.TaskInfo{Owner: "Chefläkare", Status: incident.TaskOpen}}); err != nil {
		t.Fatal(err)
	}
	round, err := env.Svc.Situation.OpenRound(ctx, staff, situation.OpenRound{Incident: inc.ID,
		Audience: dispatch.Audience{Units: []string{"avd1", fyrtest.Hospital}}, Deadline: env.Svc.Now().Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	unit, err := env.Svc.Auth.Authenticate(env.Token(auth.Unit))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.Svc.Situation.FileReport(ctx, unit, situation.File{Round: round.Round, Values: situation.Values{State: situation.Limited,
		Staff: situation.Staffing{Present: 12, Missing: 3}, Beds: situation.Beds{Total: 20, Occupied: 18},
		Systems: []situation.SystemStatus{{Name: "Cosmic", State: situation.Down}}}}); err != nil {
		t.Fatal(err)
	}
	return inc.ID
}

var untranslatedRe = regexp.MustCompile(`\b(picture|dispatch|search|error)\.[a-z_.]+`)

// checkPage fails on a page that shows a message key instead of its text.
func checkPage(t *testing.T, name, body string) {
	t.Helper()
	if m := untranslatedRe.FindString(body); m != "" {
		t.Errorf("%s shows the untranslated key %q", name, m)
	}
	if len(body) > 100*1024 {
		t.Errorf("%s weighs %d bytes", name, len(body))
	}
}

func TestPictureDraftApprovePublish(t *testing.T) {
	t.Parallel()
	env := fyrtest.Start(t)
	ctx := context.Background()
	id := string(pictureIncident(t, env))
	addStabschef(t, env, "chef1", "Stina Stabschef")
	addStabschef(t, env, "chef2", "Sara Stabschef")
	list := "/incidents/" + id + "/pictures"

	chef := newBrowser(t, env)
	chef.loginUser("chef1")
	code, page := chef.get(list)
	if code != 200 || !strings.Contains(page, `id="pictures-empty"`) || !strings.Contains(page, "Ny version") || !strings.Contains(page, "Fyra ögon gäller") {
		t.Fatalf("empty list: %d; want the empty state, the button and the four-eyes setting", code)
	}
	checkPage(t, "empty list", page)

	// A new version is prefilled from the roll-up, the levels, the decisions and the tasks.
	code, loc, _ := chef.post(list, url.Values{"csrf": {chef.csrf}})
	if code != 303 || !strings.HasPrefix(loc, "/pictures/") {
		t.Fatalf("new version: %d %q", code, loc)
	}
	v1 := loc
	v1ID := strings.TrimPrefix(v1, "/pictures/")
	_, page = chef.get(v1)
	for _, want := range []string{`id="picture-form"`, "1 av 2 enheter har rapporterat.", "Begränsad drift: Avdelning 1.",
		"Cosmic: nere hos 1 enhet", "Vårdplatser i drift 20, belagda 18, lediga 2", "Beslut: All icke-akut vård ställs in",
		`value="Ta fram reservrutin för läkemedelslistor"`, `value="Chefläkare"`, "Stabsläge", `<legend>Konsekvenser</legend>`,
		`<label for="pf-consequences.patient_safety">`, `<label for="pf-d0-what">`, `pstatus-draft`} {
		if !strings.Contains(page, want) {
			t.Errorf("the prefilled draft lacks %q", want)
		}
	}
	checkPage(t, "draft", page)
	// Another draft while this one is unpublished is refused on the list.
	before := env.Svc.Seq()
	if code, _, body := chef.post(list, url.Values{"csrf": {chef.csrf}}); code != 409 || !strings.Contains(body, `id="picture-error"`) {
		t.Fatalf("second draft: %d", code)
	}

	// Bad input names the field, keeps what was typed and writes nothing.
	form := url.Values{"csrf": {chef.csrf}, "direction.rows": {"4"},
		"event":                       {"Cyberattack mot journalsystemet – påverkar Växjö och Ljungby"},
		"scope":                       {"Två sjukhus"},
		"consequences.patient_safety": {"Risk för felmedicinering utan läkemedelslistor"},
		"coordination":                {"Samverkan med kommunerna. Kontakt: Anna Test 070-123 45 67"},
		"forecast":                    {"Systemet åter tidigast i morgon"},
		"next_briefing":               {"i morgon bitti"},
		"direction[0].what":           {"Ta fram reservrutin för läkemedelslistor"}, "direction[0].owner": {"Chefläkare"},
		"direction[2].what": {"Informera kommunerna"}}
	code, _, body := chef.post(v1, form)
	if code != 400 || !strings.Contains(body, "<code>next_briefing</code>") || !strings.Contains(body, "Cyberattack mot journalsystemet – påverkar Växjö och Ljungby") {
		t.Fatalf("bad next_briefing: %d; the page must name next_briefing and keep the text", code)
	}
	if !regexp.MustCompile(`id="pf-next_briefing"[^>]*aria-invalid="true"`).MatchString(body) {
		t.Error("the bad input is not marked aria-invalid")
	}
	form.Set("next_briefing", "")
	code, _, body = chef.post(v1, form) // the third row has no owner: its row is named, not its place among the kept ones
	if code != 400 || !strings.Contains(body, "<code>direction[2].owner</code>") || !strings.Contains(body, `value="Informera kommunerna"`) {
		t.Fatalf("measure without owner: %d", code)
	}
	if env.Svc.Seq() != before {
		t.Fatal("refused forms wrote events")
	}
	form.Set("direction[2].owner", "Kommunikatör")
	form.Set("direction[2].deadline", "2099-01-01T12:00")
	form.Set("next_briefing", "2099-01-01T08:00")
	if code, loc, _ := chef.post(v1, form); code != 303 || loc != v1+"?done=saved" {
		t.Fatalf("revise: %d %q", code, loc)
	}
	_, page = chef.get(v1 + "?done=saved")
	if !strings.Contains(page, "Ändringarna är sparade") || !strings.Contains(page, `value="Informera kommunerna"`) || !strings.Contains(page, "2099-01-01T08:00") {
		t.Fatal("the saved draft does not show its new content")
	}

	// Publishing before approval is refused and writes nothing.
	before = env.Svc.Seq()
	if code, _, body := chef.post(v1+"/publish", url.Values{"csrf": {chef.csrf}}); code != 409 || !strings.Contains(body, "inte godkänd") || !strings.Contains(body, `id="picture-error"`) {
		t.Fatalf("publish a draft: %d", code)
	}
	// Four eyes: the author, a stabschef, may not approve it.
	if !strings.Contains(page, `id="approve-own"`) {
		t.Error("the author's page does not say that another must approve")
	}
	if code, _, body := chef.post(v1+"/approve", url.Values{"csrf": {chef.csrf}}); code != 403 || !strings.Contains(body, "Fyra ögon") || !strings.Contains(body, `id="picture-error"`) {
		t.Fatalf("the author approves: %d", code)
	}
	// Staff without the function, a viewer and a unit may not approve; the
	// viewer and the unit write nothing at all.
	staff := newBrowser(t, env)
	staff.login(auth.Staff)
	if _, page := staff.get(v1); strings.Contains(page, `id="approve-form"`) {
		t.Error("staff without the stabschef function sees the approve button")
	}
	if code, _, _ := staff.post(v1+"/approve", url.Values{"csrf": {staff.csrf}}); code != 403 {
		t.Errorf("staff approves: %d", code)
	}
	for _, role := range []auth.Role{auth.Viewer, auth.Unit} {
		b := newBrowser(t, env)
		b.login(role)
		for _, path := range []string{list, v1, v1 + "/approve", v1 + "/publish"} {
			if code, _, _ := b.post(path, url.Values{"csrf": {b.csrf}, "event": {"x"}}); code != 403 {
				t.Errorf("%s POST %s: %d, want 403", role, path, code)
			}
		}
	}
	viewer := newBrowser(t, env)
	viewer.login(auth.Viewer)
	if code, page := viewer.get(v1); code != 200 || strings.Contains(page, `id="picture-form"`) || !strings.Contains(page, "Cyberattack mot journalsystemet") {
		t.Errorf("viewer reads the draft: %d; read-only, no form", code)
	}
	unit := newBrowser(t, env)
	unit.login(auth.Unit)
	if code, _ := unit.get(v1); code != 404 {
		t.Errorf("unit reads a draft: %d, want 404", code)
	}
	if env.Svc.Seq() != before {
		t.Fatal("refused approvals and publications wrote events")
	}

	// Another stabschef approves.
	chef2 := newBrowser(t, env)
	chef2.loginUser("chef2")
	_, page = chef2.get(v1)
	if !strings.Contains(page, `id="approve-form"`) || strings.Contains(page, `id="approve-own"`) {
		t.Fatal("the second stabschef is not offered the approval")
	}
	if code, loc, _ := chef2.post(v1+"/approve", url.Values{"csrf": {chef2.csrf}}); code != 303 || loc != v1+"?done=approved" {
		t.Fatalf("approve: %d %q", code, loc)
	}
	_, page = chef.get(v1)
	if !strings.Contains(page, "pstatus-approved") || !strings.Contains(page, `id="publish-form"`) || strings.Contains(page, `id="picture-form"`) ||
		!strings.Contains(page, "Sara Stabschef (stabschef)") {
		t.Fatal("the approved version is not read-only with the publish form and the approver")
	}
	if code, _, body := chef.post(v1, form); code != 409 || !strings.Contains(body, "kan inte längre ändras") {
		t.Fatalf("revise an approved version: %d", code)
	}
	// The situation report exists only for a published version.
	if code, _, body := chef.getRaw(v1 + "/report.txt"); code != 409 || !strings.Contains(string(body), "Bara en publicerad lägesbild") {
		t.Fatalf("report of an unpublished version: %d", code)
	}

	// Publishing happens in a later millisecond than the approval (times
	// are kept to the millisecond), so that a view at the approval's time
	// shows the version approved and not yet published.
	approved, _ := env.Svc.Situation.Picture(env.Principal(auth.Staff), situation.PictureID(v1ID), incident.AsOf{})
	for !env.Svc.Now().Truncate(time.Millisecond).After(approved.ApprovedAt) {
	}
	if code, _, body := chef.post(v1+"/publish", url.Values{"csrf": {chef.csrf}, "deadline": {"0"}}); code != 400 || !strings.Contains(body, "<code>deadline</code>") {
		t.Fatalf("publish with a bad deadline: %d", code)
	}
	if code, loc, _ := chef.post(v1+"/publish", url.Values{"csrf": {chef.csrf}, "deadline": {"45"}}); code != 303 || loc != v1+"?done=published" {
		t.Fatalf("publish: %d %q", code, loc)
	}
	pub, _ := env.Svc.Situation.Picture(env.Principal(auth.Staff), situation.PictureID(v1ID), incident.AsOf{})
	if pub.Dispatch == "" {
		t.Fatal("the published version has no dispatch")
	}
	d, _, err := env.Svc.Dispatch.Dispatch(env.Principal(auth.Staff), pub.Dispatch)
	if err != nil || d.Kind != dispatch.KindPicture || !strings.Contains(d.Body, "Cyberattack mot journalsystemet") {
		t.Fatalf("the picture's dispatch: %v %+v", err, d.Created)
	}
	unitP, err := env.Svc.Auth.Authenticate(env.Token(auth.Unit))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.Svc.Dispatch.Acknowledge(ctx, unitP, dispatch.Acknowledge{Dispatch: pub.Dispatch}); err != nil {
		t.Fatal(err)
	}
	_, page = chef.get(v1)
	if !regexp.MustCompile(`Kvitterat: 1 av \d+ enheter`).MatchString(page) || !strings.Contains(page, `href="/dispatches/`+string(pub.Dispatch)+`"`) ||
		!strings.Contains(page, `id="report-txt"`) || !strings.Contains(page, `id="report-pdf"`) || !strings.Contains(page, "pstatus-published") {
		t.Fatal("the published page lacks the receipt coverage, the link to the board or the report links")
	}
	checkPage(t, "published", page)
	if code, page := unit.get(v1); code != 200 || !strings.Contains(page, "Cyberattack mot journalsystemet") || strings.Contains(page, `id="report-txt"`) {
		t.Errorf("unit reads the published version: %d; without the report links", code)
	}
	if code, _, _ := unit.getRaw(v1 + "/report.txt"); code != 403 {
		t.Errorf("unit fetches the report: %d, want 403", code)
	}

	// Point in time: at the approval the version stood approved.
	at := approved.ApprovedAt.UTC().Format(time.RFC3339Nano)
	_, then := chef.get(list + "?at=" + url.QueryEscape(at))
	_, now := chef.get(list)
	row := regexp.MustCompile(`(?s)<tr id="v-1">.*?</tr>`)
	if !strings.Contains(then, "Som det såg ut") || !strings.Contains(row.FindString(then), "pstatus-approved") || strings.Contains(then, "Ny version") {
		t.Errorf("the list at the approval does not show version 1 approved in a historical view")
	}
	if !strings.Contains(row.FindString(now), "pstatus-published") || !strings.Contains(now, "Ny version") {
		t.Error("the list now does not show version 1 published")
	}
	if _, then := chef.get(v1 + "?at=" + url.QueryEscape(at)); !strings.Contains(then, "pstatus-approved") || strings.Contains(then, `id="publish-form"`) {
		t.Error("the version at the approval is not approved and read-only")
	}
	early := env.Svc.Now().Add(-24 * time.Hour).UTC().Format(time.RFC3339)
	if _, then := chef.get(list + "?at=" + url.QueryEscape(early)); !strings.Contains(then, "Ingen version fanns") {
		t.Error("the list before the first version does not say that none existed")
	}

	// The print view has every field.
	code, print := chef.get(v1 + "/print")
	if code != 200 || !strings.Contains(print, "/static/print.css") || !strings.Contains(print, "Utskriven") || !strings.Contains(print, "Testregionen") {
		t.Fatalf("print view: %d", code)
	}
	for _, f := range situation.Fields(situation.Content{}, nil) {
		if !strings.Contains(print, "<h2>"+f.Label+"</h2>") {
			t.Errorf("print view lacks the field %q", f.Label)
		}
	}
	for _, want := range []string{"Cyberattack mot journalsystemet – påverkar Växjö och Ljungby", "Risk för felmedicinering", "Informera kommunerna", "Publicerad", "Sara Stabschef"} {
		if !strings.Contains(print, want) {
			t.Errorf("print view lacks %q", want)
		}
	}

	// The situation report: text without names or phone numbers, and a PDF.
	code, h, txt := chef.getRaw(v1 + "/report.txt")
	if code != 200 || h.Get("Content-Type") != "text/plain; charset=utf-8" ||
		h.Get("Content-Disposition") != `attachment; filename="lagesrapport-`+id+`-v1.txt"` {
		t.Fatalf("report.txt: %d %v", code, h)
	}
	report := string(txt)
	for _, want := range []string{"LÄGESRAPPORT", "Socialstyrelsen", "Länsstyrelsen", "Testregionen", "Cyberattack mot journalsystemet – påverkar Växjö och Ljungby", "SAMVERKAN"} {
		if !strings.Contains(report, want) {
			t.Errorf("report.txt lacks %q:\n%s", want, report)
		}
	}
	for _, banned := range []string{"Anna Test", "070-123 45 67", "Stina Stabschef", "Sara Stabschef", "Test staff"} {
		if strings.Contains(report, banned) {
			t.Errorf("report.txt holds personal data %q", banned)
		}
	}
	code, h, pdfBytes := chef.getRaw(v1 + "/report.pdf")
	if code != 200 || h.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(string(pdfBytes), "%PDF-") ||
		h.Get("Content-Disposition") != `attachment; filename="lagesrapport-`+id+`-v1.pdf"` {
		t.Fatalf("report.pdf: %d %v", code, h)
	}
	text := pdfText(t, pdfBytes)
	for _, want := range []string{"Cyberattack mot journalsystemet – påverkar Växjö och Ljungby", "Sida 1 av", "Samverkan", "LÄGESRAPPORT"} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF's text lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "Anna Test") || strings.Contains(text, "070-123 45 67") {
		t.Error("the PDF holds personal data")
	}

	// English throughout.
	chef.get("/lang?l=en&back=/")
	for _, p := range []string{list, v1, v1 + "/print"} {
		_, en := chef.get(p)
		if !strings.Contains(en, `lang="en"`) {
			t.Errorf("%s is not in English", p)
		}
		checkPage(t, p+" (English)", en)
	}
	if _, en := chef.get(v1); !strings.Contains(en, "Receipts") || !strings.Contains(en, "Consequences: patient safety") {
		t.Error("the English published page lacks its English labels")
	}
}

// pdfText extracts a PDF's text with pdftotext (poppler-utils, which the
// test script installs).
func pdfText(t *testing.T, data []byte) string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Fatal("pdftotext not found: install Debian's poppler-utils (scripts/test.sh does)")
	}
	path := filepath.Join(t.TempDir(), "report.pdf")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-enc", "UTF-8", "-layout", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return strings.Join(strings.Fields(string(out)), " ")
}

func TestPictureDiffMarksChangedFields(t *testing.T) {
	t.Parallel()
	env := fyrtest.Start(t)
	ctx := context.Background()
	id := pictureIncident(t, env)
	addStabschef(t, env, "chef1", "Stina Stabschef")
	staff := env.Principal(auth.Staff)
	chefP := auth.Principal{Username: "chef1", Name: "Stina Stabschef", Role: auth.Staff, Function: "stabschef"}
	v1, err := env.Svc.Situation.DraftPicture(ctx, staff, situation.DraftPicture{Incident: id, Content: situation.Content{
		Event: "Journalsystemet nere", Coordination: "Samverkan med kommunerna", Forecast: "Åter i kväll"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.Svc.Situation.ApprovePicture(ctx, chefP, v1.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := env.Svc.Situation.PublishPicture(ctx, staff, situation.Publish{Picture: v1.ID}); err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, env)
	b.login(auth.Staff)
	_, loc, _ := b.post("/incidents/"+string(id)+"/pictures", url.Values{"csrf": {b.csrf}})
	v2 := situation.PictureID(strings.TrimPrefix(loc, "/pictures/"))
	cur, _ := env.Svc.Situation.Picture(staff, v2, incident.AsOf{})
	if cur.Content.Coordination != "Samverkan med kommunerna" {
		t.Fatalf("the new version does not carry the coordination forward: %q", cur.Content.Coordination)
	}
	c := cur.Content
	c.Event, c.Forecast = "Journalsystemet nere", "Åter tidigast i morgon"
	if _, err := env.Svc.Situation.RevisePicture(ctx, staff, situation.Revise{Picture: v2, Content: c}); err != nil {
		t.Fatal(err)
	}
	_, list := b.get("/incidents/" + string(id) + "/pictures")
	if !strings.Contains(list, `id="compare-form"`) {
		t.Fatal("the list with two versions has no compare form")
	}
	resp, err := b.c.Get(env.URL + "/incidents/" + string(id) + "/pictures/compare?a=" + string(v1.ID) + "&with=" + string(v2))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 303 || resp.Header.Get("Location") != "/pictures/"+string(v1.ID)+"/diff?with="+string(v2) {
		t.Fatalf("compare: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	code, page := b.get("/pictures/" + string(v1.ID) + "/diff?with=" + string(v2))
	if code != 200 {
		t.Fatalf("diff: %d", code)
	}
	rowOf := func(key string) string {
		return regexp.MustCompile(`(?s)<tr id="d-` + regexp.QuoteMeta(key) + `"[^>]*>.*?</tr>`).FindString(page)
	}
	forecast := rowOf("forecast")
	if !strings.Contains(forecast, `class="changed"`) || !strings.Contains(forecast, "ändrat") ||
		!strings.Contains(forecast, "Åter i kväll") || !strings.Contains(forecast, "Åter tidigast i morgon") {
		t.Errorf("the forecast row is not marked changed with both values: %s", forecast)
	}
	if coord := rowOf("coordination"); coord == "" || strings.Contains(coord, "ändrat") || strings.Contains(coord, "changed") {
		t.Errorf("the unchanged coordination row is marked or missing: %s", coord)
	}
	if ev := rowOf("event"); strings.Contains(ev, "ändrat") {
		t.Errorf("the unchanged event row is marked: %s", ev)
	}
	checkPage(t, "diff", page)
	if code, _ := b.get("/pictures/" + string(v1.ID) + "/diff"); code != 400 {
		t.Errorf("diff without with: %d", code)
	}
}

// publishedAndDraft is an incident with version 1 published (drafted by
// staff, approved by the stabschef chef1) and version 2 a draft by staff.
func publishedAndDraft(t *testing.T, env *fyrtest.Env) (incident.ID, situation.PictureID, situation.PictureID) {
	t.Helper()
	ctx := context.Background()
	id := pictureIncident(t, env)
	addStabschef(t, env, "chef1", "Stina Stabschef")
	staff := env.Principal(auth.Staff)
	chef := auth.Principal{Username: "chef1", Name: "Stina Stabschef", Role: auth.Staff, Function: "stabschef"}
	v1, err := env.Svc.Situation.DraftPicture(ctx, staff, situation.DraftPicture{Incident: id})
	if err != nil {
		t.Fatal(err)
	}
	c := v1.Content
	c.Event = "Cyberattack mot journalsystemet – påverkar Växjö och Ljungby"
	c.Forecast = "Åter tidigast i morgon"
	if _, err := env.Svc.Situation.RevisePicture(ctx, staff, situation.Revise{Picture: v1.ID, Content: c}); err != nil {
		t.Fatal(err)
	}
	if _, err := env.Svc.Situation.ApprovePicture(ctx, chef, v1.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := env.Svc.Situation.PublishPicture(ctx, staff, situation.Publish{Picture: v1.ID}); err != nil {
		t.Fatal(err)
	}
	v2, err := env.Svc.Situation.DraftPicture(ctx, staff, situation.DraftPicture{Incident: id})
	if err != nil {
		t.Fatal(err)
	}
	return id, v1.ID, v2.ID
}

// Every picture route answers every role as it must, and refuses the
// anonymous caller; refusals write nothing.
func TestPictureRoutesEveryRole(t *testing.T) {
	t.Parallel()
	env := fyrtest.Start(t)
	id, v1, v2 := publishedAndDraft(t, env)
	tokens := map[string]string{"": ""}
	for _, r := range auth.Roles {
		tokens[string(r)] = env.Token(r)
	}
	var chef struct{ Token string }
	env.Do("", "POST", "/api/v1/login", map[string]string{"username": "chef1", "password": fyrtest.Password}, &chef)
	tokens["stabschef"] = chef.Token
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	do := func(token, method, path string) int {
		req, _ := http.NewRequest(method, env.URL+path, nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	p1, p2 := "/pictures/"+string(v1), "/pictures/"+string(v2)
	list := "/incidents/" + string(id) + "/pictures"
	// want: status per caller: anonymous, admin, staff, stabschef, unit, viewer.
	type want struct{ anon, admin, staff, chef, unit, viewer int }
	for _, c := range []struct {
		method, path string
		want
	}{
		{"GET", list, want{303, 200, 200, 200, 200, 200}},
		{"GET", list + "?at=2020-01-01T10:00", want{303, 200, 200, 200, 200, 200}}, // before any version
		{"GET", list + "?at=nonsense", want{303, 400, 400, 400, 400, 400}},
		{"POST", list, want{401, 409, 409, 409, 403, 403}}, // version 2 is still a draft
		{"GET", list + "/compare?a=" + string(v1) + "&with=" + string(v2), want{303, 303, 303, 303, 303, 303}},
		{"GET", p1, want{303, 200, 200, 200, 200, 200}},
		{"GET", p2, want{303, 200, 200, 200, 404, 200}},  // a draft is for the staff
		{"POST", p2, want{401, 400, 400, 400, 403, 403}}, // an empty form: the event is required
		{"POST", p1, want{401, 409, 409, 409, 403, 403}}, // published: no longer edited
		{"POST", p1 + "/approve", want{401, 409, 403, 409, 403, 403}},
		{"POST", p1 + "/publish", want{401, 409, 409, 409, 403, 403}},
		{"POST", p2 + "/publish", want{401, 409, 409, 409, 403, 403}}, // not approved
		{"GET", p1 + "/diff?with=" + string(v2), want{303, 200, 200, 200, 404, 200}},
		{"GET", p1 + "/diff", want{303, 400, 400, 400, 400, 400}},
		{"GET", p1 + "/print", want{303, 200, 200, 200, 200, 200}},
		{"GET", p2 + "/print", want{303, 200, 200, 200, 404, 200}},
		{"GET", p1 + "/report.txt", want{303, 200, 200, 200, 403, 200}},
		{"GET", p1 + "/report.pdf", want{303, 200, 200, 200, 403, 200}},
		{"GET", p2 + "/report.txt", want{303, 409, 409, 409, 403, 409}},
		{"GET", p2 + "/report.pdf", want{303, 409, 409, 409, 403, 409}},
		{"GET", "/pictures/nope", want{303, 404, 404, 404, 404, 404}},
	} {
		before := env.Svc.Seq()
		for _, caller := range []struct {
			name string
			want int
		}{{"", c.anon}, {"admin", c.admin}, {"staff", c.staff}, {"stabschef", c.chef}, {"unit", c.unit}, {"viewer", c.viewer}} {
			if got := do(tokens[caller.name], c.method, c.path); got != caller.want {
				t.Errorf("%s %s as %q: %d, want %d", c.method, c.path, caller.name, got, caller.want)
			}
		}
		if env.Svc.Seq() != before {
			t.Errorf("%s %s wrote events", c.method, c.path)
		}
	}
}

// The picture pages in a real browser: no accessibility violations found
// by axe-core, within the weight budget, no sideways scrolling on a
// 390 px phone, and the print view prints to a PDF that holds the fields.
func TestBrowserPicturePages(t *testing.T) {
	t.Parallel()
	env := fyrtest.Start(t)
	id, v1, v2 := publishedAndDraft(t, env)
	browser := startBrowser(t)
	b := newTab(t, browser, "staff")
	p1, p2 := env.URL+"/pictures/"+string(v1), env.URL+"/pictures/"+string(v2)
	b.login(env.URL, "staff", "/pictures/"+string(v2), "#picture-form")
	checkWeight(t, b, "draft page")
	axeAudit(t, b, "draft page")

	// A measure without an owner: the form comes back naming the field.
	b.do("a measure without an owner", chromedp.SendKeys(chromedp.ID("pf-d2-what"), "Informera kommunerna"))
	b.submit("save the draft", `#picture-form button[type=submit]`)
	b.do("the form error", chromedp.WaitVisible(chromedp.ID("picture-error")))
	if got := cdpEval[string](b, "error", `document.getElementById("picture-error").textContent`); !strings.Contains(got, "direction[2].owner") {
		t.Errorf("the error %q does not name direction[2].owner", got)
	}
	axeAudit(t, b, "draft page with a form error")

	for _, p := range []struct{ name, url, ready string }{
		{"published page", p1, "#picture-coverage"},
		{"version list", env.URL + "/incidents/" + string(id) + "/pictures", "#picture-versions"},
		{"diff page", p1 + "/diff?with=" + string(v2), "#picture-diff"},
		{"print view", p1 + "/print", ".pfield"},
	} {
		b.do(p.name, chromedp.Navigate(p.url), chromedp.WaitVisible(chromedp.CSS(p.ready)))
		checkWeight(t, b, p.name)
		axeAudit(t, b, p.name)
	}
	pdf := cdpRun(b, "print to PDF", chromedp.PrintToPDF(chromedp.PDFPreferCSSPageSize()))
	if !strings.HasPrefix(string(pdf), "%PDF-") {
		t.Fatalf("PrintToPDF gave %d bytes", len(pdf))
	}
	text := pdfText(t, pdf)
	for _, want := range []string{"Cyberattack mot journalsystemet – påverkar Växjö och Ljungby", "Prognos", "Åter tidigast i morgon", "Utskriven"} {
		if !strings.Contains(text, want) {
			t.Errorf("the printed picture lacks %q:\n%s", want, text)
		}
	}

	const width = 390
	b.do("phone viewport", chromedp.EmulateViewport(width, 844, chromedp.EmulateMobile, chromedp.EmulateTouch))
	for _, p := range []struct{ name, url, ready string }{
		{"draft page", p2, "#picture-form"},
		{"published page", p1, "#picture-coverage"},
		{"version list", env.URL + "/incidents/" + string(id) + "/pictures", "#picture-versions"},
		{"diff page", p1 + "/diff?with=" + string(v2), "#picture-diff"},
	} {
		b.do(p.name+" on a phone", chromedp.Navigate(p.url), chromedp.WaitVisible(chromedp.CSS(p.ready)))
		checkNoSideScroll(t, b, p.name, width)
		axeAudit(t, b, p.name+" on a phone")
	}
}
