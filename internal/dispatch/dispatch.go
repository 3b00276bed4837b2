// Package dispatch sends a message (first of all a decision) to an audience
// of units and keeps, per unit, whether it has been received and
// understood: the receipt (kvittens). The unit, not the person, is what must
// be reached; the first contact of a unit who acknowledges covers it.
//
// This file holds the pure core: commands checked against the Book (the
// model of every dispatch), the events they produce, and the escalation
// plan. Channels (in-app, e-mail, SMS, webhook) and the engine that runs the
// plan live around it.
package dispatch

import (
	"math"
	"slices"
	"sync"
	"time"

	"fyr/internal/event"
	"fyr/internal/incident"
)

// ID identifies a dispatch.
type ID string

// Kind says what a dispatch carries.
type Kind string

const (
	KindDecision Kind = "decision" // a decision from the journal
	KindMessage  Kind = "message"  // any other message
)

// Kinds lists the kinds of dispatch.
var Kinds = []Kind{KindDecision, KindMessage}

// Channel names, tried in this order by default.
const (
	InApp   = "inapp"
	Email   = "email"
	SMS     = "sms"
	Webhook = "webhook"
)

// Channels lists the channels in their default order.
var Channels = []string{InApp, Email, SMS, Webhook}

// Phone marks a receipt the staff recorded from a phone call.
const Phone = "phone"

// Audience says which units a dispatch is for. The union of its parts is
// resolved to a fixed list of units when the dispatch is created.
type Audience struct {
	All      bool     `json:"all,omitempty"`
	Subtrees []string `json:"subtrees,omitempty"` // a unit and every unit below it
	Types    []string `json:"types,omitempty"`    // every unit of a type (hospital, ward …)
	Units    []string `json:"units,omitempty"`    // named units
	// Functions reaches the units of everyone who holds a staff function
	// (e.g. every "Chefläkare"): the holders of a role.
	Functions []string `json:"functions,omitempty"`
}

// Question is an optional question with fixed answers, e.g. "Can you run
// acute surgery tonight? Yes / No / Partly".
type Question struct {
	Text    string   `json:"text"`
	Answers []string `json:"answers"`
}

// Escalation says when an unacknowledged unit is pursued further, in minutes
// after the dispatch: at Resend on the next channel, at Deputies through the
// unit's deputies, at Parent through the parent unit's contacts. (Whole
// minutes, not time.Duration: the JSON of a duration differs between
// encoders, and people think of these in minutes.)
type Escalation struct {
	Resend   int `json:"resend_min"`
	Deputies int `json:"deputies_min"`
	Parent   int `json:"parent_min"`
}

// DefaultEscalation is used when a dispatch names none.
var DefaultEscalation = Escalation{Resend: 10, Deputies: 20, Parent: 30}

func minutes(n int) time.Duration { return time.Duration(n) * time.Minute }

// Step is a stage of pursuing one unit.
type Step int

const (
	StepFirst    Step = iota // first channel, first contacts (on duty, primary)
	StepResend               // next channel
	StepDeputies             // the unit's deputies
	StepParent               // the parent unit's contacts
)

// Event types (append-only contract).
const (
	TypeCreated      = "dispatch.created"
	TypeOpened       = "dispatch.opened"
	TypeAcknowledged = "dispatch.acknowledged"
	TypeEscalated    = "dispatch.escalated"
)

// Created starts a dispatch to a resolved list of units.
type Created struct {
	Dispatch ID          `json:"dispatch"`
	Incident incident.ID `json:"incident"`
	Kind     Kind        `json:"kind"`
	Title    string      `json:"title"`
	Body     string      `json:"body"`
	Decision string      `json:"decision,omitempty"` // the decision entry it carries
	// Content is the decision itself, copied from the journal at sending.
	Content    *DecisionCopy `json:"decision_content,omitempty"`
	Token      string        `json:"token,omitempty"` // the sender's idempotency key
	Audience   Audience      `json:"audience"`
	Units      []string      `json:"units"`
	Question   *Question     `json:"question,omitempty"`
	Deadline   time.Time     `json:"deadline"`
	Escalation Escalation    `json:"escalation"`
	Channels   []string      `json:"channels"`
	Author     string        `json:"author"`
}

// Opened records that a unit's contact opened the dispatch.
type Opened struct {
	Dispatch ID     `json:"dispatch"`
	Unit     string `json:"unit"`
	Channel  string `json:"channel"`
}

// Acknowledged is a unit's receipt: received and understood.
type Acknowledged struct {
	Dispatch ID     `json:"dispatch"`
	Unit     string `json:"unit"`
	Link     string `json:"link,omitempty"`     // the attempt id of the receipt link used, if any
	By       string `json:"by"`                 // the person's name
	Username string `json:"username,omitempty"` // the account, when logged in
	Channel  string `json:"channel"`
	Answer   string `json:"answer,omitempty"`
	Readback string `json:"readback,omitempty"`
}

