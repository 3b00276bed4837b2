package web_test

import (
	"context"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"fyr/internal/auth"
	"fyr/internal/directory"
	"fyr/internal/dispatch"
	"fyr/internal/fyrtest"
	"fyr/internal/incident"
	"fyr/internal/situation"
)

// localIn is a datetime-local value d from now, in Swedish time.
func localIn(env *fyrtest.Env, d time.Duration) string {
	loc, _ := time.LoadLocation("Europe/Stockholm")
	return env.Svc.Now().Add(d).In(loc).Format("2006-01-02T15:04")
}

var roundLoc = regexp.MustCompile(`^/rounds/[0-9A-Z]+$`)

// The staff opens a round through the form, sees who is missing and whom to
// phone, closes and reopens it; bad input names the field and writes nothing.
func TestRoundThroughTheForms(t *testing.T) {
	t.Parallel()
	env := fyrtest.Start(t)
	ctx := context.Background()
	admin := env.Principal(auth.Admin)
	if _, err := env.Svc.Directory.SetContacts(ctx, &admin, directory.SetContacts{Unit: "avd1", Primary: "p1"}); err != nil {
		t.Fatal(err)
	}
	id := openIncident(t, env, env.Token(auth.Staff))
	b := newBrowser(t, env)
	b.login(auth.Staff)
	code, page := b.get("/incidents/" + id + "/rounds")
	if code != 200 || !strings.Contains(page, "Inga rapportomgångar ännu.") || !strings.Contains(page, `value="Lägesrapport"`) ||
		!strings.Contains(page, `id="r-deadline" name="deadline" type="datetime-local" required value="`+localIn(env, time.Hour)[:11]) {
		t.Fatalf("empty rounds page: %d\n%s", code, page)
	}

	form := func(change func(url.Values)) url.Values {
		f := url.Values{"csrf": {b.csrf}, "title": {"Lägesrapport 14"}, "note": {"Ring staben om ni inte kan rapportera"},
			"units": {"avd1", fyrtest.Hospital}, "deadline": {localIn(env, time.Hour)}, "channels": {dispatch.InApp, dispatch.Email},
			"resend": {"10"}, "deputies": {"20"}, "parent": {"30"}}
		change(f)
		return f
	}
	before := env.Svc.Seq()
	for _, c := range []struct {
		name, field string
		change      func(url.Values)
	}{
		{"not a time", "deadline", func(f url.Values) { f.Set("deadline", "i morgon") }},
		{"no deadline", "deadline", func(f url.Values) { f.Del("deadline") }},
		{"deadline passed", "deadline", func(f url.Values) { f.Set("deadline", "2020-01-05T14:00") }},
		{"empty audience", "audience", func(f url.Values) { f.Del("units") }},
		{"no channel", "channels", func(f url.Values) { f.Del("channels") }},
		{"escalation out of order", "escalation", func(f url.Values) { f.Set("resend", "40") }},
		{"escalation not a number", "escalation", func(f url.Values) { f.Set("parent", "en timme") }},
	} {
		code, _, body := b.post("/incidents/"+id+"/rounds", form(c.change))
		if code != 400 || !strings.Contains(body, "<code>"+c.field+"</code>") {
			t.Errorf("%s: %d, want 400 naming %s", c.name, code, c.field)
			continue
		}
		if !strings.Contains(body, "Ring staben om ni inte kan rapportera") || !strings.Contains(body, `value="Lägesrapport 14"`) {
			t.Errorf("%s: the form does not keep what was typed", c.name)
		}
		if c.field != "audience" && !strings.Contains(body, `<option value="avd1" selected>`) {
			t.Errorf("%s: the form does not keep the audience", c.name)
		}
	}
	if env.Svc.Seq() != before {
		t.Fatal("refused forms wrote events")
	}

	code, loc, _ := b.post("/incidents/"+id+"/rounds", form(func(url.Values) {}))
	if code != 303 || !roundLoc.MatchString(loc) {
		t.Fatalf("open a round: %d %q", code, loc)
	}
	rid := situation.RoundID(strings.TrimPrefix(loc, "/rounds/"))
	rd, _ := env.Svc.Situation.Round(env.Principal(auth.Staff), rid, incident.AsOf{})
	if rd.Title != "Lägesrapport 14" || len(rd.Units) != 2 || rd.Note == "" {
		t.Fatalf("the round opened: %+v", rd)
	}
	_, page = b.get("/incidents/" + id + "/rounds")
	for _, want := range []string{`href="` + loc + `"`, "Lägesrapport 14", "rapport senast", "0 av 2", "Öppen"} {
		if !strings.Contains(page, want) {
			t.Errorf("the rounds list lacks %q", want)
		}
	}

	// The hospital reports by phone; the ward stays missing.
	staff := env.Principal(auth.Staff)
	rep, err := env.Svc.Situation.FileReport(ctx, staff, situation.File{Round: rid, Unit: fyrtest.Hospital,
		Values: situation.Values{State: situation.Limited, Beds: situation.Beds{Total: 20, Occupied: 12}}})
	if err != nil {
		t.Fatal(err)
	}
	_, page = b.get(loc)
	missing, reported := strings.Index(page, `id="ru-avd1"`), strings.Index(page, `id="ru-`+fyrtest.Hospital+`"`)
	if missing < 0 || reported < 0 || missing > reported {
		t.Fatalf("the missing ward is not listed before the reported hospital (%d, %d)", missing, reported)
	}
	for _, want := range []string{"1 av 2 enheter", `href="tel:&#43;46701740605"`, "Anna Test", `class="opstate op-limited">Begränsad drift`,
		`href="/reports/` + string(rep.Report) + `"`, "lämnad per telefon", `href="/dispatches/` + string(rd.Dispatch) + `"`,
		`href="/rounds/` + string(rid) + `/report?unit=avd1"`, `id="close-form"`} {
		if !strings.Contains(page, want) {
			t.Errorf("the round page lacks %q", want)
		}
	}

	// Close, close again (refused), reopen with a bad and then a good deadline.
	if code, loc2, _ := b.post(loc+"/close", url.Values{"csrf": {b.csrf}}); code != 303 || loc2 != loc {
		t.Fatalf("close: %d %q", code, loc2)
	}
	if _, page = b.get(loc); !strings.Contains(page, "Stängd för rapporter") || !strings.Contains(page, `id="reopen-form"`) ||
		strings.Contains(page, "/report?unit=") {
		t.Fatal("the closed round does not say so, offer to reopen, or still offers the report form")
	}
	before = env.Svc.Seq()
	if code, _, body := b.post(loc+"/close", url.Values{"csrf": {b.csrf}}); code != 400 || !strings.Contains(body, `id="round-error"`) {
		t.Fatalf("closing a closed round: %d", code)
	}
	if code, _, body := b.post(loc+"/reopen", url.Values{"csrf": {b.csrf}, "deadline": {"2020-01-05T15:00"}}); code != 400 ||
		!strings.Contains(body, "<code>deadline</code>") || !strings.Contains(body, `value="2020-01-05T15:00"`) {
		t.Fatalf("reopen with a past deadline: %d", code)
	}
	if env.Svc.Seq() != before {
		t.Fatal("refused close or reopen wrote events")
	}
	newDeadline := localIn(env, 2*time.Hour)
	if code, _, _ := b.post(loc+"/reopen", url.Values{"csrf": {b.csrf}, "deadline": {newDeadline}}); code != 303 {
		t.Fatalf("reopen: %d", code)
	}
	if _, page = b.get(loc); !strings.Contains(page, `id="round-state">Öppen`) || !strings.Contains(page, strings.Replace(newDeadline, "T", " ", 1)) {
		t.Fatal("the reopened round is not open by its new deadline")
	}

	// One report as the staff sees it.
	code, page = b.get("/reports/" + string(rep.Report))
	for _, want := range []string{"Testsjukhuset", "Begränsad drift", "Test staff", "version 1", "lämnad per telefon", ">12<", ">8<", `href="` + loc + `"`} {
		if !strings.Contains(page, want) {
			t.Errorf("the report page lacks %q", want)
		}
	}
	if code != 200 {
		t.Fatalf("report page: %d", code)
	}
}

