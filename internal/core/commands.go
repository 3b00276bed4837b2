package core

import (
	"context"
	"time"

	"fyr/internal/auth"
	"fyr/internal/directory"
	"fyr/internal/event"
	"fyr/internal/incident"
)

// Login checks a password and returns a session token. Failures are
// throttled per (account, client address) pair; every refused attempt is
// logged (never the password).
func (s *Service) Login(ctx context.Context, username, password, addr string) (string, auth.User, error) {
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
func (s *Service) Authenticate(token string) (auth.Principal, error) {
	u, err := s.Sessions.Check(token, s.P.Users, s.now())
	if err != nil {
		return auth.Principal{}, err
	}
	return auth.Principal{Username: u.Username, Name: u.Name, Role: u.Role, Function: u.Function, Unit: u.Unit, Token: token}, nil
}

// Logout ends the caller's session for good: the revocation is an event,
// so the token stays refused after a restart and on every node.
func (s *Service) Logout(ctx context.Context, p auth.Principal) error {
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

// OpenIncident starts an incident.
func (s *Service) OpenIncident(ctx context.Context, p auth.Principal, cmd incident.Open) (incident.Incident, error) {
	if err := p.Require(auth.WriteIncidents); err != nil {
		return incident.Incident{}, err
	}
	var id incident.ID
	_, err := s.do(ctx, func(f *Facts, now time.Time) ([]event.Draft, error) {
		var drafts []event.Draft
		var err error
		id, drafts, err = cmd.Decide(f.Incidents, f.Units, p.Actor(), now)
		return drafts, err
	})
	if err != nil {
		return incident.Incident{}, err
	}
	s.log.Info("incident opened", "incident_id", id, "username", p.Username)
	return s.P.Incidents.Get(id, incident.AsOf{})
}

// ChangeLevel sets the level of one scope of an incident.
func (s *Service) ChangeLevel(ctx context.Context, p auth.Principal, cmd incident.ChangeLevel) (incident.Incident, error) {
	if err := p.Require(auth.WriteIncidents); err != nil {
		return incident.Incident{}, err
	}
	if _, err := s.do(ctx, func(f *Facts, now time.Time) ([]event.Draft, error) {
		return cmd.Decide(f.Incidents, f.Units, p.Actor(), now)
	}); err != nil {
		return incident.Incident{}, err
	}
	s.log.Info("level changed", "incident_id", cmd.Incident, "scope", cmd.Scope, "level", cmd.Level, "username", p.Username)
	return s.P.Incidents.Get(cmd.Incident, incident.AsOf{})
}

// Record adds a journal entry.
func (s *Service) Record(ctx context.Context, p auth.Principal, cmd incident.Record) (incident.Entry, error) {
	if err := p.Require(auth.WriteIncidents); err != nil {
		return incident.Entry{}, err
	}
	if cmd.Function == "" {
		cmd.Function = p.Function
	}
	var entryID string
	var again bool
	if _, err := s.do(ctx, func(f *Facts, now time.Time) ([]event.Draft, error) {
		entryID, again = f.Incidents.EntryByToken(p.Username, cmd.Incident, cmd.FormToken)
		if again {
			return nil, nil // sent twice: written once
		}
		drafts, err := cmd.Decide(f.Incidents, p.Actor(), now)
		if err == nil {
			entryID = drafts[0].Payload.(incident.EntryRecorded).ID
		}
		return drafts, err
	}); err != nil {
		return incident.Entry{}, err
	}
	for {
		// The first submission's entry is stored; when the two came in
		// one batch the read model may not have applied it yet.
		seq := s.P.Seq()
		if e, ok := s.P.Incidents.Entry(cmd.Incident, entryID); ok || !again {
			return e, nil
		}
		if err := s.P.WaitFor(ctx, seq+1); err != nil {
			return incident.Entry{}, err
		}
	}
}

// CloseIncident ends an incident.
func (s *Service) CloseIncident(ctx context.Context, p auth.Principal, cmd incident.Close) (incident.Incident, error) {
	if err := p.Require(auth.WriteIncidents); err != nil {
		return incident.Incident{}, err
	}
	if _, err := s.do(ctx, func(f *Facts, now time.Time) ([]event.Draft, error) {
		return cmd.Decide(f.Incidents, p.Actor(), now)
	}); err != nil {
		return incident.Incident{}, err
	}
	s.log.Info("incident closed", "incident_id", cmd.Incident, "username", p.Username)
	return s.P.Incidents.Get(cmd.Incident, incident.AsOf{})
}

// Incidents lists every incident.
func (s *Service) Incidents(p auth.Principal) ([]incident.Incident, error) {
	if err := p.Require(auth.ReadIncidents); err != nil {
		return nil, err
	}
	return s.P.Incidents.List(), nil
}

// Incident returns one incident as it stood at a point in time.
func (s *Service) Incident(p auth.Principal, id incident.ID, asOf incident.AsOf) (incident.Incident, error) {
	if err := p.Require(auth.ReadIncidents); err != nil {
		return incident.Incident{}, err
	}
	return s.P.Incidents.Get(id, asOf)
}

// Journal returns journal entries. The journal may hold personal data, so
// every read is logged with who read what.
func (s *Service) Journal(p auth.Principal, id incident.ID, q incident.Query, purpose string) ([]incident.Entry, error) {
	if err := p.Require(auth.ReadJournal); err != nil {
		return nil, err
	}
	entries, err := s.P.Incidents.Journal(id, q)
	if err != nil {
		return nil, err
	}
	s.log.Info("journal read", "audit", true, "username", p.Username, "incident_id", id, "purpose", purpose,
		"entries", len(entries), "at", q.At, "known_at", q.KnownAt, "text", q.Text)
	return entries, nil
}

// Active returns the incidents above normal, for the level banner.
func (s *Service) Active() []incident.Incident { return s.P.Incidents.Active() }

// Hospitals lists the scopes besides the region.
func (s *Service) Hospitals() []directory.Unit { return s.P.Units.Hospitals() }

// AddUnit adds a unit to the directory; actor names who (an account or "cli").
func (s *Service) AddUnit(ctx context.Context, actor string, u directory.Unit) error {
	_, err := s.do(ctx, func(f *Facts, now time.Time) ([]event.Draft, error) {
		return directory.AddUnit{Unit: u}.Decide(f.Units, event.Actor{Username: actor}, now)
	})
	return err
}

// AddPerson adds a person to the directory; actor names who.
func (s *Service) AddPerson(ctx context.Context, actor string, p directory.Person) error {
	_, err := s.do(ctx, func(f *Facts, now time.Time) ([]event.Draft, error) {
		return directory.AddPerson{Person: p}.Decide(f.Units, event.Actor{Username: actor})
	})
	return err
}

// AddUser creates an account; p is nil when an operator runs the CLI.
func (s *Service) AddUser(ctx context.Context, p *auth.Principal, cmd auth.AddUser) (auth.User, error) {
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
func (s *Service) DisableUser(ctx context.Context, p *auth.Principal, username string) error {
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
func (s *Service) SetPassword(ctx context.Context, p *auth.Principal, username, password string) error {
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
func (s *Service) Users(p *auth.Principal) ([]auth.User, error) {
	if p != nil {
		if err := p.Require(auth.ManageUsers); err != nil {
			return nil, err
		}
	}
	return s.P.Users.List(), nil
}

// Empty reports whether the organisation has no accounts yet (first start).
func (s *Service) Empty() bool { return s.P.Users.Len() == 0 }
