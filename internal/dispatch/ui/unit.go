package dispatchui

import (
	"html/template"
	"net/http"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"fyr/internal/auth"
	"fyr/internal/dispatch"
	"fyr/internal/fail"
	"fyr/internal/incident"
	"fyr/internal/situation"
	"fyr/internal/web"
)

// The unit page ("Min enhet") is where a unit account lands after login. It
// starts with what needs the unit's answer now — dispatches to acknowledge,
// reports asked for — each with its button, so that a ward manager on a
// phone at 04:00 acknowledges a decision in two taps from the login form
// (three when the dispatch asks a question). Then the published situation
// picture (once), the dispatches to the unit and its own reports. The page
// follows the unit live: a new dispatch appears, marked and announced.

func init() { web.AddMessages(unitMessages) }

var unitMessages = map[string][2]string{
	"unit.title":            {"Enhetens sida", "Unit page"},
	"unit.taken":            {"Hämtad", "Fetched"},
	"unit.offline":          {"Sparad kopia – Fyr kunde inte nås. Uppgifterna gäller när sidan hämtades:", "Saved copy – Fyr could not be reached. The content is as of when the page was fetched:"},
	"unit.report.done":      {"Rapporterad", "Reported"},
	"unit.report.button":    {"Fyll i rapport", "Fill in report"},
	"unit.report.update":    {"Uppdatera rapport", "Update report"},
	"unit.picture":          {"Lägesbild", "Situation picture"},
	"unit.picture.none":     {"Ingen lägesbild är publicerad.", "No situation picture has been published."},
	"unit.picture.version":  {"version", "version"},
	"unit.picture.approved": {"fastställd", "approved"},
	"unit.dispatches":       {"Beslut och meddelanden till enheten", "Decisions and messages to the unit"},
	"unit.dispatches.none":  {"Inga utskick till enheten.", "No dispatches to the unit."},
	"unit.reports":          {"Enhetens rapporter", "The unit's reports"},
	"unit.reports.none":     {"Enheten har inte rapporterat.", "The unit has not reported."},
	"unit.print":            {"Skriv ut", "Print"},
	"unit.choose":           {"Välj enhet", "Choose a unit"},
	"unit.todo":             {"Väntar på enhetens svar", "Waiting for the unit's answer"},
	"unit.todo.none":        {"Inget väntar på enhetens svar just nu.", "Nothing is waiting for the unit's answer right now."},
	"unit.ack":              {"Kvittera", "Acknowledge"},
	"unit.ack.hint":         {"mottaget och uppfattat", "received and understood"},
	"unit.acked":            {"Kvitterat", "Acknowledged"},
	"unit.acked.by":         {"av", "by"},
	"unit.unacked":          {"Ej kvitterat", "Not acknowledged"},
	"unit.read.all":         {"Läs hela", "Read all of it"},
	"unit.read.picture":     {"Läs lägesbilden nedan", "Read the situation picture below"},
	"unit.kind.decision":    {"Beslut", "Decision"},
	"unit.kind.message":     {"Meddelande", "Message"},
	"unit.kind.picture":     {"Lägesbild", "Situation picture"},
	"unit.kind.report":      {"Rapport begärs", "Report asked for"},
	"unit.new.decision":     {"Nytt beslut", "New decision"},
	"unit.new.message":      {"Nytt meddelande", "New message"},
	"unit.new.picture":      {"Ny lägesbild", "New situation picture"},
	"unit.new.report":       {"Ny rapportbegäran", "New call to report"},
	"unit.new.any":          {"Nytt utskick", "New dispatch"},
	"unit.ack.offline":      {"Fyr kunde inte nås. Tryck Kvittera igen (en kvittens räknas bara en gång) eller ring staben.", "Fyr could not be reached. Tap Acknowledge again (a receipt counts only once) or call the staff."},
	"unit.sound":            {"Ljud vid nytt utskick", "Sound on a new dispatch"},
	"unit.ack.staff.hint":   {"Enheten kvitterar själv i Fyr, via länken i e-post eller SMS, eller per telefon till staben.", "The unit acknowledges in Fyr, by the link in its e-mail or SMS, or by phone to the staff."},
}

func (m *Module) unitRoutes() {
	m.sh.HandlePage("GET /unit", m.unitPage)
	m.sh.HandlePage("POST /unit/ack/{id}", m.unitAck)
}

