package continuity

import (
	"slices"
	"sync"
	"time"

	"fyr/internal/dispatch"
	"fyr/internal/event"
	"fyr/internal/incident"
)

// Board is the model of routines in incidents: the activations and the
// units' reports, in log order, with their two times (for at= and
// known_at=). It serves as the write and the read model alike; its readers
// are HTTP handlers on other goroutines, so every method takes the lock.
type Board struct {
	mu          sync.RWMutex
	activations map[incident.ID][]activationRec
	reports     map[incident.ID][]reportRec
}

type activationRec struct {
	RoutineActivated
	occurred, recorded time.Time
}

type reportRec struct {
	RoutineReported
	occurred, recorded time.Time
}

// NewBoard returns an empty board.
func NewBoard() *Board {
	return &Board{activations: map[incident.ID][]activationRec{}, reports: map[incident.ID][]reportRec{}}
}

// Apply folds the routines' events; every other event is ignored.
func (b *Board) Apply(e event.Envelope) error {
	switch e.Type {
	case TypeRoutineActivated:
		var p RoutineActivated
		if err := e.Unmarshal(&p); err != nil {
			return err
		}
		b.mu.Lock()
		b.activations[p.Incident] = append(b.activations[p.Incident], activationRec{p, e.OccurredAt, e.RecordedAt})
		b.mu.Unlock()
	case TypeRoutineReported:
		var p RoutineReported
		if err := e.Unmarshal(&p); err != nil {
			return err
		}
		b.mu.Lock()
		b.reports[p.Incident] = append(b.reports[p.Incident], reportRec{p, e.OccurredAt, e.RecordedAt})
		b.mu.Unlock()
	}
	return nil
}

// activationFor returns the newest activation of routine in inc that went
// to unit, and the unit's last reported state of the routine ("" for none).
func (b *Board) activationFor(inc incident.ID, routine, unit string) (RoutineActivated, RoutineState, bool) {
	b.mu.RLock()
	defer b.mu.RUnlock()
	acts := b.activations[inc]
	for i := len(acts) - 1; i >= 0; i-- {
		a := acts[i]
		if a.Routine != routine || !slices.Contains(a.Units, unit) {
			continue
		}
		var prev RoutineState
		for _, r := range b.reports[inc] {
			if r.Routine == routine && r.Unit == unit {
				prev = r.State
			}
		}
		return a.RoutineActivated, prev, true
	}
	return RoutineActivated{}, "", false
}

// activated reports whether routine was activated in inc at all.
func (b *Board) activated(inc incident.ID, routine string) bool {
	b.mu.RLock()
	defer b.mu.RUnlock()
	for _, a := range b.activations[inc] {
		if a.Routine == routine {
			return true
		}
	}
	return false
}

// Incidents returns the incidents with an activation that went to unit.
func (b *Board) incidentsOf(unit string) []incident.ID {
	b.mu.RLock()
	defer b.mu.RUnlock()
	var out []incident.ID
	for inc, acts := range b.activations {
		for _, a := range acts {
			if slices.Contains(a.Units, unit) {
				out = append(out, inc)
				break
			}
		}
	}
	slices.Sort(out)
	return out
}

// RoutineBoard is the state of the routines activated in an incident, as it
// stood at a point in time: per routine, per unit.
type RoutineBoard struct {
	Incident      incident.ID    `json:"incident"`
	IncidentTitle string         `json:"incident_title"`
	Closed        bool           `json:"closed"` // the incident is closed now: nothing more can be activated or reported
	Routines      []BoardRoutine `json:"routines"`
}

// BoardRoutine is one activated routine and its units.
type BoardRoutine struct {
	Routine     string           `json:"routine"`
	Title       string           `json:"title"`
	Steps       []string         `json:"steps"`
	PaperCopy   string           `json:"paper_copy,omitempty"`
	Activations []ActivationInfo `json:"activations"`
	Units       []BoardUnit      `json:"units"`
	// Counts per state; "" counts the units that have not reported.
	Started    int `json:"started"`
	Working    int `json:"working"`
	NotWorking int `json:"not_working"`
	Unreported int `json:"unreported"`
}

