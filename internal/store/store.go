// Package store keeps Fyr's event log in NATS JetStream: an embedded server
// with file storage in the data directory, atomic batch appends that are on
// disk before they are acknowledged, and ordered replay and subscription.
package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"fyr/internal/event"
)

// StreamName is the JetStream stream that holds every event.
const StreamName = "FYR"

// MaxBatch bounds one atomic batch (the server's own limit is 1,000).
const MaxBatch = 500

// MaxPayload is the largest message the embedded server takes: 4 MiB
// rather than NATS's default 1 MiB, so that one directory import (one event,
// to be atomic) may hold several thousand units and people. An external
// NATS cluster must allow as much (max_payload); the writer reads the limit
// the server announces (Store.MaxPayload).
const MaxPayload = 4 << 20

// ErrConflict means another writer appended to the organisation's chain
// since this writer last read it.
var ErrConflict = errors.New("store: the log moved on (another writer appended)")

// ErrLocked means another process has the data directory open.
var ErrLocked = errors.New("store: data directory is in use by another fyr process")

// Config says where the log lives.
type Config struct {
	Dir    string
	Logger *slog.Logger
	// ResumeFree is how much more free space than when the log filled up
	// must be back before writing resumes (default DefaultResumeFree).
	ResumeFree int64
	// MaxStore is JetStream's storage limit in bytes; 0 lets the engine
	// take 3/4 of the free disk space (recomputed when it restarts).
	MaxStore int64
}

// Store is an open event log.
type Store struct {
	ns     *server.Server
	nc     *nats.Conn
	js     jetstream.JetStream
	stream jetstream.Stream
	lock   *os.File
	log    *slog.Logger

	dir        string
	opts       *server.Options
	resumeFree int64
	maxStore   atomic.Int64
	h          health
}

// Subject is the NATS subject that carries an organisation's events.
func Subject(org string) string { return "fyr.ev." + org }

// Open starts the embedded NATS server on dir and makes sure the stream exists.
func Open(ctx context.Context, cfg Config) (*Store, error) {
	logger := cfg.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if err := os.MkdirAll(cfg.Dir, 0o700); err != nil {
		return nil, fmt.Errorf("create data directory: %w", err)
	}
	lock, err := lockDir(cfg.Dir)
	if err != nil {
		return nil, err
	}
	opts := &server.Options{
		ServerName: "fyr",
		JetStream:  true,
		StoreDir:   filepath.Join(cfg.Dir, "jetstream"),
		SyncAlways: true, // fsync before every acknowledgement
		MaxPayload: MaxPayload,
		DontListen: true,
		NoSigs:     true,
		NoLog:      true,
	}
	if cfg.MaxStore > 0 {
		opts.JetStreamMaxStore = cfg.MaxStore
	}
	ns, err := server.NewServer(opts)
	if err != nil {
		lock.Close()
		return nil, fmt.Errorf("configure embedded nats: %w", err)
	}
	go ns.Start()
	if !ns.ReadyForConnections(30 * time.Second) {
		ns.Shutdown()
		lock.Close()
		return nil, errors.New("embedded nats did not become ready within 30s")
	}
	s := &Store{ns: ns, lock: lock, log: logger, dir: cfg.Dir, opts: opts, resumeFree: cfg.ResumeFree,
		h: health{subs: map[*subscription]struct{}{}, closed: make(chan struct{})}}
	if s.resumeFree <= 0 {
		s.resumeFree = DefaultResumeFree
	}
	s.maxStore.Store(cfg.MaxStore)
	if err := s.connect(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

func (s *Store) connect(ctx context.Context) error {
	nc, err := nats.Connect("", nats.InProcessServer(s.ns), nats.Name("fyr"))
	if err != nil {
		return fmt.Errorf("connect to embedded nats: %w", err)
	}
	s.nc = nc
	js, err := jetstream.New(nc)
	if err != nil {
		return fmt.Errorf("jetstream context: %w", err)
	}
	s.js = js
	stream, err := js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
		Name:               StreamName,
		Subjects:           []string{"fyr.ev.*"},
		Storage:            jetstream.FileStorage,
		Retention:          jetstream.LimitsPolicy,
		Discard:            jetstream.DiscardNew,
		DenyDelete:         true,
		DenyPurge:          true,
		AllowAtomicPublish: true,
		Duplicates:         2 * time.Minute,
		Replicas:           1,
	})
	if err != nil {
		return fmt.Errorf("create stream %s: %w", StreamName, err)
	}
	s.stream = stream
	return nil
}