// unitPageView is the unit page.
type unitPageView struct {
	web.Base
	Unit     string
	UnitName string
	Own      bool // the unit's own account: it answers here
	Taken    time.Time
	Filed    bool
	// Todo is what needs the unit's answer now, most urgent first; a
	// dispatch acknowledged by the request that led here stays in its
	// place, showing the receipt.
	Todo []unitTodo
	// Panels are the other capabilities' parts of the unit's page (backup
	// routines, the re-entry backlog), registered for the page "unit".
	Panels     []template.HTML
	Reported   []unitRound // open rounds the unit has reported in
	Pictures   []unitPicture
	Dispatches []unitDispatch
	Reports    []situation.Report
}

// unitTodo is one thing the unit must answer: a dispatch to acknowledge or
// a report to fill in.
type unitTodo struct {
	Dispatch *unitDispatch
	Round    *unitRound
	Due      time.Time
	When     string         // Due as a phone shows it: 04:40 today, with the date another day
	Error    *web.FormError // the acknowledgement was refused
}

// unitDispatch is a dispatch as the unit page shows it.
type unitDispatch struct {
	dispatch.UnitView
	Kind    string // decision, message, picture or report: the key of its label and marker
	Excerpt string // the start of the body; "" when the body is shown elsewhere
	Cut     bool   // the excerpt is not the whole body
	Acked   string // "Kvitterat 04:12 av Amir Avdelning", when acknowledged
	Just    bool   // acknowledged by the request that led to this page
}

type unitRound struct {
	Round situation.Round
	Line  situation.UnitLine
}

type unitPicture struct {
	Incident incident.Incident
	Picture  situation.Picture
	Fields   []situation.Field
}

// maxUnitReports bounds the reports listed on the unit page.
const maxUnitReports = 20

// excerptRunes is how much of a message the to-do list shows: enough for a
// short decision, while the buttons stay in the first screen of a phone.
const excerptRunes = 280

func (m *Module) unitPage(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	return m.showUnitPage(w, r, p, "", nil)
}

// showUnitPage renders the unit page; failed is the dispatch whose
// acknowledgement was refused with ferr.
func (m *Module) showUnitPage(w http.ResponseWriter, r *http.Request, p auth.Principal, failed dispatch.ID, ferr *web.FormError) error {
	unit := p.Unit
	if p.Role != auth.Unit {
		if err := p.Require(auth.ReadJournal); err != nil {
			return err
		}
		unit = r.URL.Query().Get("unit")
	}
	if unit == "" {
		if p.Role == auth.Unit {
			return fail.New(fail.Forbidden, "this account is not tied to a unit")
		}
		http.Redirect(w, r, "/directory", http.StatusSeeOther)
		return nil
	}
	if _, ok := m.dir.Unit(unit); !ok {
		return fail.New(fail.NotFound, "no unit %q", unit)
	}
	lang := web.LangOf(r)
	v := unitPageView{Base: m.sh.Base(r, &p, web.T(lang, "unit.title")), Unit: unit, UnitName: m.dir.UnitName(unit), Own: p.Role == auth.Unit,
		Taken: m.now(), Filed: r.URL.Query().Get("filed") != ""}
	// The dispatches acknowledged on this page keep their place, showing the receipt.
	just := map[dispatch.ID]bool{}
	for _, id := range r.URL.Query()["acked"] {
		just[dispatch.ID(id)] = true
	}

	openRounds := map[situation.RoundID]bool{}
	if p.May(auth.FileReport) {
		rounds, err := m.sit.RoundsForUnit(p, unit)
		if err != nil {
			return err
		}
		for _, rd := range rounds {
			_, line, err := m.sit.RoundForUnit(p, rd.Round, unit)
			if err != nil {
				continue
			}
			ur := unitRound{rd, line}
			openRounds[rd.Round] = true
			if line.Report == "" {
				v.Todo = append(v.Todo, unitTodo{Round: &ur, Due: rd.Deadline})
			} else {
				v.Reported = append(v.Reported, ur)
			}
		}
	}
	inbox, err := m.svc.UnitInbox(p, unit)
	if err != nil {
		return err
	}
	if v.Panels, err = m.sh.Panels("unit", r, p); err != nil {
		return err
	}
	for _, uv := range inbox {
		ud := m.unitDispatchOf(lang, uv)
		ud.Just = just[uv.Dispatch.Dispatch] && uv.Mine.Ack != nil
		v.Dispatches = append(v.Dispatches, ud)
		// A call to report is answered by the report: its round is the to-do.
		if rd, err := m.sit.RoundForDispatch(p, uv.Dispatch.Dispatch); err == nil && openRounds[rd.Round] {
			continue
		}
		if uv.Mine.Ack == nil || ud.Just {
			todo := unitTodo{Dispatch: &ud, Due: uv.Dispatch.Deadline}
			if uv.Dispatch.Dispatch == failed {
				todo.Error = ferr
			}
			v.Todo = append(v.Todo, todo)
		}
	}
	// Most urgent first; the order does not depend on what is acknowledged,
	// so an item stays where it was when it is acknowledged.
	slices.SortStableFunc(v.Todo, func(a, b unitTodo) int { return a.Due.Compare(b.Due) })
	for i := range v.Todo {
		v.Todo[i].When = clock(v.Todo[i].Due, v.Taken)
	}

	for _, inc := range m.inc.Active() {
		pic, err := m.sit.LatestPicture(p, inc.ID, incident.AsOf{})
		if err != nil {
			if fail.As(err).Code == fail.NotFound {
				continue
			}
			return err
		}
		v.Pictures = append(v.Pictures, unitPicture{inc, pic, m.sh.PictureFields(web.LangOf(r), pic.Content)})
	}
	reports, err := m.sit.Reports(p, situation.ReportQuery{Unit: unit}, "unit page")
	if err != nil {
		return err
	}
	slices.Reverse(reports)
	v.Reports = reports[:min(len(reports), maxUnitReports)]
	if ferr != nil {
		w.WriteHeader(http.StatusBadRequest)
	}
	m.sh.Render(w, r, "unit-page", v)
	return nil
}

