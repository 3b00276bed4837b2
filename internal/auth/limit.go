package auth

import (
	"math"
	"slices"
	"strings"
	"sync"
	"time"

	"fyr/internal/fail"
)

// Throttle slows guessing per key (an account and address pair, an SMS
// sender): the Free-th failure within Window makes the key wait First, and
// each further failure doubles the wait up to Max; quiet for a Window after
// the wait forgives. Only the guessing key waits; nothing else is locked out.
type Throttle struct {
	Free   int
	Window time.Duration
	First  time.Duration
	Max    time.Duration

	mu   sync.Mutex
	keys map[string]*strikes
}

type strikes struct {
	count int
	last  time.Time
	until time.Time
}

// maxKeys bounds the memory a flood of distinct keys can take.
const maxKeys = 100_000

// Strikes is a key with failures not yet forgiven, for the channels page.
type Strikes struct {
	Key      string
	Failures int
	Until    time.Time // refused until then; zero or past when it may try
}

// Wait returns how long key must wait before its next try; 0 when it may try now.
func (t *Throttle) Wait(key string, now time.Time) time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	if s := t.keys[key]; s != nil && now.Before(s.until) {
		return s.until.Sub(now)
	}
	return 0
}

// Fail records a failure of key and returns how many failures it now
// counts and how long it must wait.
func (t *Throttle) Fail(key string, now time.Time) (int, time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.keys == nil {
		t.keys = map[string]*strikes{}
	}
	s := t.keys[key]
	if s == nil {
		if len(t.keys) >= maxKeys {
			t.prune(now)
		}
		s = &strikes{}
		t.keys[key] = s
	}
	if t.forgiven(s, now) {
		s.count = 0
	}
	s.count++
	s.last = now
	if s.count >= t.Free {
		s.until = now.Add(t.delay(s.count - t.Free))
	}
	if now.Before(s.until) {
		return s.count, s.until.Sub(now)
	}
	return s.count, 0
}

// forgiven: quiet for a whole window after the last failure and after the
// end of its wait (else a guesser would get Free tries after every wait).
func (t *Throttle) forgiven(s *strikes, now time.Time) bool {
	return now.Sub(s.last) > t.Window && now.Sub(s.until) > t.Window
}

func (t *Throttle) delay(n int) time.Duration {
	d := t.First
	for ; n > 0 && d < t.Max; n-- {
		d *= 2
	}
	return min(d, t.Max)
}

// Reset forgets key (after a success).
func (t *Throttle) Reset(key string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.keys, key)
}

// Strikes lists the keys with failures not yet forgiven at now, the
// refused first, then by failures.
func (t *Throttle) Strikes(now time.Time) []Strikes {
	t.mu.Lock()
	defer t.mu.Unlock()
	var out []Strikes
	for k, s := range t.keys {
		if !t.forgiven(s, now) {
			st := Strikes{Key: k, Failures: s.count}
			if now.Before(s.until) {
				st.Until = s.until
			}
			out = append(out, st)
		}
	}
	slices.SortFunc(out, func(a, b Strikes) int {
		if c := b.Until.Compare(a.Until); c != 0 {
			return c
		}
		if a.Failures != b.Failures {
			return b.Failures - a.Failures
		}
		return strings.Compare(a.Key, b.Key)
	})
	return out
}

// prune drops forgiven keys; if a flood still fills the map, it drops
// keys at random (Go's map order) rather than grow without bound.
func (t *Throttle) prune(now time.Time) {
	for k, s := range t.keys {
		if t.forgiven(s, now) {
			delete(t.keys, k)
		}
	}
	for k := range t.keys {
		if len(t.keys) < maxKeys*9/10 {
			break
		}
		delete(t.keys, k)
	}
}

// Limiter slows password guessing per (account, client address) pair: a
// guesser from one address delays only its own tries at that account, so
// neither the account's owner elsewhere nor other accounts from the same
// address (everyone behind one NAT) are locked out. It also bounds
// concurrent password hashing (each costs 64 MiB).
type Limiter struct {
	pairs   Throttle
	hashing chan struct{}

	mu   sync.Mutex
	busy map[string]*pairLock // the pairs with a login being checked
}

type pairLock struct {
	sync.Mutex
	users int
}

const (
	// MaxFailures failed logins per pair cost nothing; then the pair waits
	// FirstDelay, twice that, … up to MaxDelay between tries.
	MaxFailures = 5
	FirstDelay  = 5 * time.Second
	Window      = 15 * time.Minute
	MaxDelay    = 15 * time.Minute
)

// NewLimiter returns a limiter allowing `concurrent` hashes at once.
func NewLimiter(concurrent int) *Limiter {
	return &Limiter{pairs: Throttle{Free: MaxFailures, Window: Window, First: FirstDelay, Max: MaxDelay},
		hashing: make(chan struct{}, concurrent), busy: map[string]*pairLock{}}
}

// Lock serialises the logins of one pair and returns the unlock. Without
// it a guesser sending many tries at once would have them all pass Allow
// before the first failure is counted.
func (l *Limiter) Lock(username, addr string) (unlock func()) {
	key := pairKey(username, addr)
	l.mu.Lock()
	pl := l.busy[key]
	if pl == nil {
		pl = &pairLock{}
		l.busy[key] = pl
	}
	pl.users++
	l.mu.Unlock()
	pl.Lock()
	return func() {
		pl.Unlock()
		l.mu.Lock()
		if pl.users--; pl.users == 0 {
			delete(l.busy, key)
		}
		l.mu.Unlock()
	}
}

func pairKey(username, addr string) string { return username + "\x00" + addr }

// Allow returns TooMany while the pair must wait.
func (l *Limiter) Allow(username, addr string, now time.Time) error {
	if wait := l.pairs.Wait(pairKey(username, addr), now); wait > 0 {
		return fail.New(fail.TooMany, "too many failed logins for this account from this address; try again in %d s", int(math.Ceil(wait.Seconds())))
	}
	return nil
}

// Fail records a failed login of the pair; it returns the failures counted
// and how long the pair must now wait.
func (l *Limiter) Fail(username, addr string, now time.Time) (int, time.Duration) {
	return l.pairs.Fail(pairKey(username, addr), now)
}

// Succeed forgets the pair's failures.
func (l *Limiter) Succeed(username, addr string) { l.pairs.Reset(pairKey(username, addr)) }

// Hash runs fn while holding one of the hashing slots.
func (l *Limiter) Hash(fn func()) {
	l.hashing <- struct{}{}
	defer func() { <-l.hashing }()
	fn()
}
