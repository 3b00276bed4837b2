package app

import (
	"fyr/internal/auth"
	"fyr/internal/incident"
)

// JournalPage returns one window of a journal (see incident.Page). Every
// read is logged, as for Journal.
func (s *App) JournalPage(p auth.Principal, id incident.ID, q incident.Query, pg incident.Page, purpose string) (incident.PageOf, error) {
	if err := p.Require(auth.ReadJournal); err != nil {
		return incident.PageOf{}, err
	}
	out, err := s.P.Incidents.JournalPage(id, q, pg)
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
func (s *App) JournalEach(p auth.Principal, id incident.ID, q incident.Query, purpose string, fn func([]incident.Entry) error) error {
	if err := p.Require(auth.ReadJournal); err != nil {
		return err
	}
	s.log.Info("journal read", "audit", true, "username", p.Username, "incident_id", id, "purpose", purpose,
		"at", q.At, "known_at", q.KnownAt, "text", q.Text)
	pg := incident.Page{Limit: 1000}
	for {
		out, err := s.P.Incidents.JournalPage(id, q, pg)
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
func (s *App) Tasks(p auth.Principal, id incident.ID) ([]incident.TaskState, error) {
	if err := p.Require(auth.ReadJournal); err != nil {
		return nil, err
	}
	return s.P.Incidents.Tasks(id, s.now())
}

// JournalSince returns what a live page that has seen log sequence since is
// missing (see incident.View.Since). The read is logged.
func (s *App) JournalSince(p auth.Principal, id incident.ID, since uint64) ([]incident.Entry, error) {
	if err := p.Require(auth.ReadJournal); err != nil {
		return nil, err
	}
	out := s.P.Incidents.Since(id, since)
	s.log.Info("journal read", "audit", true, "username", p.Username, "incident_id", id, "purpose", "live",
		"entries", len(out), "since", since)
	return out, nil
}
