package continuity

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"fyr/internal/auth"
	"fyr/internal/event"
	"fyr/internal/fail"
	"fyr/internal/incident"
	"fyr/internal/kernel"
)

// Who may do what: keeping the registry (components, dependencies,
// routines, imports) takes auth.ManageRegistry (administrators); reading
// it, its exports and the what-if impact takes auth.ReadIncidents (every
// logged-in role). The registry holds no personal data beyond a supplier's
// contact name and phone, which the staff need when the network is gone.

// Service is the continuity capability: its commands and queries, each
// with its role check.
type Service struct {
	run        kernel.Runner[WriteModel]
	reg        *Registry
	units      Units
	incidents  Incidents
	maxPayload int
	log        *slog.Logger
	board      *Board // routines in incidents (routines_service.go)
}

// Incidents is what the registry reads of the incidents: one as it stood.
type Incidents interface {
	Get(id incident.ID, asOf incident.AsOf) (incident.Incident, error)
}

// NewService returns the service over run (the appender, on the
// registry's write model), reg (its read model), units (the directory's
// read model) and incidents (theirs).
func NewService(run kernel.Runner[WriteModel], reg *Registry, units Units, incidents Incidents, maxPayload int, logger *slog.Logger) *Service {
	return &Service{run: run, reg: reg, units: units, incidents: incidents, maxPayload: maxPayload, log: logger}
}

// by names who issues a command: the account, or "cli" for an operator at
// the console or the demo's seeding (p nil).
func by(p *auth.Principal, action auth.Action) (event.Actor, error) {
	if p == nil {
		return event.Actor{Username: "cli"}, nil
	}
	if err := p.Require(action); err != nil {
		return event.Actor{}, err
	}
	return p.Actor(), nil
}

// SaveComponent adds a component or replaces the one with its id.
func (s *Service) SaveComponent(ctx context.Context, p auth.Principal, c Component) (Component, error) {
	actor, err := by(&p, auth.ManageRegistry)
	if err != nil {
		return Component{}, err
	}
	_, err = s.run.Run(ctx, func(m WriteModel, _ time.Time) ([]event.Draft, error) {
		var drafts []event.Draft
		c, drafts, err = SaveComponent{Component: c}.Decide(m, actor)
		return drafts, err
	})
	return c, err
}

// AddDependency adds a dependency (or replaces the group and mode of the
// one with its from, to and type).
func (s *Service) AddDependency(ctx context.Context, p auth.Principal, d Dependency) (Dependency, error) {
	actor, err := by(&p, auth.ManageRegistry)
	if err != nil {
		return Dependency{}, err
	}
	_, err = s.run.Run(ctx, func(m WriteModel, _ time.Time) ([]event.Draft, error) {
		var drafts []event.Draft
		d, drafts, err = AddDependency{Dependency: d}.Decide(m, actor)
		return drafts, err
	})
	return d, err
}

// SaveRoutine adds a routine or replaces the one with its id.
func (s *Service) SaveRoutine(ctx context.Context, p auth.Principal, rt Routine) (Routine, error) {
	actor, err := by(&p, auth.ManageRegistry)
	if err != nil {
		return Routine{}, err
	}
	_, err = s.run.Run(ctx, func(m WriteModel, _ time.Time) ([]event.Draft, error) {
		var drafts []event.Draft
		rt, drafts, err = SaveRoutine{Routine: rt}.Decide(m, actor)
		return drafts, err
	})
	return rt, err
}

// Import imports components and dependencies read from CSV, all or
// nothing. p is nil for an operator's CLI or the demo's seeding.
func (s *Service) Import(ctx context.Context, p *auth.Principal, imp Import) (ImportSummary, error) {
	actor, err := by(p, auth.ManageRegistry)
	if err != nil {
		return ImportSummary{}, err
	}
	var sum ImportSummary
	_, err = s.run.Run(ctx, func(m WriteModel, _ time.Time) ([]event.Draft, error) {
		var drafts []event.Draft
		drafts, sum, err = imp.Decide(m, actor, s.maxPayload-s.maxPayload/8)
		return drafts, err
	})
	return sum, err
}

// ImportCSV reads and imports a components file and a dependencies file
// (nil for none) as one import, all or nothing; p as for Import.
func (s *Service) ImportCSV(ctx context.Context, p *auth.Principal, components, dependencies []byte) (ImportSummary, error) {
	imp, err := ParseFiles(components, dependencies)
	if err != nil {
		return ImportSummary{}, err
	}
	return s.Import(ctx, p, imp)
}

