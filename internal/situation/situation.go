// Package situation closes both directions of the situation picture. Units
// report their status in reporting rounds (enhetsrapporter); the staff sees
// them rolled up per hospital and for the region, turns them into a
// versioned situation picture (lägesbild), approves it and publishes it to
// every unit with receipts.
//
// The package is pure: commands are checked against the Book (the model of
// every round, report and picture, one type for both the write and the read
// model, as in dispatch) and return events. The call to report, the
// reminder and the published picture go out as dispatches: the commands
// return the dispatch's event with their own, for one atomic write, and the
// dispatch engine sends and escalates them like any other.
//
// Time is bitemporal as in internal/incident: every query takes an
// incident.AsOf; At keeps what had occurred by then (as known now), KnownAt
// what Fyr had been told by then.
package situation

import (
	"time"

	"fyr/internal/dispatch"
	"fyr/internal/incident"
)

// RoundID identifies a reporting round.
type RoundID string

// ReportID identifies one version of a unit report.
type ReportID string

// PictureID identifies one version of a situation picture.
type PictureID string

// OperatingState is how a unit is running.
type OperatingState string

const (
	Normal  OperatingState = "normal"
	Limited OperatingState = "limited" // begränsad drift
	Closed  OperatingState = "closed"  // stängd
)

// OperatingStates lists the states, best first.
var OperatingStates = []OperatingState{Normal, Limited, Closed}

// SystemState is how a unit experiences an IT system.
type SystemState string

const (
	Up       SystemState = "up"
	Degraded SystemState = "degraded"
	Down     SystemState = "down"
)

// SystemStates lists the system states, best first.
var SystemStates = []SystemState{Up, Degraded, Down}

// Status is where a picture version stands.
type Status string

const (
	Draft     Status = "draft"
	Approved  Status = "approved"
	Published Status = "published"
	Discarded Status = "discarded" // a draft or approved version set aside unpublished
)

// Statuses lists where a version can stand, in its life's order.
var Statuses = []Status{Draft, Approved, Published, Discarded}

// Limits of a report. Numbers above these are impossible for one unit.
const (
	MaxCount   = 100000 // staff or beds of one unit
	MaxItems   = 50     // systems, supplies or needs in one report
	MaxName    = 100    // a system's or an article's name
	MaxNote    = 500    // a note, a need
	MaxText    = incident.MaxText
	MaxAhead   = dispatch.MaxDeadline // how far ahead a round's deadline may lie
	MaxSkew    = incident.MaxSkew
	ReminderIn = 30 * time.Minute // the receipt deadline of a reminder
)

// Event types (append-only contract).
const (
	TypeRoundOpened      = "situation.round_opened"
	TypeRoundClosed      = "situation.round_closed"
	TypeRoundReopened    = "situation.round_reopened"
	TypeRoundReminded    = "situation.round_reminded"
	TypeReportFiled      = "situation.report_filed"
	TypePictureDrafted   = "situation.picture_drafted"
	TypePictureRevised   = "situation.picture_revised"
	TypePictureApproved  = "situation.picture_approved"
	TypePicturePublished = "situation.picture_published"
	TypePictureDiscarded = "situation.picture_discarded"
	TypeFourEyesSet      = "situation.four_eyes_set"
)

// RoundOpened starts a reporting round; its call to report is the dispatch
// created in the same write.
type RoundOpened struct {
	Round    RoundID           `json:"round"`
	Incident incident.ID       `json:"incident"`
	Title    string            `json:"title"`
	Note     string            `json:"note,omitempty"`
	Audience dispatch.Audience `json:"audience"`
	Units    []string          `json:"units"` // the audience resolved, sorted
	Deadline time.Time         `json:"deadline"`
	Dispatch dispatch.ID       `json:"dispatch"`
	Author   string            `json:"author"`
}

// RoundClosed stops a round from taking reports.
type RoundClosed struct {
	Round  RoundID `json:"round"`
	Author string  `json:"author"`
}

// RoundReopened lets a closed round take reports again, optionally by a
// new deadline.
type RoundReopened struct {
	Round    RoundID   `json:"round"`
	Deadline time.Time `json:"deadline,omitzero"`
	Author   string    `json:"author"`
}

// RoundReminded records the one reminder of a round: a dispatch to exactly
// the units whose report was missing at the deadline.
type RoundReminded struct {
	Round    RoundID     `json:"round"`
	Dispatch dispatch.ID `json:"dispatch"`
	Units    []string    `json:"units"`
}

// Staffing is a unit's staff on this shift.
type Staffing struct {
	Present int `json:"present"`
	Missing int `json:"missing"`
}

// Beds are a unit's beds: Total in operation now (vårdplatser i drift) and
// Occupied (belagda). Available is the difference. A unit cannot have more
// occupied beds than it has in operation: overcrowding (överbeläggning)
// belongs in the needs or the free text.
type Beds struct {
	Total    int `json:"total"`
	Occupied int `json:"occupied"`
}

// Available is the number of free beds.
func (b Beds) Available() int { return b.Total - b.Occupied }

