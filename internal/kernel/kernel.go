// Package kernel runs an organisation's models on its event log: it replays
// the log into the write and read models, keeps the one appender that checks
// commands against the write model, feeds the read model from the log
// subscription (never from the write path, so a node sees every event
// whether or not it took the write), and lets a command's caller wait until
// the read model shows it. It knows no capability: the models are given.
package kernel

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"fyr/internal/event"
	"fyr/internal/fail"
	"fyr/internal/store"
)

// Model is a state folded from events.
type Model = store.Model

// Predecoder is a model that can take a payload already decoded by
// Config.Decode, so that a replay decodes each event once for both models.
type Predecoder interface {
	ApplyDecoded(e event.Envelope, decoded any) error
}

// Config configures a Kernel.
type Config[W Model] struct {
	Log store.Log
	Org string
	// NewWrite returns an empty write model (also used to rebuild it after
	// a failed commit).
	NewWrite func() W
	// Read is the read model; it sees only events of Org.
	Read Model
	// Decode, if set, decodes an event once for both models at replay.
	Decode func(event.Envelope) (any, error)
	Now    func() time.Time
	Logger *slog.Logger
}

// Kernel is one organisation's models on the log.
type Kernel[W Model] struct {
	org  string
	log  store.Log
	read Model
	w    *store.Writer[W]
	now  func() time.Time

	mu        sync.Mutex
	seq       uint64
	changed   chan struct{} // closed and replaced on every event
	listeners []func(event.Envelope)
	// fault is the first event the read model could not fold: from then on
	// it applies nothing more (it would silently diverge from the log), the
	// node reports unhealthy and refuses commands.
	fault  error
	logger *slog.Logger

	cancel context.CancelFunc
	stop   func()
	ready  chan struct{}
}

// Open replays the log into both models, then starts the appender and the
// subscription that feeds the read model. It does not close cfg.Log on
// failure: the caller opened it.
func Open[W Model](ctx context.Context, cfg Config[W]) (*Kernel[W], error) {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	k := &Kernel[W]{org: cfg.Org, log: cfg.Log, read: cfg.Read, now: cfg.Now, logger: cfg.Logger,
		changed: make(chan struct{}), ready: make(chan struct{})}
	facts := cfg.NewWrite()
	var head store.Head
	var replayed uint64
	// A model that cannot fold an event it owns stops the start: the node
	// does not serve a model it cannot build.
	if err := cfg.Log.Replay(ctx, func(e event.Envelope) error {
		var decoded any
		if e.Org == cfg.Org {
			if cfg.Decode != nil {
				var err error
				if decoded, err = cfg.Decode(e); err != nil {
					return err
				}
			}
			if err := applyTo(facts, e, decoded, cfg.Decode != nil); err != nil {
				return err
			}
		}
		if err := k.apply(e, decoded, cfg.Decode != nil); err != nil {
			return err
		}
		head = head.Track(cfg.Org, e)
		replayed = e.Seq
		return nil
	}); err != nil {
		return nil, fmt.Errorf("replay the log: %w", err)
	}
	bg, cancel := context.WithCancel(context.Background())
	k.cancel = cancel
	stop, err := cfg.Log.Subscribe(bg, replayed+1, k.follow)
	if err != nil {
		cancel()
		return nil, err
	}
	k.stop = stop
	k.w = store.StartWriter(bg, cfg.Log, cfg.Org, facts, head, cfg.NewWrite, cfg.Now, cfg.Logger)
	close(k.ready)
	return k, nil
}

func applyTo(m Model, e event.Envelope, decoded any, predecoded bool) error {
	if p, ok := m.(Predecoder); ok && predecoded {
		return p.ApplyDecoded(e, decoded)
	}
	return m.Apply(e)
}

// follow folds an event of the live subscription. An event of the org that
// the read model cannot fold stops it: see Healthy.
func (k *Kernel[W]) follow(e event.Envelope) {
	if k.Healthy() != nil {
		return
	}
	if err := k.apply(e, nil, false); err != nil {
		k.logger.Error("read model stopped: an event cannot be folded; commands are refused until it is fixed",
			"seq", e.Seq, "event_id", e.ID, "type", e.Type, "err", err)
		k.mu.Lock()
		k.fault = fmt.Errorf("read model stopped: %w", err)
		close(k.changed) // wake WaitFor, which now answers the fault
		k.changed = make(chan struct{})
		k.mu.Unlock()
	}
}

