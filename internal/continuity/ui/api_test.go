package continuityui_test

import (
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"fyr/internal/auth"
	"fyr/internal/continuity"
	"fyr/internal/fail"
	"fyr/internal/fyrtest"
)

func csv(s string) fyrtest.Raw { return fyrtest.Raw{ContentType: "text/csv", Body: []byte(s)} }

type problemsBody struct {
	Error struct {
		Code     string         `json:"code"`
		Field    string         `json:"field"`
		Problems []fail.Problem `json:"problems"`
	} `json:"error"`
}

// kronoberg keeps a registry over the API in which DNS carries the
// network and the journal, a ward uses medication ordering on the journal,
// and the journal has two backup routines: one needs the fax (on the
// network), the other only paper.
func kronoberg(t *testing.T) (*fyrtest.Env, string) {
	t.Helper()
	env := fyrtest.Start(t)
	admin := env.Token(auth.Admin)
	post := func(path string, body any) {
		t.Helper()
		var e fyrtest.APIError
		if code := env.Do(admin, "POST", path, body, &e); code != 200 {
			t.Fatalf("POST %s %v: %d %+v", path, body, code, e)
		}
	}
	for _, c := range [][3]string{{"dns", "infrastructure", "DNS"}, {"network", "infrastructure", "Internt nät"},
		{"cosmic", "system", "Cosmic"}, {"lakemedel", "function", "Läkemedelsordination"}, {"fax", "infrastructure", "Fax"},
		{"forms", "function", "Pappersblanketter"}, {"pacs", "system", "PACS"}} {
		post("/api/v1/registry/components", map[string]any{"id": c[0], "kind": c[1], "name": c[2]})
	}
	for _, d := range [][3]string{{"network", "needs", "dns"}, {"cosmic", "needs", "dns"}, {"lakemedel", "runs_on", "cosmic"},
		{"avd1", "used_by", "lakemedel"}, {"fax", "needs", "network"}} {
		post("/api/v1/registry/dependencies", map[string]any{"from": d[0], "type": d[1], "to": d[2]})
	}
	post("/api/v1/registry/routines", map[string]any{"id": "fax-lab", "title": "Faxa remisser", "steps": []string{"Fyll i", "Faxa"},
		"for": []string{"cosmic"}, "needs": []string{"fax"}})
	post("/api/v1/registry/routines", map[string]any{"id": "paper-journal", "title": "Pappersjournal", "steps": []string{"Skriv"},
		"for": []string{"cosmic"}, "needs": []string{"forms"}, "paper_copy": "Expeditionen"})
	post("/api/v1/registry/routines", map[string]any{"id": "pacs-cd", "title": "Bilder på cd", "steps": []string{"Bränn"},
		"for": []string{"pacs"}, "needs": []string{"forms"}})
	return env, admin
}

// What-if over the API: DNS down, recording nothing; every role may ask.
func TestWhatIfDNSGoesDown(t *testing.T) {
	t.Parallel()
	env, _ := kronoberg(t)
	viewer := env.Token(auth.Viewer)
	seq := env.Svc.Seq()
	var rep continuity.Report
	if code := env.Do(viewer, "GET", "/api/v1/registry/impact?down=dns", nil, &rep); code != 200 {
		t.Fatalf("impact: %d", code)
	}
	var comps []string
	for _, c := range rep.Components {
		comps = append(comps, c.ID+" "+string(c.Status)+" "+strings.Join(c.Path, ">"))
	}
	want := []string{"dns down dns", "cosmic down cosmic>dns", "network down network>dns", "fax down fax>network>dns", "lakemedel down lakemedel>cosmic>dns"}
	if !slices.Equal(comps, want) {
		t.Errorf("components:\n  %s\nwant\n  %s", strings.Join(comps, "\n  "), strings.Join(want, "\n  "))
	}
	if len(rep.Units) != 1 {
		t.Fatalf("units: %+v", rep.Units)
	}
	u := rep.Units[0]
	if u.ID != "avd1" || u.Name != "Avdelning 1" || u.Hospital != "sjukhus" || u.HospitalName != "Testsjukhuset" ||
		strings.Join(u.PathNames, " → ") != "Avdelning 1 → Läkemedelsordination → Cosmic → DNS" {
		t.Errorf("unit: %+v", u)
	}
	if len(rep.Hospitals) != 1 || rep.Hospitals[0].Down != 1 || rep.Hospitals[0].Name != "Testsjukhuset" {
		t.Errorf("hospitals: %+v", rep.Hospitals)
	}
	var rts []string
	for _, r := range rep.Routines {
		rts = append(rts, fmt.Sprintf("%s works=%v broken_by=%s path=%s", r.ID, r.Works, r.BrokenBy, strings.Join(r.PathNames, " → ")))
	}
	wantR := []string{"fax-lab works=false broken_by=dns path=Faxa remisser → Fax → Internt nät → DNS", "paper-journal works=true broken_by= path="}
	if !slices.Equal(rts, wantR) { // pacs-cd is not needed: PACS is up
		t.Errorf("routines:\n  %s\nwant\n  %s", strings.Join(rts, "\n  "), strings.Join(wantR, "\n  "))
	}
	if env.Svc.Seq() != seq {
		t.Errorf("a what-if wrote to the log: seq %d → %d", seq, env.Svc.Seq())
	}
	var e fyrtest.APIError
	if code := env.Do(viewer, "GET", "/api/v1/registry/impact?down=dns,nope", nil, &e); code != 400 || e.Error.Field != "down" {
		t.Errorf("unknown component: %d %+v", code, e)
	}
	if code := env.Do(viewer, "GET", "/api/v1/registry/impact", nil, &e); code != 400 || e.Error.Field != "down" {
		t.Errorf("nothing down: %d %+v", code, e)
	}
}

