package continuity_test

import (
	"context"
	"strings"
	"testing"

	"fyr/internal/auth"
	"fyr/internal/continuity"
	"fyr/internal/fail"
	"fyr/internal/fyrtest"
)

// registry starts Fyr on the in-memory log with a small registry: DNS and
// AD need each other (a cycle), the journal runs on the data centre and
// needs DNS, two redundant internet links, Avdelning 1 uses the journal.
func registry(t *testing.T) (*fyrtest.Env, auth.Principal) {
	t.Helper()
	env := fyrtest.Start(t)
	admin := env.Principal(auth.Admin)
	ctx := context.Background()
	for _, c := range []continuity.Component{
		{ID: "dns", Kind: continuity.Infrastructure, Name: "DNS"},
		{ID: "ad", Kind: continuity.Infrastructure, Name: "AD"},
		{ID: "dc1", Kind: continuity.Infrastructure, Name: "Datahall 1"},
		{ID: "link-a", Kind: continuity.Infrastructure, Name: "Internetlänk A"},
		{ID: "link-b", Kind: continuity.Infrastructure, Name: "Internetlänk B"},
		{ID: "cosmic", Kind: continuity.System, Name: "Cosmic", Owner: "IT", Criticality: continuity.Critical, MaxOutage: "4h"},
		{ID: "cambio", Kind: continuity.Supplier, Name: "Cambio", ContactName: "Jour", ContactPhone: "+46701234567"},
		{ID: "paper", Kind: continuity.Function, Name: "Pappersjournal"},
	} {
		if _, err := env.Svc.Continuity.SaveComponent(ctx, admin, c); err != nil {
			t.Fatalf("save %s: %v", c.ID, err)
		}
	}
	for _, d := range []continuity.Dependency{
		{From: "dns", To: "ad", Type: continuity.Needs},
		{From: "ad", To: "dns", Type: continuity.Needs}, // the cycle: accepted
		{From: "cosmic", To: "dc1", Type: continuity.RunsOn},
		{From: "cosmic", To: "dns", Type: continuity.Needs},
		{From: "cosmic", To: "cambio", Type: continuity.SuppliedBy},
		{From: "cosmic", To: "link-a", Type: continuity.Needs, Group: "internet", Mode: continuity.Any},
		{From: "cosmic", To: "link-b", Type: continuity.Needs, Group: "internet", Mode: continuity.Any},
		{From: "cosmic", To: "avd1", Type: continuity.UsedBy},
	} {
		if _, err := env.Svc.Continuity.AddDependency(ctx, admin, d); err != nil {
			t.Fatalf("add %v: %v", d, err)
		}
	}
	if _, err := env.Svc.Continuity.SaveRoutine(ctx, admin, continuity.Routine{ID: "journal-paper", Title: "Journal på papper",
		Steps: []string{"Hämta pärmen", " ", "Skriv för hand"}, For: []string{"cosmic"}, Needs: []string{"paper"}}); err != nil {
		t.Fatalf("save routine: %v", err)
	}
	return env, admin
}

func TestTheRegistryKeepsComponentsDependenciesAndRoutines(t *testing.T) {
	t.Parallel()
	env, _ := registry(t)
	for _, role := range auth.Roles { // every logged-in user reads it
		p := env.Principal(role)
		cs, err := env.Svc.Continuity.Components(p)
		if err != nil || len(cs) != 8 {
			t.Fatalf("%s: %d components, %v", role, len(cs), err)
		}
		ds, err := env.Svc.Continuity.Dependencies(p)
		if err != nil || len(ds) != 8 {
			t.Fatalf("%s: %d dependencies, %v", role, len(ds), err)
		}
		rs, err := env.Svc.Continuity.Routines(p)
		if err != nil || len(rs) != 1 {
			t.Fatalf("%s: %d routines, %v", role, len(rs), err)
		}
		if got := rs[0].Steps; len(got) != 2 || got[1] != "Skriv för hand" {
			t.Errorf("steps kept as %q, want the two non-blank ones", got)
		}
	}
	cs, _ := env.Svc.Continuity.Components(env.Principal(auth.Viewer))
	if cs[0].Criticality != continuity.Medium || cs[5].Criticality != continuity.Critical || cs[5].MaxOutage != "4h" {
		t.Errorf("criticality defaults to medium and is kept: %+v %+v", cs[0], cs[5])
	}
}

