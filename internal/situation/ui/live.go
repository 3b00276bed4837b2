package ui

import (
	"strings"

	"fyr/internal/event"
	"fyr/internal/incident"
	"fyr/internal/situation"
	"fyr/internal/web"
)

type situationData struct {
	Incident incident.ID `json:"incident"`
	Type     string      `json:"type"`
}

// publish tells the pages that show the situation picture that something
// changed: the staff following the incident (roll-up, rounds) on every
// report and round event; a unit's own pages when it reports; every unit's
// pages when a picture is published. The pages fetch their part again: a
// frame carries no content, so one frame serves every language and role.
func (m *Module) publish(e event.Envelope, out web.LiveOut) {
	var ref struct {
		Incident incident.ID       `json:"incident"`
		Round    situation.RoundID `json:"round"`
		Unit     string            `json:"unit"`
	}
	if e.Unmarshal(&ref) != nil {
		return
	}
	if ref.Incident == "" && ref.Round != "" {
		if id, ok := m.svc.IncidentOf(ref.Round); ok {
			ref.Incident = id
		}
	}
	frame := out.Frame("situation", situationData{ref.Incident, strings.TrimPrefix(e.Type, "situation.")})
	published := e.Type == situation.TypePicturePublished
	out.Send(frame, ref.Incident, func(unit string) bool { return published || unit == ref.Unit })
}
