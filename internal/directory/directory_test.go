package directory_test

import (
	"slices"
	"testing"
	"time"

	"fyr/internal/directory"
	"fyr/internal/event"
	"fyr/internal/fail"
)

func apply(t *testing.T, d *directory.Directory, drafts []event.Draft) {
	t.Helper()
	for _, dr := range drafts {
		e, err := event.Seal(dr, event.NewID(), "o", "", time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if err := d.Apply(e); err != nil {
			t.Fatal(err)
		}
	}
}

func must(t *testing.T) func([]event.Draft, error) []event.Draft {
	return func(drafts []event.Draft, err error) []event.Draft {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return drafts
	}
}

var now = time.Date(2026, 11, 23, 8, 3, 0, 0, time.UTC)

// by is who the tests act as.
var by = event.Actor{Username: "t"}

// testTree builds region → cs → cs-akut → cs-iva, region → ls, a
// municipality, and people p1…p4.
func testTree(t *testing.T) *directory.Directory {
	t.Helper()
	d := directory.New()
	for _, u := range []directory.Unit{
		{ID: "region", Name: "R", Type: directory.Region},
		{ID: "cs", Name: "CS", Type: directory.Hospital, Parent: "region"},
		{ID: "cs-akut", Name: "Akut", Type: directory.Clinic, Parent: "cs"},
		{ID: "ls", Name: "LS", Type: directory.Hospital, Parent: "region"},
		{ID: "cs-iva", Name: "IVA", Type: directory.Ward, Parent: "cs-akut"},
		{ID: "cs-med", Name: "Med", Type: directory.Clinic, Parent: "cs"},
		{ID: "kommun", Name: "Kommunen", Type: directory.Municipality},
	} {
		apply(t, d, must(t)(directory.AddUnit{Unit: u}.Decide(d, by, now)))
	}
	for i, name := range []string{"Anna", "Bo", "Cia", "Dag"} {
		p := directory.Person{ID: "p" + string(rune('1'+i)), Name: name, Unit: "cs-iva", Mobile: "070-174 06 0" + string(rune('5'+i)),
			Email: name + "@x.example"}
		apply(t, d, must(t)(directory.AddPerson{Person: p}.Decide(d, by)))
	}
	return d
}

func TestUnitsAndPeopleValidation(t *testing.T) {
	t.Parallel()
	d := testTree(t)
	for name, c := range map[string]struct {
		u     directory.Unit
		field string
	}{
		"duplicate id":         {directory.Unit{ID: "cs", Name: "X", Type: directory.Ward}, "id"},
		"unknown parent":       {directory.Unit{ID: "w", Name: "X", Type: directory.Ward, Parent: "nowhere"}, "parent"},
		"own parent":           {directory.Unit{ID: "w", Name: "X", Type: directory.Ward, Parent: "w"}, "parent"},
		"bad type":             {directory.Unit{ID: "w", Name: "X", Type: "castle"}, "type"},
		"no name":              {directory.Unit{ID: "w", Type: directory.Ward}, "name"},
		"no id":                {directory.Unit{Name: "X", Type: directory.Ward}, "id"},
		"space in id":          {directory.Unit{ID: "a b", Name: "X", Type: directory.Ward}, "id"},
		"pipe in id":           {directory.Unit{ID: "a|b", Name: "X", Type: directory.Ward}, "id"},
		"reserved id":          {directory.Unit{ID: "region", Name: "X", Type: directory.Ward}, "id"},
		"line break in name":   {directory.Unit{ID: "w", Name: "X\nY", Type: directory.Ward}, "name"},
		"bad phone":            {directory.Unit{ID: "w", Name: "X", Type: directory.Ward, Phone: "070-12"}, "phone"},
		"bad e-mail":           {directory.Unit{ID: "w", Name: "X", Type: directory.Ward, Email: "avd@"}, "email"},
		"unknown primary":      {directory.Unit{ID: "w", Name: "X", Type: directory.Ward, Primary: "p9"}, "primary"},
		"unknown deputy":       {directory.Unit{ID: "w", Name: "X", Type: directory.Ward, Primary: "p1", Deputies: []string{"p9"}}, "deputies"},
		"primary as deputy":    {directory.Unit{ID: "w", Name: "X", Type: directory.Ward, Primary: "p1", Deputies: []string{"p1"}}, "deputies"},
		"deputy twice":         {directory.Unit{ID: "w", Name: "X", Type: directory.Ward, Primary: "p1", Deputies: []string{"p2", "p2"}}, "deputies"},
		"deputies, no primary": {directory.Unit{ID: "w", Name: "X", Type: directory.Ward, Deputies: []string{"p2"}}, "primary"},
	} {
		if _, err := (directory.AddUnit{Unit: c.u}).Decide(d, by, now); fail.As(err).Field != c.field {
			t.Errorf("%s: %v, want an error on %q", name, err, c.field)
		}
	}
	if !d.IsHospital("cs") || d.IsHospital("region") {
		t.Fatal("IsHospital is wrong")
	}
	for name, c := range map[string]struct {
		p     directory.Person
		field string
	}{
		"bad mobile":    {directory.Person{ID: "p", Name: "N", Mobile: "070-123"}, "mobile"},
		"letters":       {directory.Person{ID: "p", Name: "N", Mobile: "070-ABC 45 67"}, "mobile"},
		"bad e-mail":    {directory.Person{ID: "p", Name: "N", Email: "nobody"}, "email"},
		"unknown unit":  {directory.Person{ID: "p", Name: "N", Unit: "x"}, "unit"},
		"no name":       {directory.Person{ID: "p"}, "name"},
		"no id":         {directory.Person{Name: "N"}, "id"},
		"duplicate id":  {directory.Person{ID: "p1", Name: "N"}, "id"},
		"long function": {directory.Person{ID: "p", Name: "N", Function: string(make([]byte, 101))}, "function"},
	} {
		if _, err := (directory.AddPerson{Person: c.p}).Decide(d, by); fail.As(err).Field != c.field {
			t.Errorf("%s: %v, want an error on %q", name, err, c.field)
		}
	}
	drafts := must(t)(directory.AddPerson{Person: directory.Person{ID: "p", Name: "N", Unit: "cs", Function: "TiB", Mobile: "070-174 06 05"}}.Decide(d, by))
	apply(t, d, drafts)
	if p, _ := d.Person("p"); p.Mobile != "+46701740605" {
		t.Fatalf("the mobile is stored as %q, not in E.164", p.Mobile)
	}
	if fs := d.Functions(); len(fs) != 1 || fs[0] != "TiB" {
		t.Fatalf("functions: %v", fs)
	}
}

func TestSetContactsAndOnDutyValidation(t *testing.T) {
	t.Parallel()
	d := testTree(t)
	for name, c := range map[string]struct {
		cmd   directory.SetContacts
		field string
	}{
		"unknown unit":      {directory.SetContacts{Unit: "x", Primary: "p1"}, "unit"},
		"unknown primary":   {directory.SetContacts{Unit: "cs", Primary: "p9"}, "primary"},
		"unknown deputy":    {directory.SetContacts{Unit: "cs", Primary: "p1", Deputies: []string{"p2", "p9"}}, "deputies"},
		"primary as deputy": {directory.SetContacts{Unit: "cs", Primary: "p1", Deputies: []string{"p1"}}, "deputies"},
		"bad phone":         {directory.SetContacts{Unit: "cs", Phone: "12345"}, "phone"},
		"bad e-mail":        {directory.SetContacts{Unit: "cs", Email: "cs at x"}, "email"},
		"http webhook":      {directory.SetContacts{Unit: "cs", Webhook: "http://display.cs.example/fyr"}, "webhook"},
		"eleven deputies":   {directory.SetContacts{Unit: "cs", Primary: "p1", Deputies: []string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"}}, "deputies"},
	} {
		if _, err := c.cmd.Decide(d, by); fail.As(err).Field != c.field {
			t.Errorf("contacts, %s: %v, want an error on %q", name, err, c.field)
		}
	}
	from, to := now.Add(-time.Hour), now.Add(7*time.Hour)
	for name, c := range map[string]struct {
		cmd   directory.SetOnDuty
		field string
	}{
		"unknown unit":   {directory.SetOnDuty{Unit: "x", Person: "p1", From: from, To: to}, "unit"},
		"unknown person": {directory.SetOnDuty{Unit: "cs", Person: "p9", From: from, To: to}, "person"},
		"no person":      {directory.SetOnDuty{Unit: "cs", From: from, To: to}, "person"},
		"no from":        {directory.SetOnDuty{Unit: "cs", Person: "p1", To: to}, "from"},
		"no to":          {directory.SetOnDuty{Unit: "cs", Person: "p1", From: from}, "to"},
		"from = to":      {directory.SetOnDuty{Unit: "cs", Person: "p1", From: to, To: to}, "to"},
		"from > to":      {directory.SetOnDuty{Unit: "cs", Person: "p1", From: to, To: from}, "to"},
		"ended":          {directory.SetOnDuty{Unit: "cs", Person: "p1", From: from.Add(-time.Hour), To: from}, "to"},
		"too long":       {directory.SetOnDuty{Unit: "cs", Person: "p1", From: from, To: from.Add(directory.MaxShift + time.Hour)}, "to"},
	} {
		if _, err := c.cmd.Decide(d, by, now); fail.As(err).Field != c.field {
			t.Errorf("on duty, %s: %v, want an error on %q", name, err, c.field)
		}
	}
	if _, err := (directory.ClearOnDuty{Unit: "cs", Shift: "nope"}).Decide(d, by); fail.As(err).Field != "shift" {
		t.Errorf("clearing an unknown shift: %v", err)
	}
	if _, err := (directory.ClearOnDuty{Unit: "x", Shift: "nope"}).Decide(d, by); fail.As(err).Field != "unit" {
		t.Errorf("clearing on an unknown unit: %v", err)
	}
}

func names(cs []directory.Contact) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Role+":"+c.PersonID)
	}
	return out
}

