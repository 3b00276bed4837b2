package backlog

import (
	"context"
	"log/slog"
	"time"

	"fyr/internal/auth"
	"fyr/internal/event"
	"fyr/internal/fail"
	"fyr/internal/incident"
	"fyr/internal/kernel"
)

// Who may do what:
//
//   - record backlog (add, work off): a unit account for the unit it
//     answers for only; the staff and administrators (auth.WriteIncidents)
//     for any unit, on its behalf; a viewer for none;
//   - read an incident's backlog: every role (auth.ReadIncidents), a unit
//     account its own unit's only. The backlog holds counts, never
//     personal data, and its reads are not logged.

// Service is the backlog capability: its commands and queries, each with
// its role check.
type Service struct {
	run  kernel.Runner[WriteModel]
	read ReadModel
	log  *slog.Logger
}

// NewService returns the service over run (the appender, on the backlog's
// view of the write model) and read (its book and what it reads of the
// others).
func NewService(run kernel.Runner[WriteModel], read ReadModel, logger *slog.Logger) *Service {
	return &Service{run: run, read: read, log: logger}
}

// Tally is a change as the API takes it: a positive count adds, a
// negative one works off.
type Tally struct {
	Incident   incident.ID `json:"-"`
	Unit       string      `json:"unit"`
	System     string      `json:"system"`
	Kind       Kind        `json:"kind"`
	Count      int         `json:"count"`
	OccurredAt time.Time   `json:"occurred_at,omitzero"`
	Note       string      `json:"note,omitempty"`
}

// Recorded is the answer to a change: the unit's line after it.
type Recorded struct {
	Incident incident.ID `json:"incident"`
	Row      Row         `json:"row"`
	Seq      uint64      `json:"seq"`
}

// Record adds (count > 0) or works off (count < 0).
func (s *Service) Record(ctx context.Context, p auth.Principal, r Tally) (Recorded, error) {
	c := Add{Incident: r.Incident, Unit: r.Unit, System: r.System, Kind: r.Kind, Count: r.Count, OccurredAt: r.OccurredAt, Note: r.Note}
	switch {
	case r.Count < 0:
		c.Count = -r.Count
		return s.WorkOff(ctx, p, WorkOff(c))
	case r.Count == 0:
		if err := s.answersFor(p, r.Unit); err != nil {
			return Recorded{}, err
		}
		return Recorded{}, fail.Field("count", "is 0: a positive count adds to the backlog, a negative one works it off")
	}
	return s.Add(ctx, p, c)
}

// Add adds to a unit's backlog.
func (s *Service) Add(ctx context.Context, p auth.Principal, c Add) (Recorded, error) {
	if err := s.answersFor(p, c.Unit); err != nil {
		return Recorded{}, err
	}
	return s.write(ctx, c, func(m WriteModel, now time.Time) ([]event.Draft, error) { return c.Decide(m, p.Actor(), now) })
}

// WorkOff works items off a unit's backlog.
func (s *Service) WorkOff(ctx context.Context, p auth.Principal, c WorkOff) (Recorded, error) {
	if err := s.answersFor(p, c.Unit); err != nil {
		return Recorded{}, err
	}
	return s.write(ctx, Add(c), func(m WriteModel, now time.Time) ([]event.Draft, error) { return c.Decide(m, p.Actor(), now) })
}

func (s *Service) write(ctx context.Context, c Add, decide func(WriteModel, time.Time) ([]event.Draft, error)) (Recorded, error) {
	evs, err := s.run.Run(ctx, decide)
	if err != nil {
		return Recorded{}, err
	}
	out := Recorded{Incident: c.Incident, Seq: s.run.Seq()}
	if len(evs) > 0 {
		out.Seq = evs[len(evs)-1].Seq
		s.log.Info("backlog changed", "incident_id", c.Incident, "unit_id", c.Unit, "system", c.System, "type", evs[0].Type, "count", c.Count)
	}
	t := s.read.Book.Totals(c.Incident, c.Unit, incident.AsOf{}, s.unitName, s.systemName)
	for _, r := range t.Rows {
		if r.System == c.System && r.Kind == c.Kind {
			out.Row = r
		}
	}
	return out, nil
}

// answersFor checks that p may record backlog for unit: a unit account
// for its own unit, the staff for any.
func (s *Service) answersFor(p auth.Principal, unit string) error {
	if p.Role == auth.Unit {
		if p.Unit == "" || unit != p.Unit {
			return fail.New(fail.Forbidden, "an account for unit %q may not record backlog for unit %q", p.Unit, unit)
		}
		return nil
	}
	if !p.May(auth.WriteIncidents) {
		return fail.New(fail.Forbidden, "the role %q may not record backlog", p.Role)
	}
	return nil
}

// Totals returns an incident's backlog at a point in time: a unit account
// sees its own unit's only.
func (s *Service) Totals(p auth.Principal, id incident.ID, asOf incident.AsOf) (Totals, error) {
	if err := p.Require(auth.ReadIncidents); err != nil {
		return Totals{}, err
	}
	if _, err := s.read.Incidents.Get(id, asOf); err != nil {
		return Totals{}, err
	}
	unit := ""
	if p.Role == auth.Unit {
		if p.Unit == "" {
			return Totals{}, fail.New(fail.Forbidden, "the account answers for no unit")
		}
		unit = p.Unit
	}
	return s.read.Book.Totals(id, unit, asOf, s.unitName, s.systemName), nil
}

// UnitTotals returns one unit's backlog in an incident: a unit account
// its own (unit "" or its own), the staff any unit's.
func (s *Service) UnitTotals(p auth.Principal, id incident.ID, unit string, asOf incident.AsOf) (Totals, error) {
	if p.Role == auth.Unit && unit == "" {
		unit = p.Unit
	}
	if err := p.Require(auth.ReadIncidents); err != nil {
		return Totals{}, err
	}
	if p.Role == auth.Unit && (p.Unit == "" || unit != p.Unit) {
		return Totals{}, fail.New(fail.Forbidden, "an account for unit %q may not read the backlog of unit %q", p.Unit, unit)
	}
	if _, ok := s.read.Units.UnitName(unit); !ok {
		return Totals{}, fail.Field("unit", "unknown unit %q", unit)
	}
	if _, err := s.read.Incidents.Get(id, asOf); err != nil {
		return Totals{}, err
	}
	return s.read.Book.Totals(id, unit, asOf, s.unitName, s.systemName), nil
}

// Left is what is left of an incident's backlog now, for the stand-down's
// confirmation ("12 items are still to re-enter: close anyway?").
func (s *Service) Left(p auth.Principal, id incident.ID) (int, error) {
	if err := p.Require(auth.ReadIncidents); err != nil {
		return 0, err
	}
	return s.read.Book.Left(id), nil
}

// Systems lists the registry's systems, to record backlog in.
func (s *Service) Systems(p auth.Principal) ([]System, error) {
	if err := p.Require(auth.ReadIncidents); err != nil {
		return nil, err
	}
	return s.read.Systems.Systems(), nil
}

func (s *Service) unitName(id string) string {
	if n, ok := s.read.Units.UnitName(id); ok {
		return n
	}
	return id
}

func (s *Service) systemName(id string) string {
	if n, ok := s.read.Systems.SystemName(id); ok {
		return n
	}
	return id
}
