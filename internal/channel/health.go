package channel

import (
	"cmp"
	"context"
	"slices"
	"sync"
	"time"
)

// Status is how one sender has fared: when it was last tried, when it last
// worked, when and why it last failed.
type Status struct {
	Channel     string    `json:"channel"`
	Provider    string    `json:"provider,omitempty"` // who took the last message handed over
	LastAttempt time.Time `json:"last_attempt,omitzero"`
	LastSuccess time.Time `json:"last_success,omitzero"`
	LastFailure time.Time `json:"last_failure,omitzero"`
	LastError   string    `json:"last_error,omitempty"`
	Attempts    int64     `json:"attempts"`
	Failures    int64     `json:"failures"`
	// Consecutive counts the failures since the last success.
	Consecutive int `json:"consecutive_failures"`
}

// OK reports whether the last attempt worked (or none was made yet).
func (s Status) OK() bool { return s.Consecutive == 0 }

// Health keeps a Status per channel. The zero value is not usable; use
// NewHealth. It is safe for concurrent use.
type Health struct {
	now func() time.Time
	mu  sync.Mutex
	by  map[string]*Status
}

// NewHealth returns an empty view that reads time from now (nil: time.Now).
func NewHealth(now func() time.Time) *Health {
	if now == nil {
		now = time.Now
	}
	return &Health{now: now, by: map[string]*Status{}}
}

// Record notes the outcome of one Send on a channel.
func (h *Health) Record(channel string, r Result) {
	at := h.now()
	h.mu.Lock()
	defer h.mu.Unlock()
	s := h.by[channel]
	if s == nil {
		s = &Status{Channel: channel}
		h.by[channel] = s
	}
	s.LastAttempt = at
	s.Attempts++
	if r.Handed {
		s.LastSuccess = at
		s.Provider = r.Provider
		s.Consecutive = 0
		return
	}
	s.LastFailure = at
	s.Failures++
	s.Consecutive++
	if r.Err != nil {
		s.LastError = r.Err.Error()
	} else {
		s.LastError = "not handed over"
	}
}

// Get returns one channel's status; ok is false when it was never tried.
func (h *Health) Get(channel string) (Status, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	s := h.by[channel]
	if s == nil {
		return Status{Channel: channel}, false
	}
	return *s, true
}

// Snapshot returns every channel's status, by channel name.
func (h *Health) Snapshot() []Status {
	h.mu.Lock()
	out := make([]Status, 0, len(h.by))
	for _, s := range h.by {
		out = append(out, *s)
	}
	h.mu.Unlock()
	slices.SortFunc(out, func(a, b Status) int { return cmp.Compare(a.Channel, b.Channel) })
	return out
}

// Wrap returns a Sender that records every outcome of s.
func (h *Health) Wrap(s Sender) Sender { return &watched{Sender: s, h: h} }

type watched struct {
	Sender
	h *Health
}

func (w *watched) Send(ctx context.Context, m Message) Result {
	r := w.Sender.Send(ctx, m)
	w.h.Record(w.Channel(), r)
	return r
}
