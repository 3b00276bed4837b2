package directory_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"fyr/internal/directory"
	"fyr/internal/event"
	"fyr/internal/fail"
)

// importCSV parses the files ("" for none) and decides the import against d.
func importCSV(d *directory.Directory, units, people string) (directory.ImportSummary, error) {
	var imp directory.Import
	if units != "" {
		u, err := directory.ParseUnits([]byte(units))
		if err != nil {
			return directory.ImportSummary{}, err
		}
		imp = imp.Merge(u)
	}
	if people != "" {
		p, err := directory.ParsePeople([]byte(people))
		if err != nil {
			return directory.ImportSummary{}, err
		}
		imp = imp.Merge(p)
	}
	drafts, sum, err := imp.Decide(d, by)
	if err == nil && len(drafts) != 1 {
		return sum, fmt.Errorf("an import wrote %d events, want one", len(drafts))
	}
	return sum, err
}

const unitsHeader = "id,name,type,parent,phone,email,primary,deputies\n"
const peopleHeader = "id,name,unit,function,mobile,email\n"

func problems(err error) []string {
	var out []string
	for _, p := range fail.As(err).Problems {
		out = append(out, fmt.Sprintf("%s:%d:%s", p.File, p.Line, p.Field))
	}
	return out
}

func TestImportFindsEveryBadRow(t *testing.T) {
	t.Parallel()
	d := testTree(t)
	units := unitsHeader +
		"w1,Avdelning 1,ward,cs-akut,070-123 45 67,w1@x.example,p1,p2|p3\n" + // 2 fine
		"w1,Igen,ward,cs,,,,\n" + // 3 duplicate id
		"w2,Avdelning 2,ward,nowhere,,,,\n" + // 4 unknown parent
		"w3,Avdelning 3,ward,cs,070-12,,,\n" + // 5 bad phone
		"w4,Avdelning 4,ward,cs,,w4@,,\n" + // 6 bad e-mail
		"w5,Avdelning 5,slott,cs,,,,\n" + // 7 unknown type
		"w6,Avdelning 6,ward,cs,,,p9,\n" + // 8 unknown primary
		"w7,Avdelning 7,ward,cs,,,p1,p2|p8\n" + // 9 unknown deputy
		"c1,Cykel 1,clinic,c2,,,,\n" + // 10 cycle
		"c2,Cykel 2,clinic,c1,,,,\n" + // 11 cycle
		"cs,CS,hospital,cs-iva,,,,\n" + // 12 cycle through existing units
		",Utan id,ward,cs,,,,\n" + // 13 no id
		"w8,,ward,cs,,,,\n" + // 14 no name
		"w9,Avdelning 9,ward\n" // 15 too few cells
	_, err := importCSV(d, units, "")
	want := []string{"units:3:id", "units:4:parent", "units:5:phone", "units:6:email", "units:7:type", "units:8:primary",
		"units:9:deputies", "units:10:parent", "units:11:parent", "units:12:parent", "units:13:id", "units:14:name", "units:15:row"}
	if got := problems(err); !slices.Equal(got, want) {
		t.Fatalf("problems\n got %v\nwant %v\n(%v)", got, want, err)
	}
	fe := fail.As(err)
	if fe.Code != fail.Invalid || fe.Field != "file" || !strings.Contains(fe.Message, "nothing was imported") {
		t.Fatalf("error %+v", fe)
	}
	for _, p := range fe.Problems {
		if p.Message == "" {
			t.Errorf("problem without a message: %+v", p)
		}
	}
	if msg := fe.Problems[9].Message; !strings.Contains(msg, "cs → cs-iva → cs-akut → cs") {
		t.Errorf("the cycle is not spelled out: %q", msg)
	}
	people := peopleHeader +
		"n1,Nils,cs,Läkare,0701740605,n1@x.example\n" +
		"n1,Nils igen,cs,,,\n" +
		"n2,Nora,nowhere,,,\n" +
		"n3,Nina,cs,,+46 70 12,\n" +
		"n4,Noa,cs,,,noa\n" +
		"n5,,cs,,,\n"
	_, err = importCSV(d, "", people)
	want = []string{"people:3:id", "people:4:unit", "people:5:mobile", "people:6:email", "people:7:name"}
	if got := problems(err); !slices.Equal(got, want) {
		t.Fatalf("people problems\n got %v\nwant %v\n(%v)", got, want, err)
	}
}

