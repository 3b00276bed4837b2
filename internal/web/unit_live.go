package web

import (
	"fyr/internal/dispatch"
	"fyr/internal/event"
)

// publishUnitAck tells the pages of an acknowledging unit (its unit page,
// open on the phones of the unit's contacts) that one of its dispatches is
// now acknowledged — perhaps by another contact, by SMS or by the staff
// from a phone call — so that the page stops asking for it. The frame
// carries no content: the page fetches its part again.
func (h *hub) publishUnitAck(e event.Envelope) {
	var a dispatch.Acknowledged
	if e.Unmarshal(&a) != nil || a.Unit == "" {
		return
	}
	frame := sseFrame(e.Seq, "unit", inboxData{Dispatch: a.Dispatch})
	h.mu.Lock()
	defer h.unlock()
	for sub := range h.subs {
		if sub.unit == a.Unit {
			h.offer(sub, liveMsg{seq: e.Seq, frame: frame})
		}
	}
}
