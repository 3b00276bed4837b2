package demo_test

import (
	"context"
	"fyr/internal/auth"
	"fyr/internal/continuity"
	"fyr/internal/store"
	"slices"
	"strings"
	"testing"
	"time"

	"fyr/internal/app"
	"fyr/internal/demo"
	"fyr/internal/directory"
	"fyr/internal/incident"
)

func TestSeedReplaysKronoberg(t *testing.T) {
	svc := seeded(t)
	list := svc.P.Incidents.List()
	if len(list) != 2 || !list[1].Exercise || !list[1].Closed {
		t.Fatalf("want the closed Kronoberg exercise and today's, got %+v", list)
	}
	inc := list[1]
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
	if len(svc.P.Units.Hospitals()) != 5 || svc.P.Users.Len() != len(demo.Accounts) {
		t.Fatal("demo organisation incomplete")
	}
}

// The demo directory: about 300 units and 1,500 people, everyone reachable
// only at made-up addresses, every unit with a primary and one or two
// deputies; seeded as one import, not thousands of events.
// Today's exercise shows the situation picture at work: a round with most
// reports in, the demo unit account's report still missing, and a published
// picture approved by the stabschef.
func TestSeedSituation(t *testing.T) {
	svc := seeded(t)
	staff := auth.Principal{Username: "tib", Role: auth.Staff}
	inc := svc.P.Incidents.List()[0]
	if inc.Closed || !inc.Exercise {
		t.Fatalf("today's exercise: %+v", inc)
	}
	rounds, err := svc.Situation.Rounds(staff, inc.ID, incident.AsOf{})
	if err != nil || len(rounds) != 1 {
		t.Fatalf("rounds: %v %+v", err, rounds)
	}
	st, _ := svc.Situation.RoundStatus(staff, rounds[0].Round, incident.AsOf{})
	if len(st.Missing) == 0 || !slices.Contains(st.Missing, "cs-akut") || len(st.Missing) >= len(st.Lines)/2 {
		t.Fatalf("want most reports in and cs-akut missing: %d missing of %d: %v", len(st.Missing), len(st.Lines), st.Missing)
	}
	pic, err := svc.Situation.LatestPicture(staff, inc.ID, incident.AsOf{})
	if err != nil || pic.ApprovedBy != "Stina Chef" || pic.Dispatch == "" {
		t.Fatalf("published picture: %v %+v", err, pic)
	}
}

func TestSeedDirectory(t *testing.T) {
	svc := seeded(t)
	d := svc.P.Units
	units, people := d.Len()
	if units < 280 || units > 320 || people < 1400 || people > 1600 {
		t.Fatalf("%d units and %d people; want about 300 and 1,500", units, people)
	}
	// About 1,800 units and people: one import event, not one each (the
	// rest of the log is the two exercises).
	if seq := svc.Seq(); seq > 200 {
		t.Fatalf("the demo took %d events; the directory must be one import", seq)
	}
	fiction := func(n string) bool {
		return strings.HasPrefix(n, "+467017406") && len(n) == 12 && n[10:] >= "05" && n[10:] <= "99"
	}
	types := map[directory.UnitType]int{}
	for _, u := range d.Units() {
		types[u.Type]++
		if u.Primary == "" || len(u.Deputies) < 1 || len(u.Deputies) > 2 {
			t.Errorf("unit %s: primary %q, deputies %v", u.ID, u.Primary, u.Deputies)
		}
		if u.Phone != "" && !fiction(u.Phone) || u.Email != "" && !strings.HasSuffix(u.Email, ".example") {
			t.Errorf("unit %s: %s %s is not made up", u.ID, u.Phone, u.Email)
		}
	}
	for _, ty := range []directory.UnitType{directory.Region, directory.Hospital, directory.Clinic, directory.Ward, directory.Municipality, directory.Partner} {
		if types[ty] == 0 {
			t.Errorf("no unit of type %s", ty)
		}
	}
	emails := map[string]bool{}
	for _, p := range d.People() {
		if !fiction(p.Mobile) || !strings.HasSuffix(p.Email, ".example") || emails[p.Email] {
			t.Errorf("person %s: %s %s is not made up or not unique", p.ID, p.Mobile, p.Email)
		}
		emails[p.Email] = true
	}
	// Tonight's or today's on-duty deputy answers first in acute care.
	if reach := d.Reach("cs-akutmott", svc.Now()); len(reach) < 3 || reach[0].Role != directory.RoleOnDuty || reach[1].Role != directory.RolePrimary {
		t.Fatalf("reach of cs-akutmott: %+v", reach)
	}
	if got := len(d.Subtree("cs")); got < 40 {
		t.Fatalf("the central hospital has %d units", got)
	}
}

