package store

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"syscall"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"fyr/internal/event"
	"fyr/internal/fail"
)

// ErrFull means the log cannot store anything more: the disk is full, or
// JetStream's own storage limit is reached. Nothing of the refused write was
// stored. Writing resumes by itself once space is freed.
var ErrFull = &fail.Error{Code: fail.Unavailable, Message: "storage full — nothing was saved"}

// ErrNoAnswer means the log did not answer a write in time and did not hold
// it when asked afterwards. The engine is restarted; try again.
var ErrNoAnswer = &fail.Error{Code: fail.Unavailable, Message: "the event log did not answer in time — nothing was saved; try again"}

// CommitTimeout bounds one commit. JetStream does not answer a write it
// could not store on a full disk, and refuses every later one until its
// stream is reopened: a write must fail within seconds, not hang.
const CommitTimeout = 5 * time.Second

// DefaultResumeFree is how much more free space than when the log filled
// must be back before writing is tried again.
const DefaultResumeFree = 8 << 20

// lowFree is the free space below which a write that got no answer is
// taken to have met a full disk.
const lowFree = 4 << 20

// health is the log's ability to take writes. A write the engine could not
// store sets a fault; from then on writes fail at once (not after a
// timeout each) until the watcher sees space return and restarts the
// JetStream engine, which reopens the stream from disk with a clean slate
// and a storage limit computed afresh from the free space.
type health struct {
	mu       sync.Mutex
	fault    error
	freeAt   int64 // free bytes on the data directory's file system when the fault was seen
	limitAt  int64 // the configured storage limit then (0: none)
	watching bool
	subs     map[*subscription]struct{}
	closed   chan struct{}
}

// Fault is nil while the log takes writes, else why it does not
// (ErrFull or ErrNoAnswer).
func (s *Store) Fault() error {
	s.h.mu.Lock()
	defer s.h.mu.Unlock()
	return s.h.fault
}

// diskFree is the space an unprivileged writer may still use on dir's file
// system, or -1 if it cannot be read.
func diskFree(dir string) int64 {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return -1
	}
	return int64(st.Bavail) * int64(st.Bsize)
}

// setFault records that writes fail and starts the watcher.
func (s *Store) setFault(err error) {
	free := diskFree(s.dir)
	s.h.mu.Lock()
	defer s.h.mu.Unlock()
	if s.h.fault == nil {
		s.log.Error("the log takes no writes", "err", err, "free_bytes", free)
	}
	s.h.fault, s.h.freeAt, s.h.limitAt = err, free, s.maxStore.Load()
	if !s.h.watching {
		s.h.watching = true
		go s.watch()
	}
}

// watch waits until writing may work again, then restarts the engine.
func (s *Store) watch() {
	tick := time.NewTicker(250 * time.Millisecond)
	defer tick.Stop()
	since := time.Now()
	for {
		select {
		case <-s.h.closed:
			return
		case <-tick.C:
		}
		s.h.mu.Lock()
		fault, freeAt, limitAt := s.h.fault, s.h.freeAt, s.h.limitAt
		s.h.mu.Unlock()
		free := diskFree(s.dir)
		switch {
		case fault == ErrFull && free < freeAt+s.resumeFree && s.maxStore.Load() <= limitAt:
			continue // no space came back yet, and the limit was not raised
		case fault != ErrFull && time.Since(since) < time.Second:
			continue
		}
		if err := s.restartEngine(); err != nil {
			s.log.Error("restart the log engine", "err", err)
			since = time.Now()
			continue
		}
		s.h.mu.Lock()
		s.h.fault, s.h.watching = nil, false
		s.h.mu.Unlock()
		s.log.Info("the log takes writes again", "free_bytes", free)
		return
	}
}

