package kernel_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"fyr/internal/event"
	"fyr/internal/kernel"
	"fyr/internal/store"
)

// tally is a model that counts the "n" events of an org and remembers
// their values in order.
type tally struct {
	mu     sync.Mutex
	values []int
}

func (m *tally) Apply(e event.Envelope) error {
	if e.Type != "n" {
		return nil
	}
	var v int
	if err := e.Unmarshal(&v); err != nil {
		return err
	}
	m.mu.Lock()
	m.values = append(m.values, v)
	m.mu.Unlock()
	return nil
}

func (m *tally) snapshot() []int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]int(nil), m.values...)
}

func open(t *testing.T, log store.Log, org string, read *tally) *kernel.Kernel[*tally] {
	t.Helper()
	k, err := kernel.Open(context.Background(), kernel.Config[*tally]{Log: log, Org: org,
		NewWrite: func() *tally { return &tally{} }, Read: read})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(k.Close)
	return k
}

// add appends value v unless the write model already holds it.
func add(v int) store.Command[*tally] {
	return func(m *tally, _ time.Time) ([]event.Draft, error) {
		for _, have := range m.values {
			if have == v {
				return nil, errors.New("already there")
			}
		}
		return []event.Draft{{Type: "n", Payload: v}}, nil
	}
}

// A command's caller sees its write in the read model when Do returns,
// the write model refuses what it already holds, and a second kernel on the
// same log replays both models to the same state.
func TestDoShowsTheWriteAndReplayRebuilds(t *testing.T) {
	log := store.NewMem()
	read := &tally{}
	k := open(t, log, "o", read)
	for v := 1; v <= 3; v++ {
		evs, err := k.Do(context.Background(), add(v))
		if err != nil {
			t.Fatal(err)
		}
		if got := read.snapshot(); len(got) != v || got[v-1] != v {
			t.Fatalf("after Do(%d) the read model holds %v", v, got)
		}
		if k.Seq() != evs[0].Seq {
			t.Fatalf("Seq %d, want the event's %d", k.Seq(), evs[0].Seq)
		}
	}
	if _, err := k.Do(context.Background(), add(2)); err == nil {
		t.Fatal("the write model took 2 twice")
	}
	k.Close()

	again := &tally{}
	k2 := open(t, log, "o", again)
	if got := again.snapshot(); len(got) != 3 {
		t.Fatalf("replayed read model %v, want [1 2 3]", got)
	}
	if _, err := k2.Do(context.Background(), add(3)); err == nil {
		t.Fatal("the replayed write model took 3 twice")
	}
}

// The read model and the listeners see only the kernel's organisation,
// also for events another writer appends to the shared log.
func TestReadModelFollowsTheLogForItsOrgOnly(t *testing.T) {
	log := store.NewMem()
	read := &tally{}
	k := open(t, log, "o", read)
	heard := make(chan int, 10)
	k.Listen(func(e event.Envelope) {
		var v int
		json.Unmarshal(e.Payload, &v)
		heard <- v
	})
	other := open(t, log, "p", &tally{})
	if _, err := other.Do(context.Background(), add(7)); err != nil {
		t.Fatal(err)
	}
	// A second kernel of the same org (another node's writer) appends.
	peer := open(t, log, "o", &tally{})
	evs, err := peer.Do(context.Background(), add(9))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := k.WaitFor(ctx, evs[0].Seq); err != nil {
		t.Fatal(err)
	}
	if got := read.snapshot(); len(got) != 1 || got[0] != 9 {
		t.Fatalf("read model %v, want [9] (org p's 7 left out)", got)
	}
	if v := <-heard; v != 9 {
		t.Fatalf("listener heard %d first, want 9", v)
	}
}

// View gives a capability a Runner over its part of the write model only.
func TestViewRunsOnThePickedPart(t *testing.T) {
	read := &tally{}
	k := open(t, store.NewMem(), "o", read)
	type part struct{ n int }
	r := kernel.View(k, func(m *tally) part { return part{len(m.values)} })
	for i := 0; i < 2; i++ {
		if _, err := r.Run(context.Background(), func(p part, _ time.Time) ([]event.Draft, error) {
			return []event.Draft{{Type: "n", Payload: p.n * 10}}, nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	if got := read.snapshot(); len(got) != 2 || got[0] != 0 || got[1] != 10 {
		t.Fatalf("read model %v, want [0 10]", got)
	}
	if r.Seq() != k.Seq() {
		t.Fatalf("runner Seq %d, kernel %d", r.Seq(), k.Seq())
	}
}

// An event the read model cannot fold stops a start; arriving live, it
// stops the read model, which applies nothing more, and every command and
// wait is refused naming the event.
func TestAnEventTheModelCannotFoldStopsTheNode(t *testing.T) {
	log := store.NewMem()
	read := &tally{}
	k := open(t, log, "o", read)
	bad, err := event.Seal(event.Draft{Type: "n", Payload: "not a number"}, event.NewID(), "o", "", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	seq, err := log.Commit(context.Background(), "o", 0, []event.Envelope{bad})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err = k.WaitFor(ctx, seq)
	if err == nil || !strings.Contains(err.Error(), bad.ID) {
		t.Fatalf("WaitFor past a bad event: %v, want the event named", err)
	}
	if k.Healthy() == nil {
		t.Fatal("the kernel says it is healthy after a bad event")
	}
	if _, err := k.Do(context.Background(), add(1)); err == nil || !strings.Contains(err.Error(), "stopped") {
		t.Fatalf("a command after a bad event: %v", err)
	}
	_, err = kernel.Open(context.Background(), kernel.Config[*tally]{Log: log, Org: "o",
		NewWrite: func() *tally { return &tally{} }, Read: &tally{}})
	if err == nil || !strings.Contains(err.Error(), bad.ID) {
		t.Fatalf("Open on a log with a bad event: %v, want the event named", err)
	}
}

// WaitFor gives up with the context, naming where the read model stands.
func TestWaitForEndsWithTheContext(t *testing.T) {
	k := open(t, store.NewMem(), "o", &tally{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := k.WaitFor(ctx, 5); !errors.Is(err, context.Canceled) {
		t.Fatalf("WaitFor on a cancelled context: %v", err)
	}
}
