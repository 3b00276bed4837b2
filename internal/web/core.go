package web

import (
	"context"
	"time"

	"fyr/internal/app"
	"fyr/internal/auth"
	"fyr/internal/event"
)

// Core is what the shell itself needs of the application: who the caller
// is (sessions and their CSRF tokens, the login page), whether it can
// serve (ready, healthy, writable), the clock, the events for the live
// hub (the sequence number and a listener), and the staff functions every
// form that asks for one offers. *app.App satisfies it; the
// capabilities' pages bring their own services in their modules.
type Core interface {
	Authenticate(token string) (auth.Principal, error)
	CSRF(session string) string
	CheckCSRF(session, got string) bool
	Login(ctx context.Context, username, password, addr string) (string, auth.User, error)
	Logout(ctx context.Context, p auth.Principal) error

	Ready() <-chan struct{}
	Healthy() error
	Writable() error

	Now() time.Time
	Seq() uint64
	Listen(fn func(event.Envelope))

	Functions() []string
}

var _ Core = (*app.App)(nil)