func TestImportHeaderAndEncoding(t *testing.T) {
	t.Parallel()
	d := testTree(t)
	for name, c := range map[string]struct {
		data, want string
	}{
		"latin-1":          {unitsHeader + "w1,Avdelning \xe5,ward,cs,,,,\n", "not UTF-8"},
		"UTF-16":           {"\xff\xfei\x00d\x00", "UTF-16"},
		"empty":            {" \r\n", "empty"},
		"missing column":   {"id,name,type,parent,phone,email,primary\nw1,A,ward,cs,,,\n", `missing column "deputies"`},
		"unknown column":   {"id,name,type,parent,phone,email,primary,deputies,colour\n", `unknown column "colour"`},
		"column twice":     {"id,name,type,parent,phone,email,primary,deputies,name\n", `"name" appears twice`},
		"people's header":  {peopleHeader + "x,X,cs,,,\n", `missing column "type"`},
		"no header":        {"w1,Avdelning 1,ward,cs,,,,\n", "unknown column"},
		"only a header":    {unitsHeader, "no rows"},
		"bare quote":       {unitsHeader + "w1,Avd \"1\",ward,cs,,,,\n", "not valid CSV"},
		"unclosed quoting": {unitsHeader + "w1,\"Avd 1,ward,cs,,,,\n", "not valid CSV"},
	} {
		_, err := importCSV(d, c.data, "")
		fe := fail.As(err)
		all := fe.Message
		for _, p := range fe.Problems {
			all += "\n" + p.String()
		}
		if err == nil || fe.Code != fail.Invalid || !strings.Contains(all, c.want) || len(fe.Problems) == 0 {
			t.Errorf("%s: %v; want an error saying %q", name, err, c.want)
		}
	}
	_, err := importCSV(d, unitsHeader+"w1,A,ward,cs,,,,\nw2,B,ward,cs,,,,\nw3,\xc3,ward,cs,,,,\n", "")
	if p := fail.As(err).Problems; len(p) != 1 || p[0].Line != 4 || !strings.Contains(p[0].Message, "export as 'CSV UTF-8'") {
		t.Errorf("the encoding error names line %v, want 4", p)
	}
	_, err = importCSV(d, "id,name,type\n", "")
	if got := problems(err); !slices.Equal(got, []string{"units:1:header", "units:1:header", "units:1:header", "units:1:header", "units:1:header"}) {
		t.Errorf("every missing column is named: %v", err)
	}
}

// Swedish Excel writes ';', a byte-order mark, CRLF, and sometimes a
// "sep=;" line; cells may be quoted and hold the separator.
func TestImportSpreadsheetDialects(t *testing.T) {
	t.Parallel()
	for name, units := range map[string]string{
		"comma":     unitsHeader + "w1,\"Avdelning 1, Öst\",ward,cs,070-123 45 67,w1@x.example,p1,p2 | p3\n",
		"semicolon": "\ufeffID;Name;Type;Parent;Phone;Email;Primary;Deputies\r\nw1;Avdelning 1, Öst;avdelning;cs;'070-123 45 67;w1@x.example;p1;p2|p3\r\n",
		"sep line":  "sep=;\r\nid;name;type;parent;phone;email;primary;deputies;\r\nw1;\"Avdelning 1, Öst\";ward;cs;+46 (0)70 123 45 67;w1@x.example;p1;p2|p3;\r\n;;;;;;;;\r\n",
		"reordered": "deputies,primary,email,phone,parent,type,name,id\np2|p3,p1,w1@x.example,0046701234567,cs,Ward,\"Avdelning 1, Öst\",w1\n\n",
	} {
		d := testTree(t)
		imp, err := directory.ParseUnits([]byte(units))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		drafts, sum, err := imp.Decide(d, by)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		apply(t, d, drafts)
		u, _ := d.Unit("w1")
		want := directory.Unit{ID: "w1", Name: "Avdelning 1, Öst", Type: directory.Ward, Parent: "cs", Phone: "+46701234567",
			Email: "w1@x.example", Primary: "p1", Deputies: []string{"p2", "p3"}}
		if !reflect.DeepEqual(u, want) || sum.UnitsAdded != 1 {
			t.Errorf("%s: imported %+v (%+v), want %+v", name, u, sum, want)
		}
		if strings.Contains(units, "sep=") {
			_, err := importCSV(d, strings.Replace(units, "w1@x.example", "bad", 1), "")
			if got := problems(err); !slices.Equal(got, []string{"units:3:email"}) {
				t.Errorf("after a sep= line the lines are still counted from the top of the file: %v", got)
			}
		}
	}
}

