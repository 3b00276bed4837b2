package incidentui

// The staff journal's pages, export and API beyond the incident page
// itself: pages with a cursor, the streamed CSV export in the user's
// language, the confirmation after saving, and the task board.

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	"fyr/internal/auth"
	"fyr/internal/fail"
	"fyr/internal/incident"
	"fyr/internal/safecsv"
	"fyr/internal/web"
)

func init() { web.AddMessages(journalMessages) }

var journalMessages = map[string][2]string{
	"jr.saved":        {"Sparad: post", "Saved: entry"},
	"jr.saved.show":   {"Visa posten", "Show the entry"},
	"jr.pages":        {"Journalens sidor", "Journal pages"},
	"jr.older":        {"Äldre poster", "Older entries"},
	"jr.newer":        {"Nyare poster", "Newer entries"},
	"jr.latest":       {"Senaste posterna", "Latest entries"},
	"jr.showing":      {"Visar post", "Showing entries"},
	"jr.of":           {"av", "of"},
	"jr.hits":         {"träffar på sidan", "matches on this page"},
	"jr.yes":          {"ja", "yes"},
	"jr.no":           {"nej", "no"},
	"jr.route":        {"Kanal, från → till", "Channel, from → to"},
	"jr.verified":     {"Verif.", "Verif."},
	"jr.recorded":     {"registrerad", "recorded"},
	"jr.csv.file":     {"stabsjournal", "staff-journal"},
	"tb.title":        {"Uppdragstavla", "Task board"},
	"tb.open":         {"Öppna uppdrag", "Open tasks"},
	"tb.open.note":    {"Försenade först, sedan efter ansvarig och tid.", "Overdue first, then by owner and deadline."},
	"tb.none":         {"Inga öppna uppdrag.", "No open tasks."},
	"tb.closed":       {"Klara och avbrutna", "Done and cancelled"},
	"tb.overdue":      {"Försenat", "Overdue"},
	"tb.task":         {"Uppdrag", "Task"},
	"tb.no_deadline":  {"ingen tid satt", "no deadline"},
	"tb.count":        {"öppna", "open"},
	"tb.of_which":     {"varav försenade", "overdue"},
	"tb.updated":      {"Uppdaterad", "Updated"},
	"tb.back":         {"Till händelsen", "Back to the incident"},
	"tb.live":         {"Uppdateras direkt", "Updates live"},
	"jcsv.serial":     {"Nr", "No."},
	"jcsv.kind":       {"Typ", "Kind"},
	"jcsv.occurred":   {"Inträffade", "Occurred"},
	"jcsv.recorded":   {"Registrerad", "Recorded"},
	"jcsv.late":       {"Efterregistrerad", "Late entry"},
	"jcsv.author":     {"Författare", "Author"},
	"jcsv.function":   {"Funktion", "Function"},
	"jcsv.source":     {"Källa", "Source"},
	"jcsv.channel":    {"Kanal", "Channel"},
	"jcsv.from":       {"Från", "From"},
	"jcsv.to":         {"Till", "To"},
	"jcsv.verified":   {"Verifierad", "Verified"},
	"jcsv.text":       {"Text", "Text"},
	"jcsv.corrects":   {"Rättar post", "Corrects entry"},
	"jcsv.scope":      {"Omfattning", "Scope"},
	"jcsv.level_from": {"Från beredskapsläge", "Level from"},
	"jcsv.level_to":   {"Till beredskapsläge", "Level to"},
	"jcsv.dm":         {"Beslutsfattare", "Decision-maker"},
	"jcsv.mandate":    {"Mandat", "Mandate"},
	"jcsv.rationale":  {"Motivering", "Rationale"},
	"jcsv.valid":      {"Gäller till", "Valid until"},
	"jcsv.inform":     {"Ska informeras", "Must be informed"},
	"jcsv.owner":      {"Uppdrag: ansvarig", "Task owner"},
	"jcsv.deadline":   {"Uppdrag: klart senast", "Task deadline"},
	"jcsv.status":     {"Uppdrag: status", "Task status"},
	"jcsv.report":     {"Uppdrag: återrapport", "Task report-back"},
	"jcsv.updates":    {"Uppdaterar uppdrag", "Updates task"},
}

