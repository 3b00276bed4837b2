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

// TypeUnitAdded is the event that adds a unit. Append-only contract.
const TypeUnitAdded = "directory.unit_added"

// UnitAdded adds a unit to the tree.
type UnitAdded struct {
	Unit
}

// Directory is the units read and write model (it is small: one type serves both).
type Directory struct {
	mu    sync.RWMutex
	units map[string]Unit
	order []string
}

// New returns an empty directory.
func New() *Directory { return &Directory{units: map[string]Unit{}} }

// Apply folds one event.
func (d *Directory) Apply(e event.Envelope) {
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
