package web

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"fyr/internal/auth"
	"fyr/internal/directory"
	"fyr/internal/fail"
	"fyr/internal/incident"
	"fyr/internal/situation"
)

// serviceTexts finds, with go/ast over the whole repository (tests left
// out), every constant text a service error or an import problem can carry:
// the format of fail.New, fail.Field, fail.Errorf, fail.Problemf and of every
// function that passes its own (format string, args ...any) on, and the
// literal Message of a fail.Error or fail.Problem built by hand. It also
// reports the places whose format is not a constant: those cannot be
// translated.
func serviceTexts(t *testing.T) (texts map[string][]string, bad []string) {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	var files []*ast.File
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if n := d.Name(); n == "testdata" || n == "vendor" || (strings.HasPrefix(n, ".") && path != root) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		files = append(files, f)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// The formatters: fail's own, and every function declared with a
	// trailing (format string, args ...any) (a wrapper that passes it on).
	// Wrappers declared as closures count in their own file only.
	type formatter struct{ index int }
	global := map[string]formatter{"New": {1}, "Field": {1}, "Errorf": {0}, "Problemf": {1}}
	failOnly := map[string]bool{"New": true, "Field": true, "Errorf": true, "Problemf": true}
	formatIndex := func(ft *ast.FuncType) (int, bool) {
		var names []string
		var types []ast.Expr
		for _, p := range ft.Params.List {
			for _, n := range p.Names {
				names = append(names, n.Name)
				types = append(types, p.Type)
			}
		}
		k := len(names)
		if k < 2 || names[k-2] != "format" {
			return 0, false
		}
		if _, ok := types[k-1].(*ast.Ellipsis); !ok {
			return 0, false
		}
		return k - 2, true
	}
	for _, f := range files {
		if f.Name.Name == "fail" {
			continue
		}
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok {
				if i, ok := formatIndex(fd.Type); ok && fd.Recv == nil {
					global[fd.Name.Name] = formatter{i}
				}
			}
		}
	}
	texts = map[string][]string{}
	for _, f := range files {
		local := map[string]formatter{}
		ast.Inspect(f, func(n ast.Node) bool {
			if as, ok := n.(*ast.AssignStmt); ok && len(as.Lhs) == 1 && len(as.Rhs) == 1 {
				if fl, ok := as.Rhs[0].(*ast.FuncLit); ok {
					if id, ok := as.Lhs[0].(*ast.Ident); ok {
						if i, ok := formatIndex(fl.Type); ok {
							local[id.Name] = formatter{i}
						}
					}
				}
			}
			return true
		})
		inFail := f.Name.Name == "fail"
		isFailType := func(e ast.Expr) bool {
			if sel, ok := e.(*ast.SelectorExpr); ok {
				if x, ok := sel.X.(*ast.Ident); ok && x.Name == "fail" {
					return sel.Sel.Name == "Error" || sel.Sel.Name == "Problem"
				}
			}
			if id, ok := e.(*ast.Ident); ok && inFail {
				return id.Name == "Error" || id.Name == "Problem"
			}
			return false
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CallExpr:
				var name string
				var fm formatter
				var ok bool
				switch fn := n.Fun.(type) {
				case *ast.SelectorExpr:
					if x, isID := fn.X.(*ast.Ident); isID && x.Name == "fail" {
						name = fn.Sel.Name
						fm, ok = global[name]
						ok = ok && failOnly[name]
					} else if x, isID := fn.X.(*ast.Ident); isID && x.Name != "fmt" && x.Name != "log" && x.Name != "slog" && x.Name != "t" {
						name = fn.Sel.Name
						fm, ok = global[name]
						ok = ok && !failOnly[name]
					}
				case *ast.Ident:
					name = fn.Name
					if fm, ok = local[name]; !ok {
						fm, ok = global[name]
						ok = ok && (inFail || !failOnly[name])
					}
				}
				if !ok || len(n.Args) <= fm.index {
					return true
				}
				at := fset.Position(n.Pos())
				where := fmt.Sprintf("%s:%d", relPath(root, at.Filename), at.Line)
				switch a := n.Args[fm.index].(type) {
				case *ast.BasicLit:
					if s, err := strconv.Unquote(a.Value); err == nil && a.Kind == token.STRING {
						texts[s] = append(texts[s], where)
						return true
					}
				case *ast.Ident:
					if a.Name == "format" {
						return true // a wrapper passing its own format on
					}
				}
				bad = append(bad, fmt.Sprintf("%s: %s(…) with a format that is not a constant literal", where, name))
			case *ast.CompositeLit:
				if !isFailType(n.Type) {
					return true
				}
				for _, el := range n.Elts {
					kv, ok := el.(*ast.KeyValueExpr)
					if !ok {
						continue
					}
					if k, ok := kv.Key.(*ast.Ident); !ok || k.Name != "Message" {
						continue
					}
					at := fset.Position(kv.Pos())
					where := fmt.Sprintf("%s:%d", relPath(root, at.Filename), at.Line)
					switch v := kv.Value.(type) {
					case *ast.BasicLit:
						if s, err := strconv.Unquote(v.Value); err == nil {
							texts[s] = append(texts[s], where)
						}
					case *ast.CallExpr:
						if inFail {
							continue // fail's constructors keep the format beside
						}
						bad = append(bad, where+": a hand-built Message from a call: use fail.New/Field/Problemf so it can be translated")
					}
				}
			}
			return true
		})
	}
	return texts, bad
}

