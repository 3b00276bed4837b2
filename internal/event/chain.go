package event

import "fmt"

// ChainError names the first event at which a chain stops verifying: its
// log sequence number and, when the event could be read, its id.
type ChainError struct {
	Seq    uint64
	ID     string // empty when the event at Seq is missing or unreadable
	Reason string
}

func (e *ChainError) Error() string {
	if e.ID == "" {
		return fmt.Sprintf("chain broken at seq %d: %s", e.Seq, e.Reason)
	}
	return fmt.Sprintf("chain broken at seq %d (event %s): %s", e.Seq, e.ID, e.Reason)
}

// Verifier checks events one at a time, in log order, against each
// organisation's hash chain and the log's gap-free sequence numbers.
type Verifier struct {
	last     map[string]string // org -> hash of its previous event
	lastSeq  uint64
	lastHash string
	Count    int
}

// NewVerifier returns a verifier for a log that starts at sequence 1.
func NewVerifier() *Verifier { return &Verifier{last: map[string]string{}} }

// Check verifies the next event. The log never deletes, so a gap in the
// sequence numbers means an event was removed from storage or could not be
// read back; the error then names the first missing sequence number.
func (v *Verifier) Check(e Envelope) error {
	if e.Seq <= v.lastSeq {
		return &ChainError{Seq: e.Seq, ID: e.ID, Reason: fmt.Sprintf("out of order: the log already passed seq %d", v.lastSeq)}
	}
	if e.Seq != v.lastSeq+1 {
		return &ChainError{Seq: v.lastSeq + 1, Reason: fmt.Sprintf("events at seq %d..%d are missing (removed or unreadable); the next readable one is event %s at seq %d", v.lastSeq+1, e.Seq-1, e.ID, e.Seq)}
	}
	if got := e.ComputeHash(); got != e.Hash {
		return &ChainError{Seq: e.Seq, ID: e.ID, Reason: "content altered: stored hash does not match the event"}
	}
	if want := v.last[e.Org]; e.Prev != want {
		return &ChainError{Seq: e.Seq, ID: e.ID, Reason: fmt.Sprintf("does not follow the previous event of org %q (expected prev %s, has %s): an event was removed, inserted or reordered", e.Org, short(want), short(e.Prev))}
	}
	v.last[e.Org] = e.Hash
	v.lastSeq, v.lastHash = e.Seq, e.Hash
	v.Count++
	return nil
}

// short abbreviates a hash for a message; the first event of an org has none.
func short(hash string) string {
	if hash == "" {
		return "none"
	}
	if len(hash) > 12 {
		return hash[:12] + "…"
	}
	return hash
}

// Head returns the sequence and hash of the last event checked: what to keep
// beside a backup, since a chain cannot show that its own end was cut off.
func (v *Verifier) Head() (uint64, string) {
	return v.lastSeq, v.lastHash
}
