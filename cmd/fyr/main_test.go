package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// fyrBin is the fyr binary that TestMain builds once for every test that
// runs `fyr serve` or `fyr verify` as a subprocess.
var fyrBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "fyr-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fyrBin = filepath.Join(dir, "fyr")
	build := exec.Command("go", "build", "-o", fyrBin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "go build fyr: %v\n%s", err, out)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// adminPassword is the FYR_ADMIN_PASSWORD of every server the tests start.
const adminPassword = "crash-test-password-1"

// startTimeout bounds how long a server may take to start, stop or answer.
const startTimeout = 30 * time.Second

// syncBuffer is an io.Writer that the test may read while the process writes.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// servingLine watches stdout for "Fyr is serving http://ADDR/" and hands the
// URL over once.
type servingLine struct {
	syncBuffer
	once sync.Once
	url  chan string
	line []byte
}

func (s *servingLine) Write(p []byte) (int, error) {
	n, err := s.syncBuffer.Write(p)
	s.line = append(s.line, p...)
	for {
		i := bytes.IndexByte(s.line, '\n')
		if i < 0 {
			break
		}
		l := string(s.line[:i])
		s.line = s.line[i+1:]
		if rest, ok := strings.CutPrefix(l, "Fyr is serving "); ok {
			u, _, _ := strings.Cut(rest, " ")
			s.once.Do(func() { s.url <- strings.TrimSuffix(u, "/") })
		}
	}
	return n, err
}

// server is one `fyr serve` subprocess.
type server struct {
	t      testing.TB
	dir    string
	URL    string
	cmd    *exec.Cmd
	stdout *servingLine
	stderr *syncBuffer
	exited chan struct{} // closed once Wait returned
	state  *os.ProcessState
	client *http.Client
}

// startServer runs `fyr serve` on dir, listening on a port the kernel picks,
// and returns once it has said it is serving and /healthz answers 200.
func startServer(t testing.TB, dir string, extra ...string) *server {
	t.Helper()
	s := spawnServer(t, dir, extra...)
	s.waitServing()
	return s
}

// spawnServer starts `fyr serve` on dir (with extra arguments) and returns
// at once. The process is killed when the test ends, if it is still running.
func spawnServer(t testing.TB, dir string, extra ...string) *server {
	t.Helper()
	s := &server{t: t, dir: dir,
		stdout: &servingLine{url: make(chan string, 1)}, stderr: &syncBuffer{},
		exited: make(chan struct{}),
		client: &http.Client{Timeout: startTimeout, Transport: &http.Transport{MaxIdleConnsPerHost: 32}},
	}
	s.cmd = exec.Command(fyrBin, append([]string{"serve", "--data", dir, "--listen", "127.0.0.1:0"}, extra...)...)
	s.cmd.Env = append(os.Environ(), "FYR_ADMIN_PASSWORD="+adminPassword)
	s.cmd.Stdout = s.stdout
	s.cmd.Stderr = s.stderr
	if err := s.cmd.Start(); err != nil {
		t.Fatalf("start fyr serve: %v", err)
	}
	go func() {
		s.cmd.Wait()
		s.state = s.cmd.ProcessState
		close(s.exited)
	}()
	t.Cleanup(func() {
		select {
		case <-s.exited:
		default:
			s.cmd.Process.Kill()
			<-s.exited
		}
		s.client.CloseIdleConnections()
		if t.Failed() {
			t.Logf("fyr serve (pid %d) stdout:\n%s\nstderr (tail):\n%s", s.cmd.Process.Pid, s.stdout.String(), tail(s.stderr.String(), 4000))
		}
	})
	return s
}

// waitServing waits for the "Fyr is serving" line and then for /healthz.
func (s *server) waitServing() {
	s.t.Helper()
	timeout := time.NewTimer(startTimeout)
	defer timeout.Stop()
	select {
	case s.URL = <-s.stdout.url:
	case <-s.exited:
		s.t.Fatalf("fyr serve exited before serving: %v\nstderr:\n%s", s.state, tail(s.stderr.String(), 4000))
	case <-timeout.C:
		s.t.Fatalf("fyr serve did not say it was serving within %v", startTimeout)
	}
	s.waitHealthy()
}

// waitHealthy polls /healthz until it answers 200, within startTimeout.
func (s *server) waitHealthy() {
	s.t.Helper()
	deadline := time.Now().Add(startTimeout)
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		resp, err := s.client.Get(s.URL + "/healthz")
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("/healthz not 200 within %v (last: %v)", startTimeout, err)
		}
		select {
		case <-tick.C:
		case <-s.exited:
			s.t.Fatalf("fyr serve exited while starting: %v", s.state)
		}
	}
}

