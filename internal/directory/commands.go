package directory

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"fyr/internal/event"
	"fyr/internal/fail"
)

// AddUnit is the command that adds a unit.
type AddUnit struct{ Unit }

// Decide checks the unit against the tree.
func (c AddUnit) Decide(d *Directory, by event.Actor, now time.Time) ([]event.Draft, error) {
	u := c.Unit
	if err := firstError(checkUnit(&u)); err != nil {
		return nil, err
	}
	if _, ok := d.Unit(u.ID); ok {
		return nil, fail.Field("id", "unit %q already exists", u.ID)
	}
	if u.Parent != "" {
		if _, ok := d.Unit(u.Parent); !ok {
			return nil, fail.Field("parent", "unknown parent unit %q", u.Parent)
		}
	}
	if err := checkPeopleExist(d, u); err != nil {
		return nil, err
	}
	return []event.Draft{{Type: TypeUnitAdded, Subject: "unit/" + u.ID, Actor: by.Username, Payload: UnitAdded{u}}}, nil
}

func checkPeopleExist(d *Directory, u Unit) error {
	if u.Primary != "" {
		if _, ok := d.Person(u.Primary); !ok {
			return fail.Field("primary", "unknown person %q", u.Primary)
		}
	}
	for _, id := range u.Deputies {
		if _, ok := d.Person(id); !ok {
			return fail.Field("deputies", "unknown person %q", id)
		}
	}
	return nil
}

// AddPerson is the command that adds a person.
type AddPerson struct{ Person }

// Decide checks the person against the directory.
func (c AddPerson) Decide(d *Directory, by event.Actor) ([]event.Draft, error) {
	p := c.Person
	if err := firstError(checkPerson(&p)); err != nil {
		return nil, err
	}
	if p.Unit != "" {
		if _, ok := d.Unit(p.Unit); !ok {
			return nil, fail.Field("unit", "unknown unit %q", p.Unit)
		}
	}
	if _, ok := d.Person(p.ID); ok {
		return nil, fail.Field("id", "person %q already exists", p.ID)
	}
	return []event.Draft{{Type: TypePersonAdded, Subject: "person/" + p.ID, Actor: by.Username, Payload: PersonAdded{p}}}, nil
}

// SetContacts is the command that sets a unit's own contact points and who
// answers for it. It replaces all five: an empty field clears.
type SetContacts struct {
	Unit     string   `json:"-"` // from the path
	Phone    string   `json:"phone"`
	Email    string   `json:"email"`
	Webhook  string   `json:"webhook"`
	Primary  string   `json:"primary"`
	Deputies []string `json:"deputies"`
}

// Decide checks the contacts against the directory.
func (c SetContacts) Decide(d *Directory, by event.Actor) ([]event.Draft, error) {
	u, ok := d.Unit(c.Unit)
	if !ok {
		return nil, fail.Field("unit", "unknown unit %q", c.Unit)
	}
	u.Phone, u.Email, u.Webhook, u.Primary, u.Deputies = c.Phone, c.Email, c.Webhook, c.Primary, slices.Clone(c.Deputies)
	if err := firstError(checkContacts(&u)); err != nil {
		return nil, err
	}
	if err := checkPeopleExist(d, u); err != nil {
		return nil, err
	}
	return []event.Draft{{Type: TypeContactsSet, Subject: "unit/" + u.ID, Actor: by.Username,
		Payload: ContactsSet{Unit: u.ID, Phone: u.Phone, Email: u.Email, Webhook: u.Webhook, Primary: u.Primary, Deputies: u.Deputies}}}, nil
}

// MaxShift is the longest an on-duty override may last.
const MaxShift = 31 * 24 * time.Hour

// SetOnDuty is the command that puts a person on duty for a unit for a shift.
type SetOnDuty struct {
	Unit   string    `json:"-"` // from the path
	Person string    `json:"person"`
	From   time.Time `json:"from"`
	To     time.Time `json:"to"`
}

// Decide checks the shift; the new shift's id is in the event's payload.
func (c SetOnDuty) Decide(d *Directory, by event.Actor, now time.Time) ([]event.Draft, error) {
	if _, ok := d.Unit(c.Unit); !ok {
		return nil, fail.Field("unit", "unknown unit %q", c.Unit)
	}
	c.Person = strings.TrimSpace(c.Person)
	switch {
	case c.Person == "":
		return nil, fail.Field("person", "is required")
	case c.From.IsZero():
		return nil, fail.Field("from", "is required")
	case c.To.IsZero():
		return nil, fail.Field("to", "is required")
	case !c.From.Before(c.To):
		return nil, fail.Field("to", "must be after from (%s)", c.From.UTC().Format(time.RFC3339))
	case !c.To.After(now):
		return nil, fail.Field("to", "has already passed")
	case c.To.Sub(c.From) > MaxShift:
		return nil, fail.Field("to", "a shift may last at most %d days", int(MaxShift.Hours()/24))
	}
	if _, ok := d.Person(c.Person); !ok {
		return nil, fail.Field("person", "unknown person %q", c.Person)
	}
	s := Shift{ID: event.NewID(), Unit: c.Unit, Person: c.Person, From: c.From.UTC().Truncate(time.Millisecond),
		To: c.To.UTC().Truncate(time.Millisecond)}
	return []event.Draft{{Type: TypeOnDutySet, Subject: "unit/" + c.Unit, Actor: by.Username, Payload: OnDutySet{s}}}, nil
}

