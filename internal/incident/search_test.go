package incident_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"fyr/internal/incident"
)

var searchWords = []string{"Växeln", "IVA", "Åsa", "ÖVERBELÄGGNING", "reservrutin", "leverantör", "Cosmic", "dns", "Ärende", "kvittens"}

// searchWorld writes n entries of random words (and some decisions and
// tasks, whose maker, rationale, owner and report-back are searched too).
func searchWorld(tb testing.TB, n int, seed uint64) (*world, incident.ID) {
	w := newWorld(tb)
	id := w.open(incident.Staff)
	r := rand.New(rand.NewPCG(seed, 1))
	word := func() string {
		s := searchWords[r.IntN(len(searchWords))]
		switch r.IntN(3) {
		case 0:
			s = strings.ToLower(s)
		case 1:
			s = strings.ToUpper(s)
		}
		return s
	}
	var batch []incident.Record
	for i := range n {
		cmd := incident.Record{Incident: id, Kind: incident.InfoIn, Text: fmt.Sprintf("Post %d: %s och %s", i, word(), word()),
			Source: word(), OccurredAt: now.Add(time.Duration(r.IntN(600)-300) * time.Minute)}
		switch r.IntN(5) {
		case 0:
			cmd.Kind, cmd.Task = incident.Task, &incident.TaskInfo{Owner: word(), ReportBack: word()}
		case 1:
			cmd.Kind, cmd.Decision = incident.Decision, &incident.DecisionInfo{DecisionMaker: word(), Rationale: word()}
		}
		batch = append(batch, cmd)
	}
	for _, cmd := range batch {
		d, err := cmd.Decide(w.facts, by, now.Add(6*time.Hour))
		if err != nil {
			tb.Fatal(err)
		}
		w.apply(d, now.Add(6*time.Hour))
	}
	return w, id
}

// The index only narrows a search: a page finds exactly the entries the
// matcher alone finds (Journal walks every entry without the index), in any
// case, with Swedish letters, by serial and on the timeline.
func TestSearchFindsWhatTheMatcherFinds(t *testing.T) {
	w, id := searchWorld(t, 400, 7)
	needles := []string{"växeln", "VÄXELN", "iva", "åsa", "ÅSA", "överbel", "läggning", "RESERV", "cosmic och", "post 17:", "ärende", "ns", "finns-inte", "a"}
	for _, needle := range needles {
		for _, byTime := range []bool{false, true} {
			for _, kind := range []incident.Kind{"", incident.Task, incident.Decision, incident.InfoIn, incident.Coordination} {
				q := incident.Query{Text: needle, ByTime: byTime, Kind: kind}
				all, err := w.view.Journal(id, q)
				if err != nil {
					t.Fatal(err)
				}
				pg, err := w.view.JournalPage(id, q, incident.Page{})
				if err != nil {
					t.Fatal(err)
				}
				if got, want := serials(pg.Entries), serials(all); !slices.Equal(got, want) {
					t.Errorf("%q byTime=%v kind=%q: page has %v, the matcher finds %v", needle, byTime, kind, got, want)
				}
				if needle == "finns-inte" && len(all) != 0 {
					t.Errorf("%q found %d entries", needle, len(all))
				}
				if needle == "växeln" && kind == "" && len(all) < 50 {
					t.Errorf("%q found only %d entries of 400: the corpus does not exercise the search", needle, len(all))
				}
			}
		}
	}
	// A page of a search, cursor by cursor, walks the same entries.
	q := incident.Query{Text: "iva"}
	all, _ := w.view.Journal(id, q)
	var walked []int
	for pg := (incident.Page{Limit: 7}); ; {
		p, err := w.view.JournalPage(id, q, pg)
		if err != nil {
			t.Fatal(err)
		}
		walked = append(walked, serials(p.Entries)...)
		if p.Later == 0 {
			break
		}
		pg.After = p.Later
	}
	if !slices.Equal(walked, serials(all)) {
		t.Errorf("paging a search walked %v, want %v", walked, serials(all))
	}
}

// BenchmarkJournalSearch is the journal page's search case without HTTP and
// templates: 100,000 entries, a word that matches few (or no) entries, the
// newest 50 of one kind.
//
//	go test -run '^$' -bench JournalSearch ./internal/incident/
func BenchmarkJournalSearch(b *testing.B) {
	w, id := searchWorld(b, 100_000, 3)
	for _, needle := range []string{"post 4711:", "finns-inte", "växeln"} {
		b.Run(needle, func(b *testing.B) {
			q := incident.Query{Text: needle, Kind: incident.InfoIn}
			for b.Loop() {
				if _, err := w.view.JournalPage(id, q, incident.Page{Limit: 50, Newest: true}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
