package app_test

// Benchmarks for the quality bars of DESIGN.md §4 that `go test -bench` can
// measure: journal append latency with fsync, and replay on restart. They
// run only with -bench; docs/benchmarks.md has the commands and figures.
//
//	go test -run '^$' -bench Append -benchtime 5000x ./internal/app/
//	go test -run '^$' -bench Recover -benchtime 5x ./internal/app/

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"fyr/cmd/fyrbench/loadgen"
	"fyr/internal/app"
	"fyr/internal/auth"
	"fyr/internal/fyrtest"
	"fyr/internal/incident"
)

// BenchmarkAppend appends journal entries through the real service (command
// check, hash chain, atomic batch with fsync before the acknowledgement,
// wait until the read model shows the entry) from 1, 16 and 256 concurrent
// writers (256 shows how far group commit carries throughput). One op is one
// acknowledged append; p50-ms and p99-ms are the latency of one append as
// its caller sees it, appends/s the throughput of all writers together.
func BenchmarkAppend(b *testing.B) {
	for _, writers := range []int{1, 16, 256} {
		b.Run(fmt.Sprintf("writers=%d", writers), func(b *testing.B) { benchAppend(b, writers) })
	}
}

func benchAppend(b *testing.B, writers int) {
	env := fyrtest.StartIn(b, b.TempDir()) // JetStream with fsync, as measured before (Start is the in-memory log)
	ctx := context.Background()
	p := env.Principal(auth.Staff)
	// One incident per writer, as in a region where several staffs work at once.
	incs := make([]incident.ID, writers)
	for i := range incs {
		inc, err := env.Svc.Incidents.OpenIncident(ctx, p, incident.Open{Title: fmt.Sprintf("Bänkprov %d", i),
			Scope: incident.RegionScope, Level: incident.Staff})
		if err != nil {
			b.Fatal(err)
		}
		incs[i] = inc.ID
	}
	const text = "Akutmottagningen rapporterar ökat inflöde; väntetid till läkare cirka 3 timmar."

	lat := make([][]time.Duration, writers)
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	for w := range writers {
		wg.Go(func() {
			mine := make([]time.Duration, 0, b.N/writers+1)
			for next.Add(1) <= int64(b.N) {
				t0 := time.Now()
				_, err := env.Svc.Incidents.Record(ctx, p, incident.Record{Incident: incs[w], Kind: incident.InfoIn, Text: text})
				mine = append(mine, time.Since(t0))
				if err != nil {
					errs <- err
					return
				}
			}
			lat[w] = mine
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	close(errs)
	if err := <-errs; err != nil {
		b.Fatal(err)
	}
	all := slices.Concat(lat...)
	slices.Sort(all)
	b.ReportMetric(msAt(all, 0.50), "p50-ms")
	b.ReportMetric(msAt(all, 0.99), "p99-ms")
	b.ReportMetric(msAt(all, 1), "max-ms")
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "appends/s")
}

// msAt is the q-quantile (nearest rank) of sorted durations, in milliseconds.
func msAt(sorted []time.Duration, q float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	i := int(q*float64(len(sorted))+0.999999) - 1
	i = max(0, min(i, len(sorted)-1))
	return float64(sorted[i]) / float64(time.Millisecond)
}

// BenchmarkRecover restarts the service on a log of FYR_BENCH_EVENTS events
// (default 100,000; the 1,000,000-event figure of DESIGN.md §4 is measured
// with `fyrbench recover`, see docs/benchmarks.md). One op is one restart:
// app.Open until Ready, the read model and the write model both rebuilt.
func BenchmarkRecover(b *testing.B) {
	n := uint64(100_000)
	if s := os.Getenv("FYR_BENCH_EVENTS"); s != "" {
		if _, err := fmt.Sscan(s, &n); err != nil {
			b.Fatalf("FYR_BENCH_EVENTS=%q: %v", s, err)
		}
	}
	dir := b.TempDir()
	ctx := context.Background()
	if err := loadgen.Generate(ctx, dir, n, nil); err != nil {
		b.Fatal(err)
	}
	var seq uint64
	var total time.Duration
	for b.Loop() {
		start := time.Now()
		svc, err := app.Open(ctx, app.Config{Dir: dir, Org: loadgen.Org})
		if err != nil {
			b.Fatal(err)
		}
		<-svc.Ready()
		total += time.Since(start)
		seq = svc.Seq()
		b.StopTimer()
		svc.Close()
		b.StartTimer()
	}
	if seq < n {
		b.Fatalf("replayed %d events, want %d", seq, n)
	}
	per := total / time.Duration(b.N)
	b.ReportMetric(float64(per)/float64(time.Millisecond), "ms-to-ready")
	b.ReportMetric(float64(seq)/per.Seconds(), "events/s")
}

// BenchmarkJetStreamFloor is the floor under BenchmarkAppend: one writer
// appending small messages straight to an embedded JetStream stream with the
// same options as internal/store (SyncAlways, file storage, dedupe window,
// atomic publish allowed), without Fyr's command check, chain or read
// model. "publish" is a plain publish with expected-last-subject-sequence
// (one message, one fsync); "atomic-batch-1" is the same message sent as an
// atomic batch of one, as store.Commit sends it.
func BenchmarkJetStreamFloor(b *testing.B) {
	for _, atomicBatch := range []bool{false, true} {
		name := "publish"
		if atomicBatch {
			name = "atomic-batch-1"
		}
		b.Run(name, func(b *testing.B) { benchFloor(b, atomicBatch) })
	}
}

func benchFloor(b *testing.B, atomicBatch bool) {
	ns, err := server.NewServer(&server.Options{JetStream: true, StoreDir: b.TempDir(), SyncAlways: true,
		DontListen: true, NoSigs: true, NoLog: true})
	if err != nil {
		b.Fatal(err)
	}
	go ns.Start()
	defer func() { ns.Shutdown(); ns.WaitForShutdown() }()
	if !ns.ReadyForConnections(10 * time.Second) {
		b.Fatal("nats not ready")
	}
	nc, err := nats.Connect("", nats.InProcessServer(ns))
	if err != nil {
		b.Fatal(err)
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	if _, err := js.CreateStream(ctx, jetstream.StreamConfig{Name: "FLOOR", Subjects: []string{"floor.*"},
		Storage: jetstream.FileStorage, Duplicates: 2 * time.Minute, AllowAtomicPublish: true}); err != nil {
		b.Fatal(err)
	}
	data := []byte(`{"id":"01JBENCH","org":"test","type":"incident.entry_recorded","payload":{"text":"Akutmottagningen rapporterar ökat inflöde."}}`)
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	start := time.Now()
	for i := range b.N {
		m := nats.NewMsg("floor.test")
		m.Data = data
		id := strconv.Itoa(i)
		m.Header.Set(jetstream.MsgIDHeader, id)
		m.Header.Set(jetstream.ExpectedLastSubjSeqHeader, strconv.Itoa(i))
		if atomicBatch {
			m.Header.Set("Nats-Batch-Id", id)
			m.Header.Set("Nats-Batch-Sequence", "1")
			m.Header.Set("Nats-Batch-Commit", "1")
		}
		t0 := time.Now()
		reply, err := nc.RequestMsg(m, 5*time.Second)
		lat = append(lat, time.Since(t0))
		if err != nil {
			b.Fatal(err)
		}
		if bytes.Contains(reply.Data, []byte(`"error"`)) {
			b.Fatalf("publish %d: %s", i, reply.Data)
		}
	}
	elapsed := time.Since(start)
	b.StopTimer()
	slices.Sort(lat)
	b.ReportMetric(msAt(lat, 0.50), "p50-ms")
	b.ReportMetric(msAt(lat, 0.99), "p99-ms")
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "appends/s")
}
