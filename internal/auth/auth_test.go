package auth_test

import (
	"testing"
	"time"

	"fyr/internal/auth"
	"fyr/internal/event"
	"fyr/internal/fail"
)

func users(t testing.TB, hash string) *auth.Users {
	u := auth.NewUsers()
	e, err := event.Seal(event.Draft{Type: auth.TypeUserCreated, Payload: auth.UserCreated{Username: "tib", Name: "Tove", Role: auth.Staff, Hash: hash}},
		event.NewID(), "o", "", time.Now().Add(-time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if err := u.Apply(e); err != nil {
		t.Fatal(err)
	}
	return u
}

func TestPasswordHashRoundTrip(t *testing.T) {
	h, err := auth.HashPassword("rätt lösenord")
	if err != nil {
		t.Fatal(err)
	}
	if !auth.CheckPassword(h, "rätt lösenord") || auth.CheckPassword(h, "fel lösenord") {
		t.Fatal("password check is wrong")
	}
	h2, _ := auth.HashPassword("rätt lösenord")
	if h == h2 {
		t.Fatal("two hashes of one password are equal: no salt")
	}
}

func TestSessionsRejectForgedExpiredAndRevoked(t *testing.T) {
	h, _ := auth.HashPassword("a-long-password")
	u := users(t, h)
	s, err := auth.LoadSessions(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	tok := s.Issue("tib", now)
	if got, err := s.Check(tok, u, now); err != nil || got.Username != "tib" {
		t.Fatalf("fresh token: %v", err)
	}
	other, _ := auth.LoadSessions(t.TempDir())
	for name, check := range map[string]func() error{
		"forged (other key)": func() error { _, err := s.Check(other.Issue("tib", now), u, now); return err },
		"expired":            func() error { _, err := s.Check(tok, u, now.Add(auth.SessionTTL+time.Second)); return err },
		"unknown user":       func() error { _, err := s.Check(s.Issue("nobody", now), u, now); return err },
		"tampered":           func() error { _, err := s.Check("x"+tok, u, now); return err },
		"revoked": func() error {
			t2 := s.Issue("tib", now)
			drafts := auth.Revoke("tib", t2, event.Actor{Username: "tib"}, now)
			e, err := event.Seal(drafts[0], event.NewID(), "o", "", now)
			if err != nil {
				t.Fatal(err)
			}
			if err := u.Apply(e); err != nil {
				t.Fatal(err)
			}
			_, err = s.Check(t2, u, now)
			return err
		},
	} {
		if !fail.Is(check(), fail.Unauthorized) {
			t.Errorf("%s token accepted", name)
		}
	}
	if s.CheckCSRF(tok, s.CSRF("another session")) || !s.CheckCSRF(tok, s.CSRF(tok)) {
		t.Error("CSRF tokens are not bound to their session")
	}
}

func TestLimiterThrottlesThePair(t *testing.T) {
	l := auth.NewLimiter(1)
	now := time.Now()
	for range auth.MaxFailures {
		if err := l.Allow("tib", "10.0.0.1", now); err != nil {
			t.Fatal(err)
		}
		l.Fail("tib", "10.0.0.1", now)
	}
	if !fail.Is(l.Allow("tib", "10.0.0.1", now), fail.TooMany) {
		t.Fatal("the pair is not throttled")
	}
	if err := l.Allow("tib", "10.0.0.9", now); err != nil {
		t.Fatalf("the username is throttled from another address: %v", err)
	}
	if err := l.Allow("other", "10.0.0.1", now); err != nil {
		t.Fatalf("the address is throttled for another username: %v", err)
	}
	if err := l.Allow("tib", "10.0.0.1", now.Add(auth.FirstDelay)); err != nil {
		t.Fatalf("still throttled after the first wait: %v", err)
	}
}

// The SMS sender's policy: five wrong codes in 15 minutes, then refused for
// 15 minutes, doubling up to a day; quiet for a window forgives.
func TestThrottleGrowsAndForgives(t *testing.T) {
	th := auth.Throttle{Free: 5, Window: 15 * time.Minute, First: 15 * time.Minute, Max: 24 * time.Hour}
	now := time.Date(2026, 11, 23, 4, 0, 0, 0, time.UTC)
	for i := range 4 {
		if n, wait := th.Fail("+46701", now.Add(time.Duration(i)*time.Minute)); wait != 0 || n != i+1 {
			t.Fatalf("failure %d: count %d wait %v", i+1, n, wait)
		}
	}
	now = now.Add(4 * time.Minute)
	if _, wait := th.Fail("+46701", now); wait != 15*time.Minute {
		t.Fatalf("fifth failure: wait %v", wait)
	}
	if b := th.Strikes(now); len(b) != 1 || b[0].Key != "+46701" || b[0].Failures != 5 || !b[0].Until.Equal(now.Add(15*time.Minute)) {
		t.Fatalf("strikes: %+v", b)
	}
	now = now.Add(15 * time.Minute)
	if th.Wait("+46701", now) != 0 {
		t.Fatal("still blocked after the wait")
	}
	if _, wait := th.Fail("+46701", now); wait != 30*time.Minute {
		t.Fatalf("sixth failure: wait %v, want 30m", wait)
	}
	// A guesser who tries again the moment each wait ends waits ever longer.
	var wait time.Duration
	for range 10 {
		now = now.Add(th.Wait("+46701", now))
		_, wait = th.Fail("+46701", now)
	}
	if wait != 24*time.Hour {
		t.Fatalf("wait %v, want the cap of a day", wait)
	}
	if th.Wait("+46702", now) != 0 {
		t.Fatal("another sender is blocked")
	}
	now = now.Add(wait + 16*time.Minute)
	if n, _ := th.Fail("+46701", now); n != 1 {
		t.Fatalf("after a quiet window the count is %d, want 1", n)
	}
}

func FuzzSessionCheck(f *testing.F) {
	dir := f.TempDir()
	s, err := auth.LoadSessions(dir)
	if err != nil {
		f.Fatal(err)
	}
	u := users(f, "$argon2id$v=19$m=65536,t=1,p=2$c2FsdA$a2V5")
	f.Add(s.Issue("tib", time.Now())[:10])
	f.Add("a.b")
	f.Add("")
	f.Fuzz(func(t *testing.T, token string) {
		if _, err := s.Check(token, u, time.Now()); err == nil {
			t.Fatalf("random token %q accepted", token)
		}
	})
}

func FuzzCheckPassword(f *testing.F) {
	f.Add("$argon2id$v=19$m=65536,t=1,p=2$c2FsdHNhbHRzYWx0$a2V5a2V5a2V5a2V5a2V5a2V5", "pw")
	f.Add("$argon2id$v=19$m=4294967295,t=1,p=2$c2FsdA$a2V5", "pw")
	f.Add("$$$$$", "")
	f.Fuzz(func(t *testing.T, encoded, pw string) {
		auth.CheckPassword(encoded, pw) // must not panic or allocate unbounded memory
	})
}
