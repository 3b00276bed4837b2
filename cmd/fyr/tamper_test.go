package main

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyr/internal/event"
	"fyr/internal/store"
)

// tamperLog is a data directory of a stopped server with a known journal.
type tamperLog struct {
	dir     string
	entries []entry          // the journal entries the test wrote, in order
	events  []event.Envelope // every event in the log, in order
}

// eventOf returns the log event that carries entry i.
func (l *tamperLog) eventOf(t *testing.T, i int) event.Envelope {
	t.Helper()
	for _, e := range l.events {
		if e.Seq == l.entries[i].Seq {
			if !bytes.Contains(e.Payload, []byte(l.entries[i].Text)) {
				t.Fatalf("event at seq %d does not carry entry %q", e.Seq, l.entries[i].Text)
			}
			return e
		}
	}
	t.Fatalf("no event at seq %d", l.entries[i].Seq)
	return event.Envelope{}
}

// makeTamperLog starts fyr serve, writes ten journal entries through the API
// and stops the server with SIGTERM.
func makeTamperLog(t *testing.T) *tamperLog {
	t.Helper()
	l := &tamperLog{dir: t.TempDir()}
	srv := startServer(t, l.dir)
	token := srv.login()
	inc := srv.openIncident(token, "Tamper test")
	nonce := strconv.FormatInt(time.Now().UnixNano(), 36)
	for i := range 10 {
		e, err := srv.record(context.Background(), token, inc, fmt.Sprintf("tamper-entry-%02d-%s", i, nonce))
		if err != nil {
			t.Fatalf("record entry %d: %v", i, err)
		}
		if e.Seq == 0 || e.ID == "" {
			t.Fatalf("record entry %d answered %+v", i, e)
		}
		l.entries = append(l.entries, e)
	}
	srv.stop()
	l.events = readLog(t, l.dir)
	for i, e := range l.events {
		if e.Seq != uint64(i+1) {
			t.Fatalf("event %d of the log is at seq %d", i, e.Seq)
		}
	}
	if got := l.events[len(l.events)-1].Seq; got != l.entries[len(l.entries)-1].Seq {
		t.Fatalf("the last journal entry is at seq %d, the log ends at seq %d", l.entries[len(l.entries)-1].Seq, got)
	}
	if r := runVerify(t, l.dir); r.Code != 0 || !strings.Contains(r.Stdout, fmt.Sprintf("OK: %d events", len(l.events))) {
		t.Fatalf("the untouched log does not verify: exit %d\n%s%s", r.Code, r.Stdout, r.Stderr)
	}
	return l
}

