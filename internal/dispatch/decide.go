package dispatch

import (
	"slices"
	"strings"
	"time"

	"fyr/internal/directory"
	"fyr/internal/event"
	"fyr/internal/fail"
	"fyr/internal/incident"
)

// UnitLister gives the directory's units and people, to resolve an audience.
type UnitLister interface {
	Units() []directory.Unit
	People() []directory.Person
}

// Incidents is what a dispatch needs to know of the incidents: that its
// incident is open, and the decision entry a decision dispatch carries.
// The incident capability's write model satisfies it.
type Incidents interface {
	CheckOpen(id incident.ID) error
	Decision(id incident.ID, entryID string) (incident.DecisionRecord, bool)
}

// Create sends a message to an audience.
type Create struct {
	Incident   incident.ID `json:"-"`
	Kind       Kind        `json:"kind"`
	Title      string      `json:"title"`
	Body       string      `json:"body"`
	Decision   string      `json:"decision"`
	Audience   Audience    `json:"audience"`
	Question   *Question   `json:"question"`
	Deadline   time.Time   `json:"deadline"`
	Escalation *Escalation `json:"escalation"`
	Channels   []string    `json:"channels"`
	// AppliesFrom is when a decision applies; zero: from when it was taken.
	AppliesFrom time.Time `json:"applies_from"`
	// AudienceDigest, when given, is the Digest of the units a preview
	// showed: the dispatch is refused if the audience resolves otherwise.
	AudienceDigest string `json:"audience_digest"`
	// Token, when given, makes sending idempotent: a second create with the
	// same token (a double click, a retry) creates nothing and answers with
	// the first dispatch.
	Token string `json:"token"`
}

// MaxDeadline is how far ahead a receipt deadline may lie.
const MaxDeadline = 7 * 24 * time.Hour

// Resolve turns an audience into the sorted list of units it names, or an
// error naming the part that is empty or unknown.
func Resolve(a Audience, units []directory.Unit, people []directory.Person) ([]string, error) {
	byID := map[string]directory.Unit{}
	children := map[string][]string{}
	for _, u := range units {
		byID[u.ID] = u
		children[u.Parent] = append(children[u.Parent], u.ID)
	}
	set := map[string]bool{}
	if a.All {
		for _, u := range units {
			set[u.ID] = true
		}
	}
	for _, root := range a.Subtrees {
		if _, ok := byID[root]; !ok {
			return nil, fail.Field("audience.subtrees", "unknown unit %q", root)
		}
		stack := []string{root}
		for len(stack) > 0 {
			id := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if !set[id] {
				set[id] = true
				stack = append(stack, children[id]...)
			}
		}
	}
	for _, t := range a.Types {
		found := false
		for _, u := range units {
			if string(u.Type) == t {
				set[u.ID], found = true, true
			}
		}
		if !found {
			return nil, fail.Field("audience.types", "no unit has the type %q", t)
		}
	}
	for _, id := range a.Units {
		if _, ok := byID[id]; !ok {
			return nil, fail.Field("audience.units", "unknown unit %q", id)
		}
		set[id] = true
	}
	for _, fn := range a.Functions {
		found := false
		for _, p := range people {
			if strings.EqualFold(p.Function, fn) && p.Unit != "" {
				if _, ok := byID[p.Unit]; ok {
					set[p.Unit], found = true, true
				}
			}
		}
		if !found {
			return nil, fail.Field("audience.functions", "nobody in the directory holds the function %q", fn)
		}
	}
	if len(set) == 0 {
		return nil, fail.Field("audience", "names no unit: choose all units, a subtree, a unit type, named units or the holders of a function")
	}
	out := make([]string, 0, len(set))
	for id := range set {
		out = append(out, id)
	}
	slices.Sort(out)
	return out, nil
}

