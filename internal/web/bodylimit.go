package web

import (
	"bytes"
	"context"
	"errors"
	"io"
	"mime"
	"net/http"
	"strings"

	"fyr/internal/directory"
	"fyr/internal/fail"
)

// Body limits, by the mux pattern a request matches. They are checked
// before anything parses the body (an announced length at once, a streamed
// one as it is read), so an unauthenticated caller cannot make Fyr read or
// spool more than a form of that kind needs.
const (
	maxSmallForm = 16 << 10 // a button: a CSRF token and a field or two
	maxLoginForm = 8 << 10  // username, password (≤ 1 KiB), where to go back to
	maxForm      = 1 << 20  // the largest form: a lägesbild of a dozen long texts
	// maxBuffered: bodies up to this size are read in full before the
	// handler runs; larger ones (CSV imports) stream under the limit.
	maxBuffered = maxForm
)

var bodyLimits = map[string]int64{
	"POST /login":                                      maxLoginForm,
	"POST /api/v1/login":                               maxLoginForm,
	"POST /logout":                                     maxSmallForm,
	"POST /api/v1/logout":                              maxSmallForm,
	"POST /r/{token}":                                  64 << 10, // a read-back of 2,000 characters
	"POST /r/{token}/opened":                           maxSmallForm,
	"POST /hooks/sms/inbound":                          maxSmallForm,
	"POST /hooks/sms/delivery":                         maxSmallForm,
	"POST /hooks/webhook/receipt":                      64 << 10,
	"POST /channels/test":                              maxSmallForm,
	"POST /dispatches/{id}/ack":                        64 << 10,
	"POST /rounds/{id}/close":                          maxSmallForm,
	"POST /rounds/{id}/reopen":                         maxSmallForm,
	"POST /pictures/{id}/publish":                      maxSmallForm,
	"POST /settings/four-eyes":                         maxSmallForm,
	"POST /directory/units/{id}/on-duty":               maxSmallForm,
	"POST /directory/units/{id}/on-duty/{shift}/clear": maxSmallForm,
	"POST /api/v1/directory/units":                     directory.MaxFileBytes + 64<<10,
	"POST /api/v1/directory/people":                    directory.MaxFileBytes + 64<<10,
	"POST /directory/import":                           2*directory.MaxFileBytes + 1<<20,
}

// fileRoutes are the only routes that take multipart/form-data: an
// uploaded file is expected there and nowhere else.
var fileRoutes = map[string]bool{"POST /directory/import": true}

// AcceptUpload lets a module's route take multipart/form-data (a file
// upload) with a body of up to limit bytes; every other route refuses an
// upload. Call it from the module's Mount.
func (s *Server) AcceptUpload(pattern string, limit int64) {
	if s.uploads == nil {
		s.uploads = map[string]int64{}
	}
	s.uploads[pattern] = limit
}

// limitOf is the body limit of a matched pattern on this server, and
// whether a module's route takes an upload there.
func (s *Server) limitOf(pattern string) (int64, bool) {
	if n, ok := s.uploads[pattern]; ok {
		return n, true
	}
	return bodyLimit(pattern), false
}

// bodyLimit is the limit for a matched pattern: bodies are refused where
// none is expected (GET), forms and JSON get maxForm unless listed.
func bodyLimit(pattern string) int64 {
	if n, ok := bodyLimits[pattern]; ok {
		return n
	}
	method, _, _ := strings.Cut(pattern, " ")
	switch method {
	case "POST", "PUT", "PATCH", "DELETE":
		return maxForm
	}
	return 0
}

type bodyKey struct{}

// bodyState records that a streamed body went over its limit, for a
// handler that only sees a parse error (multipart).
type bodyState struct {
	over  bool
	limit int64
}

// limitBody applies the route's body limit. It answers 413 (or 415 for an
// upload where no file is expected) and returns false when it refused.
func (s *Server) limitBody(w http.ResponseWriter, r *http.Request) (*http.Request, bool) {
	if r.Body == nil || r.Body == http.NoBody {
		return r, true
	}
	_, pattern := s.mux.Handler(r)
	if pattern == "" {
		pattern = r.Method + " " // no route (404, 405): the method's default
	}
	limit, isUpload := s.limitOf(pattern)
	if r.ContentLength > limit {
		s.refuseBody(w, r, pattern, limit, nil)
		return r, false
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); strings.HasPrefix(mt, "multipart/") && !fileRoutes[pattern] && !isUpload {
		s.refuseBody(w, r, pattern, limit, fail.New(fail.Unsupported, "this form takes no file upload: send it as application/x-www-form-urlencoded"))
		return r, false
	}
	if limit > maxBuffered {
		st := &bodyState{limit: limit}
		r = r.WithContext(context.WithValue(r.Context(), bodyKey{}, st))
		r.Body = &watchedBody{ReadCloser: http.MaxBytesReader(w, r.Body, limit), st: st}
		return r, true
	}
	// Small enough to hold: read it now, so that whatever parses it later
	// (a form, JSON, a gateway callback) never sees more than the limit.
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	r.Body.Close()
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			s.refuseBody(w, r, pattern, limit, nil)
		} else {
			http.Error(w, "the request body could not be read", http.StatusBadRequest)
		}
		return r, false
	}
	r.Body = io.NopCloser(bytes.NewReader(data))
	return r, true
}

type watchedBody struct {
	io.ReadCloser
	st *bodyState
}

func (b *watchedBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		b.st.over = true
	}
	return n, err
}

// bodyTooLarge returns a TooLarge error when the request's streamed body
// went over its limit, else nil.
func bodyTooLarge(r *http.Request) error {
	if st, _ := r.Context().Value(bodyKey{}).(*bodyState); st != nil && st.over {
		return tooLarge(st.limit)
	}
	return nil
}

// tooLarge is the error for a body over its route's limit.
func tooLarge(limit int64) error {
	return fail.New(fail.TooLarge, "the request body is larger than this form takes (%d KiB)", limit>>10)
}

func (s *Server) refuseBody(w http.ResponseWriter, r *http.Request, pattern string, limit int64, err error) {
	if err == nil {
		err = tooLarge(limit)
	}
	fe := fail.As(err)
	s.log.Warn("request body refused", "method", r.Method, "path", r.URL.Path, "pattern", pattern,
		"content_length", r.ContentLength, "limit", limit, "addr", s.clientAddr(r), "reason", fe.Code)
	// The rest of the body is not read: close the connection after answering.
	w.Header().Set("Connection", "close")
	if strings.HasPrefix(r.URL.Path, "/api/") || strings.HasPrefix(r.URL.Path, "/hooks/") {
		writeJSON(w, status(fe.Code), errorResponse{*fe})
		return
	}
	s.errorPage(w, r, nil, fe) // the house-style error page, in the reader's language
}
