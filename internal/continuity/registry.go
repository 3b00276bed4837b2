package continuity

import (
	"strings"
	"sync"

	"fyr/internal/event"
	"fyr/internal/incident"
)

// Registry is the model of the continuity registry, the write and the read
// model alike. Its readers are HTTP handlers on other goroutines: every
// method takes the lock.
type Registry struct {
	mu         sync.RWMutex
	components map[string]Component
	order      []string // component ids in the order first saved
	deps       []Dependency
	depIndex   map[string]int // Dependency.key → index in deps
	routines   map[string]Routine
	rorder     []string
	version    uint64 // counts the changes: the compiled graph's key
	compiled   *Graph
	statuses   map[incident.ID][]statusRec // recorded in an incident, in log order
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry {
	return &Registry{components: map[string]Component{}, depIndex: map[string]int{}, routines: map[string]Routine{}, statuses: map[incident.ID][]statusRec{}}
}

// Apply folds one event; events of other capabilities are ignored.
func (r *Registry) Apply(e event.Envelope) error {
	if !strings.HasPrefix(e.Type, prefix) {
		return nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	switch e.Type {
	case TypeComponentSaved:
		var p ComponentSaved
		if err := e.Unmarshal(&p); err != nil {
			return err
		}
		r.saveComponent(p.Component)
	case TypeComponentsImported:
		var p ComponentsImported
		if err := e.Unmarshal(&p); err != nil {
			return err
		}
		for _, c := range p.Components {
			r.saveComponent(c)
		}
	case TypeDependencyAdded:
		var p DependencyAdded
		if err := e.Unmarshal(&p); err != nil {
			return err
		}
		r.addDependency(p.Dependency)
	case TypeDependenciesImported:
		var p DependenciesImported
		if err := e.Unmarshal(&p); err != nil {
			return err
		}
		for _, d := range p.Dependencies {
			r.addDependency(d)
		}
	case TypeStatusRecorded:
		var p StatusRecorded
		if err := e.Unmarshal(&p); err != nil {
			return err
		}
		r.statuses[p.Incident] = append(r.statuses[p.Incident], statusRec{p, e.OccurredAt, e.RecordedAt, e.Seq, e.Actor})
		return nil // the registry itself did not change
	case TypeRoutineSaved:
		var p RoutineSaved
		if err := e.Unmarshal(&p); err != nil {
			return err
		}
		if _, ok := r.routines[p.Routine.ID]; !ok {
			r.rorder = append(r.rorder, p.Routine.ID)
		}
		r.routines[p.Routine.ID] = p.Routine
	default:
		return nil
	}
	r.version++
	r.compiled = nil
	return nil
}

func (r *Registry) saveComponent(c Component) {
	if _, ok := r.components[c.ID]; !ok {
		r.order = append(r.order, c.ID)
	}
	r.components[c.ID] = c
}

func (r *Registry) addDependency(d Dependency) {
	if i, ok := r.depIndex[d.key()]; ok {
		r.deps[i] = d
		return
	}
	r.depIndex[d.key()] = len(r.deps)
	r.deps = append(r.deps, d)
}

// Component returns the component with id.
func (r *Registry) Component(id string) (Component, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	c, ok := r.components[id]
	return c, ok
}

func (r *Registry) isComponent(id string) bool { _, ok := r.Component(id); return ok }

// depKey returns the dependency with key.
func (r *Registry) depKey(key string) (Dependency, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	i, ok := r.depIndex[key]
	if !ok {
		return Dependency{}, false
	}
	return r.deps[i], true
}

// Components returns every component in the order first saved.
func (r *Registry) Components() []Component {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make([]Component, 0, len(r.order))
	for _, id := range r.order {
		out = append(out, r.components[id])
	}
	return out
}

// Dependencies returns every dependency in the order first added.
func (r *Registry) Dependencies() []Dependency {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return append([]Dependency(nil), r.deps...)
}

// Routine returns the routine with id.
func (r *Registry) Routine(id string) (Routine, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	rt, ok := r.routines[id]
	return cloneRoutine(rt), ok
}

// Routines returns every routine in the order first saved.
func (r *Registry) Routines() []Routine {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make([]Routine, 0, len(r.rorder))
	for _, id := range r.rorder {
		out = append(out, cloneRoutine(r.routines[id]))
	}
	return out
}

func cloneRoutine(rt Routine) Routine {
	rt.Steps = append([]string(nil), rt.Steps...)
	rt.For = append([]string(nil), rt.For...)
	rt.Needs = append([]string(nil), rt.Needs...)
	return rt
}

// Snapshot is the registry as plain values, for the pure impact
// computation and for tests.
type Snapshot struct {
	Components   []Component
	Dependencies []Dependency
	Routines     []Routine
}

// Graph returns the registry compiled for the impact computation, compiled
// once per version of the registry.
func (r *Registry) Graph() *Graph {
	r.mu.RLock()
	g := r.compiled
	r.mu.RUnlock()
	if g != nil {
		return g
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.compiled == nil {
		snap := Snapshot{Dependencies: r.deps}
		for _, id := range r.order {
			snap.Components = append(snap.Components, r.components[id])
		}
		for _, id := range r.rorder {
			snap.Routines = append(snap.Routines, r.routines[id])
		}
		r.compiled = Compile(snap)
	}
	return r.compiled
}
