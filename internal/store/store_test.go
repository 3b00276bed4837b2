package store_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"fyr/internal/event"
	"fyr/internal/store"
)

type counter struct{ n int }

func (c *counter) Apply(event.Envelope) error { c.n++; return nil }

func open(t *testing.T, dir string) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), store.Config{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// eachLog runs a writer test on JetStream and on the in-memory twin. The
// test gets the log and a reopen that closes it and opens it again on the
// same data (for Mem: the same log, which survives only in memory).
func eachLog(t *testing.T, test func(t *testing.T, st store.Log, reopen func() store.Log)) {
	t.Run("Store", func(t *testing.T) {
		dir := t.TempDir()
		st := open(t, dir)
		t.Cleanup(func() { st.Close() })
		test(t, st, func() store.Log {
			st.Close()
			st = open(t, dir)
			return st
		})
	})
	t.Run("Mem", func(t *testing.T) {
		m := store.NewMem()
		t.Cleanup(m.Close)
		test(t, m, func() store.Log { return m })
	})
}

func TestWriterGroupCommitsAndChains(t *testing.T) { eachLog(t, testWriterGroupCommitsAndChains) }

func testWriterGroupCommitsAndChains(t *testing.T, st store.Log, reopen func() store.Log) {
	ctx, cancel := context.WithCancel(context.Background())
	w, err := store.NewWriter(ctx, st, "org1", func() *counter { return &counter{} }, time.Now, nil)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	const writers, each = 16, 25
	errs := make(chan error, writers*each)
	for i := 0; i < writers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < each; j++ {
				_, err := w.Do(ctx, func(m *counter, now time.Time) ([]event.Draft, error) {
					return []event.Draft{{Type: "test.happened", Subject: "s", Payload: map[string]int{"n": m.n}}}, nil
				})
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	// A refused command writes nothing.
	_, err = w.Do(ctx, func(m *counter, now time.Time) ([]event.Draft, error) { return nil, errors.New("no") })
	if err == nil {
		t.Fatal("refused command did not return its error")
	}
	cancel()
	st = reopen()
	v := event.NewVerifier()
	if err := st.Replay(context.Background(), v.Check); err != nil {
		t.Fatal(err)
	}
	if v.Count != writers*each {
		t.Fatalf("replayed %d events, want %d", v.Count, writers*each)
	}
}

func TestCommitRejectsStaleWriter(t *testing.T) {
	st := open(t, t.TempDir())
	defer st.Close()
	ctx := context.Background()
	e1, _ := event.Seal(event.Draft{Type: "t", Payload: 1}, event.NewID(), "o", "", time.Now())
	if _, err := st.Commit(ctx, "o", 0, []event.Envelope{e1}); err != nil {
		t.Fatal(err)
	}
	e2, _ := event.Seal(event.Draft{Type: "t", Payload: 2}, event.NewID(), "o", "", time.Now())
	if _, err := st.Commit(ctx, "o", 0, []event.Envelope{e2}); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("stale commit: got %v, want ErrConflict", err)
	}
}

func TestOpenRefusesADirectoryInUse(t *testing.T) {
	dir := t.TempDir()
	st := open(t, dir)
	defer st.Close()
	if _, err := store.Open(context.Background(), store.Config{Dir: dir}); !errors.Is(err, store.ErrLocked) {
		t.Fatalf("second open: got %v, want ErrLocked", err)
	}
}

// A command that finds nothing to do is answered at once, with no events,
// also when nothing else in its batch writes.
func TestCommandWithNothingToDoIsAnswered(t *testing.T) {
	eachLog(t, testCommandWithNothingToDoIsAnswered)
}

func testCommandWithNothingToDoIsAnswered(t *testing.T, st store.Log, _ func() store.Log) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	w, err := store.NewWriter(ctx, st, "org1", func() *counter { return &counter{} }, time.Now, nil)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		evs, err := w.Do(ctx, func(*counter, time.Time) ([]event.Draft, error) { return nil, nil })
		if err == nil && len(evs) != 0 {
			err = errors.New("events from a command that wrote none")
		}
		done <- err
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("a command with nothing to do was never answered")
	}
}

// A large command among many small ones is not refused for the room the
// others took in its batch: it goes into the next one.
func TestLargeCommandAmongSmallOnesIsCarried(t *testing.T) {
	eachLog(t, testLargeCommandAmongSmallOnesIsCarried)
}

func testLargeCommandAmongSmallOnesIsCarried(t *testing.T, st store.Log, reopen func() store.Log) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	w, err := store.NewWriter(ctx, st, "org1", func() *counter { return &counter{} }, time.Now, nil)
	if err != nil {
		t.Fatal(err)
	}
	one := func(n int) store.Command[*counter] {
		return func(*counter, time.Time) ([]event.Draft, error) {
			drafts := make([]event.Draft, n)
			for i := range drafts {
				drafts[i] = event.Draft{Type: "test.happened", Subject: "s", Payload: map[string]int{"i": i}}
			}
			return drafts, nil
		}
	}
	const small, large = 600, store.MaxBatch - 10
	var wg sync.WaitGroup
	errs := make(chan error, small+1)
	for i := range small + 1 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n := 1
			if i == small/2 {
				n = large
			}
			evs, err := w.Do(ctx, one(n))
			if err == nil && len(evs) != n {
				err = errors.New("a command's events came back short")
			}
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	cancel()
	st = reopen()
	v := event.NewVerifier()
	if err := st.Replay(context.Background(), v.Check); err != nil {
		t.Fatal(err)
	}
	if v.Count != small+large {
		t.Fatalf("replayed %d events, want %d", v.Count, small+large)
	}
}
