package app

import (
	"fyr/internal/tz"
	"time"

	"fyr/internal/dispatch"
	"fyr/internal/dispatch/engine"
	"fyr/internal/event"
	"fyr/internal/kernel"
)

// What the dispatch capability needs of the others, satisfied here: the
// incidents' write model (dispatch.Incidents) and the directory
// (dispatch.Directory) as they are, and the journal entry that records a
// dispatch (dispatch.Journal) through journalDispatch.

var _ dispatch.Journal = (*Facts)(nil)

// JournalDispatch adds the journal entry that records the dispatch among
// drafts (dispatch.Journal).
func (f *Facts) JournalDispatch(drafts []event.Draft, by event.Actor, text string, now time.Time) ([]event.Draft, error) {
	return journalDispatch(f, by, drafts, text, now)
}

// dispatchModel is the dispatch capability's view of the write model.
func dispatchModel(f *Facts) dispatch.WriteModel {
	return dispatch.WriteModel{Dispatches: f.Dispatches, Incidents: f.Incidents, Units: f.Units, Journal: f}
}

// NewEngine returns the escalation engine of the organisation's
// dispatches; transports maps channel names to adapters.
func (s *App) NewEngine(transports map[string]engine.Transport, baseURL string) *engine.Engine {
	return engine.New(engine.Config{Run: kernel.View(s.k, dispatchModel), View: s.P.dispatches, Sign: s.Dispatch.ReceiptLink,
		Listen: s.Listen, Logger: s.log}, transports, baseURL)
}

// stockholm is the time zone of the times Fyr writes.
var stockholm = tz.Stockholm
