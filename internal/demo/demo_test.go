package demo_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyr/internal/core"
	"fyr/internal/demo"
	"fyr/internal/incident"
)

func TestSeedReplaysKronoberg(t *testing.T) {
	ctx := context.Background()
	svc, err := core.Open(ctx, core.Config{Dir: t.TempDir(), Org: "exempel"})
	if err != nil {
		t.Fatal(err)
	}
	defer svc.Close()
	if err := demo.Seed(ctx, svc); err != nil {
		t.Fatal(err)
	}
	list := svc.P.Incidents.List()
	if len(list) != 1 || !list[0].Exercise || !list[0].Closed {
		t.Fatalf("want one closed exercise, got %+v", list)
	}
	inc := list[0]
	sweden, _ := time.LoadLocation("Europe/Stockholm")
	at := func(day, h, m int) time.Time { return time.Date(2018, 9, day, h, m, 0, 0, sweden) }
	for _, c := range []struct {
		at   time.Time
		want incident.Level
	}{
		{at(21, 4, 0), incident.Normal},
		{at(21, 5, 0), incident.Staff},
		{at(21, 7, 0), incident.Reinforcement},
		{at(21, 12, 0), incident.Staff},
		{at(25, 16, 0), incident.Normal},
	} {
		got, _ := svc.P.Incidents.Get(inc.ID, incident.AsOf{At: c.at})
		if got.Highest() != c.want {
			t.Errorf("at %s: %s, want %s", c.at.Format("Jan 2 15:04"), got.Highest(), c.want)
		}
	}
	decisions, _ := svc.P.Incidents.Journal(inc.ID, incident.Query{Kind: incident.Decision})
	if len(decisions) != 1 || !decisions[0].OccurredAt.Equal(at(21, 8, 3)) || !strings.Contains(decisions[0].Text, "icke-akut") {
		t.Fatalf("the 08:03 decision: %+v", decisions)
	}
	// Both official end times are kept, each with its source.
	entries, _ := svc.P.Incidents.Journal(inc.ID, incident.Query{From: at(25, 0, 0)})
	sources := map[string]string{}
	for _, e := range entries {
		sources[e.OccurredAt.In(sweden).Format("15:04")] = e.Source
	}
	if !strings.Contains(sources["15:27"], "8 nov") || !strings.Contains(sources["15:37"], "Pressmeddelande") {
		t.Fatalf("end times and sources: %v", sources)
	}
	if len(svc.P.Units.Hospitals()) < 2 || len(svc.P.Units.People()) < 10 || svc.P.Users.Len() != len(demo.Accounts) {
		t.Fatal("demo organisation incomplete")
	}
}
