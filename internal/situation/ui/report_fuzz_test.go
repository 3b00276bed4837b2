package ui

import (
	"net/url"
	"strconv"
	"strings"
	"testing"
)

// FuzzParseReportForm feeds any posted form to the report form's parser and
// to the report's checks: no panic; a number it accepts is the number typed;
// what the checks accept is possible (no negative counts, no more beds
// occupied than in operation); the form shown again keeps empty rows.
func FuzzParseReportForm(f *testing.F) {
	for _, seed := range []string{
		"state=limited&staff.present=6&staff.missing=2&beds.total=20&beds.occupied=18&sys.name.0=TakeCare&sys.state.0=down&sup.name.0=Blod&needs=a%0Ab",
		"state=closed&beds.total=-1&beds.occupied=5",
		"state=normal&beds.total=10&beds.occupied=11",
		"staff.present=%2B7&sys.name.0=&sys.note.0=x&sys.name.1=A&sys.name.2=a",
		"state=normal&beds.total=99999999999999999999",
		"",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		form, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		v, view, err := parseReportForm(form)
		if len(view.Systems) < extraSystemRows || len(view.Supplies) < extraSupplyRows {
			t.Fatalf("the form shown again lost its empty rows: %d systems, %d supplies", len(view.Systems), len(view.Supplies))
		}
		if err != nil {
			return
		}
		for field, n := range map[string]int{"staff.present": v.Staff.Present, "staff.missing": v.Staff.Missing,
			"beds.total": v.Beds.Total, "beds.occupied": v.Beds.Occupied} {
			typed := strings.TrimSpace(form.Get(field))
			if want, _ := strconv.Atoi(typed); typed != "" && n != want {
				t.Fatalf("%s: typed %q, parsed %d", field, typed, n)
			}
		}
		checked, err := v.Check()
		if err != nil {
			return
		}
		if checked.Staff.Present < 0 || checked.Staff.Missing < 0 || checked.Beds.Total < 0 || checked.Beds.Occupied < 0 ||
			checked.Beds.Occupied > checked.Beds.Total {
			t.Fatalf("impossible numbers accepted: %+v", checked)
		}
	})
}
