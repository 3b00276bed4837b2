package web

import (
	"bytes"
	"fmt"
	"fyr/internal/tz"
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"time"

	"fyr/internal/auth"
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

type formError struct {
	Form  string // which form failed
	Field string
	Msg   string
	err   *fail.Error // the service's error: render puts Msg in the page's language
}

func (s *Server) pageRoutes() {
	s.mux.HandleFunc("GET /login", s.loginPage)
	s.mux.HandleFunc("POST /login", s.loginSubmit)
	s.mux.HandleFunc("GET /lang", s.switchLang)
	s.mux.Handle("POST /logout", s.page(s.logout))
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
	seq := s.core.Seq()
	b := Base{Lang: langOf(r), User: p, Path: r.URL.RequestURI(), Title: title, Seq: seq,
		Functions: s.core.Functions(), WritesDown: s.core.Writable() != nil}
	if p != nil {
		b.Active = s.active() // nothing about incidents before login
		b.CSRF = s.core.CSRF(p.Token)
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
	token, user, err := s.core.Login(r.Context(), username, r.PostFormValue("password"), s.clientAddr(r))
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
	if err := s.core.Logout(r.Context(), p); err != nil {
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

// formFailure turns a command's field error into a form error to show
// beside the form; other errors propagate.
func formFailure(form string, err error) (*formError, error) {
	fe := fail.As(err)
	if fe.Code != fail.Invalid && fe.Code != fail.Conflict {
		return nil, err
	}
	return &formError{Form: form, Field: fe.Field, Msg: fe.Message, err: fe}, nil
}

func reverse[T any](s []T) {
	for i, j := 0, len(s)-1; i < j; i, j = i+1, j-1 {
		s[i], s[j] = s[j], s[i]
	}
}