func TestReachOrder(t *testing.T) {
	t.Parallel()
	d := testTree(t)
	if got := d.Reach("cs-iva", now); len(got) != 0 {
		t.Fatalf("a unit without contacts reaches %v", got)
	}
	apply(t, d, must(t)(directory.SetContacts{Unit: "cs-iva", Phone: "08-123 456 78", Email: "iva@x.example", Primary: "p1",
		Deputies: []string{"p3", "p2"}}.Decide(d, by)))
	want := []string{"primary:p1", "deputy:p3", "deputy:p2", "unit:"}
	if got := names(d.Reach("cs-iva", now)); !slices.Equal(got, want) {
		t.Fatalf("reach %v, want %v", got, want)
	}
	// An on-duty override for the night shift comes first while it lasts.
	night := must(t)(directory.SetOnDuty{Unit: "cs-iva", Person: "p4", From: now.Add(12 * time.Hour), To: now.Add(22 * time.Hour)}.Decide(d, by, now))
	apply(t, d, night)
	if got := names(d.Reach("cs-iva", now)); !slices.Equal(got, want) {
		t.Fatalf("before the shift: %v", got)
	}
	during := now.Add(13 * time.Hour)
	want = []string{"on_duty:p4", "primary:p1", "deputy:p3", "deputy:p2", "unit:"}
	got := d.Reach("cs-iva", during)
	if !slices.Equal(names(got), want) {
		t.Fatalf("during the shift: %v, want %v", names(got), want)
	}
	if got[0].Name != "Dag" || got[0].Mobile != "+46701740608" || got[0].Email != "Dag@x.example" {
		t.Fatalf("on-duty contact %+v", got[0])
	}
	if u := got[4]; u.Name != "IVA" || u.Mobile != "+46812345678" || u.Email != "iva@x.example" || u.PersonID != "" {
		t.Fatalf("unit contact %+v", u)
	}
	if got := names(d.Reach("cs-iva", now.Add(22*time.Hour))); got[0] != "primary:p1" {
		t.Fatalf("the shift ends at To (exclusive): %v", got)
	}
	// A later override of the same time wins; a person is reached once, at
	// their first place (the on-duty deputy is not contacted twice).
	apply(t, d, must(t)(directory.SetOnDuty{Unit: "cs-iva", Person: "p2", From: now.Add(12 * time.Hour), To: now.Add(14 * time.Hour)}.Decide(d, by, now)))
	want = []string{"on_duty:p2", "primary:p1", "deputy:p3", "unit:"}
	if got := names(d.Reach("cs-iva", during)); !slices.Equal(got, want) {
		t.Fatalf("with two overrides: %v, want %v", got, want)
	}
	if n := len(d.Shifts("cs-iva", now)); n != 2 {
		t.Fatalf("%d shifts", n)
	}
	// Clearing the later one brings back the first.
	id := d.Shifts("cs-iva", now)[1].ID
	apply(t, d, must(t)(directory.ClearOnDuty{Unit: "cs-iva", Shift: id}.Decide(d, by)))
	if got := names(d.Reach("cs-iva", during)); got[0] != "on_duty:p4" {
		t.Fatalf("after clearing: %v", got)
	}
	if d.Reach("nowhere", now) != nil {
		t.Fatal("an unknown unit has contacts")
	}
}