// PageSize is how many entries the incident page shows at a time.
const PageSize = 50

// MaxPageLimit bounds limit= in the API.
const MaxPageLimit = 1000

// parsePage reads limit, after and before. Without limit the API returns
// everything (as before pages existed); the page passes its own default.
func parsePage(r *http.Request, def, most int) (incident.Page, error) {
	v := r.URL.Query()
	pg := incident.Page{Limit: def}
	for _, f := range []struct {
		name string
		dst  *int
		max  int
	}{{"limit", &pg.Limit, most}, {"after", &pg.After, 0}, {"before", &pg.Before, 0}} {
		s := v.Get(f.name)
		if s == "" {
			continue
		}
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || (f.max > 0 && n > f.max) {
			if f.max > 0 {
				return pg, fail.Field(f.name, "must be a whole number from 1 to %d", f.max)
			}
			return pg, fail.Field(f.name, "must be an entry number (1 or more)")
		}
		*f.dst = n
	}
	return pg, nil
}

// pager is what the incident page shows around one page of the journal.
type pager struct {
	Earlier, Later template.URL // the older and newer pages ("" for none)
	Latest         template.URL // the first page, when this is not it
	First, Last    int          // serials at the top and the bottom
	Total          int          // entries in the journal (the filters aside)
	Filtered       bool
	// Export is the query of the print and the CSV: the filters, not the page.
	Export template.URL
}

// pagerOf builds the links of a page that shows newest first: older
// entries come before it (before=), newer after it (after=).
func pagerOf(r *http.Request, inc incident.Incident, out incident.PageOf, filtered bool) pager {
	link := func(name string, serial int, drop ...string) template.URL {
		v := r.URL.Query()
		for _, k := range append(drop, "after", "before", "saved") {
			v.Del(k)
		}
		if name != "" {
			v.Set(name, strconv.Itoa(serial))
		}
		return template.URL("?" + v.Encode()) // built from parsed values: safe
	}
	p := pager{Total: inc.Entries, Filtered: filtered, Export: link("", 0, "limit")}
	if out.Earlier != 0 {
		p.Earlier = link("before", out.Earlier)
	}
	if out.Later != 0 {
		p.Later = link("after", out.Later)
		p.Latest = link("", 0)
	}
	if n := len(out.Entries); n > 0 {
		p.First, p.Last = out.Entries[0].Serial, out.Entries[n-1].Serial
	}
	return p
}

// serialsOf gives the serial numbers of the entries the shown ones link to.
func (m *Module) serialsOf(id incident.ID, entries []incident.Entry) map[string]int {
	out := map[string]int{}
	for _, e := range entries {
		out[e.ID] = e.Serial
	}
	for _, e := range entries {
		ids := append(append([]string{e.Corrects}, e.CorrectedBy...), e.UpdatedBy...)
		if e.Task != nil {
			ids = append(ids, e.Task.Updates)
		}
		for _, x := range ids {
			if _, ok := out[x]; x != "" && !ok {
				if en, ok := m.svc.Entry(id, x); ok {
					out[x] = en.Serial
				}
			}
		}
	}
	return out
}

// entryLink is where an entry can be seen: on the page that shows it, with
// its anchor. A page shows newest first, so after=serial-1 has it last.
func entryLink(id incident.ID, e incident.Entry, shown []incident.Entry) string {
	for _, x := range shown {
		if x.ID == e.ID {
			return "#e-" + e.ID
		}
	}
	if e.Serial <= 1 {
		return "/incidents/" + string(id) + "#e-" + e.ID
	}
	return fmt.Sprintf("/incidents/%s?after=%d#e-%s", id, e.Serial-1, e.ID)
}

