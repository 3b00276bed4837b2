package continuity_test

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"fyr/internal/auth"
	"fyr/internal/continuity"
	"fyr/internal/dispatch"
	"fyr/internal/dispatch/engine"
	"fyr/internal/fail"
	"fyr/internal/fyrtest"
	"fyr/internal/incident"
)

// routinesIn starts the small registry with an open incident; the unit
// account answers for avd1.
func routinesIn(t *testing.T) (*fyrtest.Env, incident.ID) {
	t.Helper()
	env, _ := registry(t)
	inc, err := env.Svc.Incidents.OpenIncident(context.Background(), env.Principal(auth.Staff),
		incident.Open{Title: "IT-avbrott", Scope: "region", Level: incident.Staff})
	if err != nil {
		t.Fatal(err)
	}
	return env, inc.ID
}

func unitPrincipal(env *fyrtest.Env) auth.Principal {
	p := env.Principal(auth.Unit)
	p.Unit = "avd1"
	return p
}

// outbox is a transport that keeps what the engine handed it.
type outbox struct {
	mu   sync.Mutex
	sent []dispatch.Plan
}

func (o *outbox) Send(_ context.Context, p dispatch.Plan, _, _, _ string) dispatch.AttemptResult {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.sent = append(o.sent, p)
	return dispatch.AttemptResult{Handed: true, Provider: "test", ProviderID: p.Attempt}
}

func (o *outbox) units() []string {
	o.mu.Lock()
	defer o.mu.Unlock()
	var out []string
	for _, p := range o.sent {
		out = append(out, p.Unit)
	}
	return out
}