func TestImportUpsertsAndIsOneEvent(t *testing.T) {
	t.Parallel()
	d := testTree(t)
	// Units and people of one import may refer to each other.
	units := unitsHeader + "w1,Avdelning 1,ward,cs,,,n1,n2\ncs,Centralsjukhuset,hospital,region,08-123 456 78,,p1,\n"
	people := peopleHeader + "n1,Nils,w1,Avdelningschef,070-174 06 05,\nn2,Nora,w1,,,\np1,Anna Ny,cs,,,\n"
	var imp directory.Import
	u, _ := directory.ParseUnits([]byte(units))
	p, _ := directory.ParsePeople([]byte(people))
	imp = imp.Merge(u).Merge(p)
	drafts, sum, err := imp.Decide(d, by)
	if err != nil {
		t.Fatal(err)
	}
	if len(drafts) != 1 || drafts[0].Type != directory.TypeImported {
		t.Fatalf("drafts %+v", drafts)
	}
	if sum != (directory.ImportSummary{UnitsAdded: 1, UnitsUpdated: 1, PeopleAdded: 2, PeopleUpdated: 1}) {
		t.Fatalf("summary %+v", sum)
	}
	nu, np := d.Len()
	apply(t, d, drafts)
	if u2, p2 := d.Len(); u2 != nu+1 || p2 != np+2 {
		t.Fatalf("after the import %d units, %d people; before %d, %d", u2, p2, nu, np)
	}
	if cs, _ := d.Unit("cs"); cs.Name != "Centralsjukhuset" || cs.Phone != "+46812345678" || cs.Primary != "p1" {
		t.Fatalf("cs was not updated: %+v", cs)
	}
	if p1, _ := d.Person("p1"); p1.Name != "Anna Ny" || p1.Mobile != "" {
		t.Fatalf("p1 was not replaced: %+v", p1)
	}
	if got := names(d.Reach("w1", now)); !slices.Equal(got, []string{"primary:n1", "deputy:n2"}) {
		t.Fatalf("reach of the imported unit: %v", got)
	}
	// Moving a unit keeps the tree consistent.
	move, err := directory.ParseUnits([]byte(unitsHeader + "cs-akut,Akut,clinic,ls,,,,\n"))
	if err != nil {
		t.Fatal(err)
	}
	apply(t, d, must3(move.Decide(d, by)))
	if got := ids(d.Subtree("ls")); !slices.Equal(got, []string{"ls", "cs-akut", "cs-iva"}) {
		t.Fatalf("after moving cs-akut to ls: %v", got)
	}
	if got := ids(d.Subtree("cs")); slices.Contains(got, "cs-akut") {
		t.Fatalf("cs still holds cs-akut: %v", got)
	}
}

func must3(drafts []event.Draft, _ directory.ImportSummary, err error) []event.Draft {
	if err != nil {
		panic(err)
	}
	return drafts
}