// kill ends the server with SIGKILL and waits until it is gone.
func (s *server) kill() {
	s.t.Helper()
	if err := s.cmd.Process.Kill(); err != nil {
		s.t.Fatalf("kill fyr serve: %v", err)
	}
	<-s.exited
	s.client.CloseIdleConnections()
	if ws, ok := s.state.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
		s.t.Fatalf("fyr serve did not die of SIGKILL: %v", s.state)
	}
}

// stop asks the server to shut down with SIGTERM and requires a clean exit 0.
func (s *server) stop() {
	s.t.Helper()
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		s.t.Fatalf("SIGTERM fyr serve: %v", err)
	}
	timeout := time.NewTimer(startTimeout)
	defer timeout.Stop()
	select {
	case <-s.exited:
	case <-timeout.C:
		s.t.Fatalf("fyr serve did not exit within %v of SIGTERM", startTimeout)
	}
	s.client.CloseIdleConnections()
	if !s.state.Success() {
		s.t.Fatalf("fyr serve did not exit cleanly on SIGTERM: %v\nstderr:\n%s", s.state, tail(s.stderr.String(), 4000))
	}
}

// call sends one JSON request. It returns the status and decodes the answer
// into out when the status is want; any other status is an *httpError.
func (s *server) call(ctx context.Context, token, method, path string, body, out any, want int) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, s.URL+path, rd)
	if err != nil {
		return err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != want {
		return &httpError{Status: resp.StatusCode, Body: string(data)}
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			return fmt.Errorf("%s %s: decode answer %q: %w", method, path, data, err)
		}
	}
	return nil
}

type httpError struct {
	Status int
	Body   string
}

func (e *httpError) Error() string { return fmt.Sprintf("HTTP %d: %s", e.Status, e.Body) }

// login logs in as admin and returns the bearer token.
func (s *server) login() string {
	s.t.Helper()
	var r struct {
		Token string `json:"token"`
	}
	if err := s.call(context.Background(), "", "POST", "/api/v1/login",
		map[string]string{"username": "admin", "password": adminPassword}, &r, 200); err != nil {
		s.t.Fatalf("login: %v", err)
	}
	if r.Token == "" {
		s.t.Fatal("login answered no token")
	}
	return r.Token
}

// openIncident opens an incident and returns its id.
func (s *server) openIncident(token, title string) string {
	s.t.Helper()
	var r struct {
		ID string `json:"id"`
	}
	if err := s.call(context.Background(), token, "POST", "/api/v1/incidents",
		map[string]string{"title": title, "description": "opened by " + s.t.Name(), "scope": "region", "level": "staff"}, &r, 201); err != nil {
		s.t.Fatalf("open incident: %v", err)
	}
	if r.ID == "" {
		s.t.Fatal("open incident answered no id")
	}
	return r.ID
}

// entry is a journal entry as the API shows it, as far as the tests care.
type entry struct {
	ID   string `json:"id"`
	Text string `json:"text"`
	Seq  uint64 `json:"seq"`
}

// record appends an info_in journal entry.
func (s *server) record(ctx context.Context, token, incident, text string) (entry, error) {
	var e entry
	err := s.call(ctx, token, "POST", "/api/v1/incidents/"+incident+"/journal",
		map[string]string{"kind": "info_in", "text": text}, &e, 201)
	return e, err
}

// journal reads an incident's whole journal.
func (s *server) journal(token, incident string) []entry {
	s.t.Helper()
	var r struct {
		Entries []entry `json:"entries"`
	}
	if err := s.call(context.Background(), token, "GET", "/api/v1/incidents/"+incident+"/journal", nil, &r, 200); err != nil {
		s.t.Fatalf("read journal: %v", err)
	}
	return r.Entries
}

// verifyResult is what `fyr verify` said.
type verifyResult struct {
	Code           int
	Stdout, Stderr string
}

// runVerify runs `fyr verify --data dir`.
func runVerify(t testing.TB, dir string) verifyResult {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, fyrBin, "verify", "--data", dir)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		t.Fatalf("run fyr verify: %v", err)
	}
	if ctx.Err() != nil {
		t.Fatalf("fyr verify did not finish within %v\nstdout:\n%s\nstderr:\n%s", startTimeout, &stdout, &stderr)
	}
	return verifyResult{Code: cmd.ProcessState.ExitCode(), Stdout: stdout.String(), Stderr: stderr.String()}
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "…" + s[len(s)-n:]
}
