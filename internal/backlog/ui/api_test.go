package ui_test

import (
	"context"
	"net/url"
	"testing"
	"time"

	"fyr/internal/auth"
	"fyr/internal/backlog"
	"fyr/internal/continuity"
	"fyr/internal/fyrtest"
	"fyr/internal/incident"
)

// start runs Fyr with two systems in the registry and an open incident.
func start(t *testing.T) (*fyrtest.Env, incident.ID) {
	t.Helper()
	env := fyrtest.Start(t)
	ctx := context.Background()
	for _, c := range []continuity.Component{{ID: "cosmic", Kind: continuity.System, Name: "Cosmic"},
		{ID: "lab", Kind: continuity.System, Name: "Labbsystemet"}} {
		if _, err := env.Svc.Continuity.SaveComponent(ctx, env.Principal(auth.Admin), c); err != nil {
			t.Fatal(err)
		}
	}
	inc, err := env.Svc.Incidents.OpenIncident(ctx, env.Principal(auth.Staff), incident.Open{Title: "Cosmic nere", Scope: "region",
		Level: incident.Staff, Reason: "r", DecidedBy: "TiB"})
	if err != nil {
		t.Fatal(err)
	}
	return env, inc.ID
}

func TestTheBacklogAPI(t *testing.T) {
	env, inc := start(t)
	path := "/api/v1/incidents/" + string(inc) + "/backlog"
	unit, staff, viewer := env.Token(auth.Unit), env.Token(auth.Staff), env.Token(auth.Viewer)
	var rec backlog.Recorded
	// Explicit times, minutes apart: the point-in-time reads below must not
	// depend on how fast the machine runs.
	added, workedOff := time.Now().Add(-10*time.Minute), time.Now().Add(-5*time.Minute)
	for _, n := range []int{1, 1, 10} {
		if code := env.Do(unit, "POST", path, map[string]any{"unit": "avd1", "system": "cosmic", "kind": "prescriptions", "count": n,
			"occurred_at": added.Format(time.RFC3339Nano)}, &rec); code != 201 {
			t.Fatalf("add %d: %d", n, code)
		}
	}
	if rec.Row.Left != 12 || rec.Row.Added != 12 {
		t.Fatalf("after adding: %+v", rec.Row)
	}
	if code := env.Do(unit, "POST", path, map[string]any{"unit": "avd1", "system": "cosmic", "kind": "prescriptions", "count": -5, "note": "inmatat i Cosmic",
		"occurred_at": workedOff.Format(time.RFC3339Nano)}, &rec); code != 201 {
		t.Fatalf("work off: %d", code)
	}
	if rec.Row.Left != 7 || rec.Row.Done != 5 {
		t.Fatalf("after working off: %+v", rec.Row)
	}
	if code := env.Do(staff, "POST", path, map[string]any{"unit": "sjukhus", "system": "lab", "kind": "lab_requests", "count": 3,
		"occurred_at": time.Now().Add(-2 * time.Hour).Format(time.RFC3339)}, nil); code != 201 {
		t.Fatalf("the staff on behalf, earlier: %d", code)
	}

	var all backlog.Totals
	if code := env.Do(viewer, "GET", path, nil, &all); code != 200 {
		t.Fatalf("read: %d", code)
	}
	if all.Total != (backlog.Line{ID: string(inc), Added: 15, Done: 5, Left: 10}) || len(all.Systems) != 2 || len(all.Units) != 2 || len(all.Kinds) != 2 || len(all.Series) != 2 {
		t.Fatalf("totals %+v", all)
	}
	if all.Systems[0].Name != "Cosmic" || all.Systems[0].Left != 7 {
		t.Fatalf("systems %+v", all.Systems)
	}
	var own backlog.Totals
	env.Do(unit, "GET", path, nil, &own)
	if own.Total.Left != 7 || len(own.Units) != 1 {
		t.Fatalf("the unit account reads %+v, want its own unit only", own.Total)
	}
	// As it stood before the work-off, and as known then.
	var then backlog.Totals
	if code := env.Do(staff, "GET", path+"?at="+url.QueryEscape(workedOff.Add(-time.Minute).Format(time.RFC3339Nano)), nil, &then); code != 200 {
		t.Fatalf("at: %d", code)
	}
	if then.Total.Done != 0 || then.Total.Left != 15 {
		t.Fatalf("a minute before the work-off: %+v, want nothing done yet", then.Total)
	}
	var early backlog.Totals
	env.Do(staff, "GET", path+"?at="+url.QueryEscape(time.Now().Add(-time.Hour).Format(time.RFC3339)), nil, &early)
	if early.Total.Left != 3 {
		t.Fatalf("an hour ago: %+v, want only the lab requests of two hours ago", early.Total)
	}
}

func TestTheBacklogAPIRefusesBadInputNamingTheField(t *testing.T) {
	env, inc := start(t)
	path := "/api/v1/incidents/" + string(inc) + "/backlog"
	unit, staff, viewer := env.Token(auth.Unit), env.Token(auth.Staff), env.Token(auth.Viewer)
	ok := func() map[string]any {
		return map[string]any{"unit": "avd1", "system": "cosmic", "kind": "orders", "count": 2}
	}
	seq := env.Svc.Seq()
	for _, c := range []struct {
		name   string
		token  string
		path   string
		edit   func(map[string]any)
		status int
		field  string
	}{
		{"no kind", unit, path, func(b map[string]any) { delete(b, "kind") }, 400, "kind"},
		{"unknown kind", unit, path, func(b map[string]any) { b["kind"] = "fax" }, 400, "kind"},
		{"unknown system", unit, path, func(b map[string]any) { b["system"] = "pacs" }, 400, "system"},
		{"unknown unit", staff, path, func(b map[string]any) { b["unit"] = "mars" }, 400, "unit"},
		{"count zero", unit, path, func(b map[string]any) { b["count"] = 0 }, 400, "count"},
		{"count absurd", unit, path, func(b map[string]any) { b["count"] = 1000000 }, 400, "count"},
		{"count not a number", unit, path, func(b map[string]any) { b["count"] = "två" }, 400, "count"},
		{"working off more than is left", unit, path, func(b map[string]any) { b["count"] = -1 }, 400, "count"},
		{"a time in the future", unit, path, func(b map[string]any) { b["occurred_at"] = time.Now().Add(time.Hour).Format(time.RFC3339) }, 400, "occurred_at"},
		{"an unknown field", unit, path, func(b map[string]any) { b["serial"] = 3 }, 400, "serial"},
		{"unknown incident", unit, "/api/v1/incidents/nope/backlog", func(map[string]any) {}, 404, "incident"},
		{"another unit's backlog", unit, path, func(b map[string]any) { b["unit"] = "sjukhus" }, 403, ""},
		{"a viewer", viewer, path, func(map[string]any) {}, 403, ""},
	} {
		body := ok()
		c.edit(body)
		var e fyrtest.APIError
		if code := env.Do(c.token, "POST", c.path, body, &e); code != c.status || e.Error.Field != c.field {
			t.Errorf("%s: %d %+v, want %d naming %q", c.name, code, e.Error, c.status, c.field)
		}
	}
	if got := env.Svc.Seq(); got != seq {
		t.Fatalf("refused requests wrote %d events", got-seq)
	}
	if code := env.Do(staff, "GET", "/api/v1/incidents/nope/backlog", nil, nil); code != 404 {
		t.Errorf("the backlog of an unknown incident: %d", code)
	}
	if code := env.Do(staff, "GET", path+"?at=igår", nil, nil); code != 400 {
		t.Errorf("a bad at=: %d", code)
	}
}
