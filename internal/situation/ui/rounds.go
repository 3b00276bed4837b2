package ui

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"fyr/internal/auth"
	"fyr/internal/directory"
	"fyr/internal/dispatch"
	"fyr/internal/fail"
	"fyr/internal/incident"
	"fyr/internal/situation"
	"fyr/internal/web"
)

// The staff's pages of the reporting rounds and the roll-up (issue 4):
//
//	GET  /incidents/{id}/rounds          the incident's rounds; the form to open one
//	POST /incidents/{id}/rounds          open a round
//	GET  /rounds/{id}                    a round's status: missing units first, with whom to phone
//	POST /rounds/{id}/close, /reopen     close or reopen a round
//	GET  /reports/{id}                   one report version, with the unit's other versions in the round
//	GET  /incidents/{id}/reports         a list of reports (?round=, ?unit=, ?ids=): what a figure stands on
//	GET  /incidents/{id}/overview        the roll-up per hospital and region (?round=, ?at=, ?known_at=)
//	GET  /incidents/{id}/overview/print  the same on A4
//
// Reading rounds and the roll-up takes auth.ReadJournal (staff, admin,
// viewer); writing takes auth.WriteIncidents. Every read of a report goes
// through the situation service, which checks the role and logs it.

// roundMessages are the UI strings of the rounds and the roll-up: Swedish, English.
var roundMessages = map[string][2]string{
	"rounds.title":             {"Rapportomgångar", "Reporting rounds"},
	"rounds.none":              {"Inga rapportomgångar ännu.", "No reporting rounds yet."},
	"rounds.new":               {"Begär rapport från enheter", "Ask units to report"},
	"rounds.open.submit":       {"Skicka begäran", "Send the request"},
	"rounds.deadline":          {"Rapport senast", "Report by"},
	"rounds.deadline.short":    {"rapport senast", "report by"},
	"rounds.note":              {"Meddelande till enheterna (valfritt)", "Message to the units (optional)"},
	"rounds.channels":          {"Kanaler", "Channels"},
	"rounds.escalation":        {"Eskalering (minuter efter utskicket)", "Escalation (minutes after sending)"},
	"rounds.esc.resend":        {"Nästa kanal efter", "Next channel after"},
	"rounds.esc.deputies":      {"Ersättare efter", "Deputies after"},
	"rounds.esc.parent":        {"Överordnad enhet efter", "Parent unit after"},
	"rounds.reported":          {"Rapporterat", "Reported"},
	"rounds.missing":           {"Saknas", "Missing"},
	"rounds.late":              {"Sena", "Late"},
	"rounds.status":            {"Status", "Status"},
	"rounds.open":              {"Öppen", "Open"},
	"rounds.closed":            {"Stängd för rapporter", "Closed to reports"},
	"rounds.opened":            {"Öppnad", "Opened"},
	"rounds.by":                {"av", "by"},
	"rounds.reopened":          {"återöppnad", "reopened"},
	"rounds.close":             {"Stäng omgången", "Close the round"},
	"rounds.reopen":            {"Återöppna omgången", "Reopen the round"},
	"rounds.reopen.dl":         {"Ny tid för rapport (valfri)", "New time to report by (optional)"},
	"rounds.board":             {"Utskicket: kvittenser och påminnelser", "The dispatch: receipts and reminders"},
	"rounds.reminder":          {"Påminnelsen", "The reminder"},
	"rounds.reminded":          {"Påminnelse skickad", "Reminder sent"},
	"rounds.to.units":          {"till", "to"},
	"rounds.unit":              {"Enhet", "Unit"},
	"rounds.state":             {"Driftläge", "Operating state"},
	"rounds.filed":             {"Rapporterad", "Reported"},
	"rounds.report":            {"Rapport", "Report"},
	"rounds.contact":           {"Ring", "Call"},
	"rounds.no.contact":        {"Ingen kontakt registrerad", "No contact recorded"},
	"rounds.on.behalf":         {"Rapportera för enheten (per telefon)", "Report for the unit (by phone)"},
	"rounds.onbehalf":          {"lämnad per telefon", "given by phone"},
	"rounds.late.mark":         {"sen", "late"},
	"rounds.version":           {"version", "version"},
	"rounds.missing.first":     {"Enheter som saknas står först.", "Units still missing are listed first."},
	"rounds.all.reported":      {"Alla enheter har rapporterat.", "Every unit has reported."},
	"rounds.overview":          {"Sammanställning", "Roll-up"},
	"rounds.reports":           {"Rapporterna", "The reports"},
	"rounds.of":                {"av", "of"},
	"rd.state.normal":          {"Normal drift", "Normal operation"},
	"rd.state.limited":         {"Begränsad drift", "Limited operation"},
	"rd.state.closed":          {"Stängd", "Closed"},
	"rd.sys.up":                {"fungerar", "working"},
	"rd.sys.degraded":          {"stört", "degraded"},
	"rd.sys.down":              {"nere", "down"},
	"rd.report.title":          {"Enhetsrapport", "Unit report"},
	"rd.report.unit":           {"Enhet", "Unit"},
	"rd.report.round":          {"Omgång", "Round"},
	"rd.report.occurred":       {"Lämnad", "Given"},
	"rd.report.recorded":       {"Registrerad", "Recorded"},
	"rd.report.by":             {"Rapportör", "Reporter"},
	"rd.report.channel":        {"Kanal", "Channel"},
	"rd.report.staff":          {"Bemanning", "Staffing"},
	"rd.report.staff.present":  {"Personal på plats", "Staff present"},
	"rd.report.staff.missing":  {"Personal som saknas", "Staff missing"},
	"rd.report.beds":           {"Vårdplatser", "Beds"},
	"rd.report.beds.total":     {"Vårdplatser i drift", "Beds in operation"},
	"rd.report.beds.occupied":  {"Belagda", "Occupied"},
	"rd.report.beds.available": {"Lediga", "Available"},
	"rd.report.systems":        {"IT-system", "IT systems"},
	"rd.report.system":         {"System", "System"},
	"rd.report.sys.state":      {"Läge", "State"},
	"rd.report.sys.note":       {"Kommentar", "Note"},
	"rd.report.supplies":       {"Förnödenheter som tar slut", "Supplies running low"},
	"rd.report.needs":          {"Behov och önskemål", "Needs and requests"},
	"rd.report.text":           {"Fritext", "Free text"},
	"rd.report.none":           {"Inga.", "None."},
	"rd.report.versions":       {"Enhetens versioner i omgången", "The unit's versions in the round"},
	"rd.report.this":           {"denna", "this one"},
	"rd.reports.title":         {"Rapporter", "Reports"},
	"rd.reports.none":          {"Inga rapporter matchar.", "No reports match."},
	"rd.reports.selected":      {"Rapporterna bakom en siffra i sammanställningen.", "The reports behind a figure of the roll-up."},
	"overview.title":           {"Sammanställning av enheternas läge", "Roll-up of the units' status"},
	"overview.round":           {"Omgång", "Round"},
	"overview.latest":          {"Senaste rapport per enhet", "Newest report per unit"},
	"overview.show":            {"Visa", "Show"},
	"overview.asof":            {"Som det såg ut", "As it stood at"},
	"overview.knownat":         {"Som staben kände till det", "As the staff knew it at"},
	"overview.now":             {"Tillbaka till nu", "Back to now"},
	"overview.pick":            {"Välj omgång och tidpunkt", "Choose round and point in time"},
	"overview.print":           {"Utskrift (A4)", "Print (A4)"},
	"overview.empty":           {"Inga rapporter ännu.", "No reports yet."},
	"overview.reported":        {"Rapporterat", "Reported"},
	"overview.units":           {"enheter", "units"},
	"overview.states":          {"Driftläge", "Operating state"},
	"overview.figures":         {"Vårdplatser och bemanning", "Beds and staffing"},
	"overview.figure":          {"Mått", "Measure"},
	"overview.total":           {"Summa", "Total"},
	"overview.units.named":     {"Enheter", "Units"},
	"overview.systems":         {"IT-system som rapporteras nere eller störda", "IT systems reported down or degraded"},
	"overview.sys.down":        {"Nere (antal enheter)", "Down (units)"},
	"overview.sys.degraded":    {"Stört (antal enheter)", "Degraded (units)"},
	"overview.changes":         {"Förändringar sedan förra omgången", "Changes since the previous round"},
	"overview.compared":        {"Förändringar räknas mot omgången", "Changes are counted against the round"},
	"overview.no.changes":      {"Inga ändrade driftlägen eller system.", "No operating state or system changed."},
	"overview.before":          {"Före", "Before"},
	"overview.after":           {"Nu", "Now"},
	"overview.change":          {"Ändring", "Change"},
	"overview.unit.list":       {"Alla enheter", "Every unit"},
	"overview.hospital":        {"Sjukhus", "Hospital"},
	"overview.not.asked":       {"ej tillfrågad", "not asked"},
	"overview.not.listed":      {"ej angivet", "not listed"},
}

