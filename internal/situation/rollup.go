package situation

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"fyr/internal/directory"
	"fyr/internal/incident"
)

// Tree is the part of the directory a roll-up needs.
type Tree interface {
	Unit(id string) (directory.Unit, bool)
	Subtree(id string) []directory.Unit
	Hospitals() []directory.Unit
}

// Figure is a number and the reports behind it, so that every figure of a
// roll-up links to its reports.
type Figure struct {
	Value   int        `json:"value"`
	Reports []ReportID `json:"reports"`
}

func (f *Figure) add(n int, r ReportID) {
	f.Value += n
	f.Reports = append(f.Reports, r)
}

// UnitRef names a unit and the report that puts it in a list.
type UnitRef struct {
	Unit   string   `json:"unit"`
	Name   string   `json:"name"`
	Report ReportID `json:"report,omitempty"`
}

// Need is one need or request of a unit.
type Need struct {
	UnitRef
	Text string `json:"text"`
}

// SystemFigure is an IT system reported down or degraded, with the units
// that report it so (how many: len).
type SystemFigure struct {
	Name     string    `json:"name"`
	Down     []UnitRef `json:"down"`
	Degraded []UnitRef `json:"degraded"`
}

// SupplyFigure is a critical supply reported running low, with the units.
type SupplyFigure struct {
	Name  string    `json:"name"`
	Units []UnitRef `json:"units"`
	Notes []string  `json:"notes,omitempty"`
}

// BedFigures are bed totals.
type BedFigures struct {
	Total     Figure `json:"total"`
	Occupied  Figure `json:"occupied"`
	Available Figure `json:"available"`
}

// StaffFigures are staffing totals.
type StaffFigures struct {
	Present Figure `json:"present"`
	Missing Figure `json:"missing"`
}

// Rollup sums the reports of the units of one scope: a hospital (its
// subtree) or the region (every unit).
type Rollup struct {
	Scope    string    `json:"scope"` // incident.RegionScope or a hospital's id
	Name     string    `json:"name"`
	Asked    int       `json:"asked"`    // units asked to report
	Reported Figure    `json:"reported"` // units with a report
	Missing  []UnitRef `json:"missing"`  // asked units without one
	Late     []UnitRef `json:"late"`     // units whose report came after the deadline
	// Units by operating state: the normal ones counted, the limited and
	// closed ones named.
	Normal   Figure         `json:"normal"`
	Limited  []UnitRef      `json:"limited"`
	Closed   []UnitRef      `json:"closed"`
	Beds     BedFigures     `json:"beds"`
	Staff    StaffFigures   `json:"staff"`
	Needs    []Need         `json:"needs"`
	Supplies []SupplyFigure `json:"supplies"` // most units first
	Systems  []SystemFigure `json:"systems"`  // down or degraded, most units down first
	Changes  *Changes       `json:"changes,omitempty"`
}

// Delta compares a total with the previous round's.
type Delta struct {
	Before Figure `json:"before"`
	After  Figure `json:"after"`
	Change int    `json:"change"`
}

func delta(before, after Figure) Delta {
	return Delta{Before: before, After: after, Change: after.Value - before.Value}
}

// StateChange is a unit whose operating state changed.
type StateChange struct {
	Unit   string         `json:"unit"`
	Name   string         `json:"name"`
	From   OperatingState `json:"from"`
	To     OperatingState `json:"to"`
	Before ReportID       `json:"before"`
	After  ReportID       `json:"after"`
}

// SystemChange is a system whose state changed at a unit; "" means the
// unit did not list the system.
type SystemChange struct {
	System string      `json:"system"`
	Unit   string      `json:"unit"`
	Name   string      `json:"name"`
	From   SystemState `json:"from"`
	To     SystemState `json:"to"`
	Before ReportID    `json:"before"`
	After  ReportID    `json:"after"`
}

// Changes is what changed since the previous round. State and system
// changes compare the units that reported in both; totals compare the two
// rounds as a whole.
type Changes struct {
	Previous RoundID        `json:"previous"`
	States   []StateChange  `json:"states"`
	Systems  []SystemChange `json:"systems"`
	Beds     struct {
		Total     Delta `json:"total"`
		Occupied  Delta `json:"occupied"`
		Available Delta `json:"available"`
	} `json:"beds"`
	Staff struct {
		Present Delta `json:"present"`
		Missing Delta `json:"missing"`
	} `json:"staff"`
}