// Activating a routine writes the activation, its dispatch (a message
// naming the routine and its steps) and the journal entry in one write;
// the engine sends and escalates it; a unit's report is its receipt, so
// the escalation stops for that unit only; not working reaches the journal.
func TestActivatedRoutineGoesOutWithReceiptsAndUnitsReportIt(t *testing.T) {
	t.Parallel()
	env, inc := routinesIn(t)
	ctx := context.Background()
	staff := env.Principal(auth.Staff)
	before := env.Svc.Seq()
	act, err := env.Svc.Continuity.ActivateRoutine(ctx, staff, continuity.Activate{Incident: inc, Routine: "journal-paper",
		Audience: dispatch.Audience{Units: []string{"avd1", "sjukhus"}}, Note: "Cosmic är nere",
		Channels: []string{dispatch.InApp, dispatch.Email}, Escalation: &dispatch.Escalation{Resend: 5, Deputies: 10, Parent: 15}})
	if err != nil {
		t.Fatal(err)
	}
	if got := env.Svc.Seq() - before; got != 3 {
		t.Fatalf("the activation wrote %d events; want its dispatch, itself and the journal entry (3)", got)
	}
	if !slices.Equal(act.Units, []string{"avd1", "sjukhus"}) || act.Dispatch == "" || act.Title != "Journal på papper" {
		t.Fatalf("activation: %+v", act)
	}
	d, _, err := env.Svc.Dispatch.Dispatch(staff, act.Dispatch)
	if err != nil || d.Kind != dispatch.KindMessage || !strings.Contains(d.Title, "Journal på papper") ||
		!strings.Contains(d.Body, "1. Hämta pärmen") || !strings.Contains(d.Body, "2. Skriv för hand") || !strings.Contains(d.Body, "Cosmic är nere") {
		t.Fatalf("the dispatch does not name the routine and its steps: %+v %v", d, err)
	}
	out, _ := env.Svc.P.Incidents.Journal(inc, incident.Query{Kind: incident.InfoOut})
	if len(out) != 1 || out[0].Dispatch != string(act.Dispatch) || !strings.Contains(out[0].Text, "Reservrutin aktiverad: Journal på papper") {
		t.Fatalf("the activation is not in the journal: %+v", out)
	}

	// The engine sends it in-app, then escalates by e-mail to whoever has
	// not acknowledged.
	mail := &outbox{}
	eng := env.Svc.NewEngine(map[string]engine.Transport{dispatch.Email: mail}, "https://fyr.test")
	if _, err := eng.Round(ctx, d.CreatedAt); err != nil {
		t.Fatal(err)
	}
	// avd1 reports from its phone: started — its receipt.
	rep, err := env.Svc.Continuity.ReportRoutine(ctx, unitPrincipal(env), continuity.ReportRoutine{Incident: inc, Routine: "journal-paper",
		State: continuity.Started})
	if err != nil || rep.Unit != "avd1" || rep.OnBehalf || rep.Entry != "" {
		t.Fatalf("started: %+v %v", rep, err)
	}
	if st, _ := env.Svc.Dispatch.UnitState(act.Dispatch, "avd1"); st.Ack == nil || st.Ack.Channel != dispatch.InApp {
		t.Fatalf("the report did not acknowledge the activation: %+v", st)
	}
	if _, err := eng.Round(ctx, d.CreatedAt.Add(6*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if got := mail.units(); slices.Contains(got, "avd1") {
		t.Fatalf("the engine escalated to avd1 after its report: %v", got)
	}
	if _, states, _ := env.Svc.Dispatch.Dispatch(staff, act.Dispatch); len(states) != 2 || states[1].Unit != "sjukhus" || len(states[1].Steps) < 2 {
		t.Fatalf("the unit that did not report was not escalated: %+v", states)
	}

	// Not working, with a note: on the board and in the staff's journal.
	nw, err := env.Svc.Continuity.ReportRoutine(ctx, unitPrincipal(env), continuity.ReportRoutine{Incident: inc, Routine: "journal-paper",
		State: continuity.NotWorking, Note: "Blanketterna är slut"})
	if err != nil {
		t.Fatal(err)
	}
	in, _ := env.Svc.P.Incidents.Journal(inc, incident.Query{Kind: incident.InfoIn, Text: "Reservrutin"})
	if len(in) != 1 || !strings.Contains(in[0].Text, "Avdelning 1") || !strings.Contains(in[0].Text, "fungerar INTE") ||
		!strings.Contains(in[0].Text, "Blanketterna är slut") {
		t.Fatalf("not working did not reach the journal: %+v", in)
	}
	// The staff report for the hospital, by phone.
	if rep, err = env.Svc.Continuity.ReportRoutine(ctx, staff, continuity.ReportRoutine{Incident: inc, Routine: "journal-paper",
		Unit: "sjukhus", State: continuity.Working}); err != nil || !rep.OnBehalf {
		t.Fatalf("on behalf: %+v %v", rep, err)
	}
	b, err := env.Svc.Continuity.RoutineBoard(staff, inc, incident.AsOf{})
	if err != nil || len(b.Routines) != 1 {
		t.Fatalf("board: %+v %v", b, err)
	}
	r := b.Routines[0]
	if r.NotWorking != 1 || r.Working != 1 || r.Unreported != 0 || r.Units[0].Unit != "avd1" || r.Units[0].Note != "Blanketterna är slut" {
		t.Fatalf("board routine (not working first): %+v", r)
	}
	// As the staff knew it when avd1 reported not working: the hospital's
	// later report not yet (times are kept to the millisecond: when both
	// fell in one, they cannot be told apart).
	past, _ := env.Svc.Continuity.RoutineBoard(staff, inc, incident.AsOf{KnownAt: nw.ReportedAt})
	if got := past.Routines[0]; got.NotWorking != 1 || rep.ReportedAt.After(nw.ReportedAt) && got.Working != 0 {
		t.Fatalf("known_at the not-working report: %+v", got)
	}
	early, _ := env.Svc.Continuity.RoutineBoard(staff, inc, incident.AsOf{At: d.CreatedAt.Add(-time.Minute)})
	if len(early.Routines) != 0 {
		t.Fatalf("at= before the activation shows %+v", early.Routines)
	}
	// The unit's own page sees its routine and its own line only.
	unit, mine, err := env.Svc.Continuity.UnitRoutines(unitPrincipal(env), "")
	if err != nil || unit != "avd1" || len(mine) != 1 || mine[0].Mine.State != continuity.NotWorking || len(mine[0].Steps) != 2 || mine[0].Units != nil {
		t.Fatalf("unit routines: %s %+v %v", unit, mine, err)
	}
}

// Every refusal changes nothing.
func TestRoutineActivationAndReportRefusals(t *testing.T) {
	t.Parallel()
	env, inc := routinesIn(t)
	ctx := context.Background()
	staff := env.Principal(auth.Staff)
	closed, err := env.Svc.Incidents.OpenIncident(ctx, staff, incident.Open{Title: "Över", Scope: "region", Level: incident.Staff})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.Svc.Incidents.CloseIncident(ctx, staff, incident.Close{Incident: closed.ID, Reason: "klart"}); err != nil {
		t.Fatal(err)
	}
	good := continuity.Activate{Incident: inc, Routine: "journal-paper", Audience: dispatch.Audience{Units: []string{"avd1"}}}
	for _, c := range []struct {
		name  string
		p     auth.Principal
		edit  func(*continuity.Activate)
		code  fail.Code
		field string
	}{
		{"unknown routine", staff, func(a *continuity.Activate) { a.Routine = "nope" }, fail.Invalid, "routine"},
		{"no routine", staff, func(a *continuity.Activate) { a.Routine = " " }, fail.Invalid, "routine"},
		{"unknown incident", staff, func(a *continuity.Activate) { a.Incident = "nope" }, fail.NotFound, ""},
		{"closed incident", staff, func(a *continuity.Activate) { a.Incident = closed.ID }, fail.Conflict, ""},
		{"unknown unit", staff, func(a *continuity.Activate) { a.Audience.Units = []string{"avd9"} }, fail.Invalid, "audience.units"},
		{"empty audience", staff, func(a *continuity.Activate) { a.Audience = dispatch.Audience{} }, fail.Invalid, "audience"},
		{"deadline passed", staff, func(a *continuity.Activate) { a.Deadline = time.Now().Add(-time.Minute) }, fail.Invalid, "deadline"},
		{"a viewer", env.Principal(auth.Viewer), func(*continuity.Activate) {}, fail.Forbidden, ""},
		{"a unit account", unitPrincipal(env), func(*continuity.Activate) {}, fail.Forbidden, ""},
	} {
		cmd := good
		c.edit(&cmd)
		before := env.Svc.Seq()
		_, err := env.Svc.Continuity.ActivateRoutine(ctx, c.p, cmd)
		if fe := fail.As(err); err == nil || fe.Code != c.code || fe.Field != c.field {
			t.Errorf("%s: %v (%+v), want %s on %q", c.name, err, fe, c.code, c.field)
		}
		if env.Svc.Seq() != before {
			t.Errorf("%s: a refused activation wrote", c.name)
		}
	}
	if _, err := env.Svc.Continuity.ActivateRoutine(ctx, staff, good); err != nil {
		t.Fatal(err)
	}
	report := continuity.ReportRoutine{Incident: inc, Routine: "journal-paper", State: continuity.Working}
	for _, c := range []struct {
		name  string
		p     auth.Principal
		edit  func(*continuity.ReportRoutine)
		code  fail.Code
		field string
	}{
		{"unknown state", unitPrincipal(env), func(r *continuity.ReportRoutine) { r.State = "maybe" }, fail.Invalid, "state"},
		{"not working without a note", unitPrincipal(env), func(r *continuity.ReportRoutine) { r.State = continuity.NotWorking }, fail.Invalid, "note"},
		{"a routine not activated", unitPrincipal(env), func(r *continuity.ReportRoutine) { r.Routine = "other" }, fail.NotFound, ""},
		{"another unit's", unitPrincipal(env), func(r *continuity.ReportRoutine) { r.Unit = "sjukhus" }, fail.Forbidden, ""},
		{"a unit not told", staff, func(r *continuity.ReportRoutine) { r.Unit = "sjukhus" }, fail.Invalid, "unit"},
		{"an unknown unit", staff, func(r *continuity.ReportRoutine) { r.Unit = "avd9" }, fail.Invalid, "unit"},
		{"the staff name no unit", staff, func(*continuity.ReportRoutine) {}, fail.Invalid, "unit"},
		{"closed incident", staff, func(r *continuity.ReportRoutine) { r.Incident, r.Unit = closed.ID, "avd1" }, fail.Conflict, ""},
		{"a viewer", env.Principal(auth.Viewer), func(r *continuity.ReportRoutine) { r.Unit = "avd1" }, fail.Forbidden, ""},
	} {
		cmd := report
		c.edit(&cmd)
		before := env.Svc.Seq()
		_, err := env.Svc.Continuity.ReportRoutine(ctx, c.p, cmd)
		if fe := fail.As(err); err == nil || fe.Code != c.code || fe.Field != c.field {
			t.Errorf("report %s: %v (%+v), want %s on %q", c.name, err, fe, c.code, c.field)
		}
		if env.Svc.Seq() != before {
			t.Errorf("report %s: a refused report wrote", c.name)
		}
	}
	if _, err := env.Svc.Continuity.RoutineBoard(unitPrincipal(env), inc, incident.AsOf{}); fail.As(err).Code != fail.Forbidden {
		t.Errorf("a unit account reads the staff's board: %v", err)
	}
}

// A unit's binder holds the routines for what it uses, directly or
// through what that runs on, and no other.
func TestBinderHoldsTheRoutinesOfWhatTheUnitUses(t *testing.T) {
	t.Parallel()
	env, admin := registry(t)
	ctx := context.Background()
	for _, rt := range []continuity.Routine{
		{ID: "dns-manual", Title: "Manuell namnuppslagning", Steps: []string{"Använd IP-listan"}, For: []string{"dns"}},
		{ID: "link-b-only", Title: "Reservlänk", Steps: []string{"Ring operatören"}, For: []string{"link-b"}},
		{ID: "nothing", Title: "Ingen använder", Steps: []string{"x"}, For: []string{"paper"}},
	} {
		if _, err := env.Svc.Continuity.SaveRoutine(ctx, admin, rt); err != nil {
			t.Fatal(err)
		}
	}
	b, err := env.Svc.Continuity.Binder(unitPrincipal(env), "")
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, p := range b.Routines {
		ids = append(ids, p.ID)
	}
	if !slices.Equal(ids, []string{"journal-paper", "dns-manual", "link-b-only"}) || b.Unit.Name != "Avdelning 1" {
		t.Fatalf("binder of avd1: %v", ids)
	}
	if b.Routines[0].ForNames[0] != "Cosmic" || b.Routines[0].NeedsNames[0] != "Pappersjournal" {
		t.Fatalf("names: %+v", b.Routines[0])
	}
	if _, err := env.Svc.Continuity.Binder(unitPrincipal(env), "sjukhus"); fail.As(err).Code != fail.Forbidden {
		t.Fatalf("a unit account reads another unit's binder: %v", err)
	}
	if b, err := env.Svc.Continuity.Binder(env.Principal(auth.Staff), "sjukhus"); err != nil || len(b.Routines) != 0 {
		t.Fatalf("the hospital uses nothing: %+v %v", b, err)
	}
}

// Routines in an incident are the log's: after a restart on the same
// JetStream log the board is the same, and a report still finds its
// activation.
func TestRoutineBoardSurvivesARestart(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	env := fyrtest.StartIn(t, dir)
	ctx := context.Background()
	if _, err := env.Svc.Continuity.ImportCSV(ctx, nil, []byte("id,kind,name\ncosmic,system,Cosmic\n"), []byte("from,to,type\navd1,cosmic,used_by\n")); err != nil {
		t.Fatal(err)
	}
	if _, err := env.Svc.Continuity.ImportRoutines(ctx, nil, []byte(`[{"id":"r","title":"R","steps":["s"],"for":["cosmic"]}]`)); err != nil {
		t.Fatal(err)
	}
	staff := env.Principal(auth.Staff)
	inc, err := env.Svc.Incidents.OpenIncident(ctx, staff, incident.Open{Title: "IT-avbrott", Scope: "region", Level: incident.Staff})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.Svc.Continuity.ActivateRoutine(ctx, staff, continuity.Activate{Incident: inc.ID, Routine: "r",
		Audience: dispatch.Audience{Units: []string{"avd1", "sjukhus"}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := env.Svc.Continuity.ReportRoutine(ctx, unitPrincipal(env), continuity.ReportRoutine{Incident: inc.ID, Routine: "r",
		State: continuity.NotWorking, Note: "Skrivaren är nere"}); err != nil {
		t.Fatal(err)
	}
	before, _ := env.Svc.Continuity.RoutineBoard(staff, inc.ID, incident.AsOf{})
	env.Svc.Close()
	again := fyrtest.StartIn(t, dir)
	after, err := again.Svc.Continuity.RoutineBoard(again.Principal(auth.Staff), inc.ID, incident.AsOf{})
	if err != nil || len(after.Routines) != 1 || after.Routines[0].NotWorking != 1 || after.Routines[0].Units[0].Note != "Skrivaren är nere" ||
		after.Routines[0].Unreported != before.Routines[0].Unreported {
		t.Fatalf("after the restart: %+v %v; before: %+v", after, err, before)
	}
	if _, err := again.Svc.Continuity.ReportRoutine(ctx, unitPrincipal(again), continuity.ReportRoutine{Incident: inc.ID, Routine: "r",
		State: continuity.Working}); err != nil {
		t.Fatalf("a report after the restart: %v", err)
	}
}
