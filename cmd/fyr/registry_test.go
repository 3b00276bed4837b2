package main

import (
	"strings"
	"testing"
)

func TestImportRegistry(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	units := writeFile(t, "enheter.csv", "id,name,type,parent,phone,email,primary,deputies\n"+
		"region,Region Exempel,region,,,,,\ncs,Centralsjukhuset,hospital,region,,,,\ncs-avd12,Avd 12,ward,cs,,,,\n")
	if code, _, stderr := runCLI(t, nil, "import", "units", units, "--data", dir); code != 0 {
		t.Fatalf("units: %d %s", code, stderr)
	}
	comps := writeFile(t, "komponenter.csv", "id;kind;name;owner;contact_name;contact_phone;criticality;max_outage;note\n"+
		"dns;infrastructure;DNS;IT;;;critical;1h;\ncosmic;system;Cosmic;IT;Cambio jour;+46701234567;critical;4h;\n"+
		"lakemedel;function;Läkemedelsordination;;;;;;\npaper;function;Papper;;;;low;;\n")
	deps := writeFile(t, "beroenden.csv", "from,to,type,group,mode\ncosmic,dns,needs,,\nlakemedel,cosmic,runs_on,,\ncs-avd12,lakemedel,used_by,,\n")
	routines := writeFile(t, "rutiner.json", `[{"id":"paper-med","title":"Läkemedel på papper","steps":["Använd blankett"],"for":["lakemedel"],"needs":["paper"]}]`)
	// Bad rows in both files: each printed with its file, line and field; nothing imported.
	badComps := writeFile(t, "fel.csv", "id,kind,name\nlab,system,Labb\nrakel,radio,Rakel\n")
	badDeps := writeFile(t, "felberoenden.csv", "from,to,type\nlab,cs-avd12,used_by\nlab,nowhere,needs\n")
	code, out, stderr := runCLI(t, nil, "import", "registry", "components", badComps, "dependencies", badDeps, "--data", dir)
	for _, want := range []string{"2 problems; nothing was imported", badComps + ":3: kind:", badDeps + ":3: to: unknown component \"nowhere\""} {
		if !strings.Contains(stderr, want) {
			t.Errorf("bad import (exit %d) does not say %q:\n%s", code, want, stderr)
		}
	}
	if code != 1 || out != "" {
		t.Fatalf("bad import: exit %d, stdout %q", code, out)
	}
	code, out, stderr = runCLI(t, nil, "import", "registry", "components", comps, "dependencies", deps, "routines", routines, "--data", dir)
	if code != 0 || !strings.Contains(out, "4 components added, 0 updated; 3 dependencies added") || !strings.Contains(out, "saved: 1 routines") {
		t.Fatalf("import: %d %q %q", code, out, stderr)
	}
	// The refused import left nothing: lab is unknown now too.
	code, _, stderr = runCLI(t, nil, "import", "registry", "dependencies", badDeps, "--data", dir)
	if code != 1 || !strings.Contains(stderr, badDeps+":2: from: unknown component or unit \"lab\"") {
		t.Errorf("lab after the refused import: %d %s", code, stderr)
	}
	for _, args := range [][]string{{"import", "registry"}, {"import", "registry", "components"}, {"import", "registry", "rooms", comps},
		{"import", "registry", "components", comps, "components", comps}} {
		if code, _, _ := runCLI(t, nil, append(args, "--data", dir)...); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
}
