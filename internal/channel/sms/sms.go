// Package sms sends a dispatch attempt as an SMS through HTTP gateways with
// the API shape of 46elks (POST {base}/a1/sms, form fields from, to,
// message, whendelivered; basic auth; a JSON answer with id and status),
// and reads what such a gateway posts back: delivery reports and inbound
// SMS, from which ParseReply takes a reply's short code.
//
// Several gateways can be configured, in order of preference. When one
// fails for a message (a transport error, a timeout, any answer but 2xx),
// the next takes the message over. A gateway that keeps failing goes to the
// back of the line for a while, so that messages do not first wait out a
// dead gateway's timeout; Health shows how each gateway fares.
package sms

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"fyr/internal/channel"
	"fyr/internal/fail"
)

// Gateway is one SMS provider account.
type Gateway struct {
	Name     string // unique, e.g. "46elks-primary"; reported as the Result's Provider
	URL      string // API base, e.g. "https://api.46elks.com"; messages go to URL + "/a1/sms"
	Username string // API username (basic auth)
	Password string // API password; never logged
	// From is the sender the recipient sees: a number in E.164 form, which
	// replies (short codes) need, or a text sender id of 3 to 11 letters
	// and digits starting with a letter.
	From string
	// DeliveryURL, when set, is sent as whendelivered: the gateway posts
	// delivery reports there. Send adds the query parameters "attempt" and
	// "gateway". 46elks signs nothing, so put a secret in the URL (a token,
	// or user:password@ for basic auth) and check it when a report comes.
	DeliveryURL string
}

// Config configures a Client.
type Config struct {
	Gateways []Gateway     // in order of preference; at least one
	Timeout  time.Duration // per request to a gateway; default 10 s
	// Backoff bounds the rounds over all gateways: when every gateway
	// failed for a message with a temporary error, the message waits and
	// goes round again.
	Backoff channel.Backoff
	// Trip is how many failures in a row (default 3) send a gateway to the
	// back of the line for Cooldown (default 1 min).
	Trip     int
	Cooldown time.Duration
	// DontLog asks the gateway not to keep the message text (46elks
	// dontlog=message): the text carries a receipt link.
	DontLog bool
	HTTP    *http.Client     // nil: a client with no timeout of its own (Timeout applies)
	Now     func() time.Time // nil: time.Now
	Logger  *slog.Logger     // nil: no logging
}

// MaxText is the longest SMS text sent, in characters (about ten parts).
const MaxText = 1600

// Client sends SMS through the configured gateways. It is safe for
// concurrent use.
type Client struct {
	cfg  Config
	log  *slog.Logger
	http *http.Client
	gws  []*gateway
}

type gateway struct {
	Gateway
	endpoint string
	delivery *url.URL

	mu          sync.Mutex
	sent        int64
	failed      int64
	consecutive int
	lastSuccess time.Time
	lastFailure time.Time
	lastError   string
}

var _ channel.Sender = (*Client)(nil)