func init() { web.AddMessages(roundMessages) }

func (m *Module) roundRoutes() {
	m.sh.HandlePage("GET /incidents/{id}/rounds", m.roundListPage)
	m.sh.HandlePage("POST /incidents/{id}/rounds", m.openRoundSubmit)
	m.sh.HandlePage("GET /rounds/{id}", m.roundStatusPage)
	m.sh.HandlePage("POST /rounds/{id}/close", m.closeRoundSubmit)
	m.sh.HandlePage("POST /rounds/{id}/reopen", m.reopenRoundSubmit)
	m.sh.HandlePage("GET /reports/{id}", m.staffReportPage)
	m.sh.HandlePage("GET /incidents/{id}/reports", m.reportListPage)
	m.sh.HandlePage("GET /incidents/{id}/overview", m.overviewPage)
	m.sh.HandlePage("GET /incidents/{id}/overview/print", m.overviewPrint)
}

type roundListPage struct {
	web.Base
	Incident incident.Incident
	Rounds   []roundRow
	CanWrite bool
	Error    *web.FormError
	Form     url.Values
	Audience web.AudienceView
	Channels []web.Option
}

type roundRow struct {
	R       situation.Round
	Missing int
	Late    int
}

func (m *Module) roundListPage(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	return m.showRounds(w, r, p, nil, nil)
}

