package directory

import (
	"context"
	"log/slog"
	"time"

	"fyr/internal/auth"
	"fyr/internal/event"
	"fyr/internal/fail"
	"fyr/internal/kernel"
)

// Service is the directory capability: units, people, contact points and
// who is on duty, with every role check and the audit of contact reads.
// Its read model is private.
type Service struct {
	run        kernel.Runner[*Directory]
	view       *Directory
	maxPayload int // the largest event the log takes: bounds an import
	log        *slog.Logger
}

// NewService returns the service over run (the appender, on the
// directory's write model) and view (its read model).
func NewService(run kernel.Runner[*Directory], view *Directory, maxPayload int, logger *slog.Logger) *Service {
	return &Service{run: run, view: view, maxPayload: maxPayload, log: logger}
}

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

// ContactAccess is how much of a unit's contact details a caller may see.
type ContactAccess int

const (
	// NoContacts: the caller may not see who answers for the unit.
	NoContacts ContactAccess = iota
	// ContactNames: who answers, by name, without numbers or addresses.
	ContactNames
	// ContactFull: names, phones, e-mail addresses and webhooks.
	ContactFull
)

// ContactAccess decides what p may see of unit's contacts: the staff and
// the admin every unit's; a unit account its own unit's, and only the
// names of its parent unit's contacts (whom to ask for when it phones the
// switchboard); everyone else nothing. Contact details are personal data,
// and a unit account is the one most likely to be shared on a ward.
func (s *Service) ContactAccess(p auth.Principal, unit string) ContactAccess {
	switch {
	case p.May(auth.ReadContacts):
		return ContactFull
	case p.Role != auth.Unit || p.Unit == "":
		return NoContacts
	case p.Unit == unit:
		return ContactFull
	}
	if own, ok := s.view.Unit(p.Unit); ok && own.Parent == unit {
		return ContactNames
	}
	return NoContacts
}

// NamesOnly keeps who answers, by name: the people, without their numbers
// and addresses, and not the unit's own phone and e-mail.
func NamesOnly(cs []Contact) []Contact {
	var out []Contact
	for _, c := range cs {
		if c.PersonID == "" {
			continue
		}
		out = append(out, Contact{PersonID: c.PersonID, Name: c.Name, Role: c.Role})
	}
	return out
}

// Hospitals lists the scopes besides the region.
func (s *Service) Hospitals() []Unit { return s.view.Hospitals() }

// AddUnit adds a unit to the directory; actor names who (an account or "cli").
func (s *Service) AddUnit(ctx context.Context, actor string, u Unit) error {
	_, err := s.run.Run(ctx, func(d *Directory, now time.Time) ([]event.Draft, error) {
		return AddUnit{Unit: u}.Decide(d, event.Actor{Username: actor}, now)
	})
	return err
}

// AddPerson adds a person to the directory; actor names who.
func (s *Service) AddPerson(ctx context.Context, actor string, p Person) error {
	_, err := s.run.Run(ctx, func(d *Directory, now time.Time) ([]event.Draft, error) {
		return AddPerson{Person: p}.Decide(d, event.Actor{Username: actor})
	})
	return err
}

// ImportDirectory imports units and people, all or nothing: one event, or
// an error listing every bad row. p is nil when an operator runs the CLI.
func (s *Service) ImportDirectory(ctx context.Context, p *auth.Principal, imp Import) (ImportSummary, error) {
	actor, err := by(p, auth.ManageDirectory)
	if err != nil {
		return ImportSummary{}, err
	}
	// What the log takes, less room for the envelope.
	imp.MaxBytes = s.maxPayload - s.maxPayload/8
	var sum ImportSummary
	if _, err := s.run.Run(ctx, func(d *Directory, now time.Time) ([]event.Draft, error) {
		var drafts []event.Draft
		var err error
		drafts, sum, err = imp.Decide(d, actor)
		return drafts, err
	}); err != nil {
		return ImportSummary{}, err
	}
	s.log.Info("directory imported", "username", actor.Username, "units_added", sum.UnitsAdded, "units_updated", sum.UnitsUpdated,
		"people_added", sum.PeopleAdded, "people_updated", sum.PeopleUpdated)
	return sum, nil
}

// SetContacts sets a unit's own contact points and who answers for it.
func (s *Service) SetContacts(ctx context.Context, p *auth.Principal, cmd SetContacts) (Unit, error) {
	actor, err := by(p, auth.ManageDirectory)
	if err != nil {
		return Unit{}, err
	}
	if _, err := s.run.Run(ctx, func(d *Directory, now time.Time) ([]event.Draft, error) {
		return cmd.Decide(d, actor)
	}); err != nil {
		return Unit{}, err
	}
	u, _ := s.view.Unit(cmd.Unit)
	return u, nil
}

// SetOnDuty puts a person on duty for a unit for a shift.
func (s *Service) SetOnDuty(ctx context.Context, p *auth.Principal, cmd SetOnDuty) (Shift, error) {
	actor, err := by(p, auth.SetOnDuty)
	if err != nil {
		return Shift{}, err
	}
	var shift Shift
	if _, err := s.run.Run(ctx, func(d *Directory, now time.Time) ([]event.Draft, error) {
		drafts, err := cmd.Decide(d, actor, now)
		if err == nil {
			shift = drafts[0].Payload.(OnDutySet).Shift
		}
		return drafts, err
	}); err != nil {
		return Shift{}, err
	}
	s.log.Info("on duty set", "username", actor.Username, "unit", shift.Unit, "person", shift.Person, "from", shift.From, "to", shift.To)
	return shift, nil
}

