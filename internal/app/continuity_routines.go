package app

import (
	"time"

	"fyr/internal/dispatch"
	"fyr/internal/event"
	"fyr/internal/incident"
)

// What backup routines in an incident need of the others
// (continuity/routines_incident.go), satisfied over the write model.

// continuityDispatches sends the message that activates a routine (a
// message dispatch, as the staff would write it) and records a unit's
// receipt of it when the unit reports the routine.
type continuityDispatches struct{ f *Facts }

func (d continuityDispatches) Send(c dispatch.Create, by event.Actor, now time.Time) (dispatch.Created, []event.Draft, error) {
	_, drafts, err := c.Decide(d.f.Incidents, d.f.Units, by, now)
	if err != nil {
		return dispatch.Created{}, nil, err
	}
	return drafts[0].Payload.(dispatch.Created), drafts, nil
}

func (d continuityDispatches) Addressed(id dispatch.ID, unit string) bool {
	_, ok := d.f.Dispatches.UnitState(id, unit)
	return ok
}

func (d continuityDispatches) Acknowledge(c dispatch.Acknowledge, username string) ([]event.Draft, error) {
	return c.Decide(d.f.Dispatches, username)
}

// CheckOpen refuses an unknown or closed incident.
func (j journalOf) CheckOpen(id incident.ID) error { return j.f.Incidents.CheckOpen(id) }

// RecordRoutineReport writes the journal's record of a unit's report of a
// backup routine (info_in): the incident must be open.
func (j journalOf) RecordRoutineReport(inc incident.ID, text string, who event.Actor, now time.Time) ([]event.Draft, error) {
	return incident.Record{Incident: inc, Kind: incident.InfoIn, Text: text, Function: who.Function,
		Channel: "Fyr", Verified: true}.Decide(j.f.Incidents, who, now)
}
