package dispatch_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"fyr/internal/directory"
	"fyr/internal/dispatch"
	"fyr/internal/event"
	"fyr/internal/fail"
	"fyr/internal/incident"
)

type units []directory.Unit

func (u units) Units() []directory.Unit { return u }

func (u units) People() []directory.Person {
	return []directory.Person{{ID: "p1", Name: "Erik", Unit: "cs", Function: "Chefläkare"}, {ID: "p2", Name: "Lena", Unit: "ls", Function: "Chefläkare"}}
}

var (
	t0   = time.Date(2018, 9, 21, 6, 3, 0, 0, time.UTC)
	tree = units{
		{ID: "region", Name: "R", Type: directory.Region},
		{ID: "cs", Name: "CS", Type: directory.Hospital, Parent: "region"},
		{ID: "cs-akut", Name: "Akut", Type: directory.Clinic, Parent: "cs"},
		{ID: "cs-iva", Name: "IVA", Type: directory.Ward, Parent: "cs-akut"},
		{ID: "ls", Name: "LS", Type: directory.Hospital, Parent: "region"},
		{ID: "ls-bb", Name: "BB", Type: directory.Ward, Parent: "ls"},
	}
)

// world holds an incident with a decision, and the dispatch book.
type world struct {
	t        *testing.T
	inc      *incident.Facts
	book     *dispatch.Book
	id       incident.ID
	decision string
	seq      uint64
}

func newWorld(t *testing.T) *world {
	w := &world{t: t, inc: incident.NewFacts(), book: dispatch.NewBook()}
	id, drafts, err := incident.Open{Title: "DNS", Scope: "region", Level: incident.Staff}.Decide(w.inc, nil, event.Actor{Username: "tib"}, t0)
	if err != nil {
		t.Fatal(err)
	}
	w.id = id
	w.apply(t0, drafts...)
	d, err := incident.Record{Incident: id, Kind: incident.Decision, Text: "All icke-akut vård ställs in",
		Decision: &incident.DecisionInfo{DecisionMaker: "Sven"}}.Decide(w.inc, event.Actor{Username: "sjl"}, t0)
	if err != nil {
		t.Fatal(err)
	}
	w.decision = d[0].Payload.(incident.EntryRecorded).ID
	w.apply(t0, d...)
	return w
}

func (w *world) apply(at time.Time, drafts ...event.Draft) {
	w.t.Helper()
	for _, d := range drafts {
		if d.OccurredAt.IsZero() {
			d.OccurredAt = at
		}
		e, err := event.Seal(d, event.NewID(), "o", "", at)
		if err != nil {
			w.t.Fatal(err)
		}
		w.seq++
		e.Seq = w.seq
		if err := errors.Join(w.inc.Apply(e), w.book.Apply(e)); err != nil {
			w.t.Fatal(err)
		}
	}
}

func (w *world) create(c dispatch.Create) dispatch.ID {
	w.t.Helper()
	c.Incident = w.id
	id, drafts, err := c.Decide(w.inc, tree, event.Actor{Name: "stabschef"}, t0)
	if err != nil {
		w.t.Fatal(err)
	}
	w.apply(t0, drafts...)
	return id
}

// Decide names the sender in the payload by name and the event by account:
// what the log has always held, now decided in one place.
func TestCreateNamesAuthorAndAccount(t *testing.T) {
	w := newWorld(t)
	_, drafts, err := dispatch.Create{Incident: w.id, Kind: dispatch.KindMessage, Title: "Läget?", Audience: dispatch.Audience{All: true},
		Deadline: t0.Add(time.Hour)}.Decide(w.inc, tree, event.Actor{Name: "Stina Stab", Username: "stab1"}, t0)
	if err != nil {
		t.Fatal(err)
	}
	if drafts[0].Actor != "stab1" || drafts[0].Payload.(dispatch.Created).Author != "Stina Stab" {
		t.Fatalf("actor %q, author %q; want the account and the name", drafts[0].Actor, drafts[0].Payload.(dispatch.Created).Author)
	}
}

