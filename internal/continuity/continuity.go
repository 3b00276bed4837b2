// Package continuity is the organisation's continuity registry: the
// components care runs on (IT systems, infrastructure, suppliers, care
// functions), what depends on what (components and the directory's units),
// and the backup routines (reservrutiner) with their own dependencies; and
// the impact of components going down, computed over the registry.
//
// The registry is organisation-wide, not per incident. Its model (Registry)
// serves as both the write and the read model. The impact computation
// (impact.go) is pure: a compiled graph of the registry and a set of
// statuses in, everything affected and its explaining path out.
package continuity

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"fyr/internal/fail"
)

// Kind is what a component is.
type Kind string

const (
	System         Kind = "system"         // an IT system: journal, lab, PACS …
	Infrastructure Kind = "infrastructure" // DNS, AD, network, power …
	Supplier       Kind = "supplier"       // Tietoevry, Cambio …
	Function       Kind = "function"       // a care function: medication, lab orders …
)

// Kinds lists the kinds.
var Kinds = []Kind{System, Infrastructure, Supplier, Function}

// Criticality is how much care suffers when a component is down.
type Criticality string

const (
	Critical Criticality = "critical"
	High     Criticality = "high"
	Medium   Criticality = "medium"
	Low      Criticality = "low"
)

// Criticalities lists them, most critical first.
var Criticalities = []Criticality{Critical, High, Medium, Low}

// DepType is how a dependency reads: "from TYPE to".
type DepType string

const (
	RunsOn     DepType = "runs_on"
	HostedBy   DepType = "hosted_by"
	Needs      DepType = "needs"
	SuppliedBy DepType = "supplied_by"
	// UsedBy is the one reversed word: "X used_by U" means U depends on X.
	// A row "U used_by X" with U a unit and X a component reads the same
	// way (the unit uses X): a unit is never depended on.
	UsedBy DepType = "used_by"
)

// DepTypes lists the dependency types.
var DepTypes = []DepType{RunsOn, HostedBy, Needs, SuppliedBy, UsedBy}

// Mode says what a group of dependencies needs: all of its members, or any
// one of them (redundancy: two internet links, two DNS servers).
type Mode string

const (
	All Mode = "all"
	Any Mode = "any"
)

// Component is one thing care runs on.
type Component struct {
	ID           string      `json:"id"`
	Kind         Kind        `json:"kind"`
	Name         string      `json:"name"`
	Owner        string      `json:"owner,omitempty"`
	ContactName  string      `json:"contact_name,omitempty"`  // the supplier's contact
	ContactPhone string      `json:"contact_phone,omitempty"` // reachable without the region's network
	Criticality  Criticality `json:"criticality,omitempty"`
	// MaxOutage is the longest tolerable outage, as written: 30m, 4h, 2d.
	MaxOutage string `json:"max_outage,omitempty"`
	Note      string `json:"note,omitempty"`
}

// Dependency says that From depends on To (for used_by, see UsedBy).
// Dependencies of one dependent with the same Group form one group of the
// same Mode; an empty Group is a group of its own.
type Dependency struct {
	From  string  `json:"from"`
	To    string  `json:"to"`
	Type  DepType `json:"type"`
	Group string  `json:"group,omitempty"`
	Mode  Mode    `json:"mode,omitempty"`
}

// Routine is a backup routine (reservrutin): a checklist for when the
// components it is For are down, itself needing the components in Needs
// (a printed form, the fax, the internal network …).
type Routine struct {
	ID        string   `json:"id"`
	Title     string   `json:"title"`
	Steps     []string `json:"steps"`
	Owner     string   `json:"owner,omitempty"`
	PaperCopy string   `json:"paper_copy,omitempty"` // where the paper copy is kept
	For       []string `json:"for"`
	Needs     []string `json:"needs"`
}

// Limits.
const (
	MaxName  = 200
	MaxNote  = 2000
	MaxSteps = 100
	MaxStep  = 1000
	MaxRefs  = 100 // components in a routine's for or needs
)

var idPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,63}$`)

// CheckID checks an id of the registry.
func CheckID(field, id string) error {
	if !idPattern.MatchString(id) {
		return fail.Field(field, "%q is not an id: lower-case letters, digits and '-', at most 64, starting with a letter or digit", id)
	}
	return nil
}

// ParseOutage reads a maximum outage: a number and a unit, m (minutes), h
// (hours) or d (days); "" is none.
func ParseOutage(s string) (time.Duration, error) {
	if s == "" {
		return 0, nil
	}
	unit := map[byte]time.Duration{'m': time.Minute, 'h': time.Hour, 'd': 24 * time.Hour}[s[len(s)-1]]
	n, err := strconv.Atoi(s[:len(s)-1])
	if unit == 0 || err != nil || n <= 0 || n > 10000 {
		return 0, fail.Field("max_outage", "%q is not a duration like 30m, 4h or 2d", s)
	}
	return time.Duration(n) * unit, nil
}

// normal returns the component with its defaults filled in and spaces
// trimmed, or the first thing wrong with it.
func (c Component) normal() (Component, error) {
	c.ID, c.Name = strings.TrimSpace(c.ID), strings.TrimSpace(c.Name)
	c.Kind = Kind(strings.ToLower(strings.TrimSpace(string(c.Kind))))
	c.Criticality = Criticality(strings.ToLower(strings.TrimSpace(string(c.Criticality))))
	c.MaxOutage = strings.ToLower(strings.TrimSpace(c.MaxOutage))
	if c.Criticality == "" {
		c.Criticality = Medium
	}
	if err := CheckID("id", c.ID); err != nil {
		return c, err
	}
	if !contains(Kinds, c.Kind) {
		return c, fail.Field("kind", "%q is not a kind: system, infrastructure, supplier or function", string(c.Kind))
	}
	if !contains(Criticalities, c.Criticality) {
		return c, fail.Field("criticality", "%q is not a criticality: critical, high, medium or low", string(c.Criticality))
	}
	if _, err := ParseOutage(c.MaxOutage); err != nil {
		return c, err
	}
	return c, fail.First(fail.Text("name", c.Name, MaxName, true), fail.Text("owner", c.Owner, MaxName, false),
		fail.Text("contact_name", c.ContactName, MaxName, false), fail.Text("contact_phone", c.ContactPhone, 40, false),
		fail.Text("note", c.Note, MaxNote, false))
}

func contains[T comparable](xs []T, x T) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// key identifies a dependency: one row per from, to and type.
func (d Dependency) key() string { return fmt.Sprint(d.From, "\x00", d.To, "\x00", d.Type) }
