package auth

import (
	"context"
	"log/slog"
	"slices"
	"time"

	"fyr/internal/event"
	"fyr/internal/kernel"
)

// WriteModel is what the account commands are checked against.
type WriteModel struct {
	Users *Users
	// UnitExists says whether a unit is in the directory (a unit account
	// answers for one).
	UnitExists func(id string) bool
}

// Service is the accounts capability: logins, sessions, the accounts and
// their roles. Its read model is private.
type Service struct {
	run      kernel.Runner[WriteModel]
	view     *Users
	sessions *Sessions
	// Limiter throttles logins per (account, address) and bounds the
	// password hashes that run at once.
	Limiter *Limiter
	log     *slog.Logger
}

// NewService returns the service over run (the appender, on the accounts'
// view of the write model), view (their read model) and the sessions.
func NewService(run kernel.Runner[WriteModel], view *Users, sessions *Sessions, logger *slog.Logger) *Service {
	return &Service{run: run, view: view, sessions: sessions, Limiter: NewLimiter(2), log: logger}
}

// User returns an account as the read model holds it.
func (s *Service) User(username string) (User, bool) { return s.view.Get(username) }

// CSRF is the form token of a session; CheckCSRF checks one.
func (s *Service) CSRF(session string) string { return s.sessions.CSRF(session) }

// CheckCSRF reports whether got is the form token of the session.
func (s *Service) CheckCSRF(session, got string) bool { return s.sessions.CheckCSRF(session, got) }

// userManager is who manages accounts in a command: the caller, who must hold
// ManageUsers, or "cli" when an operator runs the CLI on a stopped server (p nil).
func userManager(p *Principal) (event.Actor, error) {
	if p == nil {
		return event.Actor{Username: "cli"}, nil
	}
	if err := p.Require(ManageUsers); err != nil {
		return event.Actor{}, err
	}
	return p.Actor(), nil
}

// Login checks a password and returns a session token. Failures are
// throttled per (account, client address) pair; every refused attempt is
// logged (never the password).
func (s *Service) Login(ctx context.Context, username, password, addr string) (string, User, error) {
	defer s.Limiter.Lock(username, addr)()
	now := s.run.Now()
	if err := s.Limiter.Allow(username, addr, now); err != nil {
		s.log.Warn("login refused", "username", username, "addr", addr, "reason", "throttled")
		return "", User{}, err
	}
	var u User
	var err error
	s.Limiter.Hash(func() { u, err = s.view.Authenticate(username, password) })
	if err != nil {
		// The wait runs from the answer, not the question: hashing takes a while.
		failures, wait := s.Limiter.Fail(username, addr, s.run.Now())
		s.log.Warn("login refused", "username", username, "addr", addr, "reason", "bad_credentials",
			"failures", failures, "wait_s", int(wait.Seconds()))
		return "", User{}, err
	}
	s.Limiter.Succeed(username, addr)
	s.log.Info("login", "username", username, "addr", addr)
	return s.sessions.Issue(username, now), u, nil
}

// Authenticate turns a session token into the caller.
func (s *Service) Authenticate(token string) (Principal, error) {
	u, err := s.sessions.Check(token, s.view, s.run.Now())
	if err != nil {
		return Principal{}, err
	}
	return Principal{Username: u.Username, Name: u.Name, Role: u.Role, Function: u.Function, Unit: u.Unit, Token: token}, nil
}

// Logout ends the caller's session for good: the revocation is an event,
// so the token stays refused after a restart and on every node.
func (s *Service) Logout(ctx context.Context, p Principal) error {
	if err := p.Require(EndSession); err != nil {
		return err
	}
	if _, err := s.run.Run(ctx, func(_ WriteModel, now time.Time) ([]event.Draft, error) {
		return Revoke(p.Username, p.Token, p.Actor(), now), nil
	}); err != nil {
		return err
	}
	s.log.Info("logout", "username", p.Username)
	return nil
}