func (m *Module) showRounds(w http.ResponseWriter, r *http.Request, p auth.Principal, ferr *web.FormError, form url.Values) error {
	if err := m.svc.MayReadReports(p); err != nil {
		return err
	}
	id := incident.ID(r.PathValue("id"))
	inc, err := m.inc.Incident(p, id, incident.AsOf{})
	if err != nil {
		return err
	}
	rounds, err := m.svc.Rounds(p, id, incident.AsOf{})
	if err != nil {
		return err
	}
	lang := web.LangOf(r)
	pg := roundListPage{Base: m.sh.Base(r, &p, web.T(lang, "rounds.title")+" – "+inc.Title), Incident: inc,
		CanWrite: auth.Can(p.Role, auth.WriteIncidents) && !inc.Closed, Error: ferr}
	pg.LiveIncident = id
	for _, rd := range rounds {
		row := roundRow{R: rd}
		if st, err := m.svc.RoundStatus(p, rd.Round, incident.AsOf{}); err == nil {
			row.Missing, row.Late = len(st.Missing), len(st.Late)
		}
		pg.Rounds = append(pg.Rounds, row)
	}
	if form == nil {
		esc := dispatch.DefaultEscalation
		form = url.Values{"title": {situation.DefaultTitle}, "deadline": {web.LocalInput(m.sh.Now().Add(time.Hour))},
			"channels": dispatch.Channels, "resend": {strconv.Itoa(esc.Resend)}, "deputies": {strconv.Itoa(esc.Deputies)},
			"parent": {strconv.Itoa(esc.Parent)}}
	}
	pg.Form = form
	pg.Audience = m.sh.AudienceView(lang, form)
	pg.Channels = web.Options(dispatch.Channels, nil, form["channels"])
	for i := range pg.Channels {
		pg.Channels[i].Key = "channel." + pg.Channels[i].Value
	}
	if ferr != nil {
		w.WriteHeader(http.StatusBadRequest)
	}
	m.sh.Render(w, r, "rd-rounds", pg)
	return nil
}

// escalationOf reads the three escalation steps; all empty means the default.
func escalationOf(f url.Values) (*dispatch.Escalation, error) {
	names := []string{"resend", "deputies", "parent"}
	var n [3]int
	empty := 0
	for i, name := range names {
		v := strings.TrimSpace(f.Get(name))
		if v == "" {
			empty++
			continue
		}
		x, err := strconv.Atoi(v)
		if err != nil {
			return nil, fail.Field("escalation", "%q is not a number of minutes", v)
		}
		n[i] = x
	}
	switch empty {
	case 3:
		return nil, nil
	case 0:
		return &dispatch.Escalation{Resend: n[0], Deputies: n[1], Parent: n[2]}, nil
	}
	return nil, fail.Field("escalation", "give all three steps in minutes, or none for the default")
}

