// Package core wires the capabilities to the log: it owns the write model,
// the read model (projection) and the one service through which the web UI,
// the JSON API and the CLI all issue commands and queries.
package app

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"fyr/internal/auth"
	"fyr/internal/backlog"
	"fyr/internal/continuity"
	"fyr/internal/directory"
	"fyr/internal/dispatch"
	"fyr/internal/event"
	"fyr/internal/incident"
	"fyr/internal/kernel"
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
	Registry   *continuity.Registry
	Backlog    *backlog.Book
	Board      *continuity.Board // backup routines in incidents
}

// NewFacts returns an empty write model.
func NewFacts() *Facts {
	return &Facts{Incidents: incident.NewFacts(), Units: directory.New(), Users: auth.NewUsers(), Dispatches: dispatch.NewBook(),
		Situation: situation.NewBook(), Registry: continuity.NewRegistry(), Board: continuity.NewBoard(),
		Backlog: backlog.NewBook()}
}

// Apply folds an event into every capability's write model.
func (f *Facts) Apply(e event.Envelope) error { return decodeThen(e, f.ApplyDecoded) }

// ApplyDecoded folds an event whose incident payload is already decoded.
func (f *Facts) ApplyDecoded(e event.Envelope, inc any) error {
	return fold(e, inc, f.Incidents, f.Units, f.Users, f.Dispatches, f.Situation, f.Registry, f.Board, f.Backlog)
}

// decodeThen decodes an event's incident payload once, for apply.
func decodeThen(e event.Envelope, apply func(event.Envelope, any) error) error {
	inc, err := incident.Decode(e)
	if err != nil {
		return err
	}
	return apply(e, inc)
}

// fold applies an event to one side's models: the incidents take the payload
// decoded once for both sides. An event a model owns but cannot decode is an
// error: the model would no longer be the log's.
func fold(e event.Envelope, inc any, incidents interface{ ApplyDecoded(event.Envelope, any) }, rest ...kernel.Model) error {
	incidents.ApplyDecoded(e, inc)
	for _, m := range rest {
		if err := m.Apply(e); err != nil {
			return err // one model owns each type: there is no second error
		}
	}
	return nil
}

// Projection is the read model, fed only from the log subscription so that
// a node sees every event whether or not it took the write.
type Projection struct {
	Incidents  *incident.View
	Units      *directory.Directory
	Users      *auth.Users
	dispatches *dispatch.Book       // the dispatch service's and engine's, private to them
	situation  *situation.Book      // read through App.Situation only
	registry   *continuity.Registry // read through App.Continuity only
	backlog    *backlog.Book        // read through App.Backlog only
	board      *continuity.Board    // read through App.Continuity only
}

// NewProjection returns an empty read model.
func NewProjection() *Projection {
	return &Projection{Incidents: incident.NewView(), Units: directory.New(), Users: auth.NewUsers(),
		dispatches: dispatch.NewBook(), situation: situation.NewBook(), registry: continuity.NewRegistry(), board: continuity.NewBoard(),
		backlog: backlog.NewBook()}
}

// Apply folds one event from the log.
func (p *Projection) Apply(e event.Envelope) error { return decodeThen(e, p.ApplyDecoded) }

// ApplyDecoded folds an event whose incident payload is already decoded.
func (p *Projection) ApplyDecoded(e event.Envelope, inc any) error {
	return fold(e, inc, p.Incidents, p.Units, p.Users, p.dispatches, p.situation, p.registry, p.board, p.backlog)
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
	// Log, if set, is the event log to use instead of the JetStream log in
	// Dir (an in-memory store.Mem for pure service tests); Dir still holds
	// the sessions and keys. The app closes it.
	Log store.Log
}

// App is Fyr's one orchestration of commands and queries.
type App struct {
	Org       string
	Incidents *incident.Service
	Directory *directory.Service
	Auth      *auth.Service
	Dispatch  *dispatch.Service
	Situation *situation.Service
	// Continuity is the continuity registry and its impact analysis.
	Continuity *continuity.Service
	// Backlog is the re-entry backlog (efterregistrering).
	Backlog *backlog.Service

	P *Projection

	st  store.Log
	k   *kernel.Kernel[*Facts]
	now func() time.Time
	log *slog.Logger
}

