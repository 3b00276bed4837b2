package situation_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"strings"
	"testing"
)

// Package situation takes what it needs of the other capabilities through
// the interfaces it declares (needs.go), never their state types: the
// models app owns stay app's to wire.
func TestTakesNoOtherCapabilitysState(t *testing.T) {
	banned := map[string]bool{"dispatch.Book": true, "incident.Facts": true, "incident.View": true,
		"directory.Directory": true, "auth.Users": true, "app.Facts": true, "app.Projection": true}
	files, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, f := range files {
		if !strings.HasSuffix(f.Name(), ".go") || strings.HasSuffix(f.Name(), "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, f.Name(), nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			sel, ok := n.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			if x, ok := sel.X.(*ast.Ident); ok && banned[x.Name+"."+sel.Sel.Name] {
				t.Errorf("%s: uses %s.%s; declare what it needs as an interface in needs.go", fset.Position(sel.Pos()), x.Name, sel.Sel.Name)
			}
			return true
		})
	}
}
