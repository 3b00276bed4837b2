package main

import (
	"compress/gzip"
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"

	"fyr/internal/app"
	"fyr/internal/auth"
	"fyr/internal/incident"
)

// A log written before the capabilities moved into their own folders
// (issue 10) still restores, verifies and opens, with the same state, and
// takes new events on its chain. testdata/log-before-issue10.jsonl.gz is the
// online export of `fyr serve --demo` at commit bb55d1d (the demo's
// exercise: incidents, levels, journal, a round with 42 reports, dispatches
// with 314 escalations and 42 receipts, a published picture) after the CLI
// disabled, enabled, re-passworded and changed an account and a user logged
// out: 1,062 events of 22 types.
func TestALogFromBeforeTheRestructuringOpens(t *testing.T) {
	t.Parallel()
	file := filepath.Join(t.TempDir(), "old.jsonl")
	gz, err := os.Open("testdata/log-before-issue10.jsonl.gz")
	if err != nil {
		t.Fatal(err)
	}
	defer gz.Close()
	zr, err := gzip.NewReader(gz)
	if err != nil {
		t.Fatal(err)
	}
	out, err := os.Create(file)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, zr); err != nil {
		t.Fatal(err)
	}
	out.Close()

	dir := filepath.Join(t.TempDir(), "restored")
	if code, stdout, stderr := runCLI(t, nil, "restore", "--file", file, "--data", dir); code != 0 {
		t.Fatalf("restore: %d %s %s", code, stdout, stderr)
	}
	if code, stdout, stderr := runCLI(t, nil, "verify", "--data", dir); code != 0 {
		t.Fatalf("verify: %d %s %s", code, stdout, stderr)
	}

	ctx := context.Background()
	svc, err := app.Open(ctx, app.Config{Dir: dir, DefaultOrg: "region"})
	if err != nil {
		t.Fatalf("open the old log: %v", err)
	}
	closed := false
	defer func() {
		if !closed {
			svc.Close()
		}
	}()
	admin := auth.Principal{Username: "admin", Name: "Alva Admin", Role: auth.Admin}
	incs, err := svc.Incidents.List(admin)
	if err != nil || len(incs) != 2 {
		t.Fatalf("incidents: %d, %v; want the demo's 2", len(incs), err)
	}
	users, err := svc.Auth.Users(&admin)
	if err != nil || len(users) != 7 {
		t.Fatalf("accounts: %d, %v; want the demo's 7", len(users), err)
	}
	if u, _ := svc.Auth.User("observator"); u.Disabled || u.Function != "Observatör" {
		t.Errorf("the account the CLI changed: %+v", u)
	}
	if _, _, err := svc.Auth.Login(ctx, "observator", "another-long-password-9", "127.0.0.1"); err != nil {
		t.Errorf("the password the CLI set does not log in: %v", err)
	}
	// The chain goes on from the old head.
	var open incident.Incident
	for _, inc := range incs {
		if inc.ClosedAt.IsZero() {
			open = inc
		}
	}
	staff := auth.Principal{Username: "tib", Name: "Tove Isaksson", Role: auth.Staff}
	if _, err := svc.Incidents.Record(ctx, staff, incident.Record{Incident: open.ID, Kind: incident.InfoIn,
		Text: "Efter omläggningen", From: "Test"}); err != nil {
		t.Fatalf("record on the old log: %v", err)
	}
	svc.Close()
	closed = true
	if code, stdout, stderr := runCLI(t, nil, "verify", "--data", dir); code != 0 {
		t.Fatalf("verify after a new event: %d %s %s", code, stdout, stderr)
	}
}
