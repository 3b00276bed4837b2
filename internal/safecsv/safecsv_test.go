package safecsv_test

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"fyr/internal/safecsv"
)

// excelPieces splits written CSV the way a spreadsheet in another locale
// may: on every ';', ',', tab, CR and LF, quotes or not, and drops the
// spaces and double quotes a piece starts with.
func excelPieces(out string) []string {
	pieces := strings.FieldsFunc(out, func(r rune) bool { return strings.ContainsRune(";,\t\r\n", r) })
	for i, p := range pieces {
		pieces[i] = strings.TrimLeft(p, ` "`)
	}
	return pieces
}

func formulaStart(s string) bool {
	for _, p := range []string{"=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠"} {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// readQuoted reads what Writer writes (every cell quoted, CRLF after each
// record) exactly, without encoding/csv's folding of CRLF inside a cell.
func readQuoted(t *testing.T, out string, sep byte) [][]string {
	t.Helper()
	var recs [][]string
	var rec []string
	for len(out) > 0 {
		if out[0] != '"' {
			t.Fatalf("cell does not start with a quote: %q", out)
		}
		var cell strings.Builder
		i := 1
		for {
			if i >= len(out) {
				t.Fatalf("unterminated cell in %q", out)
			}
			if out[i] == '"' {
				if i+1 < len(out) && out[i+1] == '"' {
					cell.WriteByte('"')
					i += 2
					continue
				}
				i++
				break
			}
			cell.WriteByte(out[i])
			i++
		}
		rec = append(rec, cell.String())
		out = out[i:]
		switch {
		case len(out) > 0 && out[0] == sep:
			out = out[1:]
		case strings.HasPrefix(out, "\r\n"):
			recs, rec = append(recs, rec), nil
			out = out[2:]
		default:
			t.Fatalf("after a cell: %q", out)
		}
	}
	return recs
}

func check(t *testing.T, cells []string) {
	for _, sep := range []rune{',', ';'} {
		var buf bytes.Buffer
		w := safecsv.NewWriter(&buf, sep)
		w.BOM()
		if err := w.Write(cells...); err != nil {
			t.Fatal(err)
		}
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		out, ok := strings.CutPrefix(buf.String(), safecsv.BOM)
		if !ok {
			t.Fatalf("no byte-order mark: %q", buf.String())
		}
		for _, p := range excelPieces(out) {
			if formulaStart(p) {
				t.Fatalf("sep %q: %q written as %q: a spreadsheet splitting it sees a cell starting %q", sep, cells, out, p)
			}
		}
		recs := readQuoted(t, out, byte(sep))
		if len(recs) != 1 || len(recs[0]) != len(cells) {
			t.Fatalf("sep %q: %q read back as %q", sep, out, recs)
		}
		for i, c := range recs[0] {
			if got := safecsv.Restore(c); got != cells[i] {
				t.Fatalf("sep %q: cell %q came back as %q (written %q)", sep, cells[i], got, out)
			}
		}
		if !strings.Contains(out, "\r") { // encoding/csv folds CRLF inside a cell
			r := csv.NewReader(strings.NewReader(out))
			r.Comma = sep
			got, err := r.ReadAll()
			if err != nil || len(got) != 1 || len(got[0]) != len(cells) {
				t.Fatalf("sep %q: encoding/csv reads %q as %q, %v", sep, out, got, err)
			}
		}
	}
}

func TestNeutralise(t *testing.T) {
	for in, want := range map[string]string{
		"":                          "",
		"Fel i DNS":                 "Fel i DNS",
		"=1+1":                      "'=1+1",
		"ok;=cmd|' /C calc'!A0":     "ok;'=cmd|' /C calc'!A0",
		"a, -b":                     "a, '-b",
		"a,\"=b":                    "a,\"'=b",
		"'hej":                      "''hej",
		"x\n@SUM(A1)":               "x\n'@SUM(A1)",
		"\t=x":                      "'\t'=x",
		"2018-09-21T08:03:00+02:00": "2018-09-21T08:03:00+02:00",
		"＝1":                        "'＝1",
	} {
		if got := safecsv.Neutralise(in); got != want {
			t.Errorf("Neutralise(%q) = %q, want %q", in, got, want)
		}
		if got := safecsv.Restore(want); got != in {
			t.Errorf("Restore(%q) = %q, want %q", want, got, in)
		}
	}
}

// FuzzWriter writes two cells with each locale's separator and checks that
// no piece a spreadsheet could split off starts a formula, and that the
// cells read back exactly.
func FuzzWriter(f *testing.F) {
	for _, s := range []string{
		"ok;=cmd|' /C calc'!A0", "=HYPERLINK(\"http://x\")", "a,+1", "a\t-1", "a\r\n@x", "\"=x\"", "'=x", "''",
		"a; \"=b", "Åsa;Öberg,=x", "-", "\r", "@", "a,\"\"=b", "\xff=", "a;'\t=",
	} {
		f.Add(s, "x;=y")
	}
	f.Fuzz(func(t *testing.T, a, b string) { check(t, []string{a, b}) })
}
