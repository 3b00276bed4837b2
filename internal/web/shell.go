package web

import (
	"io/fs"
	"net/http"

	"fyr/internal/auth"
	"fyr/internal/fail"
)

// The shell's side of a capability's UI: what a capability's ui package
// (internal/<capability>/ui) uses to mount its pages in Fyr's layout, with
// the shell's authentication, CSRF, error pages, language and live hub. The
// shell knows no capability: each brings its templates, strings and routes.

// Module is a capability's pages.
type Module interface {
	// Templates are the module's templates (parsed with the layout's
	// functions into the one set: names must be unique across modules).
	Templates() fs.FS
	// Mount registers the module's routes on the shell.
	Mount(sh *Server)
}

// PageHandler answers a page request of an authenticated caller; an error
// becomes the house-style error page (or a redirect to the login page).
type PageHandler func(w http.ResponseWriter, r *http.Request, p auth.Principal) error

// HandlePage registers a page: the caller must be logged in (a form must
// carry its CSRF token), and an error is shown as a page.
func (s *Server) HandlePage(pattern string, h PageHandler) { s.mux.Handle(pattern, s.page(h)) }

// Base is what every page's view starts with: the language, the caller,
// the level banner, the form token (p nil before login).
func (s *Server) Base(r *http.Request, p *auth.Principal, title string) Base {
	return s.base(r, p, title)
}

// Render writes the template name with data as a page (service errors in
// data's forms shown in the page's language).
func (s *Server) Render(w http.ResponseWriter, r *http.Request, name string, data any) {
	s.render(w, r, name, data)
}

// LangOf is the language of the request's caller.
func LangOf(r *http.Request) Lang { return langOf(r) }

// AddMessages adds a module's UI strings (Swedish, English); a key defined
// twice stops the program at start.
func AddMessages(m map[string][2]string) { addMessages(m) }

// FormError is a refused form, shown beside its fields.
type FormError = formError

// FormFailure turns a service refusal of form into what the page shows
// beside the form; any other error is returned for the error page.
func FormFailure(form string, err error) (*FormError, error) { return formFailure(form, err) }

// BadForm is the refusal of a form the server cannot read.
func BadForm(err error) error { return fail.Field("form", "cannot read the form: %v", err) }

// HandleAPI registers a module's JSON endpoint: served with the shell's
// authentication and authorisation (rt.Action), body limits and error
// shape, and described in the OpenAPI document.
func (s *Server) HandleAPI(rt APIRoute) {
	s.modRoutes = append(s.modRoutes, rt)
	s.mux.Handle(rt.Method+" "+rt.Path, s.api(rt))
}

// Decode reads a JSON request body into dst, refusing unknown and missing
// required fields with the field named.
func Decode(r *http.Request, dst any) error { return decode(r, dst) }

// WriteJSON writes v as the JSON answer with status code.
func WriteJSON(w http.ResponseWriter, code int, v any) { writeJSON(w, code, v) }
