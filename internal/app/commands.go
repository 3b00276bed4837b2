package app

import (
	"context"
	"time"

	"fyr/internal/auth"
	"fyr/internal/event"
)

// Login checks a password and returns a session token. Failures are
// throttled per (account, client address) pair; every refused attempt is
// logged (never the password).
func (s *App) Login(ctx context.Context, username, password, addr string) (string, auth.User, error) {
	defer s.Limiter.Lock(username, addr)()
	now := s.now()
	if err := s.Limiter.Allow(username, addr, now); err != nil {
		s.log.Warn("login refused", "username", username, "addr", addr, "reason", "throttled")
		return "", auth.User{}, err
	}
	var u auth.User
	var err error
	s.Limiter.Hash(func() { u, err = s.P.Users.Authenticate(username, password) })
	if err != nil {
		// The wait runs from the answer, not the question: hashing takes a while.
		failures, wait := s.Limiter.Fail(username, addr, s.now())
		s.log.Warn("login refused", "username", username, "addr", addr, "reason", "bad_credentials",
			"failures", failures, "wait_s", int(wait.Seconds()))
		return "", auth.User{}, err
	}
	s.Limiter.Succeed(username, addr)
	s.log.Info("login", "username", username, "addr", addr)
	return s.Sessions.Issue(username, now), u, nil
}

// Authenticate turns a session token into the caller.
func (s *App) Authenticate(token string) (auth.Principal, error) {
	u, err := s.Sessions.Check(token, s.P.Users, s.now())
	if err != nil {
		return auth.Principal{}, err
	}
	return auth.Principal{Username: u.Username, Name: u.Name, Role: u.Role, Function: u.Function, Unit: u.Unit, Token: token}, nil
}

// Logout ends the caller's session for good: the revocation is an event,
// so the token stays refused after a restart and on every node.
func (s *App) Logout(ctx context.Context, p auth.Principal) error {
	if err := p.Require(auth.EndSession); err != nil {
		return err
	}
	if _, err := s.do(ctx, func(_ *Facts, now time.Time) ([]event.Draft, error) {
		return auth.Revoke(p.Username, p.Token, p.Actor(), now), nil
	}); err != nil {
		return err
	}
	s.log.Info("logout", "username", p.Username)
	return nil
}

// AddUser creates an account; p is nil when an operator runs the CLI.
func (s *App) AddUser(ctx context.Context, p *auth.Principal, cmd auth.AddUser) (auth.User, error) {
	by, err := userManager(p)
	if err != nil {
		return auth.User{}, err
	}
	if err := cmd.Check(); err != nil {
		return auth.User{}, err
	}
	if _, err := s.do(ctx, func(f *Facts, now time.Time) ([]event.Draft, error) {
		return cmd.Decide(f.Users, by)
	}); err != nil {
		return auth.User{}, err
	}
	s.log.Info("account created", "username", cmd.Username, "role", cmd.Role, "by", by.Username)
	u, _ := s.P.Users.Get(cmd.Username)
	return u, nil
}

// DisableUser stops an account.
func (s *App) DisableUser(ctx context.Context, p *auth.Principal, username string) error {
	by, err := userManager(p)
	if err != nil {
		return err
	}
	_, err = s.do(ctx, func(f *Facts, now time.Time) ([]event.Draft, error) {
		if p != nil { // an operator at the CLI may; through Fyr no one locks the admins out
			if err := auth.LastAdmin(f.Users, username); err != nil {
				return nil, err
			}
		}
		return auth.Disable(f.Users, username, by)
	})
	return err
}

// SetPassword gives an account a new password.
func (s *App) SetPassword(ctx context.Context, p *auth.Principal, username, password string) error {
	by, err := userManager(p)
	if err != nil {
		return err
	}
	hash, err := auth.ChangePassword(username, password)
	if err != nil {
		return err
	}
	_, err = s.do(ctx, func(f *Facts, now time.Time) ([]event.Draft, error) {
		return auth.SetPassword(f.Users, username, hash, by)
	})
	return err
}

// Users lists the accounts.
func (s *App) Users(p *auth.Principal) ([]auth.User, error) {
	if p != nil {
		if err := p.Require(auth.ManageUsers); err != nil {
			return nil, err
		}
	}
	return s.P.Users.List(), nil
}

// Empty reports whether the organisation has no accounts yet (first start).
func (s *App) Empty() bool { return s.P.Users.Len() == 0 }