func TestOnlyAdministratorsKeepTheRegistry(t *testing.T) {
	t.Parallel()
	env, _ := registry(t)
	ctx := context.Background()
	for _, role := range []auth.Role{auth.Staff, auth.Unit, auth.Viewer} {
		p := env.Principal(role)
		_, err1 := env.Svc.Continuity.SaveComponent(ctx, p, continuity.Component{ID: "x", Kind: continuity.System, Name: "X"})
		_, err2 := env.Svc.Continuity.AddDependency(ctx, p, continuity.Dependency{From: "cosmic", To: "paper", Type: continuity.Needs})
		_, err3 := env.Svc.Continuity.SaveRoutine(ctx, p, continuity.Routine{ID: "r", Title: "R", Steps: []string{"s"}, For: []string{"dns"}})
		_, err4 := env.Svc.Continuity.ImportCSV(ctx, &p, []byte("id,kind,name\ny,system,Y\n"), nil)
		for i, err := range []error{err1, err2, err3, err4} {
			if !fail.Is(err, fail.Forbidden) {
				t.Errorf("%s, command %d: %v, want forbidden", role, i+1, err)
			}
		}
	}
	if cs, _ := env.Svc.Continuity.Components(env.Principal(auth.Admin)); len(cs) != 8 {
		t.Errorf("%d components after the refusals, want 8", len(cs))
	}
}

// Every bad command is refused naming the field, and changes nothing.
func TestBadRegistryInputIsRefusedNamingTheField(t *testing.T) {
	t.Parallel()
	env, admin := registry(t)
	ctx := context.Background()
	svc := env.Svc.Continuity
	dep := func(d continuity.Dependency) error { _, err := svc.AddDependency(ctx, admin, d); return err }
	rt := func(r continuity.Routine) error { _, err := svc.SaveRoutine(ctx, admin, r); return err }
	comp := func(c continuity.Component) error { _, err := svc.SaveComponent(ctx, admin, c); return err }
	for _, c := range []struct {
		name, field string
		err         error
	}{
		{"unknown component", "to", dep(continuity.Dependency{From: "cosmic", To: "nope", Type: continuity.Needs})},
		{"unknown from", "from", dep(continuity.Dependency{From: "nope", To: "dns", Type: continuity.Needs})},
		{"unknown unit", "from", dep(continuity.Dependency{From: "avd99", To: "cosmic", Type: continuity.UsedBy})},
		{"unknown type", "type", dep(continuity.Dependency{From: "cosmic", To: "paper", Type: "eats"})},
		{"unknown mode", "mode", dep(continuity.Dependency{From: "cosmic", To: "paper", Type: continuity.Needs, Mode: "some"})},
		{"self", "to", dep(continuity.Dependency{From: "dns", To: "dns", Type: continuity.Needs})},
		{"unit on unit", "to", dep(continuity.Dependency{From: "avd1", To: "sjukhus", Type: continuity.UsedBy})},
		{"needs a unit", "to", dep(continuity.Dependency{From: "cosmic", To: "avd1", Type: continuity.Needs})},
		{"mixed modes", "mode", dep(continuity.Dependency{From: "cosmic", To: "paper", Type: continuity.Needs, Group: "internet", Mode: continuity.All})},
		{"mixed modes, default", "mode", dep(continuity.Dependency{From: "cosmic", To: "dc1", Type: continuity.HostedBy, Group: "internet"})},
		{"no steps", "steps", rt(continuity.Routine{ID: "r", Title: "R", Steps: []string{" "}, For: []string{"cosmic"}})},
		{"needs unknown", "needs", rt(continuity.Routine{ID: "r", Title: "R", Steps: []string{"s"}, For: []string{"cosmic"}, Needs: []string{"fax"}})},
		{"for unknown", "for", rt(continuity.Routine{ID: "r", Title: "R", Steps: []string{"s"}, For: []string{"fax"}})},
		{"routine no title", "title", rt(continuity.Routine{ID: "r", Steps: []string{"s"}, For: []string{"cosmic"}})},
		{"bad kind", "kind", comp(continuity.Component{ID: "x", Kind: "gadget", Name: "X"})},
		{"bad id", "id", comp(continuity.Component{ID: "X Y", Kind: continuity.System, Name: "X"})},
		{"unit id", "id", comp(continuity.Component{ID: "avd1", Kind: continuity.System, Name: "X"})},
		{"bad outage", "max_outage", comp(continuity.Component{ID: "x", Kind: continuity.System, Name: "X", MaxOutage: "soon"})},
		{"bad criticality", "criticality", comp(continuity.Component{ID: "x", Kind: continuity.System, Name: "X", Criticality: "vital"})},
		{"no name", "name", comp(continuity.Component{ID: "x", Kind: continuity.System})},
	} {
		if e := fail.As(c.err); c.err == nil || e.Code != fail.Invalid || e.Field != c.field {
			t.Errorf("%s: %v (field %q), want invalid %s", c.name, c.err, e.Field, c.field)
		}
	}
	p := env.Principal(auth.Viewer)
	cs, _ := svc.Components(p)
	ds, _ := svc.Dependencies(p)
	rs, _ := svc.Routines(p)
	if len(cs) != 8 || len(ds) != 8 || len(rs) != 1 {
		t.Errorf("after the refusals: %d components, %d dependencies, %d routines; want 8, 8, 1", len(cs), len(ds), len(rs))
	}
}

