package web

import (
	"bytes"
	"fmt"
	"fyr/internal/tz"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"fyr/internal/auth"
	"fyr/internal/dispatch"
	"fyr/internal/fail"
	"fyr/internal/incident"
)

// Stockholm is the time zone of the times Fyr writes.
var Stockholm = tz.Stockholm

func (s *Server) funcs() template.FuncMap {
	return template.FuncMap{
		"t":     func(l Lang, key string) string { return T(l, key) },
		"level": func(l Lang, lv incident.Level) string { return T(l, "level."+string(lv)) },
		"kind":  func(l Lang, k incident.Kind) string { return T(l, "kind."+string(k)) },
		"when": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return t.In(Stockholm).Format("2006-01-02 15:04")
		},
		"iso":   func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
		"local": func(t time.Time) string { return localInput(t) },
		"list":  func(xs ...string) []string { return xs },
		"scope": func(l Lang, names map[string]string, scope string) string {
			if scope == incident.RegionScope {
				return T(l, "scope.region")
			}
			if n, ok := names[scope]; ok {
				return n
			}
			return scope
		},
		"other":        otherLang,
		"levels":       func() []incident.Level { return incident.Levels },
		"kinds":        func() []incident.Kind { return incident.Kinds },
		"lines":        func(s string) []string { return strings.Split(s, "\n") },
		"join":         strings.Join,
		"taskStatuses": func() []incident.TaskStatus { return incident.TaskStatuses },
		"entryOf": func(l Lang, e incident.Entry, serials map[string]int, names map[string]string) entryView {
			return entryView{Lang: l, Entry: flatEntry(e), Refs: serials, Names: names}
		},
		// tel builds a tel: link; html/template allows only http(s) and mailto by
		// itself, and the number was checked as E.164 when it was added.
		"tel": func(number string) template.URL {
			for _, r := range strings.TrimPrefix(number, "+") {
				if r < '0' || r > '9' {
					return ""
				}
			}
			return template.URL("tel:" + number)
		},
		"bannerOf": func(b Base) bannerView { return bannerView{b.Lang, b.Active} },
		"sel":      func(a, b any) bool { return fmt.Sprint(a) == fmt.Sprint(b) },
		"errFor": func(e *formError, form, field string) string {
			if e != nil && e.Form == form && (e.Field == field || (field == "" && e.Field == "")) {
				return e.Msg
			}
			return ""
		},
		"fieldName": fieldName,
	}
}

func localInput(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(Stockholm).Format("2006-01-02T15:04")
}

// Views for templates. Every page gets Base.
type Base struct {
	Lang   Lang
	User   *auth.Principal
	CSRF   string
	Active []incident.Incident
	Path   string
	Title  string
	Seq    uint64
	// Alerts are the modules' lines for the top of the page (a failing
	// dispatch channel), rendered.
	Alerts []template.HTML
	// Functions are the staff functions known from the directory, offered
	// when a form asks for one.
	Functions []string
	// LiveIncident is the incident whose updates the page follows; "" for the banner only.
	LiveIncident incident.ID
	// WritesDown: the log takes no writes (storage full); reads work.
	WritesDown bool
}

type bannerView struct {
	Lang   Lang
	Active []incident.Incident
}

type levelsView struct {
	Lang     Lang
	Incident incident.Incident
	Names    map[string]string
}

type entryView struct {
	Lang  Lang
	Entry entryFlat
	// Refs holds the serial numbers of the entries this one links to; Names
	// the names of hospital scopes.
	Refs  map[string]int
	Names map[string]string
}

// entryViewOf prepares one entry for the entry template.
func (s *Server) entryViewOf(lang Lang, e incident.Entry, names map[string]string) entryView {
	refs := map[string]int{}
	ids := append(append([]string{e.Corrects}, e.CorrectedBy...), e.UpdatedBy...)
	if e.Task != nil {
		ids = append(ids, e.Task.Updates)
	}
	for _, id := range ids {
		if x, ok := s.svc.Incidents.Entry(e.Incident, id); id != "" && ok {
			refs[id] = x.Serial
		}
	}
	return entryView{Lang: lang, Entry: flatEntry(e), Refs: refs, Names: names}
}

