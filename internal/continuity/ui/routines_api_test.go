package continuityui_test

import (
	"strings"
	"testing"
	"time"

	"fyr/internal/auth"
	"fyr/internal/continuity"
	"fyr/internal/fyrtest"
)

// Over the API: the staff activate the paper journal for avd1 and the
// hospital; the ward reports it not working (a note required), the staff
// read the board now and as it stood before; a bad request changes nothing.
func TestRoutinesInAnIncidentOverTheAPI(t *testing.T) {
	t.Parallel()
	env, _ := kronoberg(t)
	staff, unit, viewer := env.Token(auth.Staff), env.Token(auth.Unit), env.Token(auth.Viewer)
	var inc struct{ ID string }
	if code := env.Do(staff, "POST", "/api/v1/incidents", map[string]any{"title": "DNS", "scope": "region", "level": "staff"}, &inc); code != 201 {
		t.Fatalf("open: %d", code)
	}
	base := "/api/v1/incidents/" + inc.ID + "/routines"
	var e fyrtest.APIError
	seq := env.Svc.Seq()
	for _, c := range []struct {
		body  map[string]any
		field string
	}{
		{map[string]any{"audience": map[string]any{"units": []string{"avd1"}}}, "routine"},
		{map[string]any{"routine": "nope", "audience": map[string]any{"units": []string{"avd1"}}}, "routine"},
		{map[string]any{"routine": "paper-journal", "audience": map[string]any{}}, "audience"},
		{map[string]any{"routine": "paper-journal", "audience": map[string]any{"units": []string{"avd9"}}}, "audience.units"},
	} {
		if code := env.Do(staff, "POST", base, c.body, &e); code != 400 || e.Error.Field != c.field {
			t.Errorf("activate %v: %d %+v, want 400 on %s", c.body, code, e, c.field)
		}
	}
	if code := env.Do(viewer, "POST", base, map[string]any{"routine": "paper-journal", "audience": map[string]any{"units": []string{"avd1"}}}, &e); code != 403 {
		t.Errorf("a viewer activates: %d", code)
	}
	if env.Svc.Seq() != seq {
		t.Fatalf("refused activations wrote")
	}
	var act continuity.RoutineActivated
	if code := env.Do(staff, "POST", base, map[string]any{"routine": "paper-journal", "note": "Cosmic nere",
		"audience": map[string]any{"units": []string{"avd1", "sjukhus"}}}, &act); code != 201 || len(act.Units) != 2 || act.Dispatch == "" {
		t.Fatalf("activate: %d %+v", code, act)
	}
	if code := env.Do(unit, "POST", base+"/paper-journal/reports", map[string]any{"state": "not_working"}, &e); code != 400 || e.Error.Field != "note" {
		t.Errorf("not working without a note: %d %+v", code, e)
	}
	if code := env.Do(unit, "POST", base+"/paper-journal/reports", map[string]any{"unit": "sjukhus", "state": "working"}, &e); code != 403 {
		t.Errorf("a unit account reports for another unit: %d %+v", code, e)
	}
	var rep continuity.RoutineReport
	if code := env.Do(unit, "POST", base+"/paper-journal/reports", map[string]any{"state": "not_working", "note": "Blanketterna slut"}, &rep); code != 201 ||
		rep.Unit != "avd1" || rep.Entry == "" {
		t.Fatalf("report: %d %+v", code, rep)
	}
	var board continuity.RoutineBoard
	if code := env.Do(staff, "GET", base, nil, &board); code != 200 || len(board.Routines) != 1 {
		t.Fatalf("board: %d %+v", code, board)
	}
	r := board.Routines[0]
	if r.NotWorking != 1 || r.Unreported != 1 || r.Units[0].Unit != "avd1" || r.Units[0].State != continuity.NotWorking || r.Title != "Pappersjournal" {
		t.Fatalf("board routine: %+v", r)
	}
	// As it stood when the routine was activated: nobody had reported
	// (times are kept to the millisecond: a report in the same one cannot
	// be told apart).
	activated := r.Activations[0].ActivatedAt
	then := activated.UTC().Format(time.RFC3339Nano)
	for _, q := range []string{"?known_at=" + then, "?at=" + then} {
		code := env.Do(staff, "GET", base+q, nil, &board)
		if code != 200 || len(board.Routines) != 1 || rep.ReportedAt.After(activated) && (board.Routines[0].NotWorking != 0 || board.Routines[0].Unreported != 2) {
			t.Errorf("board %s: %d %+v", q, code, board)
		}
	}
	before := activated.Add(-time.Millisecond).UTC().Format(time.RFC3339Nano)
	if code := env.Do(staff, "GET", base+"?known_at="+before, nil, &board); code != 200 || len(board.Routines) != 0 {
		t.Errorf("board before the activation: %d %+v", code, board)
	}
	if code := env.Do(staff, "GET", base+"?at=yesterday", nil, &e); code != 400 || e.Error.Field != "at" {
		t.Errorf("a bad at=: %d %+v", code, e)
	}
	if code := env.Do(unit, "GET", base, nil, &e); code != 403 {
		t.Errorf("a unit account reads the staff's board: %d", code)
	}
	if !strings.Contains(act.Title, "Pappersjournal") {
		t.Errorf("activation title %q", act.Title)
	}
}
