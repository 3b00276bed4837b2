package main

// reach measures DESIGN.md §4's Reach bar end to end against the real
// binary: N unit accounts hold an SSE connection to GET /live each, one
// dispatch goes to all units, and every client times its "inbox" frame;
// then every client acknowledges at once. The load client runs in this
// process, on the same cores as the server.
//
// With --rate R the clients are journal readers (viewer accounts following
// the incident) instead, and R journal entries per second are recorded for
// --seconds: each entry is one message to every client. It measures the
// latency of every delivery and the server's CPU per delivery.

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"fyr/internal/app"
	"fyr/internal/auth"
	"fyr/internal/directory"
)

const reachOrg = "region"

func reach(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("reach", flag.ExitOnError)
	units := fs.Int("units", 10_000, "ward units (one unit account each)")
	clients := fs.Int("clients", 0, "SSE clients, one per unit account (default: --units)")
	inflight := fs.Int("inflight", 256, "acknowledgements in flight at once")
	dialers := fs.Int("dialers", 64, "SSE connections being opened at once")
	data := fs.String("data", "", "data directory (default: a new temporary one, removed afterwards)")
	bin := fs.String("fyr", "", "fyr binary (default: build fyr/cmd/fyr)")
	rate := fs.Float64("rate", 0, "journal entries per second to every client (viewer accounts) instead of one dispatch to units")
	seconds := fs.Float64("seconds", 10, "how long to send at --rate")
	ackClient := fs.String("ack-client", "raw", "receipts' load client: raw (one keep-alive HTTP/1.1 connection per in-flight slot, requests written by hand) or std (net/http.Client)")
	pause := fs.Duration("pause", 0, "wait this long before the dispatch and before the receipts, printing the server's pid (to attach a profiler)")
	fs.Parse(args)
	if *clients == 0 {
		*clients = *units
	}
	if *clients > *units {
		return errors.New("--clients may not exceed --units (one account per unit)")
	}
	path, cleanup, err := fyrBinary(*bin)
	if err != nil {
		return err
	}
	defer cleanup()
	dir := *data
	if dir == "" {
		if dir, err = os.MkdirTemp("", "fyrbench-reach-"); err != nil {
			return err
		}
		defer os.RemoveAll(dir)
	}

	// 1. The directory and the accounts, written offline.
	start := time.Now()
	role := auth.Unit
	if *rate > 0 {
		role = auth.Viewer
	}
	if err := reachSetup(ctx, dir, *units, role); err != nil {
		return err
	}
	fmt.Printf("setup: %d ward units and %d %s accounts + 1 admin written in %.1f s\n", *units, *units, role, time.Since(start).Seconds())
	sessions, err := auth.LoadSessions(dir)
	if err != nil {
		return err
	}
	now := time.Now()
	admin := sessions.Issue("bench-admin", now)
	tokens := make([]string, *clients)
	for i := range tokens {
		tokens[i] = sessions.Issue(unitUser(i), now)
	}

	// 2. The server.
	srv, err := startReachServe(ctx, path, dir)
	if err != nil {
		return err
	}
	defer srv.stop()
	pid := srv.cmd.Process.Pid
	base := "http://" + srv.addr
	api := &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{
		MaxIdleConnsPerHost: *inflight + 8, MaxConnsPerHost: *inflight + 8, DisableCompression: true,
		DialContext: (&net.Dialer{Timeout: 10 * time.Second}).DialContext,
	}}
	var inc struct {
		ID string `json:"id"`
	}
	if err := postJSON(ctx, api, base+"/api/v1/incidents", admin,
		`{"title":"Reach benchmark","scope":"region","level":"staff"}`, http.StatusCreated, &inc); err != nil {
		return fmt.Errorf("open incident: %w", err)
	}
	waitIdle(pid, 5*time.Second)
	before := procStatus(pid)
	fmt.Printf("server ready after %.0f ms; before clients: VmRSS %s, threads %s\n", ms(srv.ready), before["VmRSS"], before["Threads"])

	// 3. N SSE clients.
	if *rate > 0 {
		return reachRate(ctx, api, base, admin, inc.ID, tokens, pid, before, *rate, *seconds, *dialers)
	}
	sse := &http.Client{Transport: &http.Transport{
		MaxConnsPerHost: 0, MaxIdleConnsPerHost: 1, DisableCompression: true,
		DialContext: (&net.Dialer{Timeout: 30 * time.Second}).DialContext,
	}}
	cctx, cancelClients := context.WithCancel(ctx)
	defer cancelClients()
	got := make([]time.Time, *clients) // when client i read its inbox frame
	var connected, received, dropped atomic.Int64
	var firstErr atomic.Value
	allConnected := make(chan struct{})
	allReceived := make(chan struct{})
	var wg sync.WaitGroup
	gate := make(chan struct{}, *dialers)
	connStart := time.Now()
	for i := range *clients {
		wg.Add(1)
		gate <- struct{}{}
		go func(i int) {
			defer wg.Done()
			onConnected := func() {
				<-gate
				if connected.Add(1) == int64(*clients) {
					close(allConnected)
				}
			}
			err := sseClient(cctx, sse, base+"/live", tokens[i], onConnected, "inbox", func(t time.Time, _ int) bool {
				got[i] = t
				if received.Add(1) == int64(*clients) {
					close(allReceived)
				}
				return false
			})
			if err != nil && cctx.Err() == nil {
				dropped.Add(1)
				firstErr.CompareAndSwap(nil, err)
			}
		}(i)
	}
	select {
	case <-allConnected:
	case <-time.After(5 * time.Minute):
		return fmt.Errorf("only %d of %d clients connected in 5 minutes (%d failed; first error: %v)", connected.Load(), *clients, dropped.Load(), firstErr.Load())
	case <-ctx.Done():
		return ctx.Err()
	}
	fmt.Printf("%d SSE clients connected in %.1f s\n", *clients, time.Since(connStart).Seconds())
	time.Sleep(2 * time.Second) // let the server settle after the connection storm
	with := procStatus(pid)
	perConn := float64(kB(with["VmRSS"])-kB(before["VmRSS"])) / float64(*clients)
	fmt.Printf("with %d clients: VmRSS %s (+%.1f KiB per connection), VmHWM %s, threads %s\n",
		*clients, with["VmRSS"], perConn, with["VmHWM"], with["Threads"])

	// 4. One dispatch to all units.
	if *pause > 0 {
		fmt.Printf("pause %s before the dispatch (server pid %d)\n", *pause, pid)
		time.Sleep(*pause)
	}
	cpu0, self0 := procCPU(pid), selfCPU()
	deadline := time.Now().Add(24 * time.Hour).UTC().Format(time.RFC3339)
	body := fmt.Sprintf(`{"kind":"message","title":"Reach benchmark","audience":{"types":["ward"]},"deadline":%q,"channels":["inapp"]}`, deadline)
	var disp struct {
		Dispatch string `json:"dispatch"`
	}
	t0 := time.Now()
	if err := postJSON(ctx, api, base+"/api/v1/incidents/"+inc.ID+"/dispatches", admin, body, http.StatusCreated, &disp); err != nil {
		return fmt.Errorf("create dispatch: %w", err)
	}
	created := time.Since(t0)
	timeout := false
	select {
	case <-allReceived:
	case <-time.After(30 * time.Second):
		timeout = true
	case <-ctx.Done():
		return ctx.Err()
	}
	cpu1, self1 := procCPU(pid), selfCPU()
	var lat []time.Duration
	for _, t := range got {
		if !t.IsZero() {
			lat = append(lat, t.Sub(t0))
		}
	}
	fmt.Printf("dispatch %s: POST answered 201 after %.1f ms; %d of %d clients got the inbox frame%s\n",
		disp.Dispatch, ms(created), len(lat), *clients, map[bool]string{true: " (stopped waiting after 30 s)"}[timeout])
	fmt.Printf("  latency from sending the POST to the client reading the frame: %s\n", pcts(lat))
	if cpu1 >= 0 && cpu0 >= 0 {
		fmt.Printf("  server CPU (utime+stime) from the POST until the last frame was read: %.0f ms (%.1f µs per delivery; includes the dispatch command and its events)\n",
			float64(cpu1-cpu0)*10, float64(cpu1-cpu0)*10000/float64(max(len(lat), 1)))
	}
	fmt.Printf("  load client CPU (this process, same cores) meanwhile: %.0f ms\n", ms(self1-self0))
	if d := dropped.Load(); d > 0 {
		fmt.Printf("  %d SSE connections ended early; first error: %v\n", d, firstErr.Load())
	}
	// The engine records an escalation step and an in-app attempt per unit
	// after the dispatch: wait until the server is idle again (under 20 ms
	// of CPU in 500 ms) so that the receipts are measured on their own.
	settle := time.Now()
	waitIdle(pid, 3*time.Minute)
	if *pause > 0 {
		fmt.Printf("pause %s before the receipts (server pid %d)\n", *pause, pid)
		time.Sleep(*pause)
	}
	cpuAcks0, selfAcks0 := procCPU(pid), selfCPU()
	fmt.Printf("  after the broadcast the server was busy for %.1f s more (the engine's steps and in-app attempts): %.0f ms CPU\n",
		time.Since(settle).Seconds()-0.5, float64(cpuAcks0-cpu1)*10)

	// 5. Every client acknowledges at once.
	acks := make([]time.Duration, *clients)
	status := make([]int, *clients)
	var next atomic.Int64
	var last atomic.Int64
	ackStart := time.Now()
	var awg sync.WaitGroup
	ackPath := "/api/v1/dispatches/" + disp.Dispatch + "/ack"
	for range *inflight {
		awg.Add(1)
		go func() {
			defer awg.Done()
			var rc *rawClient
			defer func() { rc.close() }()
			for {
				i := int(next.Add(1) - 1)
				if i >= *clients || ctx.Err() != nil {
					return
				}
				t := time.Now()
				var code int
				if *ackClient == "raw" {
					if rc == nil {
						rc = &rawClient{addr: srv.addr}
					}
					code = rc.post(ackPath, tokens[i], "{}")
				} else {
					req, _ := http.NewRequestWithContext(ctx, "POST", base+ackPath, strings.NewReader("{}"))
					req.Header.Set("Authorization", "Bearer "+tokens[i])
					req.Header.Set("Content-Type", "application/json")
					resp, err := api.Do(req)
					if err != nil {
						status[i] = -1
						continue
					}
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					code = resp.StatusCode
				}
				acks[i] = time.Since(t)
				status[i] = code
				if code == http.StatusOK {
					end := time.Since(ackStart)
					for {
						old := last.Load()
						if int64(end) <= old || last.CompareAndSwap(old, int64(end)) {
							break
						}
					}
				}
			}
		}()
	}
	awg.Wait()
	cpuAcks1, selfAcks1 := procCPU(pid), selfCPU()
	var okLat []time.Duration
	codes := map[int]int{}
	for i, c := range status {
		codes[c]++
		if c == http.StatusOK {
			okLat = append(okLat, acks[i])
		}
	}
	wall := time.Duration(last.Load())
	fmt.Printf("acknowledgements (%s client): %d with 200 of %d (status counts %v), %d in flight; first POST to last 200: %.0f ms = %.0f durable receipts/s\n",
		*ackClient, len(okLat), *clients, codes, *inflight, ms(wall), float64(len(okLat))/wall.Seconds())
	fmt.Printf("  latency per acknowledgement: %s\n", pcts(okLat))
	if cpuAcks1 >= 0 && cpuAcks0 >= 0 {
		fmt.Printf("  server CPU during the acknowledgements: %.0f ms (%.0f µs per receipt)\n",
			float64(cpuAcks1-cpuAcks0)*10, float64(cpuAcks1-cpuAcks0)*10000/float64(max(len(okLat), 1)))
	}
	fmt.Printf("  load client CPU (this process, same cores) meanwhile: %.0f ms (%.0f µs per receipt)\n",
		ms(selfAcks1-selfAcks0), float64((selfAcks1-selfAcks0)/time.Microsecond)/float64(max(len(okLat), 1)))
	var check struct {
		Dispatch struct {
			Acked int `json:"acked"`
		} `json:"dispatch"`
	}
	if err := getJSON(ctx, api, base+"/api/v1/dispatches/"+disp.Dispatch, admin, &check); err == nil {
		fmt.Printf("  the server's dispatch reports %d units acknowledged\n", check.Dispatch.Acked)
	}
	end := procStatus(pid)
	fmt.Printf("server peak RSS (VmHWM) %s; VmRSS now %s; SSE connections still open %d of %d\n",
		end["VmHWM"], end["VmRSS"], int64(*clients)-dropped.Load(), *clients)
	cancelClients()
	wg.Wait()
	return nil
}

