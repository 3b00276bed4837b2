package continuity

import (
	"strings"

	"fyr/internal/event"
	"fyr/internal/fail"
)

// Units is what the registry needs of the directory: whether a unit
// exists, its name and its hospital (for grouping). app satisfies it.
type Units interface {
	Unit(id string) (UnitInfo, bool)
}

// UnitInfo is a unit as the registry sees it.
type UnitInfo struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// Hospital is the unit's ancestor of type hospital (itself if it is
	// one); "" when it has none.
	Hospital     string `json:"hospital,omitempty"`
	HospitalName string `json:"hospital_name,omitempty"`
}

// WriteModel is what the registry's commands are checked against.
type WriteModel struct {
	Registry *Registry
	Units    Units
	Journal  Journal // for statuses recorded in an incident
	// Routines in an incident (routines_incident.go).
	Board          *Board
	Dispatches     Dispatches
	RoutineJournal RoutineJournal
}

// SaveComponent adds a component or replaces the one with its id.
type SaveComponent struct{ Component Component }

// Decide checks the component.
func (c SaveComponent) Decide(m WriteModel, by event.Actor) (Component, []event.Draft, error) {
	comp, err := c.Component.normal()
	if err != nil {
		return comp, nil, err
	}
	if _, ok := m.Units.Unit(comp.ID); ok {
		return comp, nil, fail.Field("id", "%q is a unit of the directory; a component needs an id of its own", comp.ID)
	}
	return comp, []event.Draft{{Type: TypeComponentSaved, Subject: comp.ID, Actor: by.Username,
		Payload: ComponentSaved{Component: comp}}}, nil
}

// AddDependency adds a dependency, or replaces the group and mode of the
// one with the same from, to and type.
type AddDependency struct{ Dependency Dependency }

// Decide checks the dependency against the registry and the directory.
func (c AddDependency) Decide(m WriteModel, by event.Actor) (Dependency, []event.Draft, error) {
	d, err := checkDependency(c.Dependency, m.Registry.isComponent, m.Units)
	if err != nil {
		return d, nil, err
	}
	if err := checkModes(m.Registry, []Dependency{d}, nil); err != nil {
		return d, nil, err
	}
	return d, []event.Draft{{Type: TypeDependencyAdded, Subject: d.From, Actor: by.Username,
		Payload: DependencyAdded{Dependency: d}}}, nil
}

// SaveRoutine adds a routine or replaces the one with its id.
type SaveRoutine struct{ Routine Routine }

// Decide checks the routine: steps, and known components only.
func (c SaveRoutine) Decide(m WriteModel, by event.Actor) (Routine, []event.Draft, error) {
	rt := c.Routine
	rt.ID, rt.Title = strings.TrimSpace(rt.ID), strings.TrimSpace(rt.Title)
	if err := CheckID("id", rt.ID); err != nil {
		return rt, nil, err
	}
	if err := fail.First(fail.Text("title", rt.Title, MaxName, true), fail.Text("owner", rt.Owner, MaxName, false),
		fail.Text("paper_copy", rt.PaperCopy, MaxName, false)); err != nil {
		return rt, nil, err
	}
	var steps []string
	for _, s := range rt.Steps {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		if err := fail.Text("steps", s, MaxStep, true); err != nil {
			return rt, nil, err
		}
		steps = append(steps, s)
	}
	if len(steps) == 0 {
		return rt, nil, fail.Field("steps", "a routine needs at least one step")
	}
	if len(steps) > MaxSteps {
		return rt, nil, fail.Field("steps", "%d steps; at most %d are allowed", len(steps), MaxSteps)
	}
	rt.Steps = steps
	var err error
	if rt.For, err = knownComponents(m.Registry, "for", rt.For); err != nil {
		return rt, nil, err
	}
	if len(rt.For) == 0 {
		return rt, nil, fail.Field("for", "name at least one component the routine stands in for")
	}
	if rt.Needs, err = knownComponents(m.Registry, "needs", rt.Needs); err != nil {
		return rt, nil, err
	}
	return rt, []event.Draft{{Type: TypeRoutineSaved, Subject: rt.ID, Actor: by.Username,
		Payload: RoutineSaved{Routine: rt}}}, nil
}