// Decide checks Create and returns its event. The incident must be open;
// a decision dispatch must carry a decision entry of that incident.
func (c Create) Decide(inc Incidents, units UnitLister, by event.Actor, now time.Time) (ID, []event.Draft, error) {
	// The staff's dispatch names its sender by name in the payload, as it
	// always has in the log; the event's actor is the account.
	return c.decide(inc, units, by.Name, by.Username, now)
}

// decide checks and drafts a dispatch whose payload names author and whose
// event names actor.
func (c Create) decide(inc Incidents, units UnitLister, author, actor string, now time.Time) (ID, []event.Draft, error) {
	if err := inc.CheckOpen(c.Incident); err != nil {
		return "", nil, err
	}
	var content *DecisionCopy
	switch c.Kind {
	case KindDecision:
		rec, ok := inc.Decision(c.Incident, c.Decision)
		if !ok {
			return "", nil, fail.Field("decision", "%q is not a decision in this incident's journal", c.Decision)
		}
		if rec.CorrectedBy != "" {
			return "", nil, fail.Field("decision", "has been corrected by a later journal entry: send the correction instead")
		}
		if strings.TrimSpace(c.Title) == "" {
			c.Title = titleOf(rec.Text) // the decision supplies the title
		}
		content = copyDecision(c.Decision, rec, c.AppliesFrom)
	case KindMessage:
		if c.Decision != "" {
			return "", nil, fail.Field("decision", "only a decision dispatch carries a decision")
		}
		if !c.AppliesFrom.IsZero() {
			return "", nil, fail.Field("applies_from", "only a decision applies from a time")
		}
	default:
		return "", nil, fail.Field("kind", "unknown kind %q: use decision or message", c.Kind)
	}
	if err := fail.First(
		fail.Text("title", c.Title, MaxTitle, true),
		fail.Text("body", c.Body, incident.MaxText, false),
	); err != nil {
		return "", nil, err
	}
	if c.Question != nil {
		if err := fail.Text("question.text", c.Question.Text, 500, true); err != nil {
			return "", nil, err
		}
		if n := len(c.Question.Answers); n < 2 || n > 6 {
			return "", nil, fail.Field("question.answers", "has %d answers; give 2 to 6", n)
		}
		for _, a := range c.Question.Answers {
			if err := fail.Text("question.answers", a, 100, true); err != nil {
				return "", nil, err
			}
		}
	}
	if c.Deadline.IsZero() || !c.Deadline.After(now) {
		return "", nil, fail.Field("deadline", "must lie in the future")
	}
	if c.Deadline.After(now.Add(MaxDeadline)) {
		return "", nil, fail.Field("deadline", "lies more than %s ahead", MaxDeadline)
	}
	esc := DefaultEscalation
	if c.Escalation != nil {
		esc = *c.Escalation
		if esc.Resend <= 0 || esc.Deputies < esc.Resend || esc.Parent < esc.Deputies || esc.Parent > 24*60 {
			return "", nil, fail.Field("escalation", "steps must be positive and in order: resend ≤ deputies ≤ parent, within 24 hours (in minutes)")
		}
	}
	channels := c.Channels
	if len(channels) == 0 {
		channels = Channels
	}
	seen := map[string]bool{}
	for _, ch := range channels {
		if !slices.Contains(Channels, ch) || seen[ch] {
			return "", nil, fail.Field("channels", "%q is unknown or named twice: use inapp, email, sms, webhook", ch)
		}
		seen[ch] = true
	}
	resolved, err := Resolve(c.Audience, units.Units(), units.People())
	if err != nil {
		return "", nil, err
	}
	if err := fail.Text("token", c.Token, 100, false); err != nil {
		return "", nil, err
	}
	if c.AudienceDigest != "" && c.AudienceDigest != Digest(resolved) {
		return "", nil, fail.Field("audience", "now names %d units, not those of the preview (the directory changed): check the list again", len(resolved))
	}
	id := ID(event.NewID())
	return id, []event.Draft{{Type: TypeCreated, Subject: string(id), Actor: actor,
		Payload: Created{Dispatch: id, Incident: c.Incident, Kind: c.Kind, Title: strings.TrimSpace(c.Title), Body: c.Body,
			Decision: c.Decision, Content: content, Token: c.Token, Audience: c.Audience, Units: resolved, Question: c.Question, Deadline: c.Deadline.UTC(),
			Escalation: esc, Channels: slices.Clone(channels), Author: author}}}, nil
}

