package web

import (
	"strings"

	"fyr/internal/event"
	"fyr/internal/incident"
)

// A module's part of the live hub: the hub knows no capability, so a
// module that wants its open pages told of its events registers a hook for
// its event types. A hook sees each event once, on the projection's
// goroutine after the event is applied (every writer's acknowledgement
// waits for it): it must not block, and it encodes a frame once, not once
// per connection.

// LiveHook turns one event into frames for the open pages, sent through out.
type LiveHook func(e event.Envelope, out LiveOut)

type liveHook struct {
	prefix string
	fn     LiveHook
}

// HandleLive registers fn for the events whose type starts with
// typePrefix (e.g. "situation."). Call it from the module's Mount.
func (s *Server) HandleLive(typePrefix string, fn LiveHook) {
	s.hub.hooks = append(s.hub.hooks, liveHook{typePrefix, fn})
}

// hooked runs the hooks registered for e's type; false when there is none.
func (h *hub) hooked(e event.Envelope) bool {
	found := false
	for _, k := range h.hooks {
		if strings.HasPrefix(e.Type, k.prefix) {
			k.fn(e, LiveOut{h: h, seq: e.Seq})
			found = true
		}
	}
	return found
}

// LiveOut is what a hook may do with the open pages for one event.
type LiveOut struct {
	h   *hub
	seq uint64
}

// Frame encodes a Server-Sent Event named name carrying data as JSON, with
// the event's sequence number as its id (a page that reconnects resumes
// after it).
func (o LiveOut) Frame(name string, data any) []byte { return sseFrame(o.seq, name, data) }

// Send offers frame to the pages that follow inc's journal (none when inc
// is "") and to the pages of the units for which unit answers true (none
// when unit is nil). A frame carries no journal content: it may go to
// every role that has the page open.
func (o LiveOut) Send(frame []byte, inc incident.ID, unit func(string) bool) {
	h := o.h
	h.mu.Lock()
	defer h.unlock()
	for sub := range h.subs {
		switch {
		case inc != "" && sub.journal && sub.incident == inc:
			h.offer(sub, liveMsg{seq: o.seq, incident: inc, journal: true, frame: frame})
		case unit != nil && sub.unit != "" && unit(sub.unit):
			h.offer(sub, liveMsg{seq: o.seq, frame: frame})
		}
	}
}

// SendUnits offers each page that follows one of units (a unit's own
// account, or the staff on the unit's page) the frame in its language.
// With one unit it walks only that unit's pages.
func (o LiveOut) SendUnits(frames map[Lang][]byte, units ...string) {
	h := o.h
	h.mu.Lock()
	defer h.unlock()
	if len(units) == 1 {
		for sub := range h.byUnit[units[0]] {
			h.offer(sub, liveMsg{seq: o.seq, frame: frames[sub.lang]})
		}
		return
	}
	set := make(map[string]bool, len(units))
	for _, u := range units {
		set[u] = true
	}
	for sub := range h.subs {
		if sub.unit != "" && set[sub.unit] {
			h.offer(sub, liveMsg{seq: o.seq, frame: frames[sub.lang]})
		}
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