type formError struct {
	Form  string // which form failed
	Field string
	Msg   string
	err   *fail.Error // the service's error: render puts Msg in the page's language
}

type incidentsPage struct {
	Base
	Incidents []incident.Incident
	CanWrite  bool
	Hospitals map[string]string
	Error     *formError
	Form      url.Values
}

type incidentPage struct {
	Base
	Incident incident.Incident
	Levels   levelsView
	Entries  []incident.Entry
	Serials  map[string]int
	CanWrite bool
	CanRead  bool
	Names    map[string]string
	Query    url.Values
	AsOf     incident.AsOf
	Error    *formError
	Form     url.Values
	Exported time.Time
	Filtered bool
	Printing bool
	// Dispatches of the incident, for the journal's readers.
	Dispatches []dispatch.Dispatch
	// Pager links the journal's other pages (not when printing).
	Pager pager
	// Saved is the entry the last submission wrote, confirmed at the top;
	// SavedLink shows it.
	Saved     *incident.Entry
	SavedLink string
	// FormToken identifies this rendering of the journal form.
	FormToken string
}

func (s *Server) pageRoutes() {
	s.mux.HandleFunc("GET /login", s.loginPage)
	s.mux.HandleFunc("POST /login", s.loginSubmit)
	s.mux.HandleFunc("GET /lang", s.switchLang)
	s.mux.Handle("POST /logout", s.page(s.logout))
	s.mux.Handle("GET /{$}", s.page(s.incidentsPage))
	s.mux.Handle("POST /incidents", s.page(s.openSubmit))
	s.mux.Handle("GET /incidents/{id}", s.page(s.incidentPage))
	s.mux.Handle("GET /incidents/{id}/print", s.page(s.printPage))
	s.mux.Handle("GET /incidents/{id}/journal.csv", s.page(s.journalCSV))
	s.mux.Handle("GET /incidents/{id}/tasks", s.page(s.tasksPage))
	s.mux.Handle("POST /incidents/{id}/levels", s.page(s.levelSubmit))
	s.mux.Handle("POST /incidents/{id}/journal", s.page(s.recordSubmit))
	s.mux.Handle("POST /incidents/{id}/close", s.page(s.closeSubmit))
	s.mux.Handle("GET /live", s.page(s.live))
}

// page wraps an HTML handler: a caller who is not logged in goes to the
// login page; errors are shown as a page.
func (s *Server) page(h func(w http.ResponseWriter, r *http.Request, p auth.Principal) error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, err := s.authenticate(r)
		if err == nil {
			err = h(w, r, p)
		}
		if err == nil {
			return
		}
		fe := localize(langOf(r), s.report(r, err))
		if fe.Code == fail.Unauthorized && r.Method == http.MethodGet {
			http.Redirect(w, r, "/login?back="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return
		}
		var user *auth.Principal
		if p.Username != "" {
			user = &p
		}
		s.errorPage(w, r, user, fe)
	})
}

func (s *Server) base(r *http.Request, p *auth.Principal, title string) Base {
	// Seq first: an event applied between the two reads is then sent again
	// by the live stream rather than missed.
	seq := s.svc.Seq()
	b := Base{Lang: langOf(r), User: p, Path: r.URL.RequestURI(), Title: title, Seq: seq,
		Functions: s.svc.Directory.Functions(), WritesDown: s.svc.Writable() != nil}
	if p != nil {
		b.Active = s.svc.Incidents.Active() // nothing about incidents before login
		b.CSRF = s.svc.Auth.CSRF(p.Token)
		b.Alerts = s.pageAlerts(b.Lang, *p)
	}
	return b
}

