package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestImportExportCommands(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	units := writeFile(t, "enheter.csv", "\ufeffid;name;type;parent;phone;email;primary;deputies\r\n"+
		"region;Region Exempel;region;;;;;\r\n"+
		"cs;Centralsjukhuset;sjukhus;region;08-123 456 78;vaxel@cs.example;p1;p2\r\n"+
		"cs-iva;IVA;avdelning;cs;;;p2;\r\n")
	people := writeFile(t, "personer.csv", "id,name,unit,function,mobile,email\n"+
		"p1,Anna Andersson,cs,Chefläkare,070-174 06 05,anna@cs.example\n"+
		"p2,Bo Berg,cs-iva,Avdelningschef,+46 (0)70 174 06 06,\n")
	// Units name people of the other file: one import.
	code, out, stderr := runCLI(t, nil, "import", "units", units, "people", people, "--data", dir)
	if code != 0 || !strings.Contains(out, "3 units added") || !strings.Contains(out, "2 people added") {
		t.Fatalf("import: %d %q %q", code, out, stderr)
	}
	// Bad rows: every one printed with its file, line and field; nothing written.
	bad := writeFile(t, "fel.csv", "id,name,type,parent,phone,email,primary,deputies\n"+
		"cs,Centralsjukhuset,hospital,region,08-123 456 78,,p1,\n"+
		"w1,Avdelning 1,ward,nowhere,,,,\n"+
		"w2,Avdelning 2,ward,cs,070-12,,,\n"+
		"w3,Avdelning 3,ward,cs,,w3@,p9,\n")
	code, out, stderr = runCLI(t, nil, "import", "units", bad, "--data", dir)
	for _, want := range []string{"4 problems; nothing was imported", bad + ":3: parent: unknown parent \"nowhere\"",
		bad + ":4: phone:", bad + ":5: email:", bad + ":5: primary: unknown person \"p9\""} {
		if !strings.Contains(stderr, want) {
			t.Errorf("bad import (exit %d) does not say %q:\n%s", code, want, stderr)
		}
	}
	if code != 1 || out != "" {
		t.Fatalf("bad import: exit %d, stdout %q", code, out)
	}
	latin1 := writeFile(t, "latin1.csv", "id,name,type,parent,phone,email,primary,deputies\nw1,Avdelning \xc5,ward,cs,,,,\n")
	if code, _, stderr := runCLI(t, nil, "import", "units", latin1, "--data", dir); code != 1 || !strings.Contains(stderr, "export as 'CSV UTF-8'") {
		t.Fatalf("latin-1 file: %d %q", code, stderr)
	}
	header := writeFile(t, "header.csv", "id,namn,unit,function,mobile,email\n")
	if code, _, stderr := runCLI(t, nil, "import", "people", header, "--data", dir); code != 1 || !strings.Contains(stderr, `missing column "name"`) || !strings.Contains(stderr, `unknown column "namn"`) {
		t.Fatalf("wrong header: %d %q", code, stderr)
	}
	for _, args := range [][]string{{"import"}, {"import", "units"}, {"import", "rooms", units}, {"import", "units", units, "units", units},
		{"export"}, {"export", "rooms"}, {"export", "units", "--sep", "|"}} {
		if code, _, _ := runCLI(t, nil, append(args, "--data", dir)...); code != 2 {
			t.Errorf("%v: exit %d, want 2 (usage)", args, code)
		}
	}
	// The log holds the one good import, and it verifies.
	if code, out, _ := runCLI(t, nil, "verify", "--data", dir); code != 0 || !strings.Contains(out, "OK: 1 events") {
		t.Fatalf("verify: %d %s", code, out)
	}
	// Export writes what import reads.
	code, exported, stderr := runCLI(t, nil, "export", "units", "--data", dir, "--sep", ";")
	// Every cell quoted; a phone number is text ('+46…), never a formula.
	if code != 0 || !strings.HasPrefix(exported, "\ufeff\"id\";\"name\";\"type\";\"parent\";\"phone\";\"email\";\"primary\";\"deputies\";\"webhook\"\r\n") ||
		!strings.Contains(exported, `"cs";"Centralsjukhuset";"hospital";"region";"'+46812345678";"vaxel@cs.example";"p1";"p2";""`+"\r\n") {
		t.Fatalf("export units: %d %q %q", code, exported, stderr)
	}
	code, exportedPeople, _ := runCLI(t, nil, "export", "people", "--data", dir)
	if code != 0 || !strings.Contains(exportedPeople, `"p2","Bo Berg","cs-iva","Avdelningschef","'+46701740606",""`+"\r\n") {
		t.Fatalf("export people: %d %q", code, exportedPeople)
	}
	again := t.TempDir()
	code, out, stderr = runCLI(t, nil, "import", "people", writeFile(t, "p.csv", exportedPeople), "units", writeFile(t, "u.csv", exported), "--data", again)
	if code != 0 || !strings.Contains(out, "3 units added") {
		t.Fatalf("import of the export: %d %q %q", code, out, stderr)
	}
	if _, out, _ := runCLI(t, nil, "export", "units", "--data", again, "--sep", ";"); out != exported {
		t.Fatalf("export → import → export differs:\n%s\n%s", out, exported)
	}
}