func relPath(root, path string) string {
	if r, err := filepath.Rel(root, path); err == nil {
		return r
	}
	return path
}

// Every text a service error can carry has a Swedish translation with the
// same verbs in the same order, and every format is a constant: a Swedish
// user never meets an English sentence from the service layer.
func TestEveryServiceTextIsTranslated(t *testing.T) {
	t.Parallel()
	texts, bad := serviceTexts(t)
	if len(texts) < 200 {
		t.Fatalf("found only %d texts: the scan no longer finds the calls", len(texts))
	}
	for _, b := range bad {
		t.Error(b)
	}
	var missing []string
	for en, where := range texts {
		sv, ok := errorsSV[en]
		if !ok {
			missing = append(missing, fmt.Sprintf("%q (%s)", en, where[0]))
			continue
		}
		if got, want := verbs(sv), verbs(en); got != want {
			t.Errorf("%q: the Swedish %q has the verbs %s, the English %s", en, sv, got, want)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("%d service texts have no Swedish translation in errorsSV:\n%s", len(missing), strings.Join(missing, "\n"))
	}
	if os.Getenv("FYR_LIST_TEXTS") != "" {
		for _, m := range missing {
			fmt.Println(m)
		}
	}
}

// verbs lists a format's verbs in order ("%q %d").
func verbs(format string) string {
	var out []string
	for i := 0; i < len(format); i++ {
		if format[i] != '%' || i+1 >= len(format) {
			continue
		}
		j := i + 1
		for j < len(format) && strings.IndexByte("+-# 0123456789.", format[j]) >= 0 {
			j++
		}
		if j < len(format) {
			if format[j] != '%' {
				out = append(out, format[i:j+1])
			}
			i = j
		}
	}
	return strings.Join(out, " ")
}

// A translated error reads in Swedish, its codes too, and stays English
// for the API and the English UI.
func TestErrorTextIsTranslated(t *testing.T) {
	t.Parallel()
	err := fail.Field("text", "is %d characters long; at most %d are allowed", 12, 10)
	fe := fail.As(err)
	if got := errText(English, fe); got != "is 12 characters long; at most 10 are allowed" {
		t.Errorf("English: %q", got)
	}
	if got := errText(Swedish, fe); got != "är 12 tecken lång; högst 10 är tillåtna" {
		t.Errorf("Swedish: %q", got)
	}
	if got := errText(Swedish, fail.As(fmt.Errorf("boom"))); got != "internt fel" {
		t.Errorf("internal: %q", got)
	}
}

// Arguments that are codes read as words, nested errors and import
// problems are translated in turn.
func TestErrorArgumentsAreTranslated(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		err    error
		sv, en string
	}{
		{fail.New(fail.Forbidden, "the role %q may not %s", auth.Unit, auth.ReadJournal),
			`rollen "enhet" får inte läsa stabsjournalen`, `the role "unit" may not read journal`},
		{fail.New(fail.Conflict, "version %d is already %s", 3, situation.Published),
			"version 3 är redan publicerad", "version 3 is already published"},
		{fail.Field("scope", "scope %q is already at level %q", "region", incident.Staff),
			`nivån "region" har redan beredskapsläget "stabsläge"`, `scope "region" is already at level "staff"`},
		{importErr(t), `2 fel på en rad; ingenting importerades. Första felet: enheter: rad 2: phone: "07a" är inget telefonnummer: 'a' är varken en siffra eller ett skiljetecken`,
			`2 problems in one row; nothing was imported. First: units: line 2: phone: "07a" is not a phone number: 'a' is neither a digit nor a separator`},
	} {
		fe := fail.As(c.err)
		if got := errText(Swedish, fe); got != c.sv {
			t.Errorf("Swedish:\n got %s\nwant %s", got, c.sv)
		}
		if got := errText(English, fe); got != c.en || fe.Message != c.en {
			t.Errorf("English:\n got %s\nwant %s", got, c.en)
		}
	}
}

// importErr is the error of an import whose one row has two problems.
func importErr(t *testing.T) error {
	_, err := directory.NormalizePhone("07a")
	if err == nil {
		t.Fatal("07a is a phone number")
	}
	return directory.ImportError([]fail.Problem{
		fail.ProblemOf("phone", err).At(directory.FileUnits, 2),
		fail.Problemf("name", "is required").At(directory.FileUnits, 2),
	})
}

func TestChannelNameInRefusal(t *testing.T) {
	t.Parallel()
	fe := fail.As(fail.Field("channel", "%q is not configured", channelName("email")))
	if got := errText(Swedish, fe); got != `"e-post" är inte inställd` {
		t.Errorf("Swedish: %s", got)
	}
	if fe.Message != `"email" is not configured` {
		t.Errorf("English: %s", fe.Message)
	}
}
