package web_test

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"fyr/internal/auth"
	"fyr/internal/fyrtest"
	"fyr/internal/incident"
)

// BenchmarkJournalPage measures the journal's page with a long journal
// (DESIGN.md §4: 100,000 entries, the page's p99 ≤ 100 ms with 16
// concurrent users): 16 users at once ask for the incident page over HTTP
// — the first page, an older page by cursor, a search — and the API's
// page. One op is one request; p50/p99 are per request. FYR_BENCH_ENTRIES
// sets the journal's length (default 100,000). See docs/benchmarks.md.
//
//	go test -run '^$' -bench JournalPage -benchtime 2000x ./internal/web/
func BenchmarkJournalPage(b *testing.B) {
	n := 100_000
	if s := os.Getenv("FYR_BENCH_ENTRIES"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil {
			b.Fatalf("FYR_BENCH_ENTRIES=%q: %v", s, err)
		}
	}
	env := fyrtest.StartIn(b, b.TempDir()) // JetStream with fsync, as measured before (Start is the in-memory log)
	id := seedJournal(b, env, n)
	token := env.Token(auth.Viewer)
	base := env.URL + "/incidents/" + string(id)
	for _, c := range []struct {
		name string
		path func(r *rand.Rand) string
	}{
		{"first", func(*rand.Rand) string { return base }},
		{"older", func(r *rand.Rand) string { return base + "?before=" + strconv.Itoa(2+r.IntN(n)) }},
		{"search", func(r *rand.Rand) string { return base + "?q=" + benchWords[r.IntN(len(benchWords))] + "&kind=info_in" }},
		{"api", func(r *rand.Rand) string {
			return env.URL + "/api/v1/incidents/" + string(id) + "/journal?order=newest&limit=50&before=" + strconv.Itoa(2+r.IntN(n))
		}},
	} {
		b.Run(c.name, func(b *testing.B) { benchPages(b, token, c.path) })
	}
}

var benchWords = []string{"reservrutin", "Växeln", "IVA", "leverantör", "sällsynt-ord-som-inte-finns"}

// seedJournal writes n entries into one incident, many writers at once so
// that group commit keeps the setup short.
func seedJournal(b *testing.B, env *fyrtest.Env, n int) incident.ID {
	ctx := context.Background()
	p := env.Principal(auth.Staff)
	inc, err := env.Svc.Incidents.OpenIncident(ctx, p, incident.Open{Title: "Lång händelse", Scope: incident.RegionScope, Level: incident.Staff})
	if err != nil {
		b.Fatal(err)
	}
	texts := []string{
		"Växeln rapporterar att telefonin fungerar igen på Centralsjukhuset.",
		"IVA har 3 lediga platser; reservrutin för journalföring på papper används.",
		"Samtal med leverantören: återställning beräknas till i morgon kl. 06.",
		"Akutmottagningen rapporterar ökat inflöde; väntetid till läkare cirka 3 timmar.",
	}
	kinds := []incident.Kind{incident.InfoIn, incident.InfoOut, incident.Coordination, incident.Report}
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, 256)
	for range 256 {
		wg.Go(func() {
			for i := next.Add(1); i <= int64(n-2); i = next.Add(1) {
				_, err := env.Svc.Incidents.Record(ctx, p, incident.Record{Incident: inc.ID, Kind: kinds[i%4], Text: texts[i%4], From: "Växeln"})
				if err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		b.Fatal(err)
	}
	got, _ := env.Svc.P.Incidents.Get(inc.ID, incident.AsOf{})
	if got.Entries != n {
		b.Fatalf("seeded %d entries, want %d", got.Entries, n)
	}
	return inc.ID
}

func benchPages(b *testing.B, token string, path func(r *rand.Rand) string) {
	const users = 16
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: users}}
	lat := make([][]time.Duration, users)
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, users)
	var bytes atomic.Int64
	cpu0 := cpuTime()
	b.ResetTimer()
	for u := range users {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(uint64(u), 1))
			for next.Add(1) <= int64(b.N) {
				req, _ := http.NewRequest("GET", path(r), nil)
				req.Header.Set("Authorization", "Bearer "+token)
				t0 := time.Now()
				resp, err := client.Do(req)
				if err != nil {
					errs <- err
					return
				}
				nb, _ := io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				lat[u] = append(lat[u], time.Since(t0))
				bytes.Add(nb)
				if resp.StatusCode != 200 {
					errs <- fmt.Errorf("%s: %d", req.URL, resp.StatusCode)
					return
				}
			}
		})
	}
	wg.Wait()
	b.StopTimer()
	cpu := cpuTime() - cpu0
	close(errs)
	if err := <-errs; err != nil {
		b.Fatal(err)
	}
	all := slices.Concat(lat...)
	slices.Sort(all)
	ms := func(q float64) float64 {
		i := max(0, min(int(q*float64(len(all))+0.999999)-1, len(all)-1))
		return float64(all[i]) / float64(time.Millisecond)
	}
	b.ReportMetric(ms(0.50), "p50-ms")
	b.ReportMetric(ms(0.99), "p99-ms")
	b.ReportMetric(ms(1), "max-ms")
	b.ReportMetric(float64(bytes.Load())/float64(b.N)/1024, "KiB/page")
	// CPU of the whole process (server and load client) per request: what
	// the machine's load does not change much.
	b.ReportMetric(float64(cpu)/float64(time.Millisecond)/float64(b.N), "cpu-ms/req")
}

// cpuTime is the CPU time (user and system) the process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
