package continuity

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"fyr/internal/directory"
	"fyr/internal/event"
	"fyr/internal/fail"
	"fyr/internal/safecsv"
)

// The CSV formats of the registry, read as the directory's imports are:
// the first line is the header, these columns in any order, ',' or ';',
// UTF-8 with or without a byte-order mark.
var (
	// ComponentColumns must be in a components file; ComponentOptional may.
	ComponentColumns  = []string{"id", "kind", "name"}
	ComponentOptional = []string{"owner", "contact_name", "contact_phone", "criticality", "max_outage", "note"}
	// DependencyColumns must be in a dependencies file; an empty group is a
	// group of its own, an empty mode is all.
	DependencyColumns  = []string{"from", "to", "type"}
	DependencyOptional = []string{"group", "mode"}
)

// The files of an import, as problems name them.
const (
	FileComponents   = "components"
	FileDependencies = "dependencies"
)

// ComponentRow is a component read from a line of a file.
type ComponentRow struct {
	Line      int
	Component Component
}

// DependencyRow is a dependency read from a line of a file.
type DependencyRow struct {
	Line       int
	Dependency Dependency
}

// Import is components and dependencies read from CSV, imported all or
// nothing: the dependencies may name the components of the same import.
type Import struct {
	Components   []ComponentRow
	Dependencies []DependencyRow
	// Problems of single rows found while reading, reported by Decide
	// with its own.
	Problems []fail.Problem
}

// ImportSummary says what an import did.
type ImportSummary struct {
	ComponentsAdded   int `json:"components_added"`
	ComponentsUpdated int `json:"components_updated"`
	DependenciesAdded int `json:"dependencies_added"`
	// DependenciesUpdated had the from, to and type of one already there:
	// their group and mode were replaced.
	DependenciesUpdated int `json:"dependencies_updated"`
}

// ParseComponents reads a components file. An error means the file as a
// whole cannot be read (encoding, header, quoting); problems of single rows
// are in the Import.
func ParseComponents(data []byte) (Import, error) {
	var imp Import
	err := directory.ReadCSV(data, FileComponents, ComponentColumns, ComponentOptional, &imp.Problems, func(line int, cell map[string]string) {
		imp.Components = append(imp.Components, ComponentRow{Line: line, Component: Component{ID: cell["id"], Kind: Kind(cell["kind"]),
			Name: cell["name"], Owner: cell["owner"], ContactName: cell["contact_name"], ContactPhone: cell["contact_phone"],
			Criticality: Criticality(cell["criticality"]), MaxOutage: cell["max_outage"], Note: cell["note"]}})
	})
	return imp, err
}

// ParseDependencies reads a dependencies file; see ParseComponents.
func ParseDependencies(data []byte) (Import, error) {
	var imp Import
	err := directory.ReadCSV(data, FileDependencies, DependencyColumns, DependencyOptional, &imp.Problems, func(line int, cell map[string]string) {
		imp.Dependencies = append(imp.Dependencies, DependencyRow{Line: line, Dependency: Dependency{From: cell["from"], To: cell["to"],
			Type: DepType(cell["type"]), Group: cell["group"], Mode: Mode(cell["mode"])}})
	})
	return imp, err
}

// ParseFiles reads a components file and a dependencies file (nil for
// none) into one import; a file that cannot be read as a whole does not
// keep the other from being read, so that the error lists both.
func ParseFiles(components, dependencies []byte) (Import, error) {
	var imp Import
	var fatal []fail.Problem
	for _, f := range []struct {
		data  []byte
		parse func([]byte) (Import, error)
	}{{components, ParseComponents}, {dependencies, ParseDependencies}} {
		if f.data == nil {
			continue
		}
		one, err := f.parse(f.data)
		if err != nil {
			fe := fail.As(err)
			if len(fe.Problems) == 0 {
				return Import{}, err
			}
			fatal = append(fatal, fe.Problems...)
			continue
		}
		imp.Components = append(imp.Components, one.Components...)
		imp.Dependencies = append(imp.Dependencies, one.Dependencies...)
		imp.Problems = append(imp.Problems, one.Problems...)
	}
	if len(fatal) > 0 {
		return Import{}, directory.ImportError(append(fatal, imp.Problems...))
	}
	return imp, nil
}