// UnitState is one unit's state in an overview: its newest report.
type UnitState struct {
	Unit     string         `json:"unit"`
	Name     string         `json:"name"`
	Hospital string         `json:"hospital,omitempty"` // the hospital it belongs to, if any
	Asked    bool           `json:"asked"`
	Report   ReportID       `json:"report,omitempty"`
	Round    RoundID        `json:"round,omitempty"`
	State    OperatingState `json:"state,omitempty"`
	FiledAt  time.Time      `json:"filed_at,omitzero"`
	Late     bool           `json:"late,omitempty"`
}

// Overview is the roll-up of one round, or of the newest report per unit
// over an incident's rounds: the region, each hospital, and each unit.
type Overview struct {
	Incident  incident.ID `json:"incident"`
	Round     RoundID     `json:"round,omitempty"`    // empty for the newest per unit
	Previous  RoundID     `json:"previous,omitempty"` // the round compared with
	At        time.Time   `json:"at,omitzero"`
	KnownAt   time.Time   `json:"known_at,omitzero"`
	Region    Rollup      `json:"region"`
	Hospitals []Rollup    `json:"hospitals"`
	Units     []UnitState `json:"units"`
}

// Selection is what a roll-up is made of: the units asked, the newest
// report per unit, and the previous round's.
type Selection struct {
	Incident incident.ID
	Round    RoundID // empty for the newest per unit
	Previous RoundID
	Asked    []string
	Current  map[string]Report
	Before   map[string]Report // nil when there is no previous round
	AsOf     incident.AsOf
}

func newestPerUnit(reps []*Report, asOf incident.AsOf, into map[string]Report) {
	for _, r := range reps {
		if !keeps(asOf, r.OccurredAt, r.RecordedAt) {
			continue
		}
		cur, ok := into[r.Unit]
		if !ok || r.OccurredAt.After(cur.OccurredAt) || (r.OccurredAt.Equal(cur.OccurredAt) && r.Seq >= cur.Seq) {
			into[r.Unit] = r.clone()
		}
	}
}

// RoundSelection selects one round's reports at asOf, and the reports of
// the incident's round opened before it.
func (b *Book) RoundSelection(id RoundID, asOf incident.AsOf) (Selection, bool) {
	b.mu.RLock()
	defer b.mu.RUnlock()
	r := b.rounds[id]
	if r == nil || !r.at.kept(asOf) {
		return Selection{}, false
	}
	sel := Selection{Incident: r.opened.Incident, Round: id, Asked: slices.Clone(r.opened.Units), Current: map[string]Report{}, AsOf: asOf}
	newestPerUnit(r.reports, asOf, sel.Current)
	var prev *round
	for _, rid := range b.roundOrder[r.opened.Incident] {
		if rid == id {
			break
		}
		if x := b.rounds[rid]; x.at.kept(asOf) {
			prev = x
		}
	}
	if prev != nil {
		sel.Previous, sel.Before = prev.opened.Round, map[string]Report{}
		newestPerUnit(prev.reports, asOf, sel.Before)
	}
	return sel, true
}

// LatestSelection selects the newest report per unit over an incident's
// rounds at asOf; the previous state is the newest per unit over the
// rounds before the newest one.
func (b *Book) LatestSelection(id incident.ID, asOf incident.AsOf) Selection {
	b.mu.RLock()
	defer b.mu.RUnlock()
	sel := Selection{Incident: id, Current: map[string]Report{}, AsOf: asOf}
	var kept []*round
	for _, rid := range b.roundOrder[id] {
		if r := b.rounds[rid]; r.at.kept(asOf) {
			kept = append(kept, r)
		}
	}
	asked := map[string]bool{}
	for i, r := range kept {
		for _, u := range r.opened.Units {
			if !asked[u] {
				asked[u] = true
				sel.Asked = append(sel.Asked, u)
			}
		}
		newestPerUnit(r.reports, asOf, sel.Current)
		if i == len(kept)-2 {
			sel.Previous, sel.Before = r.opened.Round, map[string]Report{}
			for _, x := range kept[:i+1] {
				newestPerUnit(x.reports, asOf, sel.Before)
			}
		}
	}
	slices.Sort(sel.Asked)
	return sel
}

