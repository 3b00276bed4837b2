package app

import (
	"fmt"
	"time"

	"fyr/internal/dispatch"
	"fyr/internal/event"
	"fyr/internal/incident"
	"fyr/internal/situation"
)

// What the situation capability needs of the others (situation/needs.go),
// satisfied over the write model.

// situationModel is situation's view of the write model.
func situationModel(f *Facts) situation.WriteModel {
	return situation.WriteModel{Book: f.Situation, Incidents: f.Incidents, Units: f.Units,
		Dispatches: situationDispatches{f}, Journal: journalOf{f}}
}

// situationDispatches sends and acknowledges the dispatches situation
// carries (a call to report, a reminder, a published picture).
type situationDispatches struct{ f *Facts }

func (d situationDispatches) Send(c dispatch.Create, by event.Actor, now time.Time) (dispatch.Created, []event.Draft, error) {
	_, drafts, err := c.DecideCarried(d.f.Incidents, d.f.Units, by, now)
	if err != nil {
		return dispatch.Created{}, nil, err
	}
	return drafts[0].Payload.(dispatch.Created), drafts, nil
}

func (d situationDispatches) Head(id dispatch.ID) (dispatch.Dispatch, bool) {
	return d.f.Dispatches.Head(id)
}

func (d situationDispatches) Addressed(id dispatch.ID, unit string) bool {
	_, ok := d.f.Dispatches.UnitState(id, unit)
	return ok
}

func (d situationDispatches) Acknowledge(c dispatch.Acknowledge, username string) ([]event.Draft, error) {
	return c.Decide(d.f.Dispatches, username)
}

// journalOf writes the journal's record of a dispatch.
type journalOf struct{ f *Facts }

// RecordDispatch returns the journal entry (info_out) that records a
// dispatch, linked to it.
func (j journalOf) RecordDispatch(sent dispatch.Created, text string, who event.Actor, now time.Time) ([]event.Draft, error) {
	return incident.Record{Incident: sent.Incident, Kind: incident.InfoOut, Function: who.Function, Channel: "Fyr",
		Text: fmt.Sprintf("%s (till %d enheter, kvittens senast %s)", text, len(sent.Units),
			sent.Deadline.In(stockholm).Format("2006-01-02 15:04")),
		To: "Enheter i utskicket", Verified: true, Dispatch: string(sent.Dispatch)}.Decide(j.f.Incidents, who, now)
}

// journalDispatch adds to drafts the journal entry (info_out) that records
// the dispatch among them, as CreateDispatch does for a dispatch the staff
// writes.
func journalDispatch(f *Facts, who event.Actor, drafts []event.Draft, text string, now time.Time) ([]event.Draft, error) {
	for _, d := range drafts {
		if created, ok := d.Payload.(dispatch.Created); ok {
			entry, err := journalOf{f}.RecordDispatch(created, text, who, now)
			if err != nil {
				return nil, err
			}
			return append(drafts, entry...), nil
		}
	}
	return drafts, nil
}
