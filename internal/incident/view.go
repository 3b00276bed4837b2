package incident

import (
	"cmp"
	"slices"
	"sync"
	"time"

	"fyr/internal/event"
	"fyr/internal/fail"
)

// Incident is an incident's header as the read model shows it.
type Incident struct {
	ID          ID           `json:"id"`
	Title       string       `json:"title"`
	Description string       `json:"description"`
	Exercise    bool         `json:"exercise"`
	OpenedAt    time.Time    `json:"opened_at"`
	OpenedBy    string       `json:"opened_by"`
	Closed      bool         `json:"closed"`
	ClosedAt    time.Time    `json:"closed_at,omitzero"`
	Levels      []LevelState `json:"levels"`
	Entries     int          `json:"entries"`
}

// Highest is the highest current level of the incident's scopes.
func (i Incident) Highest() Level {
	h := Normal
	for _, l := range i.Levels {
		if l.Level.Rank() > h.Rank() {
			h = l.Level
		}
	}
	return h
}

type levelChange struct {
	LevelState
	occurred, recorded time.Time
	seq                uint64
}

type incidentState struct {
	Incident
	openedRecorded time.Time
	closedRecorded time.Time
	entries        []*Entry // in serial (log) order
	timeline       []*Entry // by occurred_at, then serial: kept sorted as entries arrive
	byID           map[string]*Entry
	search         textIndex // lower-cased text of entries, for searches
	history        []levelChange
}

// View is the read model of every incident. It is safe for concurrent use:
// one goroutine applies events, any number read.
type View struct {
	mu        sync.RWMutex
	incidents map[ID]*incidentState
	order     []ID
}

// NewView returns an empty read model.
func NewView() *View { return &View{incidents: map[ID]*incidentState{}} }

// Apply folds one event into the read model; an incident event it cannot
// decode is an error.
func (v *View) Apply(e event.Envelope) error {
	p, err := Decode(e)
	if err != nil {
		return err
	}
	v.ApplyDecoded(e, p)
	return nil
}

