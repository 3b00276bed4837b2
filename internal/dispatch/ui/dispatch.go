package dispatchui

import (
	"net/http"
	"time"

	"fyr/internal/auth"
	"fyr/internal/dispatch"
	"fyr/internal/fail"
	"fyr/internal/incident"
	"fyr/internal/web"
)

// dispatchMessages are the UI strings of dispatches: Swedish, English.
var dispatchMessages = map[string][2]string{
	"dispatch.list":          {"Utskick", "Dispatches"},
	"dispatch.none":          {"Inga utskick ännu.", "No dispatches yet."},
	"dispatch.new":           {"Nytt utskick", "New dispatch"},
	"dispatch.kind":          {"Innehåll", "Content"},
	"dispatch.kind.decision": {"Ett beslut ur journalen", "A decision from the journal"},
	"dispatch.kind.message":  {"Ett meddelande", "A message"},
	"dispatch.decision":      {"Beslut", "Decision"},
	"dispatch.body":          {"Meddelande", "Message"},
	"dispatch.question":      {"Fråga med fasta svar (valfri)", "Question with fixed answers (optional)"},
	"dispatch.answers":       {"Svarsalternativ, ett per rad", "Answers, one per line"},
	"dispatch.deadline":      {"Kvittens senast (minuter från nu)", "Receipt deadline (minutes from now)"},
	"dispatch.send":          {"Skicka", "Send"},
	"dispatch.reached":       {"Uppnått", "Reached"},
	"dispatch.missing":       {"Ej kvitterat", "Not acknowledged"},
	"dispatch.unit":          {"Enhet", "Unit"},
	"dispatch.state":         {"Läge", "State"},
	"dispatch.acked":         {"kvitterat", "acknowledged"},
	"dispatch.opened":        {"öppnat", "opened"},
	"dispatch.waiting":       {"väntar", "waiting"},
	"dispatch.steps":         {"Eskalering", "Escalation"},
	"dispatch.ack":           {"Kvittera: mottaget och uppfattat", "Acknowledge: received and understood"},
	"dispatch.ack.for":       {"Kvittens lämnad per telefon för enheten", "Receipt given by phone for the unit"},
	"dispatch.readback":      {"Återläsning (valfri): med egna ord, vad gäller?", "Read-back (optional): in your own words, what applies?"},
	"dispatch.your.ack":      {"Din enhet har kvitterat", "Your unit has acknowledged"},
	"dispatch.deadline.at":   {"Kvittens senast", "Receipt due by"},
	"dispatch.inbox.empty":   {"Inga utskick till din enhet.", "No dispatches to your unit."},
	"dispatch.no.unit":       {"Ditt konto är inte knutet till någon enhet. Kontakta staben.", "Your account is not tied to a unit. Contact the staff."},
	"dispatch.print":         {"Utskrift", "Print"},
	"dispatch.answer":        {"Svar", "Answer"},
	"step.0":                 {"första kanal", "first channel"},
	"step.1":                 {"nästa kanal", "next channel"},
	"step.2":                 {"ersättare", "deputies"},
	"step.3":                 {"överordnad enhet", "parent unit"},
	"channel.inapp":          {"i Fyr", "in Fyr"},
	"channel.email":          {"e-post", "e-mail"},
	"channel.sms":            {"SMS", "SMS"},
	"channel.webhook":        {"webhook", "webhook"},
	"dispatch.failover":      {"omsänt: ingen leveransrapport från", "sent again: no delivery report from"},
	"channel.phone":          {"telefon (registrerat av staben)", "phone (recorded by the staff)"},
	"receipt.thanks":         {"Tack. Kvittensen är registrerad hos krisledningen.", "Thank you. The crisis staff has your receipt."},
	"dispatch.last":          {"Senaste försök", "Last attempt"},
	"dispatch.per.channel":   {"Per kanal", "Per channel"},
	"dispatch.channel":       {"Kanal", "Channel"},
	"dispatch.attempts":      {"Försök", "Attempts"},
	"outcome.pending":        {"pågår", "under way"},
	"outcome.handed":         {"lämnat till kanalen", "handed to the channel"},
	"outcome.failed":         {"misslyckades", "failed"},
	"outcome.delivered":      {"levererat", "delivered"},
	"receipt.problem":        {"Länken fungerar inte", "The link does not work"},
	"receipt.call":           {"Kontakta krisledningen per telefon för att kvittera.", "Call the crisis staff to acknowledge."},
	"receipt.to":             {"Till", "To"},
	"receipt.covered":        {"Enheten har redan kvitterat genom", "The unit has already acknowledged through"},
}

func init() { web.AddMessages(dispatchMessages) }

// coverageView is the live part of the coverage board.
type coverageView struct {
	Lang     web.Lang
	Dispatch dispatch.Dispatch
}

// unitRowView is one unit's row on the board.
type unitRowView struct {
	Lang  web.Lang
	State dispatch.UnitState
	Name  string
}

type boardPage struct {
	web.Base
	Incident incident.Incident
	Coverage coverageView
	Rows     []unitRowView
	CanWrite bool
	Printed  time.Time
}

type unitDispatchPage struct {
	web.Base
	View     dispatch.UnitView
	UnitName string
	Error    *web.FormError
	Round    string // the reporting round a call to report belongs to
}

