package web

import (
	"net/http"
	"strconv"
	"strings"

	"fyr/internal/auth"
	"fyr/internal/fail"
)

// Error pages: 403, 404, 500 and the other refusals a page meets, in the
// house style and the user's language, each saying what to do next. The
// API under /api/v1 keeps its JSON errors.

// errorMessages are the UI strings of the error pages: Swedish, English.
var errorMessages = map[string][2]string{
	"errpage.404.title":   {"Sidan finns inte", "Page not found"},
	"errpage.404.what":    {"Adressen kan vara felskriven, eller så finns det du söker inte längre.", "The address may be mistyped, or what you are looking for no longer exists."},
	"errpage.403.title":   {"Du har inte behörighet", "You do not have access"},
	"errpage.403.what":    {"Ditt konto får inte se eller göra detta. Be en administratör om behörighet, eller logga in med ett annat konto.", "Your account may not see or do this. Ask an administrator for access, or log in with another account."},
	"errpage.403.csrf":    {"Formuläret var för gammalt eller kom från en annan sida. Ladda om sidan och försök igen.", "The form was too old or came from another page. Reload the page and try again."},
	"errpage.500.title":   {"Något gick fel i Fyr", "Something went wrong in Fyr"},
	"errpage.500.what":    {"Felet är loggat. Försök igen om en stund. Om det fortsätter: kontakta systemförvaltaren och ange tiden nedan.", "The error is logged. Try again in a moment. If it persists, contact the system administrator and give the time below."},
	"errpage.500.time":    {"Tid", "Time"},
	"errpage.401.title":   {"Du är inte inloggad", "You are not logged in"},
	"errpage.401.what":    {"Inloggningen har gått ut eller saknas. Logga in igen; det du skickade sparades inte.", "The login has expired or is missing. Log in again; what you sent was not saved."},
	"errpage.409.title":   {"Det gick inte att genomföra", "That could not be done"},
	"errpage.409.what":    {"Läget har ändrats sedan sidan visades. Gå tillbaka, ladda om och försök igen.", "The state changed since the page was shown. Go back, reload and try again."},
	"errpage.503.title":   {"Ingenting sparades", "Nothing was saved"},
	"errpage.503.what":    {"Läsa går bra, men Fyr kan inte spara just nu. Gå tillbaka, vänta en stund och försök igen; skriv upp det viktiga på papper under tiden.", "Reading works, but Fyr cannot save right now. Go back, wait a moment and try again; note what matters on paper meanwhile."},
	"errpage.400.title":   {"Det gick inte att genomföra", "That could not be done"},
	"errpage.400.what":    {"Något i det som skickades var fel. Gå tillbaka, rätta och försök igen.", "Something in what was sent was wrong. Go back, correct it and try again."},
	"errpage.429.title":   {"För många försök", "Too many attempts"},
	"errpage.429.what":    {"Vänta en stund och försök igen.", "Wait a moment and try again."},
	"errpage.detail":      {"Besked", "Details"},
	"errpage.next":        {"Vad du kan göra", "What you can do"},
	"errpage.home":        {"Till startsidan", "Go to the start page"},
	"errpage.back":        {"Tillbaka till föregående sida", "Back to the previous page"},
	"errpage.login":       {"Logga in", "Log in"},
	"errpage.login.other": {"Logga in med ett annat konto", "Log in with another account"},
	"errpage.reload":      {"Försök igen", "Try again"},
}

func init() { addMessages(errorMessages) }

// errorView is what the error page shows.
type errorView struct {
	Base
	Status int
	Key    string // errpage.<Key>.title, .what
	Detail string // the service's message, when it helps
	Field  string
	CSRF   bool
	Retry  string // the address to try again (a GET), "" for none
	Time   string
}

// errorPage answers a page request with the error as a page. p is nil for
// a visitor who is not logged in: such a page shows nothing about
// incidents.
func (s *Server) errorPage(w http.ResponseWriter, r *http.Request, p *auth.Principal, fe *fail.Error) {
	code := status(fe.Code)
	v := errorView{Base: s.base(r, p, ""), Status: code, Field: fe.Field}
	if p == nil {
		v.Active, v.Alerts = nil, nil
	}
	switch code {
	case http.StatusNotFound, http.StatusForbidden, http.StatusInternalServerError, http.StatusUnauthorized,
		http.StatusConflict, http.StatusTooManyRequests, http.StatusServiceUnavailable:
		v.Key = strconv.Itoa(code)
	default:
		v.Key = "400"
	}
	switch code {
	case http.StatusInternalServerError:
		v.Time = s.core.Now().In(Stockholm).Format("2006-01-02 15:04:05")
		if r.Method == http.MethodGet {
			v.Retry = r.URL.RequestURI()
		}
	case http.StatusForbidden:
		// A stale form is the usual cause of a CSRF refusal; say so rather
		// than "you may not".
		v.CSRF = strings.Contains(fe.Message, "CSRF")
		v.Detail = shown(v.Lang, fe).Message
	default:
		v.Detail = shown(v.Lang, fe).Message
	}
	v.Title = T(v.Lang, "errpage."+v.Key+".title")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	s.render(w, r, "errorpage", v)
}

// unmatched answers a request no route takes: a page saying so for a
// page's address (also a form's address opened as a page: a bookmark of
// where a form posts to), a JSON error for the API's. An API path that
// another method serves is left to the mux, which answers 405. It reports
// whether it answered.
func (s *Server) unmatched(w http.ResponseWriter, r *http.Request) bool {
	if _, pattern := s.mux.Handler(r); pattern != "" {
		return false
	}
	if strings.HasPrefix(r.URL.Path, "/api/") {
		for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
			other := r.Clone(r.Context())
			other.Method = m
			if _, pattern := s.mux.Handler(other); m != r.Method && pattern != "" {
				return false // served with another method: 405
			}
		}
		writeJSON(w, http.StatusNotFound, errorResponse{*fail.As(fail.New(fail.NotFound, "no such address: %s", r.URL.Path))})
		return true
	}
	if strings.HasPrefix(r.URL.Path, "/static/") || (r.Method != http.MethodGet && r.Method != http.MethodHead) {
		return false
	}
	var user *auth.Principal
	if p, err := s.authenticate(r); err == nil {
		user = &p
	}
	s.errorPage(w, r, user, &fail.Error{Code: fail.NotFound})
	return true
}
