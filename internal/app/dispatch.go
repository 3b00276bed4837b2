package app

import (
	"context"
	"time"
	_ "time/tzdata" // Europe/Stockholm without the host's zoneinfo

	"fyr/internal/auth"
	"fyr/internal/dispatch"
	"fyr/internal/event"
	"fyr/internal/fail"
	"fyr/internal/incident"
)

// CreateDispatch sends a message to an audience of units. The dispatch and
// the journal entry that records it are one atomic write.
func (s *App) CreateDispatch(ctx context.Context, p auth.Principal, cmd dispatch.Create) (dispatch.Dispatch, error) {
	if err := p.Require(auth.WriteIncidents); err != nil {
		return dispatch.Dispatch{}, err
	}
	var id dispatch.ID
	_, err := s.do(ctx, func(f *Facts, now time.Time) ([]event.Draft, error) {
		if first, ok := f.Dispatches.ByToken(cmd.Token); ok {
			id = first // sent already with this token: nothing more to send
			return nil, nil
		}
		var drafts []event.Draft
		var err error
		if id, drafts, err = cmd.Decide(f.Incidents, f.Units, p.Actor(), now); err != nil {
			return nil, err
		}
		for i := range drafts {
			drafts[i].Actor = p.Username
		}
		title := drafts[0].Payload.(dispatch.Created).Title
		return journalDispatch(f, p.Actor(), drafts, "Utskick: "+title, now)
	})
	if err != nil {
		return dispatch.Dispatch{}, err
	}
	d, _ := s.P.Dispatches.Head(id)
	s.log.Info("dispatch created", "dispatch_id", id, "incident_id", cmd.Incident, "units", len(d.Units), "username", p.Username)
	return d, nil
}

// PreviewDispatch checks a dispatch as CreateDispatch would, against the
// same state in the writer, and returns what it would send — the units it
// resolves to, the title and the decision it carries — without writing:
// the staff sees the count and the list before anything goes out.
func (s *App) PreviewDispatch(ctx context.Context, p auth.Principal, cmd dispatch.Create) (dispatch.Created, error) {
	if err := p.Require(auth.WriteIncidents); err != nil {
		return dispatch.Created{}, err
	}
	var created dispatch.Created
	_, err := s.k.Do(ctx, func(f *Facts, now time.Time) ([]event.Draft, error) {
		_, drafts, err := cmd.Decide(f.Incidents, f.Units, p.Actor(), now)
		if err != nil {
			return nil, err
		}
		created = drafts[0].Payload.(dispatch.Created)
		return nil, nil
	})
	return created, err
}

// Dispatch returns a dispatch and where each unit stands: the coverage board.
func (s *App) Dispatch(p auth.Principal, id dispatch.ID) (dispatch.Dispatch, []dispatch.UnitState, error) {
	if err := p.Require(auth.ReadJournal); err != nil {
		return dispatch.Dispatch{}, nil, err
	}
	d, states, ok := s.P.Dispatches.Get(id)
	if !ok {
		return d, nil, fail.New(fail.NotFound, "dispatch %q does not exist", id)
	}
	if !p.May(auth.ReadContacts) {
		states = withoutAddresses(states)
	}
	return d, states, nil
}

// Dispatches lists an incident's dispatches.
func (s *App) Dispatches(p auth.Principal, id incident.ID) ([]dispatch.Dispatch, error) {
	if err := p.Require(auth.ReadJournal); err != nil {
		return nil, err
	}
	return s.P.Dispatches.ForIncident(id), nil
}

// Inbox lists the dispatches addressed to the caller's unit.
func (s *App) Inbox(p auth.Principal) []dispatch.UnitView {
	if p.Unit == "" {
		return nil
	}
	return s.P.Dispatches.ForUnit(p.Unit)
}

// Acknowledge records a unit's receipt. A unit account acknowledges for its
// own unit; the staff may record a receipt a unit gave by phone.
func (s *App) Acknowledge(ctx context.Context, p auth.Principal, cmd dispatch.Acknowledge) (dispatch.UnitState, error) {
	switch {
	case p.Role == auth.Unit:
		if cmd.Unit == "" {
			cmd.Unit = p.Unit
		}
		if cmd.Unit != p.Unit {
			return dispatch.UnitState{}, fail.New(fail.Forbidden, "an account for unit %q may not acknowledge for unit %q", p.Unit, cmd.Unit)
		}
		cmd.Channel = dispatch.InApp
	case auth.Can(p.Role, auth.WriteIncidents):
		cmd.Channel = dispatch.Phone
	default:
		return dispatch.UnitState{}, fail.New(fail.Forbidden, "the role %q may not acknowledge dispatches", p.Role)
	}
	cmd.By = p.Actor()
	if _, err := s.do(ctx, func(f *Facts, now time.Time) ([]event.Draft, error) {
		return cmd.Decide(f.Dispatches, p.Username)
	}); err != nil {
		return dispatch.UnitState{}, err
	}
	if st, ok := s.P.Dispatches.UnitState(cmd.Dispatch, cmd.Unit); ok {
		return st, nil
	}
	return dispatch.UnitState{}, fail.New(fail.Internal, "receipt of unit %q not found after writing it", cmd.Unit)
}

// MarkOpened records that a unit account opened a dispatch.
func (s *App) MarkOpened(ctx context.Context, p auth.Principal, id dispatch.ID) error {
	if p.Role != auth.Unit || p.Unit == "" {
		return nil
	}
	_, err := s.do(ctx, func(f *Facts, now time.Time) ([]event.Draft, error) {
		return dispatch.Open(f.Dispatches, id, p.Unit, dispatch.InApp, p.Username)
	})
	return err
}

// stockholm is the time zone of texts Fyr writes into the journal.
var stockholm = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Stockholm")
	if err != nil {
		panic(err) // time/tzdata is linked into the binary by internal/web
	}
	return loc
}()
