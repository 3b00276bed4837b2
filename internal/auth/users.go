// Package auth keeps local accounts (always available, the break-glass way in
// when the region's identity provider is down), roles and what each may do,
// session tokens and login rate limiting.
package auth

import (
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"fyr/internal/event"
	"fyr/internal/fail"
)

// Role is what an account may do.
type Role string

const (
	Admin  Role = "admin"  // manages accounts; everything staff may do
	Staff  Role = "staff"  // the crisis staff: runs incidents and the journal
	Unit   Role = "unit"   // a unit's manager or contact: sees levels, not the staff journal
	Viewer Role = "viewer" // reads everything, changes nothing
)

// Roles lists every role.
var Roles = []Role{Admin, Staff, Unit, Viewer}

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return slices.Contains(Roles, r) }

// Event types (append-only contract).
const (
	TypeUserCreated     = "auth.user_created"
	TypeUserDisabled    = "auth.user_disabled"
	TypePasswordChanged = "auth.password_changed"
)

// UserCreated adds an account. The hash is argon2id; the log never holds a
// password.
type UserCreated struct {
	Username string `json:"username"`
	Name     string `json:"name"`
	Role     Role   `json:"role"`
	Function string `json:"function,omitempty"`
	Unit     string `json:"unit,omitempty"`
	Hash     string `json:"hash"`
}

// UserDisabled stops an account from logging in; its sessions end.
type UserDisabled struct {
	Username string `json:"username"`
}

// PasswordChanged sets a new password hash; older sessions end.
type PasswordChanged struct {
	Username string `json:"username"`
	Hash     string `json:"hash"`
}

// User is an account.
type User struct {
	// ID is Username again under the name every object's id has in the API.
	ID          string    `json:"id"`
	Username    string    `json:"username"`
	Name        string    `json:"name"`
	Role        Role      `json:"role"`
	Function    string    `json:"function,omitempty"`
	Unit        string    `json:"unit,omitempty"`
	Disabled    bool      `json:"disabled"`
	Created     time.Time `json:"created"`
	hash        string
	PasswordSet time.Time `json:"-"`
}

// Users is the accounts model (small: one type serves reads and writes).
type Users struct {
	mu      sync.RWMutex
	users   map[string]*User
	revoked map[string]time.Time // SessionID → when the token expires anyway
}

// NewUsers returns an empty account list.
func NewUsers() *Users { return &Users{users: map[string]*User{}} }

// Apply folds one event. A payload of an account event that does not
// decode is an error: the account list would silently be wrong.
func (u *Users) Apply(e event.Envelope) error {
	u.mu.Lock()
	defer u.mu.Unlock()
	switch e.Type {
	case TypeUserCreated:
		var p UserCreated
		if err := e.Unmarshal(&p); err != nil {
			return err
		}
		u.users[p.Username] = &User{ID: p.Username, Username: p.Username, Name: p.Name, Role: p.Role, Function: p.Function,
			Unit: p.Unit, hash: p.Hash, Created: e.RecordedAt, PasswordSet: e.RecordedAt}
	case TypeUserDisabled:
		var p UserDisabled
		if err := e.Unmarshal(&p); err != nil {
			return err
		}
		if x := u.users[p.Username]; x != nil {
			x.Disabled = true
		}
	case TypeSessionRevoked:
		return u.applyRevoked(e)
	case TypePasswordChanged:
		var p PasswordChanged
		if err := e.Unmarshal(&p); err != nil {
			return err
		}
		if x := u.users[p.Username]; x != nil {
			x.hash = p.Hash
			x.PasswordSet = e.RecordedAt
		}
	default:
		return u.applyChange(e)
	}
	return nil
}

// Get returns an account.
func (u *Users) Get(username string) (User, bool) {
	u.mu.RLock()
	defer u.mu.RUnlock()
	x := u.users[username]
	if x == nil {
		return User{}, false
	}
	return *x, true
}

// List returns every account by username.
func (u *Users) List() []User {
	u.mu.RLock()
	defer u.mu.RUnlock()
	out := make([]User, 0, len(u.users))
	for _, x := range u.users {
		out = append(out, *x)
	}
	slices.SortFunc(out, func(a, b User) int { return strings.Compare(a.Username, b.Username) })
	return out
}

// Len is the number of accounts.
func (u *Users) Len() int {
	u.mu.RLock()
	defer u.mu.RUnlock()
	return len(u.users)
}

