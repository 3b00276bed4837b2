package continuity

import (
	"cmp"
	"slices"
)

// Report is an impact with the names a reader needs: every item's name and
// the names along its path; units with their hospital, and the count of
// affected units per hospital.
type Report struct {
	Components []ComponentImpact `json:"components"`
	Units      []UnitImpact      `json:"units"`
	Hospitals  []HospitalCount   `json:"hospitals"`
	Routines   []RoutineImpact   `json:"routines"`
}

// ComponentImpact is an affected component.
type ComponentImpact struct {
	Affected
	Name      string   `json:"name"`
	Kind      Kind     `json:"kind"`
	PathNames []string `json:"path_names"`
}

// UnitImpact is an affected unit.
type UnitImpact struct {
	Affected
	Name         string   `json:"name"`
	Hospital     string   `json:"hospital,omitempty"`
	HospitalName string   `json:"hospital_name,omitempty"`
	PathNames    []string `json:"path_names"`
}

// HospitalCount counts a hospital's affected units ("" : units under no
// hospital).
type HospitalCount struct {
	Hospital string `json:"hospital"`
	Name     string `json:"name"`
	Down     int    `json:"down"`
	Degraded int    `json:"degraded"`
}

// RoutineImpact is the check of a needed routine.
type RoutineImpact struct {
	RoutineCheck
	Title     string   `json:"title"`
	PathNames []string `json:"path_names,omitempty"`
}

// report names the items of an impact; units are grouped per hospital.
func (s *Service) report(g *Graph, imp Impact) Report {
	name := func(id string) string {
		if n := g.Name(id); n != "" {
			return n
		}
		if u, ok := s.units.Unit(id); ok {
			return u.Name
		}
		if rt, ok := s.reg.Routine(id); ok {
			return rt.Title
		}
		return id
	}
	// The names along every path, cut from one backing array (thousands
	// of items, one allocation).
	total := 0
	for _, a := range imp.Components {
		total += len(a.Path)
	}
	for _, a := range imp.Units {
		total += len(a.Path)
	}
	backing := make([]string, 0, total)
	names := func(path []string) []string {
		start := len(backing)
		for _, id := range path {
			backing = append(backing, name(id))
		}
		return backing[start:len(backing):len(backing)]
	}
	r := Report{Components: make([]ComponentImpact, 0, len(imp.Components)), Units: []UnitImpact{}, Hospitals: []HospitalCount{}, Routines: []RoutineImpact{}}
	for _, a := range imp.Components {
		r.Components = append(r.Components, ComponentImpact{Affected: a, Name: g.Name(a.ID), Kind: g.Kind(a.ID), PathNames: names(a.Path)})
	}
	counts := map[string]*HospitalCount{}
	for _, a := range imp.Units {
		u, _ := s.units.Unit(a.ID)
		r.Units = append(r.Units, UnitImpact{Affected: a, Name: u.Name, Hospital: u.Hospital, HospitalName: u.HospitalName, PathNames: names(a.Path)})
		h := counts[u.Hospital]
		if h == nil {
			h = &HospitalCount{Hospital: u.Hospital, Name: u.HospitalName}
			counts[u.Hospital] = h
		}
		if a.Status == Down {
			h.Down++
		} else {
			h.Degraded++
		}
	}
	// Grouped per hospital, worst first within each (a stable sort keeps
	// the impact's order).
	slices.SortStableFunc(r.Units, func(a, b UnitImpact) int { return cmp.Compare(a.HospitalName, b.HospitalName) })
	for _, h := range counts {
		r.Hospitals = append(r.Hospitals, *h)
	}
	slices.SortFunc(r.Hospitals, func(a, b HospitalCount) int { return cmp.Compare(a.Name, b.Name) })
	for _, c := range imp.Routines {
		rt, _ := s.reg.Routine(c.ID)
		ri := RoutineImpact{RoutineCheck: c, Title: rt.Title}
		if len(c.Path) > 0 {
			ri.PathNames = append([]string{rt.Title}, names(c.Path[1:])...) // a routine's id may also be a component's
		}
		r.Routines = append(r.Routines, ri)
	}
	return r
}
