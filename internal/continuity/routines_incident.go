package continuity

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"fyr/internal/dispatch"
	"fyr/internal/event"
	"fyr/internal/fail"
	"fyr/internal/incident"
)

// Backup routines in an incident (issue 11, point 5): the staff activate a
// routine for an audience of units — it goes out as a dispatch with
// receipts and escalation, so every unit learns which routine to use — and
// the units report it as started, working or not working. The activation,
// its dispatch and its journal entry are one atomic write; a report is the
// unit's receipt of the activation too (the unit evidently knows the
// routine), so the escalation for the unit stops.

// Event types of routines in an incident.
const (
	TypeRoutineActivated = "continuity.routine_activated"
	TypeRoutineReported  = "continuity.routine_reported"
)

// ActivationID names one activation of a routine in an incident.
type ActivationID string

// RoutineState is what a unit reports of a routine it was told to use.
type RoutineState string

const (
	Started    RoutineState = "started"
	Working    RoutineState = "working"
	NotWorking RoutineState = "not_working"
)

// RoutineStates lists the states a unit reports, in the order a routine
// goes through them.
var RoutineStates = []RoutineState{Started, Working, NotWorking}

// RoutineActivated is the payload of TypeRoutineActivated: the routine as it
// was sent (its title and steps then), to the units the audience resolved to.
type RoutineActivated struct {
	Activation ActivationID      `json:"activation"`
	Incident   incident.ID       `json:"incident"`
	Routine    string            `json:"routine"`
	Title      string            `json:"title"`
	Steps      []string          `json:"steps"`
	Note       string            `json:"note,omitempty"`
	Audience   dispatch.Audience `json:"audience"`
	Units      []string          `json:"units"`
	Dispatch   dispatch.ID       `json:"dispatch"`
	By         string            `json:"by"`
}

// RoutineReported is the payload of TypeRoutineReported.
type RoutineReported struct {
	Activation ActivationID `json:"activation"`
	Incident   incident.ID  `json:"incident"`
	Routine    string       `json:"routine"`
	Unit       string       `json:"unit"`
	State      RoutineState `json:"state"`
	Note       string       `json:"note,omitempty"`
	By         string       `json:"by"`
	Username   string       `json:"username"`
	OnBehalf   bool         `json:"on_behalf,omitempty"` // the staff reported for the unit
	Entry      string       `json:"entry,omitempty"`     // the journal entry, when one was written
}

// Dispatches is what an activation needs of the dispatch capability: send
// the message that carries the routine, see whether it went to a unit, and
// record a unit's receipt. app satisfies it over the write model.
type Dispatches interface {
	// Send checks c as a dispatch the staff writes is checked (the
	// incident open, the audience resolved, the channels known) and
	// returns what it creates and its events.
	Send(c dispatch.Create, by event.Actor, now time.Time) (dispatch.Created, []event.Draft, error)
	Addressed(id dispatch.ID, unit string) bool
	Acknowledge(c dispatch.Acknowledge, username string) ([]event.Draft, error)
}

// RoutineJournal is what routines in an incident need of the incidents:
// that one is open, the journal's record of the activation's dispatch
// (info_out), and of a unit's report (info_in).
type RoutineJournal interface {
	CheckOpen(id incident.ID) error
	RecordDispatch(sent dispatch.Created, text string, by event.Actor, now time.Time) ([]event.Draft, error)
	RecordRoutineReport(inc incident.ID, text string, by event.Actor, now time.Time) ([]event.Draft, error)
}

// Limits of an activation.
const (
	// DefaultReceipt is how long the units have to acknowledge an
	// activation when the staff name no deadline.
	DefaultReceipt = 30 * time.Minute
)

// Activate sends a routine to an audience of units in an incident.
type Activate struct {
	Incident   incident.ID          `json:"-"`
	Routine    string               `json:"routine"`
	Audience   dispatch.Audience    `json:"audience"`
	Note       string               `json:"note"`
	Deadline   time.Time            `json:"deadline"` // for the receipts; now + 30 minutes when zero
	Channels   []string             `json:"channels"`
	Escalation *dispatch.Escalation `json:"escalation"`
}

