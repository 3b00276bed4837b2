package directory

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	"fyr/internal/fail"
	"fyr/internal/safecsv"
)

// The CSV formats of the directory. The first line is the header: these
// columns, in any order, each exactly once (case does not matter). Cells
// are separated by ',' or ';' (Swedish Excel), UTF-8 with or without a
// byte-order mark; an Excel "sep=;" first line is understood.
var (
	// UnitColumns: type is region, hospital, clinic, ward, municipality or
	// partner (Swedish names are accepted too); parent is a unit id ("" for
	// a root); phone and email are the unit's own; primary is a person id;
	// deputies are person ids separated by '|', in order.
	UnitColumns = []string{"id", "name", "type", "parent", "phone", "email", "primary", "deputies"}
	// UnitOptional may be left out of a units file: webhook is the URL of
	// the unit's own system (files from before it existed still import).
	UnitOptional = []string{"webhook"}
	// PersonColumns: unit is a unit id; mobile is a phone number (Swedish
	// forms are turned into E.164).
	PersonColumns = []string{"id", "name", "unit", "function", "mobile", "email"}
)

// MaxFileBytes bounds an import file.
const MaxFileBytes = 8 << 20

// typeNames maps what a spreadsheet may say to a unit type.
var typeNames = map[string]UnitType{
	"sjukhus": Hospital, "klinik": Clinic, "avdelning": Ward, "kommun": Municipality,
	"samverkanspart": Partner, "partner": Partner,
}

// ParseUnits reads a units file. Problems of single rows are in the
// returned Import's Problems, for Decide to report with its own; an error
// means the file as a whole cannot be read (encoding, header, quoting).
func ParseUnits(data []byte) (Import, error) {
	var imp Import
	err := readCSV(data, FileUnits, UnitColumns, UnitOptional, &imp.Problems, func(line int, cell map[string]string) {
		t := strings.ToLower(cell["type"])
		if x, ok := typeNames[t]; ok {
			t = string(x)
		}
		var deputies []string
		for _, id := range strings.Split(cell["deputies"], "|") {
			if id = strings.TrimSpace(id); id != "" {
				deputies = append(deputies, id)
			}
		}
		imp.Units = append(imp.Units, UnitRow{Line: line, Unit: Unit{ID: cell["id"], Name: cell["name"], Type: UnitType(t),
			Parent: cell["parent"], Phone: cell["phone"], Email: cell["email"], Webhook: cell["webhook"], Primary: cell["primary"], Deputies: deputies}})
	})
	return imp, err
}

// ParsePeople reads a people file; see ParseUnits.
func ParsePeople(data []byte) (Import, error) {
	var imp Import
	err := readCSV(data, FilePeople, PersonColumns, nil, &imp.Problems, func(line int, cell map[string]string) {
		imp.People = append(imp.People, PersonRow{Line: line, Person: Person{ID: cell["id"], Name: cell["name"],
			Unit: cell["unit"], Function: cell["function"], Mobile: cell["mobile"], Email: cell["email"]}})
	})
	return imp, err
}

// ParseFiles reads a units file and a people file (nil for none) into one
// import. When a file cannot be read as a whole (encoding, header,
// quoting), the other is still read, so that the error lists the problems
// of both.
func ParseFiles(units, people []byte) (Import, error) {
	var imp Import
	var fatal []fail.Problem
	for _, f := range []struct {
		data  []byte
		parse func([]byte) (Import, error)
	}{{units, ParseUnits}, {people, ParsePeople}} {
		if f.data == nil {
			continue
		}
		one, err := f.parse(f.data)
		if err != nil {
			fe := fail.As(err)
			if len(fe.Problems) == 0 {
				return Import{}, err
			}
			fatal = append(fatal, fe.Problems...)
			continue
		}
		imp = imp.Merge(one)
	}
	if len(fatal) > 0 {
		return Import{}, ImportError(append(fatal, imp.Problems...))
	}
	return imp, nil
}

// Merge adds another parsed file to the import.
func (c Import) Merge(o Import) Import {
	c.Units = append(slices.Clip(c.Units), o.Units...)
	c.People = append(slices.Clip(c.People), o.People...)
	c.Problems = append(slices.Clip(c.Problems), o.Problems...)
	return c
}

var bom = []byte{0xEF, 0xBB, 0xBF}

func fileError(file string, line int, field, format string, args ...any) error {
	return ImportError([]fail.Problem{fail.Problemf(field, format, args...).At(file, line)})
}

