package incident_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"fyr/internal/event"
	"fyr/internal/fail"
	"fyr/internal/incident"
)

type hospitals map[string]bool

func (h hospitals) IsHospital(id string) bool { return h[id] }

var (
	now    = time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)
	scopes = hospitals{"cs": true}
	by     = event.Actor{Username: "tib", Name: "Tove"}
)

// world applies sealed drafts to both models, as the log would.
type world struct {
	t     testing.TB
	facts *incident.Facts
	view  *incident.View
	seq   uint64
	prev  string
}

func newWorld(t testing.TB) *world {
	return &world{t: t, facts: incident.NewFacts(), view: incident.NewView()}
}

func (w *world) apply(drafts []event.Draft, recorded time.Time) {
	w.t.Helper()
	for _, d := range drafts {
		e, err := event.Seal(d, event.NewID(), "o", w.prev, recorded)
		if err != nil {
			w.t.Fatal(err)
		}
		w.seq++
		e.Seq = w.seq
		w.prev = e.Hash
		if err := errors.Join(w.facts.Apply(e), w.view.Apply(e)); err != nil {
			w.t.Fatal(err)
		}
	}
}

func (w *world) open(level incident.Level) incident.ID {
	w.t.Helper()
	id, drafts, err := incident.Open{Title: "IT-avbrott", Scope: "region", Level: level}.Decide(w.facts, scopes, by, now)
	if err != nil {
		w.t.Fatal(err)
	}
	w.apply(drafts, now)
	return id
}

func wantField(t *testing.T, err error, field string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error; want an error naming %q", field)
	}
	fe := fail.As(err)
	if fe.Field != field {
		t.Fatalf("error %q names field %q, want %q", err, fe.Field, field)
	}
}

func TestOpenValidation(t *testing.T) {
	long := strings.Repeat("x", incident.MaxText+1)
	cases := []struct {
		name  string
		cmd   incident.Open
		field string
	}{
		{"no title", incident.Open{Scope: "region", Level: "staff"}, "title"},
		{"blank title", incident.Open{Title: "  ", Scope: "region", Level: "staff"}, "title"},
		{"unknown level", incident.Open{Title: "t", Scope: "region", Level: "red"}, "level"},
		{"no scope", incident.Open{Title: "t", Level: "staff"}, "scope"},
		{"unknown scope", incident.Open{Title: "t", Scope: "mars", Level: "staff"}, "scope"},
		{"future", incident.Open{Title: "t", Scope: "region", Level: "staff", OccurredAt: now.Add(time.Hour)}, "occurred_at"},
		{"oversized description", incident.Open{Title: "t", Scope: "region", Level: "staff", Description: long}, "description"},
		{"bad utf-8", incident.Open{Title: "t\xff", Scope: "region", Level: "staff"}, "title"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, drafts, err := c.cmd.Decide(incident.NewFacts(), scopes, by, now)
			wantField(t, err, c.field)
			if drafts != nil {
				t.Fatalf("refused command returned %d events", len(drafts))
			}
		})
	}
}

func TestOpenAtHospitalScopeWithinSkew(t *testing.T) {
	w := newWorld(t)
	id, drafts, err := incident.Open{Title: "t", Scope: "cs", Level: incident.Reinforcement, OccurredAt: now.Add(incident.MaxSkew)}.Decide(w.facts, scopes, by, now)
	if err != nil {
		t.Fatal(err)
	}
	w.apply(drafts, now)
	inc, _ := w.view.Get(id, incident.AsOf{})
	if len(inc.Levels) != 1 || inc.Levels[0].Scope != "cs" || inc.Levels[0].Level != incident.Reinforcement {
		t.Fatalf("levels = %+v", inc.Levels)
	}
}

func TestChangeLevelValidation(t *testing.T) {
	w := newWorld(t)
	id := w.open(incident.Staff)
	ok := incident.ChangeLevel{Incident: id, Scope: "region", Level: incident.Reinforcement, Reason: "r", DecidedBy: "Sven"}
	cases := []struct {
		name  string
		edit  func(*incident.ChangeLevel)
		field string
		code  fail.Code
	}{
		{"unknown level", func(c *incident.ChangeLevel) { c.Level = "high" }, "level", fail.Invalid},
		{"same level", func(c *incident.ChangeLevel) { c.Level = incident.Staff }, "level", fail.Invalid},
		{"unknown scope", func(c *incident.ChangeLevel) { c.Scope = "x" }, "scope", fail.Invalid},
		{"no reason", func(c *incident.ChangeLevel) { c.Reason = "" }, "reason", fail.Invalid},
		{"no decider", func(c *incident.ChangeLevel) { c.DecidedBy = "" }, "decided_by", fail.Invalid},
		{"future", func(c *incident.ChangeLevel) { c.OccurredAt = now.Add(3 * time.Minute) }, "occurred_at", fail.Invalid},
		{"unknown incident", func(c *incident.ChangeLevel) { c.Incident = "nope" }, "", fail.NotFound},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cmd := ok
			c.edit(&cmd)
			drafts, err := cmd.Decide(w.facts, scopes, by, now)
			if fe := fail.As(err); err == nil || fe.Field != c.field || fe.Code != c.code {
				t.Fatalf("got %v (%+v), want %s on %q", err, fe, c.code, c.field)
			}
			if drafts != nil {
				t.Fatal("refused command returned events")
			}
		})
	}
	drafts, err := ok.Decide(w.facts, scopes, by, now)
	if err != nil || len(drafts) != 1 {
		t.Fatalf("valid change: %v, %d events", err, len(drafts))
	}
}