// Authenticate checks a username and password. It spends the same work on an
// unknown user as on a known one, so timing does not reveal which exist.
func (u *Users) Authenticate(username, password string) (User, error) {
	x, ok := u.Get(username)
	hash := x.hash
	if !ok {
		hash = dummyHash()
	}
	if !CheckPassword(hash, password) || !ok {
		return User{}, fail.New(fail.Unauthorized, "wrong username or password")
	}
	if x.Disabled {
		return User{}, fail.New(fail.Unauthorized, "the account %q is disabled", username)
	}
	return x, nil
}

var dummyOnce = sync.OnceValue(func() string {
	h, _ := HashPassword("not a real password")
	return h
})

func dummyHash() string { return dummyOnce() }

// MinPassword is the shortest password accepted.
const MinPassword = 12

func checkUsername(name string) error {
	if len(name) < 2 || len(name) > 64 {
		return fail.Field("username", "must be 2 to 64 characters")
	}
	for _, r := range name {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '.' || r == '-' || r == '_') {
			return fail.Field("username", "may hold only a-z, 0-9, '.', '-' and '_'")
		}
	}
	return nil
}

func checkPassword(pw, username string) error {
	if utf8.RuneCountInString(pw) < MinPassword {
		return fail.Field("password", "must be at least %d characters", MinPassword)
	}
	if len(pw) > 1024 {
		return fail.Field("password", "is longer than 1024 bytes")
	}
	return guessable(pw, username)
}

// AddUser creates an account. Hash may be given precomputed (the demo seeds
// many accounts with one password); otherwise Password is hashed.
type AddUser struct {
	Username string `json:"username"`
	Name     string `json:"name"`
	Role     Role   `json:"role"`
	Function string `json:"function"`
	Unit     string `json:"unit"`
	Password string `json:"password"`
	Hash     string `json:"-"`
}

// Check validates the command without state; hashing happens between Check
// and Decide, outside the writer, because it is slow.
func (c *AddUser) Check() error {
	if err := checkUsername(c.Username); err != nil {
		return err
	}
	if strings.TrimSpace(c.Name) == "" || len(c.Name) > 200 {
		return fail.Field("name", "is required (at most 200 characters)")
	}
	if !c.Role.Valid() {
		return fail.Field("role", "unknown role %q: use admin, staff, unit or viewer", c.Role)
	}
	if c.Role == Unit && strings.TrimSpace(c.Unit) == "" {
		return fail.Field("unit", "is required for a unit account: the unit it answers for")
	}
	if c.Hash == "" {
		if err := checkPassword(c.Password, c.Username); err != nil {
			return err
		}
		h, err := HashPassword(c.Password)
		if err != nil {
			return err
		}
		c.Hash = h
	}
	return nil
}

// Decide checks that the username is free.
func (c AddUser) Decide(u *Users, by event.Actor) ([]event.Draft, error) {
	if _, ok := u.Get(c.Username); ok {
		return nil, fail.Field("username", "an account %q already exists", c.Username)
	}
	return []event.Draft{{Type: TypeUserCreated, Subject: "user/" + c.Username, Actor: by.Username,
		Payload: UserCreated{Username: c.Username, Name: c.Name, Role: c.Role, Function: c.Function, Unit: c.Unit, Hash: c.Hash}}}, nil
}

// Disable stops an account.
func Disable(u *Users, username string, by event.Actor) ([]event.Draft, error) {
	x, ok := u.Get(username)
	if !ok {
		return nil, fail.New(fail.NotFound, "no account %q", username)
	}
	if x.Disabled {
		return nil, fail.New(fail.Conflict, "the account %q is already disabled", username)
	}
	return []event.Draft{{Type: TypeUserDisabled, Subject: "user/" + username, Actor: by.Username, Payload: UserDisabled{username}}}, nil
}

// ChangePassword checks and hashes an account's new password; call it
// outside the writer.
func ChangePassword(username, password string) (string, error) {
	if err := checkPassword(password, username); err != nil {
		return "", err
	}
	return HashPassword(password)
}

// SetPassword records a new hash for an existing account.
func SetPassword(u *Users, username, hash string, by event.Actor) ([]event.Draft, error) {
	if _, ok := u.Get(username); !ok {
		return nil, fail.New(fail.NotFound, "no account %q", username)
	}
	return []event.Draft{{Type: TypePasswordChanged, Subject: "user/" + username, Actor: by.Username, Payload: PasswordChanged{username, hash}}}, nil
}
