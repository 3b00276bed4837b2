package continuity

import (
	"cmp"
	"slices"
	"time"

	"fyr/internal/auth"
	"fyr/internal/incident"
)

// Queries for the registry's pages: what a page shows beyond the API's
// lists, each with the role check of the list it is made of.

// MayManage is nil when p may keep the registry (add and edit components,
// dependencies and routines, import): the pages ask before they offer a
// form that could only fail.
func (s *Service) MayManage(p auth.Principal) error { return p.Require(auth.ManageRegistry) }

// MayRecord is nil when p may record a component's status in an incident.
func (s *Service) MayRecord(p auth.Principal) error { return p.Require(auth.WriteIncidents) }

// Component returns one component of the registry.
func (s *Service) Component(p auth.Principal, id string) (Component, bool, error) {
	if err := p.Require(auth.ReadIncidents); err != nil {
		return Component{}, false, err
	}
	c, ok := s.reg.Component(id)
	return c, ok, nil
}

// Link is one dependency seen from one side: the other end, named, and
// how the dependent depends on it.
type Link struct {
	ID    string  `json:"id"`
	Name  string  `json:"name"`
	Unit  bool    `json:"unit,omitempty"` // the other end is a unit of the directory
	Type  DepType `json:"type"`
	Group string  `json:"group,omitempty"`
	Mode  Mode    `json:"mode,omitempty"`
}

// Links returns what the component id depends on and what depends on it
// (components and units), in the order the dependencies were added.
func (s *Service) Links(p auth.Principal, id string) (on, by []Link, err error) {
	if err := p.Require(auth.ReadIncidents); err != nil {
		return nil, nil, err
	}
	for _, d := range s.reg.Dependencies() {
		dep, to := d.edge(s.reg.isComponent)
		switch id {
		case dep:
			on = append(on, s.link(to, d))
		case to:
			by = append(by, s.link(dep, d))
		}
	}
	return on, by, nil
}

func (s *Service) link(id string, d Dependency) Link {
	l := Link{ID: id, Type: d.Type, Group: d.Group, Mode: d.Mode}
	if c, ok := s.reg.Component(id); ok {
		l.Name = c.Name
	} else if u, ok := s.units.Unit(id); ok {
		l.Name, l.Unit = u.Name, true
	} else {
		l.Name = id
	}
	if l.Mode == "" {
		l.Mode = All
	}
	return l
}

// Step is one item of an explaining path in words: its name, and how the
// item before it depends on it (empty for the first).
type Step struct {
	ID   string  `json:"id"`
	Name string  `json:"name"`
	Via  DepType `json:"via,omitempty"`
}

// Steps names a path of ids (an item first, the down component last) with
// the type of dependency between each item and the next.
func (s *Service) Steps(path []string) []Step {
	types := map[[2]string]DepType{}
	for _, d := range s.reg.Dependencies() {
		dep, to := d.edge(s.reg.isComponent)
		if _, ok := types[[2]string{dep, to}]; !ok {
			types[[2]string{dep, to}] = d.Type
		}
	}
	g := s.reg.Graph()
	out := make([]Step, 0, len(path))
	for i, id := range path {
		st := Step{ID: id, Name: g.Name(id)}
		if st.Name == "" {
			if u, ok := s.units.Unit(id); ok {
				st.Name = u.Name
			} else if rt, ok := s.reg.Routine(id); ok {
				st.Name = rt.Title
			} else {
				st.Name = id
			}
		}
		if i > 0 {
			// A routine's first hop is what it needs; any hop not found
			// (the registry changed meanwhile) reads as "needs" too.
			if st.Via = types[[2]string{path[i-1], id}]; st.Via == "" {
				st.Via = Needs
			}
		}
		out = append(out, st)
	}
	return out
}

// CurrentStatus is a component's status recorded in an open incident.
type CurrentStatus struct {
	Incident   incident.ID `json:"incident"`
	Title      string      `json:"title"`
	Status     Status      `json:"status"`
	OccurredAt time.Time   `json:"occurred_at"`
}

