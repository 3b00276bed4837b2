package dispatch

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"strings"
	"time"

	"fyr/internal/auth"
	"fyr/internal/event"
	"fyr/internal/fail"
	"fyr/internal/incident"
	"fyr/internal/kernel"
)

// Directory is what a dispatch needs of the directory: the units and
// people an audience resolves to, and whom to reach for a unit.
type Directory interface {
	UnitLister
	Reacher
}

// Journal records a dispatch in its incident's journal in the same write
// as the dispatch: JournalDispatch adds to drafts the entry that records
// the dispatch among them.
type Journal interface {
	JournalDispatch(drafts []event.Draft, by event.Actor, text string, now time.Time) ([]event.Draft, error)
}

// WriteModel is what the dispatch commands are checked against: the
// dispatches, and what they need of the other capabilities.
type WriteModel struct {
	Dispatches *Book
	Incidents  Incidents
	Units      Directory
	Journal    Journal
}

// Service is the dispatch capability: dispatches, receipts by every
// channel and the SMS guard, each with its role check. Its read model is
// private; the engine (package engine) shares it.
type Service struct {
	run   kernel.Runner[WriteModel]
	view  *Book
	links *Links
	guard *auth.Throttle // wrong SMS reply codes per sender (smsguard.go)
	log   *slog.Logger
}

// NewService returns the service over run (the appender, on the dispatch
// view of the write model) and view (its read model); linkKey signs the
// receipt links.
func NewService(run kernel.Runner[WriteModel], view *Book, linkKey []byte, logger *slog.Logger) *Service {
	return &Service{run: run, view: view, links: NewLinks(linkKey), guard: newSMSGuard(), log: logger}
}

// CreateDispatch sends a message to an audience of units. The dispatch and
// the journal entry that records it are one atomic write.
func (s *Service) CreateDispatch(ctx context.Context, p auth.Principal, cmd Create) (Dispatch, error) {
	if err := p.Require(auth.WriteIncidents); err != nil {
		return Dispatch{}, err
	}
	var id ID
	_, err := s.run.Run(ctx, func(m WriteModel, now time.Time) ([]event.Draft, error) {
		if first, ok := m.Dispatches.ByToken(cmd.Token); ok {
			id = first // sent already with this token: nothing more to send
			return nil, nil
		}
		var drafts []event.Draft
		var err error
		if id, drafts, err = cmd.Decide(m.Incidents, m.Units, p.Actor(), now); err != nil {
			return nil, err
		}
		title := drafts[0].Payload.(Created).Title
		return m.Journal.JournalDispatch(drafts, p.Actor(), "Utskick: "+title, now)
	})
	if err != nil {
		return Dispatch{}, err
	}
	d, _ := s.view.Head(id)
	s.log.Info("dispatch created", "dispatch_id", id, "incident_id", cmd.Incident, "units", len(d.Units), "username", p.Username)
	return d, nil
}

// PreviewDispatch checks a dispatch as CreateDispatch would, against the
// same state in the writer, and returns what it would send — the units it
// resolves to, the title and the decision it carries — without writing:
// the staff sees the count and the list before anything goes out.
func (s *Service) PreviewDispatch(ctx context.Context, p auth.Principal, cmd Create) (Created, error) {
	if err := p.Require(auth.WriteIncidents); err != nil {
		return Created{}, err
	}
	var created Created
	_, err := s.run.Run(ctx, func(m WriteModel, now time.Time) ([]event.Draft, error) {
		_, drafts, err := cmd.Decide(m.Incidents, m.Units, p.Actor(), now)
		if err != nil {
			return nil, err
		}
		created = drafts[0].Payload.(Created)
		return nil, nil
	})
	return created, err
}

// Dispatch returns a dispatch and where each unit stands: the coverage board.
func (s *Service) Dispatch(p auth.Principal, id ID) (Dispatch, []UnitState, error) {
	if err := p.Require(auth.ReadJournal); err != nil {
		return Dispatch{}, nil, err
	}
	d, states, ok := s.view.Get(id)
	if !ok {
		return d, nil, fail.New(fail.NotFound, "dispatch %q does not exist", id)
	}
	if !p.May(auth.ReadContacts) {
		states = withoutAddresses(states)
	}
	return d, states, nil
}