// AddUser creates an account; p is nil when an operator runs the CLI.
func (s *Service) AddUser(ctx context.Context, p *Principal, cmd AddUser) (User, error) {
	by, err := userManager(p)
	if err != nil {
		return User{}, err
	}
	if err := cmd.Check(); err != nil {
		return User{}, err
	}
	if _, err := s.run.Run(ctx, func(m WriteModel, now time.Time) ([]event.Draft, error) {
		return cmd.Decide(m.Users, by)
	}); err != nil {
		return User{}, err
	}
	s.log.Info("account created", "username", cmd.Username, "role", cmd.Role, "by", by.Username)
	u, _ := s.view.Get(cmd.Username)
	return u, nil
}

// DisableUser stops an account.
func (s *Service) DisableUser(ctx context.Context, p *Principal, username string) error {
	by, err := userManager(p)
	if err != nil {
		return err
	}
	_, err = s.run.Run(ctx, func(m WriteModel, now time.Time) ([]event.Draft, error) {
		if p != nil { // an operator at the CLI may; through Fyr no one locks the admins out
			if err := LastAdmin(m.Users, username); err != nil {
				return nil, err
			}
		}
		return Disable(m.Users, username, by)
	})
	return err
}

// SetPassword gives an account a new password.
func (s *Service) SetPassword(ctx context.Context, p *Principal, username, password string) error {
	by, err := userManager(p)
	if err != nil {
		return err
	}
	hash, err := ChangePassword(username, password)
	if err != nil {
		return err
	}
	_, err = s.run.Run(ctx, func(m WriteModel, now time.Time) ([]event.Draft, error) {
		return SetPassword(m.Users, username, hash, by)
	})
	return err
}

// Users lists the accounts.
func (s *Service) Users(p *Principal) ([]User, error) {
	if p != nil {
		if err := p.Require(ManageUsers); err != nil {
			return nil, err
		}
	}
	return s.view.List(), nil
}

// Empty reports whether the organisation has no accounts yet (first start).
func (s *Service) Empty() bool { return s.view.Len() == 0 }

// ChangeUser sets an account's role, function and unit; p is nil when an
// operator runs the CLI.
func (s *Service) ChangeUser(ctx context.Context, p *Principal, cmd ChangeUser) (User, error) {
	by, err := userManager(p)
	if err != nil {
		return User{}, err
	}
	if _, err := s.run.Run(ctx, func(m WriteModel, now time.Time) ([]event.Draft, error) {
		return cmd.Decide(m.Users, m.UnitExists, by)
	}); err != nil {
		return User{}, err
	}
	s.log.Info("account changed", "username", cmd.Username, "role", cmd.Role, "by", by.Username)
	u, _ := s.view.Get(cmd.Username)
	return u, nil
}

// EnableUser lets a disabled account log in again.
func (s *Service) EnableUser(ctx context.Context, p *Principal, username string) error {
	by, err := userManager(p)
	if err != nil {
		return err
	}
	_, err = s.run.Run(ctx, func(m WriteModel, now time.Time) ([]event.Draft, error) {
		return Enable(m.Users, username, by)
	})
	if err == nil {
		s.log.Info("account enabled", "username", username, "by", by.Username)
	}
	return err
}

// Approvers are the enabled staff accounts that hold the function that
// approves a situation picture, by name, leaving out the accounts in
// except (under four eyes: the version's authors). Any reader of the
// picture may ask: the page says who can approve instead of offering a
// button that would be refused.
func (s *Service) Approvers(p Principal, except []string) ([]User, error) {
	if err := p.Require(ReadIncidents); err != nil {
		return nil, err
	}
	var out []User
	for _, u := range s.view.List() {
		if u.Disabled || u.Role != Staff || slices.Contains(except, u.Username) {
			continue
		}
		holder := Principal{Role: u.Role, Function: u.Function}
		if holder.May(ApprovePicture) {
			out = append(out, u)
		}
	}
	slices.SortFunc(out, func(a, b User) int {
		if a.Name < b.Name {
			return -1
		}
		if a.Name > b.Name {
			return 1
		}
		return 0
	})
	return out, nil
}
