package auth

import (
	"sync"
	"time"

	"fyr/internal/fail"
)

// Limiter slows password guessing: at most MaxFailures failed logins per
// username and per client address within Window, and a bound on concurrent
// password hashing (each costs 64 MiB).
type Limiter struct {
	mu       sync.Mutex
	failures map[string][]time.Time
	hashing  chan struct{}
}

const (
	MaxFailures = 5
	Window      = 5 * time.Minute
)

// NewLimiter returns a limiter allowing `concurrent` hashes at once.
func NewLimiter(concurrent int) *Limiter {
	return &Limiter{failures: map[string][]time.Time{}, hashing: make(chan struct{}, concurrent)}
}

func (l *Limiter) recent(key string, now time.Time) []time.Time {
	ts := l.failures[key]
	i := 0
	for i < len(ts) && now.Sub(ts[i]) > Window {
		i++
	}
	ts = ts[i:]
	if len(ts) == 0 {
		delete(l.failures, key)
	} else {
		l.failures[key] = ts
	}
	return ts
}

// Allow returns TooMany if the username or address has failed too often.
func (l *Limiter) Allow(username, addr string, now time.Time) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, k := range []string{"u:" + username, "a:" + addr} {
		if ts := l.recent(k, now); len(ts) >= MaxFailures {
			wait := Window - now.Sub(ts[0])
			return fail.New(fail.TooMany, "too many failed logins; try again in %d s", int(wait.Seconds())+1)
		}
	}
	return nil
}

// Fail records a failed login.
func (l *Limiter) Fail(username, addr string, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, k := range []string{"u:" + username, "a:" + addr} {
		l.failures[k] = append(l.recent(k, now), now)
	}
}

// Hash runs fn while holding one of the hashing slots.
func (l *Limiter) Hash(fn func()) {
	l.hashing <- struct{}{}
	defer func() { <-l.hashing }()
	fn()
}
