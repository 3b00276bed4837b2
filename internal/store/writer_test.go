package store_test

import (
	"context"
	"errors"
	"log/slog"
	"testing"
	"time"

	"fyr/internal/event"
	"fyr/internal/store"
)

func happened(n int) store.Command[*counter] {
	return func(m *counter, now time.Time) ([]event.Draft, error) {
		return []event.Draft{{Type: "test.happened", Subject: "s", Payload: map[string]int{"n": n, "seen": m.n}}}, nil
	}
}

// verify replays st through the verifier `fyr verify` uses and returns how
// many events it holds.
func verify(t *testing.T, st store.Log) int {
	t.Helper()
	v := event.NewVerifier()
	if err := st.Replay(context.Background(), v.Check); err != nil {
		t.Fatalf("the log does not verify: %v", err)
	}
	return v.Count
}

// A writer that another one overtook gets ErrConflict once, then reloads
// its model and goes on after the other's event: the chain does not fork.
func TestWriterRecoversFromAConflict(t *testing.T) { eachLog(t, testWriterRecoversFromAConflict) }

func testWriterRecoversFromAConflict(t *testing.T, st store.Log, _ func() store.Log) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	logger := slog.New(slog.DiscardHandler)
	w, err := store.NewWriter(ctx, st, "org1", func() *counter { return &counter{} }, time.Now, logger)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Do(ctx, happened(1)); err != nil {
		t.Fatal(err)
	}
	// A second appender of the same org (another node) gets there first.
	other, err := store.NewWriter(ctx, st, "org1", func() *counter { return &counter{} }, time.Now, logger)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := other.Do(ctx, happened(2)); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Do(ctx, happened(3)); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("the overtaken writer: got %v, want ErrConflict", err)
	}
	evs, err := w.Do(ctx, func(m *counter, now time.Time) ([]event.Draft, error) {
		if m.n != 2 {
			return nil, errors.New("the reloaded model does not hold the other writer's event")
		}
		return happened(4)(m, now)
	})
	if err != nil {
		t.Fatal(err)
	}
	if evs[0].Seq != 3 {
		t.Fatalf("the event after the conflict got seq %d, want 3", evs[0].Seq)
	}
	if n := verify(t, st); n != 3 {
		t.Fatalf("the log holds %d events, want 3", n)
	}
}

// While the log is full every command is refused with ErrFull and writes
// nothing; once it takes writes again the chain goes on unbroken.
func TestWriterRefusesWhileTheLogIsFull(t *testing.T) {
	m := store.NewMem()
	defer m.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	w, err := store.NewWriter(ctx, m, "org1", func() *counter { return &counter{} }, time.Now, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Do(ctx, happened(1)); err != nil {
		t.Fatal(err)
	}
	m.SetFault(store.ErrFull)
	for i := range 3 {
		if _, err := w.Do(ctx, happened(2+i)); !errors.Is(err, store.ErrFull) {
			t.Fatalf("a command while the log is full: got %v, want ErrFull", err)
		}
	}
	if _, err := m.Commit(ctx, "org1", 1, nil); !errors.Is(err, store.ErrFull) {
		t.Fatalf("a commit while the log is full: got %v, want ErrFull", err)
	}
	m.SetFault(nil)
	evs, err := w.Do(ctx, func(c *counter, now time.Time) ([]event.Draft, error) {
		if c.n != 1 {
			return nil, errors.New("refused commands left events in the model")
		}
		return happened(9)(c, now)
	})
	if err != nil {
		t.Fatal(err)
	}
	if evs[0].Seq != 2 {
		t.Fatalf("the first event after the fault got seq %d, want 2", evs[0].Seq)
	}
	if n := verify(t, m); n != 2 {
		t.Fatalf("the log holds %d events, want 2", n)
	}
}

// Close ends every subscription of the in-memory log before it returns,
// and the log takes nothing after it.
func TestMemCloseEndsSubscriptions(t *testing.T) {
	m := store.NewMem()
	got := make(chan uint64, 4)
	if _, err := m.Subscribe(context.Background(), 1, func(e event.Envelope) { got <- e.Seq }); err != nil {
		t.Fatal(err)
	}
	e, _ := event.Seal(event.Draft{Type: "t", Payload: 1}, event.NewID(), "o", "", time.Now())
	if _, err := m.Commit(context.Background(), "o", 0, []event.Envelope{e}); err != nil {
		t.Fatal(err)
	}
	select {
	case seq := <-got:
		if seq != 1 {
			t.Fatalf("delivered seq %d, want 1", seq)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the event was never delivered")
	}
	m.Close()
	m.Close() // a second Close is harmless
	e2, _ := event.Seal(event.Draft{Type: "t", Payload: 2}, event.NewID(), "o", e.Hash, time.Now())
	if _, err := m.Commit(context.Background(), "o", 1, []event.Envelope{e2}); err == nil {
		t.Fatal("a closed log took a commit")
	}
	if _, err := m.Subscribe(context.Background(), 1, func(event.Envelope) {}); err == nil {
		t.Fatal("a closed log took a subscription")
	}
	if len(got) != 0 {
		t.Fatalf("a closed log delivered seq %d", <-got)
	}
}