// newFormToken identifies one rendering of a form: the same form sent twice
// carries the same token and is written once.
func newFormToken() string {
	var b [16]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// savedEntry reads saved= (the serial the last submission wrote) for the
// confirmation at the top of the page: only for an entry the caller wrote.
func (m *Module) savedEntry(r *http.Request, p auth.Principal, id incident.ID) *incident.Entry {
	n, err := strconv.Atoi(r.URL.Query().Get("saved"))
	if err != nil {
		return nil
	}
	e, ok := m.svc.EntryBySerial(id, n)
	if !ok || e.Author != p.Name {
		return nil
	}
	return &e
}

// journalCSV exports the journal as a timeline in the user's language:
// Swedish with ';' between cells (what Swedish Excel splits on), English
// with ','; UTF-8 with a byte-order mark so that Excel reads å, ä and ö;
// every cell quoted and neutralised (package safecsv). It streams: a long
// journal is read and written a chunk at a time.
func (m *Module) journalCSV(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	id := incident.ID(r.PathValue("id"))
	q, err := web.ParseQuery(r)
	if err != nil {
		return err
	}
	q.ByTime = true
	inc, err := m.svc.Incident(p, id, q.AsOf)
	if err != nil {
		return err
	}
	if err := p.Require(auth.ReadJournal); err != nil {
		return err
	}
	l := web.LangOf(r)
	sep := ';'
	if l == web.English {
		sep = ','
	}
	names := m.scopeNames()
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s-%s.csv"`, web.T(l, "jr.csv.file"), inc.ID))
	w.Header().Set("Cache-Control", "no-store")
	cw := safecsv.NewWriter(w, sep)
	cw.BOM()
	var header []string
	for _, k := range []string{"serial", "kind", "occurred", "recorded", "late", "author", "function", "source", "channel",
		"from", "to", "verified", "text", "corrects", "scope", "level_from", "level_to", "dm", "mandate",
		"rationale", "valid", "inform", "owner", "deadline", "status", "report", "updates"} {
		header = append(header, web.T(l, "jcsv."+k))
	}
	cw.Write(header...)
	ts := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.In(web.Stockholm).Format("2006-01-02T15:04:05.000-07:00")
	}
	yes := func(b bool) string {
		if b {
			return web.T(l, "jr.yes")
		}
		return web.T(l, "jr.no")
	}
	serial := map[string]int{} // of the entries written so far: links point backwards in time mostly
	ref := func(x string) string {
		if x == "" {
			return ""
		}
		if n, ok := serial[x]; ok {
			return strconv.Itoa(n)
		}
		if e, ok := m.svc.Entry(id, x); ok {
			return strconv.Itoa(e.Serial)
		}
		return ""
	}
	fl, _ := w.(http.Flusher)
	err = m.svc.JournalEach(p, id, q, "csv", func(entries []incident.Entry) error {
		for _, e := range entries {
			serial[e.ID] = e.Serial
			row := []string{strconv.Itoa(e.Serial), web.T(l, "kind."+string(e.Kind)), ts(e.OccurredAt), ts(e.RecordedAt), yes(e.Late),
				e.Author, e.Function, e.Source, e.Channel, e.From, e.To, yes(e.Verified), e.Text, ref(e.Corrects)}
			if lv := e.Level; lv != nil {
				scope := web.T(l, "scope.region")
				if lv.Scope != incident.RegionScope {
					scope = names[lv.Scope]
					if scope == "" {
						scope = lv.Scope
					}
				}
				row = append(row, scope, web.T(l, "level."+string(lv.From)), web.T(l, "level."+string(lv.To)))
			} else {
				row = append(row, "", "", "")
			}
			if d := e.Decision; d != nil {
				row = append(row, d.DecisionMaker, d.Mandate, d.Rationale, ts(d.ValidUntil), strings.Join(d.Inform, "; "))
			} else {
				row = append(row, "", "", "", "", "")
			}
			if t := e.Task; t != nil {
				row = append(row, t.Owner, ts(t.Deadline), web.T(l, "task."+string(t.Status)), t.ReportBack, ref(t.Updates))
			} else {
				row = append(row, "", "", "", "", "")
			}
			if err := cw.Write(row...); err != nil {
				return err
			}
		}
		if err := cw.Flush(); err != nil {
			return err
		}
		if fl != nil {
			fl.Flush()
		}
		return nil
	})
	if err != nil {
		// The header is sent: the client sees a cut file; say why in the log.
		m.sh.Logger().Warn("journal export cut short", "incident_id", id, "err", err)
	}
	return nil
}

