package web

import (
	"fmt"
	"html/template"
	"net/http"

	"fyr/internal/auth"
	"fyr/internal/fail"
)

// More of the shell's side of a module, for modules whose parts reach
// beyond their own pages: template functions other templates call, a line
// on every page (an alert), routes a caller reaches without logging in,
// settings the operator gives at start, and the refusal shown on a page of
// the module's own.

// FuncModule is a Module whose templates (or the shell's, or another
// module's) call functions of its own. Funcs is called before any template
// is parsed; a name defined twice is an error at start.
type FuncModule interface {
	Module
	Funcs() template.FuncMap
}

// moduleFuncs adds the modules' template functions to funcs.
func moduleFuncs(funcs template.FuncMap, modules []Module) error {
	for _, m := range modules {
		fm, ok := m.(FuncModule)
		if !ok {
			continue
		}
		for name, fn := range fm.Funcs() {
			if _, dup := funcs[name]; dup {
				return fmt.Errorf("template function %q is defined twice", name)
			}
			funcs[name] = fn
		}
	}
	return nil
}

// Alerts is what every page shows p at its top, rendered in l (e.g. with
// Partial); "" for nothing.
type Alerts func(l Lang, p auth.Principal) template.HTML

// HandleAlerts registers fn for the lines at the top of every page of a
// logged-in caller (e.g. a failing dispatch channel).
func (s *Server) HandleAlerts(fn Alerts) { s.alerts = append(s.alerts, fn) }

// pageAlerts are the alerts the registered modules have for p.
func (s *Server) pageAlerts(l Lang, p auth.Principal) []template.HTML {
	var out []template.HTML
	for _, fn := range s.alerts {
		if a := fn(l, p); a != "" {
			out = append(out, a)
		}
	}
	return out
}

// HandleOpen registers a route the shell does not log the caller in for:
// the module authorises it by its own means (a signed link, a key in the
// URL, a signature). Body limits and security headers still apply.
func (s *Server) HandleOpen(pattern string, h http.HandlerFunc) {
	s.modPages = append(s.modPages, pattern)
	s.mux.HandleFunc(pattern, h)
}

// OnConfig registers fn for a setting the operator gives at start (with
// Configure): a secret that turns routes on, the channel senders.
func (s *Server) OnConfig(name string, fn func(v any)) {
	if s.configs == nil {
		s.configs = map[string][]func(any){}
	}
	s.configs[name] = append(s.configs[name], fn)
}

// Configure hands the setting name to the modules that registered for it;
// a setting no module takes is a wiring mistake and stops the program.
func (s *Server) Configure(name string, v any) {
	fns := s.configs[name]
	if len(fns) == 0 {
		panic(fmt.Sprintf("web: no module takes the setting %q", name))
	}
	for _, fn := range fns {
		fn(v)
	}
}

// Refusal is err as a page of the module shows it: internal errors logged,
// a storage fault in the reader's words.
func (s *Server) Refusal(r *http.Request, err error) *fail.Error {
	return localize(langOf(r), s.report(r, err))
}

// Shown is fe as a page shows it: in lang, a sentence of its own when no
// field's name goes before it.
func Shown(l Lang, fe *fail.Error) *fail.Error { return shown(l, fe) }

// ErrText is fe's message in lang.
func ErrText(l Lang, fe *fail.Error) string { return errText(l, fe) }

// Cause is the service's refusal the form error shows (nil for one the
// page made itself).
func (e *formError) Cause() *fail.Error { return e.err }

// ErrorBody is the API's one error shape for fe.
func ErrorBody(fe *fail.Error) any { return errorResponse{*fe} }

// JSONError is the refusal of a JSON body that did not decode, naming the
// field.
func JSONError(err error, body []byte) error { return jsonError(err, body) }

// Fragment renders the template name with data as a live frame's HTML; a
// failure is logged and gives "" (a frame is best effort: the page catches
// up on reload). Panels, which can fail the page, use Partial.
func (s *Server) Fragment(name string, data any) string { return s.renderPartial(name, data) }

// ChannelName is a channel's code ("sms") as an error's argument: the
// Swedish reads its label ("SMS", "e-post").
type ChannelName = channelName

// Report logs err when it is internal and returns what the caller may see.
func (s *Server) Report(r *http.Request, err error) *fail.Error { return s.report(r, err) }
