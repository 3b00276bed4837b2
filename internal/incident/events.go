package incident

import "fyr/internal/event"

// Event types. The names and payload fields are a contract: append only.
const (
	TypeOpened        = "incident.opened"
	TypeLevelChanged  = "incident.level_changed"
	TypeEntryRecorded = "incident.entry_recorded"
	TypeClosed        = "incident.closed"
)

// Opened starts an incident.
type Opened struct {
	Incident    ID     `json:"incident"`
	EntryID     string `json:"entry_id"`
	Title       string `json:"title"`
	Description string `json:"description,omitempty"`
	Exercise    bool   `json:"exercise,omitempty"`
	Author      string `json:"author"`
	Function    string `json:"function,omitempty"`
}

// LevelChanged sets the level of one scope. Every level change is also a
// journal entry of kind level_change.
type LevelChanged struct {
	Incident  ID     `json:"incident"`
	EntryID   string `json:"entry_id"`
	Scope     string `json:"scope"`
	Level     Level  `json:"level"`
	Previous  Level  `json:"previous"`
	Reason    string `json:"reason,omitempty"`
	DecidedBy string `json:"decided_by"`
	Function  string `json:"function,omitempty"`
	Author    string `json:"author"`
	Channel   string `json:"channel,omitempty"`
}

// EntryRecorded adds a journal entry. FormToken, when set, is the token of
// the form it was submitted with (see Record): kept in the log so that a
// form sent again, even after a restart, writes nothing more.
type EntryRecorded struct {
	Fields
	FormToken string `json:"form_token,omitempty"`
}

// Closed ends an incident; every scope has been set back to normal by
// LevelChanged events in the same batch.
type Closed struct {
	Incident ID     `json:"incident"`
	EntryID  string `json:"entry_id"`
	Reason   string `json:"reason"`
	Author   string `json:"author"`
	Function string `json:"function,omitempty"`
	Source   string `json:"source,omitempty"`
}

// Decode returns the typed payload of an incident event, as a pointer, or
// nil for any other event. An incident event whose payload does not decode
// is an error naming the event. Replay decodes each payload once and hands
// it to both models.
func Decode(e event.Envelope) (any, error) {
	var p any
	switch e.Type {
	case TypeOpened:
		p = new(Opened)
	case TypeLevelChanged:
		p = new(LevelChanged)
	case TypeEntryRecorded:
		p = new(EntryRecorded)
	case TypeClosed:
		p = new(Closed)
	default:
		return nil, nil
	}
	if err := e.Unmarshal(p); err != nil {
		return nil, err
	}
	return p, nil
}
