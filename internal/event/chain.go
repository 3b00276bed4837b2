package event

import "fmt"

// ChainError names the first event at which a chain stops verifying.
type ChainError struct {
	Seq    uint64
	ID     string
	Reason string
}

func (e *ChainError) Error() string {
	return fmt.Sprintf("chain broken at seq %d (event %s): %s", e.Seq, e.ID, e.Reason)
}

// Verifier checks events one at a time, in log order, against each
// organisation's hash chain and the log's gap-free sequence numbers.
type Verifier struct {
	last    map[string]string // org -> hash of its previous event
	lastSeq uint64
	Count   int
}

// NewVerifier returns a verifier for a log that starts at sequence 1.
func NewVerifier() *Verifier { return &Verifier{last: map[string]string{}} }

// Check verifies the next event. The log never deletes, so a gap in the
// sequence numbers means an event was removed from storage.
func (v *Verifier) Check(e Envelope) error {
	if e.Seq != v.lastSeq+1 {
		return &ChainError{Seq: e.Seq, ID: e.ID, Reason: fmt.Sprintf("events at seq %d..%d are missing (removed or unreadable)", v.lastSeq+1, e.Seq-1)}
	}
	if got := e.ComputeHash(); got != e.Hash {
		return &ChainError{Seq: e.Seq, ID: e.ID, Reason: "content altered: stored hash does not match the event"}
	}
	if want := v.last[e.Org]; e.Prev != want {
		return &ChainError{Seq: e.Seq, ID: e.ID, Reason: fmt.Sprintf("does not follow the previous event of org %q (expected prev %.12s…, has %.12s…): an event was removed, inserted or reordered", e.Org, want, e.Prev)}
	}
	v.last[e.Org] = e.Hash
	v.lastSeq = e.Seq
	v.Count++
	return nil
}
