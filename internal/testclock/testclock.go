// Package testclock gives tests a clock they move themselves and a sleep
// that records the wait instead of waiting, so that timing is asserted
// without sleeping.
package testclock

import (
	"context"
	"sync"
	"time"
)

// Clock is a clock that stands still until the test moves it. It is safe
// for concurrent use.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// New returns a clock standing at t.
func New(t time.Time) *Clock { return &Clock{t: t} }

// Now is the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Add moves the clock on by d and returns the new time.
func (c *Clock) Add(d time.Duration) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
	return c.t
}

// Sleeps records the waits asked of it and returns at once; with a Clock
// it also moves the clock on by each wait.
type Sleeps struct {
	Clock *Clock // moved on by each wait, when set

	mu sync.Mutex
	d  []time.Duration
}

// Sleep records d (and moves Clock) instead of waiting; it reports ctx's end.
func (s *Sleeps) Sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	s.d = append(s.d, d)
	s.mu.Unlock()
	if s.Clock != nil {
		s.Clock.Add(d)
	}
	return ctx.Err()
}

// All returns the waits recorded so far, in order.
func (s *Sleeps) All() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.d...)
}
