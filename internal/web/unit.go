package web

import (
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
)

// The unit page ("Min enhet") is where a unit account lands after login. It
// starts with what needs the unit's answer now — dispatches to acknowledge,
// reports asked for — each with its button, so that a ward manager on a
// phone at 04:00 acknowledges a decision in two taps from the login form
// (three when the dispatch asks a question). Then the published situation
// picture (once), the dispatches to the unit and its own reports. The page
// follows the unit live: a new dispatch appears, marked and announced.

func init() { addMessages(unitMessages) }

var unitMessages = map[string][2]string{
	"nav.menu":            {"Meny", "Menu"},
	"nav.main":            {"Huvudmeny", "Main menu"},
	"unit.todo":           {"Väntar på enhetens svar", "Waiting for the unit's answer"},
	"unit.todo.none":      {"Inget väntar på enhetens svar just nu.", "Nothing is waiting for the unit's answer right now."},
	"unit.ack":            {"Kvittera", "Acknowledge"},
	"unit.ack.hint":       {"mottaget och uppfattat", "received and understood"},
	"unit.acked":          {"Kvitterat", "Acknowledged"},
	"unit.acked.by":       {"av", "by"},
	"unit.unacked":        {"Ej kvitterat", "Not acknowledged"},
	"unit.read.all":       {"Läs hela", "Read all of it"},
	"unit.read.picture":   {"Läs lägesbilden nedan", "Read the situation picture below"},
	"unit.kind.decision":  {"Beslut", "Decision"},
	"unit.kind.message":   {"Meddelande", "Message"},
	"unit.kind.picture":   {"Lägesbild", "Situation picture"},
	"unit.kind.report":    {"Rapport begärs", "Report asked for"},
	"unit.new.decision":   {"Nytt beslut", "New decision"},
	"unit.new.message":    {"Nytt meddelande", "New message"},
	"unit.new.picture":    {"Ny lägesbild", "New situation picture"},
	"unit.new.report":     {"Ny rapportbegäran", "New call to report"},
	"unit.new.any":        {"Nytt utskick", "New dispatch"},
	"unit.ack.offline":    {"Fyr kunde inte nås. Tryck Kvittera igen (en kvittens räknas bara en gång) eller ring staben.", "Fyr could not be reached. Tap Acknowledge again (a receipt counts only once) or call the staff."},
	"unit.sound":          {"Ljud vid nytt utskick", "Sound on a new dispatch"},
	"unit.ack.staff.hint": {"Enheten kvitterar själv i Fyr, via länken i e-post eller SMS, eller per telefon till staben.", "The unit acknowledges in Fyr, by the link in its e-mail or SMS, or by phone to the staff."},
}

func (s *Server) unitRoutes() {
	s.mux.HandleFunc("GET /sw.js", s.serviceWorker)
	s.mux.Handle("GET /unit", s.page(s.unitPage))
	s.mux.Handle("POST /unit/ack/{id}", s.page(s.unitAck))
}