// restartEngine stops JetStream and starts it again on the same directory,
// as a restart of the process would, and resumes every subscription where
// it stopped.
func (s *Store) restartEngine() error {
	if err := s.ns.ShutdownJetStream(); err != nil {
		return fmt.Errorf("stop jetstream: %w", err)
	}
	// Without a configured limit the server derives one from the free
	// space now; it takes SyncAlways and the rest from its options as at start.
	if err := s.ns.EnableJetStream(&server.JetStreamConfig{StoreDir: s.opts.StoreDir, MaxStore: s.maxStore.Load()}); err != nil {
		return fmt.Errorf("start jetstream: %w", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	// The stream handle names the stream; check that it is back.
	if _, err := s.js.Stream(ctx, StreamName); err != nil {
		return fmt.Errorf("reopen stream %s: %w", StreamName, err)
	}
	s.h.mu.Lock()
	subs := make([]*subscription, 0, len(s.h.subs))
	for sub := range s.h.subs {
		subs = append(subs, sub)
	}
	s.h.mu.Unlock()
	for _, sub := range subs {
		if err := sub.restart(ctx); err != nil {
			return err
		}
	}
	return nil
}

// classify turns a failed commit into the error its caller sees, setting
// the fault when the log cannot take writes. stored reports a commit that
// got no answer but is in the log after all.
func (s *Store) classify(org string, evs []event.Envelope, err error) (seq uint64, stored bool, _ error) {
	if errors.Is(err, context.DeadlineExceeded) {
		// Ask whether the batch made it: the answer may only have been late.
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		m, lerr := s.stream.GetLastMsgForSubject(ctx, Subject(org))
		if lerr == nil && m.Header.Get(jetstream.MsgIDHeader) == evs[len(evs)-1].ID {
			return m.Sequence, true, nil
		}
		if free := diskFree(s.dir); free >= 0 && free < lowFree {
			s.setFault(ErrFull)
			return 0, false, fmt.Errorf("%w (no answer within %v; %d bytes free)", ErrFull, CommitTimeout, free)
		}
		s.setFault(ErrNoAnswer)
		return 0, false, fmt.Errorf("%w: %v", ErrNoAnswer, err)
	}
	if errors.Is(err, nats.ErrNoResponders) {
		// JetStream is not running (being restarted, or stopped itself).
		s.setFault(ErrNoAnswer)
		return 0, false, fmt.Errorf("%w: %v", ErrNoAnswer, err)
	}
	return 0, false, err
}

// isFullAck reports a refusal for want of storage.
func isFullAck(code int) bool {
	return code == errCodeInsufficientResources || code == errCodeStorageExceeded
}

// JetStream's error codes for a store that is out of room.
const (
	errCodeInsufficientResources = 10023
	errCodeStorageExceeded       = 10047
)

// subscription is one Subscribe: it survives an engine restart by
// resuming after the last event it delivered.
type subscription struct {
	s    *Store
	fn   func(event.Envelope)
	ctx  context.Context // no event is delivered once it ends
	mu   sync.Mutex      // held while fn runs: events are delivered one at a time, in order
	last uint64          // the last sequence delivered
	cc   jetstream.ConsumeContext
	done bool
}

func (sub *subscription) start(ctx context.Context) error {
	sub.mu.Lock()
	from := sub.last + 1
	sub.mu.Unlock()
	cfg := jetstream.OrderedConsumerConfig{DeliverPolicy: jetstream.DeliverAllPolicy}
	if from > 1 {
		cfg = jetstream.OrderedConsumerConfig{DeliverPolicy: jetstream.DeliverByStartSequencePolicy, OptStartSeq: from}
	}
	cons, err := sub.s.stream.OrderedConsumer(ctx, cfg)
	if err != nil {
		return fmt.Errorf("create ordered consumer: %w", err)
	}
	cc, err := cons.Consume(sub.deliver, jetstream.PullMaxMessages(4096))
	if err != nil {
		return fmt.Errorf("consume: %w", err)
	}
	sub.mu.Lock()
	old := sub.cc
	if sub.done {
		old, sub.cc = cc, nil
	} else {
		sub.cc = cc
	}
	sub.mu.Unlock()
	if old != nil {
		old.Stop()
	}
	return nil
}

func (sub *subscription) deliver(m jetstream.Msg) {
	meta, err := m.Metadata()
	if err != nil {
		sub.s.log.Error("event metadata", "err", err)
		return
	}
	seq := meta.Sequence.Stream
	sub.mu.Lock()
	defer sub.mu.Unlock()
	if seq <= sub.last || sub.done || sub.ctx.Err() != nil {
		return // delivered already (by the consumer before a restart), or stopped
	}
	sub.last = seq
	e, err := event.Decode(m.Data(), seq)
	if err != nil {
		sub.s.log.Error("skip undecodable event", "seq", seq, "err", err)
		return
	}
	sub.fn(e)
}

// restart replaces the consumer after an engine restart.
func (sub *subscription) restart(ctx context.Context) error {
	sub.mu.Lock()
	old, done := sub.cc, sub.done
	sub.mu.Unlock()
	if done {
		return nil
	}
	if old != nil {
		old.Stop()
	}
	return sub.start(ctx)
}

func (sub *subscription) stop() {
	sub.mu.Lock()
	sub.done = true
	cc := sub.cc
	sub.mu.Unlock()
	if cc != nil {
		cc.Stop()
	}
	sub.s.h.mu.Lock()
	delete(sub.s.h.subs, sub)
	sub.s.h.mu.Unlock()
}

// SetMaxStore raises JetStream's storage limit (see Config.MaxStore); a log
// that was full at the old limit takes writes again.
func (s *Store) SetMaxStore(n int64) { s.maxStore.Store(n) }
