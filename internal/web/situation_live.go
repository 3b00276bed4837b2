package web

import (
	"strings"

	"fyr/internal/event"
	"fyr/internal/incident"
	"fyr/internal/situation"
)

type situationData struct {
	Incident incident.ID `json:"incident"`
	Type     string      `json:"type"`
}

// publishSituation tells the pages that show the situation picture that
// something changed: the staff following the incident (roll-up, rounds)
// on every report and round event; a unit's own pages when it reports;
// every unit's pages when a picture is published. The pages fetch their part again:
// a frame carries no content, so one frame serves every language and role.
func (h *hub) publishSituation(e event.Envelope) {
	var ref struct {
		Incident incident.ID       `json:"incident"`
		Round    situation.RoundID `json:"round"`
		Unit     string            `json:"unit"`
	}
	if e.Unmarshal(&ref) != nil {
		return
	}
	if ref.Incident == "" && ref.Round != "" {
		if id, ok := h.s.svc.Situation.IncidentOf(ref.Round); ok {
			ref.Incident = id
		}
	}
	frame := sseFrame(e.Seq, "situation", situationData{ref.Incident, strings.TrimPrefix(e.Type, "situation.")})
	published := e.Type == situation.TypePicturePublished
	h.mu.Lock()
	defer h.unlock()
	for sub := range h.subs {
		switch {
		case sub.journal && sub.incident == ref.Incident:
			h.offer(sub, liveMsg{seq: e.Seq, incident: ref.Incident, journal: true, frame: frame})
		case sub.unit != "" && (published || sub.unit == ref.Unit):
			h.offer(sub, liveMsg{seq: e.Seq, frame: frame})
		}
	}
}