// Export and import again: the same directory.
func TestExportImportRoundTrip(t *testing.T) {
	t.Parallel()
	d := testTree(t)
	apply(t, d, must(t)(directory.SetContacts{Unit: "cs-iva", Phone: "08-123 456 78", Email: "iva@x.example", Primary: "p1",
		Deputies: []string{"p3", "p2"}, Webhook: "https://display.iva.example/fyr"}.Decide(d, by)))
	units, people := d.TreeOrder(), d.People()
	// Awkward values: separators, quotes, formulas, non-ASCII.
	units[1].Name = `=HYPERLINK("x"), "CS"; sjukhus`
	people[0].Name = "@Åsa Öberg-Ängström"
	people[1].Function = "-chef"
	units[2].Name = "ok;=cmd|' /C calc'!A0" // Swedish Excel splits a comma file on ';'
	for _, sep := range []rune{',', ';'} {
		var ub, pb bytes.Buffer
		if err := directory.WriteUnitsCSV(&ub, units, sep); err != nil {
			t.Fatal(err)
		}
		if err := directory.WritePeopleCSV(&pb, people, sep); err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(ub.Bytes(), []byte("\ufeff\"id\"")) || !strings.Contains(ub.String(), "'=HYPERLINK") ||
			!strings.Contains(ub.String(), `"ok;'=cmd|`) {
			t.Fatalf("export lacks the BOM or the formula escape:\n%s", ub.String())
		}
		// Into an empty directory: units and people together.
		fresh := directory.New()
		u, err := directory.ParseUnits(ub.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		p, err := directory.ParsePeople(pb.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		drafts, sum, err := u.Merge(p).Decide(fresh, by)
		if err != nil {
			t.Fatalf("%c: %v", sep, err)
		}
		apply(t, fresh, drafts)
		if !reflect.DeepEqual(fresh.TreeOrder(), units) || !reflect.DeepEqual(fresh.People(), people) {
			t.Fatalf("%c: round trip changed the directory:\n got %+v\nwant %+v\n got %+v\nwant %+v", sep, fresh.TreeOrder(), units, fresh.People(), people)
		}
		if sum.UnitsAdded != len(units) || sum.PeopleAdded != len(people) {
			t.Fatalf("summary %+v", sum)
		}
		// And over the same directory: everything is an update.
		_, sum, err = u.Merge(p).Decide(fresh, by)
		if err != nil || sum.UnitsUpdated != len(units) || sum.PeopleUpdated != len(people) {
			t.Fatalf("re-import: %+v %v", sum, err)
		}
	}
}

// bigImport makes n units under the region, each with a primary and two
// deputies, and n people, one in each unit: long names and addresses.
func bigImport(t *testing.T, n int) (units, people directory.Import) {
	t.Helper()
	var b strings.Builder
	b.WriteString(unitsHeader + "region,Region Exempel,region,,,,,\n")
	for i := range n {
		fmt.Fprintf(&b, "avd-%05d,Medicinavdelning %d Centralsjukhuset Exempelstad,ward,region,08-123 %03d 00,avdelning.%05d@regionexempel.example,person-%05d,person-%05d|person-%05d\n",
			i, i, i%1000, i, i, (i+1)%n, (i+2)%n)
	}
	var pb strings.Builder
	pb.WriteString(peopleHeader)
	for i := range n {
		fmt.Fprintf(&pb, "person-%05d,Förnamn Efternamnsson-%d,avd-%05d,Avdelningschef,070-174 06 %02d,fornamn.efternamnsson%d@regionexempel.example\n",
			i, i, i, 5+i%95, i)
	}
	var err error
	if units, err = directory.ParseUnits([]byte(b.String())); err != nil {
		t.Fatal(err)
	}
	if people, err = directory.ParsePeople([]byte(pb.String())); err != nil {
		t.Fatal(err)
	}
	return units, people
}

// An import of about 2,000 units and 2,000 people is one event well under
// the log's 1 MiB message limit; far beyond, the import is refused with a
// clear error instead of failing in the log.
func TestLargeImportFitsOneEvent(t *testing.T) {
	t.Parallel()
	units, people := bigImport(t, 2000)
	drafts, _, err := units.Merge(people).Decide(directory.New(), by)
	if err != nil {
		t.Fatal(err)
	}
	all := drafts[0].Payload.(directory.Imported)
	for name, payload := range map[string]directory.Imported{
		"2,001 units": {Units: all.Units}, "2,000 people": {People: all.People}, "both": all,
	} {
		b, _ := json.Marshal(payload)
		t.Logf("%s: the event's payload is %d KB", name, len(b)>>10)
		if len(b) > directory.MaxImportBytes {
			t.Errorf("%s: %d bytes, more than %d", name, len(b), directory.MaxImportBytes)
		}
	}
	units, people = bigImport(t, 6000)
	_, _, err = units.Merge(people).Decide(directory.New(), by)
	if fe := fail.As(err); err == nil || fe.Field != "file" || !strings.Contains(fe.Message, "too large") {
		t.Fatalf("an oversized import: %v", err)
	}
}

// Two files with unreadable headers: the problems of both are listed.
func TestParseFilesReportsBothFiles(t *testing.T) {
	t.Parallel()
	_, err := directory.ParseFiles([]byte("id,name,typ\n"), []byte("id;namn;unit;function;mobile;email\n"))
	got := problems(err)
	if len(got) < 2 || got[0] != "units:1:header" || got[len(got)-1] != "people:1:header" {
		t.Fatalf("problems %v", got)
	}
	imp, err := directory.ParseFiles(nil, []byte(peopleHeader+"p1,Anna,,,,\n"))
	if err != nil || len(imp.People) != 1 || len(imp.Units) != 0 {
		t.Fatalf("people alone: %+v %v", imp, err)
	}
}
