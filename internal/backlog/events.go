package backlog

import "fyr/internal/incident"

// Event types. Payloads are the wire format on disk: never rename a field.
const (
	TypeAdded     = "backlog.added"
	TypeWorkedOff = "backlog.worked_off"
	prefix        = "backlog."
)

// Change is the payload of both events: Count (> 0) items of manual work
// added to a unit's backlog in a system, or worked off it. When it happened
// is the envelope's occurred_at; who, its actor (and Name here).
type Change struct {
	Incident incident.ID `json:"incident"`
	Unit     string      `json:"unit"`
	System   string      `json:"system"`
	Kind     Kind        `json:"kind"`
	Count    int         `json:"count"`
	Note     string      `json:"note,omitempty"`
	Name     string      `json:"name,omitempty"` // the person's name
	// Token is the form's one-time token: the same form sent twice
	// writes once.
	Token string `json:"token,omitempty"`
}
