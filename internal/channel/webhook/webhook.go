// Package webhook delivers a dispatch attempt as a signed JSON POST to a
// unit's own system, and checks the signature of signed requests that come
// back.
//
// The request body is {"attempt_id", "subject", "text", "receipt_url",
// "short_code", and for a decision "decision": {"text", "decision_maker",
// "mandate", "rationale", "decided_at", "applies_from", "valid_until",
// "action"}}, with the headers Content-Type: application/json,
// Idempotency-Key: the attempt id (the same on every retry), and
// Fyr-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 over "<t>.<body>">.
// A receiver recomputes the HMAC with the shared secret, compares in
// constant time, rejects timestamps outside its tolerance, and ignores a
// second request with an Idempotency-Key it has seen.
package webhook

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"fyr/internal/channel"
	"fyr/internal/fail"
)

// Header names.
const (
	SignatureHeader   = "Fyr-Signature"
	IdempotencyHeader = "Idempotency-Key"
)

// MinSecret is the shortest secret accepted, in bytes.
const MinSecret = 16

// Payload is the JSON body of a webhook.
type Payload struct {
	AttemptID  string `json:"attempt_id"`
	Subject    string `json:"subject"`
	Text       string `json:"text"`
	ReceiptURL string `json:"receipt_url"`
	ShortCode  string `json:"short_code"`
	// Decision is the decision a decision dispatch carries, for a system
	// that shows it in its own way; absent for other messages.
	Decision *channel.Decision `json:"decision,omitempty"`
}

// Config configures a Sender.
type Config struct {
	Name    string        // provider name in results; default "webhook"
	Secret  []byte        // the HMAC key shared with the receivers; at least MinSecret bytes; never logged
	Timeout time.Duration // per request; default 10 s
	Backoff channel.Backoff
	// HTTP is the client to use (nil: a plain one). Redirects are never
	// followed: a 3xx is a permanent failure.
	HTTP   *http.Client
	Now    func() time.Time // for signatures; nil: time.Now
	Logger *slog.Logger     // nil: no logging
}

// Sender posts webhooks. It is safe for concurrent use.
type Sender struct {
	cfg  Config
	http *http.Client
	log  *slog.Logger
}

var _ channel.Sender = (*Sender)(nil)

// New checks cfg and returns a Sender.
func New(cfg Config) (*Sender, error) {
	if len(cfg.Secret) < MinSecret {
		return nil, fail.Field("secret", "must be at least %d bytes", MinSecret)
	}
	if cfg.Name == "" {
		cfg.Name = "webhook"
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 10 * time.Second
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	cfg.Secret = bytes.Clone(cfg.Secret)
	cfg.Backoff = cfg.Backoff.OrDefault()
	hc := &http.Client{}
	if cfg.HTTP != nil {
		c := *cfg.HTTP
		hc = &c
	}
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Sender{cfg: cfg, http: hc, log: log.With("channel", channel.Webhook, "provider", cfg.Name)}, nil
}

// Channel is "webhook".
func (s *Sender) Channel() string { return channel.Webhook }

// Send posts m to m.ToURL, retrying 5xx answers, 408, 429, timeouts and
// broken connections within the configured backoff. Each try is signed
// afresh; the Idempotency-Key stays the same.
func (s *Sender) Send(ctx context.Context, m channel.Message) channel.Result {
	res := channel.Result{Provider: s.cfg.Name}
	target, err := checkURL(m.ToURL)
	if err == nil && strings.TrimSpace(m.AttemptID) == "" {
		err = fail.Field("attempt_id", "is required")
	}
	if err != nil {
		res.Err = channel.Permanent(err)
		return res
	}
	body, err := json.Marshal(Payload{AttemptID: m.AttemptID, Subject: m.Subject, Text: m.Text, ReceiptURL: m.ReceiptURL, ShortCode: m.ShortCode,
		Decision: m.Decision})
	if err != nil {
		res.Err = channel.Permanent(fmt.Errorf("webhook body: %w", err))
		return res
	}
	n, err := channel.Retry(ctx, s.cfg.Backoff, func(try int) error {
		err := s.post(ctx, target, m.AttemptID, body)
		if err != nil && !channel.IsPermanent(err) && try < s.cfg.Backoff.Attempts && ctx.Err() == nil {
			s.log.Warn("webhook attempt failed; retrying", "attempt_id", m.AttemptID, "host", target.Host, "try", try, "err", err)
		}
		return err
	})
	if err != nil {
		s.log.Warn("webhook not delivered", "attempt_id", m.AttemptID, "host", target.Host, "tries", n, "err", err)
		res.Err = fmt.Errorf("webhook to %s: %w", target.Host, err)
		return res
	}
	res.Handed = true
	return res
}

func checkURL(s string) (*url.URL, error) {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, fail.Field("to_url", "must be an absolute http or https URL")
	}
	return u, nil
}

// HTTPError is a receiver's answer other than 2xx.
type HTTPError struct {
	Status int
	Text   string // the start of the answer's body, on one line
}

func (e *HTTPError) Error() string {
	if e.Text == "" {
		return fmt.Sprintf("HTTP %d", e.Status)
	}
	return fmt.Sprintf("HTTP %d: %s", e.Status, e.Text)
}

func (s *Sender) post(ctx context.Context, target *url.URL, attempt string, body []byte) error {
	rctx, cancel := context.WithTimeout(ctx, s.cfg.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(rctx, http.MethodPost, target.String(), bytes.NewReader(body))
	if err != nil {
		return channel.Permanent(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Fyr")
	req.Header.Set(IdempotencyHeader, attempt)
	req.Header.Set(SignatureHeader, Sign(s.cfg.Secret, s.cfg.Now(), body))
	resp, err := s.http.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // without the URL, which may carry a token
		}
		if errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil {
			return fmt.Errorf("no answer within %s: %w", s.cfg.Timeout, err)
		}
		return err
	}
	defer resp.Body.Close()
	text, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10)) // let the connection be reused
	if resp.StatusCode/100 == 2 {
		return nil
	}
	he := &HTTPError{Status: resp.StatusCode, Text: oneLine(string(text), 200)}
	switch {
	case resp.StatusCode >= 500, resp.StatusCode == http.StatusRequestTimeout, resp.StatusCode == http.StatusTooManyRequests:
		return he
	case resp.StatusCode/100 == 3:
		return channel.Permanent(fmt.Errorf("%w (redirects are not followed: configure the final URL)", he))
	}
	return channel.Permanent(he)
}

func oneLine(s string, max int) string {
	s = strings.Join(strings.Fields(strings.ToValidUTF8(s, "?")), " ")
	if len(s) > max {
		s = strings.ToValidUTF8(s[:max], "") + "…"
	}
	return s
}

// Sign returns the Fyr-Signature header value for body signed at t.
func Sign(secret []byte, t time.Time, body []byte) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	return "t=" + ts + ",v1=" + mac(secret, ts, body)
}
