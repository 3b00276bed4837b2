package continuity_test

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"fyr/internal/auth"
	"fyr/internal/continuity"
	"fyr/internal/directory"
	"fyr/internal/fyrtest"
)

// graph builds a snapshot from "from type to" lines, a component for every
// id that is not a unit (units start with "u-"); "from needs to any:g"
// puts the dependency in group g of mode any, "all:g" of mode all.
func graph(lines ...string) continuity.Snapshot {
	var s continuity.Snapshot
	seen := map[string]bool{}
	comp := func(id string) {
		if !seen[id] && !strings.HasPrefix(id, "u-") {
			seen[id] = true
			s.Components = append(s.Components, continuity.Component{ID: id, Kind: continuity.System, Name: strings.ToUpper(id)})
		}
	}
	for _, l := range lines {
		f := strings.Fields(l)
		if len(f) == 1 {
			comp(f[0])
			continue
		}
		d := continuity.Dependency{From: f[0], Type: continuity.DepType(f[1]), To: f[2]}
		if len(f) == 4 {
			mode, group, _ := strings.Cut(f[3], ":")
			d.Mode, d.Group = continuity.Mode(mode), group
		}
		comp(d.From)
		comp(d.To)
		s.Dependencies = append(s.Dependencies, d)
	}
	return s
}

// flat writes an impact's components and units as "id status path…",
// sorted, for comparing.
func flat(imp continuity.Impact) []string {
	var out []string
	for _, a := range slices.Concat(imp.Components, imp.Units) {
		out = append(out, fmt.Sprintf("%s %s %s", a.ID, a.Status, strings.Join(a.Path, ">")))
	}
	sort.Strings(out)
	return out
}

