package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"reflect"
	"strings"
	"testing"
	"time"

	"fyr/internal/app"
	"fyr/internal/auth"
	"fyr/internal/directory"
	"fyr/internal/fail"
	"fyr/internal/store"
)

// A big import goes through the real log as one event, survives a restart,
// and a bad one writes nothing.
func TestDirectoryImportThroughTheLog(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	svc, err := app.Open(ctx, app.Config{Dir: dir, Org: "o"})
	if err != nil {
		t.Fatal(err)
	}
	var ub, pb strings.Builder
	ub.WriteString("id,name,type,parent,phone,email,primary,deputies\nregion,Region Exempel,region,,,,,\n")
	pb.WriteString("id,name,unit,function,mobile,email\n")
	const n = 2000
	for i := range n {
		fmt.Fprintf(&ub, "avd-%04d,Medicinavdelning %d Centralsjukhuset Exempelstad,ward,region,08-123 %03d 00,avdelning.%04d@regionexempel.example,p-%04d,p-%04d|p-%04d\n",
			i, i, i%1000, i, i, (i+1)%n, (i+2)%n)
		fmt.Fprintf(&pb, "p-%04d,Förnamn Efternamnsson %d,avd-%04d,Avdelningschef,070-174 06 %02d,fornamn.efternamnsson%d@regionexempel.example\n",
			i, i, i, 5+i%95, i)
	}
	units, err := directory.ParseUnits([]byte(ub.String()))
	if err != nil {
		t.Fatal(err)
	}
	people, err := directory.ParsePeople([]byte(pb.String()))
	if err != nil {
		t.Fatal(err)
	}
	before := svc.Seq()
	sum, err := svc.Directory.ImportDirectory(ctx, nil, units.Merge(people))
	if err != nil {
		t.Fatal(err)
	}
	if svc.Seq() != before+1 || sum.UnitsAdded != n+1 || sum.PeopleAdded != n {
		t.Fatalf("import wrote %d events, summary %+v", svc.Seq()-before, sum)
	}
	// Refused: a viewer, and a file with one bad row among good ones.
	viewer := auth.Principal{Username: "v", Role: auth.Viewer}
	if _, err := svc.Directory.ImportDirectory(ctx, &viewer, units); !fail.Is(err, fail.Forbidden) {
		t.Fatalf("a viewer imports: %v", err)
	}
	bad, _ := directory.ParseUnits([]byte(strings.Replace(ub.String(), "08-123 999 00", "08-123", 1)))
	if _, err := svc.Directory.ImportDirectory(ctx, nil, bad); err == nil || len(fail.As(err).Problems) != 1 {
		t.Fatalf("bad import: %v", err)
	}
	if svc.Seq() != before+1 {
		t.Fatal("a refused import wrote to the log")
	}
	at := time.Now()
	reach := svc.P.Units.Reach("avd-0007", at)
	svc.Close()
	svc, err = app.Open(ctx, app.Config{Dir: dir, Org: "o"})
	if err != nil {
		t.Fatal(err)
	}
	defer svc.Close()
	if u, p := svc.P.Units.Len(); u != n+1 || p != n {
		t.Fatalf("after a restart: %d units, %d people", u, p)
	}
	if got := svc.P.Units.Reach("avd-0007", at); !reflect.DeepEqual(got, reach) || len(got) != 4 {
		t.Fatalf("reach after a restart %+v, before %+v", got, reach)
	}
}

// Reading contact details in bulk, or who answers for a unit, is logged
// with who read (personal data); a refused export is not served.
func TestDirectoryReadsAreAuditLogged(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	var logs bytes.Buffer
	svc, err := app.Open(ctx, app.Config{Dir: t.TempDir(), Log: store.NewMem(), Org: "o", Logger: slog.New(slog.NewJSONHandler(&logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	defer svc.Close()
	units, _ := directory.ParseUnits([]byte("id,name,type,parent,phone,email,primary,deputies\nregion,R,region,,,,,\n"))
	if _, err := svc.Directory.ImportDirectory(ctx, nil, units); err != nil {
		t.Fatal(err)
	}
	staff := auth.Principal{Username: "tib", Role: auth.Staff}
	if _, err := svc.Directory.ExportUnits(&staff); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Directory.ExportPeople(&staff); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Directory.Reach(staff, "region", time.Now()); err != nil {
		t.Fatal(err)
	}
	viewer := auth.Principal{Username: "v", Role: auth.Viewer}
	if _, err := svc.Directory.ExportPeople(&viewer); !fail.Is(err, fail.Forbidden) {
		t.Fatalf("a viewer exports people: %v", err)
	}
	var audited []string
	for _, line := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		var rec map[string]any
		json.Unmarshal([]byte(line), &rec)
		if rec["audit"] == true {
			audited = append(audited, fmt.Sprint(rec["username"], " ", rec["what"]))
		}
	}
	if strings.Join(audited, ", ") != "tib units, tib people, tib reach" {
		t.Fatalf("audit log: %v\n%s", audited, logs.String())
	}
}