// unitPageView is the unit page.
type unitPageView struct {
	Base
	Unit     string
	UnitName string
	Own      bool // the unit's own account: it answers here
	Taken    time.Time
	Filed    bool
	// Todo is what needs the unit's answer now, most urgent first; a
	// dispatch acknowledged by the request that led here stays in its
	// place, showing the receipt.
	Todo       []unitTodo
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
	When     string     // Due as a phone shows it: 04:40 today, with the date another day
	Error    *formError // the acknowledgement was refused
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

func (s *Server) unitPage(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	return s.showUnitPage(w, r, p, "", nil)
}

// showUnitPage renders the unit page; failed is the dispatch whose
// acknowledgement was refused with ferr.
func (s *Server) showUnitPage(w http.ResponseWriter, r *http.Request, p auth.Principal, failed dispatch.ID, ferr *formError) error {
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
	if _, ok := s.svc.Directory.Unit(unit); !ok {
		return fail.New(fail.NotFound, "no unit %q", unit)
	}
	lang := langOf(r)
	v := unitPageView{Base: s.base(r, &p, T(lang, "unit.title")), Unit: unit, UnitName: s.svc.Directory.UnitName(unit), Own: p.Role == auth.Unit,
		Taken: s.svc.Now(), Filed: r.URL.Query().Get("filed") != ""}
	// The dispatches acknowledged on this page keep their place, showing the receipt.
	just := map[dispatch.ID]bool{}
	for _, id := range r.URL.Query()["acked"] {
		just[dispatch.ID(id)] = true
	}

	openRounds := map[situation.RoundID]bool{}
	if p.May(auth.FileReport) {
		rounds, err := s.svc.Situation.RoundsForUnit(p, unit)
		if err != nil {
			return err
		}
		for _, rd := range rounds {
			_, line, err := s.svc.Situation.RoundForUnit(p, rd.Round, unit)
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
	inbox, err := s.svc.Dispatch.UnitInbox(p, unit)
	if err != nil {
		return err
	}
	for _, uv := range inbox {
		ud := s.unitDispatchOf(lang, uv)
		ud.Just = just[uv.Dispatch.Dispatch] && uv.Mine.Ack != nil
		v.Dispatches = append(v.Dispatches, ud)
		// A call to report is answered by the report: its round is the to-do.
		if rd, err := s.svc.Situation.RoundForDispatch(p, uv.Dispatch.Dispatch); err == nil && openRounds[rd.Round] {
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

	for _, inc := range s.svc.Incidents.Active() {
		pic, err := s.svc.Situation.LatestPicture(p, inc.ID, incident.AsOf{})
		if err != nil {
			if fail.As(err).Code == fail.NotFound {
				continue
			}
			return err
		}
		v.Pictures = append(v.Pictures, unitPicture{inc, pic, s.localFields(langOf(r), pic.Content)})
	}
	reports, err := s.svc.Situation.Reports(p, situation.ReportQuery{Unit: unit}, "unit page")
	if err != nil {
		return err
	}
	slices.Reverse(reports)
	v.Reports = reports[:min(len(reports), maxUnitReports)]
	if ferr != nil {
		w.WriteHeader(http.StatusBadRequest)
	}
	s.render(w, r, "unit-page", v)
	return nil
}

// unitDispatchOf prepares a dispatch for the unit page.
func (s *Server) unitDispatchOf(lang Lang, uv dispatch.UnitView) unitDispatch {
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
		ud.Acked = T(lang, "unit.acked") + " " + clock(a.At, s.svc.Now()) + " " + T(lang, "unit.acked.by") + " " + a.By
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
	t, now = t.In(Stockholm), now.In(Stockholm)
	if t.Year() == now.Year() && t.YearDay() == now.YearDay() {
		return t.Format("15:04")
	}
	return t.Format("2006-01-02 15:04")
}

// unitAck is the Kvittera button of the unit page: the unit's own account
// acknowledges a dispatch and comes back to the page, where the receipt
// shows in the dispatch's place ("Kvitterat 04:12 av Amir").
func (s *Server) unitAck(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	if p.Role != auth.Unit {
		return fail.New(fail.Forbidden, "only a unit's own account acknowledges on the unit page; the staff record a receipt given by phone on the dispatch's page")
	}
	id := dispatch.ID(r.PathValue("id"))
	_, err := s.svc.Dispatch.Acknowledge(r.Context(), p, dispatch.Acknowledge{Dispatch: id, Answer: r.PostFormValue("answer")})
	if err != nil {
		ferr, err := formFailure("ack", err)
		if err != nil {
			return err
		}
		return s.showUnitPage(w, r, p, id, ferr)
	}
	http.Redirect(w, r, "/unit?acked="+string(id)+"#d-"+string(id), http.StatusSeeOther)
	return nil
}

// serviceWorker keeps a copy of the unit page (and the pages it links to
// for reading) for when Fyr cannot be reached: network first, the copy
// only when the network fails, and then marked as a copy with its time.
// It is served from the root so that its scope covers /unit.
func (s *Server) serviceWorker(w http.ResponseWriter, r *http.Request) {
	b, err := staticFS.ReadFile("static/sw.js")
	if err != nil {
		http.Error(w, "not found", http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.Write(b)
}
