// Command fyrbench measures what `go test -bench` cannot measure well: the
// recovery of a large log and the idle footprint of the real binary. See
// docs/benchmarks.md.
//
//	go run ./cmd/fyrbench gen     --data DIR [--events 1000000]
//	go run ./cmd/fyrbench recover --data DIR [--runs 3] [--fyr PATH] [--inprocess|--floor] [--cpuprofile FILE]
//	go run ./cmd/fyrbench rss     [--settle 5s] [--fyr PATH]
//	go run ./cmd/fyrbench reach   [--units 10000] [--clients 10000] [--inflight 256] [--fyr PATH]
//
// recover and rss run `fyr serve --demo` as a subprocess; without --fyr they
// build it first (go build fyr/cmd/fyr).
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"fyr/cmd/fyrbench/loadgen"
	"fyr/internal/app"
	"fyr/internal/demo"
	"fyr/internal/event"
	"fyr/internal/store"
)

const usage = `fyrbench – Fyr's recovery and footprint benchmarks (see docs/benchmarks.md)

  fyrbench gen     --data DIR [--events N]      fill DIR with the demo org and N events (one-off)
  fyrbench recover --data DIR [--runs N] [--fyr PATH] [--inprocess|--floor] [--cpuprofile FILE]
                                                time a restart on DIR until ready
  fyrbench rss     [--settle 5s] [--fyr PATH]  idle RSS of fyr serve --demo
  fyrbench reach   [--units N] [--clients N] [--inflight N] [--fyr PATH]
                                                one dispatch to N units over N SSE clients, then N receipts at once
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if len(os.Args) < 2 {
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "gen":
		err = gen(ctx, os.Args[2:])
	case "recover":
		err = recoverCmd(ctx, os.Args[2:])
	case "rss":
		err = rss(ctx, os.Args[2:])
	case "reach":
		err = reach(ctx, os.Args[2:])
	default:
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "fyrbench %s: %v\n", os.Args[1], err)
		os.Exit(1)
	}
}

func gen(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("gen", flag.ExitOnError)
	data := fs.String("data", "", "data directory to fill (created if missing)")
	events := fs.Uint64("events", 1_000_000, "events the log should hold")
	fs.Parse(args)
	if *data == "" {
		return errors.New("--data is required")
	}
	start := time.Now()
	var next uint64 = 100_000
	err := loadgen.Generate(ctx, *data, *events, func(n uint64) {
		if n >= next {
			fmt.Printf("%d events (%.0f s)\n", n, time.Since(start).Seconds())
			next += 100_000
		}
	})
	if err != nil {
		return err
	}
	fmt.Printf("log in %s holds at least %d events (generated in %.1f s)\n", *data, *events, time.Since(start).Seconds())
	return nil
}

func recoverCmd(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("recover", flag.ExitOnError)
	data := fs.String("data", "", "data directory made by fyrbench gen")
	runs := fs.Int("runs", 3, "restarts to time")
	bin := fs.String("fyr", "", "fyr binary (default: build fyr/cmd/fyr)")
	inproc := fs.Bool("inprocess", false, "open the service in this process (app.Open) instead of running fyr serve")
	floor := fs.Bool("floor", false, "only read the log once (store.Replay, envelopes decoded, no model): the floor under recovery")
	cpuprofile := fs.String("cpuprofile", "", "with --inprocess or --floor: write a CPU profile to this file")
	fs.Parse(args)
	if *data == "" {
		return errors.New("--data is required")
	}
	if *inproc || *floor {
		return recoverInProcess(ctx, *data, *runs, *floor, *cpuprofile)
	}
	path, cleanup, err := fyrBinary(*bin)
	if err != nil {
		return err
	}
	defer cleanup()
	var readies []time.Duration
	for i := range *runs {
		r, err := startServe(ctx, path, *data)
		if err != nil {
			return err
		}
		st := procStatus(r.cmd.Process.Pid)
		r.stop()
		if r.seq == 0 || r.tookMS == 0 {
			return fmt.Errorf("run %d: no \"log replayed\" line with seq and took_ms on stderr", i+1)
		}
		readies = append(readies, r.ready)
		fmt.Printf("run %d: %d events replayed in %d ms (%.0f events/s); ready (healthz 200) %.0f ms after exec; VmRSS %s, VmHWM %s\n",
			i+1, r.seq, r.tookMS, float64(r.seq)/(float64(r.tookMS)/1000), ms(r.ready), st["VmRSS"], st["VmHWM"])
	}
	sort.Slice(readies, func(i, j int) bool { return readies[i] < readies[j] })
	fmt.Printf("median time to ready over %d runs: %.0f ms\n", len(readies), ms(readies[len(readies)/2]))
	return nil
}

func recoverInProcess(ctx context.Context, dir string, runs int, floor bool, cpuprofile string) error {
	if cpuprofile != "" {
		f, err := os.Create(cpuprofile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	if floor {
		return replayFloor(ctx, dir, runs)
	}
	for i := range runs {
		start := time.Now()
		svc, err := app.Open(ctx, app.Config{Dir: dir, Org: loadgen.Org})
		if err != nil {
			return err
		}
		opened := time.Since(start)
		select {
		case <-svc.Ready():
		case <-ctx.Done():
			svc.Close()
			return ctx.Err()
		}
		ready := time.Since(start)
		seq := svc.Seq()
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		fmt.Printf("run %d: %d events; app.Open returned after %.0f ms (write model loaded), ready after %.0f ms (%.0f events/s); heap in use after GC %d MB\n",
			i+1, seq, ms(opened), ms(ready), float64(seq)/ready.Seconds(), m.HeapInuse>>20)
		svc.Close()
	}
	return nil
}

// replayFloor reads the whole log once through store.Replay (the ordered
// consumer and the envelope decoding every replay pays) and applies nothing.
func replayFloor(ctx context.Context, dir string, runs int) error {
	for i := range runs {
		start := time.Now()
		st, err := store.Open(ctx, store.Config{Dir: dir})
		if err != nil {
			return err
		}
		opened := time.Since(start)
		var n uint64
		err = st.Replay(ctx, func(event.Envelope) error { n++; return nil })
		took := time.Since(start)
		st.Close()
		if err != nil {
			return err
		}
		fmt.Printf("run %d: store.Open %.0f ms; one replay of %d events (decoded, not applied) done after %.0f ms (%.0f events/s)\n",
			i+1, ms(opened), n, ms(took), float64(n)/took.Seconds())
	}
	return nil
}

func rss(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("rss", flag.ExitOnError)
	settle := fs.Duration("settle", 5*time.Second, "idle time before reading VmRSS")
	logins := fs.Int("logins", 2, "logins (argon2id, 64 MiB each) before the last reading")
	bin := fs.String("fyr", "", "fyr binary (default: build fyr/cmd/fyr)")
	fs.Parse(args)
	path, cleanup, err := fyrBinary(*bin)
	if err != nil {
		return err
	}
	defer cleanup()
	dir, err := os.MkdirTemp("", "fyrbench-rss-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	idle := func(r *served, what string) error {
		select {
		case <-time.After(*settle):
		case <-ctx.Done():
			return ctx.Err()
		}
		st := procStatus(r.cmd.Process.Pid)
		fmt.Printf("%-34s idle VmRSS %s (RssAnon %s, RssFile %s), VmHWM %s, threads %s\n",
			what+":", st["VmRSS"], st["RssAnon"], st["RssFile"], st["VmHWM"], st["Threads"])
		return nil
	}
	// 1. First start: the demo is seeded (one argon2id hash for the accounts).
	r, err := startServe(ctx, path, dir)
	if err != nil {
		return err
	}
	fmt.Printf("first start ready after %.0f ms; each reading after %s idle\n", ms(r.ready), *settle)
	err = idle(r, "first start (demo seeded)")
	r.stop()
	if err != nil {
		return err
	}
	// 2. Restart on the demo data: what a server idles at after a reboot.
	if r, err = startServe(ctx, path, dir); err != nil {
		return err
	}
	defer r.stop()
	if err := idle(r, fmt.Sprintf("restart (%d events replayed)", r.seq)); err != nil {
		return err
	}
	// 3. After logins: each password check costs 64 MiB for a moment.
	for range *logins {
		body := fmt.Sprintf(`{"username":"tib","password":%q}`, demo.Password)
		resp, err := http.Post("http://"+r.addr+"/api/v1/login", "application/json", strings.NewReader(body))
		if err != nil {
			return err
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("login: status %d", resp.StatusCode)
		}
	}
	return idle(r, fmt.Sprintf("restart + %d logins", *logins))
}

// fyrBinary returns the fyr binary to run, building it when path is empty.
func fyrBinary(path string) (string, func(), error) {
	if path != "" {
		return path, func() {}, nil
	}
	dir, err := os.MkdirTemp("", "fyrbench-bin-")
	if err != nil {
		return "", nil, err
	}
	out := filepath.Join(dir, "fyr")
	cmd := exec.Command("go", "build", "-o", out, "fyr/cmd/fyr")
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		os.RemoveAll(dir)
		return "", nil, fmt.Errorf("build fyr: %w", err)
	}
	return out, func() { os.RemoveAll(dir) }, nil
}

type served struct {
	cmd    *exec.Cmd
	addr   string
	ready  time.Duration // from exec to the first 200 on /healthz
	seq    uint64        // from the "log replayed" line
	tookMS int64
	done   chan struct{}
}

func (s *served) stop() {
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(15 * time.Second):
		s.cmd.Process.Kill()
		<-s.done
	}
}

// startServe runs fyr serve --demo on dir and returns once /healthz answers 200.
func startServe(ctx context.Context, bin, dir string) (*served, error) {
	cmd := exec.Command(bin, "serve", "--demo", "--data", dir, "--listen", "127.0.0.1:0")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	s := &served{cmd: cmd, done: make(chan struct{})}
	addr := make(chan string, 1)
	type replayLine struct {
		seq    uint64
		tookMS int64
	}
	replayed := make(chan replayLine, 1)
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
	go func() {
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			var line struct {
				Msg    string `json:"msg"`
				Seq    uint64 `json:"seq"`
				TookMS int64  `json:"took_ms"`
			}
			if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
				fmt.Fprintf(os.Stderr, "fyr: %s\n", sc.Text())
			} else if line.Msg == "log replayed" {
				select {
				case replayed <- replayLine{line.Seq, line.TookMS}:
				default:
				}
			}
		}
		io.Copy(io.Discard, stderr)
	}()
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait(); close(s.done) }()
	fail := func(err error) (*served, error) {
		cmd.Process.Kill()
		<-s.done
		return nil, err
	}
	var a string
	select {
	case a = <-addr:
	case err := <-exited:
		return nil, fmt.Errorf("fyr serve exited before serving: %v", err)
	case <-ctx.Done():
		return fail(ctx.Err())
	case <-time.After(5 * time.Minute):
		return fail(errors.New("fyr serve did not print its address within 5 minutes"))
	}
	client := &http.Client{Timeout: 2 * time.Second}
	for {
		resp, err := client.Get("http://" + a + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		select {
		case <-ctx.Done():
			return fail(ctx.Err())
		case <-time.After(2 * time.Millisecond):
		}
	}
	s.ready = time.Since(start)
	s.addr = a
	select {
	case l := <-replayed:
		s.seq, s.tookMS = l.seq, l.tookMS
	case <-time.After(5 * time.Second):
	}
	return s, nil
}

// procStatus reads /proc/PID/status into a map of field to value ("123456 kB").
func procStatus(pid int) map[string]string {
	out := map[string]string{}
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return out
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok {
			out[k] = strings.TrimSpace(v)
		}
	}
	return out
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