// Acknowledge is a unit's receipt. The first receipt covers the unit; a
// later one from another contact changes nothing and is not an error.
type Acknowledge struct {
	Dispatch ID          `json:"-"`
	Unit     string      `json:"unit"`
	By       event.Actor `json:"-"` // who acknowledged: their name and account, if they have one
	Channel  string      `json:"-"`
	Answer   string      `json:"answer"`
	Readback string      `json:"readback"`
	Link     string      `json:"-"` // the attempt id of a receipt link, when one is used
}

// Decide checks a receipt against the dispatch. actor is what the event
// records as its actor: the account, or for a receipt without one the way it
// came ("link:<attempt>", "sms:<number>", "webhook:<unit>").
func (c Acknowledge) Decide(b *Book, actor string) ([]event.Draft, error) {
	b.mu.RLock()
	defer b.mu.RUnlock()
	d := b.dispatches[c.Dispatch]
	if d == nil {
		return nil, fail.New(fail.NotFound, "dispatch %q does not exist", c.Dispatch)
	}
	us := d.State[c.Unit]
	if us == nil {
		return nil, fail.Field("unit", "the dispatch is not addressed to unit %q", c.Unit)
	}
	// The answer may be left out (an SMS reply "OK 123456" still says
	// received and understood); one that is given must be one of the answers.
	if d.Question != nil && c.Answer != "" && !slices.Contains(d.Question.Answers, c.Answer) {
		return nil, fail.Field("answer", "choose one of: %s", strings.Join(d.Question.Answers, ", "))
	}
	if d.Question == nil && c.Answer != "" {
		return nil, fail.Field("answer", "the dispatch asks no question")
	}
	if err := fail.Text("readback", c.Readback, 2000, false); err != nil {
		return nil, err
	}
	if !slices.Contains(Channels, c.Channel) && c.Channel != Phone {
		return nil, fail.Field("channel", "unknown channel %q", c.Channel)
	}
	if c.Link != "" && d.used[c.Link] {
		return nil, used(fail.Field("link", "has already been used to acknowledge"))
	}
	if us.Ack != nil && c.Link == "" {
		return nil, nil // covered already
	}
	// A link's receipt is recorded even when another contact covered the
	// unit first: it marks the link used.
	return []event.Draft{{Type: TypeAcknowledged, Subject: string(c.Dispatch), Actor: actor,
		Payload: Acknowledged{Dispatch: c.Dispatch, Unit: c.Unit, Link: c.Link, By: c.By.Name, Username: c.By.Username, Channel: c.Channel,
			Answer: c.Answer, Readback: c.Readback}}}, nil
}

// Open records that a unit opened the dispatch; only the first opening counts.
func Open(b *Book, id ID, unit, channel, actor string) ([]event.Draft, error) {
	b.mu.RLock()
	defer b.mu.RUnlock()
	d := b.dispatches[id]
	if d == nil {
		return nil, fail.New(fail.NotFound, "dispatch %q does not exist", id)
	}
	us := d.State[unit]
	if us == nil {
		return nil, fail.Field("unit", "the dispatch is not addressed to unit %q", unit)
	}
	if !us.Opened.IsZero() {
		return nil, nil
	}
	return []event.Draft{{Type: TypeOpened, Subject: string(id), Actor: actor, Payload: Opened{Dispatch: id, Unit: unit, Channel: channel}}}, nil
}
