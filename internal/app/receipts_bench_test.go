package app_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"fyr/internal/auth"
	"fyr/internal/directory"
	"fyr/internal/dispatch"
	"fyr/internal/fyrtest"
	"fyr/internal/incident"
)

// BenchmarkAcknowledgeAtOnce: 10,000 units acknowledge one dispatch at once
// (256 concurrent callers) through the service, without HTTP: durable
// receipts per second, group-committed.
//
//	go test -run '^$' -bench AcknowledgeAtOnce -benchtime 1x ./internal/app/
func BenchmarkAcknowledgeAtOnce(b *testing.B) {
	env := fyrtest.StartIn(b, b.TempDir()) // JetStream with fsync, as measured before (Start is the in-memory log)
	ctx := context.Background()
	staff := env.Principal(auth.Staff)
	const n = 10000
	for i := 0; i < n; i++ {
		if err := env.Svc.Directory.AddUnit(ctx, "b", directory.Unit{ID: fmt.Sprintf("w%05d", i), Name: "W", Type: directory.Ward, Parent: "region"}); err != nil {
			b.Fatal(err)
		}
	}
	inc, _ := env.Svc.Incidents.OpenIncident(ctx, staff, incident.Open{Title: "t", Scope: "region", Level: incident.Staff})
	d, err := env.Svc.CreateDispatch(ctx, staff, dispatch.Create{Incident: inc.ID, Kind: dispatch.KindMessage, Title: "t",
		Audience: dispatch.Audience{Types: []string{"ward"}}, Deadline: time.Now().Add(time.Hour), Channels: []string{"inapp"}})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	var wg sync.WaitGroup
	units := make(chan string, len(d.Units))
	for _, u := range d.Units {
		units <- u
	}
	close(units)
	start := time.Now()
	for range 256 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for u := range units {
				if _, err := env.Svc.Acknowledge(ctx, staff, dispatch.Acknowledge{Dispatch: d.Dispatch, Unit: u}); err != nil {
					b.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	b.ReportMetric(float64(len(d.Units))/time.Since(start).Seconds(), "acks/s")
}