// waitIdle waits until pid has used under 20 ms of CPU in 500 ms, or for at
// most max.
func waitIdle(pid int, max time.Duration) {
	start := time.Now()
	for prev := procCPU(pid); time.Since(start) < max; {
		time.Sleep(500 * time.Millisecond)
		c := procCPU(pid)
		if c-prev < 2 {
			return
		}
		prev = c
	}
}

// sseClient holds one GET url open, calls connected after the first
// frame and on(t, k) when an event named name arrives (k: the number after
// "k=" in its data, or -1), until on returns false, and returns when the
// stream ends.
func sseClient(ctx context.Context, c *http.Client, url, token string, connected func(), name string, on func(time.Time, int) bool) error {
	req, _ := http.NewRequestWithContext(ctx, "GET", url, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Accept", "text/event-stream")
	var resp *http.Response
	var err error
	for try := 0; ; try++ { // a connection storm may overflow the listen backlog
		resp, err = c.Do(req)
		if err == nil || try == 5 || ctx.Err() != nil {
			break
		}
		time.Sleep(time.Duration(try+1) * 100 * time.Millisecond)
	}
	if err != nil {
		connected()
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		connected()
		return fmt.Errorf("GET /live: status %d", resp.StatusCode)
	}
	br := bufio.NewReaderSize(resp.Body, 4096)
	var ev string
	k := -1
	first, done := true, false
	for {
		line, err := br.ReadSlice('\n')
		if err != nil {
			if first {
				connected()
			}
			return err
		}
		line = bytes.TrimRight(line, "\n")
		switch {
		case len(line) == 0: // end of a frame
			if ev == "levels" && first {
				first = false
				connected()
			}
			if ev == name && !done {
				done = !on(time.Now(), k)
			}
			ev, k = "", -1
		case bytes.HasPrefix(line, []byte("event: ")):
			ev = string(line[len("event: "):])
		case ev == name && bytes.HasPrefix(line, []byte("data: ")):
			if i := bytes.Index(line, []byte("k=")); i >= 0 {
				k = 0
				for _, d := range line[i+2:] {
					if d < '0' || d > '9' {
						break
					}
					k = k*10 + int(d-'0')
				}
			}
		}
	}
}

func reachSetup(ctx context.Context, dir string, units int, role auth.Role) error {
	svc, err := app.Open(ctx, app.Config{Dir: dir, Org: reachOrg})
	if err != nil {
		return err
	}
	defer svc.Close()
	select {
	case <-svc.Ready():
	case <-ctx.Done():
		return ctx.Err()
	}
	// Imports in slices that fit one event each.
	const slice = 1000
	rows := []directory.UnitRow{{Line: 1, Unit: directory.Unit{ID: "bench-region", Name: "Region Bench", Type: directory.Region}}}
	for i := range units {
		rows = append(rows, directory.UnitRow{Line: len(rows) + 1, Unit: directory.Unit{ID: unitID(i),
			Name: fmt.Sprintf("Avdelning %d", i+1), Type: directory.Ward, Parent: "bench-region"}})
		if len(rows) == slice || i == units-1 {
			if _, err := svc.Directory.ImportDirectory(ctx, nil, directory.Import{Units: rows}); err != nil {
				return fmt.Errorf("import units: %w", err)
			}
			rows = nil
		}
	}
	hash, err := auth.HashPassword("bench-password-not-used")
	if err != nil {
		return err
	}
	if _, err := svc.Auth.AddUser(ctx, nil, auth.AddUser{Username: "bench-admin", Name: "Bench Admin", Role: auth.Admin, Hash: hash}); err != nil {
		return fmt.Errorf("add admin: %w", err)
	}
	// Accounts from many goroutines: the appender group-commits them.
	var next atomic.Int64
	var firstErr error
	var mu sync.Mutex
	var wg sync.WaitGroup
	for range 64 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= units {
					return
				}
				u := auth.AddUser{Username: unitUser(i), Name: fmt.Sprintf("Avdelning %d", i+1), Role: role, Hash: hash}
				if role == auth.Unit {
					u.Unit = unitID(i)
				}
				_, err := svc.Auth.AddUser(ctx, nil, u)
				if err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = fmt.Errorf("add %s: %w", unitUser(i), err)
					}
					mu.Unlock()
					return
				}
			}
		}()
	}
	wg.Wait()
	return firstErr
}

