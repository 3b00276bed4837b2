package dispatch

import (
	"fmt"
	"hash/fnv"
	"slices"
	"time"

	"fyr/internal/directory"
)

// Event types of delivery attempts (append-only contract).
const (
	TypeAttempted     = "dispatch.attempted"
	TypeAttemptResult = "dispatch.attempt_result"
	TypeDelivered     = "dispatch.delivery_report"
)

// DeliveryReport is what a provider later reported about a handed message:
// delivered to the phone, or failed after all.
type DeliveryReport struct {
	Dispatch  ID     `json:"dispatch"`
	Unit      string `json:"unit"`
	Attempt   string `json:"attempt"`
	Delivered bool   `json:"delivered"`
	Provider  string `json:"provider,omitempty"`
}

// Attempted records the intent to reach one contact of a unit over one
// channel. It is written before the message is handed to the channel, so a
// restart knows every attempt that may be under way.
type Attempted struct {
	Dispatch ID     `json:"dispatch"`
	Unit     string `json:"unit"`
	Step     Step   `json:"step"`
	Attempt  string `json:"attempt"`
	Channel  string `json:"channel"`
	Name     string `json:"name"`
	Role     string `json:"role"`
	Address  string `json:"address,omitempty"` // e-mail or phone number, for the staff to follow up
	Code     string `json:"code,omitempty"`    // an SMS reply with this code from Address acknowledges
	// FailoverOf is the attempt this one repeats through another provider,
	// because that one never reported it delivered; Avoid is that provider.
	FailoverOf string `json:"failover_of,omitempty"`
	Avoid      string `json:"avoid,omitempty"`
}

// AttemptResult is what the channel answered.
type AttemptResult struct {
	Dispatch   ID     `json:"dispatch"`
	Unit       string `json:"unit"`
	Attempt    string `json:"attempt"`
	Handed     bool   `json:"handed"` // accepted by the provider (or shown in Fyr, for in-app)
	Provider   string `json:"provider,omitempty"`
	ProviderID string `json:"provider_id,omitempty"`
	Error      string `json:"error,omitempty"`
}

// Attempt is one attempt as the model shows it.
type Attempt struct {
	ID         string    `json:"id"`
	Step       Step      `json:"step"`
	Channel    string    `json:"channel"`
	Name       string    `json:"name"`
	Role       string    `json:"role"`
	Address    string    `json:"address,omitempty"`
	FailoverOf string    `json:"failover_of,omitempty"`
	Avoid      string    `json:"avoid,omitempty"`
	At         time.Time `json:"at"`
	Outcome    string    `json:"outcome"` // pending, handed, failed
	Provider   string    `json:"provider,omitempty"`
	ProviderID string    `json:"provider_id,omitempty"`
	Error      string    `json:"error,omitempty"`
}

// Outcomes of an attempt, in the order they happen.
const (
	Pending   = "pending"
	Handed    = "handed"    // the provider took it
	Delivered = "delivered" // the provider reports it delivered
	Failed    = "failed"
)

// AttemptRef is an attempt with the dispatch and unit it belongs to.
type AttemptRef struct {
	Dispatch ID
	Unit     string
	Attempt
}

// FindAttempt returns an attempt by its id (a provider's callback names
// only that).
func (b *Book) FindAttempt(attempt string) (AttemptRef, bool) {
	b.mu.RLock()
	defer b.mu.RUnlock()
	return b.attemptRef(attempt)
}

// attemptRef finds an attempt; b.mu is held.
func (b *Book) attemptRef(attempt string) (AttemptRef, bool) {
	ref, ok := b.attempts[attempt]
	if !ok {
		return AttemptRef{}, false
	}
	for _, a := range b.dispatches[ref.dispatch].State[ref.unit].Attempts {
		if a.ID == attempt {
			return AttemptRef{Dispatch: ref.dispatch, Unit: ref.unit, Attempt: a}, true
		}
	}
	return AttemptRef{}, false
}

// Plan is one message to send: a due step for one contact.
type Plan struct {
	Attempted
	Contact directory.Contact
	// Decision is the decision the dispatch carries, for channels that pass
	// it on as structure (the webhook); set when the message is sent.
	Decision *DecisionCopy
	Action   string // what the unit must do (the dispatch's body)
}

