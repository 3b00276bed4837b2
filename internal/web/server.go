// Package web serves Fyr over HTTP: server-rendered pages that work without
// JavaScript, the JSON API under /api/v1 with its OpenAPI document, and live
// updates over Server-Sent Events.
package web

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"fyr/internal/app"
	"fyr/internal/auth"
	"fyr/internal/fail"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Server is Fyr's HTTP handler.
type Server struct {
	core Core
	// svc is the application as the pages not yet moved out of the shell
	// use it (dispatch, receipts, channels, SMS hooks, Min enhet), and the
	// online backup: until those leave, the shell asks for an *app.App
	// behind Core.
	svc   *app.App
	log   *slog.Logger
	pages *template.Template
	hub   *hub
	mux   *http.ServeMux
	// uploads are the modules' routes that take a file (AcceptUpload), with
	// their body limits.
	uploads map[string]int64
	// openapiJSON is the encoded OpenAPI document, built once.
	openapiJSON []byte
	// Secure marks cookies Secure (set when served over TLS).
	Secure bool
	// alerts, configs: the modules' page alerts and start settings (modhooks.go).
	alerts  []Alerts
	configs map[string][]func(any)
	// trusted are the reverse proxies whose X-Forwarded-For is believed.
	trusted []netip.Prefix
	// modRoutes are the API routes the capabilities' modules mounted.
	modRoutes []APIRoute
	// modPages are the page patterns the modules mounted.
	modPages []string
	// panels are the parts of composed pages, by page (panels.go).
	panels map[string][]panel
	// levels are the banner's incidents and the levels box (levels.go).
	levels Levels
}

// New builds the handler with the capabilities' modules and starts feeding
// live updates from core.
func New(core Core, logger *slog.Logger, modules ...Module) (*Server, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	svc, ok := core.(*app.App)
	if !ok {
		return nil, fmt.Errorf("web: the shell still needs an *app.App, not a %T", core)
	}
	s := &Server{core: core, svc: svc, log: logger, mux: http.NewServeMux()}
	funcs := s.funcs()
	if err := moduleFuncs(funcs, modules); err != nil {
		return nil, err
	}
	t, err := template.New("").Funcs(funcs).ParseFS(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	for _, m := range modules {
		if t, err = t.ParseFS(m.Templates(), "templates/*.html"); err != nil {
			return nil, err
		}
	}
	s.pages = t
	s.hub = newHub(s)
	s.routes()
	for _, m := range modules {
		m.Mount(s)
	}
	core.Listen(s.hub.publish) // after the modules' live hooks are in
	if s.openapiJSON, err = json.MarshalIndent(s.openapiDoc(), "", "  "); err != nil {
		return nil, err
	}
	return s, nil
}

const sessionCookie = "fyr_session"

func (s *Server) routes() {
	static, _ := fs.Sub(staticFS, "static")
	s.mux.Handle("GET /static/", http.StripPrefix("/static/", cacheStatic(http.FileServerFS(static))))
	s.mux.HandleFunc("GET /healthz", s.healthz)
	s.mux.HandleFunc("GET /api/v1/openapi.json", s.openapi)
	for _, rt := range apiRoutes(s) {
		s.mux.Handle(rt.Method+" "+rt.Path, s.api(rt))
	}
	s.pageRoutes()
	s.mux.HandleFunc("GET /sw.js", s.serviceWorker)
}

// EnableHooks turns on the SMS gateway callbacks, guarded by key: the
// setting "hook-key" of the module that serves them.
func (s *Server) EnableHooks(key string) { s.Configure("hook-key", key) }

// EnableWebhookReceipts turns on the route where a unit's own system
// acknowledges a dispatch, its requests signed with secret: the setting
// "webhook-secret".
func (s *Server) EnableWebhookReceipts(secret []byte) { s.Configure("webhook-secret", secret) }

// ServeHTTP adds the security headers every response carries.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "same-origin")
	if s.Secure {
		h.Set("Strict-Transport-Security", "max-age=31536000")
	}
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'")
	r, ok := s.limitBody(w, r)
	if !ok {
		return
	}
	if s.unmatched(w, r) {
		return
	}
	s.mux.ServeHTTP(w, r)
}

func cacheStatic(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		h.ServeHTTP(w, r)
	})
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	select {
	case <-s.core.Ready():
		if err := s.core.Healthy(); err != nil {
			// The read model stopped at an event it cannot fold: say which.
			http.Error(w, "not serving: "+err.Error(), http.StatusServiceUnavailable)
			return
		}
		if err := s.core.Writable(); err != nil {
			writesDown(w, err)
			return
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write([]byte("ok\n"))
	default:
		http.Error(w, "starting: replaying the log", http.StatusServiceUnavailable)
	}
}

// authenticate finds the caller from a bearer token or the session cookie.
// Cookie-authenticated requests that change state must carry the CSRF token.
func (s *Server) authenticate(r *http.Request) (auth.Principal, error) {
	var token string
	fromCookie := false
	if h := r.Header.Get("Authorization"); h != "" {
		t, ok := strings.CutPrefix(h, "Bearer ")
		if !ok {
			return auth.Principal{}, fail.New(fail.Unauthorized, "Authorization must be a Bearer token")
		}
		token = t
	} else if c, err := r.Cookie(sessionCookie); err == nil {
		token, fromCookie = c.Value, true
	}
	if token == "" {
		return auth.Principal{}, fail.New(fail.Unauthorized, "not logged in")
	}
	p, err := s.core.Authenticate(token)
	if err != nil {
		return p, err
	}
	if fromCookie && r.Method != http.MethodGet && r.Method != http.MethodHead {
		got := r.Header.Get("X-CSRF-Token")
		if got == "" {
			got = r.PostFormValue("csrf")
			if err := bodyTooLarge(r); err != nil {
				return auth.Principal{}, err
			}
		}
		if !s.core.CheckCSRF(token, got) {
			return auth.Principal{}, fail.New(fail.Forbidden, "missing or wrong CSRF token: reload the page and try again")
		}
	}
	return p, nil
}

// status maps an error code to its HTTP status: the one place that does.
func status(code fail.Code) int {
	switch code {
	case fail.Invalid:
		return http.StatusBadRequest
	case fail.NotFound:
		return http.StatusNotFound
	case fail.Conflict:
		return http.StatusConflict
	case fail.Unauthorized:
		return http.StatusUnauthorized
	case fail.Forbidden:
		return http.StatusForbidden
	case fail.TooMany:
		return http.StatusTooManyRequests
	case fail.TooLarge:
		return http.StatusRequestEntityTooLarge
	case fail.Unsupported:
		return http.StatusUnsupportedMediaType
	case fail.Unavailable:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// report logs internal errors and returns what the user may see.
func (s *Server) report(r *http.Request, err error) *fail.Error {
	fe := fail.As(err)
	if fe.Code == fail.Internal {
		if errors.Is(err, context.Canceled) {
			s.log.Info("request cancelled", "path", r.URL.Path)
		} else {
			s.log.Error("internal error", "method", r.Method, "path", r.URL.Path, "err", err)
		}
	}
	return fe
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}

func (s *Server) setSession(w http.ResponseWriter, token string) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: token, Path: "/", HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: s.Secure, MaxAge: int(auth.SessionTTL / time.Second)})
}

func (s *Server) clearSession(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: s.Secure, MaxAge: -1})
}
