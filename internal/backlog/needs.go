package backlog

import "fyr/internal/incident"

// What the backlog needs of the other capabilities, as small interfaces
// that app satisfies.

// Incidents is what a command needs of the incidents: whether one is open.
type Incidents interface {
	CheckOpen(id incident.ID) error
}

// Units is what the backlog needs of the directory: a unit's name, and
// whether it exists.
type Units interface {
	UnitName(id string) (string, bool)
}

// Systems is what the backlog needs of the continuity registry: the
// components of kind system.
type Systems interface {
	// SystemName is the name of the system with id; false when there is
	// no component of kind system with that id.
	SystemName(id string) (string, bool)
	// Systems lists every system in the registry's order.
	Systems() []System
}

// WriteModel is what the commands are checked against.
type WriteModel struct {
	Book      *Book
	Incidents Incidents
	Units     Units
	Systems   Systems
}

// IncidentReader is what the queries need of the incidents' read model.
type IncidentReader interface {
	Get(id incident.ID, asOf incident.AsOf) (incident.Incident, error)
}

// ReadModel is what the queries read.
type ReadModel struct {
	Book      *Book
	Incidents IncidentReader
	Units     Units
	Systems   Systems
}
