package auth

import (
	"strings"

	"fyr/internal/event"
	"fyr/internal/fail"
)

// Event types of account changes beyond creation (append-only contract).
const (
	TypeUserChanged = "auth.user_changed"
	TypeUserEnabled = "auth.user_enabled"
)

// UserChanged sets an account's role, staff function and unit. The
// account's open sessions see the change on their next request.
type UserChanged struct {
	Username string `json:"username"`
	Role     Role   `json:"role"`
	Function string `json:"function,omitempty"`
	Unit     string `json:"unit,omitempty"`
}

// UserEnabled lets a disabled account log in again.
type UserEnabled struct {
	Username string `json:"username"`
}

// applyChange folds the events of this file; Users.Apply calls it.
func (u *Users) applyChange(e event.Envelope) error {
	switch e.Type {
	case TypeUserChanged:
		var p UserChanged
		if err := e.Unmarshal(&p); err != nil {
			return err
		}
		if x := u.users[p.Username]; x != nil {
			x.Role, x.Function, x.Unit = p.Role, p.Function, p.Unit
		}
	case TypeUserEnabled:
		var p UserEnabled
		if err := e.Unmarshal(&p); err != nil {
			return err
		}
		if x := u.users[p.Username]; x != nil {
			x.Disabled = false
		}
	}
	return nil
}

// ChangeUser sets an account's role, function and unit.
type ChangeUser struct {
	Username string `json:"-"`
	Role     Role   `json:"role"`
	Function string `json:"function"`
	Unit     string `json:"unit"`
}

// MaxFunction bounds a staff function's text.
const MaxFunction = 200

// Decide checks the account exists, the role is known and that the change
// does not leave the organisation without an administrator who can log in.
// unitExists tells whether a unit id is in the directory.
func (c ChangeUser) Decide(u *Users, unitExists func(string) bool, by event.Actor) ([]event.Draft, error) {
	x, ok := u.Get(c.Username)
	if !ok {
		return nil, fail.New(fail.NotFound, "no account %q", c.Username)
	}
	if !c.Role.Valid() {
		return nil, fail.Field("role", "unknown role %q: use admin, staff, unit or viewer", c.Role)
	}
	c.Function, c.Unit = strings.TrimSpace(c.Function), strings.TrimSpace(c.Unit)
	if err := fail.Text("function", c.Function, MaxFunction, false); err != nil {
		return nil, err
	}
	if c.Role == Unit && c.Unit == "" {
		return nil, fail.Field("unit", "is required for a unit account: the unit it answers for")
	}
	if c.Unit != "" && !unitExists(c.Unit) {
		return nil, fail.Field("unit", "there is no unit %q in the directory", c.Unit)
	}
	if x.Role == Admin && c.Role != Admin && !x.Disabled && u.activeAdmins() == 1 {
		return nil, fail.New(fail.Conflict, "%s is the only administrator who can log in; make another account admin first", c.Username)
	}
	if x.Role == c.Role && x.Function == c.Function && x.Unit == c.Unit {
		return nil, nil // nothing changes: nothing to record
	}
	return []event.Draft{{Type: TypeUserChanged, Subject: "user/" + c.Username, Actor: by.Username,
		Payload: UserChanged{Username: c.Username, Role: c.Role, Function: c.Function, Unit: c.Unit}}}, nil
}

// Enable lets a disabled account log in again.
func Enable(u *Users, username string, by event.Actor) ([]event.Draft, error) {
	x, ok := u.Get(username)
	if !ok {
		return nil, fail.New(fail.NotFound, "no account %q", username)
	}
	if !x.Disabled {
		return nil, fail.New(fail.Conflict, "the account %q is not disabled", username)
	}
	return []event.Draft{{Type: TypeUserEnabled, Subject: "user/" + username, Actor: by.Username, Payload: UserEnabled{username}}}, nil
}

// LastAdmin refuses disabling the only administrator who can log in: no
// one could then manage the accounts from Fyr itself.
func LastAdmin(u *Users, username string) error {
	x, ok := u.Get(username)
	if ok && x.Role == Admin && !x.Disabled && u.activeAdmins() == 1 {
		return fail.New(fail.Conflict, "%s is the only administrator who can log in; make another account admin first", username)
	}
	return nil
}

// activeAdmins counts the enabled admin accounts; the caller holds no lock.
func (u *Users) activeAdmins() int {
	n := 0
	for _, x := range u.List() {
		if x.Role == Admin && !x.Disabled {
			n++
		}
	}
	return n
}