func TestResolveAudience(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		a    dispatch.Audience
		want []string
	}{
		{"all", dispatch.Audience{All: true}, []string{"cs", "cs-akut", "cs-iva", "ls", "ls-bb", "region"}},
		{"subtree", dispatch.Audience{Subtrees: []string{"cs"}}, []string{"cs", "cs-akut", "cs-iva"}},
		{"type", dispatch.Audience{Types: []string{"ward"}}, []string{"cs-iva", "ls-bb"}},
		{"union", dispatch.Audience{Types: []string{"hospital"}, Units: []string{"ls-bb"}}, []string{"cs", "ls", "ls-bb"}},
		{"holders of a function", dispatch.Audience{Functions: []string{"chefläkare"}}, []string{"cs", "ls"}},
	}
	for _, c := range cases {
		got, err := dispatch.Resolve(c.a, tree, tree.People())
		if err != nil || len(got) != len(c.want) {
			t.Fatalf("%s: %v %v, want %v", c.name, got, err, c.want)
		}
		for i := range got {
			if got[i] != c.want[i] {
				t.Fatalf("%s: %v, want %v", c.name, got, c.want)
			}
		}
	}
}

func TestCreateValidation(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ok := dispatch.Create{Incident: w.id, Kind: dispatch.KindDecision, Title: "Ställ in icke-akut vård", Decision: w.decision,
		Audience: dispatch.Audience{All: true}, Deadline: t0.Add(30 * time.Minute)}
	cases := []struct {
		name  string
		edit  func(*dispatch.Create)
		field string
		code  fail.Code
	}{
		{"empty audience", func(c *dispatch.Create) { c.Audience = dispatch.Audience{} }, "audience", fail.Invalid},
		{"unknown unit", func(c *dispatch.Create) { c.Audience = dispatch.Audience{Units: []string{"mars"}} }, "audience.units", fail.Invalid},
		{"unknown subtree", func(c *dispatch.Create) { c.Audience = dispatch.Audience{Subtrees: []string{"mars"}} }, "audience.subtrees", fail.Invalid},
		{"unknown type", func(c *dispatch.Create) { c.Audience = dispatch.Audience{Types: []string{"castle"}} }, "audience.types", fail.Invalid},
		{"unheld function", func(c *dispatch.Create) { c.Audience = dispatch.Audience{Functions: []string{"Kung"}} }, "audience.functions", fail.Invalid},
		{"message without title", func(c *dispatch.Create) { c.Kind, c.Decision, c.Title = dispatch.KindMessage, "", "" }, "title", fail.Invalid},
		{"message with a time it applies from", func(c *dispatch.Create) { c.Kind, c.Decision, c.AppliesFrom = dispatch.KindMessage, "", t0 }, "applies_from", fail.Invalid},
		{"audience changed since the preview", func(c *dispatch.Create) { c.AudienceDigest = dispatch.Digest([]string{"cs"}) }, "audience", fail.Invalid},
		{"not a decision", func(c *dispatch.Create) { c.Decision = "x" }, "decision", fail.Invalid},
		{"unknown kind", func(c *dispatch.Create) { c.Kind = "rumour" }, "kind", fail.Invalid},
		{"past deadline", func(c *dispatch.Create) { c.Deadline = t0.Add(-time.Minute) }, "deadline", fail.Invalid},
		{"far deadline", func(c *dispatch.Create) { c.Deadline = t0.Add(8 * 24 * time.Hour) }, "deadline", fail.Invalid},
		{"one answer", func(c *dispatch.Create) { c.Question = &dispatch.Question{Text: "?", Answers: []string{"Ja"}} }, "question.answers", fail.Invalid},
		{"unknown channel", func(c *dispatch.Create) { c.Channels = []string{"pigeon"} }, "channels", fail.Invalid},
		{"escalation out of order", func(c *dispatch.Create) {
			c.Escalation = &dispatch.Escalation{Resend: 60, Deputies: 1, Parent: 60}
		}, "escalation", fail.Invalid},
		{"unknown incident", func(c *dispatch.Create) { c.Incident = "nope" }, "", fail.NotFound},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cmd := ok
			c.edit(&cmd)
			_, drafts, err := cmd.Decide(w.inc, tree, event.Actor{Name: "stabschef"}, t0)
			fe := fail.As(err)
			if err == nil || fe.Field != c.field || fe.Code != c.code {
				t.Fatalf("got %v, want %s on %q", err, c.code, c.field)
			}
			if drafts != nil {
				t.Fatal("refused command returned events")
			}
		})
	}
	closeDrafts, _ := incident.Close{Incident: w.id, Reason: "klart"}.Decide(w.inc, event.Actor{}, t0)
	w.apply(t0, closeDrafts...)
	if _, _, err := ok.Decide(w.inc, tree, event.Actor{Name: "stabschef"}, t0); !fail.Is(err, fail.Conflict) {
		t.Fatalf("dispatch on a closed incident: %v, want conflict", err)
	}
}