// Escalated records that a step of pursuing a unit was taken.
type Escalated struct {
	Dispatch ID     `json:"dispatch"`
	Unit     string `json:"unit"`
	Step     Step   `json:"step"`
}

// Receipt is a unit's acknowledgement as the model shows it.
type Receipt struct {
	By       string    `json:"by"`
	Username string    `json:"username,omitempty"`
	Channel  string    `json:"channel"`
	Answer   string    `json:"answer,omitempty"`
	Readback string    `json:"readback,omitempty"`
	At       time.Time `json:"at"`
}

// UnitState is where one unit stands in a dispatch.
type UnitState struct {
	Unit     string    `json:"unit"`
	Opened   time.Time `json:"opened,omitzero"`
	Steps    []Step    `json:"steps,omitempty"` // escalation steps taken
	Attempts []Attempt `json:"attempts,omitempty"`
	Ack      *Receipt  `json:"ack,omitempty"`
}

// LastAttempt is the newest attempt to reach the unit, if any.
func (u UnitState) LastAttempt() *Attempt {
	if len(u.Attempts) == 0 {
		return nil
	}
	return &u.Attempts[len(u.Attempts)-1]
}

// Dispatch is one dispatch with its per-unit state.
type Dispatch struct {
	// ID is Dispatch again under the name every object's id has in the API.
	ID ID `json:"id"`
	Created
	CreatedAt time.Time `json:"created_at"`
	// Acked counts acknowledged units; Reached50/90/100 are when 50 %, 90 %
	// and every unit had acknowledged.
	Acked      int       `json:"acked"`
	Reached50  time.Time `json:"reached_50,omitzero"`
	Reached90  time.Time `json:"reached_90,omitzero"`
	Reached100 time.Time `json:"reached_100,omitzero"`
	// ByChannel counts attempts, outcomes and receipts per channel, in the
	// order the channels were first used: kept as events arrive, so that a
	// live update of the board costs the same for 10 or 10,000 units.
	ByChannel []ChannelCount        `json:"by_channel,omitempty"`
	State     map[string]*UnitState `json:"-"`
	used      map[string]bool       // receipt links (attempt ids) already used
}

// ChannelCount is one channel's figures in a dispatch. Handed counts the
// attempts a provider took (delivered ones included), Failed those that
// failed, Acked the receipts that came through the channel.
type ChannelCount struct {
	Channel  string `json:"channel"`
	Attempts int    `json:"attempts"`
	Handed   int    `json:"handed"`
	Failed   int    `json:"failed"`
	Acked    int    `json:"acked"`
}

// count returns the figures of channel ch, added when new.
func (d *Dispatch) count(ch string) *ChannelCount {
	for i := range d.ByChannel {
		if d.ByChannel[i].Channel == ch {
			return &d.ByChannel[i]
		}
	}
	d.ByChannel = append(d.ByChannel, ChannelCount{Channel: ch})
	return &d.ByChannel[len(d.ByChannel)-1]
}

// outcome moves an attempt of channel ch from one outcome to another in the
// figures.
func (d *Dispatch) outcome(ch, from, to string) {
	c := d.count(ch)
	for o, n := range map[string]int{from: -1, to: 1} {
		switch o {
		case Handed, Delivered:
			c.Handed += n
		case Failed:
			c.Failed += n
		}
	}
}

// snapshot copies d for a reader: the per-unit states stay behind, the
// figures are cloned.
func (d *Dispatch) snapshot() Dispatch {
	cp := *d
	cp.State, cp.used = nil, nil
	cp.ByChannel = slices.Clone(d.ByChannel)
	return cp
}

// Percent is the share of units that have acknowledged.
func (d Dispatch) Percent() float64 {
	if len(d.Units) == 0 {
		return 0
	}
	return 100 * float64(d.Acked) / float64(len(d.Units))
}

// Book is the model of every dispatch: small enough per dispatch that one
// type serves as both the write model and the read model.
type Book struct {
	mu         sync.RWMutex
	dispatches map[ID]*Dispatch
	byIncident map[incident.ID][]ID
	byUnit     map[string][]ID
	byToken    map[string]ID        // idempotency keys of creates
	attempts   map[string]attemptAt // attempt id → where it is
	failedOver map[string]bool      // attempts already repeated through another provider
	// unconfirmed holds the SMS attempts a provider took without (yet)
	// reporting them delivered, or reported undelivered: candidates for
	// failover to the other gateway.
	unconfirmed map[string]bool
}

type attemptAt struct {
	dispatch ID
	unit     string
}