// ClearOnDuty is the command that removes an on-duty override.
type ClearOnDuty struct {
	Unit  string `json:"-"`
	Shift string `json:"-"`
}

// Decide checks that the shift exists.
func (c ClearOnDuty) Decide(d *Directory, by event.Actor) ([]event.Draft, error) {
	if _, ok := d.Unit(c.Unit); !ok {
		return nil, fail.Field("unit", "unknown unit %q", c.Unit)
	}
	if _, ok := d.shift(c.Unit, c.Shift); !ok {
		return nil, fail.Field("shift", "unit %q has no on-duty shift %q", c.Unit, c.Shift)
	}
	return []event.Draft{{Type: TypeOnDutyCleared, Subject: "unit/" + c.Unit, Actor: by.Username,
		Payload: OnDutyCleared{Unit: c.Unit, Shift: c.Shift}}}, nil
}

// UnitRow is a unit read from line Line of an import file.
type UnitRow struct {
	Line int
	Unit
}

// PersonRow is a person read from line Line of an import file.
type PersonRow struct {
	Line int
	Person
}

// Import is the command that imports units and people, all or nothing:
// every row is checked, every problem reported, and only a file without
// problems is written, as one event. A row with a new id adds; a row with a
// known id replaces that unit or person (its type may change). Units may
// name people of the same import as contacts, and people units of it.
type Import struct {
	Units  []UnitRow
	People []PersonRow
	// Problems found while reading the files; Decide reports them with its own.
	Problems []fail.Problem
	// MaxBytes bounds the event's payload: what the log takes, less room
	// for the envelope. 0 means MaxImportBytes.
	MaxBytes int
}

// ImportSummary says what an import did.
type ImportSummary struct {
	UnitsAdded    int `json:"units_added"`
	UnitsUpdated  int `json:"units_updated"`
	PeopleAdded   int `json:"people_added"`
	PeopleUpdated int `json:"people_updated"`
}

// MaxImportBytes bounds the event of one import unless Import.MaxBytes
// says otherwise: 900 KB fit NATS's default message limit of 1 MiB with room
// for the envelope. About 2,000 units and 2,000 people fit (see
// TestLargeImportFitsOneEvent); Fyr's embedded log takes 4 MiB.
const MaxImportBytes = 900 << 10

// Files named in problems.
const (
	FileUnits  = "units"
	FilePeople = "people"
)

// Decide checks every row against the directory and the rest of the import.
func (c Import) Decide(d *Directory, by event.Actor) ([]event.Draft, ImportSummary, error) {
	ps := slices.Clone(c.Problems)
	add := func(file string, line int, field, format string, args ...any) {
		ps = append(ps, fail.Problemf(field, format, args...).At(file, line))
	}
	units := checkRows(FileUnits, c.Units, UnitRow.parts, checkUnit, d.Unit, &ps)
	people := checkRows(FilePeople, c.People, PersonRow.parts, checkPerson, d.Person, &ps)
	sum := ImportSummary{UnitsAdded: units.added, UnitsUpdated: units.updated, PeopleAdded: people.added, PeopleUpdated: people.updated}
	out := Imported{Units: units.items, People: people.items}
	for i, p := range people.items {
		if p.Unit != "" && CheckID(p.Unit) == nil {
			if _, ok := units.index[p.Unit]; !ok {
				if _, ok := d.Unit(p.Unit); !ok {
					add(FilePeople, people.lines[i], "unit", "unknown unit %q (neither in the import nor in the directory)", p.Unit)
				}
			}
		}
	}
	personKnown := func(id string) bool {
		if _, ok := people.index[id]; ok {
			return true
		}
		_, ok := d.Person(id)
		return ok
	}
	parentOf := func(id string) (string, bool) {
		if i, ok := units.index[id]; ok {
			return units.items[i].Parent, true
		}
		u, ok := d.Unit(id)
		return u.Parent, ok
	}
	for i, u := range units.items {
		line := units.lines[i]
		if u.Parent != "" && u.Parent != u.ID && CheckID(u.Parent) == nil {
			if _, ok := parentOf(u.Parent); !ok {
				add(FileUnits, line, "parent", "unknown parent %q (neither in the import nor in the directory)", u.Parent)
			} else if cycle := cycleFrom(u.ID, parentOf); cycle != nil {
				add(FileUnits, line, "parent", "the parent chain is a cycle: %s", strings.Join(cycle, " → "))
			}
		}
		if u.Primary != "" && CheckID(u.Primary) == nil && !personKnown(u.Primary) {
			add(FileUnits, line, "primary", "unknown person %q (neither in the import nor in the directory)", u.Primary)
		}
		for _, id := range u.Deputies {
			if CheckID(id) == nil && !personKnown(id) {
				add(FileUnits, line, "deputies", "unknown person %q (neither in the import nor in the directory)", id)
			}
		}
	}
	if len(ps) == 0 && len(out.Units) == 0 && len(out.People) == 0 {
		add("", 0, "file", "holds no rows below the header")
	}
	if len(ps) == 0 {
		b, err := json.Marshal(out)
		if err != nil {
			return nil, sum, err
		}
		limit := c.MaxBytes
		if limit <= 0 {
			limit = MaxImportBytes
		}
		if len(b) > limit {
			add("", 0, "file", "is too large for one import (%d KB of at most %d KB): split it into several files",
				len(b)>>10, limit>>10)
		}
	}
	if len(ps) > 0 {
		rank := map[string]int{"": 0, FileUnits: 1, FilePeople: 2}
		slices.SortStableFunc(ps, func(a, b fail.Problem) int {
			if c := rank[a.File] - rank[b.File]; c != 0 {
				return c
			}
			return a.Line - b.Line
		})
		return nil, ImportSummary{}, ImportError(ps)
	}
	return []event.Draft{{Type: TypeImported, Subject: "directory", Actor: by.Username, Payload: out}}, sum, nil
}

