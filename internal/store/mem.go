package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"

	"fyr/internal/event"
)

// Mem is the event log in memory, for pure service tests: it behaves as
// Store does through Log, and passes the same conformance suite
// (storetest). Events are kept as Store keeps them, encoded as JSON, and
// decoded on every read, so an event that would not survive the log
// unchanged shows here too.
//
// It does not model durability (nothing survives Close), a full disk or an
// engine that does not answer other than through SetFault, the engine
// restart that clears such a fault, storage that loses or damages records
// (which Store's Replay reports as a gap), nor the two-minute window of
// duplicate detection (Mem remembers every event id for ever).
type Mem struct {
	mu     sync.Mutex
	recs   [][]byte          // recs[i] is the encoded event at sequence i+1
	heads  map[string]uint64 // org -> sequence of its newest event
	ids    map[string]uint64 // event id -> its sequence, as JetStream deduplicates
	fault  error
	grown  chan struct{} // closed, and replaced, when events are appended
	closed chan struct{}
	subs   sync.WaitGroup
}

var _ Log = (*Mem)(nil)

// NewMem returns an empty in-memory log.
func NewMem() *Mem {
	return &Mem{heads: map[string]uint64{}, ids: map[string]uint64{}, grown: make(chan struct{}), closed: make(chan struct{})}
}

// errMemClosed is what Mem answers once it is closed.
var errMemClosed = errors.New("store: the in-memory log is closed")

// SetFault makes the log refuse writes with err, as Store does once its
// disk is full (ErrFull) or its engine does not answer (ErrNoAnswer);
// SetFault(nil) lets it take writes again.
func (m *Mem) SetFault(err error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.fault = err
}

// Fault is nil while the log takes writes, else the error set by SetFault.
func (m *Mem) Fault() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.fault
}

// MaxPayload is the largest event the log takes: what Store takes from
// the embedded server.
func (m *Mem) MaxPayload() int { return MaxPayload - headerRoom }

// Commit appends evs atomically after the org's newest event, which must be
// at expectLast, as Store.Commit does.
func (m *Mem) Commit(ctx context.Context, org string, expectLast uint64, evs []event.Envelope) (uint64, error) {
	if err := m.Fault(); err != nil {
		return 0, err
	}
	data, err := encodeBatch(org, evs, m.MaxPayload())
	if err != nil {
		return 0, err
	}
	if err := ctx.Err(); err != nil {
		return 0, fmt.Errorf("commit batch of %d events: %w", len(evs), err)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.isClosed() {
		return 0, fmt.Errorf("commit batch of %d events: %w", len(evs), errMemClosed)
	}
	// JetStream checks the expected sequence before it looks for duplicates.
	if head := m.heads[org]; head != expectLast {
		return 0, fmt.Errorf("%w: wrong last sequence: %d", ErrConflict, head)
	}
	if len(evs) == 1 {
		// A single event already stored is acknowledged with its sequence
		// and not stored again (a retry after a lost answer).
		if seq, ok := m.ids[evs[0].ID]; ok {
			return seq, nil
		}
	} else {
		seen := make(map[string]bool, len(evs))
		for _, e := range evs {
			if _, ok := m.ids[e.ID]; ok || seen[e.ID] {
				return 0, errors.New("commit batch: atomic publish batch contains duplicate message id (code 10201)")
			}
			seen[e.ID] = true
		}
	}
	for i, e := range evs {
		m.recs = append(m.recs, data[i])
		m.ids[e.ID] = uint64(len(m.recs))
	}
	last := uint64(len(m.recs))
	m.heads[org] = last
	close(m.grown)
	m.grown = make(chan struct{})
	return last, nil
}

// stored returns the events stored so far and a channel closed when more
// are appended. The slice is never written below its length again.
func (m *Mem) stored() ([][]byte, <-chan struct{}) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.recs, m.grown
}

// Replay reads every stored event in order, up to the newest present when
// it started.
func (m *Mem) Replay(ctx context.Context, fn func(event.Envelope) error) error {
	if m.isClosed() {
		return fmt.Errorf("replay: %w", errMemClosed)
	}
	recs, _ := m.stored()
	for i, data := range recs {
		if err := ctx.Err(); err != nil {
			return err
		}
		seq := uint64(i + 1)
		e, err := event.Decode(data, seq)
		if err != nil {
			return &event.ChainError{Seq: seq, Reason: fmt.Sprintf("unreadable: %v", err)}
		}
		if err := fn(e); err != nil {
			return err
		}
	}
	return nil
}

// Subscribe delivers every event from fromSeq on, in order, first the
// stored ones and then new ones as they are appended, on one goroutine,
// until ctx ends, stop is called or the log is closed. Once stop returns,
// fn is not running and is not called again (fn must not call it).
func (m *Mem) Subscribe(ctx context.Context, fromSeq uint64, fn func(event.Envelope)) (stop func(), err error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("subscribe: %w", err)
	}
	if m.isClosed() {
		return nil, fmt.Errorf("subscribe: %w", errMemClosed)
	}
	var (
		mu     sync.Mutex // held while fn runs
		done   bool
		once   sync.Once
		quit   = make(chan struct{})
		exited = make(chan struct{})
	)
	next := max(fromSeq, 1)
	m.subs.Add(1)
	go func() {
		defer m.subs.Done()
		defer close(exited)
		for {
			recs, grown := m.stored()
			for ; next <= uint64(len(recs)); next++ {
				e, err := event.Decode(recs[next-1], next)
				mu.Lock()
				if done || ctx.Err() != nil {
					mu.Unlock()
					return
				}
				if err == nil { // as Store, which logs and skips it
					fn(e)
				}
				mu.Unlock()
			}
			select {
			case <-grown:
			case <-quit:
				return
			case <-ctx.Done():
				return
			case <-m.closed:
				return
			}
		}
	}()
	return func() {
		once.Do(func() {
			mu.Lock()
			done = true
			mu.Unlock()
			close(quit)
		})
		<-exited
	}, nil
}

// Orgs lists the organisations that have events in the log, sorted.
func (m *Mem) Orgs(ctx context.Context) ([]string, error) {
	if m.isClosed() {
		return nil, fmt.Errorf("orgs: %w", errMemClosed)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	var orgs []string
	for org := range m.heads {
		orgs = append(orgs, org)
	}
	slices.Sort(orgs)
	return orgs, nil
}

func (m *Mem) isClosed() bool {
	select {
	case <-m.closed:
		return true
	default:
		return false
	}
}

// Close ends every subscription and refuses further writes. It returns
// once no subscription's fn runs any more.
func (m *Mem) Close() {
	m.mu.Lock()
	select {
	case <-m.closed:
	default:
		close(m.closed)
	}
	m.mu.Unlock()
	m.subs.Wait()
}
