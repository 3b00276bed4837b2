package web

import (
	"time"

	"fyr/internal/auth"
	"fyr/internal/directory"
)

// visibleReach is who answers for a unit as far as p may see it
// (directory.ContactAccess): nothing, names only, or everything.
func (s *Server) visibleReach(p auth.Principal, lang Lang, unit string, now time.Time) []contactView {
	cs, err := s.svc.Directory.Reach(p, unit, now)
	if err != nil {
		return nil // NoContacts: the page says so instead
	}
	return contactViews(lang, cs)
}

// visiblePerson hides a person's phone and e-mail from a caller who may not
// see the contacts of the person's unit.
func (s *Server) visiblePerson(p auth.Principal, person directory.Person) directory.Person {
	if s.svc.Directory.ContactAccess(p, person.Unit) != directory.ContactFull {
		person.Mobile, person.Email = "", ""
	}
	return person
}