type inboxPage struct {
	web.Base
	Items    []dispatch.UnitView
	UnitName string
}

func (m *Module) dispatchRoutes() {
	m.sh.HandlePage("GET /incidents/{id}/dispatch", m.dispatchForm)
	m.sh.HandlePage("POST /incidents/{id}/dispatch", m.dispatchSubmit)
	m.sh.HandlePage("GET /dispatches/{id}", m.dispatchPage)
	m.sh.HandlePage("GET /dispatches/{id}/print", m.dispatchPrint)
	m.sh.HandlePage("POST /dispatches/{id}/ack", m.ackSubmit)
	m.sh.HandlePage("GET /inbox", m.inbox)
}

// dispatchPage is the coverage board for the staff, and the message with
// its receipt form for a unit's own account.
func (m *Module) dispatchPage(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	id := dispatch.ID(r.PathValue("id"))
	lang := web.LangOf(r)
	if p.Role == auth.Unit {
		return m.showUnitDispatch(w, r, p, id, nil)
	}
	d, states, err := m.svc.Dispatch(p, id)
	if err != nil {
		return err
	}
	inc, err := m.inc.Incident(p, d.Incident, incident.AsOf{})
	if err != nil {
		return err
	}
	pg := boardPage{Base: m.sh.Base(r, &p, d.Title), Incident: inc, Coverage: coverageView{lang, d},
		CanWrite: auth.Can(p.Role, auth.WriteIncidents) && !inc.Closed}
	pg.LiveIncident = d.Incident
	pg.Rows = m.boardRows(lang, states)
	m.sh.Render(w, r, "dispatch-board", pg)
	return nil
}

// boardRows lists the units not yet acknowledged first: those are the
// units to chase.
func (m *Module) boardRows(lang web.Lang, states []dispatch.UnitState) []unitRowView {
	rows := make([]unitRowView, 0, len(states))
	for _, acked := range []bool{false, true} {
		for _, st := range states {
			if (st.Ack != nil) == acked {
				rows = append(rows, unitRowView{lang, st, m.dir.UnitName(st.Unit)})
			}
		}
	}
	return rows
}

// dispatchPrint is the coverage board on A4: for the wall of the staff room
// and for the after-action review.
func (m *Module) dispatchPrint(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	d, states, err := m.svc.Dispatch(p, dispatch.ID(r.PathValue("id")))
	if err != nil {
		return err
	}
	inc, err := m.inc.Incident(p, d.Incident, incident.AsOf{})
	if err != nil {
		return err
	}
	lang := web.LangOf(r)
	pg := boardPage{Base: m.sh.Base(r, &p, d.Title), Incident: inc, Coverage: coverageView{lang, d},
		Printed: m.now(), Rows: m.boardRows(lang, states)}
	m.sh.Render(w, r, "dispatch-print", pg)
	return nil
}

func (m *Module) showUnitDispatch(w http.ResponseWriter, r *http.Request, p auth.Principal, id dispatch.ID, ferr *web.FormError) error {
	if p.Unit == "" {
		return fail.New(fail.Forbidden, "this account is not tied to a unit")
	}
	var view *dispatch.UnitView
	for _, v := range m.svc.Inbox(p) {
		if v.Dispatch.Dispatch == id {
			view = &v
			break
		}
	}
	if view == nil {
		return fail.New(fail.NotFound, "no dispatch %q to your unit", id)
	}
	if view.Mine.Opened.IsZero() && r.Method == http.MethodGet {
		if err := m.svc.MarkOpened(r.Context(), p, id); err != nil {
			m.sh.Logger().Warn("mark opened", "dispatch_id", id, "err", err)
		}
	}
	if ferr != nil {
		w.WriteHeader(http.StatusBadRequest)
	}
	pg := unitDispatchPage{Base: m.sh.Base(r, &p, view.Dispatch.Title), View: *view, UnitName: m.dir.UnitName(p.Unit), Error: ferr}
	if rd, err := m.sit.RoundForDispatch(p, id); err == nil && !rd.Closed {
		pg.Round = string(rd.Round) // a call to report: the form is what answers it
	}
	m.sh.Render(w, r, "dispatch-unit", pg)
	return nil
}

func (m *Module) ackSubmit(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	id := dispatch.ID(r.PathValue("id"))
	_, err := m.svc.Acknowledge(r.Context(), p, dispatch.Acknowledge{Dispatch: id, Unit: r.PostFormValue("unit"),
		Answer: r.PostFormValue("answer"), Readback: r.PostFormValue("readback")})
	if err != nil {
		ferr, err := web.FormFailure("ack", err)
		if err != nil {
			return err
		}
		if p.Role == auth.Unit {
			return m.showUnitDispatch(w, r, p, id, ferr)
		}
		return err
	}
	http.Redirect(w, r, "/dispatches/"+string(id), http.StatusSeeOther)
	return nil
}

func (m *Module) inbox(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	m.sh.Render(w, r, "inbox", inboxPage{Base: m.sh.Base(r, &p, web.T(web.LangOf(r), "nav.inbox")), Items: m.svc.Inbox(p),
		UnitName: m.dir.UnitName(p.Unit)})
	return nil
}