func ids(us []directory.Unit) []string {
	var out []string
	for _, u := range us {
		out = append(out, u.ID)
	}
	return out
}

func TestSubtreeAndParent(t *testing.T) {
	t.Parallel()
	d := testTree(t)
	for id, want := range map[string][]string{
		"region":  {"region", "cs", "cs-akut", "cs-iva", "cs-med", "ls"},
		"cs":      {"cs", "cs-akut", "cs-iva", "cs-med"},
		"cs-iva":  {"cs-iva"},
		"kommun":  {"kommun"},
		"nowhere": nil,
	} {
		if got := ids(d.Subtree(id)); !slices.Equal(got, want) {
			t.Errorf("Subtree(%s) = %v, want %v", id, got, want)
		}
	}
	for id, want := range map[string]string{"cs-iva": "cs-akut", "cs": "region", "region": "", "kommun": "", "nowhere": ""} {
		if got := d.Parent(id); got != want {
			t.Errorf("Parent(%s) = %q, want %q", id, got, want)
		}
	}
	if got := ids(d.Path("cs-iva")); !slices.Equal(got, []string{"region", "cs", "cs-akut"}) {
		t.Errorf("Path(cs-iva) = %v", got)
	}
	if got := ids(d.TreeOrder()); !slices.Equal(got, []string{"region", "cs", "cs-akut", "cs-iva", "cs-med", "ls", "kommun"}) {
		t.Errorf("TreeOrder = %v", got)
	}
}
