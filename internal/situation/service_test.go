package situation_test

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"fyr/internal/app"
	"fyr/internal/auth"
	"fyr/internal/directory"
	"fyr/internal/dispatch"
	"fyr/internal/dispatch/engine"
	"fyr/internal/fail"
	"fyr/internal/fyrtest"
	"fyr/internal/incident"
	"fyr/internal/situation"
	"fyr/internal/store"
	"fyr/internal/testclock"
)

// sit is a service on a clock the test sets, with a region of two
// hospitals and their wards, and the accounts the situation picture needs.
type sit struct {
	svc   *app.App
	dir   string
	clock *testclock.Clock
	p     map[string]auth.Principal
}

// restart closes the service and opens it again on the same log (a
// service from startSituationOnDisk).
func (s *sit) restart(t *testing.T) {
	t.Helper()
	s.svc.Close()
	svc, err := app.Open(context.Background(), app.Config{Dir: s.dir, Org: "test", Now: s.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	s.svc = svc
}

// startSituation starts the service on the in-memory log.
func startSituation(t *testing.T) *sit { return startSituationOn(t, store.NewMem()) }

// startSituationOnDisk starts the service on JetStream in a data directory,
// for a test that restarts it.
func startSituationOnDisk(t *testing.T) *sit { return startSituationOn(t, nil) }

func startSituationOn(t *testing.T, log store.Log) *sit {
	t.Helper()
	ctx := context.Background()
	c := testclock.New(time.Now().UTC().Truncate(time.Minute))
	dir := t.TempDir()
	svc, err := app.Open(ctx, app.Config{Dir: dir, Org: "test", Now: c.Now, Log: log})
	if err != nil {
		t.Fatal(err)
	}
	s := &sit{svc: svc, dir: dir, clock: c, p: map[string]auth.Principal{}}
	t.Cleanup(func() { s.svc.Close() })
	for _, u := range []directory.Unit{
		{ID: "region", Name: "Testregionen", Type: directory.Region},
		{ID: "sjukhus", Name: "Testsjukhuset", Type: directory.Hospital, Parent: "region"},
		{ID: "avd1", Name: "Avdelning 1", Type: directory.Ward, Parent: "sjukhus"},
		{ID: "avd2", Name: "Avdelning 2", Type: directory.Ward, Parent: "sjukhus"},
		{ID: "lasarett", Name: "Lasarettet", Type: directory.Hospital, Parent: "region"},
		{ID: "avd3", Name: "Avdelning 3", Type: directory.Ward, Parent: "lasarett"},
	} {
		if err := svc.Directory.AddUnit(ctx, "test", u); err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range []directory.Person{
		{ID: "p1", Name: "Anna Andersson", Unit: "avd1", Function: "Avdelningschef", Mobile: "+46701740605", Email: "anna@test.example"},
		{ID: "p2", Name: "Bo Berg", Unit: "avd2", Function: "Avdelningschef", Mobile: "+46701740606", Email: "bo@test.example"},
		{ID: "p3", Name: "Cilla Chef", Unit: "sjukhus", Function: "Sjukhuschef", Email: "cilla@test.example"},
		{ID: "p4", Name: "Dag Dahl", Unit: "avd3", Function: "Avdelningschef", Email: "dag@test.example"},
	} {
		if err := svc.Directory.AddPerson(ctx, "test", p); err != nil {
			t.Fatal(err)
		}
	}
	hash := fyrtest.Hash("test-password-123") // no test here logs in: the hash need not cost
	for _, u := range []auth.AddUser{
		{Username: "admin", Name: "Ada Admin", Role: auth.Admin},
		{Username: "staff", Name: "Sven Stab", Role: auth.Staff, Function: "Sjukvårdsledare"},
		{Username: "chef", Name: "Stina Stabschef", Role: auth.Staff, Function: "Stabschef"},
		{Username: "chef2", Name: "Sara Stabschef", Role: auth.Staff, Function: "TiB, stabschef"},
		{Username: "avd1", Name: "Anna Andersson", Role: auth.Unit, Unit: "avd1"},
		{Username: "viewer", Name: "Vera Viewer", Role: auth.Viewer},
	} {
		u.Hash = hash
		if _, err := svc.Auth.AddUser(ctx, nil, u); err != nil {
			t.Fatal(err)
		}
		s.p[u.Username] = auth.Principal{Username: u.Username, Name: u.Name, Role: u.Role, Function: u.Function, Unit: u.Unit}
	}
	admin := s.p["admin"]
	for unit, person := range map[string]string{"avd1": "p1", "avd2": "p2", "sjukhus": "p3", "avd3": "p4"} {
		if _, err := svc.Directory.SetContacts(ctx, &admin, directory.SetContacts{Unit: unit, Primary: person}); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

func (s *sit) incident(t *testing.T) incident.Incident {
	t.Helper()
	inc, err := s.svc.Incidents.OpenIncident(context.Background(), s.p["staff"], incident.Open{Title: "IT-avbrott", Description: "DNS-fel",
		Scope: "region", Level: incident.Staff})
	if err != nil {
		t.Fatal(err)
	}
	return inc
}

func (s *sit) round(t *testing.T, inc incident.ID, units ...string) situation.Round {
	t.Helper()
	r, err := s.svc.Situation.OpenRound(context.Background(), s.p["staff"], situation.OpenRound{Incident: inc, Title: "Omgång 14:00",
		Audience: dispatch.Audience{Units: units}, Deadline: s.clock.Now().Add(time.Hour),
		Channels: []string{dispatch.InApp, dispatch.Email}, Escalation: &dispatch.Escalation{Resend: 5, Deputies: 10, Parent: 15}})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func values(state situation.OperatingState, present, missing, beds, occupied int, systems ...situation.SystemStatus) situation.Values {
	return situation.Values{State: state, Staff: situation.Staffing{Present: present, Missing: missing},
		Beds: situation.Beds{Total: beds, Occupied: occupied}, Systems: systems}
}

// mailbox is a transport that keeps what it was handed.
type mailbox struct {
	mu   sync.Mutex
	sent []dispatch.Plan
}

func (m *mailbox) Send(_ context.Context, p dispatch.Plan, _, _, _ string) dispatch.AttemptResult {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sent = append(m.sent, p)
	return dispatch.AttemptResult{Handed: true, Provider: "test", ProviderID: p.Attempt}
}

func (m *mailbox) to(d dispatch.ID) []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []string
	for _, p := range m.sent {
		if p.Dispatch == d {
			out = append(out, p.Unit+":"+p.Name)
		}
	}
	return out
}

// A round in which one unit never reports: the reports are receipts of the
// call to report; at the deadline the missing unit, and only it, gets a
// reminder, once; the reminder escalates through the engine like any
// dispatch; a late report is accepted while the round is open and stops it.
func TestRoundReminderEscalatesForTheMissingUnit(t *testing.T) {
	t.Parallel()
	s := startSituationOnDisk(t)
	ctx := context.Background()
	inc := s.incident(t)
	r := s.round(t, inc.ID, "avd1", "avd2", "sjukhus")
	if r.Dispatch == "" || len(r.Units) != 3 {
		t.Fatalf("round: %+v", r)
	}
	req, _, _ := s.svc.Dispatch.Dispatch(s.p["staff"], r.Dispatch)
	if req.Kind != dispatch.KindReportRequest || !strings.Contains(req.Title, "rapport senast") {
		t.Fatalf("call to report: %+v", req)
	}
	if out, _ := s.svc.P.Incidents.Journal(inc.ID, incident.Query{Kind: incident.InfoOut}); len(out) != 1 || out[0].Dispatch != string(r.Dispatch) {
		t.Fatalf("the call to report is not in the journal: %+v", out)
	}
	if got, err := s.svc.Situation.RoundForDispatch(s.p["avd1"], r.Dispatch); err != nil || got.Round != r.Round {
		t.Fatalf("the round of the call to report: %+v %v", got, err)
	}
	mail := &mailbox{}
	eng := s.svc.NewEngine(map[string]engine.Transport{dispatch.Email: mail}, "https://fyr.test")
	if _, err := eng.Round(ctx, s.clock.Now()); err != nil {
		t.Fatal(err)
	}
	// avd1 reports in-app; the staff records the hospital's report by phone.
	rep, err := s.svc.Situation.FileReport(ctx, s.p["avd1"], situation.File{Round: r.Round, Values: values(situation.Limited, 8, 2, 20, 18,
		situation.SystemStatus{Name: "Cosmic", State: situation.Down})})
	if err != nil || rep.Unit != "avd1" || rep.Late || rep.OnBehalf || rep.Version != 1 {
		t.Fatalf("unit report: %+v %v", rep, err)
	}
	if st, _ := s.svc.Dispatch.UnitState(r.Dispatch, "avd1"); st.Ack == nil || st.Ack.Channel != dispatch.InApp {
		t.Fatalf("the report did not acknowledge the call to report: %+v", st)
	}
	if rep, err = s.svc.Situation.FileReport(ctx, s.p["staff"], situation.File{Round: r.Round, Unit: "sjukhus",
		Values: values(situation.Normal, 40, 0, 0, 0)}); err != nil || !rep.OnBehalf || rep.Channel != dispatch.Phone {
		t.Fatalf("report by phone: %+v %v", rep, err)
	}
	// Before the deadline nothing is due.
	if n, err := s.svc.Situation.RemindRounds(ctx, s.clock.Now()); n != 0 || err != nil {
		t.Fatalf("reminders before the deadline: %d %v", n, err)
	}
	st, _ := s.svc.Situation.RoundStatus(s.p["staff"], r.Round, incident.AsOf{})
	if !slices.Equal(st.Missing, []string{"avd2"}) {
		t.Fatalf("missing: %v", st.Missing)
	}
	// The deadline passes: one reminder to exactly avd2, and only once.
	now := s.clock.Add(61 * time.Minute)
	if n, err := s.svc.Situation.RemindRounds(ctx, now); n != 1 || err != nil {
		t.Fatalf("reminders at the deadline: %d %v", n, err)
	}
	before := s.svc.Seq()
	if n, err := s.svc.Situation.RemindRounds(ctx, now.Add(time.Minute)); n != 0 || err != nil || s.svc.Seq() != before {
		t.Fatalf("a second reminder: %d %v", n, err)
	}
	// After a restart the models are rebuilt from the log: still one reminder.
	s.restart(t)
	eng = s.svc.NewEngine(map[string]engine.Transport{dispatch.Email: mail}, "https://fyr.test")
	if n, err := s.svc.Situation.RemindRounds(ctx, now.Add(2*time.Minute)); n != 0 || err != nil {
		t.Fatalf("a reminder after the restart: %d %v", n, err)
	}
	r, _ = s.svc.Situation.Round(s.p["staff"], r.Round, incident.AsOf{})
	rem, states, err := s.svc.Dispatch.Dispatch(s.p["admin"], r.Reminder)
	if err != nil || rem.Kind != dispatch.KindReportReminder || !slices.Equal(rem.Units, []string{"avd2"}) || !slices.Equal(r.Reminded, []string{"avd2"}) {
		t.Fatalf("reminder: %+v %+v", rem, r)
	}
	if !strings.HasPrefix(rem.Title, "Påminnelse: rapport saknas") {
		t.Fatalf("reminder title %q", rem.Title)
	}
	// The engine escalates the reminder: in-app first, then e-mail, then
	// the parent unit's contact.
	for _, m := range []time.Duration{0, 5 * time.Minute, 15 * time.Minute} {
		if _, err := eng.Round(ctx, rem.CreatedAt.Add(m)); err != nil {
			t.Fatal(err)
		}
	}
	if got := mail.to(rem.Dispatch); !slices.Equal(got, []string{"avd2:Bo Berg", "avd2:Cilla Chef"}) {
		t.Fatalf("the reminder went to %v; want avd2's contact by e-mail, then the parent unit's", got)
	}
	_, states, _ = s.svc.Dispatch.Dispatch(s.p["admin"], rem.Dispatch)
	if len(states) != 1 || len(states[0].Steps) != 4 || len(states[0].Attempts) != 3 {
		t.Fatalf("escalation steps of the reminder: %+v", states)
	}
	// A late report is accepted while the round is open, marked late, and
	// acknowledges both the call and the reminder.
	rep, err = s.svc.Situation.FileReport(ctx, s.p["staff"], situation.File{Round: r.Round, Unit: "avd2", Values: values(situation.Closed, 3, 9, 10, 0)})
	if err != nil || !rep.Late {
		t.Fatalf("late report: %+v %v", rep, err)
	}
	for _, d := range []dispatch.ID{r.Dispatch, r.Reminder} {
		if st, _ := s.svc.Dispatch.UnitState(d, "avd2"); st.Ack == nil || st.Ack.Channel != dispatch.Phone {
			t.Fatalf("dispatch %s not acknowledged by the late report: %+v", d, st)
		}
	}
	sent := len(mail.to(rem.Dispatch))
	if _, err := eng.Round(ctx, rem.CreatedAt.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if len(mail.to(rem.Dispatch)) != sent {
		t.Fatal("escalation went on after the report")
	}
	st, _ = s.svc.Situation.RoundStatus(s.p["staff"], r.Round, incident.AsOf{})
	if len(st.Missing) != 0 || !slices.Equal(st.Late, []string{"avd2"}) {
		t.Fatalf("status after the late report: missing %v late %v", st.Missing, st.Late)
	}
}

// Every bad input of a report gets a clear error and changes nothing.
func TestBadReportsChangeNothing(t *testing.T) {
	t.Parallel()
	s := startSituation(t)
	ctx := context.Background()
	inc := s.incident(t)
	r := s.round(t, inc.ID, "avd1", "avd2")
	other := s.round(t, inc.ID, "avd3")
	ok := values(situation.Normal, 5, 0, 10, 5)
	with := func(f func(v *situation.Values)) situation.Values {
		v := ok
		f(&v)
		return v
	}
	cases := []struct {
		name  string
		who   string
		cmd   situation.File
		code  fail.Code
		field string
	}{
		{"a unit account for another unit", "avd1", situation.File{Round: r.Round, Unit: "avd2", Values: ok}, fail.Forbidden, ""},
		{"a viewer", "viewer", situation.File{Round: r.Round, Unit: "avd1", Values: ok}, fail.Forbidden, ""},
		{"the staff without a unit", "staff", situation.File{Round: r.Round, Values: ok}, fail.Invalid, "unit"},
		{"a unit not asked in the round", "avd1", situation.File{Round: other.Round, Values: ok}, fail.Invalid, "unit"},
		{"an unknown round", "avd1", situation.File{Round: "nope", Values: ok}, fail.NotFound, ""},
		{"an unknown state", "avd1", situation.File{Round: r.Round, Values: with(func(v *situation.Values) { v.State = "open" })}, fail.Invalid, "state"},
		{"negative staff", "avd1", situation.File{Round: r.Round, Values: with(func(v *situation.Values) { v.Staff.Present = -1 })}, fail.Invalid, "staff.present"},
		{"negative missing staff", "avd1", situation.File{Round: r.Round, Values: with(func(v *situation.Values) { v.Staff.Missing = -3 })}, fail.Invalid, "staff.missing"},
		{"negative beds", "avd1", situation.File{Round: r.Round, Values: with(func(v *situation.Values) { v.Beds.Total = -1 })}, fail.Invalid, "beds.total"},
		{"more beds occupied than exist", "avd1", situation.File{Round: r.Round, Values: with(func(v *situation.Values) { v.Beds.Occupied = 11 })}, fail.Invalid, "beds.occupied"},
		{"an impossible number", "avd1", situation.File{Round: r.Round, Values: with(func(v *situation.Values) { v.Staff.Present = 1 << 30 })}, fail.Invalid, "staff.present"},
		{"a system without a name", "avd1", situation.File{Round: r.Round, Values: with(func(v *situation.Values) {
			v.Systems = []situation.SystemStatus{{Name: "Cosmic", State: situation.Down}, {Name: " ", State: situation.Up}}
		})}, fail.Invalid, "systems[1].name"},
		{"a system twice", "avd1", situation.File{Round: r.Round, Values: with(func(v *situation.Values) {
			v.Systems = []situation.SystemStatus{{Name: "Cosmic", State: situation.Down}, {Name: "cosmic", State: situation.Up}}
		})}, fail.Invalid, "systems[1].name"},
		{"an unknown system state", "avd1", situation.File{Round: r.Round, Values: with(func(v *situation.Values) {
			v.Systems = []situation.SystemStatus{{Name: "Cosmic", State: "broken"}}
		})}, fail.Invalid, "systems[0].state"},
		{"a supply without a name", "avd1", situation.File{Round: r.Round, Values: with(func(v *situation.Values) {
			v.Supplies = []situation.Supply{{Note: "slut i morgon"}}
		})}, fail.Invalid, "supplies[0].name"},
		{"an empty need", "avd1", situation.File{Round: r.Round, Values: with(func(v *situation.Values) { v.Needs = []string{""} })}, fail.Invalid, "needs[0]"},
		{"a unit account dating its report", "avd1", situation.File{Round: r.Round, Values: ok, OccurredAt: s.clock.Now().Add(-time.Minute)}, fail.Invalid, "occurred_at"},
		{"a phone report dated in the future", "staff", situation.File{Round: r.Round, Unit: "avd1", Values: ok, OccurredAt: s.clock.Now().Add(time.Hour)}, fail.Invalid, "occurred_at"},
	}
	check := func(name string, err error, code fail.Code, field string) {
		t.Helper()
		fe := fail.As(err)
		if err == nil || fe.Code != code || fe.Field != field {
			t.Errorf("%s: got %v (code %s, field %q); want code %s, field %q", name, err, fe.Code, fe.Field, code, field)
		}
	}
	before := s.svc.Seq()
	for _, c := range cases {
		_, err := s.svc.Situation.FileReport(ctx, s.p[c.who], c.cmd)
		check(c.name, err, c.code, c.field)
	}
	if s.svc.Seq() != before {
		t.Fatalf("bad reports moved the log from %d to %d", before, s.svc.Seq())
	}
	// After the round is closed a report is refused, until it is reopened.
	if _, err := s.svc.Situation.CloseRound(ctx, s.p["staff"], r.Round); err != nil {
		t.Fatal(err)
	}
	before = s.svc.Seq()
	_, err := s.svc.Situation.FileReport(ctx, s.p["avd1"], situation.File{Round: r.Round, Values: ok})
	check("a report after the round closed", err, fail.Conflict, "")
	_, err = s.svc.Situation.CloseRound(ctx, s.p["staff"], r.Round)
	check("closing a closed round", err, fail.Conflict, "")
	_, err = s.svc.Situation.ReopenRound(ctx, s.p["avd1"], situation.ReopenRound{Round: r.Round})
	check("a unit reopening", err, fail.Forbidden, "")
	_, err = s.svc.Situation.ReopenRound(ctx, s.p["staff"], situation.ReopenRound{Round: r.Round, Deadline: s.clock.Now().Add(-time.Minute)})
	check("reopening with a past deadline", err, fail.Invalid, "deadline")
	if s.svc.Seq() != before {
		t.Fatal("refused commands on a closed round moved the log")
	}
	if _, err := s.svc.Situation.ReopenRound(ctx, s.p["staff"], situation.ReopenRound{Round: r.Round}); err != nil {
		t.Fatal(err)
	}
	if rep, err := s.svc.Situation.FileReport(ctx, s.p["avd1"], situation.File{Round: r.Round, Values: ok}); err != nil || rep.Version != 1 {
		t.Fatalf("report after reopening: %+v %v", rep, err)
	}
	// The second report of a unit is a new version; the first is kept.
	v2 := with(func(v *situation.Values) { v.Text = "Läget stabilt"; v.Needs = []string{"Två sjuksköterskor"} })
	rep, err := s.svc.Situation.FileReport(ctx, s.p["avd1"], situation.File{Round: r.Round, Values: v2})
	if err != nil || rep.Version != 2 {
		t.Fatalf("second version: %+v %v", rep, err)
	}
	if all, _ := s.svc.Situation.Reports(s.p["staff"], situation.ReportQuery{Round: r.Round}, "test"); len(all) != 2 {
		t.Fatalf("versions kept: %d", len(all))
	}
	// The next form is prefilled from the last report, without its free text.
	form, err := s.svc.Situation.ReportForm(s.p["avd1"], other.Round, "")
	if err == nil {
		t.Fatalf("avd1 may not fill in a form for a round it is not asked in? got %+v", form)
	}
	r3 := s.round(t, inc.ID, "avd1")
	form, err = s.svc.Situation.ReportForm(s.p["avd1"], r3.Round, "")
	if err != nil || form.Unit != "avd1" || form.Beds.Total != 10 || !slices.Equal(form.Needs, []string{"Två sjuksköterskor"}) || form.Text != "" {
		t.Fatalf("prefilled form: %+v %v", form, err)
	}
	// A unit account reads its own reports only.
	if _, err := s.svc.Situation.Reports(s.p["avd1"], situation.ReportQuery{Unit: "avd2"}, "test"); !fail.Is(err, fail.Forbidden) {
		t.Fatalf("a unit reading another unit's reports: %v", err)
	}
	if mine, err := s.svc.Situation.Reports(s.p["avd1"], situation.ReportQuery{}, "test"); err != nil || len(mine) != 2 {
		t.Fatalf("a unit's own reports: %d %v", len(mine), err)
	}
}

func TestBadRoundsChangeNothing(t *testing.T) {
	t.Parallel()
	s := startSituation(t)
	ctx := context.Background()
	inc := s.incident(t)
	deadline := s.clock.Now().Add(time.Hour)
	cases := []struct {
		name  string
		who   string
		cmd   situation.OpenRound
		code  fail.Code
		field string
	}{
		{"a viewer", "viewer", situation.OpenRound{Incident: inc.ID, Audience: dispatch.Audience{All: true}, Deadline: deadline}, fail.Forbidden, ""},
		{"a unit account", "avd1", situation.OpenRound{Incident: inc.ID, Audience: dispatch.Audience{All: true}, Deadline: deadline}, fail.Forbidden, ""},
		{"a past deadline", "staff", situation.OpenRound{Incident: inc.ID, Audience: dispatch.Audience{All: true}, Deadline: s.clock.Now().Add(-time.Minute)}, fail.Invalid, "deadline"},
		{"no deadline", "staff", situation.OpenRound{Incident: inc.ID, Audience: dispatch.Audience{All: true}}, fail.Invalid, "deadline"},
		{"an unknown unit", "staff", situation.OpenRound{Incident: inc.ID, Audience: dispatch.Audience{Units: []string{"x"}}, Deadline: deadline}, fail.Invalid, "audience.units"},
		{"no audience", "staff", situation.OpenRound{Incident: inc.ID, Deadline: deadline}, fail.Invalid, "audience"},
		{"an unknown incident", "staff", situation.OpenRound{Incident: "x", Audience: dispatch.Audience{All: true}, Deadline: deadline}, fail.NotFound, ""},
		{"a bad channel", "staff", situation.OpenRound{Incident: inc.ID, Audience: dispatch.Audience{All: true}, Deadline: deadline, Channels: []string{"fax"}}, fail.Invalid, "channels"},
	}
	before := s.svc.Seq()
	for _, c := range cases {
		_, err := s.svc.Situation.OpenRound(ctx, s.p[c.who], c.cmd)
		if fe := fail.As(err); err == nil || fe.Code != c.code || fe.Field != c.field {
			t.Errorf("%s: %v", c.name, err)
		}
	}
	if _, err := s.svc.Situation.ReopenRound(ctx, s.p["staff"], situation.ReopenRound{Round: "x"}); !fail.Is(err, fail.NotFound) {
		t.Errorf("reopening an unknown round: %v", err)
	}
	if s.svc.Seq() != before {
		t.Fatal("bad rounds moved the log")
	}
	// The staff cannot create the carried kinds as a plain dispatch.
	if _, err := s.svc.Dispatch.CreateDispatch(ctx, s.p["staff"], dispatch.Create{Incident: inc.ID, Kind: dispatch.KindPicture, Title: "x",
		Audience: dispatch.Audience{All: true}, Deadline: deadline}); fail.As(err).Field != "kind" {
		t.Fatalf("a picture dispatch without a picture: %v", err)
	}
}

// Roll-up per hospital and for the region, with the reports behind each
// figure and the changes since the previous round; and as it stood before
// the second round.
func TestRollupAndChangesAndPointInTime(t *testing.T) {
	t.Parallel()
	s := startSituation(t)
	ctx := context.Background()
	inc := s.incident(t)
	r1 := s.round(t, inc.ID, "avd1", "avd2", "avd3")
	file := func(r situation.RoundID, who, unit string, v situation.Values) situation.Report {
		t.Helper()
		rep, err := s.svc.Situation.FileReport(ctx, s.p[who], situation.File{Round: r, Unit: unit, Values: v})
		if err != nil {
			t.Fatal(err)
		}
		return rep
	}
	a1 := file(r1.Round, "avd1", "", values(situation.Normal, 10, 0, 20, 15, situation.SystemStatus{Name: "Cosmic", State: situation.Up}))
	b1 := file(r1.Round, "staff", "avd2", values(situation.Normal, 8, 1, 12, 12))
	c1 := file(r1.Round, "staff", "avd3", values(situation.Limited, 5, 4, 10, 6, situation.SystemStatus{Name: "Cosmic", State: situation.Down}))
	between := s.clock.Add(10 * time.Minute)
	s.clock.Add(10 * time.Minute)
	r2 := s.round(t, inc.ID, "avd1", "avd2", "avd3")
	s.clock.Add(time.Minute)
	a2 := file(r2.Round, "avd1", "", values(situation.Limited, 7, 3, 20, 19, situation.SystemStatus{Name: "Cosmic", State: situation.Down},
		situation.SystemStatus{Name: "Take Care", State: situation.Degraded}))
	c2v := values(situation.Closed, 2, 7, 10, 0, situation.SystemStatus{Name: "cosmic", State: situation.Down})
	c2v.Needs = []string{"Reservkraft"}
	c2v.Supplies = []situation.Supply{{Name: "Handskar", Note: "2 dygn kvar"}}
	c2 := file(r2.Round, "staff", "avd3", c2v)

	ov, err := s.svc.Situation.Overview(s.p["staff"], situation.OverviewQuery{Incident: inc.ID, Round: r2.Round})
	if err != nil {
		t.Fatal(err)
	}
	reg := ov.Region
	if reg.Asked != 3 || reg.Reported.Value != 2 || len(reg.Missing) != 1 || reg.Missing[0].Unit != "avd2" {
		t.Fatalf("region reporting: %+v", reg)
	}
	if len(reg.Closed) != 1 || reg.Closed[0].Name != "Avdelning 3" || reg.Closed[0].Report != c2.Report ||
		len(reg.Limited) != 1 || reg.Limited[0].Report != a2.Report {
		t.Fatalf("units by state: closed %+v limited %+v", reg.Closed, reg.Limited)
	}
	if reg.Beds.Total.Value != 30 || reg.Beds.Occupied.Value != 19 || reg.Beds.Available.Value != 11 ||
		!slices.Equal(reg.Beds.Occupied.Reports, []situation.ReportID{a2.Report, c2.Report}) {
		t.Fatalf("beds: %+v", reg.Beds)
	}
	if reg.Staff.Present.Value != 9 || reg.Staff.Missing.Value != 10 {
		t.Fatalf("staff: %+v", reg.Staff)
	}
	if len(reg.Systems) != 2 || reg.Systems[0].Name != "Cosmic" || len(reg.Systems[0].Down) != 2 || len(reg.Systems[1].Degraded) != 1 {
		t.Fatalf("systems: %+v", reg.Systems)
	}
	if len(reg.Needs) != 1 || reg.Needs[0].Report != c2.Report || len(reg.Supplies) != 1 || reg.Supplies[0].Units[0].Unit != "avd3" {
		t.Fatalf("needs %+v supplies %+v", reg.Needs, reg.Supplies)
	}
	var hosp situation.Rollup
	for _, h := range ov.Hospitals {
		if h.Scope == "sjukhus" {
			hosp = h
		}
	}
	if hosp.Asked != 2 || hosp.Reported.Value != 1 || hosp.Beds.Total.Value != 20 || len(hosp.Closed) != 0 {
		t.Fatalf("hospital roll-up: %+v", hosp)
	}
	ch := reg.Changes
	if ch == nil || ch.Previous != r1.Round {
		t.Fatalf("changes: %+v", ch)
	}
	wantStates := []situation.StateChange{
		{Unit: "avd1", Name: "Avdelning 1", From: situation.Normal, To: situation.Limited, Before: a1.Report, After: a2.Report},
		{Unit: "avd3", Name: "Avdelning 3", From: situation.Limited, To: situation.Closed, Before: c1.Report, After: c2.Report},
	}
	if !slices.Equal(ch.States, wantStates) {
		t.Fatalf("state changes: %+v", ch.States)
	}
	if len(ch.Systems) != 2 || ch.Systems[0].System != "Cosmic" || ch.Systems[0].Unit != "avd1" || ch.Systems[0].To != situation.Down ||
		ch.Systems[1].System != "Take Care" || ch.Systems[1].From != "" {
		t.Fatalf("system changes: %+v", ch.Systems)
	}
	if ch.Beds.Total.Change != 30-42 || ch.Staff.Missing.Change != 10-5 || !slices.Contains(ch.Beds.Total.Before.Reports, b1.Report) {
		t.Fatalf("totals delta: %+v %+v", ch.Beds, ch.Staff)
	}
	// Newest per unit over the rounds: avd2's report of round 1 still counts.
	latest, err := s.svc.Situation.Overview(s.p["staff"], situation.OverviewQuery{Incident: inc.ID})
	if err != nil || latest.Region.Reported.Value != 3 || latest.Region.Beds.Total.Value != 42 {
		t.Fatalf("newest per unit: %+v %v", latest.Region, err)
	}
	// As it stood between the rounds: round 1 only, every unit normal or limited.
	then, err := s.svc.Situation.Overview(s.p["staff"], situation.OverviewQuery{Incident: inc.ID, AsOf: incident.AsOf{At: between}})
	if err != nil || len(then.Region.Closed) != 0 || then.Region.Beds.Occupied.Value != 33 || then.Region.Changes != nil {
		t.Fatalf("roll-up at %v: %+v %v", between, then.Region, err)
	}
	if _, err := s.svc.Situation.Overview(s.p["staff"], situation.OverviewQuery{Incident: inc.ID, Round: r2.Round, AsOf: incident.AsOf{At: between}}); !fail.Is(err, fail.NotFound) {
		t.Fatalf("a round before it was opened: %v", err)
	}
	for _, u := range then.Units {
		if u.Unit == "avd3" && u.State != situation.Limited {
			t.Fatalf("avd3 at %v: %+v", between, u)
		}
	}
	if _, err := s.svc.Situation.Overview(s.p["avd1"], situation.OverviewQuery{Incident: inc.ID}); !fail.Is(err, fail.Forbidden) {
		t.Fatalf("a unit account reading the roll-up: %v", err)
	}
	if names, _ := s.svc.Situation.SystemNames(s.p["avd1"]); !slices.Equal(names, []string{"Cosmic", "Take Care"}) {
		t.Fatalf("system names: %v", names)
	}
}

// Draft → approve → publish → receipts; four eyes; publishing without
// approval; the role that approves; point in time; diff; export.
func TestPictureDraftApprovePublish(t *testing.T) {
	t.Parallel()
	s := startSituation(t)
	ctx := context.Background()
	inc := s.incident(t)
	staff, chef, chef2, admin := s.p["staff"], s.p["chef"], s.p["chef2"], s.p["admin"]
	dec, err := s.svc.Incidents.Record(ctx, staff, incident.Record{Incident: inc.ID, Kind: incident.Decision, Text: "All icke-akut vård ställs in",
		Decision: &incident.DecisionInfo{DecisionMaker: "Sven Stab"}})
	if err != nil {
		t.Fatal(err)
	}
	task, err := s.svc.Incidents.Record(ctx, staff, incident.Record{Incident: inc.ID, Kind: incident.Task, Text: "Ta fram reservrutin för labbsvar",
		Task: &incident.TaskInfo{Owner: "IT-chef", Deadline: s.clock.Now().Add(2 * time.Hour)}})
	if err != nil {
		t.Fatal(err)
	}
	r := s.round(t, inc.ID, "avd1", "avd3")
	rep, err := s.svc.Situation.FileReport(ctx, s.p["staff"], situation.File{Round: r.Round, Unit: "avd3",
		Values: values(situation.Closed, 2, 6, 10, 0, situation.SystemStatus{Name: "Cosmic", State: situation.Down})})
	if err != nil {
		t.Fatal(err)
	}
	// The draft is prefilled.
	v1, err := s.svc.Situation.DraftPicture(ctx, chef, situation.DraftPicture{Incident: inc.ID})
	if err != nil {
		t.Fatal(err)
	}
	c := v1.Content
	if v1.Version != 1 || v1.Status != situation.Draft || !strings.Contains(c.Event, "IT-avbrott") ||
		len(c.Levels) != 1 || c.Levels[0].Level != incident.Staff ||
		!slices.Equal(c.Affected, []string{"avd3"}) || !strings.Contains(c.Scope, "Stängda: Avdelning 3") || !strings.Contains(c.Scope, "Cosmic: nere hos 1") ||
		!strings.Contains(c.Consequences.Capacity, "Vårdplatser i drift 10") || !strings.Contains(c.Actions, "Beslut: All icke-akut vård ställs in") ||
		len(c.Direction) != 1 || c.Direction[0].Task != task.ID || c.Direction[0].Owner != "IT-chef" {
		t.Fatalf("prefilled draft: %+v", c)
	}
	if !slices.Contains(v1.Basis.Reports, rep.Report) || !slices.Contains(v1.Basis.Entries, dec.ID) {
		t.Fatalf("basis: %+v", v1.Basis)
	}
	c.Forecast = "Felet väntas vara åtgärdat i kväll. Kontakt: Anna Andersson 070-174 06 05, anna@test.example, 19121212-1212."
	c.Direction = append(c.Direction, situation.Measure{What: "Informera kommunerna", Owner: "Bo Berg"})
	c.NextBriefing = s.clock.Now().Add(3 * time.Hour)
	if v1, err = s.svc.Situation.RevisePicture(ctx, staff, situation.Revise{Picture: v1.ID, Content: c}); err != nil {
		t.Fatal(err)
	}
	check := func(name string, err error, code fail.Code) {
		t.Helper()
		if !fail.Is(err, code) {
			t.Fatalf("%s: %v; want %s", name, err, code)
		}
	}
	before := s.svc.Seq()
	_, err = s.svc.Situation.PublishPicture(ctx, staff, situation.Publish{Picture: v1.ID})
	check("publishing without approval", err, fail.Conflict)
	_, err = s.svc.Situation.ApprovePicture(ctx, chef, v1.ID)
	check("approving one's own draft under four eyes", err, fail.Forbidden)
	_, err = s.svc.Situation.ApprovePicture(ctx, staff, v1.ID)
	check("approving without the approving role", err, fail.Forbidden)
	_, err = s.svc.Situation.ApprovePicture(ctx, s.p["viewer"], v1.ID)
	check("a viewer approving", err, fail.Forbidden)
	_, err = s.svc.Situation.DraftPicture(ctx, staff, situation.DraftPicture{Incident: inc.ID})
	check("a second draft while one is open", err, fail.Conflict)
	_, err = s.svc.Situation.RevisePicture(ctx, staff, situation.Revise{Picture: v1.ID, Content: situation.Content{}})
	if fail.As(err).Field != "event" {
		t.Fatalf("a draft without an event: %v", err)
	}
	bad := c
	bad.Direction = []situation.Measure{{What: "x"}}
	_, err = s.svc.Situation.RevisePicture(ctx, staff, situation.Revise{Picture: v1.ID, Content: bad})
	if fail.As(err).Field != "direction[0].owner" {
		t.Fatalf("a measure without an owner: %v", err)
	}
	check("staff turning four eyes off", s.svc.Situation.SetFourEyes(ctx, staff, false), fail.Forbidden)
	if s.svc.Seq() != before {
		t.Fatal("refused commands moved the log")
	}
	// Another stabschef approves ("TiB, stabschef" holds it too), then it is published.
	if v1, err = s.svc.Situation.ApprovePicture(ctx, chef2, v1.ID); err != nil || v1.Status != situation.Approved || v1.ApprovedBy != chef2.Name {
		t.Fatalf("approval: %+v %v", v1, err)
	}
	_, err = s.svc.Situation.RevisePicture(ctx, staff, situation.Revise{Picture: v1.ID, Content: c})
	check("revising an approved version", err, fail.Conflict)
	beforePublish := s.clock.Add(time.Minute)
	s.clock.Add(time.Minute)
	if v1, err = s.svc.Situation.PublishPicture(ctx, staff, situation.Publish{Picture: v1.ID}); err != nil || v1.Status != situation.Published || v1.Dispatch == "" {
		t.Fatalf("publish: %+v %v", v1, err)
	}
	d, states, _ := s.svc.Dispatch.Dispatch(staff, v1.Dispatch)
	if d.Kind != dispatch.KindPicture || len(states) != 6 || !strings.Contains(d.Body, "LÄGESBILD version 1") {
		t.Fatalf("the picture's dispatch: %+v (%d units)", d, len(states))
	}
	unit := s.p["avd1"]
	if st, err := s.svc.Dispatch.Acknowledge(ctx, unit, dispatch.Acknowledge{Dispatch: v1.Dispatch}); err != nil || st.Ack == nil {
		t.Fatalf("unit receipt of the picture: %+v %v", st, err)
	}
	if d, _, _ = s.svc.Dispatch.Dispatch(staff, v1.Dispatch); d.Acked != 1 {
		t.Fatalf("receipts: %d", d.Acked)
	}
	_, err = s.svc.Situation.PublishPicture(ctx, staff, situation.Publish{Picture: v1.ID})
	check("publishing twice", err, fail.Conflict)
	// Units see the published picture, not drafts.
	if got, err := s.svc.Situation.LatestPicture(unit, inc.ID, incident.AsOf{}); err != nil || got.ID != v1.ID {
		t.Fatalf("the unit's picture: %+v %v", got, err)
	}
	// Four eyes off (admin): the author approves a second version herself.
	s.clock.Add(10 * time.Minute)
	if err := s.svc.Situation.SetFourEyes(ctx, admin, false); err != nil || s.svc.Situation.FourEyes() {
		t.Fatalf("four eyes off: %v", err)
	}
	v2, err := s.svc.Situation.DraftPicture(ctx, chef, situation.DraftPicture{Incident: inc.ID})
	if err != nil || v2.Version != 2 || strings.Contains(v2.Content.Actions, "icke-akut") || v2.Content.Forecast != c.Forecast {
		t.Fatalf("second draft (decisions since v1 only, the rest carried forward): %+v %v", v2.Content, err)
	}
	if pics, _ := s.svc.Situation.Pictures(unit, inc.ID, incident.AsOf{}); len(pics) != 1 {
		t.Fatalf("a unit sees %d versions; want only the published one", len(pics))
	}
	if _, err := s.svc.Situation.Picture(unit, v2.ID, incident.AsOf{}); !fail.Is(err, fail.NotFound) {
		t.Fatalf("a unit reading a draft: %v", err)
	}
	c2 := v2.Content
	c2.Forecast = "Felet är åtgärdat."
	c2.Communication = "Pressmeddelande kl 16."
	if _, err := s.svc.Situation.RevisePicture(ctx, chef, situation.Revise{Picture: v2.ID, Content: c2}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.svc.Situation.ApprovePicture(ctx, chef, v2.ID); err != nil {
		t.Fatalf("the author approving without four eyes: %v", err)
	}
	if v2, err = s.svc.Situation.PublishPicture(ctx, staff, situation.Publish{Picture: v2.ID}); err != nil {
		t.Fatal(err)
	}
	// Point in time: before the first publication there was no picture;
	// between the two, version 1; now, version 2.
	if _, err := s.svc.Situation.LatestPicture(unit, inc.ID, incident.AsOf{At: beforePublish}); !fail.Is(err, fail.NotFound) {
		t.Fatalf("picture before publishing: %v", err)
	}
	if got, _ := s.svc.Situation.LatestPicture(unit, inc.ID, incident.AsOf{KnownAt: v2.PublishedAt.Add(-time.Millisecond)}); got.Version != 1 {
		t.Fatalf("known at before v2: version %d", got.Version)
	}
	if got, _ := s.svc.Situation.LatestPicture(unit, inc.ID, incident.AsOf{}); got.Version != 2 {
		t.Fatalf("now: version %d", got.Version)
	}
	if old, _ := s.svc.Situation.Picture(staff, v1.ID, incident.AsOf{At: beforePublish}); old.Status != situation.Approved {
		t.Fatalf("v1 before publishing: %s", old.Status)
	}
	// Diff field by field.
	diff, err := s.svc.Situation.PictureDiff(staff, v1.ID, v2.ID)
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, ch := range diff {
		keys = append(keys, ch.Key)
	}
	if !slices.Contains(keys, "forecast") || !slices.Contains(keys, "communication") || slices.Contains(keys, "event") {
		t.Fatalf("diff keys: %v", keys)
	}
	// The export carries no personal data.
	_, err = s.svc.Situation.SituationReport(staff, v2.ID, "Testregionen", nil)
	if err != nil {
		t.Fatal(err)
	}
	text, err := s.svc.Situation.SituationReport(staff, v1.ID, "Testregionen", []string{"Socialstyrelsen", "Länsstyrelsen i Testlän"})
	if err != nil {
		t.Fatal(err)
	}
	t.Log(text)
	for _, pd := range []string{"Anna", "Andersson", "Bo Berg", "Stina", "Sara", "Sven", "070-174", "anna@", "19121212", "1212"} {
		if strings.Contains(text, pd) {
			t.Errorf("the export holds %q:\n%s", pd, text)
		}
	}
	for _, want := range []string{"Länsstyrelsen i Testlän", "Avdelning 3", "IT-chef", "[ansvarig angiven]", "stabschef", "Vårdplatser i drift 10"} {
		if !strings.Contains(text, want) {
			t.Errorf("the export lacks %q:\n%s", want, text)
		}
	}
	if regexp.MustCompile(`\+46\d+`).MatchString(text) {
		t.Errorf("a phone number in the export:\n%s", text)
	}
	if _, err := s.svc.Situation.SituationReport(unit, v1.ID, "", nil); !fail.Is(err, fail.Forbidden) {
		t.Fatalf("a unit exporting: %v", err)
	}
}
