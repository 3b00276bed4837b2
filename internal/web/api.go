package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"reflect"
	"strings"
	"time"

	"fyr/internal/auth"
	"fyr/internal/event"
	"fyr/internal/fail"
	"fyr/internal/incident"
)

// APIRoute is one JSON endpoint. The table below is both what the mux serves
// and what the OpenAPI document describes.
type APIRoute struct {
	Method, Path, Summary string
	Action                auth.Action // "" for the login endpoint
	Body                  any         // request body type, nil for none
	Response              any         // success body type
	Status                int         // success status
	ContentType           string      // of the success body; "" for JSON
	AltContentType        string      // another type of the success body, asked for with Accept (a string)
	BodyType              string      // of the request body; "" for JSON
	Query                 []QueryParam
	Handle                PageHandler // answers the request of an authorised caller
}

// QueryParam is a query parameter an API route documents.
type QueryParam struct{ Name, Description string }

// Response bodies.
type (
	errorResponse struct {
		Error fail.Error `json:"error"`
	}
)

func apiRoutes(s *Server) []APIRoute {
	return append([]APIRoute{
		{Method: "GET", Path: "/api/v1/export", Summary: "Online backup: every event of the organisation as JSON Lines, hashes included",
			Action: auth.ManageUsers, ContentType: "application/x-ndjson", Response: event.Envelope{}, Status: 200, Handle: s.apiExport},
	}, s.modRoutes...)
}

// api wraps a route: authentication, authorisation and error mapping.
func (s *Server) api(rt APIRoute) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var p auth.Principal
		err := func() error {
			if rt.Action != "" {
				var err error
				if p, err = s.authenticate(r); err != nil {
					return err
				}
				if err := p.Require(rt.Action); err != nil {
					return err
				}
			}
			return rt.Handle(w, r, p)
		}()
		if err != nil {
			fe := s.report(r, err)
			if fe.Code == fail.Unauthorized {
				w.Header().Set("WWW-Authenticate", `Bearer realm="fyr"`)
			}
			writeJSON(w, status(fe.Code), errorResponse{*localized(apiLang(r), fe)})
		}
	})
}

// decode reads a JSON body strictly: the right content type, at most 1 MiB,
// no unknown fields, and errors that name the field.
func decode(r *http.Request, dst any) error {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/json" {
		return &fail.Error{Code: fail.Invalid, Field: "Content-Type", Message: "must be application/json"}
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20+1))
	if err != nil {
		return fail.Field("body", "could not be read: %v", err)
	}
	if len(body) > 1<<20 {
		return fail.Field("body", "is larger than 1 MiB")
	}
	dec := json.NewDecoder(strings.NewReader(string(body)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return jsonError(err, body)
	}
	if dec.More() {
		return fail.Field("body", "holds more than one JSON value")
	}
	return missingField(body, reflect.TypeOf(dst), "")
}

// missingField names the first field of requestRequired that the body
// lacks, before any later check can say something less plain about it
// (a dispatch without a deadline is missing one, not late).
func missingField(body []byte, t reflect.Type, prefix string) error {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return nil
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(body, &m) != nil {
		return nil // not an object: the decoder has said so already
	}
	for _, name := range requestRequired[t] {
		if _, ok := m[name]; !ok {
			return fail.Field(prefix+name, "is required")
		}
	}
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if f.Anonymous && name == "" {
			if err := missingField(body, f.Type, prefix); err != nil {
				return err
			}
			continue
		}
		if raw, ok := m[name]; ok && f.IsExported() && name != "" && name != "-" {
			if err := missingField(raw, f.Type, prefix+name+"."); err != nil {
				return err
			}
		}
	}
	return nil
}

func jsonError(err error, body []byte) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var perr *time.ParseError
	switch {
	case errors.As(err, &syn):
		return fail.Field("body", "is not valid JSON (at byte %d): %v", syn.Offset, syn)
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			field = "body"
		}
		return fail.Field(field, "must be a %s, not %s", typ.Type.Kind(), typ.Value)
	case errors.As(err, &perr):
		return fail.Field(badTimeField(body), "is not a time in RFC 3339 form (e.g. 2026-11-23T08:03:00+01:00)")
	case errors.Is(err, io.EOF):
		return fail.Field("body", "is empty; a JSON object is required")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		if name == "" {
			return fail.Field("body", "has a field with an empty name")
		}
		return fail.Field(name, "is not a known field")
	}
	return fail.Field("body", "is not valid: %v", err)
}

