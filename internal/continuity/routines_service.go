package continuity

import (
	"context"
	"fmt"
	"slices"
	"time"

	"fyr/internal/auth"
	"fyr/internal/event"
	"fyr/internal/fail"
	"fyr/internal/incident"
)

// Who may do what with routines in an incident: activating one takes
// auth.WriteIncidents (the staff); reporting one takes auth.FileReport — a
// unit account for its own unit only, the staff for any unit (on behalf,
// from a call); the staff's board takes auth.ReadJournal (as the reporting
// rounds); a unit's own routines and its binder are read by every role
// that may report for it (a unit account: its own unit only).

// WithRoutines gives the service the read model of routines in incidents.
func (s *Service) WithRoutines(b *Board) *Service {
	s.board = b
	return s
}

// ActivateRoutine sends a routine to an audience of units. The
// activation, its dispatch (a message naming the routine and its steps,
// which the engine sends and escalates until every unit acknowledges) and
// the journal entry are one atomic write.
func (s *Service) ActivateRoutine(ctx context.Context, p auth.Principal, cmd Activate) (RoutineActivated, error) {
	if err := p.Require(auth.WriteIncidents); err != nil {
		return RoutineActivated{}, err
	}
	envs, err := s.run.Run(ctx, func(m WriteModel, now time.Time) ([]event.Draft, error) {
		_, drafts, err := cmd.Decide(m, p.Actor(), now)
		return drafts, err
	})
	if err != nil {
		return RoutineActivated{}, err
	}
	for _, e := range envs {
		if e.Type == TypeRoutineActivated {
			var a RoutineActivated
			if err := e.Unmarshal(&a); err != nil {
				return RoutineActivated{}, fmt.Errorf("activate routine: %w", err)
			}
			s.log.Info("routine activated", "incident_id", a.Incident, "routine", a.Routine, "units", len(a.Units),
				"dispatch_id", a.Dispatch, "username", p.Username)
			return a, nil
		}
	}
	return RoutineActivated{}, fmt.Errorf("activate routine: no activation written")
}

// RoutineReport is a unit's report as the API answers it.
type RoutineReport struct {
	RoutineReported
	ReportedAt time.Time `json:"reported_at"`
}

// reportingUnit checks who may report (or read the routines) for which
// unit: a unit account for its own unit only (unit "" is its own); the
// staff for any named unit, on behalf.
func reportingUnit(p auth.Principal, unit string) (string, bool, error) {
	if err := p.Require(auth.FileReport); err != nil {
		return "", false, err
	}
	if p.Role == auth.Unit {
		if unit == "" {
			unit = p.Unit
		}
		if p.Unit == "" || unit != p.Unit {
			return "", false, fail.New(fail.Forbidden, "an account for unit %q may not report for unit %q", p.Unit, unit)
		}
		return unit, false, nil
	}
	if unit == "" {
		return "", false, fail.Field("unit", "is required: name the unit the report is for")
	}
	return unit, true, nil
}

// ReportRoutine records a unit's report of a routine it was told to use,
// with the unit's receipt of the activation and, when the routine does not
// work (or works again), a journal entry: one atomic write.
func (s *Service) ReportRoutine(ctx context.Context, p auth.Principal, cmd ReportRoutine) (RoutineReport, error) {
	unit, onBehalf, err := reportingUnit(p, cmd.Unit)
	if err != nil {
		return RoutineReport{}, err
	}
	info, ok := s.units.Unit(unit)
	if !ok {
		return RoutineReport{}, fail.Field("unit", "unknown unit %q", unit)
	}
	cmd.Unit = unit
	envs, err := s.run.Run(ctx, func(m WriteModel, now time.Time) ([]event.Draft, error) {
		return cmd.Decide(m, p.Actor(), onBehalf, info.Name, now)
	})
	if err != nil {
		return RoutineReport{}, err
	}
	for _, e := range envs {
		if e.Type == TypeRoutineReported {
			var r RoutineReported
			if err := e.Unmarshal(&r); err != nil {
				return RoutineReport{}, fmt.Errorf("report routine: %w", err)
			}
			s.log.Info("routine reported", "incident_id", r.Incident, "routine", r.Routine, "unit", unit, "state", r.State,
				"on_behalf", onBehalf, "username", p.Username)
			return RoutineReport{RoutineReported: r, ReportedAt: e.OccurredAt}, nil
		}
	}
	return RoutineReport{}, fmt.Errorf("report routine: no report written")
}

