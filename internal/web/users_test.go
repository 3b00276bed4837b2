package web_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"fyr/internal/auth"
	"fyr/internal/fyrtest"
)

// userRouteCases are the authorisation cases of the account routes this
// file's page added to the API (change, enable).
func userRouteCases() map[string]routeCase {
	admins := []auth.Role{auth.Admin}
	account := func(t *testing.T, env *fyrtest.Env, admin string, disabled bool) string {
		name := fresh()
		if code := env.Do(admin, "POST", "/api/v1/users", map[string]any{"username": name, "name": "N", "role": "viewer", "password": "a-long-password-1"}, nil); code != 201 {
			t.Fatalf("create user: %d", code)
		}
		if disabled {
			if code := env.Do(admin, "POST", "/api/v1/users/"+name+"/disable", nil, nil); code != 200 {
				t.Fatalf("disable user: %d", code)
			}
		}
		return "/api/v1/users/" + name
	}
	return map[string]routeCase{
		"POST /api/v1/users/{username}": {admins, 200, func(t *testing.T, env *fyrtest.Env, admin string) (string, any) {
			return account(t, env, admin, false), map[string]any{"role": "staff", "function": "TiB"}
		}},
		"POST /api/v1/users/{username}/enable": {admins, 200, func(t *testing.T, env *fyrtest.Env, admin string) (string, any) {
			return account(t, env, admin, true) + "/enable", nil
		}},
	}
}

// checkUserPagesEveryRole is the page half of the every-route × every-role
// test for /users: the admin is served, every other role gets 403 (from
// the service), and no login goes to the login page (GET) or 401 (POST).
func checkUserPagesEveryRole(t *testing.T, env *fyrtest.Env, tokens map[auth.Role]string) {
	t.Helper()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	do := func(token, method, path string, form url.Values) int {
		req, _ := http.NewRequest(method, env.URL+path, strings.NewReader(form.Encode()))
		if method == "POST" {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	// Each case makes its own account, so that one role's success does not
	// change what the next role meets.
	type pageCase struct {
		method, route string
		ok            int
		request       func() (string, url.Values)
	}
	account := func(disabled bool) string {
		name := fresh()
		admin := tokens[auth.Admin]
		if code := env.Do(admin, "POST", "/api/v1/users", map[string]any{"username": name, "name": "N", "role": "viewer", "password": "a-long-password-1"}, nil); code != 201 {
			t.Fatalf("create user: %d", code)
		}
		if disabled {
			env.Do(admin, "POST", "/api/v1/users/"+name+"/disable", nil, nil)
		}
		return "/users/" + name
	}
	cases := []pageCase{
		{"GET", "/users", 200, func() (string, url.Values) { return "/users", nil }},
		{"POST", "/users", 303, func() (string, url.Values) {
			return "/users", url.Values{"username": {fresh()}, "name": {"N"}, "role": {"viewer"}, "password": {"a-long-password-1"}}
		}},
		{"GET", "/users/{username}", 200, func() (string, url.Values) { return account(false), nil }},
		{"POST", "/users/{username}", 303, func() (string, url.Values) { return account(false), url.Values{"role": {"staff"}} }},
		{"POST", "/users/{username}/disable", 303, func() (string, url.Values) { return account(false) + "/disable", nil }},
		{"POST", "/users/{username}/enable", 303, func() (string, url.Values) { return account(true) + "/enable", nil }},
		{"POST", "/users/{username}/password", 303, func() (string, url.Values) {
			return account(false) + "/password", url.Values{"password": {"another-password-2"}}
		}},
	}
	for _, c := range cases {
		for _, role := range auth.Roles {
			path, form := c.request()
			want := 403
			if role == auth.Admin {
				want = c.ok
			}
			if got := do(tokens[role], c.method, path, form); got != want {
				t.Errorf("page %s %s as %s: status %d, want %d", c.method, c.route, role, got, want)
			}
		}
		path, form := c.request()
		want := 401
		if c.method == "GET" {
			want = 303 // to the login page
		}
		if got := do("", c.method, path, form); got != want {
			t.Errorf("page %s %s without a login: status %d, want %d", c.method, c.route, got, want)
		}
	}
}

// The account commands refuse what would lock the administrators out, and
// what the directory does not know.
func TestChangeUserRefusals(t *testing.T) {
	t.Parallel()
	env := fyrtest.Start(t)
	admin := env.Token(auth.Admin)
	var e fyrtest.APIError
	for _, c := range []struct {
		path  string
		body  any
		code  int
		field string
	}{
		{"/api/v1/users/admin", map[string]any{"role": "staff"}, 409, ""},
		{"/api/v1/users/admin/disable", nil, 409, ""},
		{"/api/v1/users/staff", map[string]any{"role": "boss"}, 400, "role"},
		{"/api/v1/users/staff", map[string]any{"role": "unit"}, 400, "unit"},
		{"/api/v1/users/staff", map[string]any{"role": "unit", "unit": "nowhere"}, 400, "unit"},
		{"/api/v1/users/nobody", map[string]any{"role": "staff"}, 404, ""},
		{"/api/v1/users/staff/enable", nil, 409, ""},
		{"/api/v1/users", map[string]any{"username": "ward9", "name": "N", "role": "unit", "password": "a-long-password-1"}, 400, "unit"},
	} {
		e = fyrtest.APIError{}
		before := env.Svc.Seq()
		if got := env.Do(admin, "POST", c.path, c.body, &e); got != c.code || e.Error.Field != c.field {
			t.Errorf("POST %s %v: %d field %q, want %d field %q (%s)", c.path, c.body, got, e.Error.Field, c.code, c.field, e.Error.Message)
		}
		if env.Svc.Seq() != before {
			t.Errorf("POST %s was refused but wrote", c.path)
		}
	}
	// With a second admin the first may step down; its session sees the
	// new role at once.
	if code := env.Do(admin, "POST", "/api/v1/users/staff", map[string]any{"role": "admin"}, nil); code != 200 {
		t.Fatalf("make staff admin: %d", code)
	}
	if code := env.Do(admin, "POST", "/api/v1/users/admin", map[string]any{"role": "viewer"}, nil); code != 200 {
		t.Fatalf("the first admin steps down: %d", code)
	}
	if code := env.Do(admin, "GET", "/api/v1/users", nil, nil); code != 403 {
		t.Errorf("the former admin's session still manages users: %d", code)
	}
	users := env.Svc.P.Users.List()
	if i := slices.IndexFunc(users, func(u auth.User) bool { return u.Username == "staff" }); users[i].Role != auth.Admin {
		t.Errorf("staff's role: %s", users[i].Role)
	}
}
