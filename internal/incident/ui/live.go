package incidentui

import (
	"bytes"

	"fyr/internal/auth"
	"fyr/internal/event"
	"fyr/internal/incident"
	"fyr/internal/web"
)

// entryData is the "entry" frame: an entry's HTML for the journal's list,
// which replaces the entry with that id or adds it.
type entryData struct {
	ID   string `json:"id"`
	HTML string `json:"html"`
}

// publish sends a new entry to the pages that follow its journal, with an
// earlier entry it corrects or updates: that one now shows its link, so it
// is sent again (the page replaces it). Rendered once per language read.
// Any other incident event (opened, a level, closed) also changes the
// banner and the levels box: the shell sends those after the entry.
func (m *Module) publish(e event.Envelope, out web.LiveOut) {
	m.publishEntries(e, out)
	if e.Type != incident.TypeEntryRecorded {
		var ref struct {
			Incident incident.ID `json:"incident"`
		}
		if e.Unmarshal(&ref) == nil {
			out.SendLevels(ref.Incident)
		}
	}
}

func (m *Module) publishEntries(e event.Envelope, out web.LiveOut) {
	var ref struct {
		Incident incident.ID `json:"incident"`
		EntryID  string      `json:"entry_id"`
		ID       string      `json:"id"`
	}
	if e.Unmarshal(&ref) != nil {
		return
	}
	if ref.EntryID == "" {
		ref.EntryID = ref.ID
	}
	ids := []string{ref.EntryID}
	var links struct {
		Corrects string `json:"corrects"`
		Task     *struct {
			Updates string `json:"updates"`
		} `json:"task"`
	}
	if e.Type == incident.TypeEntryRecorded && e.Unmarshal(&links) == nil {
		if links.Corrects != "" {
			ids = append(ids, links.Corrects)
		}
		if links.Task != nil && links.Task.Updates != "" {
			ids = append(ids, links.Task.Updates)
		}
	}
	langs := out.JournalLangs()
	if len(langs) == 0 {
		return
	}
	names := m.scopeNames()
	frames := map[web.Lang][][]byte{}
	for _, lang := range langs {
		for _, id := range ids {
			if entry, ok := m.svc.Entry(ref.Incident, id); ok {
				frames[lang] = append(frames[lang], out.Frame("entry", entryData{entry.ID, m.entryHTML(lang, entry, names)}))
			}
		}
	}
	out.SendJournal(ref.Incident, frames)
}

// catchUp writes the entries recorded after since, and the earlier entries
// they correct or update (which now show a link to them), in journal order.
func (m *Module) catchUp(p auth.Principal, lang web.Lang, id incident.ID, since uint64, buf *bytes.Buffer) uint64 {
	entries, err := m.svc.JournalSince(p, id, since)
	if err != nil {
		return 0
	}
	resend := map[string]bool{}
	for _, e := range entries {
		if e.Seq > since {
			resend[e.ID] = true
			resend[e.Corrects] = true
			if e.Task != nil {
				resend[e.Task.Updates] = true
			}
		}
	}
	names := m.scopeNames()
	var sent uint64
	for _, e := range entries {
		if resend[e.ID] {
			buf.Write(web.LiveFrame(e.Seq, "entry", entryData{e.ID, m.entryHTML(lang, e, names)}))
			sent = max(sent, e.Seq)
		}
	}
	return sent
}

// entryHTML is one entry as the journal's list shows it.
func (m *Module) entryHTML(lang web.Lang, e incident.Entry, names map[string]string) string {
	h, err := m.sh.Partial("entry", m.entryViewOf(lang, e, names))
	if err != nil {
		m.sh.Logger().Error("render entry", "incident_id", e.Incident, "err", err)
	}
	return string(h)
}