// Dispatches lists an incident's dispatches.
func (s *Service) Dispatches(p auth.Principal, id incident.ID) ([]Dispatch, error) {
	if err := p.Require(auth.ReadJournal); err != nil {
		return nil, err
	}
	return s.view.ForIncident(id), nil
}

// Inbox lists the dispatches addressed to the caller's unit.
func (s *Service) Inbox(p auth.Principal) []UnitView {
	if p.Unit == "" {
		return nil
	}
	return s.view.ForUnit(p.Unit)
}

// UnitInbox lists the dispatches addressed to a unit, as the unit sees
// them: a unit account its own unit's, the readers of the journal any
// unit's.
func (s *Service) UnitInbox(p auth.Principal, unit string) ([]UnitView, error) {
	if p.Role != auth.Unit || p.Unit != unit {
		if err := p.Require(auth.ReadJournal); err != nil {
			return nil, err
		}
	}
	return s.view.ForUnit(unit), nil
}

// Head returns a dispatch without its units' states, and UnitState one
// unit's state: for the live updates of a coverage board, sent only to
// subscribers whose access was checked when they subscribed.
func (s *Service) Head(id ID) (Dispatch, bool) { return s.view.Head(id) }

// UnitState: see Head.
func (s *Service) UnitState(id ID, unit string) (UnitState, bool) { return s.view.UnitState(id, unit) }

// Acknowledge records a unit's receipt. A unit account acknowledges for its
// own unit; the staff may record a receipt a unit gave by phone.
func (s *Service) Acknowledge(ctx context.Context, p auth.Principal, cmd Acknowledge) (UnitState, error) {
	switch {
	case p.Role == auth.Unit:
		if cmd.Unit == "" {
			cmd.Unit = p.Unit
		}
		if cmd.Unit != p.Unit {
			return UnitState{}, fail.New(fail.Forbidden, "an account for unit %q may not acknowledge for unit %q", p.Unit, cmd.Unit)
		}
		cmd.Channel = InApp
	case auth.Can(p.Role, auth.WriteIncidents):
		cmd.Channel = Phone
	default:
		return UnitState{}, fail.New(fail.Forbidden, "the role %q may not acknowledge dispatches", p.Role)
	}
	cmd.By = p.Actor()
	return s.acknowledge(ctx, cmd, p.Username)
}

// acknowledge writes a receipt and returns the unit's state as the read
// model holds it after the write: the one receipt path of every channel.
func (s *Service) acknowledge(ctx context.Context, cmd Acknowledge, actor string) (UnitState, error) {
	if _, err := s.run.Run(ctx, func(m WriteModel, _ time.Time) ([]event.Draft, error) {
		return cmd.Decide(m.Dispatches, actor)
	}); err != nil {
		return UnitState{}, err
	}
	if st, ok := s.view.UnitState(cmd.Dispatch, cmd.Unit); ok {
		return st, nil
	}
	return UnitState{}, fail.New(fail.Internal, "receipt of unit %q not found after writing it", cmd.Unit)
}

// MarkOpened records that a unit account opened a dispatch.
func (s *Service) MarkOpened(ctx context.Context, p auth.Principal, id ID) error {
	if p.Role != auth.Unit || p.Unit == "" {
		return nil
	}
	_, err := s.run.Run(ctx, func(m WriteModel, _ time.Time) ([]event.Draft, error) {
		return Open(m.Dispatches, id, p.Unit, InApp, p.Username)
	})
	return err
}

// LinkTTL is how long a receipt link works.
const LinkTTL = 72 * time.Hour

// ReceiptLink signs a link for one attempt to reach one contact of a unit.
func (s *Service) ReceiptLink(attempt string, id ID, unit, name, channel string) string {
	return s.links.Sign(Link{Attempt: attempt, Dispatch: id, Unit: unit, Name: name, Channel: channel,
		Expires: s.run.Now().Add(LinkTTL)})
}

// LinkReceipt is what a receipt link opens: the link, the dispatch as its
// unit sees it, and whether the link has acknowledged already.
type LinkReceipt struct {
	Link Link
	View UnitView
	Used bool
}

