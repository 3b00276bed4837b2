package app

import (
	"slices"

	"fyr/internal/auth"
	"fyr/internal/directory"
	"fyr/internal/dispatch"
)

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
func (s *App) ContactAccess(p auth.Principal, unit string) ContactAccess {
	switch {
	case p.May(auth.ReadContacts):
		return ContactFull
	case p.Role != auth.Unit || p.Unit == "":
		return NoContacts
	case p.Unit == unit:
		return ContactFull
	}
	if own, ok := s.P.Units.Unit(p.Unit); ok && own.Parent == unit {
		return ContactNames
	}
	return NoContacts
}

// NamesOnly keeps who answers, by name: the people, without their numbers
// and addresses, and not the unit's own phone and e-mail.
func NamesOnly(cs []directory.Contact) []directory.Contact {
	var out []directory.Contact
	for _, c := range cs {
		if c.PersonID == "" {
			continue
		}
		out = append(out, directory.Contact{PersonID: c.PersonID, Name: c.Name, Role: c.Role})
	}
	return out
}

// withoutAddresses copies states without the phone numbers and e-mail
// addresses the attempts went to (for a viewer: who was tried, not how to
// reach them). The projection's slices are not touched.
func withoutAddresses(states []dispatch.UnitState) []dispatch.UnitState {
	out := make([]dispatch.UnitState, len(states))
	for i, st := range states {
		st.Attempts = slices.Clone(st.Attempts)
		for j := range st.Attempts {
			st.Attempts[j].Address = ""
		}
		out[i] = st
	}
	return out
}
