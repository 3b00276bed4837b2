package web

import (
	"io/fs"
	"regexp"
	"testing"
)

// Every UI string a template asks for exists in both languages: a missing
// key would show its name to a user.
func TestEveryTemplateKeyIsTranslated(t *testing.T) {
	t.Parallel()
	keyRe := regexp.MustCompile(`\bt \$?\.?[A-Za-z]* *"([a-z0-9_.]+)"`)
	files, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil || len(files) == 0 {
		t.Fatalf("templates: %v", err)
	}
	seen := 0
	for _, f := range files {
		b, _ := fs.ReadFile(templateFS, f)
		for _, m := range keyRe.FindAllSubmatch(b, -1) {
			seen++
			key := string(m[1])
			if tr, ok := messages[key]; !ok || tr[0] == "" || tr[1] == "" {
				t.Errorf("%s asks for %q, which is not translated", f, key)
			}
		}
	}
	if seen < 25 { // the shell's own templates (layout, errors); the modules test theirs
		t.Fatalf("found only %d keys: the pattern no longer matches the templates", seen)
	}
}