// NewBook returns an empty book.
func NewBook() *Book {
	return &Book{dispatches: map[ID]*Dispatch{}, byIncident: map[incident.ID][]ID{}, byUnit: map[string][]ID{}, byToken: map[string]ID{},
		attempts: map[string]attemptAt{}, failedOver: map[string]bool{},
		unconfirmed: map[string]bool{}}
}

// Apply folds one event.
func (b *Book) Apply(e event.Envelope) error {
	switch e.Type {
	case TypeCreated, TypeOpened, TypeAcknowledged, TypeEscalated, TypeAttempted, TypeAttemptResult, TypeDelivered:
	default:
		return nil
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	switch e.Type {
	case TypeCreated:
		var p Created
		if err := e.Unmarshal(&p); err != nil {
			return err
		}
		d := &Dispatch{ID: p.Dispatch, Created: p, CreatedAt: e.OccurredAt, State: make(map[string]*UnitState, len(p.Units))}
		for _, u := range p.Units {
			d.State[u] = &UnitState{Unit: u}
			b.byUnit[u] = append(b.byUnit[u], p.Dispatch)
		}
		b.dispatches[p.Dispatch] = d
		b.byIncident[p.Incident] = append(b.byIncident[p.Incident], p.Dispatch)
		if p.Token != "" {
			b.byToken[p.Token] = p.Dispatch
		}
	case TypeOpened:
		var p Opened
		if err := e.Unmarshal(&p); err != nil {
			return err
		}
		if us := b.unit(p.Dispatch, p.Unit); us != nil && us.Opened.IsZero() {
			us.Opened = e.OccurredAt
		}
	case TypeAcknowledged:
		var p Acknowledged
		if err := e.Unmarshal(&p); err != nil {
			return err
		}
		us := b.unit(p.Dispatch, p.Unit)
		if us == nil {
			return nil
		}
		if p.Link != "" {
			d := b.dispatches[p.Dispatch]
			if d.used == nil {
				d.used = map[string]bool{}
			}
			d.used[p.Link] = true
		}
		if us.Ack != nil {
			return nil
		}
		us.Ack = &Receipt{By: p.By, Username: p.Username, Channel: p.Channel, Answer: p.Answer, Readback: p.Readback, At: e.OccurredAt}
		if us.Opened.IsZero() {
			us.Opened = e.OccurredAt
		}
		d := b.dispatches[p.Dispatch]
		d.Acked++
		d.count(p.Channel).Acked++
		n := len(d.Units)
		if d.Reached50.IsZero() && d.Acked >= threshold(n, 0.5) {
			d.Reached50 = e.OccurredAt
		}
		if d.Reached90.IsZero() && d.Acked >= threshold(n, 0.9) {
			d.Reached90 = e.OccurredAt
		}
		if d.Reached100.IsZero() && d.Acked == n {
			d.Reached100 = e.OccurredAt
		}
	case TypeAttempted:
		var p Attempted
		if err := e.Unmarshal(&p); err != nil {
			return err
		}
		if us := b.unit(p.Dispatch, p.Unit); us != nil {
			us.Attempts = append(us.Attempts, Attempt{ID: p.Attempt, Step: p.Step, Channel: p.Channel, Name: p.Name,
				Role: p.Role, Address: p.Address, FailoverOf: p.FailoverOf, Avoid: p.Avoid, At: e.OccurredAt, Outcome: Pending})
			b.attempts[p.Attempt] = attemptAt{p.Dispatch, p.Unit}
			b.dispatches[p.Dispatch].count(p.Channel).Attempts++
			if p.FailoverOf != "" {
				b.failedOver[p.FailoverOf] = true
				delete(b.unconfirmed, p.FailoverOf)
			}
		}
	case TypeAttemptResult:
		var p AttemptResult
		if err := e.Unmarshal(&p); err != nil {
			return err
		}
		if us := b.unit(p.Dispatch, p.Unit); us != nil {
			for i := range us.Attempts {
				if a := &us.Attempts[i]; a.ID == p.Attempt {
					was := a.Outcome
					a.Outcome, a.Provider, a.ProviderID, a.Error = Failed, p.Provider, p.ProviderID, p.Error
					if p.Handed {
						a.Outcome = Handed
						if a.Channel == SMS && a.FailoverOf == "" && !b.failedOver[a.ID] {
							b.unconfirmed[a.ID] = true
						}
					}
					b.dispatches[p.Dispatch].outcome(a.Channel, was, a.Outcome)
				}
			}
		}
	case TypeDelivered:
		var p DeliveryReport
		if err := e.Unmarshal(&p); err != nil {
			return err
		}
		if us := b.unit(p.Dispatch, p.Unit); us != nil {
			for i := range us.Attempts {
				if a := &us.Attempts[i]; a.ID == p.Attempt {
					was := a.Outcome
					a.Outcome = Failed
					if p.Delivered {
						a.Outcome = Delivered
						delete(b.unconfirmed, a.ID)
					} else {
						a.Error = "not delivered (provider report)"
					}
					b.dispatches[p.Dispatch].outcome(a.Channel, was, a.Outcome)
				}
			}
		}
	case TypeEscalated:
		var p Escalated
		if err := e.Unmarshal(&p); err != nil {
			return err
		}
		if us := b.unit(p.Dispatch, p.Unit); us != nil && !slices.Contains(us.Steps, p.Step) {
			us.Steps = append(us.Steps, p.Step)
		}
	}
	return nil
}

// threshold is how many of n units make a share: 50 % of 3 units is 2.
func threshold(n int, share float64) int {
	return int(math.Ceil(float64(n) * share))
}

func (b *Book) unit(id ID, unit string) *UnitState {
	d := b.dispatches[id]
	if d == nil {
		return nil
	}
	return d.State[unit]
}

// Get returns a copy of one dispatch with its per-unit states.
func (b *Book) Get(id ID) (Dispatch, []UnitState, bool) {
	b.mu.RLock()
	defer b.mu.RUnlock()
	d := b.dispatches[id]
	if d == nil {
		return Dispatch{}, nil, false
	}
	states := make([]UnitState, 0, len(d.Units))
	for _, u := range d.Units {
		s := *d.State[u]
		s.Steps, s.Attempts = slices.Clone(s.Steps), slices.Clone(s.Attempts)
		states = append(states, s)
	}
	return d.snapshot(), states, true
}

// ForIncident lists an incident's dispatches, newest first.
func (b *Book) ForIncident(id incident.ID) []Dispatch {
	b.mu.RLock()
	defer b.mu.RUnlock()
	ids := b.byIncident[id]
	out := make([]Dispatch, 0, len(ids))
	for i := len(ids) - 1; i >= 0; i-- {
		out = append(out, b.dispatches[ids[i]].snapshot())
	}
	return out
}

// ForUnit lists the dispatches addressed to a unit, newest first, with the
// unit's own state in each.
func (b *Book) ForUnit(unit string) []UnitView {
	b.mu.RLock()
	defer b.mu.RUnlock()
	ids := b.byUnit[unit]
	out := make([]UnitView, 0, len(ids))
	for i := len(ids) - 1; i >= 0; i-- {
		d := b.dispatches[ids[i]]
		mine := *d.State[unit]
		mine.Steps, mine.Attempts = slices.Clone(mine.Steps), slices.Clone(mine.Attempts)
		out = append(out, UnitView{Dispatch: d.snapshot(), Mine: mine})
	}
	return out
}

// UnitView is a dispatch as one unit sees it.
type UnitView struct {
	Dispatch Dispatch
	Mine     UnitState
}

// Due returns the escalation steps that have come due at now and are not
// yet taken, for every unit that has not acknowledged: the plan the engine
// carries out. A unit that acknowledges drops out at once.
func (d *Dispatch) Due(states []UnitState, now time.Time) []Escalated {
	var out []Escalated
	at := map[Step]time.Time{
		StepFirst:    d.CreatedAt,
		StepResend:   d.CreatedAt.Add(minutes(d.Escalation.Resend)),
		StepDeputies: d.CreatedAt.Add(minutes(d.Escalation.Deputies)),
		StepParent:   d.CreatedAt.Add(minutes(d.Escalation.Parent)),
	}
	for _, s := range states {
		if s.Ack != nil {
			continue
		}
		for step := StepFirst; step <= StepParent; step++ {
			if !now.Before(at[step]) && !slices.Contains(s.Steps, step) {
				out = append(out, Escalated{Dispatch: d.Dispatch, Unit: s.Unit, Step: step})
			}
		}
	}
	return out
}

// Head returns a dispatch without its per-unit states: cheap at any size.
func (b *Book) Head(id ID) (Dispatch, bool) {
	b.mu.RLock()
	defer b.mu.RUnlock()
	d := b.dispatches[id]
	if d == nil {
		return Dispatch{}, false
	}
	return d.snapshot(), true
}

// UnitState returns where one unit stands in a dispatch, without copying
// the others.
func (b *Book) UnitState(id ID, unit string) (UnitState, bool) {
	b.mu.RLock()
	defer b.mu.RUnlock()
	us := b.unit(id, unit)
	if us == nil {
		return UnitState{}, false
	}
	s := *us
	s.Steps, s.Attempts = slices.Clone(s.Steps), slices.Clone(s.Attempts)
	return s, true
}

// ByToken returns the dispatch created with an idempotency token.
func (b *Book) ByToken(token string) (ID, bool) {
	b.mu.RLock()
	defer b.mu.RUnlock()
	id, ok := b.byToken[token]
	return id, ok && token != ""
}
