// Package smstest is a stand-in for an SMS gateway with the API shape of
// 46elks, on loopback, for tests: it takes messages at POST /a1/sms (basic
// auth, form fields from, to, message, whendelivered, dontlog), records
// them, fails on demand (an HTTP status, or hanging), posts delivery
// reports to whendelivered, and posts inbound replies to a webhook, as the
// real gateway does.
package smstest

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"sync"
	"time"

	"fyr/internal/channel/sms"
)

// Options configure a Gateway. Every field has a default.
type Options struct {
	Username string // API username; default "fyr"
	Password string // API password; default "hemligt"
	Number   string // the gateway's number, "to" of inbound replies; default "+46766860000"
	// InboundURL is where Reply posts inbound SMS (46elks: the number's
	// sms_url). It may carry user:password@ for basic auth.
	InboundURL string
	// AutoReport, when set (sms.StatusDelivered or sms.StatusFailed),
	// makes the gateway post that delivery report for every message with
	// a whendelivered URL as soon as it has answered. Close waits for
	// them.
	AutoReport string
	Now        func() time.Time // times in answers and reports; default time.Now
	Client     *http.Client     // for callbacks; default http.DefaultClient
}

// Sent is a message the gateway took.
type Sent struct {
	ID            string
	From          string
	To            string
	Message       string
	WhenDelivered string
	DontLog       bool
	Created       time.Time
}

// Gateway is a running stand-in. Its methods are safe for concurrent use.
type Gateway struct {
	URL string // the API base: messages go to URL + "/a1/sms"

	o   Options
	srv *httptest.Server
	wg  sync.WaitGroup

	mu       sync.Mutex
	sent     []Sent
	requests int
	failWith int // answer this status …
	failLeft int // … this many more times (-1: until Recover)
	hang     bool
	release  chan struct{} // closed to let hanging requests go
	changed  chan struct{} // closed and replaced when a message is recorded
	closed   bool
}

// New starts a gateway on loopback.
func New(o Options) *Gateway {
	if o.Username == "" {
		o.Username = "fyr"
	}
	if o.Password == "" {
		o.Password = "hemligt"
	}
	if o.Number == "" {
		o.Number = "+46766860000"
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Client == nil {
		o.Client = http.DefaultClient
	}
	g := &Gateway{o: o, release: make(chan struct{}), changed: make(chan struct{})}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /a1/sms", g.handleSMS)
	g.srv = httptest.NewServer(mux)
	g.URL = g.srv.URL
	return g
}

// Close stops the gateway, letting hanging requests go first and waiting
// for automatic reports.
func (g *Gateway) Close() {
	g.mu.Lock()
	if g.closed {
		g.mu.Unlock()
		return
	}
	g.closed = true
	g.hang = false
	close(g.release)
	g.mu.Unlock()
	g.wg.Wait()
	g.srv.Close()
}

// Config is a client configuration for this gateway, named name, sending
// from the gateway's number.
func (g *Gateway) Config(name string) sms.Gateway {
	return sms.Gateway{Name: name, URL: g.URL, Username: g.o.Username, Password: g.o.Password, From: g.o.Number}
}

// Number is the gateway's own number.
func (g *Gateway) Number() string { return g.o.Number }

// SetInboundURL sets where Reply posts.
func (g *Gateway) SetInboundURL(u string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.o.InboundURL = u
}

// Fail makes the next n requests answer status (n < 0: every request until
// Recover).
func (g *Gateway) Fail(status, n int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.failWith, g.failLeft = status, n
}

// Hang makes requests hang, unanswered, until Recover or Close, or until
// the client gives up.
func (g *Gateway) Hang() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.hang = true
}

// Recover ends Fail and Hang; hanging requests are then served normally.
func (g *Gateway) Recover() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.failWith, g.failLeft = 0, 0
	if g.hang && !g.closed {
		g.hang = false
		close(g.release)
		g.release = make(chan struct{})
	}
}

// Sent returns the messages taken so far.
func (g *Gateway) Sent() []Sent {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]Sent(nil), g.sent...)
}

// Requests counts the requests to /a1/sms, failed ones included.
func (g *Gateway) Requests() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.requests
}

// Wait returns the messages taken once there are at least n, or ctx's
// error.
func (g *Gateway) Wait(ctx context.Context, n int) ([]Sent, error) {
	for {
		g.mu.Lock()
		if len(g.sent) >= n {
			out := append([]Sent(nil), g.sent...)
			g.mu.Unlock()
			return out, nil
		}
		ch := g.changed
		g.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return nil, fmt.Errorf("waiting for %d messages: %w", n, ctx.Err())
		}
	}
}

var e164 = regexp.MustCompile(`^\+[1-9][0-9]{6,14}$`)

