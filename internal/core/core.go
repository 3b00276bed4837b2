// Package core wires the capabilities to the log: it owns the write model,
// the read model (projection) and the one service through which the web UI,
// the JSON API and the CLI all issue commands and queries.
package core

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"fyr/internal/auth"
	"fyr/internal/directory"
	"fyr/internal/dispatch"
	"fyr/internal/event"
	"fyr/internal/incident"
	"fyr/internal/situation"
	"fyr/internal/store"
)

// Facts is the write model of one organisation.
type Facts struct {
	Incidents  *incident.Facts
	Units      *directory.Directory
	Users      *auth.Users
	Dispatches *dispatch.Book
	Situation  *situation.Book
}

// NewFacts returns an empty write model.
func NewFacts() *Facts {
	return &Facts{Incidents: incident.NewFacts(), Units: directory.New(), Users: auth.NewUsers(), Dispatches: dispatch.NewBook(),
		Situation: situation.NewBook()}
}

// Apply folds an event into every capability's write model. An event a
// model owns but cannot decode is an error: the model is not the log's.
func (f *Facts) Apply(e event.Envelope) error {
	inc, err := incident.Decode(e)
	if err != nil {
		return err
	}
	return f.apply(e, inc)
}

func (f *Facts) apply(e event.Envelope, inc any) error {
	f.Incidents.ApplyDecoded(e, inc)
	return errors.Join(f.Units.Apply(e), f.Users.Apply(e), f.Dispatches.Apply(e), f.Situation.Apply(e))
}

// Projection is the read model, fed only from the log subscription so that
// a node sees every event whether or not it took the write.
type Projection struct {
	org        string
	Incidents  *incident.View
	Units      *directory.Directory
	Users      *auth.Users
	Dispatches *dispatch.Book
	Situation  *situation.Book

	mu        sync.Mutex
	seq       uint64
	changed   chan struct{} // closed and replaced on every event
	listeners []func(event.Envelope)
	// fault is the first event a model could not fold: from then on the
	// projection applies nothing more (it would silently diverge from the
	// log), the node reports unhealthy and refuses commands.
	fault   error
	onFault func(event.Envelope, error) // told before the fault shows
}

// NewProjection returns an empty read model of org.
func NewProjection(org string) *Projection {
	return &Projection{org: org, Incidents: incident.NewView(), Units: directory.New(), Users: auth.NewUsers(),
		Dispatches: dispatch.NewBook(), Situation: situation.NewBook(), changed: make(chan struct{})}
}

// Listen registers fn to be called after each event is applied, on the
// projection's goroutine: it must not block.
func (p *Projection) Listen(fn func(event.Envelope)) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.listeners = append(p.listeners, fn)
}

// Apply folds one event from the log (the live subscription). An event of
// the org that a model cannot fold stops the projection: see Fault.
func (p *Projection) Apply(e event.Envelope) {
	if p.Fault() != nil {
		return
	}
	var inc any
	var err error
	if e.Org == p.org {
		inc, err = incident.Decode(e)
	}
	if err == nil {
		err = p.apply(e, inc)
	}
	if err != nil {
		if p.onFault != nil {
			p.onFault(e, err)
		}
		p.mu.Lock()
		p.fault = fmt.Errorf("read model stopped: %w", err)
		close(p.changed) // wake WaitFor, which now answers the fault
		p.changed = make(chan struct{})
		p.mu.Unlock()
	}
}

// Fault is nil while the projection follows the log, else the event it
// could not fold, after which it applies nothing more.
func (p *Projection) Fault() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.fault
}

func (p *Projection) apply(e event.Envelope, inc any) error {
	if e.Org == p.org {
		p.Incidents.ApplyDecoded(e, inc)
		if err := errors.Join(p.Units.Apply(e), p.Users.Apply(e), p.Dispatches.Apply(e), p.Situation.Apply(e)); err != nil {
			return err
		}
	}
	p.mu.Lock()
	p.seq = e.Seq
	close(p.changed)
	p.changed = make(chan struct{})
	listeners := p.listeners
	p.mu.Unlock()
	if e.Org == p.org {
		for _, fn := range listeners {
			fn(e)
		}
	}
	return nil
}

// Seq is the log sequence of the last event applied.
func (p *Projection) Seq() uint64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.seq
}

// WaitFor returns once the projection has applied the event at seq.
func (p *Projection) WaitFor(ctx context.Context, seq uint64) error {
	for {
		p.mu.Lock()
		cur, ch, fault := p.seq, p.changed, p.fault
		p.mu.Unlock()
		if cur >= seq {
			return nil
		}
		if fault != nil {
			return stopped(fault)
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return fmt.Errorf("wait for projection to reach seq %d (at %d): %w", seq, cur, ctx.Err())
		}
	}
}

