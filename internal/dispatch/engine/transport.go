package engine

import (
	"context"

	"fyr/internal/channel"
	"fyr/internal/dispatch"
)

// ChannelTransport puts a channel adapter (internal/channel) behind the
// engine's Transport.
type ChannelTransport struct{ Sender channel.Sender }

// Send hands one attempt to the adapter.
func (t ChannelTransport) Send(ctx context.Context, p dispatch.Plan, subject, text, link string) dispatch.AttemptResult {
	m := channel.Message{AttemptID: p.Attempt, ToName: p.Name, Subject: subject, Text: text, ReceiptURL: link, ShortCode: p.Code,
		Avoid: p.Avoid}
	if c := p.Decision; c != nil {
		m.Decision = &channel.Decision{Text: c.Text, DecisionMaker: c.DecisionMaker, Mandate: c.Mandate, Rationale: c.Rationale,
			DecidedAt: c.DecidedAt, AppliesFrom: c.AppliesFrom, ValidUntil: c.ValidUntil, Action: p.Action}
	}
	switch p.Channel {
	case dispatch.Email:
		m.ToEmail = p.Address
	case dispatch.SMS:
		m.ToMobile = p.Address
	case dispatch.Webhook:
		m.ToURL = p.Address
	}
	r := t.Sender.Send(ctx, m)
	res := dispatch.AttemptResult{Handed: r.Handed, Provider: r.Provider, ProviderID: r.ProviderID}
	if r.Err != nil {
		res.Error = r.Err.Error()
	}
	return res
}