// The demo seeds at any hour: at night today's day shift is over and the
// on-duty overrides move to the next shifts.
func TestSeedAtAnyHour(t *testing.T) {
	sweden, _ := time.LoadLocation("Europe/Stockholm")
	for _, hour := range []int{3, 6, 7, 12, 19, 23} {
		at := time.Date(2026, 11, 23, hour, 30, 0, 0, sweden)
		ctx := context.Background()
		svc, err := app.Open(ctx, app.Config{Dir: t.TempDir(), Log: store.NewMem(), Org: "exempel", Now: func() time.Time { return at }})
		if err != nil {
			t.Fatal(err)
		}
		if err := demo.Seed(ctx, svc); err != nil {
			t.Errorf("seeding at %02d:30: %v", hour, err)
		}
		covered := false
		for _, sh := range svc.P.Units.Shifts("cs-akutmott", at) {
			covered = covered || sh.Covers(at)
		}
		if !covered {
			t.Errorf("at %02d:30 nobody is on duty at the emergency department", hour)
		}
		svc.Close()
	}
}

// seeded opens a service on a temporary directory and seeds the demo.
func seeded(t *testing.T) *app.App {
	t.Helper()
	ctx := context.Background()
	svc, err := app.Open(ctx, app.Config{Dir: t.TempDir(), Log: store.NewMem(), Org: "exempel"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(svc.Close)
	if err := demo.Seed(ctx, svc); err != nil {
		t.Fatal(err)
	}
	return svc
}

// Four eyes can be exercised in the demo: two accounts hold the approving
// function, so that what one writes the other approves.
func TestSeedHasTwoApprovers(t *testing.T) {
	svc := seeded(t)
	staff := auth.Principal{Username: "tib", Role: auth.Staff}
	approvers, err := svc.Auth.Approvers(staff, nil)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, u := range approvers {
		names = append(names, u.Username)
	}
	if !slices.Contains(names, "stabschef") || !slices.Contains(names, "stabschef2") {
		t.Fatalf("the demo's approvers: %v; want stabschef and stabschef2", names)
	}
	others, _ := svc.Auth.Approvers(staff, []string{"stabschef"})
	if len(others) == 0 {
		t.Fatal("under four eyes no one could approve what stabschef writes")
	}
}

// The demo's registry is seeded and the exercises have their outages: the
// Kronoberg exercise's DNS breaks the routines that need the network and
// spares the paper ones; the ransomware exercise takes down the journal.
func TestSeedHasTheContinuityRegistryAndItsOutages(t *testing.T) {
	svc := seeded(t)
	viewer := auth.Principal{Username: "v", Role: auth.Viewer}
	comps, err := svc.Continuity.Components(viewer)
	if err != nil || len(comps) < 80 {
		t.Fatalf("registry: %d components, %v", len(comps), err)
	}
	incs, err := svc.Incidents.List(viewer)
	if err != nil {
		t.Fatal(err)
	}
	var kronoberg, journal incident.ID
	for _, inc := range incs {
		switch {
		case strings.Contains(inc.Title, "DNS"):
			kronoberg = inc.ID
		case strings.Contains(inc.Title, "journalsystemet"):
			journal = inc.ID
		}
	}
	rep, err := svc.Continuity.Impact(viewer, kronoberg, incident.AsOf{})
	if err != nil {
		t.Fatal(err)
	}
	broken, working := 0, 0
	for _, rt := range rep.Routines {
		if rt.Works {
			working++
		} else {
			broken++
		}
	}
	if broken == 0 || working == 0 || len(rep.Units) == 0 {
		t.Errorf("DNS down: %d routines broken, %d working, %d units affected; want some of each", broken, working, len(rep.Units))
	}
	rep, err = svc.Continuity.Impact(viewer, journal, incident.AsOf{})
	if err != nil {
		t.Fatal(err)
	}
	down := map[string]bool{}
	for _, c := range rep.Components {
		down[c.ID] = c.Status == continuity.Down
	}
	if !down["journal"] {
		t.Errorf("the supplier's operations down leave the journal system up: %+v", rep.Components)
	}
}