// FollowLink checks a receipt link and returns what it opens. It records
// nothing: mail security scanners fetch every link, so a GET says nothing
// about a person (see LinkOpened). A link that has acknowledged already
// answers its receipt with Used set and an error that errors.Is ErrUsed:
// the end of the page's own receipt, or a link used twice.
func (s *Service) FollowLink(ctx context.Context, token string) (LinkReceipt, error) {
	return s.checkLink(token)
}

// LinkOpened records that a person had the receipt page in front of them:
// the page's own beacon, sent by the browser once the page is shown. Only
// the first opening counts.
func (s *Service) LinkOpened(ctx context.Context, token string) error {
	rc, err := s.checkLink(token)
	if err != nil {
		return err
	}
	if rc.View.Mine.Opened.IsZero() {
		link := rc.Link
		if _, err := s.run.Run(ctx, func(m WriteModel, _ time.Time) ([]event.Draft, error) {
			return Open(m.Dispatches, link.Dispatch, link.Unit, link.Channel, "link:"+link.Attempt)
		}); err != nil {
			return err
		}
	}
	return nil
}

func (s *Service) checkLink(token string) (LinkReceipt, error) {
	link, err := s.links.Check(token, s.run.Now())
	if err != nil {
		return LinkReceipt{Link: link}, err
	}
	rc := LinkReceipt{Link: link}
	lerr := s.view.CheckLink(link)
	if lerr != nil && !errors.Is(lerr, ErrUsed) {
		return rc, lerr
	}
	rc.Used = lerr != nil
	for _, v := range s.view.ForUnit(link.Unit) {
		if v.Dispatch.Dispatch == link.Dispatch {
			rc.View = v
			return rc, lerr
		}
	}
	return LinkReceipt{Link: link}, fail.New(fail.NotFound, "the dispatch of this link does not exist")
}

// AcknowledgeByLink records a receipt given through a signed link, without
// a login: the link names the unit and the contact. A forged, expired or
// used link changes nothing.
func (s *Service) AcknowledgeByLink(ctx context.Context, token, answer, readback string) (UnitState, error) {
	rc, err := s.checkLink(token)
	if err != nil {
		return UnitState{}, err
	}
	link := rc.Link
	st, err := s.acknowledge(ctx, Acknowledge{Dispatch: link.Dispatch, Unit: link.Unit, By: event.Actor{Name: link.Name},
		Channel: link.Channel, Answer: answer, Readback: readback, Link: link.Attempt}, "link:"+link.Attempt)
	if err != nil {
		return UnitState{}, err
	}
	s.log.Info("receipt by link", "dispatch_id", link.Dispatch, "unit", link.Unit, "channel", link.Channel)
	return st, nil
}

// AcknowledgeBySMS records a receipt given by replying to an SMS with its
// code. The reply must come from the number the SMS went to; a wrong or
// expired code, or one used before, changes nothing.
func (s *Service) AcknowledgeBySMS(ctx context.Context, from, code, rest string) (UnitState, error) {
	if err := s.smsAllowed(from); err != nil {
		return UnitState{}, err
	}
	p, ok := s.view.ByReply(from, code, s.run.Now())
	if !ok {
		s.smsWrongCode(from)
		return UnitState{}, fail.Field("code", "%q is not a valid reply code from %s, or it has expired", code, from)
	}
	cmd := Acknowledge{Dispatch: p.Dispatch, Unit: p.Unit, By: event.Actor{Name: p.Name}, Channel: SMS, Link: p.Attempt,
		Readback: rest}
	// Text after the code that starts with one of the fixed answers is the answer.
	if d, ok := s.view.Head(p.Dispatch); ok && d.Question != nil {
		for _, a := range d.Question.Answers {
			if strings.HasPrefix(strings.ToLower(rest), strings.ToLower(a)) {
				cmd.Answer = a
				break
			}
		}
	}
	st, err := s.acknowledge(ctx, cmd, "sms:"+from)
	if errors.Is(err, ErrUsed) {
		return UnitState{}, used(fail.Field("code", "%q has already been used", code))
	}
	if err != nil {
		return UnitState{}, err
	}
	s.guard.Reset(from)
	s.log.Info("receipt by sms reply", "dispatch_id", p.Dispatch, "unit", p.Unit)
	return st, nil
}

