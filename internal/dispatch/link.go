package dispatch

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"strings"
	"time"

	"fyr/internal/fail"
)

// Link is what a signed receipt link carries: one attempt to reach one
// contact of one unit. Whoever holds the link may acknowledge for the unit
// without logging in, once, until it expires.
type Link struct {
	Attempt  string    `json:"a"` // unique per link: a link is used once
	Dispatch ID        `json:"d"`
	Unit     string    `json:"u"`
	Name     string    `json:"n"` // the contact it was sent to
	Channel  string    `json:"c"`
	Expires  time.Time `json:"e"`
}

// Links signs and checks receipt links with a server-side key.
type Links struct{ key []byte }

// NewLinks returns a signer; key must be at least 32 random bytes.
func NewLinks(key []byte) *Links { return &Links{key: key} }

func (l *Links) mac(body string) string {
	m := hmac.New(sha256.New, l.key)
	m.Write([]byte("receipt-link|" + body))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:18])
}

// Sign returns the token for a link: body.mac, URL-safe.
func (l *Links) Sign(link Link) string {
	link.Expires = link.Expires.UTC().Truncate(time.Second)
	b, _ := json.Marshal(link)
	body := base64.RawURLEncoding.EncodeToString(b)
	return body + "." + l.mac(body)
}

// Check verifies a token's signature and expiry. It does not know whether
// the link was used: Book.CheckLink does.
func (l *Links) Check(token string, now time.Time) (Link, error) {
	body, mac, ok := strings.Cut(token, ".")
	if !ok || !hmac.Equal([]byte(mac), []byte(l.mac(body))) {
		return Link{}, fail.Field("link", "is not a valid receipt link (altered or not from this Fyr)")
	}
	raw, err := base64.RawURLEncoding.DecodeString(body)
	var link Link
	if err != nil || json.Unmarshal(raw, &link) != nil {
		return Link{}, fail.Field("link", "is not a valid receipt link")
	}
	if now.After(link.Expires) {
		return Link{}, fail.Field("link", "expired at %s: ask the crisis staff for a new one", link.Expires.Format(time.RFC3339))
	}
	return link, nil
}

// CheckLink says whether a verified link may still be used: its dispatch
// and unit exist and the link has not acknowledged before.
func (b *Book) CheckLink(link Link) error {
	b.mu.RLock()
	defer b.mu.RUnlock()
	d := b.dispatches[link.Dispatch]
	if d == nil || d.State[link.Unit] == nil {
		return fail.New(fail.NotFound, "the dispatch of this link does not exist")
	}
	if d.used[link.Attempt] {
		return used(fail.Field("link", "has already been used to acknowledge"))
	}
	return nil
}
