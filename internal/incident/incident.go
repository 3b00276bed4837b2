// Package incident keeps incidents, their readiness levels per scope and the
// staff journal. Commands are checked by the pure Decide functions against
// Facts (the write model); View is the read model with the whole history,
// from which point-in-time views are answered.
package incident

import (
	"time"
)

// ID identifies an incident.
type ID string

// Level is a readiness level (beredskapsläge).
type Level string

const (
	Normal        Level = "normal"
	Staff         Level = "staff"         // stabsläge
	Reinforcement Level = "reinforcement" // förstärkningsläge
	Disaster      Level = "disaster"      // katastrofläge
)

// Levels lists the levels from lowest to highest.
var Levels = []Level{Normal, Staff, Reinforcement, Disaster}

// Rank orders levels; -1 for an unknown one.
func (l Level) Rank() int {
	for i, x := range Levels {
		if x == l {
			return i
		}
	}
	return -1
}

// Valid reports whether l is a known level.
func (l Level) Valid() bool { return l.Rank() >= 0 }

// RegionScope is the scope of the regional crisis staff (RSSL). Any other
// scope is the id of a hospital unit (LSSL).
const RegionScope = "region"

// Kind is a journal entry kind.
type Kind string

const (
	InfoIn       Kind = "info_in"
	InfoOut      Kind = "info_out"
	Decision     Kind = "decision"
	Task         Kind = "task"
	Coordination Kind = "coordination"
	LevelChange  Kind = "level_change"
	Report       Kind = "report"
)

// Kinds lists every entry kind.
var Kinds = []Kind{InfoIn, InfoOut, Decision, Task, Coordination, LevelChange, Report}

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool {
	for _, x := range Kinds {
		if x == k {
			return true
		}
	}
	return false
}

// TaskStatus is the state of a task.
type TaskStatus string

const (
	TaskOpen    TaskStatus = "open"
	TaskStarted TaskStatus = "started"
	TaskDone    TaskStatus = "done"
	TaskDropped TaskStatus = "cancelled"
)

// TaskStatuses lists the task statuses.
var TaskStatuses = []TaskStatus{TaskOpen, TaskStarted, TaskDone, TaskDropped}

// DecisionInfo is what a decision entry carries beyond its text.
type DecisionInfo struct {
	DecisionMaker string    `json:"decision_maker"`
	Mandate       string    `json:"mandate,omitempty"`
	Rationale     string    `json:"rationale,omitempty"`
	ValidUntil    time.Time `json:"valid_until,omitzero"`
	Inform        []string  `json:"inform,omitempty"` // who must be informed
}

// TaskInfo is what a task entry carries beyond its text. An entry that
// updates a task (status, report-back) names it in Updates.
type TaskInfo struct {
	Owner      string     `json:"owner"`
	Deadline   time.Time  `json:"deadline,omitzero"`
	Status     TaskStatus `json:"status"`
	ReportBack string     `json:"report_back,omitempty"`
	Updates    string     `json:"updates,omitempty"`
}

// Fields are the recorded, immutable part of a journal entry: what the
// entry_recorded event carries. Times live in the event envelope.
type Fields struct {
	ID       string        `json:"id"`
	Incident ID            `json:"incident"`
	Kind     Kind          `json:"kind"`
	Text     string        `json:"text"`
	Author   string        `json:"author"`
	Function string        `json:"function,omitempty"`
	Source   string        `json:"source,omitempty"`
	Channel  string        `json:"channel,omitempty"`
	From     string        `json:"from,omitempty"`
	To       string        `json:"to,omitempty"`
	Verified bool          `json:"verified"`
	Corrects string        `json:"corrects,omitempty"`
	Dispatch string        `json:"dispatch,omitempty"` // the dispatch an info_out entry records
	Decision *DecisionInfo `json:"decision,omitempty"`
	Task     *TaskInfo     `json:"task,omitempty"`
}

// LevelInfo is what a level_change entry carries.
type LevelInfo struct {
	Scope     string `json:"scope"`
	From      Level  `json:"from"`
	To        Level  `json:"to"`
	DecidedBy string `json:"decided_by"`
}

// Entry is one journal entry (stabsjournal) as the read model shows it.
// Entries are never edited: a correction is a new entry whose Corrects names
// the original, and the original lists it in CorrectedBy.
type Entry struct {
	Fields
	Serial      int        `json:"serial"`
	OccurredAt  time.Time  `json:"occurred_at"`
	RecordedAt  time.Time  `json:"recorded_at"`
	Late        bool       `json:"late"`
	System      string     `json:"system,omitempty"` // "opened" or "closed" for entries Fyr writes itself
	Level       *LevelInfo `json:"level,omitempty"`
	CorrectedBy []string   `json:"corrected_by,omitempty"`
	UpdatedBy   []string   `json:"updated_by,omitempty"` // later entries that update this task
	Seq         uint64     `json:"seq"`
}

// LateAfter is how long after the fact an entry may be recorded before it is
// shown as a late entry (efterregistrerad).
const LateAfter = 10 * time.Minute

// MaxSkew is how far in the future an occurred_at may lie (clock skew).
const MaxSkew = 2 * time.Minute

// MaxText is the longest entry text; MaxField the longest short field.
const (
	MaxText  = 20000
	MaxField = 500
)

// LevelState is the level of one scope since a moment.
type LevelState struct {
	Scope     string    `json:"scope"`
	Level     Level     `json:"level"`
	Since     time.Time `json:"since"`
	DecidedBy string    `json:"decided_by,omitempty"`
	Function  string    `json:"function,omitempty"`
	Reason    string    `json:"reason,omitempty"`
	EntryID   string    `json:"entry_id,omitempty"`
}
