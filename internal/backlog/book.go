package backlog

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"fyr/internal/event"
	"fyr/internal/incident"
)

// Book is the backlog model, the write and the read model alike. Its
// readers are HTTP handlers on other goroutines: every method takes the
// lock.
type Book struct {
	mu    sync.RWMutex
	byInc map[incident.ID][]entry
	// lines holds each line's changes too, so that the check of a
	// work-off (inside the one appender) reads only its own line.
	lines  map[lineKey][]entry
	tokens map[tokenKey]bool
}

type lineKey struct {
	incident incident.ID
	key
}

// entry is one change as the book keeps it: Delta > 0 added, < 0 worked off.
type entry struct {
	key      key
	delta    int
	occurred time.Time
	recorded time.Time
}

// key is one line of the backlog: a unit's work in a system of a kind.
type key struct {
	unit, system string
	kind         Kind
}

type tokenKey struct {
	actor    string
	incident incident.ID
	token    string
}

// NewBook returns an empty book.
func NewBook() *Book {
	return &Book{byInc: map[incident.ID][]entry{}, lines: map[lineKey][]entry{}, tokens: map[tokenKey]bool{}}
}

// Apply folds one event; events of other capabilities are ignored.
func (b *Book) Apply(e event.Envelope) error {
	if !strings.HasPrefix(e.Type, prefix) {
		return nil
	}
	sign := 1
	switch e.Type {
	case TypeAdded:
	case TypeWorkedOff:
		sign = -1
	default:
		return nil
	}
	var c Change
	if err := e.Unmarshal(&c); err != nil {
		return fmt.Errorf("backlog: %s %s: %w", e.Type, e.ID, err)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	en := entry{key: key{c.Unit, c.System, c.Kind}, delta: sign * c.Count, occurred: e.OccurredAt, recorded: e.RecordedAt}
	b.byInc[c.Incident] = append(b.byInc[c.Incident], en)
	lk := lineKey{c.Incident, en.key}
	b.lines[lk] = append(b.lines[lk], en)
	if c.Token != "" {
		b.tokens[tokenKey{e.Actor, c.Incident, c.Token}] = true
	}
	return nil
}

// seen reports whether actor already sent the form with token.
func (b *Book) seen(actor string, id incident.ID, token string) bool {
	if token == "" {
		return false
	}
	b.mu.RLock()
	defer b.mu.RUnlock()
	return b.tokens[tokenKey{actor, id, token}]
}

// leftFrom is the least that is left of k at any time from t on, as known
// now: what a work-off at t may take without the backlog ever going below
// zero (a late-recorded work-off must fit every later moment too).
func (b *Book) leftFrom(id incident.ID, k key, t time.Time) int {
	b.mu.RLock()
	es := slices.Clone(b.lines[lineKey{id, k}])
	b.mu.RUnlock()
	slices.SortStableFunc(es, func(a, c entry) int { return a.occurred.Compare(c.occurred) })
	left, i := 0, 0
	for ; i < len(es) && !es[i].occurred.After(t); i++ {
		left += es[i].delta
	}
	least := left
	for ; i < len(es); i++ {
		left += es[i].delta
		if i+1 == len(es) || !es[i+1].occurred.Equal(es[i].occurred) { // the moment is over
			least = min(least, left)
		}
	}
	return least
}

// Left is what is left of an incident's backlog now: the stand-down asks
// for confirmation while it is more than zero.
func (b *Book) Left(id incident.ID) int {
	b.mu.RLock()
	defer b.mu.RUnlock()
	n := 0
	for _, e := range b.byInc[id] {
		n += e.delta
	}
	return n
}

// Totals returns an incident's backlog as it stood at asOf (unit "" for
// every unit), named with names.
func (b *Book) Totals(id incident.ID, unit string, asOf incident.AsOf, unitName, systemName func(string) string) Totals {
	b.mu.RLock()
	var es []entry
	for _, e := range b.byInc[id] {
		if (unit == "" || e.key.unit == unit) && keeps(asOf, e.occurred, e.recorded) {
			es = append(es, e)
		}
	}
	b.mu.RUnlock()

	t := Totals{Incident: id, Unit: unit, Total: Line{ID: string(id)}, Units: []Line{}, Systems: []Line{}, Kinds: []Line{},
		Rows: []Row{}, Series: []Series{}}
	rows := map[key]*Row{}
	units, systems, kinds := map[string]*Line{}, map[string]*Line{}, map[string]*Line{}
	add := func(lines map[string]*Line, id, name string, e entry) {
		l := lines[id]
		if l == nil {
			l = &Line{ID: id, Name: name}
			lines[id] = l
		}
		count(&l.Added, &l.Done, &l.Left, e.delta)
	}
	for _, e := range es {
		r := rows[e.key]
		if r == nil {
			r = &Row{Unit: e.key.unit, UnitName: unitName(e.key.unit), System: e.key.system, SystemName: systemName(e.key.system), Kind: e.key.kind}
			rows[e.key] = r
		}
		count(&r.Added, &r.Done, &r.Left, e.delta)
		add(units, e.key.unit, r.UnitName, e)
		add(systems, e.key.system, r.SystemName, e)
		add(kinds, string(e.key.kind), string(e.key.kind), e)
		count(&t.Total.Added, &t.Total.Done, &t.Total.Left, e.delta)
	}
	for _, r := range rows {
		t.Rows = append(t.Rows, *r)
	}
	slices.SortFunc(t.Rows, func(a, c Row) int {
		return cmp.Or(cmp.Compare(a.UnitName, c.UnitName), cmp.Compare(a.Unit, c.Unit), cmp.Compare(a.SystemName, c.SystemName),
			cmp.Compare(kindIndex(a.Kind), kindIndex(c.Kind)))
	})
	t.Units, t.Systems = sortedLines(units), sortedLines(systems)
	for _, k := range Kinds { // the kinds in their own order
		if l := kinds[string(k)]; l != nil {
			t.Kinds = append(t.Kinds, *l)
		}
	}
	t.Series = series(es, t.Systems)
	return t
}

func count(added, done, left *int, delta int) {
	if delta > 0 {
		*added += delta
	} else {
		*done -= delta
	}
	*left += delta
}

func kindIndex(k Kind) int { return slices.Index(Kinds, k) }

// sortedLines are the lines by name.
func sortedLines(m map[string]*Line) []Line {
	out := make([]Line, 0, len(m))
	for _, l := range m {
		out = append(out, *l)
	}
	slices.SortFunc(out, func(a, c Line) int { return cmp.Or(cmp.Compare(a.Name, c.Name), cmp.Compare(a.ID, c.ID)) })
	return out
}

// series is what was left of each system after each moment a change
// happened, in the order of systems: one pass over the changes by time.
func series(es []entry, systems []Line) []Series {
	es = slices.Clone(es)
	slices.SortStableFunc(es, func(a, c entry) int { return a.occurred.Compare(c.occurred) })
	out := make([]Series, len(systems))
	index := make(map[string]int, len(systems))
	for i, sys := range systems {
		out[i] = Series{System: sys.ID, Name: sys.Name, Points: []Point{}}
		index[sys.ID] = i
	}
	left := make([]int, len(systems))
	for _, e := range es {
		i := index[e.key.system]
		left[i] += e.delta
		pts := out[i].Points
		if n := len(pts); n > 0 && pts[n-1].At.Equal(e.occurred) { // the same moment: one point
			pts[n-1].Left = left[i]
			continue
		}
		out[i].Points = append(pts, Point{At: e.occurred.UTC(), Left: left[i]})
	}
	return out
}

// keeps is incident.AsOf's rule: at limits when it happened, known_at when
// it was recorded.
func keeps(a incident.AsOf, occurred, recorded time.Time) bool {
	return (a.At.IsZero() || !occurred.After(a.At)) && (a.KnownAt.IsZero() || !recorded.After(a.KnownAt))
}
