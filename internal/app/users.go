package app

import (
	"context"
	"slices"
	"time"

	"fyr/internal/auth"
	"fyr/internal/event"
)

// The account commands beyond AddUser, DisableUser and SetPassword
// (commands.go): the admin's user page, the API and the CLI call these.

// ChangeUser sets an account's role, function and unit; p is nil when an
// operator runs the CLI.
func (s *App) ChangeUser(ctx context.Context, p *auth.Principal, cmd auth.ChangeUser) (auth.User, error) {
	by, err := userManager(p)
	if err != nil {
		return auth.User{}, err
	}
	if _, err := s.do(ctx, func(f *Facts, now time.Time) ([]event.Draft, error) {
		exists := func(id string) bool { _, ok := f.Units.Unit(id); return ok }
		return cmd.Decide(f.Users, exists, by)
	}); err != nil {
		return auth.User{}, err
	}
	s.log.Info("account changed", "username", cmd.Username, "role", cmd.Role, "by", by.Username)
	u, _ := s.P.Users.Get(cmd.Username)
	return u, nil
}

// EnableUser lets a disabled account log in again.
func (s *App) EnableUser(ctx context.Context, p *auth.Principal, username string) error {
	by, err := userManager(p)
	if err != nil {
		return err
	}
	_, err = s.do(ctx, func(f *Facts, now time.Time) ([]event.Draft, error) {
		return auth.Enable(f.Users, username, by)
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
func (s *App) Approvers(p auth.Principal, except []string) ([]auth.User, error) {
	if err := p.Require(auth.ReadIncidents); err != nil {
		return nil, err
	}
	var out []auth.User
	for _, u := range s.P.Users.List() {
		if u.Disabled || u.Role != auth.Staff || slices.Contains(except, u.Username) {
			continue
		}
		holder := auth.Principal{Role: u.Role, Function: u.Function}
		if holder.May(auth.ApprovePicture) {
			out = append(out, u)
		}
	}
	slices.SortFunc(out, func(a, b auth.User) int {
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

// userManager is who manages accounts in a command: the caller, who must hold
// ManageUsers, or "cli" when an operator runs the CLI on a stopped server (p nil).
func userManager(p *auth.Principal) (event.Actor, error) {
	if p == nil {
		return event.Actor{Username: "cli"}, nil
	}
	if err := p.Require(auth.ManageUsers); err != nil {
		return event.Actor{}, err
	}
	return p.Actor(), nil
}
