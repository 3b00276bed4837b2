package ui

import (
	"io/fs"
	"regexp"
	"testing"

	"fyr/internal/web"
)

// Every UI string the situation pages' templates ask for exists in both
// languages (in this module's catalogue or the shell's): a missing key
// would show its name to a user.
func TestEveryTemplateKeyIsTranslated(t *testing.T) {
	keyRe := regexp.MustCompile(`\bt \$?\.?[A-Za-z]* *"([a-z0-9_.]+)"`)
	tmpl := (&Module{}).Templates()
	files, err := fs.Glob(tmpl, "templates/*.html")
	if err != nil || len(files) != 4 {
		t.Fatalf("templates: %v %v", files, err)
	}
	seen := 0
	for _, f := range files {
		b, _ := fs.ReadFile(tmpl, f)
		for _, m := range keyRe.FindAllSubmatch(b, -1) {
			seen++
			key := string(m[1])
			for _, l := range []web.Lang{web.Swedish, web.English} {
				if tr := web.T(l, key); tr == key || tr == "" {
					t.Errorf("%s asks for %q, which is not translated (%v)", f, key, l)
				}
			}
		}
	}
	if seen < 50 {
		t.Fatalf("found only %d keys: the pattern no longer matches the templates", seen)
	}
}
