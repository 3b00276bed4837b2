package situation

import (
	"time"

	"fyr/internal/auth"
	"fyr/internal/directory"
	"fyr/internal/dispatch"
	"fyr/internal/event"
	"fyr/internal/incident"
)

// What the situation picture needs of the other capabilities, as small
// interfaces that app satisfies: situation takes no other capability's
// state type.

// Incidents is what a command needs of the incidents: whether one is open.
type Incidents interface {
	CheckOpen(id incident.ID) error
}

// Roster is the directory's units and people, to resolve an audience.
type Roster interface {
	Units() []directory.Unit
	People() []directory.Person
}

// Directory is the part of the directory situation reads: the roster, the
// tree a roll-up follows (and unit names), the staff functions.
// *directory.Directory has it.
type Directory interface {
	Tree
	Roster
	Functions() []string
}

// Dispatches is what a command needs of the dispatch capability: send a
// dispatch of one of situation's own kinds (dispatch.CarriedKinds), see
// one, and record a unit's receipt of one.
type Dispatches interface {
	// Send checks c as a dispatch the staff writes would be checked (the
	// incident open, the audience resolved, the channels known) and
	// returns what it creates and its events.
	Send(c dispatch.Create, by event.Actor, now time.Time) (dispatch.Created, []event.Draft, error)
	// Head returns a dispatch without its units' states.
	Head(id dispatch.ID) (dispatch.Dispatch, bool)
	// Addressed reports whether the dispatch went to the unit.
	Addressed(id dispatch.ID, unit string) bool
	// Acknowledge returns the events of a unit's receipt.
	Acknowledge(c dispatch.Acknowledge, username string) ([]event.Draft, error)
}

// Journal writes the staff journal's record of a dispatch situation sent:
// one info_out entry linked to the dispatch, text saying what it was.
type Journal interface {
	RecordDispatch(sent dispatch.Created, text string, by event.Actor, now time.Time) ([]event.Draft, error)
}

// WriteModel is what the situation commands are checked against: its own
// book and, through interfaces, the incidents, the directory, the
// dispatches and the journal.
type WriteModel struct {
	Book       *Book
	Incidents  Incidents
	Units      Directory
	Dispatches Dispatches
	Journal    Journal
}

// IncidentReader is what the queries need of the incidents' read model.
type IncidentReader interface {
	Get(id incident.ID, asOf incident.AsOf) (incident.Incident, error)
	Journal(id incident.ID, q incident.Query) ([]incident.Entry, error)
}

// Accounts lists the accounts, whose names a situation report must not
// carry.
type Accounts interface {
	List() []auth.User
}

// ReadModel is what the queries read: the book (private to the service)
// and the other capabilities' read models through interfaces.
type ReadModel struct {
	Book      *Book
	Incidents IncidentReader
	Units     Directory
	Accounts  Accounts
}