// OpenStatuses returns, per component, its statuses in the open incidents
// (not up), worst first.
func (s *Service) OpenStatuses(p auth.Principal) (map[string][]CurrentStatus, error) {
	if err := p.Require(auth.ReadIncidents); err != nil {
		return nil, err
	}
	s.reg.mu.RLock()
	ids := make([]incident.ID, 0, len(s.reg.statuses))
	for id := range s.reg.statuses {
		ids = append(ids, id)
	}
	s.reg.mu.RUnlock()
	slices.Sort(ids)
	out := map[string][]CurrentStatus{}
	for _, id := range ids {
		inc, err := s.incidents.Get(id, incident.AsOf{})
		if err != nil || inc.Closed {
			continue
		}
		for _, c := range s.StatusLog(id, incident.AsOf{}, true) {
			if c.Status != Up {
				out[c.Component] = append(out[c.Component], CurrentStatus{Incident: id, Title: inc.Title, Status: c.Status, OccurredAt: c.OccurredAt})
			}
		}
	}
	for _, ss := range out {
		slices.SortStableFunc(ss, func(a, b CurrentStatus) int { return cmp.Compare(rank(b.Status), rank(a.Status)) })
	}
	return out, nil
}

// IncidentStatuses returns the statuses recorded in an incident as they
// stood at asOf: the latest per component (latest true) or every record,
// newest first; with the incident.
func (s *Service) IncidentStatuses(p auth.Principal, inc incident.ID, asOf incident.AsOf, latest bool) (incident.Incident, []StatusChange, error) {
	if err := p.Require(auth.ReadIncidents); err != nil {
		return incident.Incident{}, nil, err
	}
	in, err := s.incidents.Get(inc, incident.AsOf{})
	if err != nil {
		return incident.Incident{}, nil, err
	}
	return in, s.StatusLog(inc, asOf, latest), nil
}

// StatusLog is the statuses of an incident at asOf (see IncidentStatuses);
// no role check: for callers that made theirs.
func (s *Service) StatusLog(inc incident.ID, asOf incident.AsOf, latest bool) []StatusChange {
	s.reg.mu.RLock()
	var recs []statusRec
	for _, r := range s.reg.statuses[inc] {
		if !asOf.At.IsZero() && r.occurred.After(asOf.At) || !asOf.KnownAt.IsZero() && r.recorded.After(asOf.KnownAt) {
			continue
		}
		recs = append(recs, r)
	}
	s.reg.mu.RUnlock()
	if latest {
		last := map[string]int{}
		for i, r := range recs {
			if j, ok := last[r.Component]; !ok || !r.occurred.Before(recs[j].occurred) {
				last[r.Component] = i
			}
		}
		keep := recs[:0:0]
		for i, r := range recs {
			if last[r.Component] == i {
				keep = append(keep, r)
			}
		}
		recs = keep
	}
	out := make([]StatusChange, 0, len(recs))
	for _, r := range recs {
		out = append(out, StatusChange{StatusRecorded: r.StatusRecorded, OccurredAt: r.occurred, RecordedAt: r.recorded})
	}
	slices.SortStableFunc(out, func(a, b StatusChange) int { return b.OccurredAt.Compare(a.OccurredAt) })
	return out
}

// RoutinesOf returns the routines that stand in for the component id and
// those that need it.
func (s *Service) RoutinesOf(p auth.Principal, id string) (forIt, needIt []Routine, err error) {
	if err := p.Require(auth.ReadIncidents); err != nil {
		return nil, nil, err
	}
	for _, rt := range s.reg.Routines() {
		if slices.Contains(rt.For, id) {
			forIt = append(forIt, rt)
		}
		if slices.Contains(rt.Needs, id) {
			needIt = append(needIt, rt)
		}
	}
	return forIt, needIt, nil
}

// Edge is a dependency read in the direction of the outage: Dependent
// depends on On.
type Edge struct {
	Dependent, On string
	Type          DepType
}

// Edges returns every dependency as an Edge.
func (s *Service) Edges(p auth.Principal) ([]Edge, error) {
	if err := p.Require(auth.ReadIncidents); err != nil {
		return nil, err
	}
	ds := s.reg.Dependencies()
	out := make([]Edge, 0, len(ds))
	for _, d := range ds {
		dep, on := d.edge(s.reg.isComponent)
		out = append(out, Edge{dep, on, d.Type})
	}
	return out, nil
}
