package web_test

import (
	"testing"

	"fyr/internal/auth"
	"fyr/internal/fyrtest"
)

// The API refuses common passwords and the username as password, naming
// the field, when an account is created and when its password is changed.
func TestAPIRefusesGuessablePasswords(t *testing.T) {
	t.Parallel()
	env := fyrtest.Start(t)
	admin := env.Token(auth.Admin)
	var out struct {
		Error struct{ Code, Field, Message string }
	}
	if code := env.Do(admin, "POST", "/api/v1/users", map[string]any{"username": "ny", "name": "Ny", "role": "viewer", "password": "password1234"}, &out); code != 400 || out.Error.Field != "password" {
		t.Errorf("create with password1234: %d %+v, want 400 naming password", code, out.Error)
	}
	out.Error.Field = ""
	if code := env.Do(admin, "POST", "/api/v1/users/staff/password", map[string]any{"password": "STAFF"}, &out); code != 400 || out.Error.Field != "password" {
		t.Errorf("short password: %d %+v", code, out.Error)
	}
	env.Do(admin, "POST", "/api/v1/users", map[string]any{"username": "tove.isaksson", "name": "Tove", "role": "viewer", "password": "a-long-password-1"}, nil)
	out.Error.Field = ""
	if code := env.Do(admin, "POST", "/api/v1/users/tove.isaksson/password", map[string]any{"password": "Tove.Isaksson"}, &out); code != 400 || out.Error.Field != "password" {
		t.Errorf("username as password: %d %+v, want 400 naming password", code, out.Error)
	}
}
