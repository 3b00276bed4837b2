package store

import (
	"context"

	"fyr/internal/event"
)

// Log is the event log as the kernel uses it. Store (JetStream) is the real
// one; Mem is its in-memory twin for pure service tests. Both pass the same
// conformance suite (storetest).
type Log interface {
	// Commit appends evs atomically (all or none) after the org's newest
	// event, which must be at expectLast (0: the org has none), else it
	// returns ErrConflict. It returns the sequence of the last event. An
	// event larger than MaxPayload fails the batch with ErrTooLarge; while
	// Fault is set, every commit fails with it.
	Commit(ctx context.Context, org string, expectLast uint64, evs []event.Envelope) (uint64, error)
	// Replay reads every stored event in order, up to the newest present
	// when it started.
	Replay(ctx context.Context, fn func(event.Envelope) error) error
	// Subscribe delivers every event from fromSeq on, in order, on one
	// goroutine, until ctx ends or stop is called; once stop returns, fn
	// is not called again (fn must not call stop).
	Subscribe(ctx context.Context, fromSeq uint64, fn func(event.Envelope)) (stop func(), err error)
	// Orgs lists the organisations the log holds.
	Orgs(ctx context.Context) ([]string, error)
	// Fault is nil while the log takes writes, else why it does not.
	Fault() error
	// MaxPayload is the largest event the log takes, in bytes.
	MaxPayload() int
	Close()
}

var _ Log = (*Store)(nil)
