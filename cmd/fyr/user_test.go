package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// runCLI runs the command in this process, with env set for the test. A
// test that passes env is serial (t.Setenv refuses a parallel test); one that
// passes nil may be parallel, as the serial tests, and their environment,
// are over before the parallel ones start.
func runCLI(t *testing.T, env []string, args ...string) (int, string, string) {
	t.Helper()
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}
	var out, errOut bytes.Buffer
	code := run(context.Background(), args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestUserCommands(t *testing.T) {
	dir := t.TempDir()
	pw := []string{"FYR_PASSWORD=ett-langt-losenord"}
	if code, _, stderr := runCLI(t, pw, "user", "add", "--data", dir, "--username", "tib", "--name", "Tove Isaksson", "--role", "staff", "--function", "TiB"); code != 0 {
		t.Fatalf("add: %d %s", code, stderr)
	}
	code, _, stderr := runCLI(t, pw, "user", "add", "--data", dir, "--username", "tib", "--name", "Igen", "--role", "staff")
	if code == 0 || !strings.Contains(stderr, "--username") {
		t.Fatalf("duplicate add: %d %q; want an error naming --username", code, stderr)
	}
	code, _, stderr = runCLI(t, pw, "user", "add", "--data", dir, "--username", "x1", "--name", "X", "--role", "king")
	if code == 0 || !strings.Contains(stderr, "--role") {
		t.Fatalf("bad role: %d %q", code, stderr)
	}
	code, _, stderr = runCLI(t, []string{"FYR_PASSWORD=kort"}, "user", "add", "--data", dir, "--username", "x2", "--name", "X", "--role", "viewer")
	if code == 0 || !strings.Contains(stderr, "FYR_PASSWORD") {
		t.Fatalf("short password: %d %q", code, stderr)
	}
	if code, _, stderr := runCLI(t, []string{"FYR_PASSWORD=ett-annat-losenord"}, "user", "passwd", "--data", dir, "--username", "tib"); code != 0 {
		t.Fatalf("passwd: %d %s", code, stderr)
	}
	if code, _, stderr := runCLI(t, nil, "user", "disable", "--data", dir, "--username", "tib"); code != 0 {
		t.Fatalf("disable: %d %s", code, stderr)
	}
	code, out, _ := runCLI(t, nil, "user", "list", "--data", dir)
	if code != 0 || !strings.Contains(out, "tib") || !strings.Contains(out, "disabled") || strings.Contains(out, "x1") {
		t.Fatalf("list: %d\n%s", code, out)
	}
	// Enable again and change the role: the same service calls as the
	// page /users and the API.
	if code, _, stderr := runCLI(t, nil, "user", "enable", "--data", dir, "--username", "tib"); code != 0 {
		t.Fatalf("enable: %d %s", code, stderr)
	}
	if code, _, stderr := runCLI(t, nil, "user", "change", "--data", dir, "--username", "tib", "--role", "unit"); code == 0 || !strings.Contains(stderr, "--unit") {
		t.Fatalf("a unit account without its unit: %d %q; want an error naming --unit", code, stderr)
	}
	if code, out, stderr := runCLI(t, nil, "user", "change", "--data", dir, "--username", "tib", "--role", "viewer", "--function", "Observatör"); code != 0 || !strings.Contains(out, "changed tib (viewer)") {
		t.Fatalf("change: %d %s %s", code, out, stderr)
	}
	code, out, _ = runCLI(t, nil, "user", "list", "--data", dir)
	if code != 0 || !strings.Contains(out, "viewer") || strings.Contains(out, "disabled") {
		t.Fatalf("list after enable and change: %d\n%s", code, out)
	}
	if code, out, _ := runCLI(t, nil, "verify", "--data", dir); code != 0 || !strings.Contains(out, "OK: 5 events") {
		t.Fatalf("verify after user commands: %d %s", code, out)
	}
}
