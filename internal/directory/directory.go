// Package directory keeps the organisation's units: a tree of region,
// hospitals, clinics and wards (municipalities and partners too), the people
// who can be reached for them, and who answers for each unit: a primary
// contact, ordered deputies and on-duty overrides for a shift. The unit, not
// the person, is what a decision must reach.
package directory

import (
	"slices"
	"strings"
	"sync"
	"time"

	"fyr/internal/event"
)

// UnitType says what kind of unit a unit is.
type UnitType string

const (
	Region       UnitType = "region"
	Hospital     UnitType = "hospital"
	Clinic       UnitType = "clinic"
	Ward         UnitType = "ward"
	Municipality UnitType = "municipality"
	Partner      UnitType = "partner"
)

// UnitTypes lists every unit type.
var UnitTypes = []UnitType{Region, Hospital, Clinic, Ward, Municipality, Partner}

// Valid reports whether t is a known unit type.
func (t UnitType) Valid() bool { return slices.Contains(UnitTypes, t) }

// Unit is one node of the organisation tree, with who answers for it.
type Unit struct {
	ID     string   `json:"id"`
	Name   string   `json:"name"`
	Type   UnitType `json:"type"`
	Parent string   `json:"parent,omitempty"`
	// Phone and Email are the unit's own contact points (its switchboard or
	// duty phone, a functional mailbox). Phone is E.164; it may be a landline.
	Phone string `json:"phone,omitempty"`
	Email string `json:"email,omitempty"`
	// Webhook is the URL of the unit's own system (a ward display, a paging
	// system, a municipality's case system) that takes signed dispatches.
	Webhook string `json:"webhook,omitempty"`
	// Primary is the person who answers for the unit; Deputies are tried
	// after the primary, in order. Both are person ids.
	Primary  string   `json:"primary,omitempty"`
	Deputies []string `json:"deputies,omitempty"`
}

// Person is someone who can be reached for a unit or a staff function.
type Person struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Unit     string `json:"unit,omitempty"`
	Function string `json:"function,omitempty"` // e.g. TiB, avdelningschef
	Mobile   string `json:"mobile,omitempty"`   // E.164
	Email    string `json:"email,omitempty"`
}

// Shift is an on-duty override: for its time, Person answers for Unit
// before the primary contact.
type Shift struct {
	ID     string    `json:"id"`
	Unit   string    `json:"unit"`
	Person string    `json:"person"`
	From   time.Time `json:"from"`
	To     time.Time `json:"to"`
}

// Covers reports whether the shift covers the instant at: From ≤ at < To.
func (s Shift) Covers(at time.Time) bool { return !at.Before(s.From) && at.Before(s.To) }

// Event types (append-only contract).
const (
	TypeUnitAdded     = "directory.unit_added"
	TypePersonAdded   = "directory.person_added"
	TypeContactsSet   = "directory.contacts_set"
	TypeOnDutySet     = "directory.on_duty_set"
	TypeOnDutyCleared = "directory.on_duty_cleared"
	// TypeImported is one whole CSV import (units, people or both): one
	// event, so that an import is atomic in the log.
	TypeImported = "directory.imported"
)

// UnitAdded adds a unit to the tree.
type UnitAdded struct {
	Unit
}

// PersonAdded adds a person.
type PersonAdded struct {
	Person
}

// ContactsSet replaces a unit's own contact points and who answers for it.
type ContactsSet struct {
	Unit     string   `json:"unit"`
	Phone    string   `json:"phone,omitempty"`
	Email    string   `json:"email,omitempty"`
	Webhook  string   `json:"webhook,omitempty"`
	Primary  string   `json:"primary,omitempty"`
	Deputies []string `json:"deputies,omitempty"`
}

// OnDutySet adds an on-duty override for a shift.
type OnDutySet struct {
	Shift
}

// OnDutyCleared removes an on-duty override.
type OnDutyCleared struct {
	Unit  string `json:"unit"`
	Shift string `json:"shift"`
}

// Imported upserts units and people by id: a row with a new id adds, a row
// with a known id replaces. Nothing is removed.
type Imported struct {
	Units  []Unit   `json:"units,omitempty"`
	People []Person `json:"people,omitempty"`
}

// Directory is the directory's read and write model (it is small: one type
// serves both).
type Directory struct {
	mu       sync.RWMutex
	units    map[string]Unit
	order    []string            // unit ids in the order they were added
	children map[string][]string // parent id ("" for roots) → child ids, in order
	people   map[string]Person
	porder   []string
	shifts   map[string][]Shift // unit id → its on-duty overrides, in the order set
}

// New returns an empty directory.
func New() *Directory {
	return &Directory{units: map[string]Unit{}, children: map[string][]string{}, people: map[string]Person{},
		shifts: map[string][]Shift{}}
}