// ActivationInfo is one activation of a routine.
type ActivationInfo struct {
	Activation  ActivationID `json:"activation"`
	Dispatch    dispatch.ID  `json:"dispatch"`
	Units       int          `json:"units"`
	Note        string       `json:"note,omitempty"`
	By          string       `json:"by"`
	ActivatedAt time.Time    `json:"activated_at"`
}

// BoardUnit is a unit's last report of a routine; State "" when it has
// not reported.
type BoardUnit struct {
	Unit       string       `json:"unit"`
	Name       string       `json:"name"`
	State      RoutineState `json:"state,omitempty"`
	Note       string       `json:"note,omitempty"`
	By         string       `json:"by,omitempty"`
	OnBehalf   bool         `json:"on_behalf,omitempty"`
	ReportedAt *time.Time   `json:"reported_at,omitempty"`
}

// board returns the routines of inc as they stood at asOf (at: what had
// happened by then; known_at: what the staff knew then). Units not
// working come first, then those not reported, then the rest, each by name.
func (b *Board) board(inc incident.ID, asOf incident.AsOf, name func(string) string) RoutineBoard {
	keep := func(occurred, recorded time.Time) bool {
		return (asOf.At.IsZero() || !occurred.After(asOf.At)) && (asOf.KnownAt.IsZero() || !recorded.After(asOf.KnownAt))
	}
	b.mu.RLock()
	defer b.mu.RUnlock()
	out := RoutineBoard{Incident: inc, Routines: []BoardRoutine{}}
	index := map[string]int{}
	units := map[string]map[string]*BoardUnit{}
	for _, a := range b.activations[inc] {
		if !keep(a.occurred, a.recorded) {
			continue
		}
		i, ok := index[a.Routine]
		if !ok {
			i = len(out.Routines)
			index[a.Routine] = i
			out.Routines = append(out.Routines, BoardRoutine{Routine: a.Routine})
			units[a.Routine] = map[string]*BoardUnit{}
		}
		r := &out.Routines[i]
		r.Title, r.Steps = a.Title, a.Steps // the newest activation's words
		r.Activations = append(r.Activations, ActivationInfo{Activation: a.Activation, Dispatch: a.Dispatch, Units: len(a.Units),
			Note: a.Note, By: a.By, ActivatedAt: a.occurred})
		for _, u := range a.Units {
			if units[a.Routine][u] == nil {
				units[a.Routine][u] = &BoardUnit{Unit: u, Name: name(u)}
			}
		}
	}
	for _, rep := range b.reports[inc] {
		if !keep(rep.occurred, rep.recorded) {
			continue
		}
		u := units[rep.Routine][rep.Unit]
		if u == nil {
			continue // reported on an activation not yet known at asOf
		}
		at := rep.occurred
		u.State, u.Note, u.By, u.OnBehalf, u.ReportedAt = rep.State, rep.Note, rep.By, rep.OnBehalf, &at
	}
	rank := map[RoutineState]int{NotWorking: 0, "": 1, Started: 2, Working: 3}
	for i := range out.Routines {
		r := &out.Routines[i]
		for _, u := range units[r.Routine] {
			r.Units = append(r.Units, *u)
			switch u.State {
			case Started:
				r.Started++
			case Working:
				r.Working++
			case NotWorking:
				r.NotWorking++
			default:
				r.Unreported++
			}
		}
		slices.SortFunc(r.Units, func(a, b BoardUnit) int {
			if d := rank[a.State] - rank[b.State]; d != 0 {
				return d
			}
			if a.Name != b.Name {
				if a.Name < b.Name {
					return -1
				}
				return 1
			}
			return 0
		})
	}
	return out
}
