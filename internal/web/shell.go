package web

import (
	"context"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"reflect"
	"time"

	"fyr/internal/auth"
	"fyr/internal/directory"
	"fyr/internal/dispatch"
	"fyr/internal/fail"
	"fyr/internal/incident"
	"fyr/internal/situation"
)

// The shell's side of a capability's UI: what a capability's ui package
// (internal/<capability>/ui) uses to mount its pages in Fyr's layout, with
// the shell's authentication, CSRF, error pages, language and live hub. The
// shell knows no capability: each brings its templates, strings and routes.

// Module is a capability's pages.
type Module interface {
	// Templates hold the module's templates/*.html (its embedded folder),
	// parsed with the layout's functions into the one set: names must be
	// unique across modules.
	Templates() fs.FS
	// Mount registers the module's routes on the shell.
	Mount(sh *Server)
}

// PageHandler answers a page request of an authenticated caller; an error
// becomes the house-style error page (or a redirect to the login page).
type PageHandler func(w http.ResponseWriter, r *http.Request, p auth.Principal) error

// HandlePage registers a page: the caller must be logged in (a form must
// carry its CSRF token), and an error is shown as a page.
func (s *Server) HandlePage(pattern string, h PageHandler) {
	s.modPages = append(s.modPages, pattern)
	s.mux.Handle(pattern, s.page(h))
}

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

// ParseTime reads a time field: RFC 3339, or a Swedish local time as a
// datetime-local input sends it; "" is the zero time.
func ParseTime(field, s string) (time.Time, error) { return parseTime(field, s) }

// BodyTooLarge is the refusal of a body that went over its route's limit
// while it was read, or nil.
func BodyTooLarge(r *http.Request) error { return bodyTooLarge(r) }

// TooLarge is the refusal of a body larger than limit bytes.
func TooLarge(limit int64) error { return tooLarge(limit) }

// Localized is a copy of fe with its message and problems in lang.
func Localized(l Lang, fe *fail.Error) *fail.Error { return localized(l, fe) }

// JSONCommand is the one shape of a command endpoint: decode the body into
// C, let bind fill in what the path says, run the service method, answer
// its result with status (and a Location when location is given).
func JSONCommand[C, R any](status int, bind func(*C, *http.Request), run func(context.Context, auth.Principal, C) (R, error),
	location func(R) string) PageHandler {
	return jsonCommand(status, bind, run, location)
}

// ByRef adapts a service method that takes the caller by pointer (nil
// meaning an operator at the CLI) to JSONCommand.
func ByRef[C, R any](run func(context.Context, *auth.Principal, C) (R, error)) func(context.Context, auth.Principal, C) (R, error) {
	return byRef(run)
}

// CSVSep is the cell separator a CSV export is asked for (?sep=).
func CSVSep(r *http.Request) (rune, error) { return csvSep(r) }

// CSVOr answers csv to a client that prefers text/csv to JSON in its
// Accept header, and json otherwise.
func CSVOr(csv, json PageHandler) PageHandler { return csvOr(csv, json) }

// SendCSV answers a CSV file named after name, the organisation and the day.
func (s *Server) SendCSV(w http.ResponseWriter, name string, write func(io.Writer) error) error {
	return s.sendCSV(w, name, write)
}

// Now is the shell's clock (the service's).
func (s *Server) Now() time.Time { return s.core.Now() }

// Logger is the shell's log, for a module's own lines.
func (s *Server) Logger() *slog.Logger { return s.log }

// ContactView is one contact for the shared "contact" template.
type ContactView = contactView

// ContactViews prepares contacts for the "contact" template.
func ContactViews(l Lang, cs []directory.Contact) []ContactView { return contactViews(l, cs) }

// RequireFields declares the fields a module's request body T must carry:
// Decode refuses a body without one ("is required", naming it) and the
// OpenAPI document lists them. Call it from the module's init.
func RequireFields[T any](fields ...string) { requestRequired[reflect.TypeFor[T]()] = fields }

// FormErrorOf is the service's refusal fe shown beside form's fields (in
// the page's language when the page is rendered).
func FormErrorOf(form string, fe *fail.Error) *FormError {
	return &formError{Form: form, Field: fe.Field, Msg: fe.Message, err: fe}
}

// Status is the HTTP status the shell answers a refusal's code with.
func Status(code fail.Code) int { return status(code) }

// SafeBack keeps a redirect target on this site ("/" otherwise).
func SafeBack(target string) string { return safeBack(target) }

// IncidentID is the incident named by the path's {id}.
func IncidentID(r *http.Request) incident.ID { return incidentID(r) }

// ParseQuery reads the journal's filters and point in time (at, known_at)
// from the query, as the journal's pages and API do.
func ParseQuery(r *http.Request) (incident.Query, error) { return parseQuery(r, "") }

// LocalInput is t as a datetime-local input shows it (Swedish time).
func LocalInput(t time.Time) string { return localInput(t) }

// Option is one choice of a select or a set of checkboxes.
type Option = option

// Options are the choices values (labelled by labels, when given), marked
// when chosen holds them.
func Options(values []string, labels func(string) string, chosen []string) []Option {
	return options(values, labels, chosen)
}

// AudienceView is the audience part of a form, as the dispatch form has it.
type AudienceView = audienceView

// AudienceView is the audience part of a form for f's choices in lang.
func (s *Server) AudienceView(lang Lang, f url.Values) AudienceView { return s.audienceView(lang, f) }

// AudienceOf reads an audience from a form with the dispatch form's field
// names (all, subtrees, types, units, functions).
func AudienceOf(f url.Values) dispatch.Audience { return audienceOf(f) }

// PictureFields are a situation picture's fields in lang, as the unit page
// and the picture's pages show them.
func (s *Server) PictureFields(l Lang, c situation.Content) []situation.Field {
	return s.localFields(l, c)
}