func (s *Server) render(w http.ResponseWriter, r *http.Request, name string, data any) {
	localizeForms(langOf(r), data)
	var buf bytes.Buffer
	if err := s.pages.ExecuteTemplate(&buf, name, data); err != nil {
		s.log.Error("render page", "template", name, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Write(buf.Bytes())
}

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, "login", struct {
		Base
		Back, Username, Error string
	}{s.base(r, nil, T(langOf(r), "login.title")), safeBack(r.URL.Query().Get("back")), "", ""})
}

func (s *Server) loginSubmit(w http.ResponseWriter, r *http.Request) {
	username := strings.TrimSpace(r.PostFormValue("username"))
	token, user, err := s.svc.Auth.Login(r.Context(), username, r.PostFormValue("password"), s.clientAddr(r))
	if err != nil {
		fe := s.report(r, err)
		msg := errText(langOf(r), fe)
		if fe.Code == fail.Unauthorized {
			msg = T(langOf(r), "login.failed")
		} else if fe.Code == fail.TooMany {
			msg = T(langOf(r), "login.throttled")
		}
		w.WriteHeader(status(fe.Code))
		s.render(w, r, "login", struct {
			Base
			Back, Username, Error string
		}{s.base(r, nil, T(langOf(r), "login.title")), safeBack(r.PostFormValue("back")), username, msg})
		return
	}
	s.setSession(w, token)
	back := safeBack(r.PostFormValue("back"))
	if back == "/" && user.Role == auth.Unit && user.Unit != "" {
		back = "/unit" // a unit lands on its own page: what it must answer now
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	if err := s.svc.Auth.Logout(r.Context(), p); err != nil {
		return err
	}
	s.clearSession(w)
	http.Redirect(w, r, "/login", http.StatusSeeOther)
	return nil
}

func (s *Server) switchLang(w http.ResponseWriter, r *http.Request) {
	l := Swedish
	if r.URL.Query().Get("l") == string(English) {
		l = English
	}
	http.SetCookie(w, &http.Cookie{Name: "lang", Value: string(l), Path: "/", MaxAge: 365 * 24 * 3600, SameSite: http.SameSiteLaxMode, Secure: s.Secure})
	http.Redirect(w, r, safeBack(r.URL.Query().Get("back")), http.StatusSeeOther)
}

func (s *Server) scopeNames() map[string]string {
	names := map[string]string{}
	for _, u := range s.svc.Directory.Hospitals() {
		names[u.ID] = u.Name
	}
	return names
}

func (s *Server) incidentsPage(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	return s.showIncidents(w, r, p, nil, nil)
}

func (s *Server) showIncidents(w http.ResponseWriter, r *http.Request, p auth.Principal, ferr *formError, form url.Values) error {
	list, err := s.svc.Incidents.List(p)
	if err != nil {
		return err
	}
	if ferr != nil {
		w.WriteHeader(http.StatusBadRequest)
	}
	s.render(w, r, "incidents", incidentsPage{Base: s.base(r, &p, T(langOf(r), "incidents.title")), Incidents: list,
		CanWrite: auth.Can(p.Role, auth.WriteIncidents), Hospitals: s.scopeNames(), Error: ferr, Form: form})
	return nil
}

// formFailure turns a command's field error into a form error to show
// beside the form; other errors propagate.
func formFailure(form string, err error) (*formError, error) {
	fe := fail.As(err)
	if fe.Code != fail.Invalid && fe.Code != fail.Conflict {
		return nil, err
	}
	return &formError{Form: form, Field: fe.Field, Msg: fe.Message, err: fe}, nil
}

func (s *Server) openSubmit(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	at, err := parseTime("occurred_at", r.PostFormValue("occurred_at"))
	cmd := incident.Open{Title: r.PostFormValue("title"), Description: r.PostFormValue("description"),
		Scope: r.PostFormValue("scope"), Level: incident.Level(r.PostFormValue("level")),
		Exercise: r.PostFormValue("exercise") == "on", Reason: r.PostFormValue("reason"),
		DecidedBy: r.PostFormValue("decided_by"), Function: r.PostFormValue("function"), OccurredAt: at}
	var inc incident.Incident
	if err == nil {
		inc, err = s.svc.Incidents.OpenIncident(r.Context(), p, cmd)
	}
	if err != nil {
		ferr, err := formFailure("open", err)
		if err != nil {
			return err
		}
		return s.showIncidents(w, r, p, ferr, r.PostForm)
	}
	http.Redirect(w, r, "/incidents/"+string(inc.ID), http.StatusSeeOther)
	return nil
}

func (s *Server) loadIncident(r *http.Request, p auth.Principal, printing bool) (incidentPage, error) {
	id := incident.ID(r.PathValue("id"))
	q, err := parseQuery(r, "")
	if err != nil {
		return incidentPage{}, err
	}
	if printing {
		q.ByTime = true
	}
	inc, err := s.svc.Incidents.Incident(p, id, q.AsOf)
	if err != nil {
		return incidentPage{}, err
	}
	names := s.scopeNames()
	pg := incidentPage{Base: s.base(r, &p, inc.Title), Incident: inc, Levels: levelsView{langOf(r), inc, names},
		CanWrite: auth.Can(p.Role, auth.WriteIncidents) && !inc.Closed && q.IsNow(),
		CanRead:  auth.Can(p.Role, auth.ReadJournal), Names: names, Query: r.URL.Query(), AsOf: q.AsOf,
		Exported: s.svc.Now(), Printing: printing,
		Filtered: q.Text != "" || q.Kind != "" || q.Author != "" || !q.From.IsZero() || !q.To.IsZero()}
	if q.IsNow() && !printing {
		pg.LiveIncident = id
	}
	if pg.CanRead && !printing {
		pg.Dispatches, _ = s.svc.Dispatch.Dispatches(p, id)
	}
	if pg.CanRead {
		purpose := "page"
		if printing {
			purpose = "print"
		}
		if printing { // the print is the whole timeline
			if pg.Entries, err = s.svc.Incidents.Journal(p, id, q, purpose); err != nil {
				return pg, err
			}
		} else { // on screen one page, newest first, with links to the others
			page, err := parsePage(r, PageSize, 200)
			if err != nil {
				return pg, err
			}
			page.Newest = !q.ByTime
			out, err := s.svc.Incidents.JournalPage(p, id, q, page, purpose)
			if err != nil {
				return pg, err
			}
			pg.Entries, pg.Pager = out.Entries, pagerOf(r, inc, out, pg.Filtered)
		}
		pg.Serials = s.serialsOf(id, pg.Entries)
	}
	if pg.CanWrite && !printing {
		pg.FormToken = newFormToken()
		if pg.Saved = s.savedEntry(r, p, id); pg.Saved != nil {
			pg.SavedLink = entryLink(id, *pg.Saved, pg.Entries)
		}
	}
	return pg, nil
}

func reverse[T any](s []T) {
	for i, j := 0, len(s)-1; i < j; i, j = i+1, j-1 {
		s[i], s[j] = s[j], s[i]
	}
}

func (s *Server) incidentPage(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	pg, err := s.loadIncident(r, p, false)
	if err != nil {
		return err
	}
	s.render(w, r, "incident", pg)
	return nil
}

func (s *Server) printPage(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	if err := p.Require(auth.ReadJournal); err != nil {
		return err
	}
	pg, err := s.loadIncident(r, p, true)
	if err != nil {
		return err
	}
	s.render(w, r, "print", pg)
	return nil
}

func (s *Server) showIncidentError(w http.ResponseWriter, r *http.Request, p auth.Principal, ferr *formError) error {
	pg, err := s.loadIncident(r, p, false)
	if err != nil {
		return err
	}
	pg.Error, pg.Form = ferr, r.PostForm
	w.WriteHeader(http.StatusBadRequest)
	s.render(w, r, "incident", pg)
	return nil
}

// afterSubmit redirects on success and shows the form's error otherwise.
func (s *Server) afterSubmit(w http.ResponseWriter, r *http.Request, p auth.Principal, form string, err error, anchor string) error {
	if err != nil {
		ferr, err := formFailure(form, err)
		if err != nil {
			return err
		}
		return s.showIncidentError(w, r, p, ferr)
	}
	http.Redirect(w, r, "/incidents/"+r.PathValue("id")+anchor, http.StatusSeeOther)
	return nil
}

func (s *Server) levelSubmit(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	at, err := parseTime("occurred_at", r.PostFormValue("occurred_at"))
	if err == nil {
		_, err = s.svc.Incidents.ChangeLevel(r.Context(), p, incident.ChangeLevel{Incident: incident.ID(r.PathValue("id")),
			Scope: r.PostFormValue("scope"), Level: incident.Level(r.PostFormValue("level")),
			Reason: r.PostFormValue("reason"), DecidedBy: r.PostFormValue("decided_by"),
			Function: r.PostFormValue("function"), Channel: r.PostFormValue("channel"), OccurredAt: at})
	}
	return s.afterSubmit(w, r, p, "level", err, "#levels")
}

func (s *Server) recordSubmit(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	id := incident.ID(r.PathValue("id"))
	var saved incident.Entry
	err := func() error {
		f := r.PostFormValue
		at, err := parseTime("occurred_at", f("occurred_at"))
		if err != nil {
			return err
		}
		cmd := incident.Record{Incident: id, Kind: incident.Kind(f("kind")), Text: f("text"), OccurredAt: at,
			Function: f("function"), Source: f("source"), Channel: f("channel"), From: f("from"), To: f("to"),
			Verified: f("verified") == "on", FormToken: f("form_token")}
		if cmd.Corrects, err = s.entryBySerial(id, "corrects", f("corrects")); err != nil {
			return err
		}
		switch cmd.Kind {
		case incident.Decision:
			valid, err := parseTime("decision.valid_until", f("valid_until"))
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
			deadline, err := parseTime("task.deadline", f("deadline"))
			if err != nil {
				return err
			}
			updates, err := s.entryBySerial(id, "task.updates", f("updates"))
			if err != nil {
				return err
			}
			cmd.Task = &incident.TaskInfo{Owner: f("owner"), Deadline: deadline, Status: incident.TaskStatus(f("status")),
				ReportBack: f("report_back"), Updates: updates}
		}
		saved, err = s.svc.Incidents.Record(r.Context(), p, cmd)
		return err
	}()
	// Saved: back to the top of the page, which confirms it with the
	// entry's number (saved=); the page does not jump away from that.
	return s.afterSubmit(w, r, p, "record", err, "?saved="+strconv.Itoa(saved.Serial))
}

// entryBySerial turns the entry number a person types into the entry's id.
func (s *Server) entryBySerial(id incident.ID, field, serial string) (string, error) {
	serial = strings.TrimSpace(strings.TrimPrefix(serial, "#"))
	if serial == "" {
		return "", nil
	}
	n, err := strconv.Atoi(serial)
	if err != nil {
		return "", fail.Field(field, "%q is not an entry number", serial)
	}
	e, ok := s.svc.Incidents.EntryBySerial(id, n)
	if !ok {
		return "", fail.Field(field, "there is no entry number %d", n)
	}
	return e.ID, nil
}

func (s *Server) closeSubmit(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	at, err := parseTime("occurred_at", r.PostFormValue("occurred_at"))
	if err == nil {
		_, err = s.svc.Incidents.CloseIncident(r.Context(), p, incident.Close{Incident: incident.ID(r.PathValue("id")),
			Reason: r.PostFormValue("reason"), Function: r.PostFormValue("function"),
			Source: r.PostFormValue("source"), OccurredAt: at})
	}
	return s.afterSubmit(w, r, p, "close", err, "")
}
