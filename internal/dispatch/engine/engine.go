// Package engine carries out the escalation plan of every unfinished
// dispatch: it records each attempt before it sends it, sends it over its
// channel, and records the outcome.
package engine

import (
	"context"
	"fmt"
	"fyr/internal/tz"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"fyr/internal/dispatch"
	"fyr/internal/event"
	"fyr/internal/kernel"
	"fyr/internal/store"
)

// Transport hands one message to a channel (e-mail, SMS, webhook): the
// adapters in internal/channel sit behind it. In-app needs none.
type Transport interface {
	Send(ctx context.Context, p dispatch.Plan, subject, text, link string) dispatch.AttemptResult
}

// Engine carries out the escalation plan of every unfinished dispatch: it
// records each attempt before it sends it, sends it, and records the
// outcome. One engine runs per organisation.
type Engine struct {
	cfg        Config
	transports map[string]Transport
	baseURL    string        // where receipt links point, e.g. https://10.1.2.3:8443
	kick       chan struct{} // a new dispatch: go at once, not at the next tick
	// reportWindow is how long an SMS gateway has to report a message
	// delivered before it is sent again through the other gateway; 0 (the
	// default) turns failover off.
	reportWindow time.Duration
}

// FailOverAfter turns on SMS failover: a message the gateway took but did
// not report delivered within window (or reported undelivered) is sent once
// more, through the other gateway. Only for two gateways with delivery
// reports: with one, or without reports, it would only send twice.
func (e *Engine) FailOverAfter(window time.Duration) { e.reportWindow = window }

// Config is what an engine works with: the dispatch capability's runner
// and read model, and how to sign a receipt link.
type Config struct {
	Run    kernel.Runner[dispatch.WriteModel]
	View   *dispatch.Book
	Sign   func(attempt string, id dispatch.ID, unit, name, channel string) string // dispatch.Service.ReceiptLink
	Listen func(func(event.Envelope))                                              // called after each event the read model applies
	Logger *slog.Logger
}

// New returns an engine; transports maps channel names to adapters.
func New(cfg Config, transports map[string]Transport, baseURL string) *Engine {
	e := &Engine{cfg: cfg, transports: transports, baseURL: strings.TrimRight(baseURL, "/"), kick: make(chan struct{}, 1)}
	cfg.Listen(func(ev event.Envelope) {
		if ev.Type == dispatch.TypeCreated {
			select {
			case e.kick <- struct{}{}:
			default:
			}
		}
	})
	return e
}

// Run does a round at once, then every interval and whenever a dispatch is
// created, until ctx ends.
func (e *Engine) Run(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if _, err := e.Round(ctx, e.cfg.Run.Now()); err != nil && ctx.Err() == nil {
			e.cfg.Logger.Error("escalation round", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-e.kick:
		}
	}
}

// Round does what is due at now: first it finishes attempts a crash left
// without an outcome (sent again with the same attempt id, which the
// providers that can use as an idempotency key), then it takes every due
// escalation step. It returns how many messages it sent. Tests call it with
// the time they want: no sleeping.
func (e *Engine) Round(ctx context.Context, now time.Time) (int, error) {
	plans := e.cfg.View.PendingAttempts()
	for _, id := range e.cfg.View.Unfinished() {
		d, states, ok := e.cfg.View.Get(id)
		if !ok {
			continue
		}
		p, err := e.intend(ctx, d, d.Due(states, now), now)
		if err != nil {
			return 0, err
		}
		plans = append(plans, p...)
	}
	if e.reportWindow > 0 {
		p, err := e.intendFailovers(ctx, now.Add(-e.reportWindow))
		if err != nil {
			return 0, err
		}
		plans = append(plans, p...)
	}
	return e.sendAll(ctx, plans)
}

// intendFailovers records, in one atomic write checked in the writer, a
// repeat of each SMS the gateway did not report delivered by handedBefore.
func (e *Engine) intendFailovers(ctx context.Context, handedBefore time.Time) ([]dispatch.Plan, error) {
	if len(e.cfg.View.FailoverDue(handedBefore)) == 0 {
		return nil, nil
	}
	var plans []dispatch.Plan
	_, err := e.cfg.Run.Run(ctx, func(m dispatch.WriteModel, _ time.Time) ([]event.Draft, error) {
		plans = plans[:0]
		var drafts []event.Draft
		for _, ref := range m.Dispatches.FailoverDue(handedBefore) {
			p := dispatch.FailoverPlan(ref, event.NewID())
			plans = append(plans, p)
			drafts = append(drafts, event.Draft{Type: dispatch.TypeAttempted, Subject: string(p.Dispatch), Actor: "fyr", Payload: p.Attempted})
		}
		return drafts, nil
	})
	if err != nil {
		return nil, fmt.Errorf("record SMS failovers: %w", err)
	}
	for _, p := range plans {
		e.cfg.Logger.Warn("sms not reported delivered: sending through the other gateway", "dispatch_id", p.Dispatch, "unit", p.Unit,
			"attempt", p.FailoverOf, "avoid", p.Avoid)
	}
	return plans, nil
}

// PerChannel is how many messages one channel has in flight at once. Each
// channel has its own workers, so a gateway that hangs holds up only its
// own messages, never those of another channel.
const PerChannel = 4