func TestReceiptsCoverUnitsAndMilestones(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	id := w.create(dispatch.Create{Kind: dispatch.KindMessage, Title: "Kan ni operera akut i natt?", Audience: dispatch.Audience{Types: []string{"hospital", "ward"}},
		Question: &dispatch.Question{Text: "Akut kirurgi i natt?", Answers: []string{"Ja", "Nej", "Delvis"}}, Deadline: t0.Add(time.Hour)})
	ack := func(unit, answer string, at time.Time) error {
		drafts, err := dispatch.Acknowledge{Dispatch: id, Unit: unit, By: event.Actor{Name: "Anna"}, Channel: dispatch.InApp, Answer: answer}.Decide(w.book, "anna")
		if err == nil {
			w.apply(at, drafts...)
		}
		return err
	}
	if err := ack("region", "Ja", t0); fail.As(err).Field != "unit" {
		t.Fatalf("receipt for a unit outside the audience: %v", err)
	}
	if err := ack("cs", "Kanske", t0); fail.As(err).Field != "answer" {
		t.Fatalf("answer outside the fixed ones: %v", err)
	}
	for i, u := range []string{"cs", "ls", "cs-iva", "ls-bb"} {
		if err := ack(u, "Ja", t0.Add(time.Duration(i+1)*time.Minute)); err != nil {
			t.Fatal(err)
		}
	}
	// A second contact of a covered unit changes nothing.
	before := w.seq
	if err := ack("cs", "Nej", t0.Add(time.Hour)); err != nil || w.seq != before {
		t.Fatalf("second receipt: %v, %d events", err, w.seq-before)
	}
	d, states, _ := w.book.Get(id)
	if d.Acked != 4 || d.Percent() != 100 {
		t.Fatalf("acked %d (%.0f %%)", d.Acked, d.Percent())
	}
	if !d.Reached50.Equal(t0.Add(2*time.Minute)) || !d.Reached90.Equal(t0.Add(4*time.Minute)) || !d.Reached100.Equal(t0.Add(4*time.Minute)) {
		t.Fatalf("milestones 50 %% %v, 90 %% %v, 100 %% %v", d.Reached50, d.Reached90, d.Reached100)
	}
	for _, s := range states {
		if s.Unit == "cs" && s.Ack.Answer != "Ja" {
			t.Fatal("the first receipt does not cover the unit")
		}
	}
	if got := w.book.ForUnit("ls-bb"); len(got) != 1 || got[0].Mine.Ack == nil {
		t.Fatal("the unit's own view lacks its receipt")
	}
}