// A CSV import with bad rows names every one by line and field and
// imports nothing; a good one imports all, and the export reads back.
func TestRegistryImportIsAllOrNothing(t *testing.T) {
	t.Parallel()
	env, admin := kronoberg(t)
	count := func() (int, int) {
		var cs struct{ Components []continuity.Component }
		var ds struct{ Dependencies []continuity.Dependency }
		env.Do(admin, "GET", "/api/v1/registry/components", nil, &cs)
		env.Do(admin, "GET", "/api/v1/registry/dependencies", nil, &ds)
		return len(cs.Components), len(ds.Dependencies)
	}
	c0, d0 := count()
	bad := "id,kind,name,owner,contact_name,contact_phone,criticality,max_outage,note\n" +
		"lab,system,Labb,IT,,,high,4h,\n" +
		"rakel,radio,Rakel,,,,,,\n" + // line 3: unknown kind
		"lab,system,Labb igen,,,,,,\n" + // line 4: duplicate id
		"tele,system,Telefoni,,,,,soon,\n" + // line 5: bad outage
		"avd1,system,Krock,,,,,,\n" // line 6: a unit's id
	var pb problemsBody
	if code := env.Do(admin, "POST", "/api/v1/registry/import?what=components", csv(bad), &pb); code != 400 {
		t.Fatalf("bad import: %d", code)
	}
	var got []string
	for _, p := range pb.Error.Problems {
		got = append(got, fmt.Sprintf("%s:%d:%s", p.File, p.Line, p.Field))
	}
	if want := []string{"components:3:kind", "components:4:id", "components:5:max_outage", "components:6:id"}; !slices.Equal(got, want) {
		t.Errorf("problems %v, want %v (%+v)", got, want, pb.Error.Problems)
	}
	badDeps := "from;to;type;group;mode\n" +
		"lab;dns;needs;;\n" + // lab is not in the registry: line 2
		"cosmic;network;needs;net;any\n" +
		"cosmic;fax;needs;net;all\n" + // line 4: mixed modes in group net
		"cosmic;cosmic;needs;;\n" + // line 5: self
		"cosmic;dns;eats;;\n" // line 6: unknown type
	pb = problemsBody{}
	if code := env.Do(admin, "POST", "/api/v1/registry/import?what=dependencies", csv(badDeps), &pb); code != 400 {
		t.Fatalf("bad dependencies: %d", code)
	}
	got = nil
	for _, p := range pb.Error.Problems {
		got = append(got, fmt.Sprintf("%s:%d:%s", p.File, p.Line, p.Field))
	}
	if want := []string{"dependencies:2:from", "dependencies:4:mode", "dependencies:5:to", "dependencies:6:type"}; !slices.Equal(got, want) {
		t.Errorf("problems %v, want %v (%+v)", got, want, pb.Error.Problems)
	}
	if c, d := count(); c != c0 || d != d0 {
		t.Fatalf("after refused imports: %d components, %d dependencies; want %d, %d", c, d, c0, d0)
	}
	var sum continuity.ImportSummary
	good := "id,kind,name\nlab,system,Labb\ncosmic,system,Cosmic (Region)\n"
	if code := env.Do(admin, "POST", "/api/v1/registry/import?what=components", csv(good), &sum); code != 200 || sum.ComponentsAdded != 1 || sum.ComponentsUpdated != 1 {
		t.Fatalf("good import: %d %+v", code, sum)
	}
	// Export and import again: the same registry, every row an update.
	for _, what := range []string{"components", "dependencies"} {
		req, _ := http.NewRequest("GET", env.URL+"/api/v1/registry/"+what+".csv?sep=;", nil)
		req.Header.Set("Authorization", "Bearer "+env.Token(auth.Unit))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") {
			t.Fatalf("export %s: %d %s", what, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		sum = continuity.ImportSummary{}
		if code := env.Do(admin, "POST", "/api/v1/registry/import?what="+what, csv(string(body)), &sum); code != 200 ||
			sum.ComponentsAdded+sum.DependenciesAdded != 0 || sum.ComponentsUpdated+sum.DependenciesUpdated == 0 {
			t.Errorf("re-import of the %s export: %d %+v\n%s", what, code, sum, body)
		}
	}
	if c, d := count(); c != c0+1 || d != d0 {
		t.Errorf("after the round trip: %d components, %d dependencies; want %d, %d", c, d, c0+1, d0)
	}
	var e fyrtest.APIError
	if code := env.Do(admin, "POST", "/api/v1/registry/import?what=routines", csv(good), &e); code != 400 || e.Error.Field != "what" {
		t.Errorf("what=routines: %d %+v", code, e)
	}
	if code := env.Do(env.Token(auth.Staff), "POST", "/api/v1/registry/import?what=components", csv(good), &e); code != 403 {
		t.Errorf("staff import: %d", code)
	}
}