func unitID(i int) string   { return fmt.Sprintf("ward-%05d", i+1) }
func unitUser(i int) string { return fmt.Sprintf("ward-%05d", i+1) }

// startReachServe runs fyr serve (no demo) on dir, org region.
func startReachServe(ctx context.Context, bin, dir string) (*served, error) {
	cmd := exec.Command(bin, "serve", "--data", dir, "--listen", "127.0.0.1:0", "--org", reachOrg)
	cmd.Env = append(os.Environ(), "FYR_ADMIN_PASSWORD=bench-password-not-used")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	cmd.Stderr = io.Discard
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	s := &served{cmd: cmd, done: make(chan struct{})}
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if rest, ok := strings.CutPrefix(sc.Text(), "Fyr is serving http://"); ok {
				a, _, _ := strings.Cut(rest, "/")
				select {
				case addr <- a:
				default:
				}
			}
		}
	}()
	go func() { cmd.Wait(); close(s.done) }()
	select {
	case s.addr = <-addr:
	case <-s.done:
		return nil, errors.New("fyr serve exited before serving")
	case <-ctx.Done():
		s.stop()
		return nil, ctx.Err()
	case <-time.After(2 * time.Minute):
		s.stop()
		return nil, errors.New("fyr serve did not print its address within 2 minutes")
	}
	for {
		resp, err := http.Get("http://" + s.addr + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		select {
		case <-ctx.Done():
			s.stop()
			return nil, ctx.Err()
		case <-time.After(5 * time.Millisecond):
		}
	}
	s.ready = time.Since(start)
	return s, nil
}

