package backlog_test

import (
	"go/parser"
	"go/token"
	"os"
	"strconv"
	"strings"
	"testing"
)

// Package backlog takes what it needs of the other capabilities through
// the interfaces it declares (needs.go): of the others it imports only
// incident, for the incident's id and a point in time, and auth, for the
// caller.
func TestTakesNoOtherCapabilitysState(t *testing.T) {
	banned := []string{"fyr/internal/app", "fyr/internal/continuity", "fyr/internal/directory", "fyr/internal/dispatch",
		"fyr/internal/situation", "fyr/internal/web"}
	files, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, f := range files {
		if !strings.HasSuffix(f.Name(), ".go") || strings.HasSuffix(f.Name(), "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, f.Name(), nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range file.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			for _, b := range banned {
				if path == b || strings.HasPrefix(path, b+"/") {
					t.Errorf("%s imports %s: declare what it needs as an interface in needs.go", f.Name(), path)
				}
			}
		}
	}
}
