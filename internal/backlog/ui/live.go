package ui

import (
	"strings"

	"fyr/internal/backlog"
	"fyr/internal/event"
	"fyr/internal/incident"
	"fyr/internal/web"
)

// publish tells the open backlog pages that something changed: the staff
// following the incident and the unit's own pages. The frame is the one
// fyr.js knows as "situation": the page fetches its parts marked
// data-live="situation" again. It carries no content, so one frame serves
// every language and role.
func (m *Module) publish(e event.Envelope, out web.LiveOut) {
	var c backlog.Change
	if e.Unmarshal(&c) != nil {
		return
	}
	frame := out.Frame("situation", struct {
		Incident incident.ID `json:"incident"`
		Type     string      `json:"type"`
	}{c.Incident, strings.TrimPrefix(e.Type, "backlog.")})
	out.Send(frame, c.Incident, func(unit string) bool { return unit == c.Unit })
}
