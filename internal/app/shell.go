package app

import (
	"context"

	"fyr/internal/auth"
)

// What the web shell needs of the application (web.Core) beyond its
// health and events: the accounts service's sessions and the directory's
// staff functions, so that the shell takes the application as one small
// interface.

// Authenticate finds the holder of a session or bearer token.
func (s *App) Authenticate(token string) (auth.Principal, error) { return s.Auth.Authenticate(token) }

// CSRF is the form token of a session.
func (s *App) CSRF(session string) string { return s.Auth.CSRF(session) }

// CheckCSRF tells whether got is the session's form token.
func (s *App) CheckCSRF(session, got string) bool { return s.Auth.CheckCSRF(session, got) }

// Login checks a local account's password and opens a session.
func (s *App) Login(ctx context.Context, username, password, addr string) (string, auth.User, error) {
	return s.Auth.Login(ctx, username, password, addr)
}

// Functions are the staff functions the directory knows, for the forms.
func (s *App) Functions() []string { return s.Directory.Functions() }

// Logout ends the caller's session for good.
func (s *App) Logout(ctx context.Context, p auth.Principal) error { return s.Auth.Logout(ctx, p) }