func (m *Module) openRoundSubmit(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	if err := m.svc.MayPlan(p); err != nil {
		return err
	}
	id := incident.ID(r.PathValue("id"))
	if err := r.ParseForm(); err != nil {
		return fail.Field("form", "cannot read the form: %v", err)
	}
	f := r.PostForm
	rd, err := func() (situation.Round, error) {
		dl := strings.TrimSpace(f.Get("deadline"))
		if dl == "" {
			return situation.Round{}, fail.Field("deadline", "is required: the time the units must report by")
		}
		deadline, err := web.ParseTime("deadline", dl)
		if err != nil {
			return situation.Round{}, err
		}
		esc, err := escalationOf(f)
		if err != nil {
			return situation.Round{}, err
		}
		channels := f["channels"]
		if len(channels) == 0 {
			return situation.Round{}, fail.Field("channels", "choose at least one channel")
		}
		return m.svc.OpenRound(r.Context(), p, situation.OpenRound{Incident: id, Title: f.Get("title"), Note: f.Get("note"),
			Audience: web.AudienceOf(f), Deadline: deadline, Channels: channels, Escalation: esc})
	}()
	if err != nil {
		ferr, err := web.FormFailure("round", err)
		if err != nil {
			return err
		}
		return m.showRounds(w, r, p, ferr, f)
	}
	http.Redirect(w, r, "/rounds/"+string(rd.Round), http.StatusSeeOther)
	return nil
}

// asOfBanner is the point-in-time notice of a page: empty when it shows now.
type asOfBanner struct {
	Lang web.Lang
	incident.AsOf
	Now string // the link back to now
}

// nowLink is the page's address without at and known_at.
func nowLink(r *http.Request) string {
	q := r.URL.Query()
	q.Del("at")
	q.Del("known_at")
	if len(q) == 0 {
		return r.URL.Path
	}
	return r.URL.Path + "?" + q.Encode()
}

type roundLine struct {
	situation.UnitLine
	Name     string
	Contacts []web.ContactView
}

type roundStatusPage struct {
	web.Base
	Incident incident.Incident
	Status   situation.RoundStatus
	Lines    []roundLine
	AsOf     asOfBanner
	CanWrite bool
	// CanFile shows the link to the report form for a unit's call.
	CanFile bool
	Error   *web.FormError
	Form    url.Values
}

func (m *Module) roundStatusPage(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	return m.showRound(w, r, p, nil)
}

func (m *Module) showRound(w http.ResponseWriter, r *http.Request, p auth.Principal, ferr *web.FormError) error {
	id := situation.RoundID(r.PathValue("id"))
	asOf := incident.AsOf{}
	if r.Method == http.MethodGet {
		var err error
		if asOf, err = pointInTime(r); err != nil {
			return err
		}
	}
	st, err := m.svc.RoundStatus(p, id, asOf)
	if err != nil {
		return err
	}
	inc, err := m.inc.Incident(p, st.Incident, incident.AsOf{})
	if err != nil {
		return err
	}
	lang := web.LangOf(r)
	write := auth.Can(p.Role, auth.WriteIncidents) && !inc.Closed && asOf.IsNow()
	pg := roundStatusPage{Base: m.sh.Base(r, &p, st.Title+" – "+web.T(lang, "rounds.deadline.short")+" "+clockOf(st.Deadline)), Incident: inc,
		Status: st, AsOf: asOfBanner{lang, asOf, nowLink(r)}, CanWrite: write, CanFile: write && !st.Closed && p.May(auth.FileReport),
		Error: ferr, Form: r.PostForm}
	if asOf.IsNow() {
		pg.LiveIncident = st.Incident
	}
	now := m.sh.Now()
	for _, missing := range []bool{true, false} {
		for _, l := range st.Lines {
			if (l.Report == "") != missing {
				continue
			}
			line := roundLine{UnitLine: l, Name: m.dir.UnitName(l.Unit)}
			if missing {
				cs, err := m.dir.Reach(p, l.Unit, now)
				if err != nil && !fail.Is(err, fail.Forbidden) { // not the caller's to see: no numbers
					return err
				}
				line.Contacts = web.ContactViews(lang, phoneContacts(cs))
			}
			pg.Lines = append(pg.Lines, line)
		}
	}
	if ferr != nil {
		w.WriteHeader(http.StatusBadRequest)
	}
	m.sh.Render(w, r, "rd-round", pg)
	return nil
}

