package continuityui

import (
	"net/http"
	"net/url"
	"strings"

	"fyr/internal/auth"
	"fyr/internal/continuity"
	"fyr/internal/event"
	"fyr/internal/incident"
	"fyr/internal/web"
)

// The pages of backup routines in an incident (issue 11, point 5):
//
//	GET  /incidents/{id}/routines   the staff's live board per routine; the form to activate one
//	POST /incidents/{id}/routines   activate a routine for an audience of units
//	GET  /unit/routines             a unit's active routines: steps to read, one tap per state (?unit= for the staff)
//	POST /unit/routines             a unit's report of a routine
//	GET  /unit/routines/binder      the unit's reservrutinpärm: every routine of the unit on A4 (?unit= for the staff)
//
// Every role check is the service's.

var routineMessages = map[string][2]string{
	"rr.title":             {"Reservrutiner", "Backup routines"},
	"rr.board.title":       {"Reservrutiner i händelsen", "Backup routines in the incident"},
	"rr.board.none":        {"Ingen reservrutin är aktiverad i händelsen.", "No backup routine is activated in the incident."},
	"rr.activate":          {"Aktivera en reservrutin för enheter", "Activate a backup routine for units"},
	"rr.activate.submit":   {"Skicka reservrutinen", "Send the routine"},
	"rr.routine":           {"Reservrutin", "Backup routine"},
	"rr.note":              {"Meddelande till enheterna (valfritt)", "Message to the units (optional)"},
	"rr.activated":         {"Aktiverad", "Activated"},
	"rr.to":                {"till", "to"},
	"rr.units":             {"enheter", "units"},
	"rr.receipts":          {"Kvittenser", "Receipts"},
	"rr.unit":              {"Enhet", "Unit"},
	"rr.state":             {"Läge", "State"},
	"rr.reported":          {"Rapporterat", "Reported"},
	"rr.by":                {"av", "by"},
	"rr.onbehalf":          {"per telefon", "by phone"},
	"rr.state.":            {"Ej rapporterat", "Not reported"},
	"rr.state.started":     {"Startad", "Started"},
	"rr.state.working":     {"Fungerar", "Working"},
	"rr.state.not_working": {"Fungerar inte", "Not working"},
	"rr.of":                {"av", "of"},
	"rr.steps":             {"Steg", "Steps"},
	"rr.paper":             {"Pappersexemplar", "Paper copy"},
	"rr.owner":             {"Ansvarig", "Owner"},
	"rr.for":               {"Ersätter", "Stands in for"},
	"rr.needs":             {"Behöver själv", "Needs itself"},
	"rr.yours":             {"Ert senaste besked", "Your last report"},
	"rr.report.note":       {"Kommentar (krävs för ”fungerar inte”)", "Note (required for “not working”)"},
	"rr.unit.none":         {"Enheten har ingen aktiverad reservrutin just nu.", "The unit has no activated backup routine right now."},
	"rr.saved":             {"Rapporterat", "Reported"},
	"rr.binder":            {"Reservrutinpärm", "Backup routine binder"},
	"rr.binder.link":       {"Enhetens reservrutinpärm (A4)", "The unit's backup routine binder (A4)"},
	"rr.binder.none":       {"Inga reservrutiner gäller det enheten använder.", "No backup routine covers what the unit uses."},
	"rr.binder.printed":    {"Utskriven", "Printed"},
	"rr.incident":          {"Händelse", "Incident"},
	"rr.unit.pick":         {"Enhet", "Unit"},
	"rr.show":              {"Visa", "Show"},
	"rr.board.link":        {"Reservrutiner i händelsen", "Backup routines in the incident"},
	"rr.registry.none":     {"Registret har inga reservrutiner ännu: en administratör lägger in dem i kontinuitetsregistret.", "The registry has no backup routines yet: an administrator adds them to the continuity registry."},
	"livemark.routines":    {"Uppdateras direkt när enheter rapporterar", "Updates live as units report"},
}

func init() { web.AddMessages(routineMessages) }

// mountRoutines registers the API and pages of backup routines in an
// incident, and the live frames of the staff's board.
func (m *Module) mountRoutines(sh *web.Server) {
	for _, rt := range m.routineRoutes() {
		sh.HandleAPI(rt)
	}
	sh.HandlePage("GET /incidents/{id}/routines", m.boardPage)
	sh.HandlePage("POST /incidents/{id}/routines", m.activateSubmit)
	sh.HandlePage("GET /unit/routines", m.unitRoutinesPage)
	sh.HandlePage("POST /unit/routines", m.reportSubmit)
	sh.HandlePage("GET /unit/routines/binder", m.binderPage)
	sh.HandleLive("continuity.routine_", m.publishRoutine)
}

// publishRoutine tells the staff's board of the incident that a routine
// was activated or reported: the page fetches its board again (the frame
// carries no content, so it serves every language and role).
func (m *Module) publishRoutine(e event.Envelope, out web.LiveOut) {
	var ref struct {
		Incident incident.ID `json:"incident"`
	}
	if e.Unmarshal(&ref) != nil || ref.Incident == "" {
		return
	}
	out.Send(out.Frame("situation", struct {
		Incident incident.ID `json:"incident"`
		Type     string      `json:"type"`
	}{ref.Incident, strings.TrimPrefix(e.Type, "continuity.")}), ref.Incident, nil)
}

type boardPage struct {
	web.Base
	Board    continuity.RoutineBoard
	AsOf     incident.AsOf
	CanWrite bool
	Routines []web.Option
	Audience web.AudienceView
	Form     url.Values
	Error    *web.FormError
}