func TestRecordValidation(t *testing.T) {
	w := newWorld(t)
	id := w.open(incident.Staff)
	other := w.open(incident.Staff)
	otherEntries, _ := w.view.Journal(other, incident.Query{})
	cases := []struct {
		name  string
		cmd   incident.Record
		field string
	}{
		{"unknown kind", incident.Record{Kind: "gossip", Text: "x"}, "kind"},
		{"level change as entry", incident.Record{Kind: incident.LevelChange, Text: "x"}, "kind"},
		{"empty text", incident.Record{Kind: incident.InfoIn, Text: " \n"}, "text"},
		{"oversized text", incident.Record{Kind: incident.InfoIn, Text: strings.Repeat("å", incident.MaxText+1)}, "text"},
		{"future", incident.Record{Kind: incident.InfoIn, Text: "x", OccurredAt: now.Add(time.Hour)}, "occurred_at"},
		{"correction of another incident's entry", incident.Record{Kind: incident.InfoIn, Text: "x", Corrects: otherEntries[0].ID}, "corrects"},
		{"decision without decision-maker", incident.Record{Kind: incident.Decision, Text: "x"}, "decision.decision_maker"},
		{"decision details on info", incident.Record{Kind: incident.InfoIn, Text: "x", Decision: &incident.DecisionInfo{DecisionMaker: "a"}}, "decision"},
		{"task without owner", incident.Record{Kind: incident.Task, Text: "x", Task: &incident.TaskInfo{}}, "task.owner"},
		{"task bad status", incident.Record{Kind: incident.Task, Text: "x", Task: &incident.TaskInfo{Owner: "o", Status: "later"}}, "task.status"},
		{"task update of a non-task", incident.Record{Kind: incident.Task, Text: "x", Task: &incident.TaskInfo{Updates: otherEntries[0].ID}}, "task.updates"},
		{"oversized source", incident.Record{Kind: incident.InfoIn, Text: "x", Source: strings.Repeat("s", incident.MaxField+1)}, "source"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.cmd.Incident = id
			drafts, err := c.cmd.Decide(w.facts, by, now)
			wantField(t, err, c.field)
			if drafts != nil {
				t.Fatal("refused command returned events")
			}
		})
	}
	// The text limit counts characters, not bytes: 20,000 å is accepted.
	if _, err := (incident.Record{Incident: id, Kind: incident.InfoIn, Text: strings.Repeat("å", incident.MaxText)}).Decide(w.facts, by, now); err != nil {
		t.Fatalf("text of exactly %d characters: %v", incident.MaxText, err)
	}
}

func TestClosedIncidentRefusesChangesAndSecondClose(t *testing.T) {
	w := newWorld(t)
	id := w.open(incident.Reinforcement)
	drafts, err := incident.Close{Incident: id, Reason: "klart"}.Decide(w.facts, by, now)
	if err != nil {
		t.Fatal(err)
	}
	if len(drafts) != 2 || drafts[0].Type != incident.TypeLevelChanged || drafts[1].Type != incident.TypeClosed {
		t.Fatalf("close produced %+v, want a level change to normal then closed", drafts)
	}
	w.apply(drafts, now)
	inc, _ := w.view.Get(id, incident.AsOf{})
	if !inc.Closed || inc.Highest() != incident.Normal {
		t.Fatalf("after close: closed=%v highest=%s", inc.Closed, inc.Highest())
	}
	for name, err := range map[string]error{
		"close":  second(incident.Close{Incident: id, Reason: "igen"}.Decide(w.facts, by, now)),
		"level":  second(incident.ChangeLevel{Incident: id, Scope: "region", Level: incident.Staff, Reason: "r", DecidedBy: "d"}.Decide(w.facts, scopes, by, now)),
		"record": second(incident.Record{Incident: id, Kind: incident.InfoIn, Text: "x"}.Decide(w.facts, by, now)),
	} {
		if !fail.Is(err, fail.Conflict) {
			t.Errorf("%s on a closed incident: %v, want conflict", name, err)
		}
	}
	if len(w.view.Active()) != 0 {
		t.Fatal("a closed incident is still in the banner")
	}
}

func second[T any](_ T, err error) error { return err }