// Saving a dependency again replaces its group and mode; a unit may be
// named on either side of used_by.
func TestADependencySavedAgainReplacesItsGroup(t *testing.T) {
	t.Parallel()
	env, admin := registry(t)
	ctx := context.Background()
	svc := env.Svc.Continuity
	if _, err := svc.AddDependency(ctx, admin, continuity.Dependency{From: "avd1", To: "paper", Type: continuity.UsedBy}); err != nil {
		t.Fatalf("unit used_by component: %v", err)
	}
	if _, err := svc.AddDependency(ctx, admin, continuity.Dependency{From: "cosmic", To: "dns", Type: continuity.Needs, Group: "names", Mode: continuity.Any}); err != nil {
		t.Fatal(err)
	}
	ds, _ := svc.Dependencies(admin)
	if len(ds) != 9 || ds[3].Group != "names" || ds[3].Mode != continuity.Any {
		t.Errorf("got %d dependencies, the fourth %+v", len(ds), ds[3])
	}
}

// The demo's seeding calls the exported imports with the files' bytes and
// no caller: routines are saved all or nothing.
func TestImportsTakeTheFilesBytes(t *testing.T) {
	t.Parallel()
	env := fyrtest.Start(t)
	ctx := context.Background()
	svc := env.Svc.Continuity
	sum, err := svc.ImportCSV(ctx, nil, []byte("id,kind,name,owner,contact_name,contact_phone,criticality,max_outage,note\n"+
		"dns,infrastructure,DNS,IT,,,critical,1h,\ncosmic,system,Cosmic,IT,,,,,\npaper,function,Papper,,,,,,\n"),
		[]byte("from,to,type,group,mode\ncosmic,dns,needs,,\navd1,cosmic,used_by,,\n"))
	if err != nil || sum != (continuity.ImportSummary{ComponentsAdded: 3, DependenciesAdded: 2}) {
		t.Fatalf("import: %+v %v", sum, err)
	}
	bad := `[{"id":"a","title":"A","steps":["s"],"for":["cosmic"],"needs":["paper"]},{"id":"b","title":"B","steps":[],"for":["cosmic"]}]`
	if _, err := svc.ImportRoutines(ctx, nil, []byte(bad)); fail.As(err).Field != "file" || !strings.Contains(err.Error(), "routine 2 (b): steps") {
		t.Errorf("a routine without steps: %v", err)
	}
	if rs, _ := svc.Routines(env.Principal(auth.Viewer)); len(rs) != 0 {
		t.Errorf("%d routines saved from a refused file", len(rs))
	}
	if n, err := svc.ImportRoutines(ctx, nil, []byte(bad[:strings.Index(bad, `,{"id":"b"`)]+"]")); err != nil || n != 1 {
		t.Errorf("one good routine: %d %v", n, err)
	}
	rep, err := svc.WhatIf(env.Principal(auth.Unit), []string{"dns"})
	if err != nil || len(rep.Units) != 1 || len(rep.Routines) != 1 || !rep.Routines[0].Works {
		t.Errorf("what-if after the imports: %+v %v", rep, err)
	}
}