// ImportRoutines saves the routines of a JSON array (as the API takes one
// routine), all or nothing; it returns how many. p as for Import.
func (s *Service) ImportRoutines(ctx context.Context, p *auth.Principal, data []byte) (int, error) {
	actor, err := by(p, auth.ManageRegistry)
	if err != nil {
		return 0, err
	}
	var rts []Routine
	if err := json.Unmarshal(data, &rts); err != nil {
		return 0, fail.Field("file", "is not a JSON array of routines: %v", err)
	}
	_, err = s.run.Run(ctx, func(m WriteModel, _ time.Time) ([]event.Draft, error) {
		var drafts []event.Draft
		for i, rt := range rts {
			_, ds, err := SaveRoutine{Routine: rt}.Decide(m, actor)
			if err != nil {
				return nil, fail.Field("file", "routine %d (%s): %v", i+1, rt.ID, err)
			}
			drafts = append(drafts, ds...)
		}
		return drafts, nil
	})
	return len(rts), err
}

// Components lists the registry's components.
func (s *Service) Components(p auth.Principal) ([]Component, error) {
	if err := p.Require(auth.ReadIncidents); err != nil {
		return nil, err
	}
	return s.reg.Components(), nil
}

// Dependencies lists the registry's dependencies.
func (s *Service) Dependencies(p auth.Principal) ([]Dependency, error) {
	if err := p.Require(auth.ReadIncidents); err != nil {
		return nil, err
	}
	return s.reg.Dependencies(), nil
}

// Routines lists the registry's backup routines.
func (s *Service) Routines(p auth.Principal) ([]Routine, error) {
	if err := p.Require(auth.ReadIncidents); err != nil {
		return nil, err
	}
	return s.reg.Routines(), nil
}

// MaxWhatIf bounds the components of one what-if.
const MaxWhatIf = 100

// WhatIf computes the impact of the components in down going down,
// recording nothing: for planning and exercises.
func (s *Service) WhatIf(p auth.Principal, down []string) (Report, error) {
	if err := p.Require(auth.ReadIncidents); err != nil {
		return Report{}, err
	}
	if len(down) == 0 {
		return Report{}, fail.Field("down", "name at least one component")
	}
	if len(down) > MaxWhatIf {
		return Report{}, fail.Field("down", "%d components; at most %d are allowed", len(down), MaxWhatIf)
	}
	statuses := make(map[string]Status, len(down))
	for _, id := range down {
		id = strings.TrimSpace(id)
		if !s.reg.isComponent(id) {
			return Report{}, fail.Field("down", "unknown component %q", id)
		}
		statuses[id] = Down
	}
	g := s.reg.Graph()
	return s.report(g, g.Impact(statuses)), nil
}

// RecordStatus records a component's status in an incident, with its
// journal entry (auth.WriteIncidents: the staff).
func (s *Service) RecordStatus(ctx context.Context, p auth.Principal, c RecordStatus) (StatusChange, error) {
	if err := p.Require(auth.WriteIncidents); err != nil {
		return StatusChange{}, err
	}
	envs, err := s.run.Run(ctx, func(m WriteModel, now time.Time) ([]event.Draft, error) {
		return c.Decide(m, p.Actor(), now)
	})
	if err != nil {
		return StatusChange{}, err
	}
	for _, e := range envs {
		if e.Type == TypeStatusRecorded {
			var rec StatusRecorded
			if err := e.Unmarshal(&rec); err != nil {
				return StatusChange{}, fmt.Errorf("record status: %w", err)
			}
			c, _ := s.reg.Component(rec.Component)
			return StatusChange{StatusRecorded: rec, OccurredAt: e.OccurredAt, RecordedAt: e.RecordedAt, By: e.Actor, Name: c.Name}, nil
		}
	}
	return StatusChange{}, fmt.Errorf("record status: no status event written")
}

// Impact computes the impact of the statuses recorded in an incident as
// they stood at asOf (at: what had happened by then; known_at: what the
// staff knew then) over the registry as it is now. Every role that sees
// the incident may read it (auth.ReadIncidents).
func (s *Service) Impact(p auth.Principal, inc incident.ID, asOf incident.AsOf) (Report, error) {
	if err := p.Require(auth.ReadIncidents); err != nil {
		return Report{}, err
	}
	if _, err := s.incidents.Get(inc, incident.AsOf{}); err != nil {
		return Report{}, err
	}
	g := s.reg.Graph()
	return s.report(g, g.Impact(s.reg.Statuses(inc, asOf))), nil
}

// Statuses lists the components' statuses recorded in an incident as they
// stood at asOf, worst first (auth.ReadIncidents).
func (s *Service) Statuses(p auth.Principal, inc incident.ID, asOf incident.AsOf) ([]StatusChange, error) {
	if err := p.Require(auth.ReadIncidents); err != nil {
		return nil, err
	}
	if _, err := s.incidents.Get(inc, incident.AsOf{}); err != nil {
		return nil, err
	}
	return s.reg.Current(inc, asOf), nil
}