// ApplyDecoded folds an event whose payload Decode has already decoded.
func (v *View) ApplyDecoded(e event.Envelope, payload any) {
	if payload == nil {
		return
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	switch p := payload.(type) {
	case *Opened:
		st := &incidentState{Incident: Incident{ID: p.Incident, Title: p.Title, Description: p.Description,
			Exercise: p.Exercise, OpenedAt: e.OccurredAt, OpenedBy: p.Author}, openedRecorded: e.RecordedAt,
			byID: map[string]*Entry{}}
		v.incidents[p.Incident] = st
		v.order = append(v.order, p.Incident)
		st.add(&Entry{Fields: Fields{ID: p.EntryID, Incident: p.Incident, Kind: InfoIn, Text: p.Description,
			Author: p.Author, Function: p.Function, Verified: true}, System: "opened"}, e)
	case *LevelChanged:
		st := v.incidents[p.Incident]
		if st == nil {
			return
		}
		ls := LevelState{Scope: p.Scope, Level: p.Level, Since: e.OccurredAt, DecidedBy: p.DecidedBy,
			Function: p.Function, Reason: p.Reason, EntryID: p.EntryID}
		st.history = append(st.history, levelChange{ls, e.OccurredAt, e.RecordedAt, e.Seq})
		st.Levels = foldLevels(st.history, func(levelChange) bool { return true })
		st.add(&Entry{Fields: Fields{ID: p.EntryID, Incident: p.Incident, Kind: LevelChange, Text: p.Reason,
			Author: p.Author, Function: p.Function, Channel: p.Channel, Verified: true},
			Level: &LevelInfo{Scope: p.Scope, From: p.Previous, To: p.Level, DecidedBy: p.DecidedBy}}, e)
	case *EntryRecorded:
		st := v.incidents[p.Incident]
		if st == nil {
			return
		}
		st.add(&Entry{Fields: p.Fields}, e)
		if orig := st.byID[p.Corrects]; p.Corrects != "" && orig != nil {
			orig.CorrectedBy = append(orig.CorrectedBy, p.ID)
		}
		if p.Task != nil && p.Task.Updates != "" {
			if orig := st.byID[p.Task.Updates]; orig != nil {
				orig.UpdatedBy = append(orig.UpdatedBy, p.ID)
			}
		}
	case *Closed:
		st := v.incidents[p.Incident]
		if st == nil {
			return
		}
		st.Closed, st.ClosedAt, st.closedRecorded = true, e.OccurredAt, e.RecordedAt
		st.add(&Entry{Fields: Fields{ID: p.EntryID, Incident: p.Incident, Kind: LevelChange, Text: p.Reason,
			Author: p.Author, Function: p.Function, Source: p.Source, Verified: true}, System: "closed"}, e)
	}
}

func (st *incidentState) add(en *Entry, e event.Envelope) {
	en.Serial = len(st.entries) + 1
	en.OccurredAt, en.RecordedAt, en.Seq = e.OccurredAt, e.RecordedAt, e.Seq
	en.Late = e.RecordedAt.Sub(e.OccurredAt) > LateAfter
	st.entries = append(st.entries, en)
	st.search.add(en)
	st.timeline = insertByTime(st.timeline, en)
	st.byID[en.ID] = en
	st.Entries = len(st.entries)
}

// foldLevels gives the level of each scope from the changes that pass keep:
// per scope the one that occurred last (log order breaks ties). The region
// comes first, then hospitals by id.
func foldLevels(history []levelChange, keep func(levelChange) bool) []LevelState {
	last := map[string]levelChange{}
	for _, c := range history {
		if !keep(c) {
			continue
		}
		if cur, ok := last[c.Scope]; ok && c.occurred.Before(cur.occurred) {
			continue
		}
		last[c.Scope] = c
	}
	out := make([]LevelState, 0, len(last))
	for _, c := range last {
		out = append(out, c.LevelState)
	}
	slices.SortFunc(out, func(a, b LevelState) int {
		if (a.Scope == RegionScope) != (b.Scope == RegionScope) {
			if a.Scope == RegionScope {
				return -1
			}
			return 1
		}
		return cmp.Compare(a.Scope, b.Scope)
	})
	return out
}

// AsOf selects a point in time. At keeps what had happened by then (as known
// now); KnownAt keeps what Fyr had been told by then. Zero means no limit.
type AsOf struct {
	At      time.Time
	KnownAt time.Time
}

func (a AsOf) keeps(occurred, recorded time.Time) bool {
	return (a.At.IsZero() || !occurred.After(a.At)) && (a.KnownAt.IsZero() || !recorded.After(a.KnownAt))
}

// IsNow reports whether no limit is set.
func (a AsOf) IsNow() bool { return a.At.IsZero() && a.KnownAt.IsZero() }

// List returns every incident, newest first.
func (v *View) List() []Incident {
	v.mu.RLock()
	defer v.mu.RUnlock()
	out := make([]Incident, 0, len(v.order))
	for i := len(v.order) - 1; i >= 0; i-- {
		out = append(out, v.incidents[v.order[i]].copyHeader())
	}
	return out
}

func (st *incidentState) copyHeader() Incident {
	h := st.Incident
	h.Levels = slices.Clone(st.Levels)
	return h
}

// Get returns an incident as it stood at a point in time.
func (v *View) Get(id ID, asOf AsOf) (Incident, error) {
	v.mu.RLock()
	defer v.mu.RUnlock()
	st := v.incidents[id]
	if st == nil {
		return Incident{}, fail.New(fail.NotFound, "incident %q does not exist", id)
	}
	if asOf.IsNow() {
		return st.copyHeader(), nil
	}
	h := st.Incident
	h.Levels = foldLevels(st.history, func(c levelChange) bool { return asOf.keeps(c.occurred, c.recorded) })
	h.Closed = st.Closed && asOf.keeps(st.ClosedAt, st.closedRecorded)
	if !h.Closed {
		h.ClosedAt = time.Time{}
	}
	n := 0
	for _, e := range st.entries {
		if asOf.keeps(e.OccurredAt, e.RecordedAt) {
			n++
		}
	}
	h.Entries = n
	return h, nil
}

// Query filters a journal.
type Query struct {
	AsOf
	Text   string    // in text, author, function, source, from or to (any case)
	Kind   Kind      // one kind, or all
	Author string    // part of the author's name
	From   time.Time // occurred at or after
	To     time.Time // occurred at or before
	// ByTime orders by occurred_at (the timeline) instead of serial number.
	ByTime bool
}

// Journal returns the entries of an incident that match q.
func (v *View) Journal(id ID, q Query) ([]Entry, error) {
	v.mu.RLock()
	defer v.mu.RUnlock()
	st := v.incidents[id]
	if st == nil {
		return nil, fail.New(fail.NotFound, "incident %q does not exist", id)
	}
	m := q.matcher()
	var out []Entry
	list := st.entries
	if q.ByTime {
		list = st.timeline
	}
	for _, e := range list {
		if m.keeps(e) {
			out = append(out, st.copyEntry(e, q.AsOf))
		}
	}
	return out, nil
}

// Entry returns one journal entry.
func (v *View) Entry(id ID, entryID string) (Entry, bool) {
	v.mu.RLock()
	defer v.mu.RUnlock()
	st := v.incidents[id]
	if st == nil || st.byID[entryID] == nil {
		return Entry{}, false
	}
	e := *st.byID[entryID]
	e.CorrectedBy, e.UpdatedBy = slices.Clone(e.CorrectedBy), slices.Clone(e.UpdatedBy)
	return e, true
}

// Active returns the open incidents above normal, highest level first: what
// the level banner shows.
func (v *View) Active() []Incident {
	v.mu.RLock()
	defer v.mu.RUnlock()
	var out []Incident
	for _, id := range v.order {
		st := v.incidents[id]
		if !st.Closed && st.Highest() != Normal {
			out = append(out, st.copyHeader())
		}
	}
	slices.SortStableFunc(out, func(a, b Incident) int { return b.Highest().Rank() - a.Highest().Rank() })
	return out
}
