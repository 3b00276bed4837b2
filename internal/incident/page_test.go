package incident_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"fyr/internal/incident"
)

func serials(es []incident.Entry) []int {
	out := make([]int, len(es))
	for i, e := range es {
		out[i] = e.Serial
	}
	return out
}

// pagedWorld is an incident of 10 entries: #1 the opening (at now), #2 its
// level, #3–#10 records a minute apart; #7 occurred first of all (late), and
// the even ones from #4 on are tasks.
func pagedWorld(t *testing.T) (*world, incident.ID) {
	w := newWorld(t)
	id := w.open(incident.Staff)
	for i := 3; i <= 10; i++ {
		at := now.Add(time.Duration(i) * time.Minute)
		if i == 7 {
			at = now.Add(-time.Hour)
		}
		cmd := incident.Record{Incident: id, Kind: incident.InfoIn, Text: fmt.Sprintf("Post %d från Växeln", i), OccurredAt: at}
		if i%2 == 0 {
			cmd.Kind, cmd.Task = incident.Task, &incident.TaskInfo{Owner: "Åsa"}
		}
		d, err := cmd.Decide(w.facts, by, now.Add(time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		w.apply(d, now.Add(time.Duration(i)*time.Minute))
	}
	return w, id
}

func TestJournalPages(t *testing.T) {
	w, id := pagedWorld(t)
	for _, c := range []struct {
		name           string
		q              incident.Query
		pg             incident.Page
		want           []int
		earlier, later int
	}{
		{"first page, newest first", incident.Query{}, incident.Page{Limit: 3, Newest: true}, []int{10, 9, 8}, 8, 0},
		{"older page", incident.Query{}, incident.Page{Limit: 3, Newest: true, Before: 8}, []int{7, 6, 5}, 5, 7},
		{"oldest page is short", incident.Query{}, incident.Page{Limit: 3, Newest: true, Before: 3}, []int{2, 1}, 0, 2},
		{"back to newer", incident.Query{}, incident.Page{Limit: 3, Newest: true, After: 4}, []int{7, 6, 5}, 5, 7},
		{"oldest first", incident.Query{}, incident.Page{Limit: 4}, []int{1, 2, 3, 4}, 0, 4},
		{"oldest first, next", incident.Query{}, incident.Page{Limit: 4, After: 4}, []int{5, 6, 7, 8}, 5, 8},
		{"no limit", incident.Query{}, incident.Page{Newest: true}, []int{10, 9, 8, 7, 6, 5, 4, 3, 2, 1}, 0, 0},
		{"searched and paged", incident.Query{Kind: incident.Task}, incident.Page{Limit: 2, Newest: true}, []int{10, 8}, 8, 0},
		{"searched, older", incident.Query{Kind: incident.Task}, incident.Page{Limit: 2, Newest: true, Before: 8}, []int{6, 4}, 0, 6},
		{"text in any case", incident.Query{Text: "VÄXELN"}, incident.Page{Limit: 2, Newest: true, Before: 4}, []int{3}, 0, 3},
		{"ASCII text in any case", incident.Query{Text: "POST 1"}, incident.Page{Newest: true}, []int{10}, 0, 0},
		{"no match", incident.Query{Text: "postx"}, incident.Page{Newest: true}, []int{}, 0, 0},
		{"starts ASCII, then not", incident.Query{Text: "från VÄX"}, incident.Page{Newest: true, Limit: 1}, []int{10}, 10, 0},
		// The timeline: #7 occurred an hour before the opening.
		{"timeline", incident.Query{ByTime: true}, incident.Page{Limit: 3}, []int{7, 1, 2}, 0, 2},
		{"timeline, next", incident.Query{ByTime: true}, incident.Page{Limit: 3, After: 2}, []int{3, 4, 5}, 3, 5},
		{"timeline, before the late one", incident.Query{ByTime: true}, incident.Page{Limit: 3, Before: 1}, []int{7}, 0, 7},
	} {
		got, err := w.view.JournalPage(id, c.q, c.pg)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if !slices.Equal(serials(got.Entries), c.want) || got.Earlier != c.earlier || got.Later != c.later {
			t.Errorf("%s: got %v earlier %d later %d; want %v earlier %d later %d", c.name,
				serials(got.Entries), got.Earlier, got.Later, c.want, c.earlier, c.later)
		}
	}
	if _, err := w.view.JournalPage(id, incident.Query{}, incident.Page{Before: 11}); err == nil {
		t.Error("a cursor past the last entry is accepted")
	} else {
		wantField(t, err, "before")
	}
	// The whole journal and its pages agree.
	all, _ := w.view.Journal(id, incident.Query{ByTime: true})
	if want := []int{7, 1, 2, 3, 4, 5, 6, 8, 9, 10}; !slices.Equal(serials(all), want) {
		t.Errorf("timeline %v, want %v", serials(all), want)
	}
}

func TestSinceIsWhatALivePageMissed(t *testing.T) {
	w, id := pagedWorld(t)
	e5, _ := w.view.EntryBySerial(id, 5)
	d, err := incident.Record{Incident: id, Kind: incident.InfoIn, Text: "Rättelse", Corrects: e5.ID}.Decide(w.facts, by, now.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	w.apply(d, now.Add(time.Hour))
	e10, _ := w.view.EntryBySerial(id, 10)
	got := w.view.Since(id, e10.Seq)
	if !slices.Equal(serials(got), []int{5, 11}) || len(got[0].CorrectedBy) != 1 {
		t.Fatalf("since #10: %v; want #5 (now corrected) and #11", serials(got))
	}
}

func TestTasksAsTheyStand(t *testing.T) {
	w := newWorld(t)
	id := w.open(incident.Staff)
	record := func(text, owner string, deadline time.Time, status incident.TaskStatus, updates string) string {
		t.Helper()
		d, err := incident.Record{Incident: id, Kind: incident.Task, Text: text,
			Task: &incident.TaskInfo{Owner: owner, Deadline: deadline, Status: status, Updates: updates}}.Decide(w.facts, by, now)
		if err != nil {
			t.Fatal(err)
		}
		w.apply(d, now)
		return d[0].Payload.(incident.EntryRecorded).ID
	}
	record("Ring IT-leverantören", "Åsa", now.Add(2*time.Hour), "", "")
	late := record("Inventera reservrutiner", "Bengt", now.Add(-time.Hour), "", "")
	record("Informera kommunerna", "Anna", time.Time{}, "", "")
	done := record("Kalla in stab", "Cecilia", now.Add(-2*time.Hour), "", "")
	later := record("Skriv lägesbild", "Anna", now.Add(time.Hour), "", "")
	record("Klart", "", time.Time{}, incident.TaskDone, done)
	record("Påbörjat", "", time.Time{}, incident.TaskStarted, late)
	record("Till Bo", "Bo", now.Add(30*time.Minute), "", later) // handed over, new deadline
	tasks, err := w.view.Tasks(id, now)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, ts := range tasks {
		got = append(got, fmt.Sprintf("%s/%s/%s/%v", ts.Text, ts.Owner, ts.Status, ts.Overdue))
	}
	want := []string{
		"Inventera reservrutiner/Bengt/started/true", // overdue first
		"Informera kommunerna/Anna/open/false",       // then by owner
		"Skriv lägesbild/Bo/open/false",
		"Ring IT-leverantören/Åsa/open/false",
		"Kalla in stab/Cecilia/done/false", // done last, not overdue
	}
	if !slices.Equal(got, want) {
		t.Fatalf("tasks:\n got %q\nwant %q", got, want)
	}
}