// Roll sums a selection per hospital and for the region.
func Roll(sel Selection, tree Tree) Overview {
	ov := Overview{Incident: sel.Incident, Round: sel.Round, Previous: sel.Previous, At: sel.AsOf.At, KnownAt: sel.AsOf.KnownAt}
	name := func(id string) string {
		if u, ok := tree.Unit(id); ok {
			return u.Name
		}
		return id
	}
	hospitalOf := map[string]string{}
	hospitals := tree.Hospitals()
	for _, h := range hospitals {
		for _, u := range tree.Subtree(h.ID) {
			hospitalOf[u.ID] = h.ID
		}
	}
	askedSet := map[string]bool{}
	for _, u := range sel.Asked {
		askedSet[u] = true
	}
	all := func(string) bool { return true }
	ov.Region = roll(sel, incident.RegionScope, "Regionen", all, name)
	if u, ok := tree.Unit(incident.RegionScope); ok {
		ov.Region.Name = u.Name
	}
	for _, h := range hospitals {
		in := func(u string) bool { return hospitalOf[u] == h.ID }
		ov.Hospitals = append(ov.Hospitals, roll(sel, h.ID, h.Name, in, name))
	}
	units := slices.Clone(sel.Asked)
	for u := range sel.Current {
		if !askedSet[u] {
			units = append(units, u)
		}
	}
	for _, u := range units {
		line := UnitState{Unit: u, Name: name(u), Hospital: hospitalOf[u], Asked: askedSet[u]}
		if r, ok := sel.Current[u]; ok {
			line.Report, line.Round, line.State, line.FiledAt, line.Late = r.Report, r.Round, r.State, r.OccurredAt, r.Late
		}
		ov.Units = append(ov.Units, line)
	}
	slices.SortFunc(ov.Units, func(a, b UnitState) int { return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.Unit, b.Unit)) })
	return ov
}

func sortedUnits(m map[string]Report, in func(string) bool) []Report {
	var out []Report
	for u, r := range m {
		if in(u) {
			out = append(out, r)
		}
	}
	slices.SortFunc(out, func(a, b Report) int { return cmp.Compare(a.Unit, b.Unit) })
	return out
}

func roll(sel Selection, scope, scopeName string, in func(string) bool, name func(string) string) Rollup {
	r := Rollup{Scope: scope, Name: scopeName, Missing: []UnitRef{}, Late: []UnitRef{}, Limited: []UnitRef{}, Closed: []UnitRef{},
		Needs: []Need{}, Supplies: []SupplyFigure{}, Systems: []SystemFigure{}}
	r.Reported.Reports, r.Normal.Reports = []ReportID{}, []ReportID{}
	for _, u := range sel.Asked {
		if !in(u) {
			continue
		}
		r.Asked++
		if _, ok := sel.Current[u]; !ok {
			r.Missing = append(r.Missing, UnitRef{Unit: u, Name: name(u)})
		}
	}
	reps := sortedUnits(sel.Current, in)
	r.Beds, r.Staff = totals(reps)
	systems := map[string]*SystemFigure{}
	supplies := map[string]*SupplyFigure{}
	for _, rep := range reps {
		ref := UnitRef{Unit: rep.Unit, Name: name(rep.Unit), Report: rep.Report}
		r.Reported.add(1, rep.Report)
		if rep.Late {
			r.Late = append(r.Late, ref)
		}
		switch rep.State {
		case Limited:
			r.Limited = append(r.Limited, ref)
		case Closed:
			r.Closed = append(r.Closed, ref)
		default:
			r.Normal.add(1, rep.Report)
		}
		for _, n := range rep.Needs {
			r.Needs = append(r.Needs, Need{UnitRef: ref, Text: n})
		}
		for _, s := range rep.Systems {
			if s.State == Up {
				continue
			}
			k := strings.ToLower(s.Name)
			f := systems[k]
			if f == nil {
				f = &SystemFigure{Name: s.Name, Down: []UnitRef{}, Degraded: []UnitRef{}}
				systems[k] = f
			}
			if s.State == Down {
				f.Down = append(f.Down, ref)
			} else {
				f.Degraded = append(f.Degraded, ref)
			}
		}
		for _, s := range rep.Supplies {
			k := strings.ToLower(s.Name)
			f := supplies[k]
			if f == nil {
				f = &SupplyFigure{Name: s.Name}
				supplies[k] = f
			}
			f.Units = append(f.Units, ref)
			if s.Note != "" {
				f.Notes = append(f.Notes, s.Note)
			}
		}
	}
	for _, f := range systems {
		r.Systems = append(r.Systems, *f)
	}
	slices.SortFunc(r.Systems, func(a, b SystemFigure) int {
		return cmp.Or(cmp.Compare(len(b.Down), len(a.Down)), cmp.Compare(len(b.Degraded), len(a.Degraded)), cmp.Compare(a.Name, b.Name))
	})
	for _, f := range supplies {
		r.Supplies = append(r.Supplies, *f)
	}
	slices.SortFunc(r.Supplies, func(a, b SupplyFigure) int {
		return cmp.Or(cmp.Compare(len(b.Units), len(a.Units)), cmp.Compare(a.Name, b.Name))
	})
	if sel.Before != nil {
		r.Changes = changes(sel, in, name, r)
	}
	return r
}

