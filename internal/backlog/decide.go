package backlog

import (
	"strings"
	"time"

	"fyr/internal/event"
	"fyr/internal/fail"
	"fyr/internal/incident"
)

// Add adds Count items of manual work to a unit's backlog in a system;
// WorkOff (the same fields) works them off. OccurredAt zero is now.
type Add struct {
	Incident   incident.ID `json:"-"`
	Unit       string      `json:"unit"`
	System     string      `json:"system"`
	Kind       Kind        `json:"kind"`
	Count      int         `json:"count"`
	OccurredAt time.Time   `json:"occurred_at,omitzero"`
	Note       string      `json:"note,omitempty"`
	Token      string      `json:"-"`
}

// WorkOff works items off a unit's backlog: never more than is left.
type WorkOff Add

// Decide checks an addition against the model and returns its event.
func (c Add) Decide(m WriteModel, by event.Actor, now time.Time) ([]event.Draft, error) {
	return decide(m, c, TypeAdded, by, now)
}

// Decide checks a work-off against the model and returns its event.
func (c WorkOff) Decide(m WriteModel, by event.Actor, now time.Time) ([]event.Draft, error) {
	return decide(m, Add(c), TypeWorkedOff, by, now)
}

func decide(m WriteModel, c Add, typ string, by event.Actor, now time.Time) ([]event.Draft, error) {
	if err := checkIncident(m.Incidents, c.Incident); err != nil {
		return nil, err
	}
	if m.Book.seen(by.Username, c.Incident, c.Token) {
		return nil, nil // the same form again: written once already
	}
	c.Unit, c.System = strings.TrimSpace(c.Unit), strings.TrimSpace(c.System)
	if c.Unit == "" {
		return nil, fail.Field("unit", "is required")
	}
	if _, ok := m.Units.UnitName(c.Unit); !ok {
		return nil, fail.Field("unit", "unknown unit %q", c.Unit)
	}
	if c.System == "" {
		return nil, fail.Field("system", "is required: the id of a system in the continuity registry")
	}
	if _, ok := m.Systems.SystemName(c.System); !ok {
		return nil, fail.Field("system", "unknown system %q: the id of a component of kind system in the continuity registry", c.System)
	}
	if !c.Kind.valid() {
		return nil, fail.Field("kind", "%q is not a kind: prescriptions, lab_requests, journal_notes, orders, discharge_messages or other", string(c.Kind))
	}
	if c.Count <= 0 {
		return nil, fail.Field("count", "is %d: it must be at least 1", c.Count)
	}
	if c.Count > MaxCount {
		return nil, fail.Field("count", "is %d: at most %d at a time", c.Count, MaxCount)
	}
	at, err := occurred(c.OccurredAt, now)
	if err != nil {
		return nil, err
	}
	if err := fail.First(fail.Text("note", c.Note, MaxNote, false), fail.Text("token", c.Token, 200, false)); err != nil {
		return nil, err
	}
	if typ == TypeWorkedOff {
		if left := m.Book.leftFrom(c.Incident, key{c.Unit, c.System, c.Kind}, at); c.Count > left {
			return nil, fail.Field("count", "works off %d, but only %d is left to re-enter (of that unit, system and kind, then and after)", c.Count, max(left, 0))
		}
	}
	return []event.Draft{{Type: typ, Subject: string(c.Incident), OccurredAt: at, Actor: by.Username,
		Payload: Change{Incident: c.Incident, Unit: c.Unit, System: c.System, Kind: c.Kind, Count: c.Count, Note: c.Note,
			Name: by.Name, Token: c.Token}}}, nil
}

// checkIncident refuses an unknown or closed incident, naming the field.
func checkIncident(incs Incidents, id incident.ID) error {
	if id == "" {
		return fail.Field("incident", "is required")
	}
	if err := incs.CheckOpen(id); err != nil {
		fe := *fail.As(err)
		fe.Field = "incident"
		return &fe
	}
	return nil
}

// occurred checks when a change happened and defaults it to now: earlier
// is fine (written after the fact), the future is not.
func occurred(at, now time.Time) (time.Time, error) {
	if at.IsZero() {
		return now, nil
	}
	if at.After(now.Add(incident.MaxSkew)) {
		return at, fail.Field("occurred_at", "lies in the future (%s); at most %s ahead is accepted", at.UTC().Format(time.RFC3339), incident.MaxSkew)
	}
	if at.Year() < 2000 {
		return at, fail.Field("occurred_at", "is before the year 2000")
	}
	return at, nil
}