func (m *Module) boardPage(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	return m.showBoard(w, r, p, nil, nil)
}

func (m *Module) showBoard(w http.ResponseWriter, r *http.Request, p auth.Principal, ferr *web.FormError, form url.Values) error {
	a, err := asOf(r)
	if err != nil {
		return err
	}
	id := web.IncidentID(r)
	b, err := m.svc.RoutineBoard(p, id, a)
	if err != nil {
		return err
	}
	lang := web.LangOf(r)
	pg := boardPage{Base: m.sh.Base(r, &p, web.T(lang, "rr.board.title")+" – "+b.IncidentTitle), Board: b, AsOf: a,
		CanWrite: auth.Can(p.Role, auth.WriteIncidents) && !b.Closed && a.At.IsZero() && a.KnownAt.IsZero(), Error: ferr}
	if a.At.IsZero() && a.KnownAt.IsZero() {
		pg.LiveIncident = id
	}
	if pg.CanWrite {
		if form == nil {
			form = url.Values{}
		}
		rts, err := m.svc.Routines(p)
		if err != nil {
			return err
		}
		ids, titles := []string{}, map[string]string{}
		for _, rt := range rts {
			ids = append(ids, rt.ID)
			titles[rt.ID] = rt.Title
		}
		pg.Routines = web.Options(ids, func(id string) string { return titles[id] }, form["routine"])
		pg.Audience = m.sh.AudienceView(lang, form)
		pg.Form = form
	}
	if ferr != nil {
		w.WriteHeader(http.StatusBadRequest)
	}
	m.sh.Render(w, r, "rr-board", pg)
	return nil
}

func (m *Module) activateSubmit(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	if err := r.ParseForm(); err != nil {
		return web.BadForm(err)
	}
	f := r.PostForm
	_, err := m.svc.ActivateRoutine(r.Context(), p, continuity.Activate{Incident: web.IncidentID(r), Routine: f.Get("routine"),
		Audience: web.AudienceOf(f), Note: f.Get("note")})
	if err != nil {
		ferr, err := web.FormFailure("activate", err)
		if err != nil {
			return err
		}
		return m.showBoard(w, r, p, ferr, f)
	}
	http.Redirect(w, r, "/incidents/"+string(web.IncidentID(r))+"/routines", http.StatusSeeOther)
	return nil
}

type unitRoutinesPage struct {
	web.Base
	Unit     string
	UnitName string
	Routines []continuity.UnitRoutine
	Saved    *continuity.UnitRoutine // the routine just reported, confirmed at the top
	Error    *web.FormError
	ErrorFor string // the routine whose form was refused
	Note     string
}

func (m *Module) unitRoutinesPage(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	return m.showUnit(w, r, p, r.URL.Query().Get("unit"), r.URL.Query().Get("saved"), nil, "", "")
}

func (m *Module) showUnit(w http.ResponseWriter, r *http.Request, p auth.Principal, unit, saved string,
	ferr *web.FormError, errFor, note string) error {
	unit, rts, err := m.svc.UnitRoutines(p, unit)
	if err != nil {
		return err
	}
	lang := web.LangOf(r)
	b, err := m.svc.Binder(p, unit)
	if err != nil {
		return err
	}
	pg := unitRoutinesPage{Base: m.sh.Base(r, &p, web.T(lang, "rr.title")+" – "+b.Unit.Name), Unit: unit, UnitName: b.Unit.Name,
		Routines: rts, Error: ferr, ErrorFor: errFor, Note: note}
	for i, rt := range rts {
		if saved != "" && saved == string(rt.Incident)+"/"+rt.Routine && rt.Mine.State != "" {
			pg.Saved = &rts[i]
		}
	}
	if ferr != nil {
		w.WriteHeader(http.StatusBadRequest)
	}
	m.sh.Render(w, r, "rr-unit", pg)
	return nil
}

func (m *Module) reportSubmit(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	if err := r.ParseForm(); err != nil {
		return web.BadForm(err)
	}
	f := r.PostForm
	unit := f.Get("unit")
	if p.Role == auth.Unit {
		unit = "" // its own
	}
	rep, err := m.svc.ReportRoutine(r.Context(), p, continuity.ReportRoutine{Incident: incident.ID(f.Get("incident")),
		Routine: f.Get("routine"), Unit: unit, State: continuity.RoutineState(f.Get("state")), Note: f.Get("note")})
	if err != nil {
		ferr, err := web.FormFailure("report", err)
		if err != nil {
			return err
		}
		return m.showUnit(w, r, p, unit, "", ferr, f.Get("incident")+"/"+f.Get("routine"), f.Get("note"))
	}
	// Back to the page, which confirms at the top what was reported; a
	// reload does not submit again.
	q := url.Values{"saved": {string(rep.Incident) + "/" + rep.Routine}}
	if p.Role != auth.Unit {
		q.Set("unit", rep.Unit)
	}
	http.Redirect(w, r, "/unit/routines?"+q.Encode(), http.StatusSeeOther)
	return nil
}

type binderPage struct {
	web.Base
	Binder  continuity.Binder
	Printed any
}

func (m *Module) binderPage(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	b, err := m.svc.Binder(p, r.URL.Query().Get("unit"))
	if err != nil {
		return err
	}
	lang := web.LangOf(r)
	m.sh.Render(w, r, "rr-binder", binderPage{Base: m.sh.Base(r, &p, web.T(lang, "rr.binder")+" – "+b.Unit.Name), Binder: b,
		Printed: m.sh.Now()})
	return nil
}
