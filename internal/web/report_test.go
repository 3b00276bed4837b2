package web_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"fyr/internal/auth"
	"fyr/internal/dispatch"
	"fyr/internal/fyrtest"
	"fyr/internal/incident"
	"fyr/internal/situation"
)

// openRound opens an incident and a reporting round asking avd1.
func openRound(t *testing.T, env *fyrtest.Env) (incident.Incident, situation.Round) {
	t.Helper()
	ctx := context.Background()
	staff := env.Principal(auth.Staff)
	inc, err := env.Svc.Incidents.OpenIncident(ctx, staff, incident.Open{Title: "DNS-avbrott", Scope: "region", Level: incident.Staff})
	if err != nil {
		t.Fatal(err)
	}
	rd, err := env.Svc.Situation.OpenRound(ctx, staff, situation.OpenRound{Incident: inc.ID, Title: "Lägesrapport 14:00",
		Audience: dispatch.Audience{Units: []string{"avd1"}}, Deadline: env.Svc.Now().Add(time.Hour), Channels: []string{dispatch.InApp}})
	if err != nil {
		t.Fatal(err)
	}
	return inc, rd
}

func reportValues(b *browser, state, total, occupied string) url.Values {
	return url.Values{"csrf": {b.csrf}, "state": {state}, "staff.present": {"6"}, "staff.missing": {"2"},
		"beds.total": {total}, "beds.occupied": {occupied}, "sys.name.0": {"TakeCare"}, "sys.state.0": {"down"}, "sys.note.0": {""},
		"sys.name.1": {""}, "sys.state.1": {"up"}, "sup.name.0": {"Blododlingsflaskor"}, "sup.note.0": {"räcker till i morgon"},
		"needs": {"Två sjuksköterskor till natten\n"}, "text": {"Papperskurvor används."}}
}

// A unit contact files the round's report from the unit page; an
// impossible number is refused naming the field and keeps what was typed;
// the next form is prefilled from the report.
func TestUnitFilesAReportFromItsPage(t *testing.T) {
	t.Parallel()
	env := fyrtest.Start(t)
	_, rd := openRound(t, env)
	unit := newBrowser(t, env)
	unit.login(auth.Unit)
	code, page := unit.get("/unit")
	if code != 200 || !strings.Contains(page, "Lägesrapport 14:00") || !strings.Contains(page, "/rounds/"+string(rd.Round)+"/report") ||
		!strings.Contains(page, `data-copy="live"`) {
		t.Fatalf("unit page: %d\n%s", code, page)
	}
	// The call to report in the inbox leads to the form.
	if code, page := unit.get("/dispatches/" + string(rd.Dispatch)); code != 200 || !strings.Contains(page, `id="report-link"`) {
		t.Fatalf("the call to report does not link the form: %d", code)
	}
	code, form := unit.get("/rounds/" + string(rd.Round) + "/report")
	if code != 200 || !strings.Contains(form, `name="beds.occupied"`) || strings.Contains(form, `id="prefilled"`) {
		t.Fatalf("report form: %d", code)
	}
	before := env.Svc.Seq()
	code, _, body := unit.post("/rounds/"+string(rd.Round)+"/report", reportValues(unit, "limited", "20", "24"))
	if code != 400 || !strings.Contains(body, "<code>beds.occupied</code>") || !strings.Contains(body, `value="24"`) ||
		!strings.Contains(body, "Blododlingsflaskor") {
		t.Fatalf("impossible beds: %d\n%s", code, body)
	}
	code, _, body = unit.post("/rounds/"+string(rd.Round)+"/report", reportValues(unit, "limited", "20", "many"))
	if code != 400 || !strings.Contains(body, "<code>beds.occupied</code>") {
		t.Fatalf("beds not a number: %d", code)
	}
	if env.Svc.Seq() != before {
		t.Fatal("a refused report wrote to the log")
	}
	code, loc, _ := unit.post("/rounds/"+string(rd.Round)+"/report", reportValues(unit, "limited", "20", "18"))
	if code != 303 || loc != "/unit?filed=1" {
		t.Fatalf("file report: %d → %q", code, loc)
	}
	_, page = unit.get(loc)
	for _, want := range []string{`id="filed"`, "Rapporterad", "Begränsad drift", "18/20 (2 lediga)"} {
		if !strings.Contains(page, want) {
			t.Errorf("unit page after the report lacks %q", want)
		}
	}
	// The report is the unit's receipt of the call: escalation stops.
	if st, _ := env.Svc.Dispatch.UnitState(rd.Dispatch, "avd1"); st.Ack == nil {
		t.Error("the report did not acknowledge the call to report")
	}
	_, form = unit.get("/rounds/" + string(rd.Round) + "/report")
	if !strings.Contains(form, `id="prefilled"`) || !strings.Contains(form, `id="state-limited" name="state" value="limited" checked`) ||
		!strings.Contains(form, `value="TakeCare"`) {
		t.Fatal("the next form is not prefilled from the report")
	}
}

