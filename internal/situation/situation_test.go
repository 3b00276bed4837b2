package situation_test

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"fyr/internal/dispatch"
	"fyr/internal/event"
	"fyr/internal/fail"
	"fyr/internal/incident"
	"fyr/internal/situation"
)

var t0 = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

// apply seals a payload as an event that occurred at occurred and was
// recorded at recorded, and folds it into the book.
func apply(t *testing.T, b *situation.Book, typ string, payload any, occurred, recorded time.Time) {
	t.Helper()
	e, err := event.Seal(event.Draft{Type: typ, Actor: "test", OccurredAt: occurred, Payload: payload}, event.NewID(), "o", "", recorded)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Apply(e); err != nil {
		t.Fatal(err)
	}
}

// The two questions of a point in time: a report the staff recorded at
// 11:30 from a call the unit made at 10:20 had happened by 10:30 (at), but
// nobody knew it at 10:30 (known_at). The round closed at 12:00 was open at
// 11:00.
func TestPointInTimeAtAndKnownAt(t *testing.T) {
	b := situation.NewBook()
	apply(t, b, situation.TypeRoundOpened, situation.RoundOpened{Round: "r1", Incident: "i", Title: "Omgång", Units: []string{"a", "b"},
		Deadline: t0.Add(time.Hour), Dispatch: "d1"}, t0, t0)
	apply(t, b, situation.TypeReportFiled, situation.ReportFiled{Report: "rep1", Round: "r1", Incident: "i", Unit: "a", Version: 1,
		Values: situation.Values{State: situation.Closed}}, t0.Add(20*time.Minute), t0.Add(90*time.Minute))
	apply(t, b, situation.TypeRoundClosed, situation.RoundClosed{Round: "r1"}, t0.Add(2*time.Hour), t0.Add(2*time.Hour))

	at := incident.AsOf{At: t0.Add(30 * time.Minute)}
	known := incident.AsOf{KnownAt: t0.Add(30 * time.Minute)}
	if st, _ := b.Status("r1", at); len(st.Missing) != 1 || st.Missing[0] != "b" || st.Closed {
		t.Fatalf("at 10:30: %+v", st)
	}
	if st, _ := b.Status("r1", known); len(st.Missing) != 2 {
		t.Fatalf("known at 10:30: missing %v", st.Missing)
	}
	if st, _ := b.Status("r1", incident.AsOf{}); !st.Closed || len(st.Missing) != 1 {
		t.Fatalf("now: %+v", st)
	}
	if r, _ := b.Round("r1", incident.AsOf{At: t0.Add(time.Hour)}); r.Closed {
		t.Fatal("the round was open at 11:00")
	}
	if _, ok := b.Round("r1", incident.AsOf{At: t0.Add(-time.Minute)}); ok {
		t.Fatal("the round did not exist before it was opened")
	}
	if got := b.Reports(situation.ReportQuery{Round: "r1", AsOf: known}); len(got) != 0 {
		t.Fatalf("reports known at 10:30: %v", got)
	}
	if got := b.DueReminders(t0.Add(3 * time.Hour)); len(got) != 0 {
		t.Fatalf("a closed round is not reminded: %v", got)
	}
}

func TestValuesCheck(t *testing.T) {
	ok := situation.Values{State: situation.Normal, Staff: situation.Staffing{Present: 3}, Beds: situation.Beds{Total: 4, Occupied: 4}}
	if v, err := ok.Check(); err != nil || v.Beds.Available() != 0 {
		t.Fatalf("a full ward is fine: %v", err)
	}
	for _, c := range []struct {
		field string
		edit  func(v *situation.Values)
	}{
		{"state", func(v *situation.Values) { v.State = "" }},
		{"staff.present", func(v *situation.Values) { v.Staff.Present = -1 }},
		{"beds.occupied", func(v *situation.Values) { v.Beds.Occupied = 5 }},
		{"beds.occupied", func(v *situation.Values) { v.Beds.Occupied = -5 }},
		{"beds.total", func(v *situation.Values) { v.Beds.Total = situation.MaxCount + 1 }},
		{"needs", func(v *situation.Values) { v.Needs = make([]string, situation.MaxItems+1) }},
		{"text", func(v *situation.Values) { v.Text = strings.Repeat("å", situation.MaxText+1) }},
		{"supplies[1].name", func(v *situation.Values) {
			v.Supplies = []situation.Supply{{Name: "Handskar"}, {Name: " handskar "}}
		}},
	} {
		v := ok
		c.edit(&v)
		if _, err := v.Check(); fail.As(err).Field != c.field {
			t.Errorf("%s: %v", c.field, err)
		}
	}
}

func TestDiffNamesTheFieldsThatDiffer(t *testing.T) {
	a := situation.Content{Event: "DNS-fel", Forecast: "Okänd", Direction: []situation.Measure{{What: "Reservrutin", Owner: "IT-chef"}}}
	b := a
	b.Forecast = "Åtgärdat i kväll"
	b.Consequences.Media = "SVT har ringt"
	b.Direction = []situation.Measure{{What: "Reservrutin", Owner: "IT-chef", Deadline: t0}}
	diff := situation.Diff(a, b, nil)
	var keys []string
	for _, c := range diff {
		keys = append(keys, c.Key)
	}
	if strings.Join(keys, ",") != "consequences.media,forecast,direction" {
		t.Fatalf("diff: %v", keys)
	}
	if diff[1].From != "Okänd" || diff[1].To != "Åtgärdat i kväll" || diff[1].Label != "Prognos" {
		t.Fatalf("forecast change: %+v", diff[1])
	}
	if len(situation.Diff(a, a, nil)) != 0 {
		t.Fatal("a version differs from itself")
	}
}

