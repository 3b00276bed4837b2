package auth

import (
	"crypto/sha256"
	"encoding/hex"
	"time"

	"fyr/internal/event"
)

// TypeSessionRevoked is logged when a session ends (logout). Being an
// event, the revocation survives a restart and is the same on every node.
const TypeSessionRevoked = "auth.session_revoked"

// SessionRevoked ends one session before its time. The log holds a hash
// of the token, never the token itself (a backup must not hold live
// credentials).
type SessionRevoked struct {
	Username string    `json:"username"`
	Session  string    `json:"session"` // SessionID of the token
	Until    time.Time `json:"until"`   // after this the token has expired anyway
}

// SessionID names a token without revealing it.
func SessionID(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:16])
}

// Revoke ends the session of token, issued to username.
func Revoke(username, token string, by event.Actor, now time.Time) []event.Draft {
	return []event.Draft{{Type: TypeSessionRevoked, Subject: "user/" + username, Actor: by.Username,
		Payload: SessionRevoked{Username: username, Session: SessionID(token), Until: now.Add(SessionTTL)}}}
}

// applyRevoked records a revocation and forgets those past their time.
// Called with u.mu held.
func (u *Users) applyRevoked(e event.Envelope) error {
	var p SessionRevoked
	if err := e.Unmarshal(&p); err != nil {
		return err
	}
	if u.revoked == nil {
		u.revoked = map[string]time.Time{}
	}
	for id, until := range u.revoked {
		if e.RecordedAt.After(until) {
			delete(u.revoked, id)
		}
	}
	u.revoked[p.Session] = p.Until
	return nil
}

// Revoked reports whether the session of token has been ended.
func (u *Users) Revoked(token string) bool {
	u.mu.RLock()
	defer u.mu.RUnlock()
	_, ok := u.revoked[SessionID(token)]
	return ok
}