func totals(reps []Report) (BedFigures, StaffFigures) {
	var b BedFigures
	var s StaffFigures
	for _, f := range []*Figure{&b.Total, &b.Occupied, &b.Available, &s.Present, &s.Missing} {
		f.Reports = []ReportID{}
	}
	for _, rep := range reps {
		b.Total.add(rep.Beds.Total, rep.Report)
		b.Occupied.add(rep.Beds.Occupied, rep.Report)
		b.Available.add(rep.Beds.Available(), rep.Report)
		s.Present.add(rep.Staff.Present, rep.Report)
		s.Missing.add(rep.Staff.Missing, rep.Report)
	}
	return b, s
}

func changes(sel Selection, in func(string) bool, name func(string) string, now Rollup) *Changes {
	c := &Changes{Previous: sel.Previous, States: []StateChange{}, Systems: []SystemChange{}}
	before := sortedUnits(sel.Before, in)
	bb, bs := totals(before)
	c.Beds.Total, c.Beds.Occupied, c.Beds.Available = delta(bb.Total, now.Beds.Total), delta(bb.Occupied, now.Beds.Occupied),
		delta(bb.Available, now.Beds.Available)
	c.Staff.Present, c.Staff.Missing = delta(bs.Present, now.Staff.Present), delta(bs.Missing, now.Staff.Missing)
	for _, old := range before {
		cur, ok := sel.Current[old.Unit]
		if !ok || cur.Report == old.Report {
			continue
		}
		if cur.State != old.State {
			c.States = append(c.States, StateChange{Unit: old.Unit, Name: name(old.Unit), From: old.State, To: cur.State,
				Before: old.Report, After: cur.Report})
		}
		was := map[string]SystemStatus{}
		for _, s := range old.Systems {
			was[strings.ToLower(s.Name)] = s
		}
		is := map[string]SystemStatus{}
		for _, s := range cur.Systems {
			is[strings.ToLower(s.Name)] = s
		}
		keys := map[string]string{}
		for k, s := range was {
			keys[k] = s.Name
		}
		for k, s := range is {
			keys[k] = s.Name
		}
		for k, sys := range keys {
			if was[k].State != is[k].State {
				c.Systems = append(c.Systems, SystemChange{System: sys, Unit: old.Unit, Name: name(old.Unit),
					From: was[k].State, To: is[k].State, Before: old.Report, After: cur.Report})
			}
		}
	}
	slices.SortFunc(c.Systems, func(a, b SystemChange) int {
		return cmp.Or(cmp.Compare(strings.ToLower(a.System), strings.ToLower(b.System)), cmp.Compare(a.Unit, b.Unit))
	})
	return c
}
