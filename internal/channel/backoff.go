package channel

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"
)

// Backoff bounds the retries of one Send: Attempts tries in all, waiting
// Initial before the second, twice as long before each further one, never
// longer than Max. The zero value means DefaultBackoff.
type Backoff struct {
	Attempts int           // tries in all, the first included
	Initial  time.Duration // wait before the first retry
	Max      time.Duration // longest wait
	// Jitter shortens each wait by up to this fraction, drawn at random,
	// so that many messages failing together do not retry together.
	Jitter float64
	// Sleep waits d or until ctx ends; nil means a real timer. Tests
	// inject one that records the wait and returns at once.
	Sleep func(ctx context.Context, d time.Duration) error
}

// DefaultBackoff: 4 tries over about 14 s (2 s, 4 s, 8 s).
var DefaultBackoff = Backoff{Attempts: 4, Initial: 2 * time.Second, Max: time.Minute, Jitter: 0.2}

// OrDefault returns b, or DefaultBackoff (keeping b's Sleep) when b has no
// attempts set.
func (b Backoff) OrDefault() Backoff {
	if b.Attempts > 0 {
		return b
	}
	d := DefaultBackoff
	d.Sleep = b.Sleep
	return d
}

// Delay is the wait before retry n (1 is the first retry).
func (b Backoff) Delay(n int) time.Duration {
	d := b.Initial
	for i := 1; i < n && d < b.Max; i++ {
		d *= 2
	}
	if b.Max > 0 && d > b.Max {
		d = b.Max
	}
	if b.Jitter > 0 && d > 0 {
		d -= time.Duration(rand.Float64() * b.Jitter * float64(d))
	}
	return d
}

// Wait sleeps before retry n, or returns ctx's error when ctx ends first.
func (b Backoff) Wait(ctx context.Context, n int) error {
	d := b.Delay(n)
	if b.Sleep != nil {
		return b.Sleep(ctx, d)
	}
	return SleepContext(ctx, d)
}

// SleepContext waits d or until ctx ends.
func SleepContext(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Retry calls try (with the attempt number, from 1) until it returns nil,
// a permanent error (see Permanent), the attempts run out, or ctx ends. It
// returns the number of attempts made and the last error, which names how
// many attempts were made when there was more than one. An error after ctx
// ended is returned as it is and not retried.
func Retry(ctx context.Context, b Backoff, try func(attempt int) error) (int, error) {
	b = b.OrDefault()
	var err error
	for n := 1; ; n++ {
		err = try(n)
		switch {
		case err == nil:
			return n, nil
		case IsPermanent(err), ctx.Err() != nil:
			return n, err
		case n >= b.Attempts:
			if n > 1 {
				err = fmt.Errorf("gave up after %d attempts: %w", n, err)
			}
			return n, err
		}
		if werr := b.Wait(ctx, n); werr != nil {
			return n, fmt.Errorf("%w (stopped retrying: %w)", err, werr)
		}
	}
}