// Decide checks an activation and returns its dispatch (a message naming
// the routine with its steps), the activation and the journal entry.
func (c Activate) Decide(m WriteModel, by event.Actor, now time.Time) (ActivationID, []event.Draft, error) {
	if m.Dispatches == nil || m.RoutineJournal == nil || m.Board == nil {
		return "", nil, fmt.Errorf("activate routine: the write model lacks the dispatches or the journal")
	}
	c.Routine = strings.TrimSpace(c.Routine)
	if c.Routine == "" {
		return "", nil, fail.Field("routine", "is required")
	}
	rt, ok := m.Registry.Routine(c.Routine)
	if !ok {
		return "", nil, fail.Field("routine", "unknown routine %q", c.Routine)
	}
	if err := m.RoutineJournal.CheckOpen(c.Incident); err != nil {
		return "", nil, err
	}
	if err := fail.Text("note", c.Note, MaxNote, false); err != nil {
		return "", nil, err
	}
	deadline := c.Deadline
	if deadline.IsZero() {
		deadline = now.Add(DefaultReceipt)
	}
	var body strings.Builder
	if n := strings.TrimSpace(c.Note); n != "" {
		body.WriteString(n + "\n\n")
	}
	body.WriteString("Använd reservrutinen ”" + rt.Title + "” och rapportera i Fyr när den är igång, om den fungerar eller inte.\n")
	for i, s := range rt.Steps {
		fmt.Fprintf(&body, "\n%d. %s", i+1, s)
	}
	if rt.PaperCopy != "" {
		body.WriteString("\n\nPappersexemplar: " + rt.PaperCopy)
	}
	created, drafts, err := m.Dispatches.Send(dispatch.Create{Incident: c.Incident, Kind: dispatch.KindMessage,
		Title: firstRunes("Reservrutin: "+rt.Title, dispatch.MaxTitle), Body: body.String(), Audience: c.Audience,
		Deadline: deadline, Escalation: c.Escalation, Channels: c.Channels}, by, now)
	if err != nil {
		return "", nil, err
	}
	id := ActivationID(event.NewID())
	drafts = append(drafts, event.Draft{Type: TypeRoutineActivated, Subject: string(c.Incident), Actor: by.Username,
		Payload: RoutineActivated{Activation: id, Incident: c.Incident, Routine: rt.ID, Title: rt.Title, Steps: rt.Steps,
			Note: c.Note, Audience: c.Audience, Units: created.Units, Dispatch: created.Dispatch, By: by.Name}})
	entry, err := m.RoutineJournal.RecordDispatch(created, "Reservrutin aktiverad: "+rt.Title, by, now)
	if err != nil {
		return "", nil, err
	}
	return id, append(drafts, entry...), nil
}

// ReportRoutine is a unit's report of a routine it was told to use.
type ReportRoutine struct {
	Incident incident.ID  `json:"-"`
	Routine  string       `json:"-"`
	Unit     string       `json:"unit"`
	State    RoutineState `json:"state"`
	Note     string       `json:"note"`
}

// routineWords are the journal's words for a reported state.
var routineWords = map[RoutineState]string{Started: "har startat", Working: "fungerar", NotWorking: "fungerar INTE"}

// Decide checks a report against the routine's activations and returns its
// event with the unit's receipt of the activation, and a journal entry when
// the staff must hear of it: the routine does not work, or works again.
// Who may report for the unit is checked by the caller (the service).
func (c ReportRoutine) Decide(m WriteModel, by event.Actor, onBehalf bool, unitName string, now time.Time) ([]event.Draft, error) {
	if m.Dispatches == nil || m.RoutineJournal == nil || m.Board == nil {
		return nil, fmt.Errorf("report routine: the write model lacks the dispatches or the journal")
	}
	if !slices.Contains(RoutineStates, c.State) {
		return nil, fail.Field("state", "%q is not a state: started, working or not_working", string(c.State))
	}
	c.Note = strings.TrimSpace(c.Note)
	if err := fail.Text("note", c.Note, MaxNote, c.State == NotWorking); err != nil {
		return nil, err
	}
	if err := m.RoutineJournal.CheckOpen(c.Incident); err != nil {
		return nil, err
	}
	act, prev, ok := m.Board.activationFor(c.Incident, c.Routine, c.Unit)
	if !ok {
		if !m.Board.activated(c.Incident, c.Routine) {
			return nil, fail.New(fail.NotFound, "routine %q is not activated in this incident", c.Routine)
		}
		return nil, fail.Field("unit", "unit %q was not told to use routine %q in this incident", c.Unit, c.Routine)
	}
	p := RoutineReported{Activation: act.Activation, Incident: c.Incident, Routine: c.Routine, Unit: c.Unit, State: c.State,
		Note: c.Note, By: by.Name, Username: by.Username, OnBehalf: onBehalf}
	var entry []event.Draft
	if c.State == NotWorking || prev == NotWorking {
		text := fmt.Sprintf("Reservrutin ”%s”: %s meddelar att den %s", act.Title, unitName, routineWords[c.State])
		if c.Note != "" {
			text += ". " + c.Note
		}
		var err error
		if entry, err = m.RoutineJournal.RecordRoutineReport(c.Incident, text, by, now); err != nil {
			return nil, err
		}
		if len(entry) > 0 {
			if e, ok := entry[0].Payload.(incident.EntryRecorded); ok {
				p.Entry = e.ID
			}
		}
	}
	drafts := []event.Draft{{Type: TypeRoutineReported, Subject: string(c.Incident), Actor: by.Username, Payload: p}}
	if m.Dispatches.Addressed(act.Dispatch, c.Unit) {
		channel := dispatch.InApp
		if onBehalf {
			channel = dispatch.Phone
		}
		ack, err := m.Dispatches.Acknowledge(dispatch.Acknowledge{Dispatch: act.Dispatch, Unit: c.Unit, By: by, Channel: channel,
			Readback: "Reservrutin rapporterad: " + string(c.State)}, by.Username)
		if err != nil {
			return nil, fmt.Errorf("receipt of dispatch %s by the routine report of unit %s: %w", act.Dispatch, c.Unit, err)
		}
		drafts = append(drafts, ack...)
	}
	return append(drafts, entry...), nil
}

// firstRunes cuts s to at most n runes.
func firstRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
