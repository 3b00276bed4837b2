package event_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"fyr/internal/event"
)

// chain seals n events, alternating between two organisations, and numbers
// them the way the log does.
func chain(t *testing.T, n int) []event.Envelope {
	t.Helper()
	at := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	prev := map[string]string{}
	var evs []event.Envelope
	for i := range n {
		org := []string{"region", "other"}[i%2]
		e, err := event.Seal(event.Draft{Type: "journal.recorded", Subject: "inc1", Actor: "admin",
			Payload: map[string]any{"text": fmt.Sprintf("entry %d", i)}}, event.NewID(), org, prev[org], at.Add(time.Duration(i)*time.Second))
		if err != nil {
			t.Fatal(err)
		}
		prev[org] = e.Hash
		e.Seq = uint64(i + 1)
		evs = append(evs, e)
	}
	return evs
}

// check runs a fresh verifier over evs and returns the first error.
func check(evs []event.Envelope) (*event.Verifier, error) {
	v := event.NewVerifier()
	for _, e := range evs {
		if err := v.Check(e); err != nil {
			return v, err
		}
	}
	return v, nil
}

// renumber gives evs the gap-free sequence numbers a rewritten log would.
func renumber(evs []event.Envelope) []event.Envelope {
	for i := range evs {
		evs[i].Seq = uint64(i + 1)
	}
	return evs
}

func requireChainError(t *testing.T, err error, seq uint64, id, reason string) {
	t.Helper()
	var ce *event.ChainError
	if !errors.As(err, &ce) {
		t.Fatalf("got %v, want a *ChainError", err)
	}
	if ce.Seq != seq || ce.ID != id || !strings.Contains(ce.Reason, reason) {
		t.Fatalf("got %v\nwant seq %d, event %q, reason containing %q", ce, seq, id, reason)
	}
	if !strings.Contains(ce.Error(), fmt.Sprintf("seq %d", seq)) || !strings.Contains(ce.Error(), id) {
		t.Fatalf("message %q does not name seq %d and event %q", ce.Error(), seq, id)
	}
}

func TestVerifierAcceptsAnIntactChain(t *testing.T) {
	evs := chain(t, 8)
	v, err := check(evs)
	if err != nil {
		t.Fatal(err)
	}
	if v.Count != len(evs) {
		t.Fatalf("counted %d events, want %d", v.Count, len(evs))
	}
	// The stored form round-trips to the same hash.
	for _, e := range evs {
		data, err := json.Marshal(e)
		if err != nil {
			t.Fatal(err)
		}
		back, err := event.Decode(data, e.Seq)
		if err != nil {
			t.Fatal(err)
		}
		if back.ComputeHash() != e.Hash {
			t.Fatalf("event %s does not keep its hash through its stored form", e.ID)
		}
	}
}

func TestVerifierNamesAlteredEvent(t *testing.T) {
	alter := map[string]func(*event.Envelope){
		"payload":     func(e *event.Envelope) { e.Payload = json.RawMessage(`{"text":"entry 9"}`) },
		"actor":       func(e *event.Envelope) { e.Actor = "someone else" },
		"occurred_at": func(e *event.Envelope) { e.OccurredAt = e.OccurredAt.Add(-time.Hour) },
		"recorded_at": func(e *event.Envelope) { e.RecordedAt = e.RecordedAt.Add(time.Millisecond) },
		"type":        func(e *event.Envelope) { e.Type = "journal.corrected" },
		"org":         func(e *event.Envelope) { e.Org = "other" },
		"hash":        func(e *event.Envelope) { e.Hash = strings.Repeat("0", 64) },
	}
	for field, fn := range alter {
		t.Run(field, func(t *testing.T) {
			evs := chain(t, 8)
			fn(&evs[4])
			_, err := check(evs)
			requireChainError(t, err, 5, evs[4].ID, "content altered")
		})
	}
}

func TestVerifierNamesEventAfterARehashedAlteration(t *testing.T) {
	evs := chain(t, 8)
	evs[4].Payload = json.RawMessage(`{"text":"rewritten"}`)
	evs[4].Hash = evs[4].ComputeHash()
	_, err := check(evs)
	// Event 5 is consistent in itself; the next event of its org (7, seq 7)
	// still points at the original.
	requireChainError(t, err, 7, evs[6].ID, "does not follow")
}

func TestVerifierNamesRemovedEvent(t *testing.T) {
	t.Run("gap in the log", func(t *testing.T) {
		evs := chain(t, 8)
		next := evs[4]
		evs = slices.Delete(evs, 3, 4)
		_, err := check(evs)
		var ce *event.ChainError
		if !errors.As(err, &ce) || ce.Seq != 4 || ce.ID != "" || !strings.Contains(ce.Reason, "missing") || !strings.Contains(ce.Reason, next.ID) {
			t.Fatalf("got %v, want seq 4 named missing, and the next readable event %s", err, next.ID)
		}
	})
	t.Run("rewritten without it", func(t *testing.T) {
		evs := chain(t, 8)
		after := evs[5] // the next event of the same org
		evs = renumber(slices.Delete(evs, 3, 4))
		_, err := check(evs)
		requireChainError(t, err, 5, after.ID, "does not follow")
	})
	t.Run("the first event", func(t *testing.T) {
		evs := chain(t, 8)
		evs = renumber(evs[2:])
		_, err := check(evs)
		requireChainError(t, err, 1, evs[0].ID, "expected prev none")
	})
}

func TestVerifierNamesReorderedEvent(t *testing.T) {
	t.Run("same org", func(t *testing.T) {
		evs := chain(t, 8)
		evs[2], evs[4] = evs[4], evs[2] // both of org "region"
		evs = renumber(evs)
		_, err := check(evs)
		requireChainError(t, err, 3, evs[2].ID, "does not follow")
	})
	t.Run("across orgs", func(t *testing.T) {
		// Each org's chain is intact; only the interleaving changed. The
		// chain is per org, so this is not tampering.
		evs := chain(t, 8)
		evs[2], evs[3] = evs[3], evs[2]
		if _, err := check(renumber(evs)); err != nil {
			t.Fatalf("interleaving of two orgs' chains: %v", err)
		}
	})
	t.Run("sequence numbers out of order", func(t *testing.T) {
		evs := chain(t, 8)
		evs[2], evs[3] = evs[3], evs[2] // as read, without renumbering
		_, err := check(evs)
		requireChainError(t, err, 3, "", "missing")
	})
}