// Apply folds one event.
func (d *Directory) Apply(e event.Envelope) error {
	if !strings.HasPrefix(e.Type, "directory.") {
		return nil
	}
	switch e.Type {
	case TypeUnitAdded:
		var p UnitAdded
		if err := e.Unmarshal(&p); err != nil {
			return err
		}
		d.mu.Lock()
		d.putUnit(p.Unit)
		d.mu.Unlock()
	case TypePersonAdded:
		var p PersonAdded
		if err := e.Unmarshal(&p); err != nil {
			return err
		}
		d.mu.Lock()
		d.putPerson(p.Person)
		d.mu.Unlock()
	case TypeContactsSet:
		var p ContactsSet
		if err := e.Unmarshal(&p); err != nil {
			return err
		}
		d.mu.Lock()
		if u, ok := d.units[p.Unit]; ok {
			u.Phone, u.Email, u.Webhook, u.Primary, u.Deputies = p.Phone, p.Email, p.Webhook, p.Primary, p.Deputies
			d.units[p.Unit] = u
		}
		d.mu.Unlock()
	case TypeOnDutySet:
		var p OnDutySet
		if err := e.Unmarshal(&p); err != nil {
			return err
		}
		d.mu.Lock()
		d.shifts[p.Unit] = append(d.shifts[p.Unit], p.Shift)
		d.mu.Unlock()
	case TypeOnDutyCleared:
		var p OnDutyCleared
		if err := e.Unmarshal(&p); err != nil {
			return err
		}
		d.mu.Lock()
		d.shifts[p.Unit] = slices.DeleteFunc(slices.Clone(d.shifts[p.Unit]), func(s Shift) bool { return s.ID == p.Shift })
		d.mu.Unlock()
	case TypeImported:
		var p Imported
		if err := e.Unmarshal(&p); err != nil {
			return err
		}
		d.mu.Lock()
		for _, u := range p.Units {
			d.putUnit(u)
		}
		for _, x := range p.People {
			d.putPerson(x)
		}
		d.mu.Unlock()
	}
	return nil
}

// putUnit adds or replaces a unit; d.mu is held.
func (d *Directory) putUnit(u Unit) {
	old, known := d.units[u.ID]
	d.units[u.ID] = u
	switch {
	case !known:
		d.order = append(d.order, u.ID)
		d.children[u.Parent] = append(d.children[u.Parent], u.ID)
	case old.Parent != u.Parent:
		// Moved: rebuild the child lists so that they keep the order of addition.
		d.children = make(map[string][]string, len(d.children))
		for _, id := range d.order {
			p := d.units[id].Parent
			d.children[p] = append(d.children[p], id)
		}
	}
}

// putPerson adds or replaces a person; d.mu is held.
func (d *Directory) putPerson(p Person) {
	if _, known := d.people[p.ID]; !known {
		d.porder = append(d.porder, p.ID)
	}
	d.people[p.ID] = p
}

// IsHospital reports whether id names a hospital: a scope of its own (LSSL).
func (d *Directory) IsHospital(id string) bool {
	d.mu.RLock()
	defer d.mu.RUnlock()
	return d.units[id].Type == Hospital
}

// Unit returns one unit.
func (d *Directory) Unit(id string) (Unit, bool) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	u, ok := d.units[id]
	return u, ok
}

// Units returns every unit in the order they were added.
func (d *Directory) Units() []Unit {
	d.mu.RLock()
	defer d.mu.RUnlock()
	out := make([]Unit, 0, len(d.order))
	for _, id := range d.order {
		out = append(out, d.units[id])
	}
	return out
}

// Len returns the number of units and of people.
func (d *Directory) Len() (units, people int) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	return len(d.units), len(d.people)
}

// Parent returns a unit's parent ("" for a root or an unknown unit).
func (d *Directory) Parent(unitID string) string {
	d.mu.RLock()
	defer d.mu.RUnlock()
	return d.units[unitID].Parent
}

// Children returns the units directly below a unit ("" for the roots), in
// the order they were added.
func (d *Directory) Children(unitID string) []Unit {
	d.mu.RLock()
	defer d.mu.RUnlock()
	out := make([]Unit, 0, len(d.children[unitID]))
	for _, id := range d.children[unitID] {
		out = append(out, d.units[id])
	}
	return out
}

// Subtree returns the unit and every unit below it, parents before their
// children (depth first, siblings in the order they were added). It is
// empty for an unknown unit.
func (d *Directory) Subtree(unitID string) []Unit {
	d.mu.RLock()
	defer d.mu.RUnlock()
	u, ok := d.units[unitID]
	if !ok {
		return nil
	}
	out := []Unit{u}
	seen := map[string]bool{unitID: true} // the tree has no cycles; this only guards
	var walk func(id string)
	walk = func(id string) {
		for _, c := range d.children[id] {
			if !seen[c] {
				seen[c] = true
				out = append(out, d.units[c])
				walk(c)
			}
		}
	}
	walk(unitID)
	return out
}

