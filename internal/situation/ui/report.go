package ui

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
	"fyr/internal/web"
)

// The unit's side of the situation picture: the report form a ward manager
// fills in on a phone. The unit page that links to it (the latest published
// picture, the dispatches to the unit and its own reports, kept by the
// browser for reading offline) is still the shell's: internal/web/unit.go.

func init() { web.AddMessages(reportMessages) }

var reportMessages = map[string][2]string{
	"report.open.form":     {"Fyll i lägesrapporten", "Fill in the situation report"},
	"report.for":           {"för", "for"},
	"report.staff.present": {"Personal i tjänst", "Staff on duty"},
	"report.staff.missing": {"Personal som saknas", "Staff missing"},
	"report.beds.total":    {"Vårdplatser i drift", "Beds in operation"},
	"report.beds.occupied": {"Belagda", "Occupied"},
	"report.systems":       {"IT-system som enheten upplever dem", "IT systems as the unit experiences them"},
	"report.system.name":   {"System", "System"},
	"report.system.state":  {"Läge", "State"},
	"report.system.note":   {"Kommentar", "Note"},
	"system.up":            {"Fungerar", "Working"},
	"system.degraded":      {"Stört", "Degraded"},
	"system.down":          {"Nere", "Down"},
	"report.supplies":      {"Kritiska förnödenheter som tar slut", "Critical supplies running low"},
	"report.supply.name":   {"Förnödenhet", "Supply"},
	"report.supply.note":   {"Hur länge räcker det? Vad behövs?", "How long will it last? What is needed?"},
	"report.needs":         {"Behov och önskemål (ett per rad)", "Needs and requests (one per line)"},
	"report.text":          {"Övrigt", "Other"},
	"report.text.hint":     {"Skriv inte patienters eller personals namn.", "Do not write the names of patients or staff."},
	"report.occurred":      {"Lämnad (om inte nu)", "Given at (if not now)"},
	"report.onbehalf":      {"Rapporten registreras för enhetens räkning (t.ex. lämnad per telefon).", "The report is recorded on the unit's behalf (e.g. given by phone)."},
	"report.prefilled":     {"Förifyllt från enhetens senaste rapport: kontrollera varje uppgift.", "Prefilled from the unit's last report: check every value."},
	"report.submit":        {"Skicka rapporten", "Send the report"},
	"report.closed":        {"Omgången är stängd. Ring staben om läget har ändrats.", "The round is closed. Call the staff if the situation has changed."},
}

func (m *Module) reportRoutes() {
	m.sh.HandlePage("GET /rounds/{id}/report", m.reportForm)
	m.sh.HandlePage("POST /rounds/{id}/report", m.reportSubmit)
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
	web.Base
	Round     situation.Round
	Unit      string
	UnitName  string
	OnBehalf  bool // the staff records it for the unit
	Prefilled bool
	Form      reportFormView
	Systems   []string // names for the datalist
	Error     *web.FormError
}

// reportUnit is the unit a report is for: a unit account's own; the staff
// name it.
func reportUnit(r *http.Request, p auth.Principal) string {
	if p.Role == auth.Unit {
		return p.Unit
	}
	return cmp.Or(r.PostFormValue("unit"), r.URL.Query().Get("unit"))
}

func (m *Module) reportForm(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	id := situation.RoundID(r.PathValue("id"))
	file, err := m.svc.ReportForm(p, id, reportUnit(r, p))
	if err != nil {
		return err
	}
	prefilled, err := m.svc.Prefilled(p, file.Unit)
	if err != nil {
		return err
	}
	return m.showReportForm(w, r, p, id, file.Unit, formOf(file.Values), prefilled, nil)
}

func (m *Module) showReportForm(w http.ResponseWriter, r *http.Request, p auth.Principal, id situation.RoundID, unit string,
	form reportFormView, prefilled bool, ferr *web.FormError) error {
	st, _, err := m.svc.RoundForUnit(p, id, unit)
	if err != nil {
		return err
	}
	names, _ := m.svc.SystemNames(p)
	if ferr != nil {
		w.WriteHeader(http.StatusBadRequest)
	}
	lang := web.LangOf(r)
	m.sh.Render(w, r, "report-form", reportPage{Base: m.sh.Base(r, &p, web.T(lang, "report.title")), Round: st, Unit: unit,
		UnitName: m.dir.UnitName(unit), OnBehalf: p.Role != auth.Unit, Prefilled: prefilled, Form: form, Systems: names, Error: ferr})
	return nil
}

func (m *Module) reportSubmit(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	id := situation.RoundID(r.PathValue("id"))
	unit := reportUnit(r, p)
	values, form, err := parseReportForm(r.PostForm)
	var at time.Time
	if err == nil && form.OccurredAt != "" {
		at, err = web.ParseTime("occurred_at", form.OccurredAt)
	}
	if err == nil {
		_, err = m.svc.FileReport(r.Context(), p, situation.File{Round: id, Unit: unit, Values: values, OccurredAt: at})
	}
	if err != nil {
		ferr, err := web.FormFailure("report", err)
		if err != nil {
			return err
		}
		return m.showReportForm(w, r, p, id, unit, form, false, ferr)
	}
	if p.Role == auth.Unit {
		http.Redirect(w, r, "/unit?filed=1", http.StatusSeeOther)
	} else {
		http.Redirect(w, r, "/rounds/"+string(id), http.StatusSeeOther)
	}
	return nil
}