// fileRows are the rows of one import file that stand on their own: each
// has an id no earlier row of the file has.
type fileRows[T any] struct {
	items          []T            // normalised, in the order of the file
	lines          []int          // the line of each item's row
	index          map[string]int // id → position in items
	added, updated int            // items new to the directory; items replacing one in it
}

// checkRows checks each row of one file on its own: check normalises the
// item and lists its problems, which add reports at the row's line. A row
// without an id is left out; so is one whose id an earlier row has, with a
// problem. known looks an id up in the directory, to count an item as added
// or updated.
func checkRows[R any, T interface{ key() string }](file string, rows []R, parts func(R) (int, T),
	check func(*T) []fail.Problem, known func(string) (T, bool),
	ps *[]fail.Problem) fileRows[T] {
	f := fileRows[T]{index: map[string]int{}}
	for _, r := range rows {
		line, x := parts(r)
		for _, p := range check(&x) {
			*ps = append(*ps, p.At(file, line))
		}
		id := x.key()
		if id == "" {
			continue
		}
		if first, dup := f.index[id]; dup {
			*ps = append(*ps, fail.Problemf("id", "duplicate id %q (also on line %d)", id, f.lines[first]).At(file, line))
			continue
		}
		f.index[id] = len(f.items)
		f.items = append(f.items, x)
		f.lines = append(f.lines, line)
		if _, ok := known(id); ok {
			f.updated++
		} else {
			f.added++
		}
	}
	return f
}

func (r UnitRow) parts() (int, Unit)     { return r.Line, r.Unit }
func (r PersonRow) parts() (int, Person) { return r.Line, r.Person }
func (u Unit) key() string               { return u.ID }
func (p Person) key() string             { return p.ID }

// ImportError is the error of an import with problems: it names the first
// one and carries them all.
func ImportError(ps []fail.Problem) error {
	rows := map[string]bool{}
	for _, p := range ps {
		rows[fmt.Sprint(p.File, p.Line)] = true
	}
	first := ps[0]
	if first.Field == "file" {
		first.Field = "" // the error's own field
	}
	e := fail.As(fail.Field("file", "%d problems in %d rows; nothing was imported. First: %s", len(ps), len(rows), first))
	if len(rows) == 1 {
		e = fail.As(fail.Field("file", "%d problems in one row; nothing was imported. First: %s", len(ps), first))
	}
	if len(ps) == 1 {
		e = fail.As(fail.Field("file", "%s; nothing was imported", first))
	}
	e.Problems = ps
	return e
}

// cycleFrom follows the parents up from id and returns the cycle when the
// chain comes back to id: [id, parent, …, id].
func cycleFrom(id string, parentOf func(string) (string, bool)) []string {
	chain := []string{id}
	seen := map[string]bool{id: true}
	for cur := id; ; {
		p, ok := parentOf(cur)
		if !ok || p == "" {
			return nil
		}
		chain = append(chain, p)
		if p == id {
			return chain
		}
		if seen[p] {
			return nil // a cycle above id that does not pass through it: reported on its own rows
		}
		seen[p] = true
		cur = p
	}
}
