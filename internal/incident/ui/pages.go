package incidentui

import (
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"fyr/internal/auth"
	"fyr/internal/fail"
	"fyr/internal/incident"
	"fyr/internal/web"
)

// levelsView is what the layout's "levels" template shows.
type levelsView struct {
	Lang     web.Lang
	Incident incident.Incident
	Names    map[string]string
}

type incidentsPage struct {
	web.Base
	Incidents []incident.Incident
	CanWrite  bool
	Hospitals map[string]string
	Error     *web.FormError
	Form      url.Values
}

type incidentPage struct {
	web.Base
	Incident incident.Incident
	Levels   levelsView
	Entries  []incident.Entry
	// Shown are Entries prepared for the "entry" template (not when printing).
	Shown    []entryView
	Serials  map[string]int
	CanWrite bool
	CanRead  bool
	Names    map[string]string
	Query    url.Values
	AsOf     incident.AsOf
	Error    *web.FormError
	Form     url.Values
	Exported time.Time
	Filtered bool
	Printing bool
	// Panels are the other capabilities' parts of the page (the situation
	// picture, the dispatches), for the journal's readers.
	Panels []template.HTML
	// Pager links the journal's other pages (not when printing).
	Pager pager
	// Saved is the entry the last submission wrote, confirmed at the top;
	// SavedLink shows it.
	Saved     *incident.Entry
	SavedLink string
	// FormToken identifies this rendering of the journal form.
	FormToken string
}

func (m *Module) incidentsPage(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	return m.showIncidents(w, r, p, nil, nil)
}

func (m *Module) showIncidents(w http.ResponseWriter, r *http.Request, p auth.Principal, ferr *web.FormError, form url.Values) error {
	list, err := m.svc.List(p)
	if err != nil {
		return err
	}
	if ferr != nil {
		w.WriteHeader(http.StatusBadRequest)
	}
	m.sh.Render(w, r, "incidents", incidentsPage{Base: m.sh.Base(r, &p, web.T(web.LangOf(r), "incidents.title")), Incidents: list,
		CanWrite: auth.Can(p.Role, auth.WriteIncidents), Hospitals: m.scopeNames(), Error: ferr, Form: form})
	return nil
}

func (m *Module) openSubmit(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	at, err := web.ParseTime("occurred_at", r.PostFormValue("occurred_at"))
	cmd := incident.Open{Title: r.PostFormValue("title"), Description: r.PostFormValue("description"),
		Scope: r.PostFormValue("scope"), Level: incident.Level(r.PostFormValue("level")),
		Exercise: r.PostFormValue("exercise") == "on", Reason: r.PostFormValue("reason"),
		DecidedBy: r.PostFormValue("decided_by"), Function: r.PostFormValue("function"), OccurredAt: at}
	var inc incident.Incident
	if err == nil {
		inc, err = m.svc.OpenIncident(r.Context(), p, cmd)
	}
	if err != nil {
		ferr, err := web.FormFailure("open", err)
		if err != nil {
			return err
		}
		return m.showIncidents(w, r, p, ferr, r.PostForm)
	}
	http.Redirect(w, r, "/incidents/"+string(inc.ID), http.StatusSeeOther)
	return nil
}

func (m *Module) loadIncident(r *http.Request, p auth.Principal, printing bool) (incidentPage, error) {
	id := incident.ID(r.PathValue("id"))
	q, err := web.ParseQuery(r)
	if err != nil {
		return incidentPage{}, err
	}
	if printing {
		q.ByTime = true
	}
	inc, err := m.svc.Incident(p, id, q.AsOf)
	if err != nil {
		return incidentPage{}, err
	}
	lang := web.LangOf(r)
	names := m.scopeNames()
	pg := incidentPage{Base: m.sh.Base(r, &p, inc.Title), Incident: inc, Levels: levelsView{lang, inc, names},
		CanWrite: auth.Can(p.Role, auth.WriteIncidents) && !inc.Closed && q.IsNow(),
		CanRead:  auth.Can(p.Role, auth.ReadJournal), Names: names, Query: r.URL.Query(), AsOf: q.AsOf,
		Exported: m.sh.Now(), Printing: printing,
		Filtered: q.Text != "" || q.Kind != "" || q.Author != "" || !q.From.IsZero() || !q.To.IsZero()}
	if q.IsNow() && !printing {
		pg.LiveIncident = id
	}
	if pg.CanRead && !printing {
		if pg.Panels, err = m.sh.Panels("incident", r, p); err != nil {
			return pg, err
		}
	}
	if pg.CanRead {
		purpose := "page"
		if printing {
			purpose = "print"
		}
		if printing { // the print is the whole timeline
			if pg.Entries, err = m.svc.Journal(p, id, q, purpose); err != nil {
				return pg, err
			}
		} else { // on screen one page, newest first, with links to the others
			page, err := parsePage(r, PageSize, 200)
			if err != nil {
				return pg, err
			}
			page.Newest = !q.ByTime
			out, err := m.svc.JournalPage(p, id, q, page, purpose)
			if err != nil {
				return pg, err
			}
			pg.Entries, pg.Pager = out.Entries, pagerOf(r, inc, out, pg.Filtered)
		}
		pg.Serials = m.serialsOf(id, pg.Entries)
		if !printing {
			pg.Shown = make([]entryView, len(pg.Entries))
			for i, e := range pg.Entries {
				pg.Shown[i] = entryView{Lang: lang, Entry: flatEntry(e), Refs: pg.Serials, Names: names}
			}
		}
	}
	if pg.CanWrite && !printing {
		pg.FormToken = newFormToken()
		if pg.Saved = m.savedEntry(r, p, id); pg.Saved != nil {
			pg.SavedLink = entryLink(id, *pg.Saved, pg.Entries)
		}
	}
	return pg, nil
}

