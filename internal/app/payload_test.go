package app

import (
	"reflect"
	"testing"
	"time"

	"fyr/internal/auth"
	"fyr/internal/directory"
	"fyr/internal/dispatch"
	"fyr/internal/event"
	"fyr/internal/incident"
)

// Payloads are written with encoding/json and read with the JSON v2 decoder
// (event.Envelope.Unmarshal). Every payload type must survive that trip
// unchanged: a type whose encodings differ (time.Duration does) would
// silently break replay.
func TestEveryPayloadRoundTrips(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 11, 23, 8, 3, 0, 123e6, time.UTC)
	payloads := []any{
		&incident.Opened{Incident: "i", EntryID: "e", Title: "t", Description: "d", Exercise: true, Author: "a", Function: "f"},
		&incident.LevelChanged{Incident: "i", EntryID: "e", Scope: "region", Level: incident.Disaster, Previous: incident.Staff, Reason: "r", DecidedBy: "d", Author: "a"},
		&incident.EntryRecorded{Fields: incident.Fields{ID: "e", Incident: "i", Kind: incident.Decision, Text: "å\nä", Verified: true,
			Decision: &incident.DecisionInfo{DecisionMaker: "d", ValidUntil: at, Inform: []string{"x", "y"}},
			Task:     &incident.TaskInfo{Owner: "o", Deadline: at, Status: incident.TaskStarted}}, FormToken: "t"},
		&incident.Closed{Incident: "i", EntryID: "e", Reason: "r", Source: "s"},
		&directory.UnitAdded{Unit: directory.Unit{ID: "u", Name: "n", Type: directory.Ward, Parent: "p"}},
		&directory.PersonAdded{Person: directory.Person{ID: "p", Name: "n", Mobile: "+46701740605", Email: "a@b.example"}},
		&auth.UserCreated{Username: "u", Name: "n", Role: auth.Staff, Hash: "$argon2id$…"},
		&dispatch.Created{Dispatch: "d", Incident: "i", Kind: dispatch.KindDecision, Title: "t", Units: []string{"a", "b"},
			Audience: dispatch.Audience{All: true, Types: []string{"ward"}}, Question: &dispatch.Question{Text: "?", Answers: []string{"Ja", "Nej"}},
			Deadline: at, Escalation: dispatch.DefaultEscalation, Channels: dispatch.Channels},
		&dispatch.Acknowledged{Dispatch: "d", Unit: "u", By: "b", Channel: dispatch.SMS, Answer: "Ja", Readback: "r"},
		&dispatch.Escalated{Dispatch: "d", Unit: "u", Step: dispatch.StepParent},
	}
	for _, p := range payloads {
		e, err := event.Seal(event.Draft{Type: "x", Payload: p}, "id", "o", "", at)
		if err != nil {
			t.Fatal(err)
		}
		got := reflect.New(reflect.TypeOf(p).Elem()).Interface()
		if err := e.Unmarshal(got); err != nil {
			t.Fatalf("%T: %v", p, err)
		}
		if !reflect.DeepEqual(got, p) {
			t.Errorf("%T changed on the way through the log:\n got %+v\nwant %+v", p, got, p)
		}
	}
}
