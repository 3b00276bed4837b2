// Package fyrtest holds the test helpers every package shares: a real
// service on an embedded JetStream log in a temporary directory, served over
// real HTTP, with one account per role.
package fyrtest

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"fyr/internal/app"
	"fyr/internal/pages"

	"golang.org/x/crypto/argon2"

	"fyr/internal/auth"
	"fyr/internal/directory"
	"fyr/internal/store"
	"fyr/internal/web"
)

// Password is the password of every test account.
const Password = "test-password-123"

// Org is the test organisation.
const Org = "test"

// Hospital is the id of the test hospital (a scope besides the region).
const Hospital = "sjukhus"

// Env is a running Fyr: service, HTTP server and one account per role,
// named after the role ("admin", "staff", "unit", "viewer").
type Env struct {
	T   testing.TB
	Dir string
	Svc *app.App
	Web *web.Server
	URL string
}

// Start runs a service on an in-memory log (store.Mem, which passes the
// same conformance suite as JetStream) and serves it; both stop with the
// test. Tests of durability, restarts and a full disk use StartIn.
func Start(t testing.TB) *Env {
	t.Helper()
	return StartWith(t, app.Config{Dir: t.TempDir(), Log: store.NewMem()})
}

// StartIn runs the service on the JetStream log in dir (to restart on the
// same log).
func StartIn(t testing.TB, dir string) *Env {
	t.Helper()
	return StartWith(t, app.Config{Dir: dir})
}

// StartWith is StartIn with more of the service's configuration.
func StartWith(t testing.TB, cfg app.Config) *Env {
	t.Helper()
	ctx := context.Background()
	dir := cfg.Dir
	cfg.Org = Org
	svc, err := app.Open(ctx, cfg)
	if err != nil {
		t.Fatalf("open service: %v", err)
	}
	if svc.Auth.Empty() {
		seed(t, svc)
	}
	srv, err := web.New(svc, nil, pages.Modules(svc)...)
	if err != nil {
		t.Fatalf("web: %v", err)
	}
	hs := httptest.NewServer(srv)
	t.Cleanup(func() {
		hs.CloseClientConnections()
		hs.Close()
		svc.Close()
	})
	return &Env{T: t, Dir: dir, Svc: svc, Web: srv, URL: hs.URL}
}

func seed(t testing.TB, svc *app.App) {
	ctx := context.Background()
	for _, u := range []directory.Unit{
		{ID: "region", Name: "Testregionen", Type: directory.Region},
		{ID: Hospital, Name: "Testsjukhuset", Type: directory.Hospital, Parent: "region"},
		{ID: "avd1", Name: "Avdelning 1", Type: directory.Ward, Parent: Hospital},
	} {
		if err := svc.Directory.AddUnit(ctx, "test", u); err != nil {
			t.Fatalf("seed unit: %v", err)
		}
	}
	if err := svc.Directory.AddPerson(ctx, "test", directory.Person{ID: "p1", Name: "Anna Test", Unit: "avd1", Function: "Avdelningschef",
		Mobile: "+46701740605", Email: "anna@test.example"}); err != nil {
		t.Fatalf("seed person: %v", err)
	}
	hash := Hash(Password)
	for _, r := range auth.Roles {
		unit := ""
		if r == auth.Unit {
			unit = "avd1" // the unit account answers for Avdelning 1
		}
		if _, err := svc.Auth.AddUser(ctx, nil, auth.AddUser{Username: string(r), Name: "Test " + string(r), Role: r,
			Function: "Funktion " + string(r), Unit: unit, Hash: hash}); err != nil {
			t.Fatalf("seed user: %v", err)
		}
	}
}

// Hash is the stored form of a test account's password: argon2id in the
// format auth.HashPassword writes, but with the least work auth.CheckPassword
// accepts. The real parameters (64 MiB) cost about two seconds a check under
// -race, and the tests log in hundreds of times; what the tests check is who
// may log in, not the cost of the hash.
func Hash(password string) string {
	const mem, iter, threads, keyLen = 8, 1, 1, 32 // KiB, passes, lanes, bytes
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		panic(err) // crypto/rand never fails on Linux
	}
	key := argon2.IDKey([]byte(password), salt, iter, mem, threads, keyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, mem, iter, threads,
		b64.EncodeToString(salt), b64.EncodeToString(key))
}

// Principal returns the caller for a role's test account without logging in.
func (e *Env) Principal(role auth.Role) auth.Principal {
	u, ok := e.Svc.Auth.User(string(role))
	if !ok {
		e.T.Fatalf("no test account %q", role)
	}
	return auth.Principal{Username: u.Username, Name: u.Name, Role: u.Role, Function: u.Function}
}

// Token logs in over the API and returns a bearer token.
func (e *Env) Token(role auth.Role) string {
	e.T.Helper()
	var out struct{ Token string }
	code := e.Do("", "POST", "/api/v1/login", map[string]string{"username": string(role), "password": Password}, &out)
	if code != 200 || out.Token == "" {
		e.T.Fatalf("login as %s: status %d", role, code)
	}
	return out.Token
}

// Raw is a request body Do sends as it is, e.g. a CSV file.
type Raw struct {
	ContentType string
	Body        []byte
}

// Do sends a JSON request (body nil for none; a Raw body as it is) with a bearer token ("" for
// none), decodes the response into out (when not nil) and returns the status.
func (e *Env) Do(token, method, path string, body, out any) int {
	e.T.Helper()
	var rd io.Reader
	ctype := "application/json"
	if raw, ok := body.(Raw); ok {
		rd, ctype = bytes.NewReader(raw.Body), raw.ContentType
	} else if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			e.T.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, e.URL+path, rd)
	if err != nil {
		e.T.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", ctype)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.T.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if out != nil && len(data) > 0 {
		if err := json.Unmarshal(data, out); err != nil {
			e.T.Fatalf("%s %s: decode %q: %v", method, path, data, err)
		}
	}
	return resp.StatusCode
}

// APIError is the error body of the API.
type APIError struct {
	Error struct {
		Code    string `json:"code"`
		Field   string `json:"field"`
		Message string `json:"message"`
	} `json:"error"`
}
