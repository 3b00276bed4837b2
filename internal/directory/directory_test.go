package directory_test

import (
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
		d.Apply(e)
	}
}

func TestUnitsAndPeopleValidation(t *testing.T) {
	d := directory.New()
	add := func(u directory.Unit) error {
		drafts, err := directory.AddUnit{Unit: u}.Decide(d, "t", time.Now())
		if err == nil {
			apply(t, d, drafts)
		}
		return err
	}
	if err := add(directory.Unit{ID: "region", Name: "R", Type: directory.Region}); err != nil {
		t.Fatal(err)
	}
	if err := add(directory.Unit{ID: "cs", Name: "CS", Type: directory.Hospital, Parent: "region"}); err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]struct {
		u     directory.Unit
		field string
	}{
		"duplicate id":   {directory.Unit{ID: "cs", Name: "X", Type: directory.Ward}, "id"},
		"unknown parent": {directory.Unit{ID: "w", Name: "X", Type: directory.Ward, Parent: "nowhere"}, "parent"},
		"bad type":       {directory.Unit{ID: "w", Name: "X", Type: "castle"}, "type"},
		"no name":        {directory.Unit{ID: "w", Type: directory.Ward}, "name"},
		"space in id":    {directory.Unit{ID: "a b", Name: "X", Type: directory.Ward}, "id"},
	} {
		if err := add(c.u); fail.As(err).Field != c.field {
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
		"bad mobile":   {directory.Person{ID: "p", Name: "N", Mobile: "070-123"}, "mobile"},
		"bad e-mail":   {directory.Person{ID: "p", Name: "N", Email: "nobody"}, "email"},
		"unknown unit": {directory.Person{ID: "p", Name: "N", Unit: "x"}, "unit"},
		"no name":      {directory.Person{ID: "p"}, "name"},
	} {
		if _, err := (directory.AddPerson{Person: c.p}).Decide(d, "t"); fail.As(err).Field != c.field {
			t.Errorf("%s: %v, want an error on %q", name, err, c.field)
		}
	}
	drafts, err := directory.AddPerson{Person: directory.Person{ID: "p", Name: "N", Unit: "cs", Function: "TiB", Mobile: "+46701740605"}}.Decide(d, "t")
	if err != nil {
		t.Fatal(err)
	}
	apply(t, d, drafts)
	if fs := d.Functions(); len(fs) != 1 || fs[0] != "TiB" {
		t.Fatalf("functions: %v", fs)
	}
}
