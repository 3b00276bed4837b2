package dispatch_test

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"fyr/internal/dispatch"
	"fyr/internal/event"
	"fyr/internal/fail"
	"fyr/internal/incident"
)

// recordDecision adds a decision with every detail to the world's journal.
func (w *world) recordDecision(text string) string {
	w.t.Helper()
	d, err := incident.Record{Incident: w.id, Kind: incident.Decision, Text: text, Decision: &incident.DecisionInfo{
		DecisionMaker: "Sven Sjukvårdsledare", Mandate: "Regional särskild sjukvårdsledning", Rationale: "Journalsystemet är nere",
		ValidUntil: t0.Add(48 * time.Hour)}}.Decide(w.inc, event.Actor{Username: "sjl"}, t0)
	if err != nil {
		w.t.Fatal(err)
	}
	w.apply(t0, d...)
	return d[0].Payload.(incident.EntryRecorded).ID
}

// A decision dispatch carries a copy of the decision: the unit needs no
// journal, and the title may be left to the decision.
func TestDecisionDispatchCarriesTheDecision(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	entry := w.recordDecision("All icke-akut vård ställs in från kl. 08.03.\nAkuta flöden som vanligt.")
	_, drafts, err := dispatch.Create{Incident: w.id, Kind: dispatch.KindDecision, Decision: entry, Body: "Avboka dagens planerade operationer.",
		Audience: dispatch.Audience{All: true}, Deadline: t0.Add(30 * time.Minute)}.Decide(w.inc, tree, event.Actor{Name: "stabschef"}, t0.Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	c := drafts[0].Payload.(dispatch.Created)
	if c.Title != "All icke-akut vård ställs in från kl. 08.03." {
		t.Errorf("title from the decision: %q", c.Title)
	}
	want := dispatch.DecisionCopy{Entry: entry, Text: "All icke-akut vård ställs in från kl. 08.03.\nAkuta flöden som vanligt.",
		DecisionMaker: "Sven Sjukvårdsledare", Mandate: "Regional särskild sjukvårdsledning", Rationale: "Journalsystemet är nere",
		DecidedAt: t0, AppliesFrom: t0, ValidUntil: t0.Add(48 * time.Hour)}
	if c.Content == nil || *c.Content != want {
		t.Fatalf("the dispatch carries %+v, want %+v", c.Content, want)
	}
	// A time it applies from other than the decision's own.
	from := t0.Add(2 * time.Hour)
	_, drafts, err = dispatch.Create{Incident: w.id, Kind: dispatch.KindDecision, Decision: entry, Title: "Egen rubrik", AppliesFrom: from,
		Audience: dispatch.Audience{All: true}, Deadline: t0.Add(30 * time.Minute)}.Decide(w.inc, tree, event.Actor{Name: "stabschef"}, t0)
	if err != nil {
		t.Fatal(err)
	}
	if c := drafts[0].Payload.(dispatch.Created); c.Title != "Egen rubrik" || !c.Content.AppliesFrom.Equal(from) {
		t.Fatalf("title %q, applies from %v", c.Title, c.Content.AppliesFrom)
	}
	// A corrected decision is not sent: its correction is.
	fix, err := incident.Record{Incident: w.id, Kind: incident.Decision, Text: "Rättelse: från kl. 09.00", Corrects: entry,
		Decision: &incident.DecisionInfo{DecisionMaker: "Sven Sjukvårdsledare"}}.Decide(w.inc, event.Actor{Username: "sjl"}, t0)
	if err != nil {
		t.Fatal(err)
	}
	w.apply(t0, fix...)
	if _, _, err := (dispatch.Create{Incident: w.id, Kind: dispatch.KindDecision, Decision: entry, Audience: dispatch.Audience{All: true},
		Deadline: t0.Add(30 * time.Minute)}).Decide(w.inc, tree, event.Actor{Name: "stabschef"}, t0); fail.As(err).Field != "decision" {
		t.Fatalf("dispatch of a corrected decision: %v", err)
	}
	entry = fix[0].Payload.(incident.EntryRecorded).ID
	// The digest of the preview's units lets the dispatch through.
	units, _ := dispatch.Resolve(dispatch.Audience{All: true}, tree, tree.People())
	if _, _, err := (dispatch.Create{Incident: w.id, Kind: dispatch.KindDecision, Decision: entry, Audience: dispatch.Audience{All: true},
		Deadline: t0.Add(30 * time.Minute), AudienceDigest: dispatch.Digest(units)}).Decide(w.inc, tree, event.Actor{Name: "stabschef"}, t0); err != nil {
		t.Fatalf("the preview's digest: %v", err)
	}
}

// Every channel's message holds the decision; an SMS holds as much as fits
// and points to the link for the rest.
func TestComposeCarriesTheDecision(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	long := "All icke-akut vård ställs in. " + strings.Repeat("Planerade besök och operationer flyttas. ", 60)
	entry := w.recordDecision(long)
	id := w.create(dispatch.Create{Kind: dispatch.KindDecision, Decision: entry, Body: "Avboka dagens operationer och ring patienterna.",
		Audience: dispatch.Audience{All: true}, Question: &dispatch.Question{Text: "Klart?", Answers: []string{"Ja", "Nej"}},
		Deadline: t0.Add(30 * time.Minute)})
	d, _ := w.book.Head(id)
	loc, _ := time.LoadLocation("Europe/Stockholm")
	link := "https://10.1.2.3:8443/r/" + strings.Repeat("x", 90)

	subject, mail := dispatch.Compose(d, dispatch.Email, loc, link, "")
	if !strings.HasPrefix(subject, "[Fyr] Beslut: All icke-akut vård ställs in.") {
		t.Errorf("subject %q", subject)
	}
	for _, want := range []string{long[:200], "Beslutat av: Sven Sjukvårdsledare (mandat: Regional särskild sjukvårdsledning)",
		"Gäller från: 2018-09-21 08:03 till 2018-09-23 08:03", "Motivering: Journalsystemet är nere",
		"Detta ska enheten göra: Avboka dagens operationer", "Klart? (Ja / Nej)", link} {
		if !strings.Contains(mail, want) {
			t.Errorf("the e-mail lacks %q:\n%s", want, mail)
		}
	}
	_, text := dispatch.Compose(d, dispatch.SMS, loc, link, "123456")
	if n := utf8.RuneCountInString(text); n > dispatch.SMSBudget {
		t.Errorf("the SMS is %d characters, over %d:\n%s", n, dispatch.SMSBudget, text)
	}
	for _, want := range []string{"BESLUT: All icke-akut vård ställs in. Planerade", "Beslutat av: Sven Sjukvårdsledare",
		"Gäller från: 2018-09-21 08:03", "Läs allt och kvittera senast 2018-09-21 08:33: " + link, "OK 123456", "..."} {
		if !strings.Contains(text, want) {
			t.Errorf("the SMS lacks %q:\n%s", want, text)
		}
	}
	if strings.ContainsAny(text, "–…") {
		t.Errorf("the SMS has characters outside GSM-7 of its own making:\n%s", text)
	}
	// A short decision fits whole, with nothing said about the link.
	short := w.recordDecision("Stabsläge: alla enheter rapporterar kl. 10.")
	id = w.create(dispatch.Create{Kind: dispatch.KindDecision, Decision: short, Audience: dispatch.Audience{All: true}, Deadline: t0.Add(time.Hour)})
	d, _ = w.book.Head(id)
	if _, text := dispatch.Compose(d, dispatch.SMS, loc, link, ""); !strings.Contains(text, "BESLUT: Stabsläge: alla enheter rapporterar kl. 10.") ||
		strings.Contains(text, "Läs allt") {
		t.Errorf("a short decision's SMS:\n%s", text)
	}
}

// The per-channel figures are kept as events arrive and agree with the
// per-unit states at every step.
func TestChannelFiguresKeepStep(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	id := w.create(dispatch.Create{Kind: dispatch.KindMessage, Title: "x", Audience: dispatch.Audience{Subtrees: []string{"cs"}}, Deadline: t0.Add(time.Hour)})
	at := func(unit, attempt, ch string) {
		w.apply(t0, event.Draft{Type: dispatch.TypeAttempted, Subject: string(id), Payload: dispatch.Attempted{Dispatch: id, Unit: unit,
			Attempt: attempt, Channel: ch}})
	}
	result := func(unit, attempt string, handed bool) {
		w.apply(t0, event.Draft{Type: dispatch.TypeAttemptResult, Subject: string(id), Payload: dispatch.AttemptResult{Dispatch: id,
			Unit: unit, Attempt: attempt, Handed: handed}})
	}
	check := func(step string, want []dispatch.ChannelCount) {
		t.Helper()
		d, _ := w.book.Head(id)
		if len(d.ByChannel) != len(want) {
			t.Fatalf("%s: %+v, want %+v", step, d.ByChannel, want)
		}
		for i := range want {
			if d.ByChannel[i] != want[i] {
				t.Fatalf("%s: %+v, want %+v", step, d.ByChannel, want)
			}
		}
	}
	at("cs", "a1", dispatch.SMS)
	at("cs-akut", "a2", dispatch.SMS)
	at("cs-iva", "a3", dispatch.Email)
	check("attempted", []dispatch.ChannelCount{{Channel: "sms", Attempts: 2}, {Channel: "email", Attempts: 1}})
	result("cs", "a1", true)
	result("cs-akut", "a2", false)
	result("cs-iva", "a3", true)
	check("results", []dispatch.ChannelCount{{Channel: "sms", Attempts: 2, Handed: 1, Failed: 1}, {Channel: "email", Attempts: 1, Handed: 1}})
	w.apply(t0, event.Draft{Type: dispatch.TypeDelivered, Subject: string(id), Payload: dispatch.DeliveryReport{Dispatch: id, Unit: "cs",
		Attempt: "a1", Delivered: false}})
	check("reported undelivered", []dispatch.ChannelCount{{Channel: "sms", Attempts: 2, Failed: 2}, {Channel: "email", Attempts: 1, Handed: 1}})
	for _, u := range []string{"cs-iva", "cs-iva", "cs"} { // the second receipt of a unit counts once
		w.apply(t0, event.Draft{Type: dispatch.TypeAcknowledged, Subject: string(id), Payload: dispatch.Acknowledged{Dispatch: id, Unit: u,
			By: "A", Channel: dispatch.Email}})
	}
	check("acknowledged", []dispatch.ChannelCount{{Channel: "sms", Attempts: 2, Failed: 2}, {Channel: "email", Attempts: 1, Handed: 1, Acked: 2}})
}