// phoneContacts keeps whom to phone about a missing report: the person on
// duty or else the primary contact, and the unit's own phone.
func phoneContacts(cs []directory.Contact) []directory.Contact {
	var out []directory.Contact
	person := false
	for _, c := range cs {
		switch c.Role {
		case directory.RoleOnDuty, directory.RolePrimary:
			if !person {
				out, person = append(out, c), true
			}
		case directory.RoleUnit:
			if c.Mobile != "" {
				out = append(out, directory.Contact{Name: c.Name, Role: c.Role, Mobile: c.Mobile})
			}
		}
	}
	if !person {
		for _, c := range cs {
			if c.Role == directory.RoleDeputy && c.Mobile != "" {
				return append([]directory.Contact{c}, out...)
			}
		}
	}
	return out
}

func clockOf(t time.Time) string { return t.In(web.Stockholm).Format("15:04") }

func (m *Module) closeRoundSubmit(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	id := situation.RoundID(r.PathValue("id"))
	_, err := m.svc.CloseRound(r.Context(), p, id)
	return m.afterRound(w, r, p, "close", err)
}

func (m *Module) reopenRoundSubmit(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	id := situation.RoundID(r.PathValue("id"))
	deadline, err := web.ParseTime("deadline", strings.TrimSpace(r.PostFormValue("deadline")))
	if err == nil {
		_, err = m.svc.ReopenRound(r.Context(), p, situation.ReopenRound{Round: id, Deadline: deadline})
	}
	return m.afterRound(w, r, p, "reopen", err)
}

func (m *Module) afterRound(w http.ResponseWriter, r *http.Request, p auth.Principal, form string, err error) error {
	if err != nil {
		ferr, err := web.FormFailure(form, err)
		if err != nil {
			return err
		}
		return m.showRound(w, r, p, ferr)
	}
	http.Redirect(w, r, "/rounds/"+r.PathValue("id"), http.StatusSeeOther)
	return nil
}

type staffReportPage struct {
	web.Base
	Report   situation.Report
	Round    situation.Round
	UnitName string
	Versions []situation.Report
	// CanRead shows the links to the round and the roll-up (the staff's).
	CanRead bool
}

func (m *Module) staffReportPage(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	rep, err := m.svc.Report(p, situation.ReportID(r.PathValue("id")), "report page")
	if err != nil {
		return err
	}
	lang := web.LangOf(r)
	name := m.dir.UnitName(rep.Unit)
	pg := staffReportPage{Base: m.sh.Base(r, &p, web.T(lang, "rd.report.title")+" – "+name), Report: rep, UnitName: name,
		CanRead: p.May(auth.ReadJournal)}
	pg.Round, _ = m.svc.Round(p, rep.Round, incident.AsOf{})
	if pg.Versions, err = m.svc.Reports(p, situation.ReportQuery{Round: rep.Round, Unit: rep.Unit}, "report page: versions"); err != nil {
		return err
	}
	m.sh.Render(w, r, "rd-report", pg)
	return nil
}

type reportListPage struct {
	web.Base
	Incident incident.Incident
	Reports  []reportListRow
	Selected bool
	Round    situation.Round
	UnitName string
}

type reportListRow struct {
	Rep        situation.Report
	Name       string
	RoundTitle string
}

