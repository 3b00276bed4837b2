package store

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"fyr/internal/event"
)

// Model is a write-side state: what commands are checked against. Apply
// fails when it cannot fold an event it owns (a payload that does not
// decode): the writer then refuses rather than check commands against a
// model that is not what the log says.
type Model interface{ Apply(event.Envelope) error }

// Command checks itself against the current state m and returns the events
// it wants appended, or an error and no events. It may run more than once
// (a command that does not fit the rest of a batch runs again, on the model
// as it then stands, in the next): it only reads m, and whatever it keeps
// for its caller it sets afresh on every run.
type Command[M Model] func(m M, now time.Time) ([]event.Draft, error)

type request[M Model] struct {
	ctx   context.Context
	cmd   Command[M]
	reply chan result
}

type result struct {
	evs []event.Envelope
	err error
}

// Writer is the one appender of an organisation. It runs commands one at a
// time against its model, chains their events and group-commits whatever is
// waiting in one atomic batch, so one fsync serves many concurrent writers.
type Writer[M Model] struct {
	st      Log
	org     string
	newM    func() M
	model   M
	now     func() time.Time
	log     *slog.Logger
	reqs    chan request[M]
	prev    string // hash of the org's newest event
	lastSeq uint64 // log sequence of the org's newest event
	done    chan struct{}
	// stale: a failed commit left the model holding events that are not
	// in the log, and reloading it failed too; reload before the next.
	stale bool
}

// NewWriter builds the model by replaying the log and starts the appender.
// It stops when ctx ends.
func NewWriter[M Model](ctx context.Context, st Log, org string, newModel func() M, now func() time.Time, logger *slog.Logger) (*Writer[M], error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	w := &Writer[M]{st: st, org: org, newM: newModel, now: now, log: logger,
		reqs: make(chan request[M], 1024), done: make(chan struct{})}
	if err := w.load(ctx); err != nil {
		return nil, err
	}
	go w.run(ctx)
	return w, nil
}

// Head is where an organisation's chain ends: its newest event's log
// sequence and hash (zero values for an empty chain).
type Head struct {
	Seq  uint64
	Hash string
}

// Track returns the head after e, if e belongs to org.
func (h Head) Track(org string, e event.Envelope) Head {
	if e.Org != org {
		return h
	}
	return Head{e.Seq, e.Hash}
}

// StartWriter starts the appender on a model the caller has already built
// from the log up to head, so that a start replays the log once for every
// model instead of once per model.
func StartWriter[M Model](ctx context.Context, st Log, org string, model M, head Head, newModel func() M, now func() time.Time, logger *slog.Logger) *Writer[M] {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	w := &Writer[M]{st: st, org: org, newM: newModel, model: model, prev: head.Hash, lastSeq: head.Seq, now: now, log: logger,
		reqs: make(chan request[M], 1024), done: make(chan struct{})}
	go w.run(ctx)
	return w
}

// load rebuilds the model from the log: at start, and after a failed commit
// left it holding events that never made it to disk.
func (w *Writer[M]) load(ctx context.Context) error {
	m := w.newM()
	var prev string
	var last uint64
	err := w.st.Replay(ctx, func(e event.Envelope) error {
		if e.Org != w.org {
			return nil
		}
		if err := m.Apply(e); err != nil {
			return err
		}
		prev, last = e.Hash, e.Seq
		return nil
	})
	if err != nil {
		return fmt.Errorf("load write model of %s: %w", w.org, err)
	}
	w.model, w.prev, w.lastSeq = m, prev, last
	return nil
}

// Do runs cmd and returns its events once they are durably stored.
func (w *Writer[M]) Do(ctx context.Context, cmd Command[M]) ([]event.Envelope, error) {
	req := request[M]{ctx: ctx, cmd: cmd, reply: make(chan result, 1)}
	select {
	case w.reqs <- req:
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-w.done:
		return nil, errors.New("store: writer stopped")
	}
	select {
	case r := <-req.reply:
		return r.evs, r.err
	case <-w.done:
		return nil, errors.New("store: writer stopped")
	}
}