// A closed round refuses a report and writes nothing; reopened, it takes it.
// A unit account cannot report for another unit; a viewer cannot report.
func TestReportRefusals(t *testing.T) {
	t.Parallel()
	env := fyrtest.Start(t)
	ctx := context.Background()
	_, rd := openRound(t, env)
	unit := newBrowser(t, env)
	unit.login(auth.Unit)
	unit.get("/rounds/" + string(rd.Round) + "/report")
	if _, err := env.Svc.Situation.CloseRound(ctx, env.Principal(auth.Staff), rd.Round); err != nil {
		t.Fatal(err)
	}
	before := env.Svc.Seq()
	code, _, body := unit.post("/rounds/"+string(rd.Round)+"/report", reportValues(unit, "normal", "20", "10"))
	if code != 400 || !strings.Contains(body, `role="alert" id="report-error"`) {
		t.Fatalf("report on a closed round: %d", code)
	}
	if env.Svc.Seq() != before {
		t.Fatal("a report on a closed round wrote to the log")
	}
	if _, err := env.Svc.Situation.ReopenRound(ctx, env.Principal(auth.Staff), situation.ReopenRound{Round: rd.Round}); err != nil {
		t.Fatal(err)
	}
	if code, _, _ := unit.post("/rounds/"+string(rd.Round)+"/report", reportValues(unit, "normal", "20", "10")); code != 303 {
		t.Fatalf("report after reopening: %d", code)
	}
	before = env.Svc.Seq()
	token := env.Token(auth.Unit)
	if code := env.Do(token, "POST", "/api/v1/rounds/"+string(rd.Round)+"/reports", map[string]any{"unit": fyrtest.Hospital, "state": "normal"}, nil); code != 403 {
		t.Fatalf("a unit account reporting for another unit: %d", code)
	}
	viewer := newBrowser(t, env)
	viewer.login(auth.Viewer)
	if code, _ := viewer.get("/rounds/" + string(rd.Round) + "/report?unit=avd1"); code != 403 {
		t.Fatalf("viewer opens the report form: %d", code)
	}
	if env.Svc.Seq() != before {
		t.Fatal("a refused report wrote to the log")
	}
	// The staff record a report given by phone, on the unit's behalf.
	staff := newBrowser(t, env)
	staff.login(auth.Staff)
	if code, form := staff.get("/rounds/" + string(rd.Round) + "/report?unit=avd1"); code != 200 || !strings.Contains(form, `name="unit" value="avd1"`) {
		t.Fatalf("staff report form: %d", code)
	}
	v := reportValues(staff, "closed", "20", "0")
	v.Set("unit", "avd1")
	if code, loc, _ := staff.post("/rounds/"+string(rd.Round)+"/report", v); code != 303 || loc != "/rounds/"+string(rd.Round) {
		t.Fatalf("report on behalf: %d → %q", code, loc)
	}
	reps, _ := env.Svc.Situation.Reports(env.Principal(auth.Staff), situation.ReportQuery{Round: rd.Round, Unit: "avd1"}, "test")
	if len(reps) != 2 || !reps[1].OnBehalf || reps[1].State != situation.Closed {
		t.Fatalf("reports: %+v", reps)
	}
}

