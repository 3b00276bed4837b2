package backlog_test

import (
	"context"
	"testing"
	"time"

	"fyr/internal/app"
	"fyr/internal/auth"
	"fyr/internal/backlog"
	"fyr/internal/continuity"
	"fyr/internal/fail"
	"fyr/internal/fyrtest"
	"fyr/internal/incident"
	"fyr/internal/store"
	"fyr/internal/testclock"
)

// setup starts Fyr on the in-memory log with two systems in the registry
// and an open incident; it returns the incident and the unit account as a
// principal (answering for avd1).
func setup(t *testing.T) (*fyrtest.Env, incident.ID, auth.Principal) {
	t.Helper()
	return setupWith(t, fyrtest.Start(t))
}

func setupWith(t *testing.T, env *fyrtest.Env) (*fyrtest.Env, incident.ID, auth.Principal) {
	t.Helper()
	ctx := context.Background()
	admin := env.Principal(auth.Admin)
	for _, c := range []continuity.Component{{ID: "cosmic", Kind: continuity.System, Name: "Cosmic"},
		{ID: "lab", Kind: continuity.System, Name: "Labbsystemet"}, {ID: "dns", Kind: continuity.Infrastructure, Name: "DNS"}} {
		if _, err := env.Svc.Continuity.SaveComponent(ctx, admin, c); err != nil {
			t.Fatal(err)
		}
	}
	inc, err := env.Svc.Incidents.OpenIncident(ctx, env.Principal(auth.Staff), incident.Open{Title: "Journalen nere", Scope: "region",
		Level: incident.Staff, Reason: "r", DecidedBy: "TiB"})
	if err != nil {
		t.Fatal(err)
	}
	unit := env.Principal(auth.Unit)
	unit.Unit = "avd1"
	return env, inc.ID, unit
}

func TestAWardRecordsAndWorksOffItsBacklog(t *testing.T) {
	env, inc, unit := setup(t)
	ctx := context.Background()
	svc := env.Svc.Backlog
	for range 3 { // three taps on +1
		if _, err := svc.Record(ctx, unit, backlog.Tally{Incident: inc, Unit: "avd1", System: "cosmic", Kind: backlog.Prescriptions, Count: 1}); err != nil {
			t.Fatal(err)
		}
	}
	r, err := svc.Record(ctx, unit, backlog.Tally{Incident: inc, Unit: "avd1", System: "cosmic", Kind: backlog.Prescriptions, Count: 12})
	if err != nil {
		t.Fatal(err)
	}
	if r.Row.Added != 15 || r.Row.Left != 15 || r.Row.SystemName != "Cosmic" || r.Row.UnitName != "Avdelning 1" {
		t.Fatalf("after adding: %+v", r.Row)
	}
	if r, err = svc.Record(ctx, unit, backlog.Tally{Incident: inc, Unit: "avd1", System: "cosmic", Kind: backlog.Prescriptions, Count: -5}); err != nil {
		t.Fatal(err)
	}
	if r.Row.Done != 5 || r.Row.Left != 10 {
		t.Fatalf("after working off: %+v", r.Row)
	}
	_, err = svc.Record(ctx, unit, backlog.Tally{Incident: inc, Unit: "avd1", System: "cosmic", Kind: backlog.Prescriptions, Count: -11})
	if fe := fail.As(err); fe.Field != "count" {
		t.Fatalf("working off 11 of 10: %v", err)
	}
	staff := env.Principal(auth.Staff)
	if _, err := svc.Record(ctx, staff, backlog.Tally{Incident: inc, Unit: fyrtest.Hospital, System: "lab", Kind: backlog.LabRequests, Count: 4}); err != nil {
		t.Fatalf("the staff on a unit's behalf: %v", err)
	}
	all, err := svc.Totals(staff, inc, incident.AsOf{})
	if err != nil {
		t.Fatal(err)
	}
	if all.Total.Added != 19 || all.Total.Done != 5 || all.Total.Left != 14 || len(all.Units) != 2 || len(all.Systems) != 2 {
		t.Fatalf("the staff's totals: %+v", all)
	}
	own, err := svc.Totals(unit, inc, incident.AsOf{})
	if err != nil {
		t.Fatal(err)
	}
	if own.Total.Left != 10 || len(own.Units) != 1 || own.Unit != "avd1" {
		t.Fatalf("the unit account sees %+v, want its own unit's only", own)
	}
	if n, _ := svc.Left(staff, inc); n != 14 {
		t.Fatalf("left %d, want 14", n)
	}
	if sys, _ := svc.Systems(unit); len(sys) != 2 || sys[0].ID != "cosmic" {
		t.Fatalf("systems %+v: want the registry's two systems, not the infrastructure", sys)
	}
}

