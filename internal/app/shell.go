package app

import (
	"context"

	"fyr/internal/auth"
)

// The sessions as the web shell needs them (web.Core): the accounts
// service's, so that the shell takes the application as one small
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

// Logout ends the caller's session for good.
func (s *App) Logout(ctx context.Context, p auth.Principal) error { return s.Auth.Logout(ctx, p) }