// apply folds one event from the log into the read model and tells the
// listeners.
func (k *Kernel[W]) apply(e event.Envelope, decoded any, predecoded bool) error {
	if e.Org == k.org {
		if err := applyTo(k.read, e, decoded, predecoded); err != nil {
			return err
		}
	}
	k.mu.Lock()
	k.seq = e.Seq
	close(k.changed)
	k.changed = make(chan struct{})
	listeners := k.listeners
	k.mu.Unlock()
	if e.Org == k.org {
		for _, fn := range listeners {
			fn(e)
		}
	}
	return nil
}

// Healthy is nil while the read model follows the log, else the event it
// stopped at: the node then refuses commands  and reports it.
func (k *Kernel[W]) Healthy() error {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.fault
}

// stopped is what a command or a wait gets once the read model has stopped
// at an event it cannot fold.
func stopped(fault error) error {
	return fail.New(fail.Unavailable, "this node has stopped applying the log and takes no commands: %v", fault)
}

// Org is the organisation served.
func (k *Kernel[W]) Org() string { return k.org }

// Log is the event log (for export and health).
func (k *Kernel[W]) Log() store.Log { return k.log }

// Now is the kernel's clock.
func (k *Kernel[W]) Now() time.Time { return k.now() }

// Ready is closed once the read model has caught up with the log.
func (k *Kernel[W]) Ready() <-chan struct{} { return k.ready }

// Writable is nil while the log takes writes, else why it does not: reads
// still work.
func (k *Kernel[W]) Writable() error { return k.log.Fault() }

// Listen registers fn to be called after each event of the organisation is
// applied to the read model, on the subscription's goroutine: it must not block.
func (k *Kernel[W]) Listen(fn func(event.Envelope)) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.listeners = append(k.listeners, fn)
}

// Seq is the log sequence of the last event the read model has applied.
func (k *Kernel[W]) Seq() uint64 {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.seq
}

// WaitFor returns once the read model has applied the event at seq.
func (k *Kernel[W]) WaitFor(ctx context.Context, seq uint64) error {
	for {
		k.mu.Lock()
		cur, ch, fault := k.seq, k.changed, k.fault
		k.mu.Unlock()
		if cur >= seq {
			return nil
		}
		if fault != nil {
			return stopped(fault)
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return fmt.Errorf("wait for the read model to reach seq %d (at %d): %w", seq, cur, ctx.Err())
		}
	}
}

// Do runs a command through the appender and waits until the read model
// shows its events, so that the caller's response shows its own write.
func (k *Kernel[W]) Do(ctx context.Context, cmd store.Command[W]) ([]event.Envelope, error) {
	if err := k.Healthy(); err != nil {
		return nil, stopped(err)
	}
	evs, err := k.w.Do(ctx, cmd)
	if err != nil {
		return nil, err
	}
	if len(evs) > 0 {
		if err := k.WaitFor(ctx, evs[len(evs)-1].Seq); err != nil {
			return evs, err
		}
	}
	return evs, nil
}

// Close stops the appender and the subscription; the caller closes the log.
func (k *Kernel[W]) Close() {
	if k.cancel != nil {
		k.cancel()
	}
	if k.stop != nil {
		k.stop()
	}
}

// Runner runs commands on a view V of the write model. A capability's
// service takes a Runner of its own view (declared in its package), so that
// it never sees the whole write model of the app.
type Runner[V any] interface {
	// Run runs cmd on the view through the one appender and returns its
	// events once the read model shows them.
	Run(ctx context.Context, cmd func(v V, now time.Time) ([]event.Draft, error)) ([]event.Envelope, error)
	// Seq and WaitFor are the read model's progress (see Kernel).
	Seq() uint64
	WaitFor(ctx context.Context, seq uint64) error
	// Now is the kernel's clock.
	Now() time.Time
}

// View adapts the kernel to a Runner of the view that pick takes out of the
// write model.
func View[W Model, V any](k *Kernel[W], pick func(W) V) Runner[V] {
	return viewRunner[W, V]{k, pick}
}

type viewRunner[W Model, V any] struct {
	k    *Kernel[W]
	pick func(W) V
}

func (r viewRunner[W, V]) Seq() uint64 { return r.k.Seq() }
func (r viewRunner[W, V]) WaitFor(ctx context.Context, seq uint64) error {
	return r.k.WaitFor(ctx, seq)
}
func (r viewRunner[W, V]) Now() time.Time { return r.k.Now() }

func (r viewRunner[W, V]) Run(ctx context.Context, cmd func(v V, now time.Time) ([]event.Draft, error)) ([]event.Envelope, error) {
	return r.k.Do(ctx, func(w W, now time.Time) ([]event.Draft, error) { return cmd(r.pick(w), now) })
}
