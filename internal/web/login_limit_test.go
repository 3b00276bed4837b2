package web_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"testing"

	"fyr/internal/fyrtest"
)

func loginFrom(t *testing.T, env *fyrtest.Env, username, password, forwarded string) int {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"username": username, "password": password})
	req, _ := http.NewRequest("POST", env.URL+"/api/v1/login", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if forwarded != "" {
		req.Header.Set("X-Forwarded-For", forwarded)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// X-Forwarded-For counts only from a trusted proxy, and from it only the
// address the proxy itself appended: a client cannot escape its throttle
// by naming another address, nor does a proxy put everyone in one pair.
func TestForwardedForOnlyFromTrustedProxies(t *testing.T) {
	t.Parallel()
	env := fyrtest.Start(t)
	// Untrusted peer: a new address in every request changes nothing.
	fakes := []string{"192.0.2.1", "192.0.2.2", "192.0.2.3", "192.0.2.4", "192.0.2.5", "192.0.2.6"}
	for i, f := range fakes {
		want := 401
		if i == len(fakes)-1 {
			want = 429
		}
		if got := loginFrom(t, env, "staff", "wrong-password!", f); got != want {
			t.Fatalf("untrusted X-Forwarded-For %s: %d, want %d", f, got, want)
		}
	}
	// Behind a trusted proxy (the test's loopback peer) each person is their own address.
	if err := env.Web.SetTrustedProxies("10.0.0.0/8, 127.0.0.1, ::1"); err != nil {
		t.Fatal(err)
	}
	for range 6 {
		loginFrom(t, env, "viewer", "wrong-password!", "203.0.113.5")
	}
	if got := loginFrom(t, env, "viewer", fyrtest.Password, "203.0.113.5"); got != 429 {
		t.Fatalf("the guessing address behind the proxy: %d, want 429", got)
	}
	if got := loginFrom(t, env, "viewer", fyrtest.Password, "198.51.100.7"); got != 200 {
		t.Fatalf("the same account from another address behind the proxy: %d, want 200", got)
	}
	// A client's own claim comes first; the proxies append the truth after it.
	if got := loginFrom(t, env, "viewer", fyrtest.Password, "198.51.100.7, 203.0.113.5, 10.1.2.3"); got != 429 {
		t.Fatalf("a forged first hop: %d, want 429 (the address the proxy saw)", got)
	}
	if err := env.Web.SetTrustedProxies("not-a-cidr"); err == nil {
		t.Fatal("a bad proxy list was accepted")
	}
}