// ClearOnDuty removes an on-duty shift.
func (s *Service) ClearOnDuty(ctx context.Context, p *auth.Principal, cmd ClearOnDuty) error {
	actor, err := by(p, auth.SetOnDuty)
	if err != nil {
		return err
	}
	_, err = s.run.Run(ctx, func(d *Directory, now time.Time) ([]event.Draft, error) {
		return cmd.Decide(d, actor)
	})
	return err
}

// Reach lists who answers for a unit at a time, as much as p may see of it
// (ContactAccess); reading contact details is logged.
func (s *Service) Reach(p auth.Principal, unit string, at time.Time) ([]Contact, error) {
	if err := p.Require(auth.ReadIncidents); err != nil {
		return nil, err
	}
	access := s.ContactAccess(p, unit)
	if access == NoContacts {
		return nil, fail.New(fail.Forbidden, "the contacts of unit %q are for the crisis staff; a unit account sees its own unit's and the names of its parent unit's", unit)
	}
	s.log.Info("directory read", "audit", true, "username", p.Username, "unit", unit, "what", "reach", "names_only", access == ContactNames)
	if access == ContactNames {
		return NamesOnly(s.view.Reach(unit, at)), nil
	}
	return s.view.Reach(unit, at), nil
}

// ExportUnits returns every unit, parents first, for a CSV export: each
// export is logged (contact details in bulk are personal data).
func (s *Service) ExportUnits(p *auth.Principal) ([]Unit, error) {
	actor, err := by(p, auth.ExportDirectory)
	if err != nil {
		return nil, err
	}
	units := s.view.TreeOrder()
	s.log.Info("directory exported", "audit", true, "username", actor.Username, "what", "units", "rows", len(units))
	return units, nil
}

// ExportPeople returns every person for a CSV export; each export is logged.
func (s *Service) ExportPeople(p *auth.Principal) ([]Person, error) {
	actor, err := by(p, auth.ExportDirectory)
	if err != nil {
		return nil, err
	}
	people := s.view.People()
	s.log.Info("directory exported", "audit", true, "username", actor.Username, "what", "people", "rows", len(people))
	return people, nil
}

// Units are every unit of the organisation, parents first. The tree and the
// units' names are the organisation's structure, which every caller that
// reached a page may see (a unit's own phone and e-mail are its switchboard,
// not a person's).
func (s *Service) Units() []Unit { return s.view.Units() }

// Unit is one unit of the structure (see Units).
func (s *Service) Unit(id string) (Unit, bool) { return s.view.Unit(id) }

// Children are the units directly below unitID ("" for the roots).
func (s *Service) Children(unitID string) []Unit { return s.view.Children(unitID) }

// Subtree is unitID and every unit below it, parents first.
func (s *Service) Subtree(unitID string) []Unit { return s.view.Subtree(unitID) }

// Path is the units from the root down to unitID.
func (s *Service) Path(unitID string) []Unit { return s.view.Path(unitID) }

// Functions are the staff functions the directory knows.
func (s *Service) Functions() []string { return s.view.Functions() }

// People are everyone in the directory as p may see them: a person's phone
// and e-mail only where p may see the contacts of the person's unit
// (ContactAccess). Reading people is logged with what for.
func (s *Service) People(p auth.Principal, what string) ([]Person, error) {
	if err := p.Require(auth.ReadIncidents); err != nil {
		return nil, err
	}
	people := s.view.People()
	out := make([]Person, len(people))
	for i, person := range people {
		if s.ContactAccess(p, person.Unit) != ContactFull {
			person.Mobile, person.Email = "", ""
		}
		out[i] = person
	}
	s.log.Info("directory read", "audit", true, "username", p.Username, "what", what, "rows", len(out))
	return out, nil
}

// Shifts are a unit's current and coming on-duty shifts at a time.
func (s *Service) Shifts(p auth.Principal, unit string, at time.Time) ([]Shift, error) {
	if err := p.Require(auth.ReadIncidents); err != nil {
		return nil, err
	}
	return s.view.Shifts(unit, at), nil
}

// MayRead is nil when p may read the directory (its structure and whom to
// call): the directory pages ask before they show anything.
func (s *Service) MayRead(p auth.Principal) error { return p.Require(auth.ReadIncidents) }

// MayExport and MayImport answer what Export and Import check, for the
// import page, which asks before it parses an upload.
func (s *Service) MayExport(p auth.Principal) error { return p.Require(auth.ExportDirectory) }

// MayImport: see MayExport.
func (s *Service) MayImport(p auth.Principal) error { return p.Require(auth.ManageDirectory) }

// UnitName is a unit's name, or its id when the directory lacks it (a unit
// removed since, or an id typed by hand): what a page shows for a unit id.
func (s *Service) UnitName(id string) string {
	if u, ok := s.view.Unit(id); ok {
		return u.Name
	}
	return id
}
