package web

import (
	"net/http"

	"fyr/internal/auth"
	"fyr/internal/directory"
)

// unitNode is one unit of the directory page's tree, with its people.
type unitNode struct {
	Lang     Lang
	Unit     directory.Unit
	People   []directory.Person
	Children []*unitNode
}

type directoryPage struct {
	Base
	Roots    []*unitNode
	Unplaced []directory.Person
}

// directoryPage shows the organisation tree with who to reach in each unit:
// the contact list the staff needs when the region's own systems are down.
func (s *Server) directoryPage(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	units, people, err := s.svc.Directory(p)
	if err != nil {
		return err
	}
	lang := langOf(r)
	nodes := map[string]*unitNode{}
	for _, u := range units {
		nodes[u.ID] = &unitNode{Lang: lang, Unit: u}
	}
	pg := directoryPage{Base: s.base(r, &p, T(lang, "directory.title"))}
	for _, u := range units {
		if parent := nodes[u.Parent]; parent != nil {
			parent.Children = append(parent.Children, nodes[u.ID])
		} else {
			pg.Roots = append(pg.Roots, nodes[u.ID])
		}
	}
	for _, person := range people {
		if n := nodes[person.Unit]; n != nil {
			n.People = append(n.People, person)
		} else {
			pg.Unplaced = append(pg.Unplaced, person)
		}
	}
	s.render(w, r, "directory", pg)
	return nil
}
