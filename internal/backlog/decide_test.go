package backlog

import (
	"encoding/json"
	"testing"
	"time"

	"fyr/internal/event"
	"fyr/internal/fail"
	"fyr/internal/incident"
)

// The pure core: decide against a model, apply what it returns, read the
// totals. The other capabilities are plain maps behind the interfaces.

type incidents map[incident.ID]bool // id → open

func (m incidents) CheckOpen(id incident.ID) error {
	open, ok := m[id]
	if !ok {
		return fail.New(fail.NotFound, "incident %q does not exist", id)
	}
	if !open {
		return fail.New(fail.Conflict, "incident %q is closed", id)
	}
	return nil
}

type names map[string]string

func (n names) UnitName(id string) (string, bool)   { v, ok := n[id]; return v, ok }
func (n names) SystemName(id string) (string, bool) { v, ok := n[id]; return v, ok }
func (n names) Systems() []System {
	var out []System
	for id, name := range n {
		out = append(out, System{id, name})
	}
	return out
}

var (
	t0    = time.Date(2026, 1, 10, 8, 0, 0, 0, time.UTC)
	staff = event.Actor{Username: "staff", Name: "Stina Stab"}
)

func model() WriteModel {
	return WriteModel{Book: NewBook(), Incidents: incidents{"inc": true, "closed": false},
		Units: names{"avd1": "Avdelning 1", "avd2": "Avdelning 2"}, Systems: names{"cosmic": "Cosmic", "lab": "Labbsystemet"}}
}

// apply seals drafts as the kernel would, recorded at rec, and folds them.
func apply(t *testing.T, b *Book, rec time.Time, drafts []event.Draft) {
	t.Helper()
	for _, d := range drafts {
		raw, err := json.Marshal(d.Payload)
		if err != nil {
			t.Fatal(err)
		}
		if err := b.Apply(event.Envelope{ID: event.NewID(), Type: d.Type, OccurredAt: d.OccurredAt, RecordedAt: rec,
			Actor: d.Actor, Payload: raw}); err != nil {
			t.Fatal(err)
		}
	}
}

func add(unit, system string, kind Kind, n int, at time.Time) Add {
	return Add{Incident: "inc", Unit: unit, System: system, Kind: kind, Count: n, OccurredAt: at}
}

func must(t *testing.T, m WriteModel, rec time.Time, c interface {
	Decide(WriteModel, event.Actor, time.Time) ([]event.Draft, error)
}) {
	t.Helper()
	drafts, err := c.Decide(m, staff, rec)
	if err != nil {
		t.Fatalf("%+v: %v", c, err)
	}
	apply(t, m.Book, rec, drafts)
}