// Reacher tells who answers for a unit and which unit is above it.
type Reacher interface {
	Reach(unitID string, at time.Time) []directory.Contact
	Parent(unitID string) string
}

// PlanStep turns a due escalation step into the messages it sends: the
// first step reaches whoever is on duty, else the primary contact, else the
// unit's own contact points, on the dispatch's first channel (and the
// unit's webhook, when it has one); the resend does the same on the next
// channel; then the deputies; then the parent unit's first contacts. A
// contact that cannot be reached on the channel (no e-mail for e-mail, no
// mobile for SMS, no URL for webhook) is passed over for the next channel
// the dispatch has that reaches it. newID names each attempt.
func PlanStep(d Dispatch, due Escalated, dir Reacher, now time.Time, newID func() string) []Plan {
	unit := due.Unit
	var contacts []directory.Contact
	switch due.Step {
	case StepFirst, StepResend:
		contacts = first(dir.Reach(unit, now))
	case StepDeputies:
		for _, c := range dir.Reach(unit, now) {
			if c.Role == directory.RoleDeputy {
				contacts = append(contacts, c)
			}
		}
	case StepParent:
		if parent := dir.Parent(unit); parent != "" {
			contacts = first(dir.Reach(parent, now))
		}
	}
	start := 0
	if due.Step == StepResend {
		start = 1
	}
	channels := d.Channels
	if due.Step == StepParent {
		// The parent unit's inbox does not hold this dispatch: in-app
		// would reach nobody there.
		channels = slices.DeleteFunc(slices.Clone(channels), func(c string) bool { return c == InApp })
	}
	var out []Plan
	for _, c := range contacts {
		ch, addr, ok := channelFor(channels, start, c)
		if !ok {
			continue
		}
		p := Plan{Attempted: Attempted{Dispatch: d.Dispatch, Unit: unit, Step: due.Step, Attempt: newID(),
			Channel: ch, Name: c.Name, Role: c.Role, Address: addr}, Contact: c}
		if ch == SMS {
			p.Code = ReplyCode(p.Attempt)
		}
		out = append(out, p)
	}
	// A unit's own system (its webhook) is told at the first step, beside
	// the people: it costs nothing, replaces no one, and a ward display or
	// paging system that shows the dispatch at once is worth the most then.
	if due.Step == StepFirst && slices.Contains(channels, Webhook) &&
		!slices.ContainsFunc(out, func(p Plan) bool { return p.Channel == Webhook }) {
		for _, c := range dir.Reach(unit, now) {
			if c.Role == directory.RoleUnit && c.Webhook != "" {
				out = append(out, Plan{Attempted: Attempted{Dispatch: d.Dispatch, Unit: unit, Step: due.Step, Attempt: newID(),
					Channel: Webhook, Name: c.Name, Role: c.Role, Address: c.Webhook}, Contact: c})
			}
		}
	}
	return out
}

// first is the on-duty person, else the primary contact, else the unit's
// own contact points.
func first(cs []directory.Contact) []directory.Contact {
	for _, role := range []string{directory.RoleOnDuty, directory.RolePrimary, directory.RoleUnit} {
		for _, c := range cs {
			if c.Role == role {
				return []directory.Contact{c}
			}
		}
	}
	return nil
}

// channelFor picks the first of channels, from start on, that reaches c.
// In-app reaches everyone with an account; it is only the first channel.
func channelFor(channels []string, start int, c directory.Contact) (string, string, bool) {
	for i := min(start, len(channels)); i < len(channels); i++ {
		switch ch := channels[i]; ch {
		case InApp:
			if c.PersonID != "" {
				return ch, "", true
			}
		case Email:
			if c.Email != "" {
				return ch, c.Email, true
			}
		case SMS:
			if c.Mobile != "" {
				return ch, c.Mobile, true
			}
		case Webhook:
			if c.Webhook != "" {
				return ch, c.Webhook, true
			}
		}
	}
	// Past the end: fall back to any channel that reaches the contact, so
	// a step is never silently empty.
	if start > 0 {
		return channelFor(channels, 0, c)
	}
	return "", "", false
}

