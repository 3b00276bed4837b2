package dispatchui

import (
	"fyr/internal/dispatch"
	"fyr/internal/event"
	"fyr/internal/incident"
	"fyr/internal/web"
)

// publish keeps the open pages in step with a dispatch event: a new
// dispatch appears in the inboxes of its units, an acknowledgement tells
// the unit's pages that it no longer waits, and the coverage board (and
// every list that shows the dispatch's figure) of the journal readers
// following its incident gets the new summary and the unit's row.
func (m *Module) publish(e event.Envelope, out web.LiveOut) {
	switch e.Type {
	case dispatch.TypeCreated:
		m.publishInbox(e, out)
	case dispatch.TypeAcknowledged:
		m.publishUnitAck(e, out) // the unit page
	}
	langs := out.JournalLangs()
	if len(langs) == 0 {
		return
	}
	frames := make(map[web.Lang][][]byte, len(langs))
	var inc incident.ID
	for _, lang := range langs {
		id, frame := m.coverageMsgs(lang, e, out)
		if frame == nil {
			return
		}
		inc, frames[lang] = id, [][]byte{frame}
	}
	out.SendJournal(inc, frames)
}

// publishInbox tells every connected account of an addressed unit that a
// dispatch has arrived: one frame per language, encoded once, for however
// many units and connections.
func (m *Module) publishInbox(e event.Envelope, out web.LiveOut) {
	var c dispatch.Created
	if e.Unmarshal(&c) != nil {
		return
	}
	frames := map[web.Lang][]byte{}
	for _, lang := range []web.Lang{web.Swedish, web.English} {
		frames[lang] = out.Frame("inbox", inboxData{Dispatch: c.Dispatch, Title: c.Title,
			HTML: m.sh.Fragment("inbox-item", inboxItemView{lang, c})})
	}
	out.SendUnits(frames, c.Units...)
}

type inboxData struct {
	Dispatch dispatch.ID `json:"dispatch"`
	Title    string      `json:"title"`
	HTML     string      `json:"html"`
}

type inboxItemView struct {
	Lang    web.Lang
	Created dispatch.Created
}

// publishUnitAck tells the pages of an acknowledging unit (its unit page,
// open on the phones of the unit's contacts) that one of its dispatches is
// now acknowledged — perhaps by another contact, by SMS or by the staff
// from a phone call — so that the page stops asking for it. The frame
// carries no content: the page fetches its part again.
func (m *Module) publishUnitAck(e event.Envelope, out web.LiveOut) {
	var a dispatch.Acknowledged
	if e.Unmarshal(&a) != nil || a.Unit == "" {
		return
	}
	frame := out.Frame("unit", inboxData{Dispatch: a.Dispatch})
	out.SendUnits(map[web.Lang][]byte{web.Swedish: frame, web.English: frame}, a.Unit)
}

// coverageMsgs renders the live update of a dispatch event: the summary,
// and the row of the unit it concerns.
func (m *Module) coverageMsgs(lang web.Lang, e event.Envelope, out web.LiveOut) (incident.ID, []byte) {
	var ref struct {
		Dispatch dispatch.ID `json:"dispatch"`
		Unit     string      `json:"unit"`
	}
	if e.Unmarshal(&ref) != nil {
		return "", nil
	}
	d, ok := m.svc.Head(ref.Dispatch)
	if !ok {
		return "", nil
	}
	data := coverageData{Dispatch: d.Dispatch, Summary: m.sh.Fragment("coverage", coverageView{lang, d}),
		Figure: figure{lang, d.Dispatch, d.Acked, len(d.Units)}.Text()}
	if st, ok := m.svc.UnitState(ref.Dispatch, ref.Unit); ok {
		data.Unit, data.Row = st.Unit, m.sh.Fragment("unit-row", unitRowView{lang, st, m.dir.UnitName(st.Unit)})
	}
	return d.Incident, out.Frame("coverage", data)
}

type coverageData struct {
	Dispatch dispatch.ID `json:"dispatch"`
	Summary  string      `json:"summary"`
	Figure   string      `json:"figure"` // "Kvitterat 1 av 299", wherever the dispatch is listed
	Unit     string      `json:"unit,omitempty"`
	Row      string      `json:"row,omitempty"`
}