// readLog returns every event of a stopped data directory.
func readLog(t *testing.T, dir string) []event.Envelope {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	defer cancel()
	st, err := store.Open(ctx, store.Config{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var evs []event.Envelope
	if err := st.Replay(ctx, func(e event.Envelope) error { evs = append(evs, e); return nil }); err != nil {
		t.Fatalf("replay %s: %v", dir, err)
	}
	return evs
}

// writeLog builds a new data directory whose stream holds exactly evs, stored
// as they are: Commit does not re-hash, so this is what someone who rewrites
// the log with the NATS tools would produce.
func writeLog(t *testing.T, evs []event.Envelope) string {
	t.Helper()
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	defer cancel()
	st, err := store.Open(ctx, store.Config{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	last := map[string]uint64{}
	for _, e := range evs {
		seq, err := st.Commit(ctx, e.Org, last[e.Org], []event.Envelope{e})
		if err != nil {
			t.Fatalf("commit event %s: %v", e.ID, err)
		}
		last[e.Org] = seq
	}
	return dir
}

// copyDir copies a stopped data directory.
func copyDir(t *testing.T, src string) string {
	t.Helper()
	dst := t.TempDir()
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		to := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(to, 0o700)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(to, data, 0o600)
	})
	if err != nil {
		t.Fatalf("copy %s: %v", src, err)
	}
	return dst
}

// flipByteOf alters one byte of text where the JetStream message blocks of
// dir store it, the way someone editing the files on disk would.
func flipByteOf(t *testing.T, dir, text string) {
	t.Helper()
	found := 0
	err := filepath.WalkDir(filepath.Join(dir, "jetstream"), func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".blk") {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		i := bytes.Index(data, []byte(text))
		if i < 0 {
			return nil
		}
		found++
		data[i+len(text)-3] ^= 0x01 // a letter or digit becomes another: still valid JSON
		return os.WriteFile(path, data, 0o600)
	})
	if err != nil {
		t.Fatal(err)
	}
	if found != 1 {
		t.Fatalf("found %q in %d message block files, want 1", text, found)
	}
}

var brokenAt = regexp.MustCompile(`chain broken at seq (\d+)(?: \(event ([0-9A-Z]+)\))?: (.*)`)

// requireBroken runs fyr verify on dir and requires exit 3 naming seq and,
// when id is not empty, the event id, with a reason that contains reason.
func requireBroken(t *testing.T, dir string, seq uint64, id, reason string) {
	t.Helper()
	r := runVerify(t, dir)
	t.Logf("fyr verify: exit %d\n%s%s", r.Code, r.Stdout, r.Stderr)
	if r.Code != 3 {
		t.Fatalf("fyr verify exited %d, want 3", r.Code)
	}
	m := brokenAt.FindStringSubmatch(r.Stdout)
	if m == nil {
		t.Fatalf("fyr verify did not say where the chain broke:\n%s", r.Stdout)
	}
	if m[1] != strconv.FormatUint(seq, 10) {
		t.Errorf("fyr verify names seq %s, want %d", m[1], seq)
	}
	if id != "" && m[2] != id {
		t.Errorf("fyr verify names event %q, want %s", m[2], id)
	}
	if !strings.Contains(m[3], reason) {
		t.Errorf("fyr verify gives the reason %q, want it to say %q", m[3], reason)
	}
}

func TestVerifyNamesTamperedEvent(t *testing.T) {
	t.Parallel()
	l := makeTamperLog(t)

	t.Run("alter bytes on disk", func(t *testing.T) {
		dir := copyDir(t, l.dir)
		flipByteOf(t, dir, l.entries[4].Text)
		requireBroken(t, dir, l.entries[4].Seq, "", "missing")
	})
	t.Run("alter the newest event on disk", func(t *testing.T) {
		dir := copyDir(t, l.dir)
		flipByteOf(t, dir, l.entries[9].Text)
		requireBroken(t, dir, l.entries[9].Seq, "", "missing")
	})
	t.Run("alter two adjacent events on disk", func(t *testing.T) {
		dir := copyDir(t, l.dir)
		flipByteOf(t, dir, l.entries[2].Text)
		flipByteOf(t, dir, l.entries[3].Text)
		requireBroken(t, dir, l.entries[2].Seq, "", fmt.Sprintf("seq %d..%d are missing", l.entries[2].Seq, l.entries[3].Seq))
	})
	t.Run("alter the first event on disk", func(t *testing.T) {
		dir := copyDir(t, l.dir)
		flipByteOf(t, dir, l.events[0].ID) // its id is in the record's header and body
		requireBroken(t, dir, 1, "", "missing")
	})

	// The rest rewrite the log through the store, the way someone with access
	// to NATS could: every record is intact as far as JetStream can tell.
	t.Run("rewrite unchanged", func(t *testing.T) {
		dir := writeLog(t, l.events)
		if r := runVerify(t, dir); r.Code != 0 || !strings.Contains(r.Stdout, fmt.Sprintf("OK: %d events", len(l.events))) {
			t.Fatalf("a faithful copy does not verify: exit %d\n%s%s", r.Code, r.Stdout, r.Stderr)
		}
	})
	t.Run("rewrite with altered text, stored hash kept", func(t *testing.T) {
		evs := slices.Clone(l.events)
		e := l.eventOf(t, 4)
		text := l.entries[4].Text
		e.Payload = bytes.Replace(e.Payload, []byte(text), []byte(strings.Replace(text, "tamper", "TAMPER", 1)), 1)
		evs[e.Seq-1] = e
		requireBroken(t, writeLog(t, evs), e.Seq, e.ID, "content altered")
	})
	t.Run("rewrite with altered text, hash recomputed", func(t *testing.T) {
		// The altered event is consistent in itself; the next one's prev
		// still holds the hash of the original.
		evs := slices.Clone(l.events)
		e := l.eventOf(t, 4)
		e.Payload = bytes.Replace(e.Payload, []byte("tamper"), []byte("TAMPER"), 1)
		e.Hash = e.ComputeHash()
		evs[e.Seq-1] = e
		next := l.eventOf(t, 5)
		requireBroken(t, writeLog(t, evs), next.Seq, next.ID, "does not follow")
	})
	t.Run("rewrite with one event removed", func(t *testing.T) {
		e := l.eventOf(t, 4)
		evs := slices.Delete(slices.Clone(l.events), int(e.Seq-1), int(e.Seq))
		// The event after it moves up into its place and does not follow.
		next := l.eventOf(t, 5)
		requireBroken(t, writeLog(t, evs), e.Seq, next.ID, "does not follow")
	})
	t.Run("rewrite with two events swapped", func(t *testing.T) {
		evs := slices.Clone(l.events)
		a, b := l.eventOf(t, 4), l.eventOf(t, 5)
		evs[a.Seq-1], evs[b.Seq-1] = b, a
		requireBroken(t, writeLog(t, evs), a.Seq, b.ID, "does not follow")
	})
	t.Run("rewrite with the first event removed", func(t *testing.T) {
		evs := slices.Clone(l.events[1:])
		requireBroken(t, writeLog(t, evs), 1, l.events[1].ID, "does not follow")
	})
}

func TestVerifyRefusesADirectoryWithoutALog(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	r := runVerify(t, dir)
	if r.Code != 1 || !strings.Contains(r.Stderr, "no Fyr event log") {
		t.Fatalf("fyr verify on an empty directory: exit %d\n%s%s", r.Code, r.Stdout, r.Stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "jetstream")); err == nil {
		t.Fatal("fyr verify created a log in the directory it was asked to check")
	}
	if r := runVerify(t, filepath.Join(dir, "missing")); r.Code != 1 {
		t.Fatalf("fyr verify on a missing directory: exit %d\n%s%s", r.Code, r.Stdout, r.Stderr)
	}
}
