// Package channel is what the dispatch engine needs from a delivery channel
// (e-mail, SMS, webhook): one Send per attempt to reach one contact, and an
// outcome that says whether a provider took the message. The adapters live
// in the subpackages; this package holds what they share: the message and
// result types, retries with backoff, permanent errors and a health view.
package channel

import (
	"context"
	"errors"
	"strings"
	"time"
)

// Channel names, as the dispatch core spells them.
const (
	Email   = "email"
	SMS     = "sms"
	Webhook = "webhook"
)

// Message is one attempt to reach one contact over one channel.
type Message struct {
	AttemptID  string // unique per attempt; the idempotency key (e-mail Message-ID, webhook Idempotency-Key)
	ToName     string
	ToEmail    string
	ToMobile   string // E.164
	ToURL      string // webhook target
	Subject    string
	Text       string // plain text, Swedish; includes the receipt link
	ReceiptURL string
	ShortCode  string // an SMS reply with this code acknowledges
	// Avoid names a provider that took this message before but never
	// reported it delivered: channels with several providers try it last.
	Avoid string
	// Decision is the decision the message carries, for channels that pass
	// structure on (the webhook's JSON); Text holds it for people.
	Decision *Decision
}

// Decision is a decision as a channel passes it on: what was decided, by
// whom with which mandate, from when it applies, and what the unit must do.
type Decision struct {
	Text          string    `json:"text"`
	DecisionMaker string    `json:"decision_maker"`
	Mandate       string    `json:"mandate,omitempty"`
	Rationale     string    `json:"rationale,omitempty"`
	DecidedAt     time.Time `json:"decided_at"`
	AppliesFrom   time.Time `json:"applies_from"`
	ValidUntil    time.Time `json:"valid_until,omitzero"`
	Action        string    `json:"action,omitempty"`
}

// Result is the outcome of one Send.
type Result struct {
	Provider   string // which provider/gateway took it (e.g. "smtp", "46elks-primary")
	ProviderID string // the provider's id for delivery reports
	Handed     bool   // the provider accepted it (not yet "delivered")
	Err        error  // why not, when !Handed
}

// Sender sends over one channel. Send retries within its own bounds and
// returns when the message was handed over, failed for good, or ctx ended;
// it never blocks another channel. It is safe for concurrent use.
type Sender interface {
	Channel() string // "email", "sms", "webhook"
	Send(ctx context.Context, m Message) Result
}

// PermanentError marks a failure that sending the same message again will
// not cure: a 5xx from a mail server, a rejected address, bad credentials,
// a malformed message. The dispatch engine moves on to the next channel.
type PermanentError struct{ Err error }

func (e *PermanentError) Error() string { return e.Err.Error() }
func (e *PermanentError) Unwrap() error { return e.Err }

// Permanent marks err as permanent; nil stays nil.
func Permanent(err error) error {
	if err == nil || IsPermanent(err) {
		return err
	}
	return &PermanentError{Err: err}
}

// IsPermanent reports whether err, or an error it wraps, is permanent.
func IsPermanent(err error) bool {
	var p *PermanentError
	return errors.As(err, &p)
}

// TextWithLink is m.Text with the receipt link on a line of its own at the
// end, unless the text carries the link already.
func (m Message) TextWithLink() string {
	t := strings.TrimRight(m.Text, " \t\r\n")
	if m.ReceiptURL != "" && !strings.Contains(t, m.ReceiptURL) {
		if t != "" {
			t += "\n\n"
		}
		t += "Kvittera här: " + m.ReceiptURL
	}
	return t
}
