package situation_test

import (
	"context"
	"testing"

	"fyr/internal/fail"
	"fyr/internal/incident"
	"fyr/internal/situation"
)

// The read model is the service's: a round is read through it with the
// caller's role checked, as the pages do (a unit account reads only a round
// its unit is asked in); whether a unit's form is prefilled likewise; the
// live updates learn a round's incident and nothing more.
func TestRoundsAreReadThroughTheService(t *testing.T) {
	s := startSituation(t)
	ctx := context.Background()
	inc := s.incident(t)
	mine := s.round(t, inc.ID, "avd1", "avd2")
	other := s.round(t, inc.ID, "avd3")
	for _, who := range []string{"staff", "viewer", "admin", "avd1"} {
		if r, err := s.svc.Situation.Round(s.p[who], mine.Round, incident.AsOf{}); err != nil || r.Round != mine.Round || r.Title != mine.Title {
			t.Errorf("%s reads the round: %+v %v", who, r, err)
		}
	}
	if _, err := s.svc.Situation.Round(s.p["avd1"], other.Round, incident.AsOf{}); !fail.Is(err, fail.Forbidden) {
		t.Errorf("a unit reads a round it is not asked in: %v", err)
	}
	if _, err := s.svc.Situation.Round(s.p["staff"], "nope", incident.AsOf{}); !fail.Is(err, fail.NotFound) {
		t.Errorf("an unknown round: %v", err)
	}
	if _, err := s.svc.Situation.Round(s.p["staff"], mine.Round, incident.AsOf{At: s.clock.Now().Add(-1)}); !fail.Is(err, fail.NotFound) {
		t.Errorf("the round before it was opened: %v", err)
	}
	if id, ok := s.svc.Situation.IncidentOf(mine.Round); !ok || id != inc.ID {
		t.Errorf("the round's incident: %q %v", id, ok)
	}
	if _, ok := s.svc.Situation.IncidentOf("nope"); ok {
		t.Error("an unknown round has an incident")
	}

	if pre, err := s.svc.Situation.Prefilled(s.p["avd1"], ""); err != nil || pre {
		t.Fatalf("prefilled before any report: %v %v", pre, err)
	}
	if _, err := s.svc.Situation.FileReport(ctx, s.p["avd1"], situation.File{Round: mine.Round, Values: values(situation.Normal, 5, 0, 10, 5)}); err != nil {
		t.Fatal(err)
	}
	if pre, err := s.svc.Situation.Prefilled(s.p["avd1"], ""); err != nil || !pre {
		t.Fatalf("prefilled after a report: %v %v", pre, err)
	}
	if pre, err := s.svc.Situation.Prefilled(s.p["staff"], "avd2"); err != nil || pre {
		t.Fatalf("avd2's form, by the staff: %v %v", pre, err)
	}
	for who, unit := range map[string]string{"avd1": "avd2", "viewer": "avd1"} {
		if _, err := s.svc.Situation.Prefilled(s.p[who], unit); !fail.Is(err, fail.Forbidden) {
			t.Errorf("%s asks about %s's form: %v", who, unit, err)
		}
	}
}