// SystemStatus is an IT system as the unit experiences it. The name is the
// organisation's or free text; Book.SystemNames lists the names seen.
type SystemStatus struct {
	Name  string      `json:"name"`
	State SystemState `json:"state"`
	Note  string      `json:"note,omitempty"`
}

// Supply is a critical supply running low.
type Supply struct {
	Name string `json:"name"`
	Note string `json:"note,omitempty"`
}

// Values are what a unit reports.
type Values struct {
	State    OperatingState `json:"state"`
	Staff    Staffing       `json:"staff"`
	Beds     Beds           `json:"beds"`
	Systems  []SystemStatus `json:"systems,omitempty"`
	Supplies []Supply       `json:"supplies,omitempty"`
	Needs    []string       `json:"needs,omitempty"`
	Text     string         `json:"text,omitempty"`
}

// ReportFiled is one version of a unit's report in a round.
type ReportFiled struct {
	Report   ReportID    `json:"report"`
	Round    RoundID     `json:"round"`
	Incident incident.ID `json:"incident"`
	Unit     string      `json:"unit"`
	Version  int         `json:"version"` // 1 for the unit's first report in the round
	Values
	By       string `json:"by"`                 // the reporter's name
	Username string `json:"username,omitempty"` // the account that filed it
	// OnBehalf marks a report the staff recorded from a call (Channel
	// "phone"); a unit account files its own in-app.
	OnBehalf bool   `json:"on_behalf,omitempty"`
	Channel  string `json:"channel"`
	Late     bool   `json:"late,omitempty"` // occurred after the round's deadline
}

// Level is a scope's readiness level as a picture states it.
type Level struct {
	Scope string         `json:"scope"`
	Name  string         `json:"name"`
	Level incident.Level `json:"level"`
}

// Measure is a planned measure of the direction (inriktning).
type Measure struct {
	What     string    `json:"what"`
	Owner    string    `json:"owner"`
	Deadline time.Time `json:"deadline,omitzero"`
	Task     string    `json:"task,omitempty"` // the journal task entry it comes from, if any
}

// Consequences are the picture's consequences by area.
type Consequences struct {
	PatientSafety string `json:"patient_safety"`
	Capacity      string `json:"capacity"`
	Staff         string `json:"staff"`
	Supplies      string `json:"supplies"`
	PersonalData  string `json:"personal_data"`
	Media         string `json:"media"`
}

// Content is the text of a situation picture.
type Content struct {
	Event         string       `json:"event"`
	Levels        []Level      `json:"levels,omitempty"`
	Scope         string       `json:"scope"`
	Affected      []string     `json:"affected,omitempty"` // affected unit ids
	Consequences  Consequences `json:"consequences"`
	Actions       string       `json:"actions"`   // actions and decisions since the last version
	Resources     string       `json:"resources"` // resources and needs
	Coordination  string       `json:"coordination"`
	Communication string       `json:"communication"`
	Forecast      string       `json:"forecast"`
	Direction     []Measure    `json:"direction,omitempty"`
	Reporting     string       `json:"reporting"` // reporting status (IMY, CSIRT, IVO, Socialstyrelsen, länsstyrelsen)
	NextBriefing  time.Time    `json:"next_briefing,omitzero"`
	// Audience is who the published picture is dispatched to; empty means
	// every unit.
	Audience dispatch.Audience `json:"audience"`
}

// Basis is what a draft was prefilled from, so that its figures can be
// traced to the reports and journal entries behind them.
type Basis struct {
	Round   RoundID    `json:"round,omitempty"`
	Reports []ReportID `json:"reports,omitempty"`
	Entries []string   `json:"entries,omitempty"`
	Since   time.Time  `json:"since,omitzero"` // the previous published version's time
}

// PictureDrafted starts a new version of the picture as a draft.
type PictureDrafted struct {
	Picture  PictureID   `json:"picture"`
	Incident incident.ID `json:"incident"`
	Version  int         `json:"version"`
	Content  Content     `json:"content"`
	Basis    Basis       `json:"basis"`
	Author   string      `json:"author"`
	Function string      `json:"function,omitempty"`
}

// PictureRevised replaces a draft's content (before approval).
type PictureRevised struct {
	Picture PictureID `json:"picture"`
	Content Content   `json:"content"`
	Author  string    `json:"author"`
}

// PictureApproved approves a draft for publishing.
type PictureApproved struct {
	Picture  PictureID `json:"picture"`
	By       string    `json:"by"`
	Function string    `json:"function,omitempty"`
}

// PicturePublished publishes an approved version; its dispatch is created
// in the same write.
type PicturePublished struct {
	Picture  PictureID   `json:"picture"`
	Dispatch dispatch.ID `json:"dispatch"`
	By       string      `json:"by"`
}

// PictureDiscarded sets an unpublished version aside, so that a new one
// can be started; it stays in the history with its reason.
type PictureDiscarded struct {
	Picture PictureID `json:"picture"`
	Reason  string    `json:"reason"`
	By      string    `json:"by"`
}

// FourEyesSet turns the four-eyes rule on or off: under it the author of a
// draft may not approve it. It is on until an event turns it off.
type FourEyesSet struct {
	Enabled bool   `json:"enabled"`
	By      string `json:"by"`
}
