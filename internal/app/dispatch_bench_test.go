package app_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"fyr/internal/auth"
	"fyr/internal/directory"
	"fyr/internal/dispatch"
	"fyr/internal/fyrtest"
	"fyr/internal/incident"
)

// BenchmarkCreateDispatch10k: one dispatch to 10,000 units through the
// service, from the call until the read model has it (what the live
// broadcast waits for), without HTTP.
//
//	go test -run '^$' -bench CreateDispatch10k -benchtime 20x ./internal/app/
func BenchmarkCreateDispatch10k(b *testing.B) {
	env := fyrtest.StartIn(b, b.TempDir()) // JetStream with fsync, as measured before (Start is the in-memory log)
	ctx := context.Background()
	staff := env.Principal(auth.Staff)
	imp := directory.Import{}
	for i := range 10000 {
		imp.Units = append(imp.Units, directory.UnitRow{Line: i + 2, Unit: directory.Unit{ID: fmt.Sprintf("w%05d", i), Name: "W", Type: directory.Ward, Parent: "region"}})
	}
	admin := env.Principal(auth.Admin)
	if _, err := env.Svc.Directory.ImportDirectory(ctx, &admin, imp); err != nil {
		b.Fatal(err)
	}
	inc, _ := env.Svc.Incidents.OpenIncident(ctx, staff, incident.Open{Title: "t", Scope: "region", Level: incident.Staff})
	b.ResetTimer()
	for range b.N {
		if _, err := env.Svc.CreateDispatch(ctx, staff, dispatch.Create{Incident: inc.ID, Kind: dispatch.KindMessage, Title: "t",
			Audience: dispatch.Audience{Types: []string{"ward"}}, Deadline: time.Now().Add(time.Hour), Channels: []string{"inapp"}}); err != nil {
			b.Fatal(err)
		}
	}
}
