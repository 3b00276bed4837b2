package incident

import (
	"context"
	"log/slog"
	"time"

	"fyr/internal/auth"
	"fyr/internal/event"
	"fyr/internal/kernel"
)

// WriteModel is what the incident commands are checked against: the
// incidents and the scopes (hospitals) a level may be set for.
type WriteModel struct {
	Incidents *Facts
	Scopes    Scopes
}

// Service is the incident capability: its commands and queries, each with
// its role check. Its read model is private.
type Service struct {
	run  kernel.Runner[WriteModel]
	view *View
	log  *slog.Logger
}

// NewService returns the service over run (the appender, on this
// capability's view of the write model) and view (its read model, fed from
// the log by the kernel).
func NewService(run kernel.Runner[WriteModel], view *View, logger *slog.Logger) *Service {
	return &Service{run: run, view: view, log: logger}
}

// OpenIncident starts an incident.
func (s *Service) OpenIncident(ctx context.Context, p auth.Principal, cmd Open) (Incident, error) {
	if err := p.Require(auth.WriteIncidents); err != nil {
		return Incident{}, err
	}
	var id ID
	_, err := s.run.Run(ctx, func(m WriteModel, now time.Time) ([]event.Draft, error) {
		var drafts []event.Draft
		var err error
		id, drafts, err = cmd.Decide(m.Incidents, m.Scopes, p.Actor(), now)
		return drafts, err
	})
	if err != nil {
		return Incident{}, err
	}
	s.log.Info("incident opened", "incident_id", id, "username", p.Username)
	return s.view.Get(id, AsOf{})
}

// ChangeLevel sets the level of one scope of an incident.
func (s *Service) ChangeLevel(ctx context.Context, p auth.Principal, cmd ChangeLevel) (Incident, error) {
	if err := p.Require(auth.WriteIncidents); err != nil {
		return Incident{}, err
	}
	if _, err := s.run.Run(ctx, func(m WriteModel, now time.Time) ([]event.Draft, error) {
		return cmd.Decide(m.Incidents, m.Scopes, p.Actor(), now)
	}); err != nil {
		return Incident{}, err
	}
	s.log.Info("level changed", "incident_id", cmd.Incident, "scope", cmd.Scope, "level", cmd.Level, "username", p.Username)
	return s.view.Get(cmd.Incident, AsOf{})
}

// Record adds a journal entry.
func (s *Service) Record(ctx context.Context, p auth.Principal, cmd Record) (Entry, error) {
	if err := p.Require(auth.WriteIncidents); err != nil {
		return Entry{}, err
	}
	if cmd.Function == "" {
		cmd.Function = p.Function
	}
	var entryID string
	var again bool
	if _, err := s.run.Run(ctx, func(m WriteModel, now time.Time) ([]event.Draft, error) {
		entryID, again = m.Incidents.EntryByToken(p.Username, cmd.Incident, cmd.FormToken)
		if again {
			return nil, nil // sent twice: written once
		}
		drafts, err := cmd.Decide(m.Incidents, p.Actor(), now)
		if err == nil {
			entryID = drafts[0].Payload.(EntryRecorded).ID
		}
		return drafts, err
	}); err != nil {
		return Entry{}, err
	}
	for {
		// The first submission's entry is stored; when the two came in
		// one batch the read model may not have applied it yet.
		seq := s.run.Seq()
		if e, ok := s.view.Entry(cmd.Incident, entryID); ok || !again {
			return e, nil
		}
		if err := s.run.WaitFor(ctx, seq+1); err != nil {
			return Entry{}, err
		}
	}
}

// CloseIncident ends an incident.
func (s *Service) CloseIncident(ctx context.Context, p auth.Principal, cmd Close) (Incident, error) {
	if err := p.Require(auth.WriteIncidents); err != nil {
		return Incident{}, err
	}
	if _, err := s.run.Run(ctx, func(m WriteModel, now time.Time) ([]event.Draft, error) {
		return cmd.Decide(m.Incidents, p.Actor(), now)
	}); err != nil {
		return Incident{}, err
	}
	s.log.Info("incident closed", "incident_id", cmd.Incident, "username", p.Username)
	return s.view.Get(cmd.Incident, AsOf{})
}