func TestWhoMayRecordBacklogForWhichUnit(t *testing.T) {
	env, inc, unit := setup(t)
	ctx := context.Background()
	rec := func(p auth.Principal, u string) error {
		_, err := env.Svc.Backlog.Record(ctx, p, backlog.Tally{Incident: inc, Unit: u, System: "cosmic", Kind: backlog.Orders, Count: 1})
		return err
	}
	for _, c := range []struct {
		name string
		p    auth.Principal
		unit string
		code fail.Code
	}{
		{"a unit account for its own unit", unit, "avd1", ""},
		{"a unit account for another unit", unit, fyrtest.Hospital, fail.Forbidden},
		{"a unit account that answers for no unit", env.Principal(auth.Unit), "avd1", fail.Forbidden},
		{"the staff for any unit", env.Principal(auth.Staff), fyrtest.Hospital, ""},
		{"an administrator for any unit", env.Principal(auth.Admin), "avd1", ""},
		{"a viewer for none", env.Principal(auth.Viewer), "avd1", fail.Forbidden},
	} {
		err := rec(c.p, c.unit)
		if c.code == "" && err != nil || c.code != "" && !fail.Is(err, c.code) {
			t.Errorf("%s: %v, want %q", c.name, err, c.code)
		}
	}
	if _, err := env.Svc.Backlog.UnitTotals(unit, inc, fyrtest.Hospital, incident.AsOf{}); !fail.Is(err, fail.Forbidden) {
		t.Errorf("a unit account read another unit's backlog: %v", err)
	}
	if tot, _ := env.Svc.Backlog.Totals(env.Principal(auth.Viewer), inc, incident.AsOf{}); tot.Total.Added != 3 {
		t.Errorf("the viewer reads %+v, want the 3 recorded", tot.Total)
	}
}

func TestBadInputIsRefusedAndWritesNothing(t *testing.T) {
	env, inc, unit := setup(t)
	ctx := context.Background()
	staff := env.Principal(auth.Staff)
	closed, _ := env.Svc.Incidents.OpenIncident(ctx, staff, incident.Open{Title: "Över", Scope: "region", Level: incident.Staff, Reason: "r", DecidedBy: "TiB"})
	if _, err := env.Svc.Incidents.CloseIncident(ctx, staff, incident.Close{Incident: closed.ID, Reason: "klart"}); err != nil {
		t.Fatal(err)
	}
	seq := env.Svc.Seq()
	ok := backlog.Tally{Incident: inc, Unit: "avd1", System: "cosmic", Kind: backlog.Prescriptions, Count: 1}
	for _, c := range []struct {
		name  string
		edit  func(*backlog.Tally)
		field string
	}{
		{"unknown incident", func(r *backlog.Tally) { r.Incident = "nope" }, "incident"},
		{"closed incident", func(r *backlog.Tally) { r.Incident = closed.ID }, "incident"},
		{"unknown system", func(r *backlog.Tally) { r.System = "nope" }, "system"},
		{"infrastructure is not a system", func(r *backlog.Tally) { r.System = "dns" }, "system"},
		{"unknown kind", func(r *backlog.Tally) { r.Kind = "fax" }, "kind"},
		{"count zero", func(r *backlog.Tally) { r.Count = 0 }, "count"},
		{"count absurd", func(r *backlog.Tally) { r.Count = 100001 }, "count"},
		{"working off with nothing left", func(r *backlog.Tally) { r.Count = -1 }, "count"},
		{"in the future", func(r *backlog.Tally) { r.OccurredAt = time.Now().Add(time.Hour) }, "occurred_at"},
	} {
		r := ok
		c.edit(&r)
		_, err := env.Svc.Backlog.Record(ctx, unit, r)
		if fe := fail.As(err); err == nil || fe.Field != c.field {
			t.Errorf("%s: %v, want a refusal naming %q", c.name, err, c.field)
		}
	}
	if _, err := env.Svc.Backlog.Record(ctx, staff, backlog.Tally{Incident: inc, Unit: "mars", System: "cosmic", Kind: backlog.Orders, Count: 1}); fail.As(err).Field != "unit" {
		t.Errorf("unknown unit: %v", err)
	}
	if got := env.Svc.Seq(); got != seq {
		t.Fatalf("refusals wrote %d events", got-seq)
	}
}

func TestTheBacklogAsItStoodAndAsItWasKnown(t *testing.T) {
	clock := testclock.New(time.Now())
	env, inc, unit := setupWith(t, fyrtest.StartWith(t, app.Config{Dir: t.TempDir(), Log: store.NewMem(), Now: clock.Now}))
	ctx := context.Background()
	staff := env.Principal(auth.Staff)
	start := clock.Now().Add(-3 * time.Hour)
	if _, err := env.Svc.Backlog.Record(ctx, unit, backlog.Tally{Incident: inc, Unit: "avd1", System: "cosmic", Kind: backlog.JournalNotes,
		Count: 20, OccurredAt: start}); err != nil {
		t.Fatal(err)
	}
	known := clock.Now()
	clock.Add(time.Minute)
	if _, err := env.Svc.Backlog.Record(ctx, unit, backlog.Tally{Incident: inc, Unit: "avd1", System: "cosmic", Kind: backlog.JournalNotes,
		Count: -8, OccurredAt: start.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		asOf incident.AsOf
		left int
	}{
		{"now", incident.AsOf{}, 12},
		{"at the start, as known now", incident.AsOf{At: start.Add(time.Minute)}, 20},
		{"before anything", incident.AsOf{At: start.Add(-time.Minute)}, 0},
		{"as known before the work-off was recorded", incident.AsOf{KnownAt: known}, 20},
	} {
		tot, err := env.Svc.Backlog.Totals(staff, inc, c.asOf)
		if err != nil {
			t.Fatal(err)
		}
		if tot.Total.Left != c.left {
			t.Errorf("%s: left %d, want %d", c.name, tot.Total.Left, c.left)
		}
	}
	tot, _ := env.Svc.Backlog.Totals(staff, inc, incident.AsOf{})
	if s := tot.Series; len(s) != 1 || len(s[0].Points) != 2 || s[0].Points[0].Left != 20 || s[0].Points[1].Left != 12 {
		t.Fatalf("series %+v", s)
	}
}
