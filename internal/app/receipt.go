package app

import (
	"context"
	"crypto/rand"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"fyr/internal/dispatch"
	"fyr/internal/event"
	"fyr/internal/fail"
)

// loadKey reads a 32-byte secret from dir/name, creating it on first use.
func loadKey(dir, name string) ([]byte, error) {
	path := filepath.Join(dir, name)
	key, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		key = make([]byte, 32)
		if _, err := rand.Read(key); err != nil {
			return nil, fmt.Errorf("generate %s: %w", name, err)
		}
		if err := os.WriteFile(path, key, 0o600); err != nil {
			return nil, fmt.Errorf("write %s: %w", name, err)
		}
		return key, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	if len(key) < 32 {
		return nil, fmt.Errorf("%s is shorter than 32 bytes", path)
	}
	return key, nil
}

// LinkTTL is how long a receipt link works.
const LinkTTL = 72 * time.Hour

// ReceiptLink signs a link for one attempt to reach one contact of a unit.
func (s *App) ReceiptLink(attempt string, id dispatch.ID, unit, name, channel string) string {
	return s.links.Sign(dispatch.Link{Attempt: attempt, Dispatch: id, Unit: unit, Name: name, Channel: channel,
		Expires: s.now().Add(LinkTTL)})
}

// FollowLink checks a receipt link and returns the link and the dispatch
// as the unit sees it. It records nothing: mail security scanners fetch
// every link, so a GET says nothing about a person (see LinkOpened).
func (s *App) FollowLink(ctx context.Context, token string) (dispatch.Link, dispatch.UnitView, error) {
	return s.checkLink(token)
}

// LinkOpened records that a person had the receipt page in front of them:
// the page's own beacon, sent by the browser once the page is shown. Only
// the first opening counts.
func (s *App) LinkOpened(ctx context.Context, token string) error {
	link, view, err := s.checkLink(token)
	if err != nil {
		return err
	}
	if view.Mine.Opened.IsZero() {
		if _, err := s.do(ctx, func(f *Facts, now time.Time) ([]event.Draft, error) {
			return dispatch.Open(f.Dispatches, link.Dispatch, link.Unit, link.Channel, "link:"+link.Attempt)
		}); err != nil {
			return err
		}
	}
	return nil
}

func (s *App) checkLink(token string) (dispatch.Link, dispatch.UnitView, error) {
	link, err := s.links.Check(token, s.now())
	if err != nil {
		return link, dispatch.UnitView{}, err
	}
	if err := s.P.Dispatches.CheckLink(link); err != nil {
		return link, dispatch.UnitView{}, err
	}
	for _, v := range s.P.Dispatches.ForUnit(link.Unit) {
		if v.Dispatch.Dispatch == link.Dispatch {
			return link, v, nil
		}
	}
	return link, dispatch.UnitView{}, fail.New(fail.NotFound, "the dispatch of this link does not exist")
}

// AcknowledgeByLink records a receipt given through a signed link, without
// a login: the link names the unit and the contact. A forged, expired or
// used link changes nothing.
func (s *App) AcknowledgeByLink(ctx context.Context, token, answer, readback string) (dispatch.UnitState, error) {
	link, _, err := s.checkLink(token)
	if err != nil {
		return dispatch.UnitState{}, err
	}
	cmd := dispatch.Acknowledge{Dispatch: link.Dispatch, Unit: link.Unit, By: event.Actor{Name: link.Name}, Channel: link.Channel,
		Answer: answer, Readback: readback, Link: link.Attempt}
	if _, err := s.do(ctx, func(f *Facts, now time.Time) ([]event.Draft, error) {
		return cmd.Decide(f.Dispatches, "link:"+link.Attempt)
	}); err != nil {
		return dispatch.UnitState{}, err
	}
	s.log.Info("receipt by link", "dispatch_id", link.Dispatch, "unit", link.Unit, "channel", link.Channel)
	if st, ok := s.P.Dispatches.UnitState(link.Dispatch, link.Unit); ok {
		return st, nil
	}
	return dispatch.UnitState{}, fail.New(fail.Internal, "receipt of unit %q not found after writing it", link.Unit)
}

