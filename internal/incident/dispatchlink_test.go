package incident_test

import (
	"encoding/json"
	"testing"

	"fyr/internal/incident"
)

// The entry that records a dispatch carries the dispatch's id from Decide
// itself (nothing rewrites the payload afterwards), and a client cannot
// link an entry it writes to a dispatch.
func TestRecordLinksItsDispatchInDecide(t *testing.T) {
	w := newWorld(t)
	id := w.open(incident.Staff)
	drafts, err := incident.Record{Incident: id, Kind: incident.InfoOut, Text: "Utskick", Dispatch: "d1"}.Decide(w.facts, by, now)
	if err != nil {
		t.Fatal(err)
	}
	if got := drafts[0].Payload.(incident.EntryRecorded).Dispatch; got != "d1" {
		t.Fatalf("the entry links dispatch %q; want d1", got)
	}
	w.apply(drafts, now)
	if out, _ := w.view.Journal(id, incident.Query{Kind: incident.InfoOut}); len(out) != 1 || out[0].Dispatch != "d1" {
		t.Fatalf("journal: %+v", out)
	}
	var fromClient incident.Record
	if err := json.Unmarshal([]byte(`{"kind":"info_out","text":"x","dispatch":"d2"}`), &fromClient); err != nil {
		t.Fatal(err)
	}
	if fromClient.Dispatch != "" {
		t.Fatalf("a client linked its entry to dispatch %q", fromClient.Dispatch)
	}
}