// seedRounds runs two rounds: in the first both units run normally, in the
// second the ward has closed with its journal system down. The ward's
// second report is dated a minute ahead, so that ?at=now shows it normal.
func seedRounds(t *testing.T, env *fyrtest.Env) (id string, a, b situation.RoundID, reps map[string]situation.ReportID, at time.Time) {
	t.Helper()
	ctx := context.Background()
	staff := env.Principal(auth.Staff)
	id = openIncident(t, env, env.Token(auth.Staff))
	open := func(title string) situation.RoundID {
		r, err := env.Svc.Situation.OpenRound(ctx, staff, situation.OpenRound{Incident: incident.ID(id), Title: title,
			Audience: dispatch.Audience{Units: []string{"avd1", fyrtest.Hospital}}, Deadline: env.Svc.Now().Add(time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		return r.Round
	}
	reps = map[string]situation.ReportID{}
	file := func(key string, round situation.RoundID, unit string, v situation.Values, occurred time.Time) {
		r, err := env.Svc.Situation.FileReport(ctx, staff, situation.File{Round: round, Unit: unit, Values: v, OccurredAt: occurred})
		if err != nil {
			t.Fatalf("%s: %v", key, err)
		}
		reps[key] = r.Report
	}
	a = open("Morgonrapport")
	file("a-avd1", a, "avd1", situation.Values{State: situation.Normal, Staff: situation.Staffing{Present: 5, Missing: 1},
		Beds: situation.Beds{Total: 10, Occupied: 8}, Systems: []situation.SystemStatus{{Name: "Cosmic", State: situation.Up}}}, time.Time{})
	file("a-hosp", a, fyrtest.Hospital, situation.Values{State: situation.Normal, Staff: situation.Staffing{Present: 12},
		Beds: situation.Beds{Total: 20, Occupied: 10}}, time.Time{})
	b = open("Lunchrapport")
	file("b-hosp", b, fyrtest.Hospital, situation.Values{State: situation.Normal, Staff: situation.Staffing{Present: 11, Missing: 1},
		Beds: situation.Beds{Total: 20, Occupied: 15}}, time.Time{})
	at = env.Svc.Now()
	file("b-avd1", b, "avd1", situation.Values{State: situation.Closed, Staff: situation.Staffing{Present: 3, Missing: 3},
		Beds:    situation.Beds{Total: 10, Occupied: 10},
		Systems: []situation.SystemStatus{{Name: "Cosmic", State: situation.Down}, {Name: "Take Care", State: situation.Degraded}},
		Needs:   []string{"Reservkraft till avdelningen"}, Supplies: []situation.Supply{{Name: "Syrgas", Note: "ett dygn kvar"}}},
		at.Add(time.Minute))
	return id, a, b, reps, at
}

func TestOverviewLinksEveryFigureToItsReports(t *testing.T) {
	t.Parallel()
	env := fyrtest.Start(t)
	id, a, b, reps, at := seedRounds(t, env)
	br := newBrowser(t, env)
	br.login(auth.Staff)
	code, page := br.get("/incidents/" + id + "/overview")
	if code != 200 {
		t.Fatalf("overview: %d", code)
	}
	if !strings.Contains(page, `<div id="rollup" data-live="situation">`) {
		t.Fatal("the roll-up is not in its live container")
	}
	link := func(key string) string { return `href="/reports/` + string(reps[key]) + `"` }
	for _, want := range []string{
		link("b-avd1") + `>Avdelning 1</a>`,
		`<th scope="row">Cosmic</th>`,
		"Take Care", "Reservkraft till avdelningen", "Syrgas", "ett dygn kvar",
		">30</a>", ">25</a>", ">5</a>", ">14</a>", // beds in operation, occupied, available; staff present
		"Förändringar sedan förra omgången", link("a-avd1") + `>Normal drift</a> → Stängd`,
		`>&#43;7</td>`, // occupied beds 18 → 25
		`Morgonrapport`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the overview lacks %q", want)
		}
	}
	if !regexp.MustCompile(`<th scope="row">Cosmic</th>\s*<td data-label="[^"]+"><a ` + regexp.QuoteMeta(link("b-avd1")) + `>1</a>`).MatchString(page) {
		t.Error("the system down does not show its one unit, linked to the report")
	}
	// A figure from two reports links to the list of both.
	m := regexp.MustCompile(`data-label="Nu"><a href="(/incidents/[^"]+/reports\?ids=[^"]+)">30</a>`).FindStringSubmatch(page)
	if m == nil {
		t.Fatal("the bed total does not link to its reports")
	}
	code, list := br.get(strings.ReplaceAll(m[1], "&amp;", "&"))
	if code != 200 || !strings.Contains(list, link("b-avd1")) || !strings.Contains(list, link("b-hosp")) || strings.Contains(list, link("a-avd1")) {
		t.Fatalf("the reports behind the bed total: %d", code)
	}

	// As it stood before the ward's second report: still running normally.
	q := url.Values{"at": {at.UTC().Format(time.RFC3339Nano)}}
	code, then := br.get("/incidents/" + id + "/overview?" + q.Encode())
	if code != 200 || !strings.Contains(then, "Som det såg ut") || !strings.Contains(then, `href="/incidents/`+id+`/overview">Tillbaka till nu`) {
		t.Fatalf("point in time: %d", code)
	}
	if strings.Contains(then, link("b-avd1")) || !strings.Contains(then, link("a-avd1")) {
		t.Fatal("?at= before the ward's closing report still shows it")
	}
	if !strings.Contains(then, ">23</a>") { // beds occupied then: the ward's 8 and the hospital's 15
		t.Error("?at= does not sum the reports as they stood")
	}

	// One round picked; the reports list by round and by unit.
	if _, one := br.get("/incidents/" + id + "/overview?round=" + string(a)); strings.Contains(one, "Förändringar sedan förra omgången") ||
		strings.Contains(one, link("b-avd1")) {
		t.Error("the first round's roll-up shows the second round")
	}
	if code, _ := br.get("/incidents/" + id + "/overview?round=nosuch"); code != 400 {
		t.Errorf("an unknown round: %d", code)
	}
	if _, list = br.get("/incidents/" + id + "/reports?round=" + string(b)); !strings.Contains(list, "Lunchrapport") ||
		!strings.Contains(list, link("b-avd1")) || strings.Contains(list, link("a-avd1")) {
		t.Error("the reports list by round")
	}
	if _, list = br.get("/incidents/" + id + "/reports?unit=avd1"); !strings.Contains(list, link("a-avd1")) ||
		!strings.Contains(list, link("b-avd1")) || strings.Contains(list, link("b-hosp")) {
		t.Error("the reports list by unit")
	}
	if code, print := br.get("/incidents/" + id + "/overview/print"); code != 200 || !strings.Contains(print, "/static/print.css") ||
		!strings.Contains(print, "Avdelning 1") {
		t.Errorf("print view: %d", code)
	}
}

// Only the staff writes; the viewer reads what the journal's readers read;
// a unit account sees none of it but its own unit's reports.
func TestRoundPagesByRole(t *testing.T) {
	t.Parallel()
	env := fyrtest.Start(t)
	id, a, _, reps, _ := seedRounds(t, env)
	unitP := env.Principal(auth.Unit)
	unitP.Unit = "avd1"
	// The ward's own report in the first round is closed after the fact: file a
	// second version of its own in the second round instead.
	staff := env.Principal(auth.Staff)
	c, err := env.Svc.Situation.OpenRound(context.Background(), staff, situation.OpenRound{Incident: incident.ID(id),
		Audience: dispatch.Audience{Units: []string{"avd1"}}, Deadline: env.Svc.Now().Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	own, err := env.Svc.Situation.FileReport(context.Background(), unitP, situation.File{Round: c.Round, Unit: "avd1",
		Values: situation.Values{State: situation.Normal}})
	if err != nil {
		t.Fatal(err)
	}
	reads := []string{"/incidents/" + id + "/rounds", "/rounds/" + string(a), "/incidents/" + id + "/overview",
		"/incidents/" + id + "/overview/print", "/incidents/" + id + "/reports?round=" + string(a), "/reports/" + string(reps["a-hosp"])}
	writes := []string{"/incidents/" + id + "/rounds", "/rounds/" + string(a) + "/close", "/rounds/" + string(a) + "/reopen"}
	for _, role := range []auth.Role{auth.Viewer, auth.Unit} {
		br := newBrowser(t, env)
		br.login(role)
		want := 200
		if role == auth.Unit {
			want = 403
		}
		for _, path := range reads {
			code, page := br.get(path)
			if code != want {
				t.Errorf("%s GET %s: %d, want %d", role, path, code, want)
			}
			if role == auth.Viewer && (strings.Contains(page, `id="round-form"`) || strings.Contains(page, `id="close-form"`) ||
				strings.Contains(page, "/report?unit=")) {
				t.Errorf("the viewer is offered a form on %s", path)
			}
		}
		before := env.Svc.Seq()
		for _, path := range writes {
			if code, _, _ := br.post(path, url.Values{"csrf": {br.csrf}, "units": {"avd1"}, "deadline": {localIn(env, time.Hour)}}); code != 403 {
				t.Errorf("%s POST %s: %d, want 403", role, path, code)
			}
		}
		if env.Svc.Seq() != before {
			t.Errorf("%s: refused writes wrote events", role)
		}
		if role == auth.Unit {
			if code, page := br.get("/reports/" + string(own.Report)); code != 200 || strings.Contains(page, `href="/rounds/`) {
				t.Errorf("the unit's own report: %d (or it links the staff's round page)", code)
			}
		}
	}
}

// The roll-up and the round page pass axe-core, stay under the page
// budget and fit a phone.
func TestBrowserRoundPages(t *testing.T) {
	t.Parallel()
	env := fyrtest.Start(t)
	id, _, _, reps, _ := seedRounds(t, env)
	// A round the ward has not answered: its row shows whom to phone.
	admin, staff := env.Principal(auth.Admin), env.Principal(auth.Staff)
	if _, err := env.Svc.Directory.SetContacts(context.Background(), &admin, directory.SetContacts{Unit: "avd1", Primary: "p1"}); err != nil {
		t.Fatal(err)
	}
	open, err := env.Svc.Situation.OpenRound(context.Background(), staff, situation.OpenRound{Incident: incident.ID(id),
		Audience: dispatch.Audience{Units: []string{"avd1", fyrtest.Hospital}}, Deadline: env.Svc.Now().Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.Svc.Situation.FileReport(context.Background(), staff, situation.File{Round: open.Round, Unit: fyrtest.Hospital,
		Values: situation.Values{State: situation.Limited}}); err != nil {
		t.Fatal(err)
	}
	a := open.Round
	browser := startBrowser(t)
	b := newTab(t, browser, "staff")
	b.login(env.URL, "staff", "/incidents/"+id+"/overview", "#rollup")
	for _, p := range []struct{ name, path, ready string }{
		{"overview", "/incidents/" + id + "/overview", "#rollup table"},
		{"round page", "/rounds/" + string(a), "#ru-avd1 a[href^='tel:']"},
		{"rounds list with the form", "/incidents/" + id + "/rounds", "#round-form"},
		{"report page", "/reports/" + string(reps["b-avd1"]), "#report-meta"},
	} {
		b.do(p.name, chromedp.Navigate(env.URL+p.path), chromedp.WaitVisible(chromedp.CSS(p.ready)))
		checkWeight(t, b, p.name)
		axeAudit(t, b, p.name)
	}
	b.do("phone viewport", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateTouch))
	for _, p := range []struct{ name, path, ready string }{
		{"overview", "/incidents/" + id + "/overview", "#rollup table"},
		{"round page", "/rounds/" + string(a), "#round-units"},
	} {
		b.do(p.name+" on a phone", chromedp.Navigate(env.URL+p.path), chromedp.WaitVisible(chromedp.CSS(p.ready)))
		r := cdpEval[struct {
			ScrollWidth int      `json:"scrollWidth"`
			Wide        []string `json:"wide"`
		}](b, "measure "+p.name, overflowJS)
		if r.ScrollWidth > 390 {
			t.Errorf("%s on a phone scrolls sideways (%d px): %s", p.name, r.ScrollWidth, strings.Join(r.Wide, ", "))
		}
		axeAudit(t, b, p.name+" on a phone")
	}
}