func (m *Module) reportListPage(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	if err := m.svc.MayReadReports(p); err != nil {
		return err
	}
	id := incident.ID(r.PathValue("id"))
	inc, err := m.inc.Incident(p, id, incident.AsOf{})
	if err != nil {
		return err
	}
	v := r.URL.Query()
	asOf, err := pointInTime(r)
	if err != nil {
		return err
	}
	q := situation.ReportQuery{AsOf: asOf, Incident: id, Round: situation.RoundID(v.Get("round")), Unit: v.Get("unit")}
	var ids []string
	for _, x := range strings.Split(v.Get("ids"), ",") {
		if x = strings.TrimSpace(x); x != "" {
			ids = append(ids, x)
		}
	}
	if len(ids) > 2000 {
		return fail.Field("ids", "names %d reports; at most 2000", len(ids))
	}
	reps, err := m.svc.Reports(p, q, "reports list")
	if err != nil {
		return err
	}
	titles := map[situation.RoundID]string{}
	rounds, _ := m.svc.Rounds(p, id, incident.AsOf{})
	for _, rd := range rounds {
		titles[rd.Round] = rd.Title + " (" + web.T(web.LangOf(r), "rounds.deadline.short") + " " + clockOf(rd.Deadline) + ")"
	}
	pg := reportListPage{Base: m.sh.Base(r, &p, web.T(web.LangOf(r), "rd.reports.title")+" – "+inc.Title), Incident: inc, Selected: len(ids) > 0}
	if q.Round != "" {
		pg.Round, _ = m.svc.Round(p, q.Round, incident.AsOf{})
	}
	if q.Unit != "" {
		pg.UnitName = m.dir.UnitName(q.Unit)
	}
	for _, rep := range reps {
		if len(ids) > 0 && !slices.Contains(ids, string(rep.Report)) {
			continue
		}
		pg.Reports = append(pg.Reports, reportListRow{Rep: rep, Name: m.dir.UnitName(rep.Unit), RoundTitle: titles[rep.Round]})
	}
	slices.Reverse(pg.Reports) // newest first
	m.sh.Render(w, r, "rd-reports", pg)
	return nil
}

// figLink is a figure of the roll-up with the address of the reports
// behind it: one report's page, or the list of several.
type figLink struct {
	Value int
	Href  string
}

func figOf(inc incident.ID, value int, reports []situation.ReportID) figLink {
	f := figLink{Value: value}
	switch len(reports) {
	case 0:
	case 1:
		f.Href = "/reports/" + url.PathEscape(string(reports[0]))
	default:
		ids := make([]string, len(reports))
		for i, r := range reports {
			ids[i] = string(r)
		}
		f.Href = "/incidents/" + url.PathEscape(string(inc)) + "/reports?ids=" + url.QueryEscape(strings.Join(ids, ","))
	}
	return f
}

func refsFig(inc incident.ID, refs []situation.UnitRef) figLink {
	ids := make([]situation.ReportID, 0, len(refs))
	for _, r := range refs {
		if r.Report != "" {
			ids = append(ids, r.Report)
		}
	}
	return figOf(inc, len(refs), ids)
}

type deltaView struct {
	Label         string // message key
	Before, After figLink
	Change        int
}

type systemView struct {
	Name             string
	Down, Degraded   figLink
	DownU, DegradedU []situation.UnitRef
}

type supplyView struct {
	Name  string
	Count figLink
	Units []situation.UnitRef
	Notes []string
}

type rollupView struct {
	situation.Rollup
	Lang      web.Lang
	Incident  incident.ID
	ID        string // the section's element id
	Reported  figLink
	Normal    figLink
	Limited   figLink
	Closed    figLink
	Figures   []deltaView // After only, unless there is a previous round
	Systems   []systemView
	Supplies  []supplyView
	HasChange bool
}

func rollupViewOf(lang web.Lang, inc incident.ID, r situation.Rollup) rollupView {
	v := rollupView{Rollup: r, Lang: lang, Incident: inc, ID: "scope-" + r.Scope, Reported: figOf(inc, r.Reported.Value, r.Reported.Reports),
		Normal: figOf(inc, r.Normal.Value, r.Normal.Reports), Limited: refsFig(inc, r.Limited), Closed: refsFig(inc, r.Closed),
		HasChange: r.Changes != nil}
	type pair struct {
		key  string
		now  situation.Figure
		diff *situation.Delta
	}
	pairs := []pair{{"rd.report.beds.total", r.Beds.Total, nil}, {"rd.report.beds.occupied", r.Beds.Occupied, nil},
		{"rd.report.beds.available", r.Beds.Available, nil}, {"rd.report.staff.present", r.Staff.Present, nil},
		{"rd.report.staff.missing", r.Staff.Missing, nil}}
	if c := r.Changes; c != nil {
		pairs[0].diff, pairs[1].diff, pairs[2].diff = &c.Beds.Total, &c.Beds.Occupied, &c.Beds.Available
		pairs[3].diff, pairs[4].diff = &c.Staff.Present, &c.Staff.Missing
	}
	for _, x := range pairs {
		d := deltaView{Label: x.key, After: figOf(inc, x.now.Value, x.now.Reports)}
		if x.diff != nil {
			d.Before, d.Change = figOf(inc, x.diff.Before.Value, x.diff.Before.Reports), x.diff.Change
		}
		v.Figures = append(v.Figures, d)
	}
	for _, sys := range r.Systems {
		v.Systems = append(v.Systems, systemView{Name: sys.Name, Down: refsFig(inc, sys.Down), Degraded: refsFig(inc, sys.Degraded),
			DownU: sys.Down, DegradedU: sys.Degraded})
	}
	for _, sup := range r.Supplies {
		v.Supplies = append(v.Supplies, supplyView{Name: sup.Name, Count: refsFig(inc, sup.Units), Units: sup.Units, Notes: sup.Notes})
	}
	return v
}

