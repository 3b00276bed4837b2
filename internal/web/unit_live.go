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
	for sub := range h.byUnit[a.Unit] {
		h.offer(sub, liveMsg{seq: e.Seq, frame: frame})
	}
}

// followUnit and unfollowUnit keep byUnit; h.mu is held.
func (h *hub) followUnit(sub *subscriber) {
	if sub.unit == "" {
		return
	}
	if h.byUnit[sub.unit] == nil {
		h.byUnit[sub.unit] = map[*subscriber]struct{}{}
	}
	h.byUnit[sub.unit][sub] = struct{}{}
}

func (h *hub) unfollowUnit(sub *subscriber) {
	if set := h.byUnit[sub.unit]; set != nil {
		delete(set, sub)
		if len(set) == 0 {
			delete(h.byUnit, sub.unit)
		}
	}
}