// knownComponents trims and deduplicates ids, refusing an unknown one.
func knownComponents(r *Registry, field string, ids []string) ([]string, error) {
	if len(ids) > MaxRefs {
		return nil, fail.Field(field, "%d components; at most %d are allowed", len(ids), MaxRefs)
	}
	out := []string{}
	seen := map[string]bool{}
	for _, id := range ids {
		id = strings.TrimSpace(id)
		if seen[id] {
			continue
		}
		if _, ok := r.Component(id); !ok {
			return nil, fail.Field(field, "unknown component %q", id)
		}
		seen[id] = true
		out = append(out, id)
	}
	return out, nil
}

// checkDependency normalises a dependency and checks its references.
func checkDependency(d Dependency, isComp func(string) bool, units Units) (Dependency, error) {
	d.From, d.To, d.Group = strings.TrimSpace(d.From), strings.TrimSpace(d.To), strings.TrimSpace(d.Group)
	d.Type = DepType(strings.ToLower(strings.TrimSpace(string(d.Type))))
	d.Mode = Mode(strings.ToLower(strings.TrimSpace(string(d.Mode))))
	if d.Mode == "" {
		d.Mode = All
	}
	if d.From == "" {
		return d, fail.Field("from", "is required")
	}
	if d.To == "" {
		return d, fail.Field("to", "is required")
	}
	if !contains(DepTypes, d.Type) {
		return d, fail.Field("type", "%q is not a dependency type: runs_on, hosted_by, needs, supplied_by or used_by", string(d.Type))
	}
	if d.Mode != All && d.Mode != Any {
		return d, fail.Field("mode", "%q is not a mode: all or any", string(d.Mode))
	}
	if err := fail.Text("group", d.Group, 64, false); err != nil {
		return d, err
	}
	if d.From == d.To {
		return d, fail.Field("to", "%q cannot depend on itself", d.To)
	}
	fromComp, toComp := isComp(d.From), isComp(d.To)
	_, fromUnit := units.Unit(d.From)
	_, toUnit := units.Unit(d.To)
	switch {
	case !fromComp && !fromUnit:
		return d, fail.Field("from", "unknown component or unit %q", d.From)
	case !toComp && !toUnit:
		return d, fail.Field("to", "unknown component %q", d.To)
	case fromUnit && toUnit:
		return d, fail.Field("to", "%q is a unit; a unit depends on components, not on other units", d.To)
	case toUnit && d.Type != UsedBy:
		return d, fail.Field("to", "%q is a unit; only used_by names a unit as to (the unit uses from)", d.To)
	}
	return d, nil
}

// edge returns who depends on whom: dependent depends on on.
func (d Dependency) edge(isComponent func(string) bool) (dependent, on string) {
	if d.Type != UsedBy {
		return d.From, d.To
	}
	if !isComponent(d.From) { // "U used_by X": the unit U uses X
		return d.From, d.To
	}
	return d.To, d.From // "X used_by Y": Y uses X
}

// checkModes checks that every named group has one mode, over the
// registry's dependencies with adds in place (a dependency with the key of
// an existing one replaces it). lines, when given, are the adds' lines in
// an import; the problems are then reported per line.
func checkModes(r *Registry, adds []Dependency, lines []int) error {
	return checkModesWith(r.Dependencies(), adds, lines, r.isComponent, nil)
}

// checkModesWith is checkModes over plain values; add, when not nil,
// collects the problems instead of returning the first.
func checkModesWith(existing, adds []Dependency, lines []int, isComp func(string) bool, add func(line int, err error)) error {
	replaced := map[string]bool{}
	for _, d := range adds {
		replaced[d.key()] = true
	}
	modes := map[string]Mode{}
	for _, d := range existing {
		if d.Group == "" || replaced[d.key()] {
			continue
		}
		who, _ := d.edge(isComp)
		modes[who+"\x00"+d.Group] = d.Mode
	}
	for i, d := range adds {
		if d.Group == "" {
			continue
		}
		who, _ := d.edge(isComp)
		k := who + "\x00" + d.Group
		if m, ok := modes[k]; ok && m != d.Mode {
			err := fail.Field("mode", "group %q of %q needs %s of its members, this row says %s; every dependency of a group has the same mode", d.Group, who, string(m), string(d.Mode))
			if add == nil {
				return err
			}
			add(lines[i], err)
			continue
		}
		modes[k] = d.Mode
	}
	return nil
}

// problemOf turns a refusal into an import problem that keeps its
// constant format (for the translation) and its field.
func problemOf(err error) fail.Problem {
	e := fail.As(err)
	return fail.Problem{Field: e.Field, Message: e.Message, Format: e.Format, Args: e.Args}
}
