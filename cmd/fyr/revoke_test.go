package main

import (
	"context"
	"testing"
)

// A logout, a disabled account and a new password end sessions for good:
// after SIGKILL and a restart the old tokens are still refused, and a
// token nothing happened to still works.
func TestRevocationSurvivesSIGKILL(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	srv := startServer(t, dir)
	admin := srv.login()
	const pw = "a-long-password-1"
	tokens := map[string]string{}
	for _, name := range []string{"kept", "loggedout", "disabled", "newpassword"} {
		if err := srv.call(ctx, admin, "POST", "/api/v1/users", map[string]string{"username": name, "name": name, "role": "viewer", "password": pw}, nil, 201); err != nil {
			t.Fatalf("create %s: %v", name, err)
		}
		var out struct{ Token string }
		if err := srv.call(ctx, "", "POST", "/api/v1/login", map[string]string{"username": name, "password": pw}, &out, 200); err != nil {
			t.Fatalf("login %s: %v", name, err)
		}
		tokens[name] = out.Token
	}
	if err := srv.call(ctx, tokens["loggedout"], "POST", "/api/v1/logout", nil, nil, 200); err != nil {
		t.Fatalf("logout: %v", err)
	}
	if err := srv.call(ctx, admin, "POST", "/api/v1/users/disabled/disable", nil, nil, 200); err != nil {
		t.Fatalf("disable: %v", err)
	}
	if err := srv.call(ctx, admin, "POST", "/api/v1/users/newpassword/password", map[string]string{"password": "another-password-2"}, nil, 200); err != nil {
		t.Fatalf("new password: %v", err)
	}
	check := func(when string) {
		t.Helper()
		for name, token := range tokens {
			want := 401
			if name == "kept" {
				want = 200
			}
			if err := srv.call(ctx, token, "GET", "/api/v1/incidents", nil, nil, want); err != nil {
				t.Errorf("%s: the token of %s: %v, want %d", when, name, err, want)
			}
		}
	}
	check("before the kill")
	srv.kill()
	srv = startServer(t, dir)
	check("after SIGKILL and a restart")
	if err := srv.call(ctx, tokens["loggedout"], "POST", "/api/v1/logout", nil, nil, 401); err != nil {
		t.Errorf("logging out again with a revoked token: %v", err)
	}
}