func TestEveryBadChangeIsRefusedNamingTheFieldAndChangesNothing(t *testing.T) {
	now := t0.Add(4 * time.Hour)
	ok := add("avd1", "cosmic", Prescriptions, 5, t0)
	cases := []struct {
		name  string
		cmd   func(m WriteModel, now time.Time) ([]event.Draft, error)
		field string
		code  fail.Code
		setup []WorkOff
	}{
		{"unknown incident", func(m WriteModel, now time.Time) ([]event.Draft, error) {
			c := ok
			c.Incident = "nope"
			return c.Decide(m, staff, now)
		}, "incident", fail.NotFound, nil},
		{"closed incident", func(m WriteModel, now time.Time) ([]event.Draft, error) {
			c := ok
			c.Incident = "closed"
			return c.Decide(m, staff, now)
		}, "incident", fail.Conflict, nil},
		{"unknown unit", func(m WriteModel, now time.Time) ([]event.Draft, error) {
			return add("mars", "cosmic", Prescriptions, 1, t0).Decide(m, staff, now)
		}, "unit", fail.Invalid, nil},
		{"no unit", func(m WriteModel, now time.Time) ([]event.Draft, error) {
			return add("", "cosmic", Prescriptions, 1, t0).Decide(m, staff, now)
		}, "unit", fail.Invalid, nil},
		{"unknown system", func(m WriteModel, now time.Time) ([]event.Draft, error) {
			return add("avd1", "dns", Prescriptions, 1, t0).Decide(m, staff, now)
		}, "system", fail.Invalid, nil},
		{"unknown kind", func(m WriteModel, now time.Time) ([]event.Draft, error) {
			return add("avd1", "cosmic", "faxes", 1, t0).Decide(m, staff, now)
		}, "kind", fail.Invalid, nil},
		{"count zero", func(m WriteModel, now time.Time) ([]event.Draft, error) {
			return add("avd1", "cosmic", Prescriptions, 0, t0).Decide(m, staff, now)
		}, "count", fail.Invalid, nil},
		{"count negative", func(m WriteModel, now time.Time) ([]event.Draft, error) {
			return add("avd1", "cosmic", Prescriptions, -3, t0).Decide(m, staff, now)
		}, "count", fail.Invalid, nil},
		{"count absurd", func(m WriteModel, now time.Time) ([]event.Draft, error) {
			return add("avd1", "cosmic", Prescriptions, MaxCount+1, t0).Decide(m, staff, now)
		}, "count", fail.Invalid, nil},
		{"work-off count zero", func(m WriteModel, now time.Time) ([]event.Draft, error) {
			return WorkOff(add("avd1", "cosmic", Prescriptions, 0, t0)).Decide(m, staff, now)
		}, "count", fail.Invalid, nil},
		{"in the future", func(m WriteModel, now time.Time) ([]event.Draft, error) {
			return add("avd1", "cosmic", Prescriptions, 1, now.Add(time.Hour)).Decide(m, staff, now)
		}, "occurred_at", fail.Invalid, nil},
		{"work-off in the future", func(m WriteModel, now time.Time) ([]event.Draft, error) {
			return WorkOff(add("avd1", "cosmic", Prescriptions, 1, now.Add(time.Hour))).Decide(m, staff, now)
		}, "occurred_at", fail.Invalid, nil},
		{"note too long", func(m WriteModel, now time.Time) ([]event.Draft, error) {
			c := ok
			c.Note = string(make([]byte, MaxNote+1))
			return c.Decide(m, staff, now)
		}, "note", fail.Invalid, nil},
		{"working off more than is left", func(m WriteModel, now time.Time) ([]event.Draft, error) {
			return WorkOff(add("avd1", "cosmic", Prescriptions, 6, t0.Add(time.Hour))).Decide(m, staff, now)
		}, "count", fail.Invalid, nil},
		{"working off another kind", func(m WriteModel, now time.Time) ([]event.Draft, error) {
			return WorkOff(add("avd1", "cosmic", LabRequests, 1, t0.Add(time.Hour))).Decide(m, staff, now)
		}, "count", fail.Invalid, nil},
		{"working off another unit's", func(m WriteModel, now time.Time) ([]event.Draft, error) {
			return WorkOff(add("avd2", "cosmic", Prescriptions, 1, t0.Add(time.Hour))).Decide(m, staff, now)
		}, "count", fail.Invalid, nil},
		{"working off before it was added", func(m WriteModel, now time.Time) ([]event.Draft, error) {
			return WorkOff(add("avd1", "cosmic", Prescriptions, 1, t0.Add(-time.Minute))).Decide(m, staff, now)
		}, "count", fail.Invalid, nil},
		{"a late work-off that a later one leaves no room for", func(m WriteModel, now time.Time) ([]event.Draft, error) {
			// 5 added at t0, 3 worked off at t0+2h: 2 left after. 3 more at
			// t0+1h would leave -1 from t0+2h on.
			return WorkOff(add("avd1", "cosmic", Prescriptions, 3, t0.Add(time.Hour))).Decide(m, staff, now)
		}, "count", fail.Invalid, []WorkOff{WorkOff(add("avd1", "cosmic", Prescriptions, 3, t0.Add(2*time.Hour)))}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := model()
			must(t, m, now, ok)
			for _, w := range c.setup {
				must(t, m, now, w)
			}
			before := m.Book.Totals("inc", "", incident.AsOf{}, func(s string) string { return s }, func(s string) string { return s })
			drafts, err := c.cmd(m, now)
			fe := fail.As(err)
			if err == nil || fe.Field != c.field || fe.Code != c.code {
				t.Fatalf("got %v (field %q, code %q), %d drafts; want a refusal naming %q with code %q", err, fe.Field, fe.Code, len(drafts), c.field, c.code)
			}
			if len(drafts) != 0 {
				t.Fatalf("a refusal returned %d events", len(drafts))
			}
			after := m.Book.Totals("inc", "", incident.AsOf{}, func(s string) string { return s }, func(s string) string { return s })
			if after.Total != before.Total {
				t.Fatalf("totals changed from %+v to %+v", before.Total, after.Total)
			}
		})
	}
}