func postJSON(ctx context.Context, c *http.Client, url, token, body string, want int, out any) error {
	req, _ := http.NewRequestWithContext(ctx, "POST", url, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		return fmt.Errorf("status %d: %s", resp.StatusCode, b)
	}
	return json.Unmarshal(b, out)
}

func getJSON(ctx context.Context, c *http.Client, url, token string, out any) error {
	req, _ := http.NewRequestWithContext(ctx, "GET", url, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("status %d: %s", resp.StatusCode, b)
	}
	return json.Unmarshal(b, out)
}

// procCPU returns utime+stime of pid in clock ticks (1/100 s), or -1.
func procCPU(pid int) int64 {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return -1
	}
	// Fields after the command name, which is in parentheses.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return -1
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 13 {
		return -1
	}
	u, _ := strconv.ParseInt(f[11], 10, 64)
	s, _ := strconv.ParseInt(f[12], 10, 64)
	return u + s
}

// selfCPU is this process's user+system CPU time.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// kB parses "123456 kB".
func kB(v string) int64 {
	n, _ := strconv.ParseInt(strings.TrimSuffix(v, " kB"), 10, 64)
	return n
}

func pcts(d []time.Duration) string {
	if len(d) == 0 {
		return "none"
	}
	sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
	p := func(q float64) float64 { return ms(d[min(len(d)-1, int(q*float64(len(d))))]) }
	return fmt.Sprintf("min %.1f ms, p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms (n=%d)", ms(d[0]), p(0.50), p(0.90), p(0.99), ms(d[len(d)-1]), len(d))
}