var (
	e164     = regexp.MustCompile(`^\+[1-9][0-9]{6,14}$`)
	senderID = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9]{2,10}$`)
)

// IsE164 reports whether s is a phone number in E.164 form (+46701234567).
func IsE164(s string) bool { return e164.MatchString(s) }

// New checks cfg and returns a Client. It does not connect.
func New(cfg Config) (*Client, error) {
	if len(cfg.Gateways) == 0 {
		return nil, fail.Field("gateways", "configure at least one SMS gateway")
	}
	c := &Client{cfg: cfg, http: cfg.HTTP}
	seen := map[string]bool{}
	for i, g := range cfg.Gateways {
		field := func(f string) string { return fmt.Sprintf("gateways[%d].%s", i, f) }
		if strings.TrimSpace(g.Name) == "" || seen[g.Name] {
			return nil, fail.Field(field("name"), "give each gateway its own name")
		}
		seen[g.Name] = true
		base, err := url.Parse(g.URL)
		if err != nil || (base.Scheme != "https" && base.Scheme != "http") || base.Host == "" || base.User != nil {
			return nil, fail.Field(field("url"), "must be an http or https URL without credentials, e.g. https://api.46elks.com")
		}
		if g.Username == "" || g.Password == "" {
			return nil, fail.Field(field("username"), "the gateway's API username and password are required")
		}
		if !IsE164(g.From) && !senderID.MatchString(g.From) {
			return nil, fail.Field(field("from"), "must be a number in E.164 form or 3 to 11 letters and digits starting with a letter")
		}
		gw := &gateway{Gateway: g, endpoint: strings.TrimRight(base.String(), "/") + "/a1/sms"}
		if g.DeliveryURL != "" {
			u, err := url.Parse(g.DeliveryURL)
			if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
				return nil, fail.Field(field("delivery_url"), "must be an http or https URL")
			}
			gw.delivery = u
		}
		c.gws = append(c.gws, gw)
	}
	if c.cfg.Timeout <= 0 {
		c.cfg.Timeout = 10 * time.Second
	}
	if c.cfg.Trip <= 0 {
		c.cfg.Trip = 3
	}
	if c.cfg.Cooldown <= 0 {
		c.cfg.Cooldown = time.Minute
	}
	if c.cfg.Now == nil {
		c.cfg.Now = time.Now
	}
	if c.http == nil {
		c.http = &http.Client{}
	}
	c.cfg.Backoff = c.cfg.Backoff.OrDefault()
	c.log = cfg.Logger
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	c.log = c.log.With("channel", channel.SMS)
	return c, nil
}

// Channel is "sms".
func (c *Client) Channel() string { return channel.SMS }

// Send sends m to m.ToMobile through the first gateway that takes it.
// A gateway named in m.Avoid is tried last.
func (c *Client) Send(ctx context.Context, m channel.Message) channel.Result {
	return c.send(ctx, m, m.Avoid)
}

// SendAvoiding sends m like Send but tries the gateway named avoid last:
// for a message that gateway took but never reported delivered.
func (c *Client) SendAvoiding(ctx context.Context, m channel.Message, avoid string) channel.Result {
	return c.send(ctx, m, avoid)
}

// Text is the SMS text of m: its text, the receipt link, and how to reply
// with the short code.
func Text(m channel.Message) string {
	t := m.TextWithLink()
	if m.ShortCode != "" && !strings.Contains(t, m.ShortCode) {
		if t != "" {
			t += "\n"
		}
		if m.ReceiptURL != "" {
			t += "Eller svara OK " + m.ShortCode + " för att kvittera."
		} else {
			t += "Svara OK " + m.ShortCode + " för att kvittera."
		}
	}
	return t
}

var attemptID = regexp.MustCompile(`^[A-Za-z0-9._-]{1,200}$`)

func (c *Client) check(m channel.Message) (string, error) {
	if !attemptID.MatchString(m.AttemptID) {
		return "", fail.Field("attempt_id", "must be 1 to 200 letters, digits, dots, dashes or underscores")
	}
	if !IsE164(m.ToMobile) {
		return "", fail.Field("to_mobile", "is not a mobile number in E.164 form (+46701234567)")
	}
	if m.ShortCode != "" && !validCode(m.ShortCode) {
		return "", fail.Field("short_code", "must be %d to %d digits", MinCode, MaxCode)
	}
	text := Text(m)
	if strings.TrimSpace(text) == "" {
		return "", fail.Field("text", "is required")
	}
	if !utf8.ValidString(text) {
		return "", fail.Field("text", "is not valid UTF-8")
	}
	if n := utf8.RuneCountInString(text); n > MaxText {
		return "", fail.Field("text", "is %d characters long with the link; an SMS takes at most %d", n, MaxText)
	}
	return text, nil
}

func (c *Client) send(ctx context.Context, m channel.Message, avoid string) channel.Result {
	text, err := c.check(m)
	if err != nil {
		return channel.Result{Err: channel.Permanent(err)}
	}
	done := map[string]bool{}  // gateways that refused this message for good
	last := map[string]error{} // each gateway's last error
	var res channel.Result
	_, err = channel.Retry(ctx, c.cfg.Backoff, func(round int) error {
		failures := 0
		for _, g := range c.order(avoid) {
			if done[g.Name] {
				continue
			}
			id, err := c.post(ctx, g, m, text)
			if err == nil {
				if failures > 0 || round > 1 {
					c.log.Warn("sms handed over after failures", "attempt_id", m.AttemptID, "gateway", g.Name, "round", round)
				}
				res = channel.Result{Provider: g.Name, ProviderID: id, Handed: true}
				return nil
			}
			failures++
			c.log.Warn("sms gateway failed", "attempt_id", m.AttemptID, "gateway", g.Name, "round", round, "err", err)
			if channel.IsPermanent(err) {
				done[g.Name] = true
			}
			// Keep the gateway's error without its permanence: one gateway
			// refusing for good does not end the message while another may
			// still take it.
			var ge *GatewayError
			if errors.As(err, &ge) {
				err = ge
			}
			last[g.Name] = err
			if ctx.Err() != nil {
				break
			}
		}
		var errs joined
		for _, g := range c.gws {
			if e := last[g.Name]; e != nil {
				errs = append(errs, e)
			}
		}
		if len(errs) == 0 {
			return channel.Permanent(errors.New("no gateway left to try"))
		}
		if len(done) == len(c.gws) {
			return channel.Permanent(errs)
		}
		return errs
	})
	if err != nil {
		return channel.Result{Err: fmt.Errorf("sms: %w", err)}
	}
	return res
}

// order is the gateways in order of preference, those resting after a run
// of failures (and avoid) last.
func (c *Client) order(avoid string) []*gateway {
	now := c.cfg.Now()
	out := slices.Clone(c.gws)
	rank := func(g *gateway) int {
		if g.Name == avoid {
			return 2
		}
		if g.resting(now, c.cfg.Trip, c.cfg.Cooldown) {
			return 1
		}
		return 0
	}
	slices.SortStableFunc(out, func(a, b *gateway) int { return rank(a) - rank(b) })
	return out
}

func (g *gateway) resting(now time.Time, trip int, cooldown time.Duration) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.consecutive >= trip && now.Sub(g.lastFailure) < cooldown
}

// joined is several gateways' errors on one line.
type joined []error

func (j joined) Error() string {
	parts := make([]string, len(j))
	for i, e := range j {
		parts[i] = e.Error()
	}
	return strings.Join(parts, "; ")
}

func (j joined) Unwrap() []error { return j }

// GatewayError is one gateway's failure to take a message.
type GatewayError struct {
	Gateway   string
	Status    int    // the HTTP status; 0 when there was no answer
	Text      string // the gateway's answer or the transport error, shortened
	Temporary bool
	cause     error
}

// Unwrap returns the transport error, if that was the failure.
func (e *GatewayError) Unwrap() error { return e.cause }

func (e *GatewayError) Error() string {
	if e.Status == 0 {
		return e.Gateway + ": " + e.Text
	}
	if e.Text == "" {
		return fmt.Sprintf("%s: HTTP %d", e.Gateway, e.Status)
	}
	return fmt.Sprintf("%s: HTTP %d: %s", e.Gateway, e.Status, e.Text)
}

// answer is the JSON a 46elks-shaped gateway answers with.
type answer struct {
	ID     string `json:"id"`
	Status string `json:"status"`
}

// post hands one message to one gateway and returns its id.
func (c *Client) post(ctx context.Context, g *gateway, m channel.Message, text string) (string, error) {
	form := url.Values{"from": {g.From}, "to": {m.ToMobile}, "message": {text}}
	if g.delivery != nil {
		u := *g.delivery
		q := u.Query()
		q.Set("attempt", m.AttemptID)
		q.Set("gateway", g.Name)
		u.RawQuery = q.Encode()
		form.Set("whendelivered", u.String())
	}
	if c.cfg.DontLog {
		form.Set("dontlog", "message")
	}
	rctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(rctx, http.MethodPost, g.endpoint, strings.NewReader(form.Encode()))
	if err != nil {
		return "", c.failed(g, &GatewayError{Gateway: g.Name, Text: err.Error()})
	}
	req.SetBasicAuth(g.Username, g.Password)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "Fyr")
	resp, err := c.http.Do(req)
	if err != nil {
		text := err.Error()
		if errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil {
			text = fmt.Sprintf("no answer within %s", c.cfg.Timeout)
		} else {
			// Keep the cause, not the URL: *url.Error repeats it.
			var ue *url.Error
			if errors.As(err, &ue) {
				text = ue.Err.Error()
			}
		}
		return "", c.failed(g, &GatewayError{Gateway: g.Name, Text: text, Temporary: true, cause: err})
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if err != nil {
		return "", c.failed(g, &GatewayError{Gateway: g.Name, Status: resp.StatusCode, Text: "reading the answer: " + err.Error(), Temporary: true})
	}
	if resp.StatusCode/100 != 2 {
		ge := &GatewayError{Gateway: g.Name, Status: resp.StatusCode, Text: shorten(string(body))}
		switch resp.StatusCode {
		case http.StatusRequestTimeout, http.StatusTooManyRequests:
			ge.Temporary = true
		default:
			ge.Temporary = resp.StatusCode >= 500
		}
		return "", c.failed(g, ge)
	}
	var a answer
	if err := json.Unmarshal(body, &a); err != nil || a.ID == "" || a.Status == "failed" {
		// A 2xx without an id (a proxy's page, a changed API) may or may
		// not have sent the SMS; a duplicate beats a message lost.
		why := "no message id in the answer"
		if a.Status == "failed" {
			why = "the gateway answered status failed"
		}
		return "", c.failed(g, &GatewayError{Gateway: g.Name, Status: resp.StatusCode, Text: why, Temporary: true})
	}
	g.mu.Lock()
	g.sent++
	g.consecutive = 0
	g.lastSuccess = c.cfg.Now()
	g.mu.Unlock()
	return a.ID, nil
}

// failed notes a gateway's failure and returns it, marked permanent when
// sending the same message through that gateway again will not help.
func (c *Client) failed(g *gateway, e *GatewayError) error {
	g.mu.Lock()
	g.failed++
	// A 400 is about the message, not the gateway's health.
	if e.Status != http.StatusBadRequest {
		g.consecutive++
		g.lastFailure = c.cfg.Now()
		g.lastError = e.Error()
	}
	g.mu.Unlock()
	if !e.Temporary {
		return channel.Permanent(e)
	}
	return e
}

// shorten keeps a gateway's answer to one short line.
func shorten(s string) string {
	s = strings.Join(strings.Fields(strings.ToValidUTF8(s, "?")), " ")
	if len(s) > 200 {
		s = s[:200]
		for !utf8.ValidString(s) {
			s = s[:len(s)-1]
		}
		s += "…"
	}
	return s
}

// GatewayStatus is how one gateway fares.
type GatewayStatus struct {
	Name        string    `json:"name"`
	Sent        int64     `json:"sent"`
	Failed      int64     `json:"failed"`
	Consecutive int       `json:"consecutive_failures"`
	LastSuccess time.Time `json:"last_success,omitzero"`
	LastFailure time.Time `json:"last_failure,omitzero"`
	LastError   string    `json:"last_error,omitempty"`
	// Resting: after Trip failures in a row the gateway is tried last
	// until Cooldown has passed since its last failure.
	Resting bool `json:"resting"`
}

// Health returns each gateway's status, in the configured order.
func (c *Client) Health() []GatewayStatus {
	now := c.cfg.Now()
	out := make([]GatewayStatus, 0, len(c.gws))
	for _, g := range c.gws {
		resting := g.resting(now, c.cfg.Trip, c.cfg.Cooldown)
		g.mu.Lock()
		out = append(out, GatewayStatus{Name: g.Name, Sent: g.sent, Failed: g.failed, Consecutive: g.consecutive,
			LastSuccess: g.lastSuccess, LastFailure: g.lastFailure, LastError: g.lastError, Resting: resting})
		g.mu.Unlock()
	}
	return out
}