// readCSV checks the encoding and the header and calls row for every
// non-empty row with its line number and cells by column name.
func readCSV(data []byte, file string, columns, optional []string, problems *[]fail.Problem, row func(line int, cell map[string]string)) error {
	if len(data) > MaxFileBytes {
		return fileError(file, 0, "file", "is larger than %d MB", MaxFileBytes>>20)
	}
	if bytes.HasPrefix(data, []byte{0xFF, 0xFE}) || bytes.HasPrefix(data, []byte{0xFE, 0xFF}) {
		return fileError(file, 0, "file", "is UTF-16, not UTF-8; export as 'CSV UTF-8'")
	}
	data = bytes.TrimPrefix(data, bom)
	if !utf8.Valid(data) {
		line := 1
		for i := 0; i < len(data); {
			r, n := utf8.DecodeRune(data[i:])
			if r == utf8.RuneError && n <= 1 {
				break
			}
			if r == '\n' {
				line++
			}
			i += n
		}
		return fileError(file, line, "file", "not UTF-8; export as 'CSV UTF-8'")
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return fileError(file, 0, "file", "is empty; the first line must be the header: %s", strings.Join(columns, ","))
	}
	sep, skip := separator(data)
	r := csv.NewReader(bytes.NewReader(data[skip:]))
	r.Comma = sep
	r.FieldsPerRecord = -1
	r.TrimLeadingSpace = true
	lineOffset := 0
	if skip > 0 {
		lineOffset = 1
	}
	header, err := r.Read()
	if err != nil {
		return csvError(file, err, lineOffset)
	}
	index := map[string]int{}
	var ps []fail.Problem
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		_, dup := index[h]
		switch {
		case h == "" && i == len(header)-1 && i > 0:
			// a trailing separator: a spreadsheet's empty last column
		case h == "":
			ps = append(ps, fail.Problemf("header", "column %d has no name (the columns are %s)", i+1, strings.Join(columns, ",")).At(file, 1+lineOffset))
		case !slices.Contains(columns, h) && !slices.Contains(optional, h):
			ps = append(ps, fail.Problemf("header", "unknown column %q (the columns are %s)", h, strings.Join(slices.Concat(columns, optional), ",")).At(file, 1+lineOffset))
		case dup:
			ps = append(ps, fail.Problemf("header", "column %q appears twice", h).At(file, 1+lineOffset))
		default:
			index[h] = i
		}
	}
	for _, c := range columns {
		if _, ok := index[c]; !ok {
			ps = append(ps, fail.Problemf("header", "missing column %q (the columns are %s)", c, strings.Join(columns, ",")).At(file, 1+lineOffset))
		}
	}
	if len(ps) > 0 {
		return ImportError(ps)
	}
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return csvError(file, err, lineOffset)
		}
		line, _ := r.FieldPos(0)
		line += lineOffset
		if blank(rec) {
			continue
		}
		if len(rec) != len(header) && !(len(rec) == len(header)-1 && strings.TrimSpace(header[len(header)-1]) == "") {
			if !(len(rec) > len(header) && blank(rec[len(header):])) {
				*problems = append(*problems, fail.Problemf("row", "has %d cells; the header has %d (a %q inside a cell needs quotes)", len(rec), len(header), sep).At(file, line))
				continue
			}
		}
		cell := make(map[string]string, len(columns))
		for name, i := range index {
			if i < len(rec) {
				cell[name] = safecsv.Restore(strings.TrimSpace(rec[i]))
			}
		}
		row(line, cell)
	}
}

func blank(rec []string) bool {
	for _, c := range rec {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

func csvError(file string, err error, lineOffset int) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return fileError(file, pe.Line+lineOffset, "file", "is not valid CSV (column %d): %v", pe.Column, pe.Err)
	}
	return fileError(file, 0, "file", "could not be read: %v", err)
}

// separator picks ',' or ';' from the first line: Excel's "sep=;" line, or
// whichever occurs more often outside quotes. skip is the length of a
// "sep=" line to leave out.
func separator(data []byte) (sep rune, skip int) {
	first, _, _ := bytes.Cut(data, []byte{'\n'})
	first = bytes.TrimRight(first, "\r")
	if len(first) == 5 && bytes.HasPrefix(bytes.ToLower(first), []byte("sep=")) && (first[4] == ',' || first[4] == ';') {
		nl := bytes.IndexByte(data, '\n')
		if nl < 0 {
			nl = len(data) - 1
		}
		return rune(first[4]), nl + 1
	}
	commas, semis, quoted := 0, 0, false
	for _, c := range first {
		switch {
		case c == '"':
			quoted = !quoted
		case c == ',' && !quoted:
			commas++
		case c == ';' && !quoted:
			semis++
		}
	}
	if semis > commas {
		return ';', 0
	}
	return ',', 0
}

// WriteUnitsCSV writes units in the import format: UTF-8 with a
// byte-order mark, separated by sep (',' or ';'), parents before children.
// Every cell is quoted and neutralised (package safecsv): a phone number
// "+46…" is written as text, '+46…, and reads back as it was.
func WriteUnitsCSV(w io.Writer, units []Unit, sep rune) error {
	return writeCSV(w, sep, slices.Concat(UnitColumns, UnitOptional), len(units), func(i int) []string {
		u := units[i]
		return []string{u.ID, u.Name, string(u.Type), u.Parent, u.Phone, u.Email, u.Primary, strings.Join(u.Deputies, "|"), u.Webhook}
	})
}

// WritePeopleCSV writes people in the import format; see WriteUnitsCSV.
func WritePeopleCSV(w io.Writer, people []Person, sep rune) error {
	return writeCSV(w, sep, PersonColumns, len(people), func(i int) []string {
		p := people[i]
		return []string{p.ID, p.Name, p.Unit, p.Function, p.Mobile, p.Email}
	})
}

func writeCSV(w io.Writer, sep rune, header []string, n int, row func(int) []string) error {
	cw := safecsv.NewWriter(w, sep)
	cw.BOM()
	cw.Write(header...)
	for i := range n {
		cw.Write(row(i)...)
	}
	return cw.Flush()
}

// TreeOrder returns units ordered so that every parent comes before its
// children (depth first from the roots), as an import needs no order but a
// person reads one.
func (d *Directory) TreeOrder() []Unit {
	var out []Unit
	seen := map[string]bool{}
	for _, root := range d.Children("") {
		for _, u := range d.Subtree(root.ID) {
			seen[u.ID] = true
			out = append(out, u)
		}
	}
	for _, u := range d.Units() { // units whose parent is unknown
		if !seen[u.ID] {
			out = append(out, u)
		}
	}
	return out
}