// The unit page shows the latest published picture and the dispatches to
// the unit.
func TestUnitPageShowsThePublishedPicture(t *testing.T) {
	t.Parallel()
	env := fyrtest.Start(t)
	ctx := context.Background()
	inc, _ := openRound(t, env)
	staff := env.Principal(auth.Staff)
	p, err := env.Svc.Situation.DraftPicture(ctx, staff, situation.DraftPicture{Incident: inc.ID, Content: situation.Content{Event: "DNS-felet kvarstår"}})
	if err != nil {
		t.Fatal(err)
	}
	unit := newBrowser(t, env)
	unit.login(auth.Unit)
	if _, page := unit.get("/unit"); strings.Contains(page, "DNS-felet kvarstår") {
		t.Fatal("the unit sees a draft")
	}
	if _, err := env.Svc.Situation.ApprovePicture(ctx, env.Principal(auth.Admin), p.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := env.Svc.Situation.PublishPicture(ctx, staff, situation.Publish{Picture: p.ID}); err != nil {
		t.Fatal(err)
	}
	_, page := unit.get("/unit")
	if !strings.Contains(page, "DNS-felet kvarstår") || !strings.Contains(page, `id="picture-`+string(p.ID)+`"`) {
		t.Fatalf("the unit page lacks the published picture:\n%s", page)
	}
	if !strings.Contains(page, "Lägesrapport 14:00") {
		t.Error("the unit page lacks the dispatches to the unit")
	}
}

// An administrator turns the four-eyes rule off and on from the picture
// list; the staff may not.
func TestFourEyesFromThePictureList(t *testing.T) {
	t.Parallel()
	env := fyrtest.Start(t)
	inc, _ := openRound(t, env)
	list := "/incidents/" + string(inc.ID) + "/pictures"
	staff := newBrowser(t, env)
	staff.login(auth.Staff)
	if _, page := staff.get(list); strings.Contains(page, `id="four-eyes-form"`) {
		t.Fatal("the staff are offered the four-eyes setting")
	}
	if code, _, _ := staff.post("/settings/four-eyes", url.Values{"csrf": {staff.csrf}, "enabled": {"false"}, "back": {list}}); code != 403 {
		t.Fatalf("staff changing four eyes: %d", code)
	}
	admin := newBrowser(t, env)
	admin.login(auth.Admin)
	if _, page := admin.get(list); !strings.Contains(page, `id="four-eyes-form"`) {
		t.Fatal("the administrator is not offered the four-eyes setting")
	}
	code, loc, _ := admin.post("/settings/four-eyes", url.Values{"csrf": {admin.csrf}, "enabled": {"false"}, "back": {list}})
	if code != 303 || loc != list || env.Svc.Situation.FourEyes() {
		t.Fatalf("turn four eyes off: %d → %q, on: %v", code, loc, env.Svc.Situation.FourEyes())
	}
	if code, _, _ := admin.post("/settings/four-eyes", url.Values{"csrf": {admin.csrf}, "enabled": {"true"}, "back": {"//evil.example"}}); code != 303 || !env.Svc.Situation.FourEyes() {
		t.Fatalf("turn four eyes on: %d, on: %v", code, env.Svc.Situation.FourEyes())
	}
}

// The staff set an unpublished version aside from its page, with a reason;
// without one the form says which field is missing and nothing is written.
func TestDiscardPictureFromItsPage(t *testing.T) {
	t.Parallel()
	env := fyrtest.Start(t)
	inc, _ := openRound(t, env)
	p, err := env.Svc.Situation.DraftPicture(context.Background(), env.Principal(auth.Staff), situation.DraftPicture{Incident: inc.ID,
		Content: situation.Content{Event: "DNS"}})
	if err != nil {
		t.Fatal(err)
	}
	staff := newBrowser(t, env)
	staff.login(auth.Staff)
	page := "/pictures/" + string(p.ID)
	if _, body := staff.get(page); !strings.Contains(body, `id="discard-form"`) {
		t.Fatal("a draft's page offers no way to set it aside")
	}
	before := env.Svc.Seq()
	if code, _, body := staff.post(page+"/discard", url.Values{"csrf": {staff.csrf}, "reason": {"  "}}); code != 400 || !strings.Contains(body, "<code>reason</code>") {
		t.Fatalf("discard without a reason: %d", code)
	}
	if env.Svc.Seq() != before {
		t.Fatal("a refused discard wrote to the log")
	}
	code, loc, _ := staff.post(page+"/discard", url.Values{"csrf": {staff.csrf}, "reason": {"Läget har ändrats"}})
	if code != 303 || loc != page+"?done=discarded" {
		t.Fatalf("discard: %d → %q", code, loc)
	}
	_, body := staff.get(loc)
	if !strings.Contains(body, `id="discarded"`) || !strings.Contains(body, "Läget har ändrats") || strings.Contains(body, `id="discard-form"`) {
		t.Fatal("the page of a discarded version")
	}
	if _, list := staff.get("/incidents/" + string(inc.ID) + "/pictures"); !strings.Contains(list, `id="new-picture"`) {
		t.Fatal("no new version can be started after discarding the draft")
	}
}

// The staff reach any unit's page from the directory and see what the unit
// sees; a unit account is not offered other units' pages.
func TestStaffOpenAUnitsPageFromTheDirectory(t *testing.T) {
	t.Parallel()
	env := fyrtest.Start(t)
	openRound(t, env)
	staff := newBrowser(t, env)
	staff.login(auth.Staff)
	if _, body := staff.get("/directory?unit=avd1"); !strings.Contains(body, `href="/unit?unit=avd1" id="unit-page-link"`) {
		t.Fatal("the directory does not link the unit's page")
	}
	if code, body := staff.get("/unit?unit=avd1"); code != 200 || !strings.Contains(body, "Lägesrapport 14:00") {
		t.Fatalf("the staff open the unit's page: %d", code)
	}
	unit := newBrowser(t, env)
	unit.login(auth.Unit)
	if _, body := unit.get("/directory?unit=sjukhus"); strings.Contains(body, `id="unit-page-link"`) {
		t.Fatal("a unit account is offered another unit's page")
	}
	if _, body := unit.get("/unit?unit=sjukhus"); !strings.Contains(body, "Avdelning 1") || strings.Contains(body, "<h1>Testsjukhuset</h1>") {
		t.Fatal("a unit account sees another unit's page")
	}
}