func (g *Gateway) handleSMS(w http.ResponseWriter, r *http.Request) {
	g.mu.Lock()
	g.requests++
	hang, release := g.hang, g.release
	status := 0
	if g.failLeft != 0 {
		status = g.failWith
		if g.failLeft > 0 {
			g.failLeft--
		}
	}
	g.mu.Unlock()
	if hang {
		select {
		case <-release:
		case <-r.Context().Done():
			return
		}
	}
	if status != 0 {
		http.Error(w, http.StatusText(status), status)
		return
	}
	user, pass, ok := r.BasicAuth()
	if !ok || subtle.ConstantTimeCompare([]byte(user), []byte(g.o.Username)) != 1 ||
		subtle.ConstantTimeCompare([]byte(pass), []byte(g.o.Password)) != 1 {
		w.Header().Set("WWW-Authenticate", `Basic realm="46elks stand-in"`)
		http.Error(w, "Unauthorized", http.StatusUnauthorized)
		return
	}
	if err := r.ParseForm(); err != nil {
		http.Error(w, "Invalid form", http.StatusBadRequest)
		return
	}
	f := r.PostForm
	for _, k := range []string{"from", "to", "message"} {
		if f.Get(k) == "" {
			http.Error(w, "Missing key "+k, http.StatusBadRequest)
			return
		}
	}
	if !e164.MatchString(f.Get("to")) {
		http.Error(w, "Invalid to", http.StatusBadRequest)
		return
	}
	s := Sent{ID: newID(), From: f.Get("from"), To: f.Get("to"), Message: f.Get("message"),
		WhenDelivered: f.Get("whendelivered"), DontLog: f.Get("dontlog") == "message", Created: g.o.Now().UTC()}
	if s.WhenDelivered != "" {
		if u, err := url.Parse(s.WhenDelivered); err != nil || (u.Scheme != "http" && u.Scheme != "https") {
			http.Error(w, "Invalid whendelivered", http.StatusBadRequest)
			return
		}
	}
	answer := map[string]any{"id": s.ID, "status": "created", "direction": "outgoing", "from": s.From, "to": s.To,
		"created": s.Created.Format(sms.TimeLayout), "parts": 1, "cost": 3500}
	if !s.DontLog {
		answer["message"] = s.Message
	}
	g.mu.Lock()
	g.sent = append(g.sent, s)
	close(g.changed)
	g.changed = make(chan struct{})
	auto := g.o.AutoReport != "" && s.WhenDelivered != "" && !g.closed
	if auto {
		g.wg.Add(1)
	}
	g.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(answer)
	if auto {
		go func() {
			defer g.wg.Done()
			g.Report(s.ID, g.o.AutoReport) // a failed report is the receiver's problem, as with 46elks
		}()
	}
}

// Report posts a delivery report (sms.StatusSent, StatusDelivered or
// StatusFailed) for the message with the gateway id id to its
// whendelivered URL, and returns an error unless the receiver answered
// 2xx.
func (g *Gateway) Report(id, status string) error {
	var s *Sent
	g.mu.Lock()
	for i := range g.sent {
		if g.sent[i].ID == id {
			s = &g.sent[i]
		}
	}
	var target string
	if s != nil {
		target = s.WhenDelivered
	}
	g.mu.Unlock()
	if s == nil {
		return fmt.Errorf("smstest: no message %q", id)
	}
	if target == "" {
		return fmt.Errorf("smstest: message %q asked for no delivery report", id)
	}
	form := url.Values{"id": {id}, "status": {status}}
	if status == sms.StatusDelivered {
		form.Set("delivered", g.o.Now().UTC().Format(sms.TimeLayout))
	}
	return g.post(target, form)
}

// Reply posts an inbound SMS from the number from, sent to the gateway's
// number, to InboundURL, and returns its id.
func (g *Gateway) Reply(from, message string) (string, error) {
	g.mu.Lock()
	target := g.o.InboundURL
	g.mu.Unlock()
	if target == "" {
		return "", fmt.Errorf("smstest: no InboundURL to post the reply to")
	}
	id := newID()
	form := url.Values{"direction": {"incoming"}, "id": {id}, "from": {from}, "to": {g.o.Number},
		"message": {message}, "created": {g.o.Now().UTC().Format(sms.TimeLayout)}}
	return id, g.post(target, form)
}

// post sends a form as 46elks sends callbacks: POST, form-encoded, with
// basic auth from the URL's user:password@ when it has one.
func (g *Gateway) post(target string, form url.Values) error {
	req, err := http.NewRequest(http.MethodPost, target, bytes.NewBufferString(form.Encode()))
	if err != nil {
		return fmt.Errorf("smstest: %w", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := g.o.Client.Do(req)
	if err != nil {
		return fmt.Errorf("smstest: posting to the callback: %w", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	if resp.StatusCode < 200 || resp.StatusCode > 204 {
		return fmt.Errorf("smstest: the callback answered %d: %s", resp.StatusCode, bytes.TrimSpace(body))
	}
	return nil
}

func newID() string {
	b := make([]byte, 16)
	rand.Read(b)
	return "s" + hex.EncodeToString(b)
}