// lockDir holds an OS lock (flock) on the data directory itself, not on a
// file in it: a lock file can be deleted, and a second process would then
// lock a new one and open the same log. The lock ends with the process.
func lockDir(dir string) (*os.File, error) {
	f, err := os.Open(dir)
	if err != nil {
		return nil, fmt.Errorf("open data directory to lock it: %w", err)
	}
	// A lock just released can still be held for a moment by a child that
	// a fork copied the descriptor into before its exec closed it (a CLI
	// command run right after another, while a process starts another), so
	// a held lock is tried again for a second before it counts as in use.
	const tries, pause = 20, 50 * time.Millisecond
	for i := 1; ; i++ {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			return f, nil
		}
		if i == tries || !errors.Is(err, syscall.EWOULDBLOCK) {
			f.Close()
			return nil, fmt.Errorf("%w (%s)", ErrLocked, dir)
		}
		time.Sleep(pause)
	}
}

// MaxPayload is the largest event the log takes: what the server announces,
// less room for the message's headers. Commit refuses a larger one with
// ErrTooLarge.
func (s *Store) MaxPayload() int { return int(s.nc.MaxPayload()) - headerRoom }

// Close drains the connection and shuts the embedded server down cleanly.
func (s *Store) Close() {
	s.h.mu.Lock()
	select {
	case <-s.h.closed:
	default:
		close(s.h.closed)
	}
	s.h.mu.Unlock()
	if s.nc != nil {
		s.nc.Close()
	}
	if s.ns != nil {
		s.ns.Shutdown()
		s.ns.WaitForShutdown()
	}
	if s.lock != nil {
		s.lock.Close()
	}
}

// LastSeq is the sequence number of the newest event in the log (0 if empty).
func (s *Store) LastSeq(ctx context.Context) (uint64, error) {
	info, err := s.stream.Info(ctx)
	if err != nil {
		return 0, fmt.Errorf("stream info: %w", err)
	}
	return info.State.LastSeq, nil
}

// Last returns the newest event of an organisation, or ok=false if it has none.
func (s *Store) Last(ctx context.Context, org string) (event.Envelope, bool, error) {
	msg, err := s.stream.GetLastMsgForSubject(ctx, Subject(org))
	if errors.Is(err, jetstream.ErrMsgNotFound) {
		return event.Envelope{}, false, nil
	}
	if err != nil {
		return event.Envelope{}, false, fmt.Errorf("read last event of %s: %w", org, err)
	}
	e, err := event.Decode(msg.Data, msg.Sequence)
	return e, err == nil, err
}

type pubAck struct {
	Stream string `json:"stream"`
	Seq    uint64 `json:"seq"`
	Count  int    `json:"count"`
	Error  *struct {
		Code        int    `json:"code"`
		ErrCode     int    `json:"err_code"`
		Description string `json:"description"`
	} `json:"error"`
}

// JetStream's error code for a failed expected-last-sequence check.
const errCodeWrongLastSeq = 10071

// Commit appends events atomically: all are stored, fsynced and acknowledged
// together, or none is. expectLast is the sequence of the org's newest event
// as the writer knows it (0 for none); a different value means another
// writer got there first and Commit returns ErrConflict.
//
// A commit that cannot be stored fails within CommitTimeout with ErrFull
// or ErrNoAnswer, and so does every commit after it, at once, until the
// log takes writes again (see Fault).
func (s *Store) Commit(ctx context.Context, org string, expectLast uint64, evs []event.Envelope) (uint64, error) {
	if err := s.Fault(); err != nil {
		return 0, err
	}
	// Every event is checked before the first is sent: a batch refused
	// half-way would leave a staged batch on the server.
	data, err := encodeBatch(org, evs, s.MaxPayload())
	if err != nil {
		return 0, err
	}
	subj := Subject(org)
	batchID := evs[0].ID
	var ack pubAck
	for i, e := range evs {
		m := nats.NewMsg(subj)
		m.Data = data[i]
		m.Header.Set(jetstream.MsgIDHeader, e.ID)
		if i == 0 {
			m.Header.Set(jetstream.ExpectedLastSubjSeqHeader, strconv.FormatUint(expectLast, 10))
		}
		// One message is atomic by itself. An atomic batch costs ~2 ms more
		// even for one event: the server stages every batch in a temporary
		// file store (docs/benchmarks.md, finding 1).
		if len(evs) > 1 {
			m.Header.Set("Nats-Batch-Id", batchID)
			m.Header.Set("Nats-Batch-Sequence", strconv.Itoa(i+1))
		}
		if i < len(evs)-1 {
			if err := s.nc.PublishMsg(m); err != nil {
				return 0, fmt.Errorf("publish event %s: %w", e.ID, err)
			}
			continue
		}
		if len(evs) > 1 {
			m.Header.Set("Nats-Batch-Commit", "1")
		}
		cctx, cancel := context.WithTimeout(ctx, CommitTimeout)
		reply, err := s.nc.RequestMsgWithContext(cctx, m)
		cancel()
		if err != nil && ctx.Err() == nil {
			seq, stored, cerr := s.classify(org, evs, err)
			if stored {
				return seq, nil
			}
			err = cerr
		}
		if err != nil {
			return 0, fmt.Errorf("commit batch of %d events: %w", len(evs), err)
		}
		if err := json.Unmarshal(reply.Data, &ack); err != nil {
			return 0, fmt.Errorf("commit batch: bad acknowledgement %q: %w", reply.Data, err)
		}
	}
	if ack.Error != nil {
		if ack.Error.ErrCode == errCodeWrongLastSeq {
			return 0, fmt.Errorf("%w: %s", ErrConflict, ack.Error.Description)
		}
		if isFullAck(ack.Error.ErrCode) {
			s.setFault(ErrFull)
			return 0, fmt.Errorf("%w (%s, code %d)", ErrFull, ack.Error.Description, ack.Error.ErrCode)
		}
		return 0, fmt.Errorf("commit batch: %s (code %d)", ack.Error.Description, ack.Error.ErrCode)
	}
	return ack.Seq, nil
}

