package core

import (
	"context"
	"time"

	"fyr/internal/auth"
	"fyr/internal/directory"
	"fyr/internal/event"
	"fyr/internal/fail"
)

// by names who issues a directory command: the account, or "cli" for an
// operator at the console (p nil).
func by(p *auth.Principal, action auth.Action) (event.Actor, error) {
	if p == nil {
		return event.Actor{Username: "cli"}, nil
	}
	if err := p.Require(action); err != nil {
		return event.Actor{}, err
	}
	return p.Actor(), nil
}

// ImportDirectory imports units and people, all or nothing: one event, or
// an error listing every bad row. p is nil when an operator runs the CLI.
func (s *Service) ImportDirectory(ctx context.Context, p *auth.Principal, imp directory.Import) (directory.ImportSummary, error) {
	actor, err := by(p, auth.ManageDirectory)
	if err != nil {
		return directory.ImportSummary{}, err
	}
	// What the log takes, less room for the envelope.
	imp.MaxBytes = s.st.MaxPayload() - s.st.MaxPayload()/8
	var sum directory.ImportSummary
	if _, err := s.do(ctx, func(f *Facts, now time.Time) ([]event.Draft, error) {
		var drafts []event.Draft
		var err error
		drafts, sum, err = imp.Decide(f.Units, actor)
		return drafts, err
	}); err != nil {
		return directory.ImportSummary{}, err
	}
	s.log.Info("directory imported", "username", actor.Username, "units_added", sum.UnitsAdded, "units_updated", sum.UnitsUpdated,
		"people_added", sum.PeopleAdded, "people_updated", sum.PeopleUpdated)
	return sum, nil
}

// SetContacts sets a unit's own contact points and who answers for it.
func (s *Service) SetContacts(ctx context.Context, p *auth.Principal, cmd directory.SetContacts) (directory.Unit, error) {
	actor, err := by(p, auth.ManageDirectory)
	if err != nil {
		return directory.Unit{}, err
	}
	if _, err := s.do(ctx, func(f *Facts, now time.Time) ([]event.Draft, error) {
		return cmd.Decide(f.Units, actor)
	}); err != nil {
		return directory.Unit{}, err
	}
	u, _ := s.P.Units.Unit(cmd.Unit)
	return u, nil
}

// SetOnDuty puts a person on duty for a unit for a shift.
func (s *Service) SetOnDuty(ctx context.Context, p *auth.Principal, cmd directory.SetOnDuty) (directory.Shift, error) {
	actor, err := by(p, auth.SetOnDuty)
	if err != nil {
		return directory.Shift{}, err
	}
	var shift directory.Shift
	if _, err := s.do(ctx, func(f *Facts, now time.Time) ([]event.Draft, error) {
		drafts, err := cmd.Decide(f.Units, actor, now)
		if err == nil {
			shift = drafts[0].Payload.(directory.OnDutySet).Shift
		}
		return drafts, err
	}); err != nil {
		return directory.Shift{}, err
	}
	s.log.Info("on duty set", "username", actor.Username, "unit", shift.Unit, "person", shift.Person, "from", shift.From, "to", shift.To)
	return shift, nil
}

// ClearOnDuty removes an on-duty shift.
func (s *Service) ClearOnDuty(ctx context.Context, p *auth.Principal, cmd directory.ClearOnDuty) error {
	actor, err := by(p, auth.SetOnDuty)
	if err != nil {
		return err
	}
	_, err = s.do(ctx, func(f *Facts, now time.Time) ([]event.Draft, error) {
		return cmd.Decide(f.Units, actor)
	})
	return err
}

// Reach lists who answers for a unit at a time, as much as p may see of it
// (ContactAccess); reading contact details is logged.
func (s *Service) Reach(p auth.Principal, unit string, at time.Time) ([]directory.Contact, error) {
	if err := p.Require(auth.ReadIncidents); err != nil {
		return nil, err
	}
	access := s.ContactAccess(p, unit)
	if access == NoContacts {
		return nil, fail.New(fail.Forbidden, "the contacts of unit %q are for the crisis staff; a unit account sees its own unit's and the names of its parent unit's", unit)
	}
	s.log.Info("directory read", "audit", true, "username", p.Username, "unit", unit, "what", "reach", "names_only", access == ContactNames)
	if access == ContactNames {
		return NamesOnly(s.P.Units.Reach(unit, at)), nil
	}
	return s.P.Units.Reach(unit, at), nil
}

// ExportUnits returns every unit, parents first, for a CSV export: each
// export is logged (contact details in bulk are personal data).
func (s *Service) ExportUnits(p *auth.Principal) ([]directory.Unit, error) {
	actor, err := by(p, auth.ExportDirectory)
	if err != nil {
		return nil, err
	}
	units := s.P.Units.TreeOrder()
	s.log.Info("directory exported", "audit", true, "username", actor.Username, "what", "units", "rows", len(units))
	return units, nil
}

// ExportPeople returns every person for a CSV export; each export is logged.
func (s *Service) ExportPeople(p *auth.Principal) ([]directory.Person, error) {
	actor, err := by(p, auth.ExportDirectory)
	if err != nil {
		return nil, err
	}
	people := s.P.Units.People()
	s.log.Info("directory exported", "audit", true, "username", actor.Username, "what", "people", "rows", len(people))
	return people, nil
}
