package auth

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"fyr/internal/event"
	"fyr/internal/fail"
)

// Action is something a role may be allowed to do.
type Action string

const (
	ReadIncidents  Action = "read_incidents"  // incident list, levels, banner
	ReadJournal    Action = "read_journal"    // the staff journal (may hold personal data)
	WriteIncidents Action = "write_incidents" // open, change level, journal, close
	ManageUsers    Action = "manage_users"
	Acknowledge    Action = "acknowledge" // give a unit's receipt for a dispatch
	// ManageDirectory: import units and people, set who answers for a unit.
	ManageDirectory Action = "manage_directory"
	// SetOnDuty: put someone on duty for a unit for a shift.
	SetOnDuty Action = "set_on_duty"
	// ExportDirectory: every unit's and person's contact details in one
	// file (personal data in bulk; each export is audit-logged).
	ExportDirectory Action = "export_directory"
	// FileReport: file a unit report in a reporting round (a unit account
	// for its own unit only; the staff on behalf of a unit that phoned).
	FileReport Action = "file_report"
	// ApprovePicture: approve a situation picture (lägesbild) for
	// publishing. Admins hold it by role; staff only when their function is
	// one of ApproverFunctions (the stabschef).
	ApprovePicture Action = "approve_picture"
	// ManageSettings: change the organisation's settings (e.g. four eyes).
	ManageSettings Action = "manage_settings"
	// EndSession: log out, revoking the caller's own token.
	EndSession Action = "end_session"
	// ReadContacts: every unit's contact details (a unit account sees its
	// own unit's; see directory.ContactAccess).
	ReadContacts Action = "read_contacts"
	// ManageRegistry: keep the continuity registry (components,
	// dependencies, backup routines); every role reads it.
	ManageRegistry Action = "manage_registry"
)

// ApproverFunctions are the staff functions that may approve a situation
// picture (compared without regard to case; a function field listing
// several, separated by commas, counts each).
var ApproverFunctions = []string{"stabschef"}

// byFunction grants an action to a role only when the person holds one of
// the listed functions.
var byFunction = map[Action]map[Role]*[]string{
	ApprovePicture: {Staff: &ApproverFunctions},
}

var grants = map[Role][]Action{
	Admin: {ReadIncidents, ReadJournal, WriteIncidents, ManageUsers, Acknowledge, ManageDirectory, SetOnDuty, ExportDirectory,
		FileReport, ApprovePicture, ManageSettings, EndSession, ReadContacts, ManageRegistry},
	Staff:  {ReadIncidents, ReadJournal, WriteIncidents, Acknowledge, SetOnDuty, ExportDirectory, FileReport, EndSession, ReadContacts},
	Unit:   {ReadIncidents, Acknowledge, FileReport, EndSession},
	Viewer: {ReadIncidents, ReadJournal, EndSession},
}

// String is the action in words ("read journal"), as errors say it.
func (a Action) String() string { return strings.ReplaceAll(string(a), "_", " ") }

// Can reports whether role may do action.
func Can(role Role, action Action) bool {
	for _, a := range grants[role] {
		if a == action {
			return true
		}
	}
	return false
}

// Principal is the authenticated caller of a request.
type Principal struct {
	Username string
	Name     string
	Role     Role
	Function string
	Unit     string // the unit a unit account answers for
	Token    string
}

// Actor is who p is, as the commands of every capability take it.
func (p Principal) Actor() event.Actor {
	return event.Actor{Username: p.Username, Name: p.Name, Function: p.Function}
}

// May reports whether p may do action: by role, or by role and function
// for the actions granted by function (ApprovePicture). Use it rather than
// Can where the function matters.
func (p Principal) May(action Action) bool {
	if Can(p.Role, action) {
		return true
	}
	fns := byFunction[action][p.Role]
	if fns == nil {
		return false
	}
	for part := range strings.SplitSeq(p.Function, ",") {
		for _, fn := range *fns {
			if strings.EqualFold(strings.TrimSpace(part), fn) {
				return true
			}
		}
	}
	return false
}

// Require returns a Forbidden error unless p may do action.
func (p Principal) Require(action Action) error {
	if !p.May(action) {
		if byFunction[action][p.Role] != nil {
			return fail.New(fail.Forbidden, "the function %q may not %s: it takes one of %s", p.Function,
				action, strings.Join(*byFunction[action][p.Role], ", "))
		}
		return fail.New(fail.Forbidden, "the role %q may not %s", p.Role, action)
	}
	return nil
}

// SessionTTL is how long a login lasts: a long shift and then some.
const SessionTTL = 16 * time.Hour

// Sessions issues and checks signed session tokens. They are stateless so
// that they survive a restart; logout, a new password and disabling are
// honoured through events in the log (SessionRevoked, PasswordChanged,
// UserDisabled), so they survive a restart too.
type Sessions struct {
	key []byte
}

// LoadSessions reads the signing key from dir/session.key, creating it once.
func LoadSessions(dir string) (*Sessions, error) {
	path := filepath.Join(dir, "session.key")
	key, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		key = make([]byte, 32)
		if _, err := rand.Read(key); err != nil {
			return nil, fmt.Errorf("generate session key: %w", err)
		}
		if err := os.WriteFile(path, key, 0o600); err != nil {
			return nil, fmt.Errorf("write session key: %w", err)
		}
	} else if err != nil {
		return nil, fmt.Errorf("read session key: %w", err)
	}
	if len(key) < 32 {
		return nil, fmt.Errorf("session key %s is shorter than 32 bytes", path)
	}
	return &Sessions{key: key}, nil
}

func (s *Sessions) sign(msg string) string {
	m := hmac.New(sha256.New, s.key)
	m.Write([]byte(msg))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// Issue returns a token for username valid from now for SessionTTL.
func (s *Sessions) Issue(username string, now time.Time) string {
	nonce := make([]byte, 9)
	rand.Read(nonce)
	body := base64.RawURLEncoding.EncodeToString([]byte(username + "|" + strconv.FormatInt(now.UnixMilli(), 10) + "|" +
		base64.RawURLEncoding.EncodeToString(nonce)))
	return body + "." + s.sign(body)
}

// Check verifies a token and returns the account it belongs to.
func (s *Sessions) Check(token string, users *Users, now time.Time) (User, error) {
	bad := fail.New(fail.Unauthorized, "not logged in or the session has expired")
	body, sig, ok := strings.Cut(token, ".")
	if !ok || !hmac.Equal([]byte(sig), []byte(s.sign(body))) {
		return User{}, bad
	}
	raw, err := base64.RawURLEncoding.DecodeString(body)
	if err != nil {
		return User{}, bad
	}
	parts := strings.Split(string(raw), "|")
	if len(parts) != 3 {
		return User{}, bad
	}
	ms, err := strconv.ParseInt(parts[1], 10, 64)
	issued := time.UnixMilli(ms)
	if err != nil || now.Sub(issued) > SessionTTL || issued.After(now.Add(time.Minute)) {
		return User{}, bad
	}
	if users.Revoked(token) {
		return User{}, bad
	}
	u, ok := users.Get(parts[0])
	if !ok || u.Disabled || issued.Before(u.PasswordSet.Truncate(time.Millisecond)) {
		return User{}, bad
	}
	return u, nil
}

// CSRF returns the form token bound to a session token.
func (s *Sessions) CSRF(session string) string { return s.sign("csrf|" + session) }

// CheckCSRF reports whether got is the form token of session.
func (s *Sessions) CheckCSRF(session, got string) bool {
	return got != "" && hmac.Equal([]byte(got), []byte(s.CSRF(session)))
}