func (e *Engine) sendAll(ctx context.Context, plans []dispatch.Plan) (int, error) {
	// In-app needs no sending: the dispatch is in the unit's inbox already.
	// Those outcomes are recorded together, a chunk per write.
	var inApp []event.Draft
	var other []dispatch.Plan
	for _, p := range plans {
		if p.Channel != dispatch.InApp {
			other = append(other, p)
			continue
		}
		inApp = append(inApp, event.Draft{Type: dispatch.TypeAttemptResult, Subject: string(p.Dispatch), Actor: "fyr",
			Payload: dispatch.AttemptResult{Dispatch: p.Dispatch, Unit: p.Unit, Attempt: p.Attempt, Handed: true, Provider: "fyr"}})
	}
	for i := 0; i < len(inApp); i += chunk {
		part := inApp[i:min(i+chunk, len(inApp))]
		if _, err := e.cfg.Run.Run(ctx, func(dispatch.WriteModel, time.Time) ([]event.Draft, error) { return part, nil }); err != nil {
			return i, fmt.Errorf("record in-app deliveries: %w", err)
		}
	}
	n, err := e.sendOver(ctx, other)
	return len(inApp) + n, err
}

// sendOver sends the other channels' attempts, each channel with its own
// workers.
func (e *Engine) sendOver(ctx context.Context, plans []dispatch.Plan) (int, error) {
	queues := map[string]chan dispatch.Plan{}
	for _, p := range plans {
		if queues[p.Channel] == nil {
			queues[p.Channel] = make(chan dispatch.Plan, len(plans))
		}
		queues[p.Channel] <- p
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var firstErr error
	sent := 0
	for _, q := range queues {
		close(q)
		for range PerChannel {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for p := range q {
					err := e.send(ctx, p)
					mu.Lock()
					if err != nil && firstErr == nil {
						firstErr = err
					} else if err == nil {
						sent++
					}
					mu.Unlock()
				}
			}()
		}
	}
	wg.Wait()
	return sent, firstErr
}

// chunk is how many events the engine writes in one command: well inside
// one atomic batch, so that a step for 10,000 units is a few dozen writes,
// not 10,000.
const chunk = store.MaxBatch / 2

// intend records due steps and their attempts, checked in the writer so
// that a step is never taken twice (a unit acknowledged or the step taken
// meanwhile is skipped), a chunk of units per atomic write.
func (e *Engine) intend(ctx context.Context, d dispatch.Dispatch, dues []dispatch.Escalated, now time.Time) ([]dispatch.Plan, error) {
	var all []dispatch.Plan
	for len(dues) > 0 {
		var plans []dispatch.Plan
		taken := 0
		_, err := e.cfg.Run.Run(ctx, func(m dispatch.WriteModel, _ time.Time) ([]event.Draft, error) {
			plans, taken = plans[:0], 0
			var drafts []event.Draft
			for _, due := range dues {
				st, ok := m.Dispatches.UnitState(d.Dispatch, due.Unit)
				if !ok || st.Ack != nil || slices.Contains(st.Steps, due.Step) {
					taken++ // gone, acknowledged or taken meanwhile
					continue
				}
				ps := dispatch.PlanStep(d, due, m.Units, now, event.NewID)
				if len(drafts) > 0 && len(drafts)+1+len(ps) > chunk {
					break
				}
				drafts = append(drafts, event.Draft{Type: dispatch.TypeEscalated, Subject: string(d.Dispatch), Actor: "fyr", Payload: due})
				for _, p := range ps {
					drafts = append(drafts, event.Draft{Type: dispatch.TypeAttempted, Subject: string(d.Dispatch), Actor: "fyr", Payload: p.Attempted})
				}
				plans = append(plans, ps...)
				taken++
			}
			return drafts, nil
		})
		if err != nil {
			return all, fmt.Errorf("record escalation steps of dispatch %s: %w", d.Dispatch, err)
		}
		all = append(all, plans...)
		dues = dues[taken:]
	}
	return all, nil
}

// send hands one attempt to its channel and records the outcome. A failed
// channel never blocks the others: its outcome is recorded and the next
// step goes on.
func (e *Engine) send(ctx context.Context, p dispatch.Plan) error {
	d, ok := e.cfg.View.Head(p.Dispatch)
	if !ok {
		return nil
	}
	res := dispatch.AttemptResult{Dispatch: p.Dispatch, Unit: p.Unit, Attempt: p.Attempt}
	if t := e.transports[p.Channel]; t == nil {
		res.Error = "channel " + p.Channel + " is not configured"
	} else {
		subject, text, link := e.message(d, p)
		p.Decision, p.Action = d.Content, d.Body
		res = t.Send(ctx, p, subject, text, link)
		res.Dispatch, res.Unit, res.Attempt = p.Dispatch, p.Unit, p.Attempt
	}
	if _, err := e.cfg.Run.Run(ctx, func(dispatch.WriteModel, time.Time) ([]event.Draft, error) {
		return []event.Draft{{Type: dispatch.TypeAttemptResult, Subject: string(p.Dispatch), Actor: "fyr", Payload: res}}, nil
	}); err != nil {
		return fmt.Errorf("record the outcome of attempt %s: %w", p.Attempt, err)
	}
	if !res.Handed {
		e.cfg.Logger.Warn("attempt failed", "dispatch_id", p.Dispatch, "unit", p.Unit, "channel", p.Channel, "err", res.Error)
	}
	return nil
}

// message is the text sent, with the receipt link: the decision itself
// and what to do, as much as fits for an SMS (dispatch.Compose).
func (e *Engine) message(d dispatch.Dispatch, p dispatch.Plan) (subject, text, link string) {
	link = e.baseURL + "/r/" + e.cfg.Sign(p.Attempt, d.Dispatch, p.Unit, p.Name, p.Channel)
	subject, text = dispatch.Compose(d, p.Channel, stockholm, link, p.Code)
	return subject, text, link
}

// stockholm is the time zone of the times Fyr writes.
var stockholm = tz.Stockholm
