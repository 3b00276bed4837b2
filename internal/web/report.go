package web

import (
	"cmp"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"fyr/internal/auth"
	"fyr/internal/fail"
	"fyr/internal/situation"
)

// The unit's side of the situation picture: the report form a ward manager
// fills in on a phone, and the unit page with the latest published picture,
// the dispatches to the unit and its own reports, which the browser keeps
// for reading offline.

func init() { addMessages(reportMessages) }

var reportMessages = map[string][2]string{
	"nav.unit":              {"Min enhet", "My unit"},
	"directory.unitpage":    {"Enhetens sida: vad den ser och har rapporterat", "The unit's page: what it sees and has reported"},
	"incident.situation":    {"Lägesbild och rapporter", "Situation picture and reports"},
	"incident.overview":     {"Sammanställning av enheternas rapporter", "Roll-up of the units' reports"},
	"incident.rounds":       {"Rapportomgångar", "Reporting rounds"},
	"incident.pictures":     {"Lägesbild: versioner", "Situation picture: versions"},
	"report.open.form":      {"Fyll i lägesrapporten", "Fill in the situation report"},
	"unit.title":            {"Enhetens sida", "Unit page"},
	"unit.taken":            {"Hämtad", "Fetched"},
	"unit.offline":          {"Sparad kopia – Fyr kunde inte nås. Uppgifterna gäller när sidan hämtades:", "Saved copy – Fyr could not be reached. The content is as of when the page was fetched:"},
	"unit.report.due":       {"rapport senast", "report by"},
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
	"report.title":          {"Lägesrapport", "Situation report"},
	"report.for":            {"för", "for"},
	"report.state":          {"Driftläge", "Operating state"},
	"report.state.normal":   {"Normal drift", "Normal"},
	"report.state.limited":  {"Begränsad drift", "Limited"},
	"report.state.closed":   {"Stängd", "Closed"},
	"report.staff":          {"Bemanning", "Staffing"},
	"report.staff.present":  {"Personal i tjänst", "Staff on duty"},
	"report.staff.missing":  {"Personal som saknas", "Staff missing"},
	"report.beds":           {"Vårdplatser", "Beds"},
	"report.beds.total":     {"Vårdplatser i drift", "Beds in operation"},
	"report.beds.occupied":  {"Belagda", "Occupied"},
	"report.beds.available": {"lediga", "available"},
	"report.systems":        {"IT-system som enheten upplever dem", "IT systems as the unit experiences them"},
	"report.system.name":    {"System", "System"},
	"report.system.state":   {"Läge", "State"},
	"report.system.note":    {"Kommentar", "Note"},
	"system.up":             {"Fungerar", "Working"},
	"system.degraded":       {"Stört", "Degraded"},
	"system.down":           {"Nere", "Down"},
	"report.supplies":       {"Kritiska förnödenheter som tar slut", "Critical supplies running low"},
	"report.supply.name":    {"Förnödenhet", "Supply"},
	"report.supply.note":    {"Hur länge räcker det? Vad behövs?", "How long will it last? What is needed?"},
	"report.needs":          {"Behov och önskemål (ett per rad)", "Needs and requests (one per line)"},
	"report.text":           {"Övrigt", "Other"},
	"report.text.hint":      {"Skriv inte patienters eller personals namn.", "Do not write the names of patients or staff."},
	"report.occurred":       {"Lämnad (om inte nu)", "Given at (if not now)"},
	"report.onbehalf":       {"Rapporten registreras för enhetens räkning (t.ex. lämnad per telefon).", "The report is recorded on the unit's behalf (e.g. given by phone)."},
	"report.prefilled":      {"Förifyllt från enhetens senaste rapport: kontrollera varje uppgift.", "Prefilled from the unit's last report: check every value."},
	"report.submit":         {"Skicka rapporten", "Send the report"},
	"report.filed":          {"Rapporten är registrerad.", "The report is recorded."},
	"report.closed":         {"Omgången är stängd. Ring staben om läget har ändrats.", "The round is closed. Call the staff if the situation has changed."},
	"report.late":           {"sen", "late"},
	"report.by":             {"av", "by"},
}

func (s *Server) reportRoutes() {
	s.mux.Handle("GET /rounds/{id}/report", s.page(s.reportForm))
	s.mux.Handle("POST /rounds/{id}/report", s.page(s.reportSubmit))
	s.mux.HandleFunc("GET /sw.js", s.serviceWorker)
	s.unitRoutes()
}

// reportFormView is the report form as strings, so that what was typed is
// shown again as typed when it is refused.
type reportFormView struct {
	State                   string
	Present, Missing        string
	Total, Occupied         string
	Systems                 []systemRow
	Supplies                []situation.Supply
	Needs, Text, OccurredAt string
}

type systemRow struct{ Name, State, Note string }

// Empty rows offered beyond what the unit reported before.
const (
	extraSystemRows = 3
	extraSupplyRows = 2
)

func formOf(v situation.Values) reportFormView {
	f := reportFormView{State: string(v.State), Present: strconv.Itoa(v.Staff.Present), Missing: strconv.Itoa(v.Staff.Missing),
		Total: strconv.Itoa(v.Beds.Total), Occupied: strconv.Itoa(v.Beds.Occupied), Supplies: slices.Clone(v.Supplies),
		Needs: strings.Join(v.Needs, "\n"), Text: v.Text}
	for _, sys := range v.Systems {
		f.Systems = append(f.Systems, systemRow{sys.Name, string(sys.State), sys.Note})
	}
	return f.padded()
}