// List lists every incident.
func (s *Service) List(p auth.Principal) ([]Incident, error) {
	if err := p.Require(auth.ReadIncidents); err != nil {
		return nil, err
	}
	return s.view.List(), nil
}

// Incident returns one incident as it stood at a point in time.
func (s *Service) Incident(p auth.Principal, id ID, asOf AsOf) (Incident, error) {
	if err := p.Require(auth.ReadIncidents); err != nil {
		return Incident{}, err
	}
	return s.view.Get(id, asOf)
}

// Journal returns journal entries. The journal may hold personal data, so
// every read is logged with who read what.
func (s *Service) Journal(p auth.Principal, id ID, q Query, purpose string) ([]Entry, error) {
	if err := p.Require(auth.ReadJournal); err != nil {
		return nil, err
	}
	entries, err := s.view.Journal(id, q)
	if err != nil {
		return nil, err
	}
	s.log.Info("journal read", "audit", true, "username", p.Username, "incident_id", id, "purpose", purpose,
		"entries", len(entries), "at", q.At, "known_at", q.KnownAt, "text", q.Text)
	return entries, nil
}

// Active returns the incidents above normal, for the level banner.
func (s *Service) Active() []Incident { return s.view.Active() }

// JournalPage returns one window of a journal (see Page). Every
// read is logged, as for Journal.
func (s *Service) JournalPage(p auth.Principal, id ID, q Query, pg Page, purpose string) (PageOf, error) {
	if err := p.Require(auth.ReadJournal); err != nil {
		return PageOf{}, err
	}
	out, err := s.view.JournalPage(id, q, pg)
	if err != nil {
		return out, err
	}
	s.log.Info("journal read", "audit", true, "username", p.Username, "incident_id", id, "purpose", purpose,
		"entries", len(out.Entries), "at", q.At, "known_at", q.KnownAt, "text", q.Text, "before", pg.Before, "after", pg.After)
	return out, nil
}

// JournalEach hands the entries that match q to fn in chunks, in the
// query's order, for an export that streams: the read model is locked for
// one chunk at a time, never while fn writes to a slow client. The read is
// logged once.
func (s *Service) JournalEach(p auth.Principal, id ID, q Query, purpose string, fn func([]Entry) error) error {
	if err := p.Require(auth.ReadJournal); err != nil {
		return err
	}
	s.log.Info("journal read", "audit", true, "username", p.Username, "incident_id", id, "purpose", purpose,
		"at", q.At, "known_at", q.KnownAt, "text", q.Text)
	pg := Page{Limit: 1000}
	for {
		out, err := s.view.JournalPage(id, q, pg)
		if err != nil {
			return err
		}
		if len(out.Entries) > 0 {
			if err := fn(out.Entries); err != nil {
				return err
			}
		}
		if out.Later == 0 {
			return nil
		}
		pg.After = out.Later
	}
}

// Tasks returns an incident's tasks as they stand, for the task board.
func (s *Service) Tasks(p auth.Principal, id ID) ([]TaskState, error) {
	if err := p.Require(auth.ReadJournal); err != nil {
		return nil, err
	}
	return s.view.Tasks(id, s.run.Now())
}

// JournalSince returns what a live page that has seen log sequence since is
// missing (see View.Since). The read is logged.
func (s *Service) JournalSince(p auth.Principal, id ID, since uint64) ([]Entry, error) {
	if err := p.Require(auth.ReadJournal); err != nil {
		return nil, err
	}
	out := s.view.Since(id, since)
	s.log.Info("journal read", "audit", true, "username", p.Username, "incident_id", id, "purpose", "live",
		"entries", len(out), "since", since)
	return out, nil
}

// Entry, EntryBySerial and Current are lookups for rendering what a caller
// was already allowed to read (an entry's link to another, the level banner
// of the live hub, which checked each subscriber's right when it
// subscribed): they check no role, and a handler must not answer a request
// with them alone.

// Entry is one journal entry of an incident by its id.
func (s *Service) Entry(id ID, entryID string) (Entry, bool) { return s.view.Entry(id, entryID) }

// EntryBySerial is one journal entry of an incident by its number.
func (s *Service) EntryBySerial(id ID, serial int) (Entry, bool) {
	return s.view.EntryBySerial(id, serial)
}

// Current is an incident as it stands now.
func (s *Service) Current(id ID) (Incident, error) { return s.view.Get(id, AsOf{}) }
