package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"fyr/internal/incident"
)

const (
	crashWriters = 8                      // concurrent writers per round
	crashMaxWait = 150 * time.Millisecond // the longest random wait before the kill
)

// TestCrashLosesNothingAcknowledged kills `fyr serve` with SIGKILL while
// concurrent writers append to the journal, over and over on one data
// directory, and checks after every restart that each acknowledged entry is
// there exactly once. At the end the server is stopped with SIGTERM under
// the same load: it exits 0, the log holds every acknowledged entry once,
// and `fyr verify` passes.
//
// FYR_CRASH_SEED repeats a run's random kill times; FYR_CRASH_ROUNDS runs
// more rounds than the default 20 (a soak test).
func TestCrashLosesNothingAcknowledged(t *testing.T) {
	t.Parallel()
	rounds := 20
	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv("FYR_CRASH_SEED"); s != "" {
		var err error
		if seed, err = strconv.ParseUint(s, 10, 64); err != nil {
			t.Fatalf("FYR_CRASH_SEED: %v", err)
		}
	}
	if s := os.Getenv("FYR_CRASH_ROUNDS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			t.Fatalf("FYR_CRASH_ROUNDS=%q: want a positive number", s)
		}
		rounds = n
	}
	t.Logf("seed %d (FYR_CRASH_SEED=%d repeats it)", seed, seed)
	rng := rand.New(rand.NewPCG(seed, 0))

	dir := t.TempDir()
	j := &journalCheck{t: t, acked: map[string]entry{}, seen: map[string]entry{}}
	var inc string
	for round := range rounds {
		if round%5 == 4 {
			// A kill at any moment includes while the server starts and
			// recovers the log.
			s := spawnServer(t, dir)
			<-time.After(time.Duration(rng.IntN(60)) * time.Millisecond)
			s.kill()
		}
		srv := startServer(t, dir)
		token := srv.login()
		if round == 0 {
			inc = srv.openIncident(token, "Crash test")
			if r := runVerify(t, dir); r.Code != 1 || !strings.Contains(r.Stderr, "in use") {
				t.Errorf("fyr verify on the directory of a running server: exit %d\n%s%s", r.Code, r.Stdout, r.Stderr)
			}
		} else {
			j.check(srv, token, inc, round)
		}
		if t.Failed() {
			return
		}
		wait := j.load(srv, token, inc, round, rng, srv.kill)
		t.Logf("round %d: SIGKILL %v after the writers got going; %d entries acknowledged so far", round, wait.Round(time.Millisecond), len(j.acked))

		// Now and then check the chain straight after a crash; the other
		// rounds leave the recovery to the server.
		if round%3 == 2 {
			if r := runVerify(t, dir); r.Code != 0 {
				t.Fatalf("round %d: fyr verify after SIGKILL: exit %d\n%s%s", round, r.Code, r.Stdout, r.Stderr)
			}
		}
		if t.Failed() {
			return
		}
	}

	// Graceful shutdown under load: SIGTERM, exit 0, nothing acknowledged lost.
	srv := startServer(t, dir)
	token := srv.login()
	j.check(srv, token, inc, rounds)
	wait := j.load(srv, token, inc, rounds, rng, srv.stop)
	t.Logf("SIGTERM %v after the writers got going; %d entries acknowledged", wait.Round(time.Millisecond), len(j.acked))
	if t.Failed() {
		return
	}

	// The log itself, read straight from the store, holds each entry once.
	evs := readLog(t, dir)
	perText := map[string]int{}
	for _, e := range evs {
		if e.Type != incident.TypeEntryRecorded {
			continue
		}
		var p struct {
			Text string `json:"text"`
		}
		if err := json.Unmarshal(e.Payload, &p); err != nil {
			t.Fatalf("event %s at seq %d: %v", e.ID, e.Seq, err)
		}
		perText[p.Text]++
	}
	for what, m := range map[string]map[string]entry{"acknowledged": j.acked, "earlier": j.seen} {
		for text, want := range m {
			if perText[text] != 1 {
				t.Errorf("the log holds %s entry %q (seq %d) %d times", what, text, want.Seq, perText[text])
			}
		}
	}
	for text, n := range perText {
		if n > 1 {
			t.Errorf("the log holds entry %q %d times", text, n)
		}
	}

	r := runVerify(t, dir)
	if r.Code != 0 {
		t.Fatalf("fyr verify: exit %d\n%s%s", r.Code, r.Stdout, r.Stderr)
	}
	if want := fmt.Sprintf("OK: %d events", len(evs)); !strings.Contains(r.Stdout, want) {
		t.Fatalf("fyr verify said %q, want %q", r.Stdout, want)
	}
	// A graceful shutdown answers every write it took on.
	final := fmt.Sprintf("crash r%02d ", rounds)
	for text := range perText {
		if _, ok := j.acked[text]; !ok && strings.HasPrefix(text, final) {
			t.Errorf("entry %q landed during the graceful shutdown, but its writer had no answer", text)
		}
	}
	t.Logf("%d rounds: %d entries acknowledged, %d more landed without an answer; %s",
		rounds, len(j.acked), len(perText)-len(j.acked), strings.TrimSpace(r.Stdout))
}

