// Package directory keeps the organisation's units: a tree of region,
// hospitals, clinics and wards (municipalities and partners too). The unit,
// not the person, is what a decision must reach.
package directory

import (
	"slices"
	"strings"
	"sync"
	"time"

	"fyr/internal/event"
	"fyr/internal/fail"
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

// Unit is one node of the organisation tree.
type Unit struct {
	ID     string   `json:"id"`
	Name   string   `json:"name"`
	Type   UnitType `json:"type"`
	Parent string   `json:"parent,omitempty"`
}

// Event types (append-only contract).
const (
	TypeUnitAdded   = "directory.unit_added"
	TypePersonAdded = "directory.person_added"
)

// Person is someone who can be reached for a unit or a staff function.
type Person struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Unit     string `json:"unit,omitempty"`
	Function string `json:"function,omitempty"` // e.g. TiB, avdelningschef
	Mobile   string `json:"mobile,omitempty"`   // E.164
	Email    string `json:"email,omitempty"`
}

// PersonAdded adds a person.
type PersonAdded struct {
	Person
}

// UnitAdded adds a unit to the tree.
type UnitAdded struct {
	Unit
}

// Directory is the units read and write model (it is small: one type serves both).
type Directory struct {
	mu     sync.RWMutex
	units  map[string]Unit
	order  []string
	people []Person
}

// New returns an empty directory.
func New() *Directory { return &Directory{units: map[string]Unit{}} }

// Apply folds one event.
func (d *Directory) Apply(e event.Envelope) {
	if e.Type == TypePersonAdded {
		var p PersonAdded
		if e.Unmarshal(&p) == nil {
			d.mu.Lock()
			d.people = append(d.people, p.Person)
			d.mu.Unlock()
		}
		return
	}
	if e.Type != TypeUnitAdded {
		return
	}
	var p UnitAdded
	if e.Unmarshal(&p) != nil {
		return
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, ok := d.units[p.ID]; !ok {
		d.order = append(d.order, p.ID)
	}
	d.units[p.ID] = p.Unit
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

// AddUnit is the command that adds a unit.
type AddUnit struct{ Unit }

// Decide checks the unit against the tree.
func (c AddUnit) Decide(d *Directory, actor string, now time.Time) ([]event.Draft, error) {
	u := c.Unit
	switch {
	case strings.TrimSpace(u.ID) == "" || strings.ContainsAny(u.ID, " /?#"):
		return nil, fail.Field("id", "is required and may not contain spaces, '/', '?' or '#'")
	case u.ID == "region" && u.Type != Region:
		return nil, fail.Field("id", "%q is reserved for the region", u.ID)
	case strings.TrimSpace(u.Name) == "":
		return nil, fail.Field("name", "is required")
	}
	switch u.Type {
	case Region, Hospital, Clinic, Ward, Municipality, Partner:
	default:
		return nil, fail.Field("type", "unknown unit type %q", u.Type)
	}
	if _, ok := d.Unit(u.ID); ok {
		return nil, fail.Field("id", "unit %q already exists", u.ID)
	}
	if u.Parent != "" {
		if _, ok := d.Unit(u.Parent); !ok {
			return nil, fail.Field("parent", "unknown parent unit %q", u.Parent)
		}
	}
	return []event.Draft{{Type: TypeUnitAdded, Subject: "unit/" + u.ID, Actor: actor, Payload: UnitAdded{u}}}, nil
}

// People returns everyone, in the order they were added.
func (d *Directory) People() []Person {
	d.mu.RLock()
	defer d.mu.RUnlock()
	return slices.Clone(d.people)
}

// Functions returns the distinct staff functions people hold, sorted.
func (d *Directory) Functions() []string {
	seen := map[string]bool{}
	var out []string
	for _, p := range d.People() {
		if p.Function != "" && !seen[p.Function] {
			seen[p.Function] = true
			out = append(out, p.Function)
		}
	}
	slices.Sort(out)
	return out
}

// AddPerson is the command that adds a person. The full directory import
// (CSV, phone normalisation, deputies) builds on it.
type AddPerson struct{ Person }

// Decide checks the person against the directory.
func (c AddPerson) Decide(d *Directory, actor string) ([]event.Draft, error) {
	p := c.Person
	switch {
	case strings.TrimSpace(p.ID) == "":
		return nil, fail.Field("id", "is required")
	case strings.TrimSpace(p.Name) == "":
		return nil, fail.Field("name", "is required")
	case p.Email != "" && (!strings.Contains(p.Email, "@") || strings.ContainsAny(p.Email, " <>")):
		return nil, fail.Field("email", "%q is not an e-mail address", p.Email)
	case p.Mobile != "" && !isE164(p.Mobile):
		return nil, fail.Field("mobile", "%q is not a phone number in E.164 form (+46701234567)", p.Mobile)
	}
	if p.Unit != "" {
		if _, ok := d.Unit(p.Unit); !ok {
			return nil, fail.Field("unit", "unknown unit %q", p.Unit)
		}
	}
	for _, x := range d.People() {
		if x.ID == p.ID {
			return nil, fail.Field("id", "person %q already exists", p.ID)
		}
	}
	return []event.Draft{{Type: TypePersonAdded, Subject: "person/" + p.ID, Actor: actor, Payload: PersonAdded{p}}}, nil
}

func isE164(s string) bool {
	if len(s) < 8 || len(s) > 16 || s[0] != '+' {
		return false
	}
	for _, r := range s[1:] {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
