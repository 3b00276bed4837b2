package web_test

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"fyr/internal/fyrtest"
)

// redocly finds the Redocly CLI that scripts/test.sh installs into the
// repository's .cache (or one on PATH). A missing tool fails the test:
// the lint is part of the suite, not an optional extra.
func redocly(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			bin := filepath.Join(d, ".cache", "redocly", "node_modules", ".bin", "redocly")
			if _, err := os.Stat(bin); err == nil {
				return bin
			}
			break
		}
		if filepath.Dir(d) == d {
			break
		}
	}
	if bin, err := exec.LookPath("redocly"); err == nil {
		return bin
	}
	t.Fatal("Redocly CLI not found: run scripts/test.sh, or npm install --prefix .cache/redocly @redocly/cli@2.77.0 at the repository root")
	return ""
}

// The served OpenAPI document passes `redocly lint` with the recommended
// rules: no error and no warning.
func TestOpenAPILintsClean(t *testing.T) {
	bin := redocly(t)
	env := fyrtest.Start(t)
	resp, err := http.Get(env.URL + "/api/v1/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("openapi.json: %d %v", resp.StatusCode, err)
	}
	// Every operation, parameter and field says in a line what it is.
	var parsed struct {
		Paths      map[string]map[string]map[string]any `json:"paths"`
		Components struct {
			Schemas map[string]struct {
				Properties map[string]map[string]any `json:"properties"`
			} `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(doc, &parsed); err != nil {
		t.Fatal(err)
	}
	for path, ops := range parsed.Paths {
		for method, op := range ops {
			if op["summary"] == "" || op["description"] == nil {
				t.Errorf("%s %s has no summary or description", method, path)
			}
			params, _ := op["parameters"].([]any)
			for _, p := range params {
				if p.(map[string]any)["description"] == nil {
					t.Errorf("%s %s: parameter %v has no description", method, path, p.(map[string]any)["name"])
				}
			}
		}
	}
	for name, s := range parsed.Components.Schemas {
		for field, p := range s.Properties {
			if d, _ := p["description"].(string); d == "" || strings.Contains(d, "\n") {
				t.Errorf("schema %s: field %s has no one-line description", name, field)
			}
		}
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "openapi.json")
	if err := os.WriteFile(file, doc, 0o644); err != nil {
		t.Fatal(err)
	}
	config := filepath.Join(dir, "redocly.yaml")
	if err := os.WriteFile(config, []byte("extends:\n  - recommended\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "lint", "--config", config, "--format", "json", file)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "REDOCLY_TELEMETRY=off", "REDOCLY_SUPPRESS_UPDATE_NOTICE=true", "NO_UPDATE_NOTIFIER=1")
	out, err := cmd.Output()
	var report struct {
		Totals struct {
			Errors   int `json:"errors"`
			Warnings int `json:"warnings"`
		} `json:"totals"`
		Problems []struct {
			RuleID   string `json:"ruleId"`
			Severity string `json:"severity"`
			Message  string `json:"message"`
			Location []struct {
				Pointer string `json:"pointer"`
			} `json:"location"`
		} `json:"problems"`
	}
	if jerr := json.Unmarshal(out, &report); jerr != nil {
		t.Fatalf("redocly lint: %v (%v)\n%s", err, jerr, out)
	}
	for _, p := range report.Problems {
		var at []string
		for _, l := range p.Location {
			at = append(at, l.Pointer)
		}
		t.Errorf("%s %s: %s at %s", p.Severity, p.RuleID, p.Message, strings.Join(at, ", "))
	}
	if report.Totals.Errors+report.Totals.Warnings != 0 || err != nil {
		t.Fatalf("redocly lint: %d errors, %d warnings (%v)", report.Totals.Errors, report.Totals.Warnings, err)
	}
}
