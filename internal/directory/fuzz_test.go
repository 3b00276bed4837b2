package directory_test

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"fyr/internal/directory"
	"fyr/internal/fail"
)

// The phone normaliser never panics; what it accepts is E.164 and stays
// the same when normalised again.
func FuzzNormalizePhone(f *testing.F) {
	for _, s := range []string{"070-123 45 67", "0701234567", "+46 (0)70 123 45 67", "0046701234567", "08-123 456 78",
		"+46 070 123", "'0701234567", "46701234567", "(0)", "+(0)0", "00460", "\u00a0070 1234567", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := directory.NormalizePhone(s)
		if err != nil {
			if n != "" || !strings.Contains(err.Error(), "phone number") && !strings.Contains(err.Error(), "+ before") {
				t.Fatalf("%q: %q, %v", s, n, err)
			}
			return
		}
		if n == "" {
			if strings.TrimPrefix(strings.TrimSpace(s), "'") != "" {
				t.Fatalf("%q normalised to nothing", s)
			}
			return
		}
		if !directory.IsE164(n) || n[0] != '+' || len(n) < 8 || len(n) > 16 {
			t.Fatalf("%q normalised to %q, not E.164", s, n)
		}
		for _, r := range n[1:] {
			if r < '0' || r > '9' {
				t.Fatalf("%q normalised to %q, not E.164", s, n)
			}
		}
		if again, err := directory.NormalizePhone(n); err != nil || again != n {
			t.Fatalf("%q → %q → %q, %v: not idempotent", s, n, again, err)
		}
	})
}

// The CSV reader never panics; every problem names its line and field; and
// whatever imports cleanly exports and imports again to the same units.
func FuzzParseUnits(f *testing.F) {
	for _, s := range []string{
		unitsHeader + "region,Region,region,,,,,\ncs,CS,hospital,region,08-123 456 78,cs@x.example,,\n",
		"\ufeffid;name;type;parent;phone;email;primary;deputies\r\nregion;\"R; x\";region;;;;;\r\n",
		"sep=;\nid;name;type;parent;phone;email;primary;deputies\nregion;R;region;;;;;\n",
		unitsHeader + "a,A,ward,b,,,,\nb,B,ward,a,,,,\n",
		unitsHeader + "a,\"A\"\"\",ward,,,,,\n",
		unitsHeader + "a,'=1+1,ward,,'070-1234567,,,\n",
		"id,name\n\"a",
		"\xff\xfe",
		"a,b\xc3",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		imp, err := directory.ParseUnits(data)
		if err != nil {
			checkProblems(t, err)
			return
		}
		drafts, _, err := imp.Decide(directory.New(), by)
		if err != nil {
			checkProblems(t, err)
			return
		}
		d := directory.New()
		apply(t, d, drafts)
		units := d.TreeOrder()
		for _, sep := range []rune{',', ';'} {
			var buf bytes.Buffer
			if err := directory.WriteUnitsCSV(&buf, units, sep); err != nil {
				t.Fatal(err)
			}
			again, err := directory.ParseUnits(buf.Bytes())
			if err != nil {
				t.Fatalf("the export does not read back: %v\n%s", err, buf.Bytes())
			}
			drafts, _, err := again.Decide(directory.New(), by)
			if err != nil {
				t.Fatalf("the export does not import: %v\n%s", err, buf.Bytes())
			}
			d2 := directory.New()
			apply(t, d2, drafts)
			if got := d2.TreeOrder(); !reflect.DeepEqual(got, units) {
				t.Fatalf("round trip with %q changed the units:\n got %+v\nwant %+v", sep, got, units)
			}
		}
	})
}

// FuzzParsePeople: the same for people (they need no units when all are
// unplaced, so the round trip runs on those).
func FuzzParsePeople(f *testing.F) {
	for _, s := range []string{
		peopleHeader + "p1,Anna,,TiB,070-174 06 05,anna@x.example\n",
		"id;name;unit;function;mobile;email\np1;\"Anna; A\";;;;\n",
		peopleHeader + "p1,@Anna,,-chef,'0701740605,\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		imp, err := directory.ParsePeople(data)
		if err != nil {
			checkProblems(t, err)
			return
		}
		drafts, _, err := imp.Decide(directory.New(), by)
		if err != nil {
			checkProblems(t, err)
			return
		}
		d := directory.New()
		apply(t, d, drafts)
		var buf bytes.Buffer
		if err := directory.WritePeopleCSV(&buf, d.People(), ';'); err != nil {
			t.Fatal(err)
		}
		again, err := directory.ParsePeople(buf.Bytes())
		if err != nil {
			t.Fatalf("the export does not read back: %v\n%s", err, buf.Bytes())
		}
		drafts, _, err = again.Decide(directory.New(), by)
		if err != nil {
			t.Fatalf("the export does not import: %v\n%s", err, buf.Bytes())
		}
		d2 := directory.New()
		apply(t, d2, drafts)
		if !reflect.DeepEqual(d2.People(), d.People()) {
			t.Fatalf("round trip changed the people:\n got %+v\nwant %+v", d2.People(), d.People())
		}
	})
}

func checkProblems(t *testing.T, err error) {
	t.Helper()
	fe := fail.As(err)
	if fe.Code != fail.Invalid || fe.Field != "file" || len(fe.Problems) == 0 {
		t.Fatalf("error %v (%+v) is not an import error with problems", err, fe)
	}
	for _, p := range fe.Problems {
		if p.Line < 0 || p.Field == "" || p.Message == "" {
			t.Fatalf("problem without line, field or message: %+v", p)
		}
	}
}