// journalCheck remembers what the crash test must find after a restart.
type journalCheck struct {
	t     *testing.T
	mu    sync.Mutex
	acked map[string]entry // by text: every write answered 201
	seen  map[string]entry // by text: every entry read back after a restart
}

// load runs crashWriters concurrent writers against srv until end (SIGKILL
// or SIGTERM) ends the server under them, a random moment after every writer
// could have had an answer. It records every acknowledged write and returns
// how long it waited before calling end.
func (j *journalCheck) load(srv *server, token, inc string, round int, rng *rand.Rand, end func()) time.Duration {
	j.t.Helper()
	var (
		wg        sync.WaitGroup
		nacks     int
		running   = make(chan struct{}) // closed at the crashWriters-th acknowledgement
		unexpects []string
	)
	for w := range crashWriters {
		wg.Go(func() {
			for i := 0; ; i++ {
				text := fmt.Sprintf("crash r%02d w%d n%05d", round, w, i)
				e, err := srv.record(context.Background(), token, inc, text)
				j.mu.Lock()
				var he *httpError
				if errors.As(err, &he) {
					// The server answered, and not with 201: a server that
					// is alive, or shutting down gracefully, must not
					// refuse a valid write.
					unexpects = append(unexpects, fmt.Sprintf("%s: %v", text, err))
				}
				if err == nil {
					j.ack(text, e)
					if nacks++; nacks == crashWriters {
						close(running)
					}
				}
				j.mu.Unlock()
				if err != nil {
					return // the server is gone: this write may or may not have landed
				}
			}
		})
	}
	select {
	case <-running:
	case <-time.After(startTimeout):
		j.t.Errorf("round %d: %d writers did not get %d answers within %v", round, crashWriters, crashWriters, startTimeout)
	}
	wait := time.Duration(rng.Int64N(int64(crashMaxWait)))
	<-time.After(wait)
	end()
	wg.Wait()
	for _, u := range unexpects {
		j.t.Errorf("round %d: a write was refused: %s", round, u)
	}
	return wait
}

func (j *journalCheck) ack(text string, e entry) {
	if e.Text != text || e.ID == "" || e.Seq == 0 {
		j.t.Errorf("write %q answered %+v", text, e)
	}
	j.acked[text] = e
}

// check reads the journal after a restart: every acknowledged entry, and
// every entry an earlier restart showed, is there exactly once, with the id
// and sequence number it had; no entry is there twice.
func (j *journalCheck) check(srv *server, token, inc string, round int) {
	j.t.Helper()
	entries := srv.journal(token, inc)
	byText := map[string][]entry{}
	ids := map[string]bool{}
	for _, e := range entries {
		byText[e.Text] = append(byText[e.Text], e)
		if ids[e.ID] {
			j.t.Errorf("after restart %d: entry id %s appears twice", round, e.ID)
		}
		ids[e.ID] = true
	}
	for text, es := range byText {
		if len(es) > 1 {
			j.t.Errorf("after restart %d: entry %q appears %d times: %+v", round, text, len(es), es)
		}
	}
	lost := 0
	for what, m := range map[string]map[string]entry{"acknowledged": j.acked, "earlier": j.seen} {
		for text, want := range m {
			es := byText[text]
			switch {
			case len(es) == 0:
				if lost++; lost <= 10 {
					j.t.Errorf("after restart %d: %s entry %q (id %s, seq %d) is lost", round, what, text, want.ID, want.Seq)
				}
			case es[0].ID != want.ID || es[0].Seq != want.Seq:
				j.t.Errorf("after restart %d: %s entry %q was id %s at seq %d, is id %s at seq %d", round, what, text, want.ID, want.Seq, es[0].ID, es[0].Seq)
			}
		}
	}
	if lost > 10 {
		j.t.Errorf("after restart %d: %d entries lost in all", round, lost)
	}
	for text, es := range byText {
		if strings.HasPrefix(text, "crash ") {
			j.seen[text] = es[0]
		}
	}
}
