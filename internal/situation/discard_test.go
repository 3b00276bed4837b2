package situation_test

import (
	"context"
	"testing"
	"time"

	"fyr/internal/fail"
	"fyr/internal/incident"
	"fyr/internal/situation"
)

// An unpublished version can be set aside with a reason, which lets a new
// version start; a published one cannot. The history keeps it.
func TestDiscardPicture(t *testing.T) {
	t.Parallel()
	s := startSituation(t)
	ctx := context.Background()
	inc := s.incident(t)
	staff := s.p["staff"]
	v1, err := s.svc.Situation.DraftPicture(ctx, staff, situation.DraftPicture{Incident: inc.ID, Content: situation.Content{Event: "DNS"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.svc.Situation.DraftPicture(ctx, staff, situation.DraftPicture{Incident: inc.ID}); fail.As(err).Code != fail.Conflict {
		t.Fatalf("a second draft beside an unpublished one: %v", err)
	}
	before := s.svc.Seq()
	for name, c := range map[string]struct {
		p    situation.Discard
		code fail.Code
		f    string
	}{
		"no reason":       {situation.Discard{Picture: v1.ID}, fail.Invalid, "reason"},
		"unknown version": {situation.Discard{Picture: "nope", Reason: "x"}, fail.NotFound, ""},
	} {
		if _, err := s.svc.Situation.DiscardPicture(ctx, staff, c.p); fail.As(err).Code != c.code || fail.As(err).Field != c.f {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := s.svc.Situation.DiscardPicture(ctx, s.p["viewer"], situation.Discard{Picture: v1.ID, Reason: "x"}); fail.As(err).Code != fail.Forbidden {
		t.Errorf("a viewer discards: %v", err)
	}
	if s.svc.Seq() != before {
		t.Fatal("a refused discard wrote to the log")
	}
	drafted := s.clock.Now()
	s.clock.Add(time.Minute)
	got, err := s.svc.Situation.DiscardPicture(ctx, staff, situation.Discard{Picture: v1.ID, Reason: "Läget har ändrats: ny version"})
	if err != nil || got.Status != situation.Discarded || got.DiscardReason == "" {
		t.Fatalf("discard: %v %+v", err, got)
	}
	then, _ := s.svc.Situation.Picture(staff, v1.ID, incident.AsOf{At: drafted})
	if then.Status != situation.Draft {
		t.Fatalf("before it was discarded the version was %s", then.Status)
	}
	v2, err := s.svc.Situation.DraftPicture(ctx, staff, situation.DraftPicture{Incident: inc.ID, Content: situation.Content{Event: "DNS, värre"}})
	if err != nil || v2.Version != 2 {
		t.Fatalf("a new version after discarding: %v %+v", err, v2)
	}
	if _, err := s.svc.Situation.ApprovePicture(ctx, s.p["chef"], v2.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.svc.Situation.PublishPicture(ctx, staff, situation.Publish{Picture: v2.ID}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.svc.Situation.DiscardPicture(ctx, staff, situation.Discard{Picture: v2.ID, Reason: "x"}); fail.As(err).Code != fail.Conflict {
		t.Fatalf("discarding a published version: %v", err)
	}
	if _, err := s.svc.Situation.ApprovePicture(ctx, s.p["chef"], v1.ID); fail.As(err).Code != fail.Conflict {
		t.Fatalf("approving a discarded version: %v", err)
	}
}