// Open opens the data directory, replays the log into the write and read
// models, and starts the writer and the subscription. Ready is closed when
// it returns.
func Open(ctx context.Context, cfg Config) (*App, error) {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Org == "" && cfg.DefaultOrg == "" {
		return nil, fmt.Errorf("app: no organisation configured")
	}
	st := cfg.Log
	if st == nil {
		js, err := store.Open(ctx, store.Config{Dir: cfg.Dir, Logger: cfg.Logger, MaxStore: cfg.MaxStore})
		if err != nil {
			return nil, err
		}
		st = js
	}
	var err error
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
	s := &App{Org: cfg.Org, P: NewProjection(),
		st: st, now: cfg.Now, log: cfg.Logger}
	s.k, err = kernel.Open(ctx, kernel.Config[*Facts]{Log: st, Org: cfg.Org, NewWrite: NewFacts, Read: s.P,
		Decode: incident.Decode, Now: cfg.Now, Logger: cfg.Logger})
	if err != nil {
		st.Close()
		return nil, err
	}
	s.Incidents = incident.NewService(kernel.View(s.k, func(f *Facts) incident.WriteModel {
		return incident.WriteModel{Incidents: f.Incidents, Scopes: f.Units}
	}), s.P.Incidents, cfg.Logger)
	s.Auth = auth.NewService(kernel.View(s.k, func(f *Facts) auth.WriteModel {
		return auth.WriteModel{Users: f.Users, UnitExists: func(id string) bool { _, ok := f.Units.Unit(id); return ok }}
	}), s.P.Users, sessions, cfg.Logger)
	s.Directory = directory.NewService(kernel.View(s.k, func(f *Facts) *directory.Directory { return f.Units }),
		s.P.Units, st.MaxPayload(), cfg.Logger)
	s.Dispatch = dispatch.NewService(kernel.View(s.k, dispatchModel), s.P.dispatches, linkKey, cfg.Logger)
	s.Situation = situation.NewService(kernel.View(s.k, situationModel), situation.ReadModel{Book: s.P.situation,
		Incidents: s.P.Incidents, Units: s.P.Units, Accounts: s.P.Users}, cfg.Logger)
	s.Continuity = continuity.NewService(kernel.View(s.k, func(f *Facts) continuity.WriteModel {
		return continuity.WriteModel{Registry: f.Registry, Units: unitsOf{f.Units}, Journal: journalOf{f},
			Board: f.Board, Dispatches: continuityDispatches{f}, RoutineJournal: journalOf{f}}
	}), s.P.registry, unitsOf{s.P.Units}, s.P.Incidents, st.MaxPayload(), cfg.Logger).WithRoutines(s.P.board)
	s.Backlog = backlog.NewService(kernel.View(s.k, backlogModel), backlog.ReadModel{Book: s.P.backlog,
		Incidents: s.P.Incidents, Units: unitNames{s.P.Units}, Systems: systemsOf{s.P.registry}}, cfg.Logger)
	return s, nil
}

// Ready is closed once the projection has caught up with the log.
func (s *App) Ready() <-chan struct{} { return s.k.Ready() }

// Close stops the writer and the subscription and closes the log.
func (s *App) Close() {
	s.k.Close()
	s.st.Close()
}

// Now is the service clock.
func (s *App) Now() time.Time { return s.now() }

// Seq is the log sequence of the last event the read model has applied.
func (s *App) Seq() uint64 { return s.k.Seq() }

// Listen registers fn to be called after each event is applied to the read
// model, on the subscription's goroutine: it must not block.
func (s *App) Listen(fn func(event.Envelope)) { s.k.Listen(fn) }

// WaitFor returns once the read model has applied the event at seq.
func (s *App) WaitFor(ctx context.Context, seq uint64) error { return s.k.WaitFor(ctx, seq) }
