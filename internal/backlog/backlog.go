// Package backlog is the re-entry backlog (efterregistrering): the manual
// work a unit did while a system was down — prescriptions on paper, lab
// requests by phone, journal notes in a binder — counted per incident,
// unit, system and kind, so that it can be entered into the system when it
// is back and worked down to zero.
//
// Two events carry it: added and worked off, each with a count and the
// time it happened (which may be earlier than it was recorded: as journal
// entries, the backlog is bitemporal). The model (Book) is the write and
// the read model alike; every query takes a point in time.
package backlog

import (
	"time"

	"fyr/internal/incident"
)

// Kind is the kind of manual work to re-enter: a closed list.
type Kind string

const (
	Prescriptions     Kind = "prescriptions"      // läkemedelsordinationer
	LabRequests       Kind = "lab_requests"       // labbremisser
	JournalNotes      Kind = "journal_notes"      // journalanteckningar
	Orders            Kind = "orders"             // beställningar
	DischargeMessages Kind = "discharge_messages" // utskrivningsmeddelanden
	Other             Kind = "other"
)

// Kinds lists the kinds in the order the pages show them.
var Kinds = []Kind{Prescriptions, LabRequests, JournalNotes, Orders, DischargeMessages, Other}

func (k Kind) valid() bool {
	for _, x := range Kinds {
		if x == k {
			return true
		}
	}
	return false
}

// Limits.
const (
	// MaxCount is the most one change may add or work off: more is a typo.
	MaxCount = 100000
	MaxNote  = 2000
)

// System is a registry component of kind system, as the backlog names it.
type System struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// Line is one total: what was added, what is done (worked off) and what is
// left, of a unit, a system, a kind or the whole incident.
type Line struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Added int    `json:"added"`
	Done  int    `json:"done"`
	Left  int    `json:"left"`
}

// Row is the backlog of one unit in one system of one kind.
type Row struct {
	Unit       string `json:"unit"`
	UnitName   string `json:"unit_name"`
	System     string `json:"system"`
	SystemName string `json:"system_name"`
	Kind       Kind   `json:"kind"`
	Added      int    `json:"added"`
	Done       int    `json:"done"`
	Left       int    `json:"left"`
}

// Point is what was left at a time.
type Point struct {
	At   time.Time `json:"at"`
	Left int       `json:"left"`
}

// Series is what was left of one system over time, a point at every
// change (by when it happened), for the line chart.
type Series struct {
	System string  `json:"system"`
	Name   string  `json:"name"`
	Points []Point `json:"points"`
}

// Totals is an incident's backlog at a point in time.
type Totals struct {
	Incident incident.ID `json:"incident"`
	// Unit is set when the totals are one unit's (a unit account's view).
	Unit    string   `json:"unit,omitempty"`
	Total   Line     `json:"total"`
	Units   []Line   `json:"units"`
	Systems []Line   `json:"systems"`
	Kinds   []Line   `json:"kinds"`
	Rows    []Row    `json:"rows"`
	Series  []Series `json:"series"`
}
