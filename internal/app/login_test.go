package app_test

import (
	"bytes"
	"context"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"fyr/internal/app"
	"fyr/internal/auth"
	"fyr/internal/fail"
	"fyr/internal/store"
	"fyr/internal/testclock"
)

// lockedBuffer is a log sink safe for the service's goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// A guesser delays only its own (account, address) pair: 50 wrong
// passwords from one address at one account leave the other accounts of
// that address and the same account from elsewhere untouched; the pair's
// waits grow; every refused attempt is logged, never the password.
func TestLoginThrottlesThePairNotTheAccount(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	clock := testclock.New(time.Date(2026, 11, 23, 4, 0, 0, 0, time.UTC))
	var logs lockedBuffer
	svc, err := app.Open(ctx, app.Config{Dir: t.TempDir(), Log: store.NewMem(), Org: "test", Now: clock.Now,
		Logger: slog.New(slog.NewJSONHandler(&logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	defer svc.Close()
	const password = "the-right-password-1"
	hash, err := auth.HashPassword(password)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"admin", "staff"} {
		if _, err := svc.Auth.AddUser(ctx, nil, auth.AddUser{Username: name, Name: name, Role: auth.Staff, Hash: hash}); err != nil {
			t.Fatal(err)
		}
	}
	const attacker, elsewhere = "203.0.113.5", "198.51.100.7"
	const guess = "guess-Kx7-not-it"
	var codes []fail.Code
	for range 50 {
		_, _, err := svc.Auth.Login(ctx, "staff", guess, attacker)
		codes = append(codes, fail.As(err).Code)
	}
	for i, c := range codes {
		want := fail.TooMany
		if i < auth.MaxFailures {
			want = fail.Unauthorized
		}
		if c != want {
			t.Fatalf("attempt %d: %s, want %s (all: %v)", i+1, c, want, codes)
		}
	}
	if _, _, err := svc.Auth.Login(ctx, "admin", password, attacker); err != nil {
		t.Fatalf("another account from the guessing address: %v", err)
	}
	if _, _, err := svc.Auth.Login(ctx, "staff", password, elsewhere); err != nil {
		t.Fatalf("the guessed account from another address: %v", err)
	}
	if _, _, err := svc.Auth.Login(ctx, "staff", password, attacker); !fail.Is(err, fail.TooMany) {
		t.Fatalf("the guessing pair, even with the right password, before its wait: %v", err)
	}
	// The waits grow: 5 s after the fifth failure, then 10 s, then 20 s.
	for _, wait := range []time.Duration{auth.FirstDelay, 2 * auth.FirstDelay, 4 * auth.FirstDelay} {
		clock.Add(wait - time.Millisecond)
		if _, _, err := svc.Auth.Login(ctx, "staff", guess, attacker); !fail.Is(err, fail.TooMany) {
			t.Fatalf("%v after the last failure, %v before the wait is over: %v", wait-time.Millisecond, time.Millisecond, err)
		}
		clock.Add(time.Millisecond)
		if _, _, err := svc.Auth.Login(ctx, "staff", guess, attacker); !fail.Is(err, fail.Unauthorized) {
			t.Fatalf("after a wait of %v the pair may try again: %v", wait, err)
		}
	}
	clock.Add(8 * auth.FirstDelay)
	if _, _, err := svc.Auth.Login(ctx, "staff", password, attacker); err != nil {
		t.Fatalf("the pair after its wait, with the right password: %v", err)
	}
	out := logs.String()
	if n := strings.Count(out, `"msg":"login refused"`); n != 50+1+2*3 {
		t.Errorf("%d refused attempts logged, want %d", n, 50+1+2*3)
	}
	if strings.Contains(out, guess) || strings.Contains(out, password) {
		t.Error("a password is in the log")
	}
}

// Many tries at once count like tries one after another: a guesser cannot
// get them all past the throttle before the first failure is counted.
func TestConcurrentLoginGuessesAreThrottled(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	clock := testclock.New(time.Date(2026, 11, 23, 4, 0, 0, 0, time.UTC))
	svc, err := app.Open(ctx, app.Config{Dir: t.TempDir(), Log: store.NewMem(), Org: "test", Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	defer svc.Close()
	hash, err := auth.HashPassword("the-right-password-1")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Auth.AddUser(ctx, nil, auth.AddUser{Username: "staff", Name: "S", Role: auth.Staff, Hash: hash}); err != nil {
		t.Fatal(err)
	}
	const tries = 30
	codes := make([]fail.Code, tries)
	var wg sync.WaitGroup
	for i := range tries {
		wg.Go(func() {
			_, _, err := svc.Auth.Login(ctx, "staff", "guess-Kx7-not-it", "203.0.113.5")
			codes[i] = fail.As(err).Code
		})
	}
	wg.Wait()
	if n := len(slices.DeleteFunc(slices.Clone(codes), func(c fail.Code) bool { return c != fail.Unauthorized })); n != auth.MaxFailures {
		t.Fatalf("%d of %d concurrent guesses were checked, want %d: %v", n, tries, auth.MaxFailures, codes)
	}
}