func (w *Writer[M]) run(ctx context.Context) {
	defer close(w.done)
	var carry []request[M] // commands that did not fit the last batch
	for {
		batch := carry
		if len(batch) == 0 {
			select {
			case <-ctx.Done():
				return
			case first := <-w.reqs:
				batch = append(batch, first)
			}
		}
	drain:
		for len(batch) < MaxBatch {
			select {
			case r := <-w.reqs:
				batch = append(batch, r)
			default:
				break drain
			}
		}
		carry = w.commit(ctx, batch)
	}
}

type pending[M Model] struct {
	req  request[M]
	from int // index of its first event in evs
	n    int
}

// commit runs the commands of batch against the model and appends their
// events as one atomic batch. A command whose events would overflow the
// batch is left, with the commands after it, for the next batch: they are
// returned, to run again on the model as it then stands.
func (w *Writer[M]) commit(ctx context.Context, batch []request[M]) (carry []request[M]) {
	// While the log takes no writes, refuse at once rather than run the
	// commands and roll the model back (a reload replays the whole log).
	err := w.st.Fault()
	if err == nil && w.stale {
		if err = w.load(ctx); err == nil {
			w.stale = false
		}
	}
	if err != nil {
		for _, req := range batch {
			req.reply <- result{err: fmt.Errorf("append: %w", err)}
		}
		return nil
	}
	now := w.now().UTC()
	var evs []event.Envelope
	var accepted []pending[M]
	prev := w.prev
	for i, req := range batch {
		if req.ctx.Err() != nil {
			req.reply <- result{err: req.ctx.Err()}
			continue
		}
		drafts, err := req.cmd(w.model, now)
		if err == nil && len(evs) > 0 && len(evs)+len(drafts) > MaxBatch {
			carry = batch[i:]
			break
		}
		if err == nil && len(drafts) > MaxBatch {
			err = fmt.Errorf("store: command produced %d events, more than one batch holds", len(drafts))
		}
		if err != nil {
			req.reply <- result{err: err}
			continue
		}
		sealed, err := seal(drafts, w.org, prev, now)
		if err != nil {
			req.reply <- result{err: err} // an unencodable payload: a programming error
			continue
		}
		accepted = append(accepted, pending[M]{req: req, from: len(evs), n: len(sealed)})
		for _, e := range sealed {
			// Applied at once so that the next command in the batch sees it.
			if err := w.model.Apply(e); err != nil {
				// A payload its own model cannot read back: a programming
				// error. Nothing of the batch is written, and the model,
				// which holds part of it, is rebuilt before the next.
				err = fmt.Errorf("store: apply own %s event: %w", e.Type, err)
				w.log.Error("write model refused its own event; batch dropped", "org", w.org, "err", err)
				for _, p := range accepted {
					p.req.reply <- result{err: err}
				}
				for _, r := range batch[i+1:] {
					r.reply <- result{err: err}
				}
				w.stale = true
				return nil
			}
			evs = append(evs, e)
			prev = e.Hash
		}
	}
	if len(evs) == 0 {
		// Every command found nothing to do (e.g. a setting already so):
		// each still gets its answer, or its caller would wait for ever.
		for _, p := range accepted {
			p.req.reply <- result{}
		}
		return carry
	}
	lastSeq, err := w.st.Commit(ctx, w.org, w.lastSeq, evs)
	if err != nil {
		w.log.Error("commit failed; reloading write model", "org", w.org, "events", len(evs), "err", err)
		for _, p := range accepted {
			p.req.reply <- result{err: fmt.Errorf("append: %w", err)}
		}
		if lerr := w.load(ctx); lerr != nil {
			w.log.Error("reload write model", "org", w.org, "err", lerr)
			w.stale = true
		}
		return carry
	}
	first := lastSeq - uint64(len(evs)) + 1
	for i := range evs {
		evs[i].Seq = first + uint64(i)
	}
	w.prev, w.lastSeq = prev, lastSeq
	for _, p := range accepted {
		p.req.reply <- result{evs: evs[p.from : p.from+p.n]}
	}
	return carry
}

func seal(drafts []event.Draft, org, prev string, now time.Time) ([]event.Envelope, error) {
	out := make([]event.Envelope, 0, len(drafts))
	for _, d := range drafts {
		e, err := event.Seal(d, event.NewID(), org, prev, now)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
		prev = e.Hash
	}
	return out, nil
}