// tasksPage is the task board of an incident: the open tasks, overdue
// first, then by owner; the done and cancelled below. It follows the
// journal live.
type tasksPage struct {
	web.Base
	Incident     incident.Incident
	Open, Closed []taskRow
	Overdue      int
	Now          time.Time
}

func (m *Module) tasksPage(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	id := incident.ID(r.PathValue("id"))
	inc, err := m.svc.Incident(p, id, incident.AsOf{})
	if err != nil {
		return err
	}
	tasks, err := m.svc.Tasks(p, id)
	if err != nil {
		return err
	}
	l := web.LangOf(r)
	pg := tasksPage{Base: m.sh.Base(r, &p, web.T(l, "tb.title")+" – "+inc.Title), Incident: inc, Now: m.sh.Now()}
	pg.LiveIncident = id
	for _, t := range tasks {
		row := taskRow{t, fmt.Sprintf("/incidents/%s?after=%d#e-%s", id, t.Serial-1, t.ID)}
		if t.Open() {
			pg.Open = append(pg.Open, row)
			if t.Overdue {
				pg.Overdue++
			}
		} else {
			pg.Closed = append(pg.Closed, row)
		}
	}
	m.sh.Render(w, r, "tasks", pg)
	return nil
}

// taskRow is a task and where its entry is seen in the journal.
type taskRow struct {
	incident.TaskState
	Link string
}

// entryFlat is an entry with every field its own, for the entry template:
// text/template finds a field of an embedded struct (Entry embeds Fields)
// only through reflect's slow path, which allocates maps on every lookup —
// most of a journal page's cost before this.
type entryFlat struct {
	ID, Text, Author, Function, Source, Channel, From, To, Corrects, Dispatch, System string
	Incident                                                                          incident.ID
	Kind                                                                              incident.Kind
	Verified, Late                                                                    bool
	Decision                                                                          *incident.DecisionInfo
	Task                                                                              *incident.TaskInfo
	Level                                                                             *incident.LevelInfo
	Serial                                                                            int
	OccurredAt, RecordedAt                                                            time.Time
	CorrectedBy, UpdatedBy                                                            []string
}

func flatEntry(e incident.Entry) entryFlat {
	return entryFlat{ID: e.ID, Text: e.Text, Author: e.Author, Function: e.Function, Source: e.Source, Channel: e.Channel,
		From: e.From, To: e.To, Corrects: e.Corrects, Dispatch: e.Dispatch, System: e.System, Incident: e.Incident,
		Kind: e.Kind, Verified: e.Verified, Late: e.Late, Decision: e.Decision, Task: e.Task, Level: e.Level,
		Serial: e.Serial, OccurredAt: e.OccurredAt, RecordedAt: e.RecordedAt, CorrectedBy: e.CorrectedBy, UpdatedBy: e.UpdatedBy}
}

// entryView is what the "entry" template shows of one entry.
type entryView struct {
	Lang  web.Lang
	Entry entryFlat
	// Refs holds the serial numbers of the entries this one links to; Names
	// the names of hospital scopes.
	Refs  map[string]int
	Names map[string]string
}

// entryViewOf prepares one entry for the entry template on its own (a
// live frame): the entries it links to are looked up.
func (m *Module) entryViewOf(lang web.Lang, e incident.Entry, names map[string]string) entryView {
	refs := map[string]int{}
	ids := append(append([]string{e.Corrects}, e.CorrectedBy...), e.UpdatedBy...)
	if e.Task != nil {
		ids = append(ids, e.Task.Updates)
	}
	for _, id := range ids {
		if x, ok := m.svc.Entry(e.Incident, id); id != "" && ok {
			refs[id] = x.Serial
		}
	}
	return entryView{Lang: lang, Entry: flatEntry(e), Refs: refs, Names: names}
}