// Config configures a Service.
type Config struct {
	Dir string
	// Org is the organisation to serve; "" takes the one the log holds
	// (DefaultOrg for an empty log). A named one the log lacks is refused.
	Org        string
	DefaultOrg string
	Logger     *slog.Logger
	Now        func() time.Time
	// MaxStore is the log's storage limit in bytes; 0: 3/4 of the free disk.
	MaxStore int64
}

// Service is Fyr's one orchestration of commands and queries.
type Service struct {
	Org      string
	P        *Projection
	Sessions *auth.Sessions
	links    *dispatch.Links
	Limiter  *auth.Limiter
	smsGuard *auth.Throttle // wrong SMS reply codes per sender (smsguard.go)

	st     *store.Store
	w      *store.Writer[*Facts]
	now    func() time.Time
	log    *slog.Logger
	cancel context.CancelFunc
	stop   func()
	ready  chan struct{}
}

// Open opens the data directory, replays the log into the write and read
// models, and starts the writer and the subscription. Ready is closed when
// it returns.
func Open(ctx context.Context, cfg Config) (*Service, error) {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Org == "" && cfg.DefaultOrg == "" {
		return nil, fmt.Errorf("core: no organisation configured")
	}
	st, err := store.Open(ctx, store.Config{Dir: cfg.Dir, Logger: cfg.Logger, MaxStore: cfg.MaxStore})
	if err != nil {
		return nil, err
	}
	if cfg.Org, err = resolveOrg(ctx, st, cfg.Org, cfg.DefaultOrg); err != nil {
		st.Close()
		return nil, err
	}
	sessions, err := auth.LoadSessions(cfg.Dir)
	if err != nil {
		st.Close()
		return nil, err
	}
	linkKey, err := loadKey(cfg.Dir, "receipt.key")
	if err != nil {
		st.Close()
		return nil, err
	}
	bg, cancel := context.WithCancel(context.Background())
	s := &Service{Org: cfg.Org, P: NewProjection(cfg.Org), Sessions: sessions, Limiter: auth.NewLimiter(2), smsGuard: newSMSGuard(), links: dispatch.NewLinks(linkKey),
		st: st, now: cfg.Now, log: cfg.Logger, cancel: cancel, ready: make(chan struct{})}
	// One pass over the log builds both the write model and the read model;
	// the subscription then follows from the next event on.
	facts := NewFacts()
	var head store.Head
	var replayed uint64
	if err := st.Replay(ctx, func(e event.Envelope) error {
		// A model that cannot fold an event it owns stops the start: the
		// node does not serve a model it cannot build.
		if e.Org == cfg.Org {
			inc, err := incident.Decode(e) // once, for both models
			if err == nil {
				err = errors.Join(facts.apply(e, inc), s.P.apply(e, inc))
			}
			if err != nil {
				return err
			}
		} else if err := s.P.apply(e, nil); err != nil {
			return err
		}
		head = head.Track(cfg.Org, e)
		replayed = e.Seq
		return nil
	}); err != nil {
		s.Close()
		return nil, fmt.Errorf("replay the log: %w", err)
	}
	s.P.onFault = s.logFault
	if s.stop, err = st.Subscribe(bg, replayed+1, s.P.Apply); err != nil {
		s.Close()
		return nil, err
	}
	s.w = store.StartWriter(bg, st, cfg.Org, facts, head, NewFacts, cfg.Now, cfg.Logger)
	close(s.ready)
	return s, nil
}

// Ready is closed once the projection has caught up with the log.
func (s *Service) Ready() <-chan struct{} { return s.ready }

// Close stops the writer and the subscription and closes the log.
func (s *Service) Close() {
	s.cancel()
	if s.stop != nil {
		s.stop()
	}
	s.st.Close()
}

// Now is the service clock.
func (s *Service) Now() time.Time { return s.now() }

// do runs a command through the writer and waits until the projection
// reflects it, so that the caller's response shows its own write.
func (s *Service) do(ctx context.Context, cmd store.Command[*Facts]) ([]event.Envelope, error) {
	if err := s.P.Fault(); err != nil {
		return nil, stopped(err)
	}
	evs, err := s.w.Do(ctx, cmd)
	if err != nil {
		return nil, err
	}
	if len(evs) > 0 {
		if err := s.P.WaitFor(ctx, evs[len(evs)-1].Seq); err != nil {
			return evs, err
		}
	}
	return evs, nil
}