// Escalation is planned from a clock passed in: no sleeps.
func TestEscalationPlanStopsAtReceipt(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	id := w.create(dispatch.Create{Kind: dispatch.KindDecision, Decision: w.decision, Title: "Beslut", Audience: dispatch.Audience{Units: []string{"cs", "ls"}},
		Deadline: t0.Add(time.Hour), Escalation: &dispatch.Escalation{Resend: 5, Deputies: 10, Parent: 15}})
	due := func(at time.Time) []dispatch.Escalated {
		d, states, _ := w.book.Get(id)
		return d.Due(states, at)
	}
	take := func(steps []dispatch.Escalated, at time.Time) {
		for _, s := range steps {
			w.apply(at, event.Draft{Type: dispatch.TypeEscalated, Subject: string(id), Payload: s})
		}
	}
	first := due(t0)
	if len(first) != 2 || first[0].Step != dispatch.StepFirst {
		t.Fatalf("at the start: %+v, want the first step for both units", first)
	}
	take(first, t0)
	if got := due(t0.Add(4 * time.Minute)); len(got) != 0 {
		t.Fatalf("before T1: %+v", got)
	}
	drafts, _ := dispatch.Acknowledge{Dispatch: id, Unit: "cs", By: event.Actor{Name: "A"}, Channel: dispatch.SMS}.Decide(w.book, "a")
	w.apply(t0.Add(4*time.Minute), drafts...)
	got := due(t0.Add(5 * time.Minute))
	if len(got) != 1 || got[0].Unit != "ls" || got[0].Step != dispatch.StepResend {
		t.Fatalf("at T1: %+v, want only the unacknowledged unit's resend", got)
	}
	take(got, t0.Add(5*time.Minute))
	got = due(t0.Add(20 * time.Minute))
	if len(got) != 2 || got[0].Step != dispatch.StepDeputies || got[1].Step != dispatch.StepParent {
		t.Fatalf("after T3: %+v, want deputies then parent", got)
	}
}

// An attempt recorded without an outcome (the process died between the two)
// is pending until its outcome is recorded: the engine resends it.
func TestPendingAttemptsAfterACrash(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	id := w.create(dispatch.Create{Kind: dispatch.KindMessage, Title: "Läget?", Audience: dispatch.Audience{Units: []string{"cs"}}, Deadline: t0.Add(time.Hour)})
	w.apply(t0, event.Draft{Type: dispatch.TypeAttempted, Subject: string(id), Payload: dispatch.Attempted{Dispatch: id, Unit: "cs",
		Attempt: "a1", Channel: dispatch.SMS, Name: "Anna", Address: "+46701740605"}})
	p := w.book.PendingAttempts()
	if len(p) != 1 || p[0].Attempt != "a1" || p[0].Address != "+46701740605" || p[0].Code != dispatch.ReplyCode("a1") {
		t.Fatalf("pending: %+v", p)
	}
	w.apply(t0, event.Draft{Type: dispatch.TypeAttemptResult, Subject: string(id), Payload: dispatch.AttemptResult{Dispatch: id, Unit: "cs",
		Attempt: "a1", Handed: true, Provider: "46elks"}})
	if p := w.book.PendingAttempts(); len(p) != 0 {
		t.Fatalf("still pending after its outcome: %+v", p)
	}
	_, states, _ := w.book.Get(id)
	if a := states[0].LastAttempt(); a == nil || a.Outcome != dispatch.Handed || a.Provider != "46elks" {
		t.Fatalf("last attempt: %+v", a)
	}
}

// reacher is a directory with fixed contacts per unit.
type reacher map[string][]directory.Contact

func (r reacher) Reach(unit string, _ time.Time) []directory.Contact { return r[unit] }
func (r reacher) Parent(string) string                               { return "" }