func TestImpact(t *testing.T) {
	t.Parallel()
	down, degraded := continuity.Down, continuity.Degraded
	for _, c := range []struct {
		name     string
		snap     continuity.Snapshot
		statuses map[string]continuity.Status
		want     []string
	}{
		{"a chain, from a unit to DNS", graph("u-avd12 used_by lakemedel", "lakemedel runs_on cosmic", "cosmic needs dns", "other"),
			map[string]continuity.Status{"dns": down},
			[]string{"cosmic down cosmic>dns", "dns down dns", "lakemedel down lakemedel>cosmic>dns", "u-avd12 down u-avd12>lakemedel>cosmic>dns"}},
		{"used_by read from the component's side", graph("cosmic used_by u-avd1", "pacs used_by rontgen"),
			map[string]continuity.Status{"cosmic": down, "pacs": down},
			[]string{"cosmic down cosmic", "pacs down pacs", "rontgen down rontgen>pacs", "u-avd1 down u-avd1>cosmic"}},
		{"a cycle ends", graph("dns needs ad", "ad needs dns", "cosmic needs ad"),
			map[string]continuity.Status{"dns": down},
			[]string{"ad down ad>dns", "cosmic down cosmic>ad>dns", "dns down dns"}},
		{"a cycle, degraded", graph("dns needs ad", "ad needs dns"),
			map[string]continuity.Status{"ad": degraded},
			[]string{"ad degraded ad", "dns degraded dns>ad"}},
		{"a diamond: one path, of the shortest length", graph("top needs left", "top needs right", "left needs base", "right needs base"),
			map[string]continuity.Status{"base": down},
			[]string{"base down base", "left down left>base", "right down right>base", "top down top>left>base"}},
		{"the shortest path wins over a long one", graph("a needs x", "x needs y", "y needs root", "a needs root"),
			map[string]continuity.Status{"root": down},
			[]string{"a down a>root", "root down root", "x down x>y>root", "y down y>root"}},
		{"unreachable parts are not affected", graph("a needs b", "c needs d", "d needs c", "u-x used_by c"),
			map[string]continuity.Status{"b": down},
			[]string{"a down a>b", "b down b"}},
		{"up changes nothing", graph("a needs b"),
			map[string]continuity.Status{"b": continuity.Up}, nil},
		{"any: one of two links down degrades", graph("cosmic needs link-a any:net", "cosmic needs link-b any:net", "u-avd used_by cosmic"),
			map[string]continuity.Status{"link-a": down},
			[]string{"cosmic degraded cosmic>link-a", "link-a down link-a", "u-avd degraded u-avd>cosmic>link-a"}},
		{"any: both links down breaks", graph("cosmic needs link-a any:net", "cosmic needs link-b any:net"),
			map[string]continuity.Status{"link-a": down, "link-b": down},
			[]string{"cosmic down cosmic>link-a", "link-a down link-a", "link-b down link-b"}},
		{"any: one degraded degrades", graph("cosmic needs link-a any:net", "cosmic needs link-b any:net"),
			map[string]continuity.Status{"link-b": degraded},
			[]string{"cosmic degraded cosmic>link-b", "link-b degraded link-b"}},
		{"all: one member down breaks", graph("cosmic needs dc1 all:dc", "cosmic needs dc2 all:dc"),
			map[string]continuity.Status{"dc2": down},
			[]string{"cosmic down cosmic>dc2", "dc2 down dc2"}},
		{"all: one member degraded degrades", graph("cosmic needs dc1", "cosmic needs dc2"),
			map[string]continuity.Status{"dc1": degraded},
			[]string{"cosmic degraded cosmic>dc1", "dc1 degraded dc1"}},
		{"a down item is explained by a down component, not a nearer degraded one",
			graph("x needs slow", "x needs q", "q needs dead"),
			map[string]continuity.Status{"slow": degraded, "dead": down},
			[]string{"dead down dead", "q down q>dead", "slow degraded slow", "x down x>q>dead"}},
		{"recorded degraded but down through a dependency", graph("cosmic needs dns"),
			map[string]continuity.Status{"cosmic": degraded, "dns": down},
			[]string{"cosmic down cosmic>dns", "dns down dns"}},
		{"status only gets worse: recorded up stays down", graph("cosmic needs dns"),
			map[string]continuity.Status{"cosmic": continuity.Up, "dns": down},
			[]string{"cosmic down cosmic>dns", "dns down dns"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := flat(continuity.Compile(c.snap).Impact(c.statuses))
			if !slices.Equal(got, c.want) {
				t.Errorf("got\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(c.want, "\n  "))
			}
		})
	}
}

// The Kronoberg lesson: DNS down; the routine for the lab that needs the
// network does not work, the one that needs only paper does.
func TestRoutineCheckKronoberg(t *testing.T) {
	t.Parallel()
	s := graph("network needs dns", "lab needs dns", "lab runs_on dc1", "paper", "fax needs network", "wifi needs network", "xray")
	s.Routines = []continuity.Routine{
		{ID: "lab-by-fax", Title: "Labbremiss via fax", Steps: []string{"s"}, For: []string{"lab"}, Needs: []string{"fax", "paper"}},
		{ID: "lab-on-paper", Title: "Labbremiss på papper", Steps: []string{"s"}, For: []string{"lab"}, Needs: []string{"paper"}},
		{ID: "lab-over-wifi", Title: "Labb på surfplatta", Steps: []string{"s"}, For: []string{"lab"}, Needs: []string{"wifi"}},
		{ID: "xray-paper", Title: "Röntgen på papper", Steps: []string{"s"}, For: []string{"xray"}, Needs: []string{"paper"}},
	}
	imp := continuity.Compile(s).Impact(map[string]continuity.Status{"dns": continuity.Down})
	var got []string
	for _, r := range imp.Routines {
		got = append(got, fmt.Sprintf("%s works=%v broken_by=%s path=%s for=%s", r.ID, r.Works, r.BrokenBy, strings.Join(r.Path, ">"), strings.Join(r.NeededBy, ",")))
	}
	want := []string{ // broken first
		"lab-by-fax works=false broken_by=dns path=lab-by-fax>fax>network>dns for=lab",
		"lab-over-wifi works=false broken_by=dns path=lab-over-wifi>wifi>network>dns for=lab",
		"lab-on-paper works=true broken_by= path= for=lab",
	}
	if !slices.Equal(got, want) {
		t.Errorf("got\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

// A routine that needs something degraded works, at risk, and says what.
func TestRoutineAtRisk(t *testing.T) {
	t.Parallel()
	s := graph("lab needs dns", "phone needs pbx", "paper")
	s.Routines = []continuity.Routine{{ID: "call-lab", Title: "Ring labbet", Steps: []string{"s"}, For: []string{"lab"}, Needs: []string{"phone", "paper"}}}
	imp := continuity.Compile(s).Impact(map[string]continuity.Status{"dns": continuity.Down, "pbx": continuity.Degraded})
	if len(imp.Routines) != 1 {
		t.Fatalf("routines: %+v", imp.Routines)
	}
	r := imp.Routines[0]
	if !r.Works || r.BrokenBy != "" || r.AtRisk != "pbx" || strings.Join(r.Path, ">") != "call-lab>phone>pbx" {
		t.Errorf("got %+v", r)
	}
}

// big is a registry of the benchmark's size: n components in layers (the
// first ones infrastructure, depended on by many), deps dependencies
// between them (some upwards, so that there are cycles, and some in any
// groups), and units using functions and systems.
func big(n, deps, units int) continuity.Snapshot {
	rng := rand.New(rand.NewPCG(1, 2))
	var s continuity.Snapshot
	for i := range n {
		s.Components = append(s.Components, continuity.Component{ID: fmt.Sprintf("c%d", i), Kind: continuity.System, Name: fmt.Sprintf("C %d", i)})
	}
	seen := map[[2]int]bool{}
	unitDeps := units * 5
	for len(s.Dependencies) < deps-unitDeps {
		from := 1 + rng.IntN(n-1)
		to := rng.IntN(from) // mostly towards the infrastructure
		if rng.IntN(50) == 0 {
			to = from + rng.IntN(n-from) // now and then upwards: cycles
		}
		if to == from || seen[[2]int{from, to}] {
			continue
		}
		seen[[2]int{from, to}] = true
		d := continuity.Dependency{From: fmt.Sprintf("c%d", from), To: fmt.Sprintf("c%d", to), Type: continuity.Needs}
		if rng.IntN(10) == 0 {
			d.Group, d.Mode = "redundant", continuity.Any
		}
		s.Dependencies = append(s.Dependencies, d)
	}
	used := map[[2]int]bool{}
	for len(s.Dependencies) < deps {
		u, c := rng.IntN(units), n-1-rng.IntN(n/2)
		if used[[2]int{u, c}] {
			continue
		}
		used[[2]int{u, c}] = true
		s.Dependencies = append(s.Dependencies, continuity.Dependency{From: fmt.Sprintf("u-%d", u),
			To: fmt.Sprintf("c%d", c), Type: continuity.UsedBy})
	}
	for i := range 50 {
		s.Routines = append(s.Routines, continuity.Routine{ID: fmt.Sprintf("r%d", i), Title: "R", Steps: []string{"s"},
			For: []string{fmt.Sprintf("c%d", n-1-i)}, Needs: []string{fmt.Sprintf("c%d", rng.IntN(n))}})
	}
	return s
}

// BenchmarkImpact: the impact of one status change (a component low in
// the graph going down) on 5,000 components, 20,000 dependencies and 300
// units, over the graph compiled once per registry version. Reports the
// median and the 99th percentile of one computation.
func BenchmarkImpact(b *testing.B) {
	g := continuity.Compile(big(5000, 20000, 300))
	statuses := map[string]continuity.Status{"c3": continuity.Down}
	imp := g.Impact(statuses)
	b.Logf("affected: %d components, %d units, %d routines", len(imp.Components), len(imp.Units), len(imp.Routines))
	var times []time.Duration
	// The CPU time of this thread as well as the wall time: on a shared
	// machine under load the wall time's tail is mostly waiting for a core.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	cpu0 := threadCPU()
	b.ResetTimer()
	for b.Loop() {
		start := time.Now()
		g.Impact(statuses)
		times = append(times, time.Since(start))
	}
	b.ReportMetric(float64((threadCPU()-cpu0).Nanoseconds())/float64(len(times)), "cpu-ns/op")
	slices.Sort(times)
	b.ReportMetric(float64(times[len(times)/2].Nanoseconds()), "p50-ns")
	b.ReportMetric(float64(times[len(times)*99/100].Nanoseconds()), "p99-ns")
}

// BenchmarkCompile: compiling the graph, once per registry version.
func BenchmarkCompile(b *testing.B) {
	s := big(5000, 20000, 300)
	for b.Loop() {
		continuity.Compile(s)
	}
}

var testTime = time.Date(2018, 9, 21, 3, 0, 0, 0, time.UTC)

// BenchmarkWhatIf: the same registry kept through the service (imported,
// 300 units in the directory), and the what-if of the same component down
// through Service.WhatIf: the computation with the names, the hospitals
// and the sorting an API answer carries.
func BenchmarkWhatIf(b *testing.B) {
	env := fyrtest.Start(b)
	ctx := context.Background()
	s := big(5000, 20000, 300)
	for u := range 300 {
		if err := env.Svc.Directory.AddUnit(ctx, "bench", directory.Unit{ID: fmt.Sprintf("u-%d", u), Name: fmt.Sprintf("Avdelning %d", u),
			Type: directory.Ward, Parent: fyrtest.Hospital}); err != nil {
			b.Fatal(err)
		}
	}
	var comps, deps bytes.Buffer
	if err := continuity.WriteComponentsCSV(&comps, s.Components, ','); err != nil {
		b.Fatal(err)
	}
	if err := continuity.WriteDependenciesCSV(&deps, s.Dependencies, ','); err != nil {
		b.Fatal(err)
	}
	if _, err := env.Svc.Continuity.ImportCSV(ctx, nil, comps.Bytes(), deps.Bytes()); err != nil {
		b.Fatal(err)
	}
	p := env.Principal(auth.Staff)
	rep, err := env.Svc.Continuity.WhatIf(p, []string{"c3"})
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("affected: %d components, %d units", len(rep.Components), len(rep.Units))
	var times []time.Duration
	b.ResetTimer()
	for b.Loop() {
		start := time.Now()
		if _, err := env.Svc.Continuity.WhatIf(p, []string{"c3"}); err != nil {
			b.Fatal(err)
		}
		times = append(times, time.Since(start))
	}
	slices.Sort(times)
	b.ReportMetric(float64(times[len(times)/2].Nanoseconds()), "p50-ns")
	b.ReportMetric(float64(times[len(times)*99/100].Nanoseconds()), "p99-ns")
}

// threadCPU is the CPU time the calling OS thread has used.
func threadCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(1 /* RUSAGE_THREAD */, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