// RecordDelivery records a provider's delivery report for an attempt.
func (s *Service) RecordDelivery(ctx context.Context, attempt, provider string, delivered bool) error {
	ref, ok := s.view.FindAttempt(attempt)
	if !ok {
		return fail.Field("attempt", "no attempt %q", attempt)
	}
	id, unit := ref.Dispatch, ref.Unit
	_, err := s.run.Run(ctx, func(WriteModel, time.Time) ([]event.Draft, error) {
		return []event.Draft{{Type: TypeDelivered, Subject: string(id), Actor: "provider:" + provider,
			Payload: DeliveryReport{Dispatch: id, Unit: unit, Attempt: attempt, Delivered: delivered, Provider: provider}}}, nil
	})
	return err
}

// WebhookReceipt is what a unit's own system posts back, signed, to
// acknowledge the dispatch a webhook brought it.
type WebhookReceipt struct {
	Attempt  string `json:"attempt_id"`         // from the webhook's body
	By       string `json:"by,omitempty"`       // who acknowledged at the unit; default the unit's name
	Answer   string `json:"answer,omitempty"`   // one of the question's fixed answers
	Readback string `json:"readback,omitempty"` // optional read-back text
}

// AcknowledgeByWebhook records a receipt that a unit's own system sent
// back for a webhook attempt. The request's signature is checked by the
// caller; here the attempt must exist, have gone out by webhook, and not
// have been used before, so a replay changes nothing.
func (s *Service) AcknowledgeByWebhook(ctx context.Context, r WebhookReceipt) (UnitState, error) {
	r.Attempt, r.By = strings.TrimSpace(r.Attempt), strings.TrimSpace(r.By)
	if r.Attempt == "" {
		return UnitState{}, fail.Field("attempt_id", "is required: the attempt_id of the webhook being acknowledged")
	}
	ref, ok := s.view.FindAttempt(r.Attempt)
	if !ok {
		return UnitState{}, fail.Field("attempt_id", "no webhook attempt %q", r.Attempt)
	}
	if ref.Channel != Webhook {
		return UnitState{}, fail.Field("attempt_id", "attempt %q went out by %s, not by webhook", r.Attempt, ref.Channel)
	}
	if err := fail.Text("by", r.By, 200, false); err != nil {
		return UnitState{}, err
	}
	if r.By == "" {
		r.By = ref.Name
	}
	st, err := s.acknowledge(ctx, Acknowledge{Dispatch: ref.Dispatch, Unit: ref.Unit, By: event.Actor{Name: r.By}, Channel: Webhook,
		Answer: r.Answer, Readback: r.Readback, Link: r.Attempt}, "webhook:"+ref.Unit)
	if errors.Is(err, ErrUsed) {
		return UnitState{}, used(fail.Field("attempt_id", "attempt %q has already been used to acknowledge", r.Attempt))
	}
	if err != nil {
		return UnitState{}, err
	}
	s.log.Info("receipt by webhook", "dispatch_id", ref.Dispatch, "unit", ref.Unit)
	return st, nil
}

// ErrUsed is what errors.Is finds in the error of a receipt whose link,
// reply code or webhook attempt has acknowledged before.
var ErrUsed = errors.New("already used to acknowledge")

// usedError is a user's error (a *fail.Error, found by fail.As) that is
// also ErrUsed.
type usedError struct{ error }

func (usedError) Is(target error) bool { return target == ErrUsed }
func (u usedError) Unwrap() error      { return u.error }

func used(err error) error { return usedError{err} }

// withoutAddresses copies states without the phone numbers and e-mail
// addresses the attempts went to (for a viewer: who was tried, not how to
// reach them). The projection's slices are not touched.
func withoutAddresses(states []UnitState) []UnitState {
	out := make([]UnitState, len(states))
	for i, st := range states {
		st.Attempts = slices.Clone(st.Attempts)
		for j := range st.Attempts {
			st.Attempts[j].Address = ""
		}
		out[i] = st
	}
	return out
}
