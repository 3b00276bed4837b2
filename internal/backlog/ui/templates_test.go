package ui

import (
	"io/fs"
	"regexp"
	"testing"

	"fyr/internal/backlog"
	"fyr/internal/web"
)

// Every UI string the backlog's templates ask for exists in both
// languages, the kinds' and the fields' names too (built in the template).
func TestEveryBacklogKeyIsTranslated(t *testing.T) {
	keyRe := regexp.MustCompile(`\bt \$?\.?[A-Za-z]* *"([a-z0-9_.]+)"`)
	files, _ := fs.Glob(templates, "templates/*.html")
	var keys []string
	for _, f := range files {
		b, _ := fs.ReadFile(templates, f)
		for _, m := range keyRe.FindAllSubmatch(b, -1) {
			keys = append(keys, string(m[1]))
		}
	}
	if len(keys) < 30 {
		t.Fatalf("found only %d keys: the pattern no longer matches the templates", len(keys))
	}
	for _, k := range backlog.Kinds {
		keys = append(keys, "backlog.kind."+string(k))
	}
	for _, f := range []string{"incident", "unit", "system", "kind", "count", "occurred_at", "note", "form", "token"} {
		keys = append(keys, "backlog.field."+f)
	}
	for _, k := range keys {
		if web.T(web.Swedish, k) == k || web.T(web.English, k) == k {
			t.Errorf("%q is not translated", k)
		}
	}
}