func (f reportFormView) padded() reportFormView {
	for range extraSystemRows {
		f.Systems = append(f.Systems, systemRow{State: string(situation.Up)})
	}
	for range extraSupplyRows {
		f.Supplies = append(f.Supplies, situation.Supply{})
	}
	return f
}

// parseReportForm reads the posted form into the command and into the
// view to show again. Rows left empty are skipped.
func parseReportForm(form url.Values) (situation.Values, reportFormView, error) {
	f := reportFormView{State: form.Get("state"), Present: form.Get("staff.present"), Missing: form.Get("staff.missing"),
		Total: form.Get("beds.total"), Occupied: form.Get("beds.occupied"), Needs: form.Get("needs"), Text: form.Get("text"),
		OccurredAt: form.Get("occurred_at")}
	v := situation.Values{State: situation.OperatingState(f.State), Text: f.Text}
	var firstErr error
	number := func(field, s string) int {
		s = strings.TrimSpace(s)
		if s == "" {
			return 0
		}
		n, err := strconv.Atoi(s)
		if err != nil && firstErr == nil {
			firstErr = fail.Field(field, "%q is not a whole number", s)
		}
		return n
	}
	v.Staff.Present, v.Staff.Missing = number("staff.present", f.Present), number("staff.missing", f.Missing)
	v.Beds.Total, v.Beds.Occupied = number("beds.total", f.Total), number("beds.occupied", f.Occupied)
	for i := 0; ; i++ {
		n := strconv.Itoa(i)
		if !form.Has("sys.name." + n) {
			break
		}
		row := systemRow{strings.TrimSpace(form.Get("sys.name." + n)), form.Get("sys.state." + n), strings.TrimSpace(form.Get("sys.note." + n))}
		if row.Name == "" && row.Note == "" {
			continue
		}
		f.Systems = append(f.Systems, row)
		v.Systems = append(v.Systems, situation.SystemStatus{Name: row.Name, State: situation.SystemState(row.State), Note: row.Note})
	}
	for i := 0; ; i++ {
		n := strconv.Itoa(i)
		if !form.Has("sup.name." + n) {
			break
		}
		sup := situation.Supply{Name: strings.TrimSpace(form.Get("sup.name." + n)), Note: strings.TrimSpace(form.Get("sup.note." + n))}
		if sup.Name == "" && sup.Note == "" {
			continue
		}
		f.Supplies = append(f.Supplies, sup)
		v.Supplies = append(v.Supplies, sup)
	}
	for line := range strings.SplitSeq(f.Needs, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			v.Needs = append(v.Needs, line)
		}
	}
	return v, f.padded(), firstErr
}

type reportPage struct {
	Base
	Round     situation.Round
	Unit      string
	UnitName  string
	OnBehalf  bool // the staff records it for the unit
	Prefilled bool
	Form      reportFormView
	Systems   []string // names for the datalist
	Error     *formError
}

// reportUnit is the unit a report is for: a unit account's own; the staff
// name it.
func reportUnit(r *http.Request, p auth.Principal) string {
	if p.Role == auth.Unit {
		return p.Unit
	}
	return cmp.Or(r.PostFormValue("unit"), r.URL.Query().Get("unit"))
}

func (s *Server) reportForm(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	id := situation.RoundID(r.PathValue("id"))
	file, err := s.svc.Situation.ReportForm(p, id, reportUnit(r, p))
	if err != nil {
		return err
	}
	prefilled, err := s.svc.Situation.Prefilled(p, file.Unit)
	if err != nil {
		return err
	}
	return s.showReportForm(w, r, p, id, file.Unit, formOf(file.Values), prefilled, nil)
}

func (s *Server) showReportForm(w http.ResponseWriter, r *http.Request, p auth.Principal, id situation.RoundID, unit string,
	form reportFormView, prefilled bool, ferr *formError) error {
	st, _, err := s.svc.Situation.RoundForUnit(p, id, unit)
	if err != nil {
		return err
	}
	names, _ := s.svc.Situation.SystemNames(p)
	if ferr != nil {
		w.WriteHeader(http.StatusBadRequest)
	}
	lang := langOf(r)
	s.render(w, r, "report-form", reportPage{Base: s.base(r, &p, T(lang, "report.title")), Round: st, Unit: unit,
		UnitName: s.unitName(unit), OnBehalf: p.Role != auth.Unit, Prefilled: prefilled, Form: form, Systems: names, Error: ferr})
	return nil
}

func (s *Server) reportSubmit(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	id := situation.RoundID(r.PathValue("id"))
	unit := reportUnit(r, p)
	values, form, err := parseReportForm(r.PostForm)
	var at time.Time
	if err == nil && form.OccurredAt != "" {
		at, err = parseTime("occurred_at", form.OccurredAt)
	}
	if err == nil {
		_, err = s.svc.Situation.FileReport(r.Context(), p, situation.File{Round: id, Unit: unit, Values: values, OccurredAt: at})
	}
	if err != nil {
		ferr, err := formFailure("report", err)
		if err != nil {
			return err
		}
		return s.showReportForm(w, r, p, id, unit, form, false, ferr)
	}
	if p.Role == auth.Unit {
		http.Redirect(w, r, "/unit?filed=1", http.StatusSeeOther)
	} else {
		http.Redirect(w, r, "/rounds/"+string(id), http.StatusSeeOther)
	}
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