func (m *Module) incidentPage(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	pg, err := m.loadIncident(r, p, false)
	if err != nil {
		return err
	}
	m.sh.Render(w, r, "incident", pg)
	return nil
}

func (m *Module) printPage(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	if err := p.Require(auth.ReadJournal); err != nil {
		return err
	}
	pg, err := m.loadIncident(r, p, true)
	if err != nil {
		return err
	}
	m.sh.Render(w, r, "print", pg)
	return nil
}

func (m *Module) showIncidentError(w http.ResponseWriter, r *http.Request, p auth.Principal, ferr *web.FormError) error {
	pg, err := m.loadIncident(r, p, false)
	if err != nil {
		return err
	}
	pg.Error, pg.Form = ferr, r.PostForm
	w.WriteHeader(http.StatusBadRequest)
	m.sh.Render(w, r, "incident", pg)
	return nil
}

// afterSubmit redirects on success and shows the form's error otherwise.
func (m *Module) afterSubmit(w http.ResponseWriter, r *http.Request, p auth.Principal, form string, err error, anchor string) error {
	if err != nil {
		ferr, err := web.FormFailure(form, err)
		if err != nil {
			return err
		}
		return m.showIncidentError(w, r, p, ferr)
	}
	http.Redirect(w, r, "/incidents/"+r.PathValue("id")+anchor, http.StatusSeeOther)
	return nil
}

func (m *Module) levelSubmit(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	at, err := web.ParseTime("occurred_at", r.PostFormValue("occurred_at"))
	if err == nil {
		_, err = m.svc.ChangeLevel(r.Context(), p, incident.ChangeLevel{Incident: incident.ID(r.PathValue("id")),
			Scope: r.PostFormValue("scope"), Level: incident.Level(r.PostFormValue("level")),
			Reason: r.PostFormValue("reason"), DecidedBy: r.PostFormValue("decided_by"),
			Function: r.PostFormValue("function"), Channel: r.PostFormValue("channel"), OccurredAt: at})
	}
	return m.afterSubmit(w, r, p, "level", err, "#levels")
}

func (m *Module) recordSubmit(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	id := incident.ID(r.PathValue("id"))
	var saved incident.Entry
	err := func() error {
		f := r.PostFormValue
		at, err := web.ParseTime("occurred_at", f("occurred_at"))
		if err != nil {
			return err
		}
		cmd := incident.Record{Incident: id, Kind: incident.Kind(f("kind")), Text: f("text"), OccurredAt: at,
			Function: f("function"), Source: f("source"), Channel: f("channel"), From: f("from"), To: f("to"),
			Verified: f("verified") == "on", FormToken: f("form_token")}
		if cmd.Corrects, err = m.entryBySerial(id, "corrects", f("corrects")); err != nil {
			return err
		}
		switch cmd.Kind {
		case incident.Decision:
			valid, err := web.ParseTime("decision.valid_until", f("valid_until"))
			if err != nil {
				return err
			}
			var inform []string
			for _, l := range strings.Split(f("inform"), "\n") {
				if l = strings.TrimSpace(l); l != "" {
					inform = append(inform, l)
				}
			}
			cmd.Decision = &incident.DecisionInfo{DecisionMaker: f("decision_maker"), Mandate: f("mandate"),
				Rationale: f("rationale"), ValidUntil: valid, Inform: inform}
		case incident.Task:
			deadline, err := web.ParseTime("task.deadline", f("deadline"))
			if err != nil {
				return err
			}
			updates, err := m.entryBySerial(id, "task.updates", f("updates"))
			if err != nil {
				return err
			}
			cmd.Task = &incident.TaskInfo{Owner: f("owner"), Deadline: deadline, Status: incident.TaskStatus(f("status")),
				ReportBack: f("report_back"), Updates: updates}
		}
		saved, err = m.svc.Record(r.Context(), p, cmd)
		return err
	}()
	// Saved: back to the top of the page, which confirms it with the
	// entry's number (saved=); the page does not jump away from that.
	return m.afterSubmit(w, r, p, "record", err, "?saved="+strconv.Itoa(saved.Serial))
}

// entryBySerial turns the entry number a person types into the entry's id.
func (m *Module) entryBySerial(id incident.ID, field, serial string) (string, error) {
	serial = strings.TrimSpace(strings.TrimPrefix(serial, "#"))
	if serial == "" {
		return "", nil
	}
	n, err := strconv.Atoi(serial)
	if err != nil {
		return "", fail.Field(field, "%q is not an entry number", serial)
	}
	e, ok := m.svc.EntryBySerial(id, n)
	if !ok {
		return "", fail.Field(field, "there is no entry number %d", n)
	}
	return e.ID, nil
}

func (m *Module) closeSubmit(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	at, err := web.ParseTime("occurred_at", r.PostFormValue("occurred_at"))
	if err == nil {
		_, err = m.svc.CloseIncident(r.Context(), p, incident.Close{Incident: incident.ID(r.PathValue("id")),
			Reason: r.PostFormValue("reason"), Function: r.PostFormValue("function"),
			Source: r.PostFormValue("source"), OccurredAt: at})
	}
	return m.afterSubmit(w, r, p, "close", err, "")
}