// A unit's webhook gets the first step beside its first person; later
// steps go to people only. An attempt is found by its id alone.
func TestPlanStepAddsTheUnitsWebhookAtFirst(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	id := w.create(dispatch.Create{Kind: dispatch.KindMessage, Title: "Läget?", Audience: dispatch.Audience{Units: []string{"cs"}},
		Deadline: t0.Add(time.Hour), Channels: []string{dispatch.InApp, dispatch.Email, dispatch.Webhook}})
	d, _ := w.book.Head(id)
	dir := reacher{"cs": {
		{PersonID: "p1", Name: "Erik", Role: directory.RolePrimary, Email: "erik@cs.example"},
		{PersonID: "p2", Name: "Lena", Role: directory.RoleDeputy, Email: "lena@cs.example"},
		{Name: "CS", Role: directory.RoleUnit, Webhook: "https://display.cs.example/fyr"},
	}}
	n := 0
	newID := func() string { n++; return string(rune('a' + n)) }
	var got []string
	for _, p := range dispatch.PlanStep(d, dispatch.Escalated{Dispatch: id, Unit: "cs", Step: dispatch.StepFirst}, dir, t0, newID) {
		got = append(got, p.Channel+":"+p.Name+":"+p.Address)
	}
	if want := []string{"inapp:Erik:", "webhook:CS:https://display.cs.example/fyr"}; !slices.Equal(got, want) {
		t.Fatalf("first step: %v, want %v", got, want)
	}
	got = nil
	for _, p := range dispatch.PlanStep(d, dispatch.Escalated{Dispatch: id, Unit: "cs", Step: dispatch.StepResend}, dir, t0, newID) {
		got = append(got, p.Channel+":"+p.Name)
	}
	if want := []string{"email:Erik"}; !slices.Equal(got, want) {
		t.Fatalf("resend: %v, want %v", got, want)
	}
	// Without webhook among the dispatch's channels, no webhook.
	plain := d
	plain.Channels = []string{dispatch.InApp}
	for _, p := range dispatch.PlanStep(plain, dispatch.Escalated{Dispatch: id, Unit: "cs", Step: dispatch.StepFirst}, dir, t0, newID) {
		if p.Channel == dispatch.Webhook {
			t.Fatalf("a webhook went out though the dispatch does not use the channel: %+v", p)
		}
	}
	w.apply(t0, event.Draft{Type: dispatch.TypeAttempted, Subject: string(id), Payload: dispatch.Attempted{Dispatch: id, Unit: "cs",
		Attempt: "w1", Channel: dispatch.Webhook, Name: "CS", Address: "https://display.cs.example/fyr"}})
	if ref, ok := w.book.FindAttempt("w1"); !ok || ref.Dispatch != id || ref.Unit != "cs" || ref.Channel != dispatch.Webhook {
		t.Fatalf("FindAttempt: %+v %v", ref, ok)
	}
	if _, ok := w.book.FindAttempt("nope"); ok {
		t.Fatal("found an attempt that does not exist")
	}
}

// An SMS taken but never reported delivered is due for failover after the
// window, once; not when the unit has acknowledged meanwhile.
func TestFailoverDue(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	id := w.create(dispatch.Create{Kind: dispatch.KindMessage, Title: "Läget?", Audience: dispatch.Audience{Units: []string{"cs", "ls"}}, Deadline: t0.Add(time.Hour)})
	for _, u := range []string{"cs", "ls"} {
		w.apply(t0, event.Draft{Type: dispatch.TypeAttempted, Subject: string(id), Payload: dispatch.Attempted{Dispatch: id, Unit: u,
			Attempt: "a-" + u, Channel: dispatch.SMS, Name: "Anna", Address: "+46701740605"}},
			event.Draft{Type: dispatch.TypeAttemptResult, Subject: string(id), Payload: dispatch.AttemptResult{Dispatch: id, Unit: u,
				Attempt: "a-" + u, Handed: true, Provider: "elks-1"}})
	}
	if due := w.book.FailoverDue(t0.Add(-time.Second)); len(due) != 0 {
		t.Fatalf("due before the window passed: %+v", due)
	}
	drafts, _ := dispatch.Acknowledge{Dispatch: id, Unit: "cs", By: event.Actor{Name: "A"}, Channel: dispatch.InApp}.Decide(w.book, "a")
	w.apply(t0, drafts...)
	due := w.book.FailoverDue(t0)
	if len(due) != 1 || due[0].ID != "a-ls" || due[0].Provider != "elks-1" {
		t.Fatalf("due: %+v, want only the unacknowledged unit's SMS", due)
	}
	p := dispatch.FailoverPlan(due[0], "b-ls")
	if p.FailoverOf != "a-ls" || p.Avoid != "elks-1" || p.Address != "+46701740605" || p.Code != dispatch.ReplyCode("b-ls") {
		t.Fatalf("failover plan: %+v", p)
	}
	w.apply(t0, event.Draft{Type: dispatch.TypeAttempted, Subject: string(id), Payload: p.Attempted})
	if due := w.book.FailoverDue(t0.Add(time.Hour)); len(due) != 0 {
		t.Fatalf("due again after its failover: %+v", due)
	}
}
