package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"fyr/internal/app"
	"fyr/internal/auth"
	"fyr/internal/fyrtest"
	"fyr/internal/incident"
)

// An online export verifies as a file, restores into a new data directory,
// and the restored log verifies and serves the same journal.
func TestExportVerifyRestore(t *testing.T) {
	t.Parallel()
	env := fyrtest.Start(t)
	staff := env.Token(auth.Staff)
	var inc struct{ ID string }
	env.Do(staff, "POST", "/api/v1/incidents", map[string]any{"title": "Reservkraft", "scope": "region", "level": "staff"}, &inc)
	for _, text := range []string{"Elavbrott på CS", "Reservkraft igång"} {
		env.Do(staff, "POST", "/api/v1/incidents/"+inc.ID+"/journal", map[string]any{"kind": "info_in", "text": text}, nil)
	}
	req, _ := http.NewRequest("GET", env.URL+"/api/v1/export", nil)
	req.Header.Set("Authorization", "Bearer "+env.Token(auth.Admin))
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("export: %v %v", err, resp)
	}
	backup, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	events := bytes.Count(backup, []byte("\n"))
	file := filepath.Join(t.TempDir(), "backup.jsonl")
	os.WriteFile(file, backup, 0o600)

	code, out, _ := runCLI(t, nil, "verify", "--file", file)
	if code != 0 || !strings.Contains(out, "OK: ") {
		t.Fatalf("verify --file: %d %s", code, out)
	}
	dir := filepath.Join(t.TempDir(), "restored")
	if code, out, stderr := runCLI(t, nil, "restore", "--file", file, "--data", dir); code != 0 {
		t.Fatalf("restore: %d %s %s", code, out, stderr)
	}
	if code, out, _ := runCLI(t, nil, "verify", "--data", dir); code != 0 || !strings.Contains(out, "OK: "+strconv.Itoa(events)+" events") {
		t.Fatalf("verify restored dir: %d %s (want %d events)", code, out, events)
	}
	if code, _, stderr := runCLI(t, nil, "restore", "--file", file, "--data", dir); code == 0 || !strings.Contains(stderr, "already holds") {
		t.Fatalf("restore over an existing log: %d %s", code, stderr)
	}
	svc, err := app.Open(context.Background(), app.Config{Dir: dir, Org: fyrtest.Org})
	if err != nil {
		t.Fatal(err)
	}
	defer svc.Close()
	<-svc.Ready()
	entries, err := svc.P.Incidents.Journal(incident.ID(inc.ID), incident.Query{})
	if err != nil || len(entries) != 4 || entries[3].Text != "Reservkraft igång" {
		t.Fatalf("restored journal: %v, %d entries", err, len(entries))
	}

	// A backup altered after the export fails verification, naming the line,
	// and is never restored.
	bad := bytes.Replace(backup, []byte("Elavbrott"), []byte("Elavbrutt"), 1)
	badFile := filepath.Join(t.TempDir(), "bad.jsonl")
	os.WriteFile(badFile, bad, 0o600)
	code, out, _ = runCLI(t, nil, "verify", "--file", badFile)
	line := bytes.Count(bad[:bytes.Index(bad, []byte("Elavbrutt"))], []byte("\n")) + 1
	if code != 3 || !strings.Contains(out, "seq "+strconv.Itoa(line)) || !strings.Contains(out, "content altered") {
		t.Fatalf("verify altered backup: %d %s (want line %d named)", code, out, line)
	}
	if code, _, _ := runCLI(t, nil, "restore", "--file", badFile, "--data", filepath.Join(t.TempDir(), "x")); code == 0 {
		t.Fatal("an altered backup was restored")
	}
}