// Subscribe delivers every event from seq fromSeq on, in order, first the
// stored ones and then new ones as they are appended, until ctx ends. fn runs
// on one goroutine. The returned function stops the subscription: once it
// returns, fn is not running and is not called again (fn must not call
// it). The end of ctx stops it too.
func (s *Store) Subscribe(ctx context.Context, fromSeq uint64, fn func(event.Envelope)) (stop func(), err error) {
	sub := &subscription{s: s, fn: fn, ctx: ctx}
	if fromSeq > 1 {
		sub.last = fromSeq - 1
	}
	// Registered first, so that an engine restart meanwhile resumes it too.
	s.h.mu.Lock()
	s.h.subs[sub] = struct{}{}
	s.h.mu.Unlock()
	if err := sub.start(ctx); err != nil {
		sub.stop()
		return nil, err
	}
	// The consumer outlives the ctx it was made with: end it with ctx.
	release := context.AfterFunc(ctx, sub.stop)
	return func() { release(); sub.stop() }, nil
}

// replayBatch is how many events one pull request of Replay asks for.
const replayBatch = 4096

// replayIdle is how long the server keeps a replay consumer nobody pulls
// from (fn may be slow, e.g. an export to a client on a poor link); Replay
// makes a new one where the old one stopped if it is gone.
const replayIdle = time.Minute