// unitDispatchOf prepares a dispatch for the unit page.
func (m *Module) unitDispatchOf(lang web.Lang, uv dispatch.UnitView) unitDispatch {
	ud := unitDispatch{UnitView: uv}
	switch uv.Dispatch.Kind {
	case dispatch.KindDecision:
		ud.Kind = "decision"
	case dispatch.KindPicture:
		ud.Kind = "picture" // the picture itself is on the page once, not again in its dispatch
	case dispatch.KindReportRequest, dispatch.KindReportReminder:
		ud.Kind = "report"
	default:
		ud.Kind = "message"
	}
	if ud.Kind != "picture" {
		ud.Excerpt, ud.Cut = cutExcerpt(uv.Dispatch.Body, excerptRunes)
	}
	if a := uv.Mine.Ack; a != nil {
		ud.Acked = web.T(lang, "unit.acked") + " " + clock(a.At, m.now()) + " " + web.T(lang, "unit.acked.by") + " " + a.By
	}
	return ud
}

// cutExcerpt is the start of text, cut at a word within n runes, and whether it was cut.
func cutExcerpt(text string, n int) (string, bool) {
	text = strings.TrimSpace(text)
	if utf8.RuneCountInString(text) <= n {
		return text, false
	}
	runes := []rune(text)
	cut := string(runes[:n])
	// A word cut in two goes, unless that would leave too little.
	if !unicode.IsSpace(runes[n]) {
		if i := strings.LastIndexAny(cut, " \n"); i > n/2 {
			cut = cut[:i]
		}
	}
	return strings.TrimRight(cut, " \n.,;:") + " …", true
}

// clock shows a time of today as 04:12, another day's with its date.
func clock(t, now time.Time) string {
	t, now = t.In(web.Stockholm), now.In(web.Stockholm)
	if t.Year() == now.Year() && t.YearDay() == now.YearDay() {
		return t.Format("15:04")
	}
	return t.Format("2006-01-02 15:04")
}

// unitAck is the Kvittera button of the unit page: the unit's own account
// acknowledges a dispatch and comes back to the page, where the receipt
// shows in the dispatch's place ("Kvitterat 04:12 av Amir").
func (m *Module) unitAck(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	if p.Role != auth.Unit {
		return fail.New(fail.Forbidden, "only a unit's own account acknowledges on the unit page; the staff record a receipt given by phone on the dispatch's page")
	}
	id := dispatch.ID(r.PathValue("id"))
	_, err := m.svc.Acknowledge(r.Context(), p, dispatch.Acknowledge{Dispatch: id, Answer: r.PostFormValue("answer")})
	if err != nil {
		ferr, err := web.FormFailure("ack", err)
		if err != nil {
			return err
		}
		return m.showUnitPage(w, r, p, id, ferr)
	}
	http.Redirect(w, r, "/unit?acked="+string(id)+"#d-"+string(id), http.StatusSeeOther)
	return nil
}