// AcknowledgeBySMS records a receipt given by replying to an SMS with its
// code. The reply must come from the number the SMS went to; a wrong or
// expired code, or one used before, changes nothing.
func (s *App) AcknowledgeBySMS(ctx context.Context, from, code, rest string) (dispatch.UnitState, error) {
	if err := s.smsAllowed(from); err != nil {
		return dispatch.UnitState{}, err
	}
	p, ok := s.P.Dispatches.ByReply(from, code, s.now())
	if !ok {
		s.smsWrongCode(from)
		return dispatch.UnitState{}, fail.Field("code", "%q is not a valid reply code from %s, or it has expired", code, from)
	}
	cmd := dispatch.Acknowledge{Dispatch: p.Dispatch, Unit: p.Unit, By: event.Actor{Name: p.Name}, Channel: dispatch.SMS, Link: p.Attempt,
		Readback: rest}
	// Text after the code that starts with one of the fixed answers is the answer.
	if d, ok := s.P.Dispatches.Head(p.Dispatch); ok && d.Question != nil {
		for _, a := range d.Question.Answers {
			if strings.HasPrefix(strings.ToLower(rest), strings.ToLower(a)) {
				cmd.Answer = a
				break
			}
		}
	}
	if _, err := s.do(ctx, func(f *Facts, now time.Time) ([]event.Draft, error) {
		return cmd.Decide(f.Dispatches, "sms:"+from)
	}); err != nil {
		if fail.As(err).Field == "link" {
			return dispatch.UnitState{}, fail.Field("code", "%q has already been used", code)
		}
		return dispatch.UnitState{}, err
	}
	s.smsGuard.Reset(from)
	s.log.Info("receipt by sms reply", "dispatch_id", p.Dispatch, "unit", p.Unit)
	if st, ok := s.P.Dispatches.UnitState(p.Dispatch, p.Unit); ok {
		return st, nil
	}
	return dispatch.UnitState{}, fail.New(fail.Internal, "receipt of unit %q not found after writing it", p.Unit)
}

// RecordDelivery records a provider's delivery report for an attempt.
func (s *App) RecordDelivery(ctx context.Context, attempt, provider string, delivered bool) error {
	ref, ok := s.P.Dispatches.FindAttempt(attempt)
	if !ok {
		return fail.Field("attempt", "no attempt %q", attempt)
	}
	id, unit := ref.Dispatch, ref.Unit
	_, err := s.do(ctx, func(*Facts, time.Time) ([]event.Draft, error) {
		return []event.Draft{{Type: dispatch.TypeDelivered, Subject: string(id), Actor: "provider:" + provider,
			Payload: dispatch.DeliveryReport{Dispatch: id, Unit: unit, Attempt: attempt, Delivered: delivered, Provider: provider}}}, nil
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
func (s *App) AcknowledgeByWebhook(ctx context.Context, r WebhookReceipt) (dispatch.UnitState, error) {
	r.Attempt, r.By = strings.TrimSpace(r.Attempt), strings.TrimSpace(r.By)
	if r.Attempt == "" {
		return dispatch.UnitState{}, fail.Field("attempt_id", "is required: the attempt_id of the webhook being acknowledged")
	}
	ref, ok := s.P.Dispatches.FindAttempt(r.Attempt)
	if !ok {
		return dispatch.UnitState{}, fail.Field("attempt_id", "no webhook attempt %q", r.Attempt)
	}
	if ref.Channel != dispatch.Webhook {
		return dispatch.UnitState{}, fail.Field("attempt_id", "attempt %q went out by %s, not by webhook", r.Attempt, ref.Channel)
	}
	if err := fail.Text("by", r.By, 200, false); err != nil {
		return dispatch.UnitState{}, err
	}
	if r.By == "" {
		r.By = ref.Name
	}
	cmd := dispatch.Acknowledge{Dispatch: ref.Dispatch, Unit: ref.Unit, By: event.Actor{Name: r.By}, Channel: dispatch.Webhook,
		Answer: r.Answer, Readback: r.Readback, Link: r.Attempt}
	if _, err := s.do(ctx, func(f *Facts, now time.Time) ([]event.Draft, error) {
		return cmd.Decide(f.Dispatches, "webhook:"+ref.Unit)
	}); err != nil {
		if fail.As(err).Field == "link" {
			return dispatch.UnitState{}, fail.Field("attempt_id", "attempt %q has already been used to acknowledge", r.Attempt)
		}
		return dispatch.UnitState{}, err
	}
	s.log.Info("receipt by webhook", "dispatch_id", ref.Dispatch, "unit", ref.Unit)
	if st, ok := s.P.Dispatches.UnitState(ref.Dispatch, ref.Unit); ok {
		return st, nil
	}
	return dispatch.UnitState{}, fail.New(fail.Internal, "receipt of unit %q not found after writing it", ref.Unit)
}
