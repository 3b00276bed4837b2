package web

import (
	"html/template"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"
)

// funcModule is a module that brings a template function.
type funcModule struct{ name string }

func (funcModule) Templates() fs.FS { return fstest.MapFS{} }
func (funcModule) Mount(*Server)    {}
func (m funcModule) Funcs() template.FuncMap {
	return template.FuncMap{m.name: func() string { return m.name }}
}

// A module's template function joins the shell's; two with one name (the
// shell's or another module's) are refused at start, not silently replaced.
func TestModuleFuncsAreAddedAndADuplicateIsRefused(t *testing.T) {
	t.Parallel()
	s := &Server{}
	funcs := s.funcs()
	if err := moduleFuncs(funcs, []Module{funcModule{"mine"}}); err != nil || funcs["mine"] == nil {
		t.Fatalf("a module's function: %v", err)
	}
	if err := moduleFuncs(s.funcs(), []Module{funcModule{"mine"}, funcModule{"mine"}}); err == nil || !strings.Contains(err.Error(), `"mine"`) {
		t.Errorf("two modules with one name: %v", err)
	}
	if err := moduleFuncs(s.funcs(), []Module{funcModule{"t"}}); err == nil || !strings.Contains(err.Error(), `"t"`) {
		t.Errorf("a module with the shell's name: %v", err)
	}
}

// A start setting reaches every module that registered for it; one that no
// module takes is a wiring mistake that stops the program.
func TestConfigureHandsTheSettingToItsModules(t *testing.T) {
	t.Parallel()
	s := &Server{}
	var got []any
	s.OnConfig("hook-key", func(v any) { got = append(got, v) })
	s.OnConfig("hook-key", func(v any) { got = append(got, v) })
	s.Configure("hook-key", "k")
	if len(got) != 2 || got[0] != "k" || got[1] != "k" {
		t.Fatalf("got %v", got)
	}
	defer func() {
		if r := recover(); r == nil || !strings.Contains(r.(string), "nobody") {
			t.Fatalf("an unknown setting: %v", r)
		}
	}()
	s.Configure("nobody", 1)
}