func TestPointInTimeAndLateEntries(t *testing.T) {
	w := newWorld(t)
	t0 := time.Date(2018, 9, 21, 2, 10, 0, 0, time.UTC) // 04:10 in Sweden
	id, drafts, err := incident.Open{Title: "DNS", Scope: "region", Level: incident.Staff, OccurredAt: t0}.Decide(w.facts, scopes, by, now)
	if err != nil {
		t.Fatal(err)
	}
	w.apply(drafts, t0)
	raise := incident.ChangeLevel{Incident: id, Scope: "region", Level: incident.Reinforcement, Reason: "värre", DecidedBy: "Sven", OccurredAt: t0.Add(140 * time.Minute)}
	d, err := raise.Decide(w.facts, scopes, by, now)
	if err != nil {
		t.Fatal(err)
	}
	w.apply(d, t0.Add(141*time.Minute)) // recorded a minute later: not late
	// The 03:00 start of the problems is written down hours afterwards.
	late := incident.Record{Incident: id, Kind: incident.InfoIn, Text: "problem börjar", OccurredAt: t0.Add(-70 * time.Minute)}
	d, err = late.Decide(w.facts, by, now)
	if err != nil {
		t.Fatal(err)
	}
	w.apply(d, t0.Add(5*time.Hour))

	cur, _ := w.view.Get(id, incident.AsOf{})
	if cur.Highest() != incident.Reinforcement {
		t.Fatalf("now: %s", cur.Highest())
	}
	before, _ := w.view.Get(id, incident.AsOf{At: t0.Add(time.Hour)})
	if before.Highest() != incident.Staff || before.Entries != 3 {
		t.Fatalf("at 05:10: level %s, %d entries; want staff and 3 (opened, level, the late 03:00 entry)", before.Highest(), before.Entries)
	}
	knew, _ := w.view.Get(id, incident.AsOf{KnownAt: t0.Add(3 * time.Hour)})
	if knew.Highest() != incident.Reinforcement || knew.Entries != 3 {
		t.Fatalf("known at 07:10: level %s, %d entries; want reinforcement and 3 (not yet the late entry)", knew.Highest(), knew.Entries)
	}
	entries, _ := w.view.Journal(id, incident.Query{ByTime: true})
	if entries[0].Text != "problem börjar" || !entries[0].Late || entries[0].Serial != 4 {
		t.Fatalf("timeline starts with %+v; want the late 03:00 entry, serial 4", entries[0])
	}
	if entries[2].Late {
		t.Fatal("an entry recorded a minute after the fact is marked late")
	}
	// A level change recorded late does not override a later one.
	lateLevel := incident.ChangeLevel{Incident: id, Scope: "region", Level: incident.Disaster, Reason: "glömd", DecidedBy: "Sven", OccurredAt: t0.Add(30 * time.Minute)}
	d, err = lateLevel.Decide(w.facts, scopes, by, now)
	if err != nil {
		t.Fatal(err)
	}
	w.apply(d, t0.Add(6*time.Hour))
	cur, _ = w.view.Get(id, incident.AsOf{})
	if cur.Highest() != incident.Reinforcement {
		t.Fatalf("a late record of an earlier change took over: now %s", cur.Highest())
	}
	mid, _ := w.view.Get(id, incident.AsOf{At: t0.Add(45 * time.Minute)})
	if mid.Highest() != incident.Disaster {
		t.Fatalf("at 04:55 the late-recorded change should show: %s", mid.Highest())
	}
}

func TestCorrectionsAndSearch(t *testing.T) {
	w := newWorld(t)
	id := w.open(incident.Staff)
	d, _ := incident.Record{Incident: id, Kind: incident.InfoIn, Text: "Fel i DNS", From: "IT"}.Decide(w.facts, by, now)
	w.apply(d, now)
	orig := d[0].Payload.(incident.EntryRecorded).ID
	d, err := incident.Record{Incident: id, Kind: incident.InfoIn, Text: "Rättelse: fel i nätverket", Corrects: orig}.Decide(w.facts, by, now)
	if err != nil {
		t.Fatal(err)
	}
	w.apply(d, now.Add(time.Minute))
	e, _ := w.view.Entry(id, orig)
	if len(e.CorrectedBy) != 1 || e.Text != "Fel i DNS" {
		t.Fatalf("original after correction: %+v (must be unchanged and point at its correction)", e)
	}
	hits, _ := w.view.Journal(id, incident.Query{Text: "dns"})
	if len(hits) != 1 || hits[0].ID != orig {
		t.Fatalf("search dns: %d hits", len(hits))
	}
	hits, _ = w.view.Journal(id, incident.Query{Kind: incident.LevelChange})
	if len(hits) != 1 {
		t.Fatalf("kind filter: %d hits, want 1", len(hits))
	}
	hits, _ = w.view.Journal(id, incident.Query{AsOf: incident.AsOf{KnownAt: now}})
	for _, h := range hits {
		if h.ID == orig && len(h.CorrectedBy) != 0 {
			t.Fatal("a correction recorded later shows in the view of what was known before it")
		}
	}
}