func TestTotalsPerUnitSystemKindAndOverTime(t *testing.T) {
	m := model()
	now := t0.Add(8 * time.Hour)
	id := func(s string) string {
		return map[string]string{"avd1": "Avdelning 1", "avd2": "Avdelning 2", "cosmic": "Cosmic", "lab": "Labbsystemet"}[s]
	}
	must(t, m, t0, add("avd1", "cosmic", Prescriptions, 1, time.Time{}))                    // t0
	must(t, m, t0.Add(time.Hour), add("avd1", "cosmic", Prescriptions, 9, time.Time{}))     // t0+1h
	must(t, m, t0.Add(time.Hour), add("avd2", "lab", LabRequests, 4, time.Time{}))          // t0+1h
	must(t, m, now, WorkOff(add("avd1", "cosmic", Prescriptions, 10, t0.Add(5*time.Hour)))) // worked down to zero, recorded late
	must(t, m, now, WorkOff(add("avd2", "lab", LabRequests, 1, time.Time{})))               // now

	got := m.Book.Totals("inc", "", incident.AsOf{}, id, id)
	if want := (Line{ID: "inc", Added: 14, Done: 11, Left: 3}); got.Total != want {
		t.Fatalf("total %+v, want %+v", got.Total, want)
	}
	if want := []Line{{"avd1", "Avdelning 1", 10, 10, 0}, {"avd2", "Avdelning 2", 4, 1, 3}}; !equal(got.Units, want) {
		t.Fatalf("units %+v, want %+v", got.Units, want)
	}
	if want := []Line{{"cosmic", "Cosmic", 10, 10, 0}, {"lab", "Labbsystemet", 4, 1, 3}}; !equal(got.Systems, want) {
		t.Fatalf("systems %+v, want %+v", got.Systems, want)
	}
	if want := []Line{{"prescriptions", "prescriptions", 10, 10, 0}, {"lab_requests", "lab_requests", 4, 1, 3}}; !equal(got.Kinds, want) {
		t.Fatalf("kinds %+v, want %+v", got.Kinds, want)
	}
	if len(got.Rows) != 2 || got.Rows[0].Unit != "avd1" || got.Rows[1].Left != 3 {
		t.Fatalf("rows %+v", got.Rows)
	}
	cosmic := got.Series[0]
	if want := []Point{{t0, 1}, {t0.Add(time.Hour), 10}, {t0.Add(5 * time.Hour), 0}}; cosmic.System != "cosmic" || !equal(cosmic.Points, want) {
		t.Fatalf("cosmic series %+v, want %+v", cosmic, want)
	}

	// As it stood at t0+2h, known now: the late work-off had not happened.
	at := m.Book.Totals("inc", "", incident.AsOf{At: t0.Add(2 * time.Hour)}, id, id)
	if want := (Line{ID: "inc", Added: 14, Done: 0, Left: 14}); at.Total != want {
		t.Fatalf("at t0+2h: %+v, want %+v", at.Total, want)
	}
	// As the staff knew it at t0+6h: the work-off at t0+5h was not yet recorded.
	known := m.Book.Totals("inc", "", incident.AsOf{KnownAt: t0.Add(6 * time.Hour)}, id, id)
	if want := (Line{ID: "inc", Added: 14, Done: 0, Left: 14}); known.Total != want {
		t.Fatalf("known at t0+6h: %+v, want %+v", known.Total, want)
	}
	// One unit's view.
	if u := m.Book.Totals("inc", "avd2", incident.AsOf{}, id, id); u.Total.Left != 3 || len(u.Units) != 1 {
		t.Fatalf("avd2's view %+v", u)
	}
	if m.Book.Left("inc") != 3 {
		t.Fatalf("left %d, want 3", m.Book.Left("inc"))
	}
}

func TestTheSameFormTwiceWritesOnce(t *testing.T) {
	m := model()
	c := add("avd1", "cosmic", Orders, 1, time.Time{})
	c.Token = "form-1"
	must(t, m, t0, c)
	drafts, err := c.Decide(m, staff, t0)
	if err != nil || len(drafts) != 0 {
		t.Fatalf("second send: %d drafts, %v", len(drafts), err)
	}
	other := event.Actor{Username: "unit"}
	if drafts, _ := c.Decide(m, other, t0); len(drafts) != 1 {
		t.Fatal("another account's form with the same token was not written")
	}
}

func TestAnEventThatDoesNotDecodeIsAnError(t *testing.T) {
	b := NewBook()
	if err := b.Apply(event.Envelope{Type: TypeAdded, Payload: json.RawMessage(`{"count":"x"}`)}); err == nil {
		t.Fatal("a bad payload was folded")
	}
	if err := b.Apply(event.Envelope{Type: "incident.opened", Payload: json.RawMessage(`nonsense`)}); err != nil {
		t.Fatalf("another capability's event: %v", err)
	}
}

func equal[T comparable](a, b []T) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestTheRollUpLine(t *testing.T) {
	m := model()
	id := func(s string) string {
		return map[string]string{"avd1": "Avdelning 1", "cosmic": "Cosmic", "lab": "Labbsystemet"}[s]
	}
	if got := SummaryOf(m.Book.Totals("inc", "", incident.AsOf{}, id, id)).Swedish(); got != "" {
		t.Fatalf("no backlog: %q", got)
	}
	must(t, m, t0, add("avd1", "cosmic", Prescriptions, 3, time.Time{}))
	must(t, m, t0, add("avd1", "lab", LabRequests, 7, time.Time{}))
	must(t, m, t0, WorkOff(add("avd1", "lab", LabRequests, 2, time.Time{})))
	if got, want := SummaryOf(m.Book.Totals("inc", "", incident.AsOf{}, id, id)).Swedish(),
		"Efterregistrering: 8 kvar av 10 (2 klara). Kvar per system: Labbsystemet 5, Cosmic 3."; got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
	must(t, m, t0, WorkOff(add("avd1", "lab", LabRequests, 5, time.Time{})))
	must(t, m, t0, WorkOff(add("avd1", "cosmic", Prescriptions, 3, time.Time{})))
	if got, want := SummaryOf(m.Book.Totals("inc", "", incident.AsOf{}, id, id)).Swedish(), "Efterregistrering: allt klart (10 poster införda)."; got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
}