// PendingAttempts lists attempts whose intent was recorded but whose
// outcome was not: after a crash they are sent again, with the same id.
func (b *Book) PendingAttempts() []Plan {
	b.mu.RLock()
	defer b.mu.RUnlock()
	var out []Plan
	for _, d := range b.dispatches {
		for _, u := range d.Units {
			for _, a := range d.State[u].Attempts {
				if a.Outcome == Pending {
					p := Plan{Attempted: Attempted{Dispatch: d.Dispatch, Unit: u, Step: a.Step, Attempt: a.ID,
						Channel: a.Channel, Name: a.Name, Role: a.Role, Address: a.Address, FailoverOf: a.FailoverOf, Avoid: a.Avoid}}
					if a.Channel == SMS {
						p.Code = ReplyCode(a.ID) // the same code as the first time
					}
					out = append(out, p)
				}
			}
		}
	}
	slices.SortFunc(out, func(a, b Plan) int {
		if a.Attempt < b.Attempt {
			return -1
		}
		return 1
	})
	return out
}

// Unfinished lists the dispatches that still have units to reach.
func (b *Book) Unfinished() []ID {
	b.mu.RLock()
	defer b.mu.RUnlock()
	var out []ID
	for id, d := range b.dispatches {
		if d.Acked < len(d.Units) {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out
}

// ReplyCode derives the short code an SMS reply quotes from an attempt id:
// six digits, easy to type on any phone. A reply is matched on the code and
// the number it comes from, so codes need not be unique across phones.
func ReplyCode(attempt string) string {
	h := fnv.New32a()
	h.Write([]byte(attempt))
	return fmt.Sprintf("%06d", h.Sum32()%1000000)
}

// ByReply finds the attempt an SMS reply answers: the newest SMS attempt to
// that number with that code, on a dispatch whose receipt deadline has not
// passed more than a day ago.
func (b *Book) ByReply(from, code string, now time.Time) (Plan, bool) {
	b.mu.RLock()
	defer b.mu.RUnlock()
	var best *Attempt
	var found Plan
	for _, d := range b.dispatches {
		if now.After(d.Deadline.Add(24 * time.Hour)) {
			continue
		}
		for _, u := range d.Units {
			for i := range d.State[u].Attempts {
				a := &d.State[u].Attempts[i]
				if a.Channel == SMS && a.Address == from && ReplyCode(a.ID) == code && (best == nil || a.At.After(best.At)) {
					best = a
					found = Plan{Attempted: Attempted{Dispatch: d.Dispatch, Unit: u, Step: a.Step, Attempt: a.ID, Channel: SMS,
						Name: a.Name, Role: a.Role, Address: a.Address, Code: code}}
				}
			}
		}
	}
	return found, best != nil
}

// FailoverDue lists the SMS attempts that a gateway took but did not
// report delivered by handedBefore, or reported undelivered, for units that
// have not acknowledged: each is repeated once through the other gateway.
func (b *Book) FailoverDue(handedBefore time.Time) []AttemptRef {
	b.mu.RLock()
	defer b.mu.RUnlock()
	var out []AttemptRef
	for id := range b.unconfirmed {
		ref, ok := b.attemptRef(id)
		if !ok || b.failedOver[id] {
			continue
		}
		if us := b.dispatches[ref.Dispatch].State[ref.Unit]; us.Ack != nil {
			continue
		}
		if ref.Outcome == Failed || (ref.Outcome == Handed && !ref.At.After(handedBefore)) {
			out = append(out, ref)
		}
	}
	slices.SortFunc(out, func(a, b AttemptRef) int { return a.At.Compare(b.At) })
	return out
}

// FailoverPlan is the attempt that repeats ref through another provider:
// same contact, same step, a new id (and so a new reply code).
func FailoverPlan(ref AttemptRef, newID string) Plan {
	p := Plan{Attempted: Attempted{Dispatch: ref.Dispatch, Unit: ref.Unit, Step: ref.Step, Attempt: newID, Channel: ref.Channel,
		Name: ref.Name, Role: ref.Role, Address: ref.Address, FailoverOf: ref.ID, Avoid: ref.Provider}}
	if p.Channel == SMS {
		p.Code = ReplyCode(newID)
	}
	return p
}
