package continuityui_test

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"fyr/internal/auth"
	"fyr/internal/continuity"
	"fyr/internal/fyrtest"
	"fyr/internal/incident"
)

// Statuses recorded in an incident: each a journal entry; the impact
// follows them, and shows them as they stood (at=) and as the staff knew
// them (known_at=); bad statuses are refused naming the field and write
// nothing.
func TestStatusesInAnIncident(t *testing.T) {
	t.Parallel()
	env, admin := kronoberg(t)
	staff := env.Token(auth.Staff)
	var inc struct{ ID string }
	if code := env.Do(staff, "POST", "/api/v1/incidents", map[string]any{"title": "IT-avbrott", "scope": "region", "level": "staff"}, &inc); code != 201 {
		t.Fatalf("open incident: %d", code)
	}
	base := "/api/v1/incidents/" + inc.ID
	before := time.Now().UTC()
	threeAM := before.Add(-2 * time.Hour).Truncate(time.Second)
	var ch continuity.StatusChange
	if code := env.Do(staff, "POST", base+"/statuses", map[string]any{"component": "dns", "status": "down",
		"occurred_at": threeAM.Format(time.RFC3339), "source": "IT-jouren", "note": "Uppgradering misslyckades"}, &ch); code != 201 {
		t.Fatalf("record: %d", code)
	}
	if !ch.OccurredAt.Equal(threeAM) || ch.Entry == "" || ch.Status != continuity.Down {
		t.Errorf("status change: %+v", ch)
	}
	var journal struct{ Entries []incident.Entry }
	env.Do(staff, "GET", base+"/journal", nil, &journal)
	found := false
	for _, e := range journal.Entries {
		if e.ID == ch.Entry && strings.Contains(e.Text, "DNS är nere. Uppgradering misslyckades") && e.OccurredAt.Equal(threeAM) && e.Source == "IT-jouren" {
			found = true
		}
	}
	if !found {
		t.Errorf("no journal entry %s for the status: %+v", ch.Entry, journal.Entries)
	}
	impact := func(query string) continuity.Report {
		t.Helper()
		var rep continuity.Report
		if code := env.Do(env.Token(auth.Unit), "GET", base+"/impact"+query, nil, &rep); code != 200 {
			t.Fatalf("impact%s: %d", query, code)
		}
		return rep
	}
	if rep := impact(""); len(rep.Components) != 5 || len(rep.Routines) != 2 || rep.Routines[0].Works {
		t.Errorf("impact now: %+v", rep)
	}
	var list struct{ Statuses []continuity.StatusChange }
	if code := env.Do(env.Token(auth.Viewer), "GET", base+"/statuses", nil, &list); code != 200 || len(list.Statuses) != 1 ||
		list.Statuses[0].Name != "DNS" || list.Statuses[0].Status != continuity.Down || list.Statuses[0].By != "staff" || list.Statuses[0].Source != "IT-jouren" {
		t.Errorf("statuses: %d %+v", code, list)
	}
	// DNS back up: recorded now, as of an hour ago.
	hourAgo := before.Add(-time.Hour).Truncate(time.Second)
	if code := env.Do(staff, "POST", base+"/statuses", map[string]any{"component": "dns", "status": "up", "occurred_at": hourAgo.Format(time.RFC3339)}, nil); code != 201 {
		t.Fatalf("record up: %d", code)
	}
	if rep := impact(""); len(rep.Components) != 0 || len(rep.Units) != 0 || len(rep.Routines) != 0 {
		t.Errorf("impact after DNS is up: %+v", rep)
	}
	list.Statuses = nil
	if env.Do(staff, "GET", base+"/statuses", nil, &list); len(list.Statuses) != 1 || list.Statuses[0].Status != continuity.Up {
		t.Errorf("statuses after DNS is up: %+v", list)
	}
	at := "?at=" + url.QueryEscape(threeAM.Add(time.Minute).Format(time.RFC3339))
	list.Statuses = nil
	if env.Do(staff, "GET", base+"/statuses"+at, nil, &list); len(list.Statuses) != 1 || list.Statuses[0].Status != continuity.Down {
		t.Errorf("statuses at 03:01: %+v", list)
	}
	if rep := impact(at); len(rep.Components) != 5 || len(rep.Units) != 1 {
		t.Errorf("impact at 03:01 (DNS down then): %+v", rep)
	}
	knownAt := "?known_at=" + url.QueryEscape(ch.RecordedAt.Format(time.RFC3339Nano))
	if rep := impact(knownAt); len(rep.Components) != 5 {
		t.Errorf("impact as known when DNS was reported down: %+v", rep)
	}
	// Bad input: the field named, nothing written.
	seq := env.Svc.Seq()
	for _, c := range []struct {
		body  map[string]any
		field string
	}{
		{map[string]any{"component": "nope", "status": "down"}, "component"},
		{map[string]any{"component": "dns", "status": "broken"}, "status"},
		{map[string]any{"component": "dns", "status": "down", "occurred_at": time.Now().Add(time.Hour).Format(time.RFC3339)}, "occurred_at"},
		{map[string]any{"status": "down"}, "component"},
	} {
		var e fyrtest.APIError
		if code := env.Do(staff, "POST", base+"/statuses", c.body, &e); code != 400 || e.Error.Field != c.field {
			t.Errorf("%v: %d %+v, want 400 naming %s", c.body, code, e, c.field)
		}
	}
	var e fyrtest.APIError
	if code := env.Do(env.Token(auth.Viewer), "POST", base+"/statuses", map[string]any{"component": "dns", "status": "down"}, &e); code != 403 {
		t.Errorf("viewer: %d", code)
	}
	if code := env.Do(admin, "GET", "/api/v1/incidents/nope/impact", nil, &e); code != 404 {
		t.Errorf("unknown incident: %d", code)
	}
	if env.Svc.Seq() != seq {
		t.Errorf("refused statuses wrote: seq %d → %d", seq, env.Svc.Seq())
	}
}