// RoutineBoard returns the routines activated in an incident, per routine
// and unit, as they stood at asOf.
func (s *Service) RoutineBoard(p auth.Principal, inc incident.ID, asOf incident.AsOf) (RoutineBoard, error) {
	if err := p.Require(auth.ReadJournal); err != nil {
		return RoutineBoard{}, err
	}
	i, err := s.incidents.Get(inc, incident.AsOf{})
	if err != nil {
		return RoutineBoard{}, err
	}
	b := s.board.board(inc, asOf, s.unitName)
	b.IncidentTitle, b.Closed = i.Title, i.Closed
	return b, nil
}

func (s *Service) unitName(id string) string {
	if u, ok := s.units.Unit(id); ok {
		return u.Name
	}
	return id
}

// UnitRoutine is a routine a unit was told to use in an open incident, and
// the unit's own last report of it.
type UnitRoutine struct {
	Incident      incident.ID `json:"incident"`
	IncidentTitle string      `json:"incident_title"`
	BoardRoutine
	Mine BoardUnit `json:"mine"`
}

// UnitRoutines returns the routines a unit was told to use in the open
// incidents, newest incident first.
func (s *Service) UnitRoutines(p auth.Principal, unit string) (string, []UnitRoutine, error) {
	unit, _, err := reportingUnit(p, unit)
	if err != nil {
		return "", nil, err
	}
	if _, ok := s.units.Unit(unit); !ok {
		return "", nil, fail.Field("unit", "unknown unit %q", unit)
	}
	out := []UnitRoutine{}
	incs := s.board.incidentsOf(unit)
	slices.Reverse(incs) // ids are ULIDs: the newest last
	for _, id := range incs {
		inc, err := s.incidents.Get(id, incident.AsOf{})
		if err != nil || inc.Closed {
			continue
		}
		for _, r := range s.board.board(id, incident.AsOf{}, s.unitName).Routines {
			i := slices.IndexFunc(r.Units, func(u BoardUnit) bool { return u.Unit == unit })
			if i < 0 {
				continue
			}
			mine := r.Units[i]
			r.Units = nil // a unit sees its own line, not the others'
			out = append(out, UnitRoutine{Incident: id, IncidentTitle: inc.Title, BoardRoutine: r, Mine: mine})
		}
	}
	return unit, out, nil
}

// Binder is a unit's backup routines (its "reservrutinpärm"): every
// routine that stands in for a component the unit uses, directly or
// through what that runs on.
type Binder struct {
	Unit     UnitInfo     `json:"unit"`
	Routines []BinderPage `json:"routines"`
}

// BinderPage is one routine of a binder, with the names of what it stands
// in for and of what it needs itself.
type BinderPage struct {
	Routine
	ForNames   []string `json:"for_names"`
	NeedsNames []string `json:"needs_names"`
}

// Binder returns a unit's backup routines, in the registry's order.
func (s *Service) Binder(p auth.Principal, unit string) (Binder, error) {
	unit, _, err := reportingUnit(p, unit)
	if err != nil {
		return Binder{}, err
	}
	info, ok := s.units.Unit(unit)
	if !ok {
		return Binder{}, fail.Field("unit", "unknown unit %q", unit)
	}
	uses := s.reg.usedBy(unit)
	b := Binder{Unit: info, Routines: []BinderPage{}}
	names := func(ids []string) []string {
		out := make([]string, 0, len(ids))
		for _, id := range ids {
			if c, ok := s.reg.Component(id); ok {
				out = append(out, c.Name)
			}
		}
		return out
	}
	for _, rt := range s.reg.Routines() {
		if slices.ContainsFunc(rt.For, func(id string) bool { return uses[id] }) {
			b.Routines = append(b.Routines, BinderPage{Routine: rt, ForNames: names(rt.For), NeedsNames: names(rt.Needs)})
		}
	}
	return b, nil
}

// usedBy returns every component unit depends on: what it uses (used_by),
// and transitively what those depend on.
func (r *Registry) usedBy(unit string) map[string]bool {
	on := map[string][]string{}
	for _, d := range r.Dependencies() {
		who, what := d.edge(r.isComponent)
		on[who] = append(on[who], what)
	}
	seen := map[string]bool{}
	stack := append([]string(nil), on[unit]...)
	for len(stack) > 0 {
		id := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[id] {
			continue
		}
		seen[id] = true
		stack = append(stack, on[id]...)
	}
	return seen
}