func TestExportStripsPersonalData(t *testing.T) {
	p := situation.Picture{Version: 3, Status: situation.Published, PublishedAt: t0, ApprovedFunction: "Stabschef", ApprovedBy: "Stina Stabschef",
		Author: "Sven Stab", Content: situation.Content{
			Event: "IT-avbrott. Larm från Kalle Karlsson, tel 0470-58 60 00 eller +46 70 123 45 67, kalle.karlsson@region.se.",
			Consequences: situation.Consequences{PatientSafety: "Patient 19850101-1234 flyttad; även 850101+1234 och 20121212-1212.",
				PersonalData: "Journaluppgifter otillgängliga; anmälan till IMY."},
			Direction: []situation.Measure{{What: "Ring kalle karlsson", Owner: "Kalle Karlsson"}, {What: "Reservrutin", Owner: "IT-chef"}},
			Audience:  dispatch.Audience{All: true},
		}}
	text, err := situation.Export(p, situation.ExportInput{Org: "Region Test", Recipients: []string{"Socialstyrelsen"},
		Incident: incident.Incident{Title: "IT-avbrott", Exercise: true}, People: []string{"Kalle Karlsson", "Sven Stab", "Stina Stabschef"},
		Functions: []string{"IT-chef"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, pd := range []string{"Kalle", "karlsson", "0470", "123 45", "@", "19850101", "850101", "1234", "20121212", "Sven", "Stina"} {
		if strings.Contains(strings.ToLower(text), strings.ToLower(pd)) {
			t.Errorf("the export holds %q:\n%s", pd, text)
		}
	}
	for _, want := range []string{"ÖVNING", "Socialstyrelsen", "Stabschef", "IT-chef", "[ansvarig angiven]", "anmälan till IMY", "version 3"} {
		if !strings.Contains(text, want) {
			t.Errorf("the export lacks %q:\n%s", want, text)
		}
	}
	p.Status = situation.Approved
	if _, err := situation.Export(p, situation.ExportInput{}); err == nil {
		t.Fatal("an unpublished version was exported")
	}
}

// Payloads are written with encoding/json and read with the JSON v2
// decoder: every situation payload must survive the trip unchanged.
func TestEveryPayloadRoundTrips(t *testing.T) {
	at := time.Date(2026, 11, 23, 8, 3, 0, 123e6, time.UTC)
	content := situation.Content{Event: "e", Levels: []situation.Level{{Scope: "region", Name: "R", Level: incident.Staff}},
		Scope: "s", Affected: []string{"a"}, Consequences: situation.Consequences{PatientSafety: "p", Media: "m"},
		Actions: "a", Resources: "r", Coordination: "c", Communication: "k", Forecast: "f",
		Direction: []situation.Measure{{What: "w", Owner: "o", Deadline: at, Task: "t"}}, Reporting: "rep", NextBriefing: at,
		Audience: dispatch.Audience{Units: []string{"a"}}}
	payloads := []any{
		&situation.RoundOpened{Round: "r", Incident: "i", Title: "t", Note: "n", Audience: dispatch.Audience{Subtrees: []string{"h"}},
			Units: []string{"a", "b"}, Deadline: at, Dispatch: "d", Author: "x"},
		&situation.RoundClosed{Round: "r", Author: "x"},
		&situation.RoundReopened{Round: "r", Deadline: at, Author: "x"},
		&situation.RoundReminded{Round: "r", Dispatch: "d", Units: []string{"b"}},
		&situation.ReportFiled{Report: "p", Round: "r", Incident: "i", Unit: "a", Version: 2, Values: situation.Values{State: situation.Limited,
			Staff: situation.Staffing{Present: 3, Missing: 1}, Beds: situation.Beds{Total: 9, Occupied: 8},
			Systems:  []situation.SystemStatus{{Name: "Cosmic", State: situation.Down, Note: "n"}},
			Supplies: []situation.Supply{{Name: "Handskar", Note: "2 dygn"}}, Needs: []string{"x"}, Text: "å\nä"},
			By: "b", Username: "u", OnBehalf: true, Channel: dispatch.Phone, Late: true},
		&situation.PictureDrafted{Picture: "p", Incident: "i", Version: 1, Content: content,
			Basis: situation.Basis{Round: "r", Reports: []situation.ReportID{"x"}, Entries: []string{"e"}, Since: at}, Author: "a", Function: "f"},
		&situation.PictureRevised{Picture: "p", Content: content, Author: "a"},
		&situation.PictureApproved{Picture: "p", By: "b", Function: "Stabschef"},
		&situation.PicturePublished{Picture: "p", Dispatch: "d", By: "b"},
		&situation.FourEyesSet{Enabled: false, By: "b"},
		&situation.PictureDiscarded{Picture: "p", Reason: "överspelad", By: "b"},
	}
	for _, p := range payloads {
		e, err := event.Seal(event.Draft{Type: "x", Payload: p}, "id", "o", "", at)
		if err != nil {
			t.Fatal(err)
		}
		got := reflect.New(reflect.TypeOf(p).Elem()).Interface()
		if err := e.Unmarshal(got); err != nil {
			t.Fatalf("%T: %v", p, err)
		}
		if !reflect.DeepEqual(got, p) {
			t.Errorf("%T changed on the way through the log:\n got %+v\nwant %+v", p, got, p)
		}
	}
}