// Replay reads every stored event in order and returns once it has passed the
// newest one present when it started. It is what `fyr verify` walks.
//
// Stored events that cannot be read are not hidden: one that does not decode
// ends the replay with an *event.ChainError naming its sequence number; one
// that JetStream cannot deliver (it drops records whose checksum fails) shows
// as a gap in the sequence numbers fn sees, or, if it is among the newest,
// ends the replay with an *event.ChainError naming the first of them.
func (s *Store) Replay(ctx context.Context, fn func(event.Envelope) error) error {
	last, err := s.LastSeq(ctx)
	if err != nil || last == 0 {
		return err
	}
	// A plain pull consumer rather than an ordered one: it keeps its place on
	// the server between requests, so a record the server skips stays
	// skipped instead of stopping the replay.
	var cons jetstream.Consumer
	open := func(from uint64) error {
		cfg := jetstream.ConsumerConfig{DeliverPolicy: jetstream.DeliverAllPolicy, AckPolicy: jetstream.AckNonePolicy,
			MemoryStorage: true, InactiveThreshold: replayIdle}
		if from > 1 {
			cfg.DeliverPolicy, cfg.OptStartSeq = jetstream.DeliverByStartSequencePolicy, from
		}
		c, err := s.stream.CreateConsumer(ctx, cfg)
		if err != nil {
			return fmt.Errorf("create replay consumer from seq %d: %w", from, err)
		}
		cons = c
		return nil
	}
	if err := open(1); err != nil {
		return err
	}
	defer func() {
		dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		if err := s.stream.DeleteConsumer(dctx, cons.CachedInfo().Name); err != nil && !errors.Is(err, jetstream.ErrConsumerNotFound) {
			s.log.Warn("delete replay consumer", "err", err)
		}
	}()

	// Each batch is received whole before the next is asked for (the server
	// interleaves open requests) and is decoded while the server gathers the
	// next one.
	type fetched struct {
		msgs []decoded
		err  error
	}
	ahead := make(chan fetched, 1)
	fetchAhead := func(c jetstream.Consumer) {
		go func() {
			var f fetched
			batch, err := c.FetchNoWait(replayBatch)
			if err != nil {
				ahead <- fetched{err: err}
				return
			}
			// Decoding here, on the fetching goroutine, overlaps it with
			// applying the previous batch on the caller's.
			for m := range batch.Messages() {
				f.msgs = append(f.msgs, decodeMsg(m))
			}
			f.err = batch.Error()
			ahead <- f
		}()
	}

	next := uint64(1) // the lowest sequence number not yet passed
	var delivered uint64
	deliver := func(seq uint64, e event.Envelope, err error) error {
		if err != nil {
			return &event.ChainError{Seq: seq, Reason: fmt.Sprintf("unreadable: %v", err)}
		}
		if err := fn(e); err != nil {
			return err
		}
		next, delivered = seq+1, seq
		return nil
	}
	// pass reads the event at next straight from the stream, when the
	// consumer did not deliver it: it is unreadable (and stays a gap), or
	// its delivery went astray.
	pass := func() error {
		m, err := s.stream.GetMsg(ctx, next)
		switch {
		case err == nil:
			e, err := event.Decode(m.Data, m.Sequence)
			return deliver(m.Sequence, e, err)
		case errors.Is(err, jetstream.ErrMsgNotFound):
			next++
			return nil
		default:
			return fmt.Errorf("replay: read seq %d: %w", next, err)
		}
	}

	fetchAhead(cons)
	reopened := false
	for next <= last {
		var f fetched
		select {
		case f = <-ahead:
		case <-ctx.Done():
			return ctx.Err()
		}
		if f.err != nil {
			gone := errors.Is(f.err, nats.ErrNoResponders) || errors.Is(f.err, jetstream.ErrConsumerDeleted) || errors.Is(f.err, jetstream.ErrConsumerNotFound)
			if !gone || reopened {
				return fmt.Errorf("replay from seq %d: %w", next, f.err)
			}
			// The server dropped the idle consumer: go on where it stopped.
			if err := open(next); err != nil {
				return err
			}
			reopened = true
			fetchAhead(cons)
			continue
		}
		if len(f.msgs) == 0 {
			// Nothing came although events up to last are stored: the
			// server skipped an unreadable one. Each empty answer passes
			// at least one, so this ends.
			if err := pass(); err != nil {
				return err
			}
			fetchAhead(cons)
			continue
		}
		reopened = false
		if lm := f.msgs[len(f.msgs)-1]; lm.metaErr != nil || lm.seq < last {
			fetchAhead(cons)
		}
		for _, m := range f.msgs {
			if m.metaErr != nil {
				return fmt.Errorf("replay after seq %d: event metadata: %w", next-1, m.metaErr)
			}
			seq := m.seq
			for next < seq {
				if err := pass(); err != nil {
					return err
				}
			}
			if seq < next {
				continue // passed already
			}
			if err := deliver(seq, m.e, m.err); err != nil {
				return err
			}
			if next > last {
				return nil
			}
		}
	}
	if delivered < last {
		return &event.ChainError{Seq: delivered + 1, Reason: fmt.Sprintf("events at seq %d..%d are missing (removed or unreadable): the log cannot deliver them", delivered+1, last)}
	}
	return nil
}

// decoded is a fetched message, decoded ahead of its turn.
type decoded struct {
	seq     uint64
	e       event.Envelope
	err     error // the envelope did not decode
	metaErr error // the message had no JetStream metadata
}

func decodeMsg(m jetstream.Msg) decoded {
	meta, err := m.Metadata()
	if err != nil {
		return decoded{metaErr: err}
	}
	d := decoded{seq: meta.Sequence.Stream}
	d.e, d.err = event.Decode(m.Data(), d.seq)
	return d
}

// Orgs lists the organisations that have events in the log, from the
// stream's subjects (no replay).
func (s *Store) Orgs(ctx context.Context) ([]string, error) {
	info, err := s.stream.Info(ctx, jetstream.WithSubjectFilter(Subject("*")))
	if err != nil {
		return nil, fmt.Errorf("stream info: %w", err)
	}
	var orgs []string
	for subj := range info.State.Subjects {
		orgs = append(orgs, strings.TrimPrefix(subj, Subject("")))
	}
	slices.Sort(orgs)
	return orgs, nil
}