// Decide checks every row against the registry, the directory and the
// other rows, and returns the import's events (one per file), or an error
// listing every bad row. maxBytes bounds an event's payload (0: none).
func (imp Import) Decide(m WriteModel, by event.Actor, maxBytes int) ([]event.Draft, ImportSummary, error) {
	var sum ImportSummary
	ps := slices.Clone(imp.Problems)
	at := func(file string, line int, err error) { ps = append(ps, problemOf(err).At(file, line)) }
	if len(imp.Components) == 0 && len(imp.Dependencies) == 0 && len(ps) == 0 {
		return nil, sum, fail.Field("file", "has no rows; nothing was imported")
	}
	var comps []Component
	lineOf := map[string]int{}
	for _, row := range imp.Components {
		c, err := row.Component.normal()
		if err != nil {
			at(FileComponents, row.Line, err)
			continue
		}
		if first, dup := lineOf[c.ID]; dup {
			at(FileComponents, row.Line, fail.Field("id", "%q is on line %d too", c.ID, first))
			continue
		}
		if _, ok := m.Units.Unit(c.ID); ok {
			at(FileComponents, row.Line, fail.Field("id", "%q is a unit of the directory; a component needs an id of its own", c.ID))
			continue
		}
		lineOf[c.ID] = row.Line
		if m.Registry.isComponent(c.ID) {
			sum.ComponentsUpdated++
		} else {
			sum.ComponentsAdded++
		}
		comps = append(comps, c)
	}
	isComp := func(id string) bool { _, ok := lineOf[id]; return ok || m.Registry.isComponent(id) }
	var deps []Dependency
	var lines []int
	depLine := map[string]int{}
	for _, row := range imp.Dependencies {
		d, err := checkDependency(row.Dependency, isComp, m.Units)
		if err != nil {
			at(FileDependencies, row.Line, err)
			continue
		}
		if first, dup := depLine[d.key()]; dup {
			at(FileDependencies, row.Line, fail.Field("to", "%s %s %s is on line %d too", d.From, string(d.Type), d.To, first))
			continue
		}
		depLine[d.key()] = row.Line
		if _, ok := m.Registry.depKey(d.key()); ok {
			sum.DependenciesUpdated++
		} else {
			sum.DependenciesAdded++
		}
		deps = append(deps, d)
		lines = append(lines, row.Line)
	}
	checkModesWith(m.Registry.Dependencies(), deps, lines, isComp, func(line int, err error) { at(FileDependencies, line, err) })
	if len(ps) > 0 {
		slices.SortStableFunc(ps, func(a, b fail.Problem) int {
			if a.File != b.File {
				return strings.Compare(a.File, b.File)
			}
			return a.Line - b.Line
		})
		return nil, ImportSummary{}, directory.ImportError(ps)
	}
	var drafts []event.Draft
	if len(comps) > 0 {
		drafts = append(drafts, event.Draft{Type: TypeComponentsImported, Subject: "registry", Actor: by.Username,
			Payload: ComponentsImported{Components: comps}})
	}
	if len(deps) > 0 {
		drafts = append(drafts, event.Draft{Type: TypeDependenciesImported, Subject: "registry", Actor: by.Username,
			Payload: DependenciesImported{Dependencies: deps}})
	}
	for _, d := range drafts {
		if b, err := json.Marshal(d.Payload); err != nil {
			return nil, ImportSummary{}, fmt.Errorf("encode import: %w", err)
		} else if maxBytes > 0 && len(b) > maxBytes {
			return nil, ImportSummary{}, fail.Field("file", "is %d KB as one event; at most %d KB fit: split the file", len(b)>>10, maxBytes>>10)
		}
	}
	return drafts, sum, nil
}

// WriteComponentsCSV writes components in the import format: UTF-8 with a
// byte-order mark, separated by sep, every cell neutralised (safecsv).
func WriteComponentsCSV(w io.Writer, cs []Component, sep rune) error {
	cw := safecsv.NewWriter(w, sep)
	cw.BOM()
	cw.Write(slices.Concat(ComponentColumns, ComponentOptional)...)
	for _, c := range cs {
		cw.Write(c.ID, string(c.Kind), c.Name, c.Owner, c.ContactName, c.ContactPhone, string(c.Criticality), c.MaxOutage, c.Note)
	}
	return cw.Flush()
}

// WriteDependenciesCSV writes dependencies in the import format.
func WriteDependenciesCSV(w io.Writer, ds []Dependency, sep rune) error {
	cw := safecsv.NewWriter(w, sep)
	cw.BOM()
	cw.Write(slices.Concat(DependencyColumns, DependencyOptional)...)
	for _, d := range ds {
		cw.Write(d.From, d.To, string(d.Type), d.Group, string(d.Mode))
	}
	return cw.Flush()
}
