package continuity

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"fyr/internal/event"
	"fyr/internal/fail"
	"fyr/internal/incident"
)

// Statuses inside an incident: the staff record a component as down,
// degraded or up, with when it happened (may be earlier: bitemporal, as
// journal entries), source and note. Every change is also a journal entry
// of the incident, in the same atomic write.

// TypeStatusRecorded is a component's status recorded in an incident.
const TypeStatusRecorded = "continuity.status_recorded"

// StatusRecorded is the payload of TypeStatusRecorded; the envelope's
// occurred_at is when the component changed, its recorded_at when Fyr
// learned it.
type StatusRecorded struct {
	Incident  incident.ID `json:"incident"`
	Component string      `json:"component"`
	Status    Status      `json:"status"`
	Source    string      `json:"source,omitempty"`
	Note      string      `json:"note,omitempty"`
	Entry     string      `json:"entry,omitempty"` // the journal entry that records it
}

// Journal is what a status needs of the incident: that it is open, and
// its journal entry (info_in), written with the status.
type Journal interface {
	RecordStatus(inc incident.ID, text, source string, occurred time.Time, by event.Actor, now time.Time) ([]event.Draft, error)
}

// RecordStatus records a component's status in an incident.
type RecordStatus struct {
	Incident   incident.ID `json:"-"`
	Component  string      `json:"component"`
	Status     Status      `json:"status"`
	OccurredAt time.Time   `json:"occurred_at"`
	Source     string      `json:"source"`
	Note       string      `json:"note"`
}

// statusWords are the journal's words for a status.
var statusWords = map[Status]string{Up: "i drift", Degraded: "stört", Down: "nere"}

// Decide checks the status and returns it with its journal entry.
func (c RecordStatus) Decide(m WriteModel, by event.Actor, now time.Time) ([]event.Draft, error) {
	c.Component = strings.TrimSpace(c.Component)
	comp, ok := m.Registry.Component(c.Component)
	if !ok {
		return nil, fail.Field("component", "unknown component %q", c.Component)
	}
	if !contains(Statuses, c.Status) {
		return nil, fail.Field("status", "%q is not a status: down, degraded or up", string(c.Status))
	}
	at := c.OccurredAt
	if at.IsZero() {
		at = now
	}
	if at.After(now.Add(incident.MaxSkew)) {
		return nil, fail.Field("occurred_at", "lies in the future (%s); at most %s ahead is accepted", at.UTC().Format(time.RFC3339), incident.MaxSkew)
	}
	if err := fail.First(fail.Text("source", c.Source, MaxName, false), fail.Text("note", c.Note, MaxNote, false)); err != nil {
		return nil, err
	}
	if m.Journal == nil {
		return nil, fmt.Errorf("record status: no journal")
	}
	text := fmt.Sprintf("Status: %s är %s", comp.Name, statusWords[c.Status])
	if c.Note != "" {
		text += ". " + c.Note
	}
	entry, err := m.Journal.RecordStatus(c.Incident, text, c.Source, at, by, now)
	if err != nil {
		return nil, err
	}
	p := StatusRecorded{Incident: c.Incident, Component: comp.ID, Status: c.Status, Source: c.Source, Note: c.Note}
	if len(entry) > 0 {
		p.Entry = entry[0].Subject
		if e, ok := entry[0].Payload.(incident.EntryRecorded); ok {
			p.Entry = e.ID
		}
	}
	return append([]event.Draft{{Type: TypeStatusRecorded, Subject: string(c.Incident), OccurredAt: at, Actor: by.Username,
		Source: c.Source, Payload: p}}, entry...), nil
}

// statusRec is one recorded status with its two times.
type statusRec struct {
	StatusRecorded
	occurred, recorded time.Time
	seq                uint64
	actor              string
}

// StatusChange is a recorded status as the API answers it.
type StatusChange struct {
	StatusRecorded
	OccurredAt time.Time `json:"occurred_at"`
	RecordedAt time.Time `json:"recorded_at"`
	By         string    `json:"by"`             // the account that recorded it
	Name       string    `json:"name,omitempty"` // the component's name
}

// standing returns, per component, the status record of an incident that
// stands at asOf: of the records kept (at: occurred by then; known_at:
// recorded by then), the one that occurred last, the later recorded on a
// tie. r.mu is held.
func (r *Registry) standing(inc incident.ID, asOf incident.AsOf) map[string]statusRec {
	latest := map[string]statusRec{}
	for _, s := range r.statuses[inc] {
		if !asOf.At.IsZero() && s.occurred.After(asOf.At) || !asOf.KnownAt.IsZero() && s.recorded.After(asOf.KnownAt) {
			continue
		}
		if old, ok := latest[s.Component]; !ok || !s.occurred.Before(old.occurred) {
			latest[s.Component] = s
		}
	}
	return latest
}

// Current returns, for every component with a status recorded in an
// incident, the change that stands at asOf: worst first, then by name.
func (r *Registry) Current(inc incident.ID, asOf incident.AsOf) []StatusChange {
	r.mu.RLock()
	defer r.mu.RUnlock()
	latest := r.standing(inc, asOf)
	out := make([]StatusChange, 0, len(latest))
	for _, s := range latest {
		out = append(out, StatusChange{StatusRecorded: s.StatusRecorded, OccurredAt: s.occurred, RecordedAt: s.recorded, By: s.actor,
			Name: r.components[s.Component].Name})
	}
	slices.SortFunc(out, func(a, b StatusChange) int {
		if ra, rb := rank(a.Status), rank(b.Status); ra != rb {
			return int(rb) - int(ra)
		}
		return strings.Compare(a.Name, b.Name)
	})
	return out
}

// Statuses returns the components' statuses in an incident at asOf.
func (r *Registry) Statuses(inc incident.ID, asOf incident.AsOf) map[string]Status {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := map[string]Status{}
	for id, s := range r.standing(inc, asOf) {
		out[id] = s.Status
	}
	return out
}