// badTimeField finds the first string field that looks like a time field
// and does not parse, to name it in the error.
func badTimeField(body []byte) string {
	var m map[string]any
	if json.Unmarshal(body, &m) != nil {
		return "body"
	}
	var walk func(prefix string, m map[string]any) string
	walk = func(prefix string, m map[string]any) string {
		for k, v := range m {
			switch x := v.(type) {
			case string:
				if _, err := time.Parse(time.RFC3339, x); err != nil && (strings.HasSuffix(k, "_at") || strings.HasSuffix(k, "_until") || k == "deadline") {
					return prefix + k
				}
			case map[string]any:
				if f := walk(prefix+k+".", x); f != "" {
					return f
				}
			}
		}
		return ""
	}
	if f := walk("", m); f != "" {
		return f
	}
	return "body"
}

// parseQuery reads the journal filters shared by the API and the pages. In
// the pages, times come from datetime-local inputs in Swedish time.
func parseQuery(r *http.Request, _ string) (incident.Query, error) {
	v := r.URL.Query()
	var q incident.Query
	var err error
	for _, f := range []struct {
		name string
		dst  *time.Time
	}{{"at", &q.At}, {"known_at", &q.KnownAt}, {"from", &q.From}, {"to", &q.To}} {
		if *f.dst, err = parseTime(f.name, v.Get(f.name)); err != nil {
			return q, err
		}
	}
	q.Text, q.Author = v.Get("q"), v.Get("author")
	if k := v.Get("kind"); k != "" {
		q.Kind = incident.Kind(k)
		if !q.Kind.Valid() {
			return q, fail.Field("kind", "unknown kind %q", k)
		}
	}
	switch v.Get("order") {
	case "", "serial":
	case "time":
		q.ByTime = true
	case "newest": // serial order, newest first: the page's order (see apiJournal)
	default:
		return q, fail.Field("order", "must be serial, newest or time")
	}
	return q, nil
}

// parseTime accepts RFC 3339, or a local Swedish time as a datetime-local
// input sends it (2026-11-23T08:03).
func parseTime(field, s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02T15:04:05", "2006-01-02 15:04"} {
		if t, err := time.ParseInLocation(layout, s, Stockholm); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fail.Field(field, "%q is not a time (use 2026-11-23T08:03 or RFC 3339)", s)
}

func (s *Server) apiExport(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	if err := p.Require(auth.ManageUsers); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/x-ndjson")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="fyr-%s-%s.jsonl"`, s.svc.Org, s.svc.Now().UTC().Format("20060102T150405Z")))
	n, err := s.svc.Export(r.Context(), p, w)
	if err != nil && n == 0 {
		return err
	}
	if err != nil {
		// Headers are gone: cut the stream short so the copy fails verification.
		s.log.Error("export interrupted", "events", n, "err", err)
		panic(http.ErrAbortHandler)
	}
	return nil
}

// jsonCommand is the one shape of a command endpoint: decode the body into
// C, let bind fill in what the path says, run the service method, answer
// its result with status (and a Location when location is given).
func jsonCommand[C, R any](status int, bind func(*C, *http.Request), run func(context.Context, auth.Principal, C) (R, error),
	location func(R) string) func(http.ResponseWriter, *http.Request, auth.Principal) error {
	return func(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
		var cmd C
		if err := decode(r, &cmd); err != nil {
			return err
		}
		if bind != nil {
			bind(&cmd, r)
		}
		res, err := run(r.Context(), p, cmd)
		if err != nil {
			return err
		}
		if location != nil {
			w.Header().Set("Location", location(res))
		}
		writeJSON(w, status, res)
		return nil
	}
}

func incidentID(r *http.Request) incident.ID { return incident.ID(r.PathValue("id")) }

// byRef adapts a service method that takes the caller by pointer (nil
// meaning an operator at the CLI) to jsonCommand.
func byRef[C, R any](run func(context.Context, *auth.Principal, C) (R, error)) func(context.Context, auth.Principal, C) (R, error) {
	return func(ctx context.Context, p auth.Principal, c C) (R, error) { return run(ctx, &p, c) }
}