// Path returns the unit's ancestors from the root down to its parent.
func (d *Directory) Path(unitID string) []Unit {
	d.mu.RLock()
	defer d.mu.RUnlock()
	var out []Unit
	seen := map[string]bool{unitID: true}
	for p := d.units[unitID].Parent; p != "" && !seen[p]; p = d.units[p].Parent {
		seen[p] = true
		u, ok := d.units[p]
		if !ok {
			break
		}
		out = append(out, u)
	}
	slices.Reverse(out)
	return out
}

// Hospitals returns the hospital units, by name.
func (d *Directory) Hospitals() []Unit {
	var out []Unit
	for _, u := range d.Units() {
		if u.Type == Hospital {
			out = append(out, u)
		}
	}
	slices.SortFunc(out, func(a, b Unit) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// Person returns one person.
func (d *Directory) Person(id string) (Person, bool) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	p, ok := d.people[id]
	return p, ok
}

// People returns everyone, in the order they were added.
func (d *Directory) People() []Person {
	d.mu.RLock()
	defer d.mu.RUnlock()
	out := make([]Person, 0, len(d.porder))
	for _, id := range d.porder {
		out = append(out, d.people[id])
	}
	return out
}

// Functions returns the distinct staff functions people hold, sorted.
func (d *Directory) Functions() []string {
	d.mu.RLock()
	defer d.mu.RUnlock()
	seen := map[string]bool{}
	var out []string
	for _, p := range d.people {
		if p.Function != "" && !seen[p.Function] {
			seen[p.Function] = true
			out = append(out, p.Function)
		}
	}
	slices.Sort(out)
	return out
}

// Shifts returns a unit's on-duty overrides that have not ended by at,
// by start time.
func (d *Directory) Shifts(unitID string, at time.Time) []Shift {
	d.mu.RLock()
	defer d.mu.RUnlock()
	var out []Shift
	for _, s := range d.shifts[unitID] {
		if at.Before(s.To) {
			out = append(out, s)
		}
	}
	slices.SortStableFunc(out, func(a, b Shift) int { return a.From.Compare(b.From) })
	return out
}

// shift returns one on-duty override of a unit.
func (d *Directory) shift(unitID, id string) (Shift, bool) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	for _, s := range d.shifts[unitID] {
		if s.ID == id {
			return s, true
		}
	}
	return Shift{}, false
}

// Contact is one way to reach a unit, in escalation order.
type Contact struct {
	PersonID string `json:"person_id,omitempty"` // "" for the unit's own contact points
	Name     string `json:"name"`
	Role     string `json:"role"`             // "on_duty", "primary", "deputy", "unit"
	Mobile   string `json:"mobile,omitempty"` // E.164 or ""; for the role "unit" the unit's own phone, which may be a landline
	Email    string `json:"email,omitempty"`
	Webhook  string `json:"webhook,omitempty"` // only for the role "unit": its own system
}

// Contact roles, in escalation order.
const (
	RoleOnDuty  = "on_duty"
	RolePrimary = "primary"
	RoleDeputy  = "deputy"
	RoleUnit    = "unit"
)

// Reach lists, in escalation order, who answers for a unit at time at: the on-duty
// override covering at (if any), the primary contact, the deputies in order, then the
// unit's own contact points.
//
// When several overrides cover at, the one set last wins. A person appears
// once, at their first place in that order (an on-duty primary is not
// contacted twice). The unit's own contact points are left out when it has
// no phone, e-mail or webhook. An unknown unit has no contacts.
func (d *Directory) Reach(unitID string, at time.Time) []Contact {
	d.mu.RLock()
	defer d.mu.RUnlock()
	u, ok := d.units[unitID]
	if !ok {
		return nil
	}
	var out []Contact
	seen := map[string]bool{}
	add := func(personID, role string) {
		p, ok := d.people[personID]
		if personID == "" || !ok || seen[personID] {
			return
		}
		seen[personID] = true
		out = append(out, Contact{PersonID: p.ID, Name: p.Name, Role: role, Mobile: p.Mobile, Email: p.Email})
	}
	shifts := d.shifts[unitID]
	for i := len(shifts) - 1; i >= 0; i-- {
		if shifts[i].Covers(at) {
			add(shifts[i].Person, RoleOnDuty)
			break
		}
	}
	add(u.Primary, RolePrimary)
	for _, id := range u.Deputies {
		add(id, RoleDeputy)
	}
	if u.Phone != "" || u.Email != "" || u.Webhook != "" {
		out = append(out, Contact{Name: u.Name, Role: RoleUnit, Mobile: u.Phone, Email: u.Email, Webhook: u.Webhook})
	}
	return out
}