type unitStateView struct {
	situation.UnitState
	HospitalName string
}

// rollupContent is what the live container of the overview holds.
type rollupContent struct {
	Lang      web.Lang
	Incident  incident.ID
	Region    rollupView
	Hospitals []rollupView
	Units     []unitStateView
	Empty     bool
	Previous  situation.Round
}

type overviewPage struct {
	web.Base
	Incident incident.Incident
	Rounds   []situation.Round
	Round    situation.RoundID
	Query    url.Values
	AsOf     asOfBanner
	Content  rollupContent
	Printed  time.Time
}

func (m *Module) loadOverview(r *http.Request, p auth.Principal) (overviewPage, error) {
	if err := m.svc.MayReadReports(p); err != nil {
		return overviewPage{}, err
	}
	id := incident.ID(r.PathValue("id"))
	asOf, err := pointInTime(r)
	if err != nil {
		return overviewPage{}, err
	}
	inc, err := m.inc.Incident(p, id, incident.AsOf{})
	if err != nil {
		return overviewPage{}, err
	}
	round := situation.RoundID(r.URL.Query().Get("round"))
	ov, err := m.svc.Overview(p, situation.OverviewQuery{AsOf: asOf, Incident: id, Round: round})
	if err != nil {
		if fe := fail.As(err); fe.Code == fail.NotFound && round != "" {
			bad := *fe // a round that is not there is a bad parameter of this page
			bad.Code, bad.Field = fail.Invalid, "round"
			return overviewPage{}, &bad
		}
		return overviewPage{}, err
	}
	rounds, err := m.svc.Rounds(p, id, asOf)
	if err != nil {
		return overviewPage{}, err
	}
	lang := web.LangOf(r)
	pg := overviewPage{Base: m.sh.Base(r, &p, web.T(lang, "overview.title")+" – "+inc.Title), Incident: inc, Rounds: rounds,
		Round: round, Query: r.URL.Query(), AsOf: asOfBanner{lang, asOf, nowLink(r)}, Printed: m.sh.Now()}
	if asOf.IsNow() {
		pg.LiveIncident = id
	}
	c := rollupContent{Lang: lang, Incident: id, Region: rollupViewOf(lang, id, ov.Region), Empty: ov.Region.Reported.Value == 0 && ov.Region.Asked == 0}
	if ov.Previous != "" {
		c.Previous, _ = m.svc.Round(p, ov.Previous, asOf)
	}
	for _, h := range ov.Hospitals {
		if h.Asked == 0 && h.Reported.Value == 0 {
			continue // a hospital with no unit in the rounds has nothing to show
		}
		c.Hospitals = append(c.Hospitals, rollupViewOf(lang, id, h))
	}
	for _, u := range ov.Units {
		c.Units = append(c.Units, unitStateView{UnitState: u, HospitalName: m.dir.UnitName(u.Hospital)})
	}
	pg.Content = c
	return pg, nil
}

func (m *Module) overviewPage(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	pg, err := m.loadOverview(r, p)
	if err != nil {
		return err
	}
	m.sh.Render(w, r, "rd-overview", pg)
	return nil
}

func (m *Module) overviewPrint(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	pg, err := m.loadOverview(r, p)
	if err != nil {
		return err
	}
	m.sh.Render(w, r, "rd-overview-print", pg)
	return nil
}
