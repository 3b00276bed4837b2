// Package storetest is the conformance suite of store.Log: whatever passes
// it behaves, through the interface, as the JetStream log does. It runs
// against store.Store and store.Mem (internal/store's tests), and against
// any other log that joins them.
package storetest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"fyr/internal/event"
	"fyr/internal/store"
)

// wait bounds how long a test waits for an event that must come; it only
// ends a test that would otherwise hang, it times nothing.
const wait = 10 * time.Second

// Run runs the suite. open returns a new, empty log for one subtest; Run
// closes it when the subtest ends.
func Run(t *testing.T, open func(t *testing.T) store.Log) {
	tests := []struct {
		name string
		fn   func(t *testing.T, l store.Log)
	}{
		{"CommitExpectsTheOrgsLastSequence", testExpectedSequence},
		{"OnlyOneOfConcurrentWritersWins", testConcurrentWriters},
		{"BatchIsAllOrNothing", testBatchAtomicity},
		{"RetryOfAStoredEventIsNotStoredTwice", testRetry},
		{"ReplayGivesBackWhatWasCommitted", testReplayExact},
		{"ReplayStoresTheEncodedForm", testEncodedForm},
		{"ReplayStopsAtTheHeadItStartedAt", testReplayHead},
		{"SubscribeFromTheStart", testSubscribeFromStart},
		{"SubscribeFromTheMiddle", testSubscribeFromMiddle},
		{"SubscribeFromBeyondTheEnd", testSubscribeBeyondEnd},
		{"SubscribeStops", testSubscribeStop},
		{"SubscribeEndsWithCtx", testSubscribeCtx},
		{"WriterChainsVerify", testHashChain},
		{"Orgs", testOrgs},
		{"MaxPayload", testMaxPayload},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l := open(t)
			t.Cleanup(l.Close)
			if err := l.Fault(); err != nil {
				t.Fatalf("a new log has a fault: %v", err)
			}
			tc.fn(t, l)
		})
	}
}

// ev seals one event of org after prev, with payload p.
func ev(t *testing.T, org, prev string, p any) event.Envelope {
	t.Helper()
	e, err := event.Seal(event.Draft{Type: "test.happened", Subject: "s", Actor: "tester", Payload: p}, event.NewID(), org, prev, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// chain seals n events of org chained after prev.
func chain(t *testing.T, org, prev string, n int) []event.Envelope {
	t.Helper()
	evs := make([]event.Envelope, n)
	for i := range evs {
		evs[i] = ev(t, org, prev, map[string]int{"i": i})
		prev = evs[i].Hash
	}
	return evs
}

func commit(t *testing.T, l store.Log, org string, expect uint64, evs ...event.Envelope) uint64 {
	t.Helper()
	seq, err := l.Commit(context.Background(), org, expect, evs)
	if err != nil {
		t.Fatalf("commit %d events of %s after %d: %v", len(evs), org, expect, err)
	}
	return seq
}

func replay(t *testing.T, l store.Log) []event.Envelope {
	t.Helper()
	var got []event.Envelope
	if err := l.Replay(context.Background(), func(e event.Envelope) error {
		got = append(got, e)
		return nil
	}); err != nil {
		t.Fatalf("replay: %v", err)
	}
	return got
}

// same fails unless got is want as stored at seq: every field, byte for byte.
func same(t *testing.T, got, want event.Envelope, seq uint64) {
	t.Helper()
	if got.Seq != seq {
		t.Fatalf("event %s came at seq %d, want %d", want.ID, got.Seq, seq)
	}
	g, _ := json.Marshal(got)
	w, _ := json.Marshal(want)
	if !bytes.Equal(g, w) || !bytes.Equal(got.Payload, want.Payload) {
		t.Fatalf("event at seq %d came back as\n%s\nwant\n%s", seq, g, w)
	}
	if got.ComputeHash() != want.Hash {
		t.Fatalf("event at seq %d does not hash to %s any more", seq, want.Hash)
	}
}

func conflict(t *testing.T, l store.Log, org string, expect uint64, evs ...event.Envelope) {
	t.Helper()
	if _, err := l.Commit(context.Background(), org, expect, evs); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("commit of %s after %d: got %v, want ErrConflict", org, expect, err)
	}
}

func testExpectedSequence(t *testing.T, l store.Log) {
	a1 := ev(t, "a", "", 1)
	if seq := commit(t, l, "a", 0, a1); seq != 1 {
		t.Fatalf("first event got seq %d, want 1", seq)
	}
	a2 := ev(t, "a", a1.Hash, 2)
	conflict(t, l, "a", 0, a2)  // a writer that has not seen a1
	conflict(t, l, "a", 99, a2) // one ahead of the log
	// Each org has its own head; the sequence is the log's.
	b1 := ev(t, "b", "", 1)
	if seq := commit(t, l, "b", 0, b1); seq != 2 {
		t.Fatalf("b's first event got seq %d, want 2", seq)
	}
	conflict(t, l, "a", 2, a2) // b's head is not a's
	if seq := commit(t, l, "a", 1, a2); seq != 3 {
		t.Fatalf("a's second event got seq %d, want 3", seq)
	}
	bs := chain(t, "b", b1.Hash, 3)
	if seq := commit(t, l, "b", 2, bs...); seq != 6 {
		t.Fatalf("a batch of 3 after seq 3 returned %d, want its last, 6", seq)
	}
	conflict(t, l, "b", 2, ev(t, "b", b1.Hash, 9))
	got := replay(t, l)
	want := append([]event.Envelope{a1, b1, a2}, bs...)
	if len(got) != len(want) {
		t.Fatalf("replayed %d events, want %d (a refused commit stored something)", len(got), len(want))
	}
	for i := range want {
		same(t, got[i], want[i], uint64(i+1))
	}
}

func testConcurrentWriters(t *testing.T, l store.Log) {
	commit(t, l, "a", 0, ev(t, "a", "", 0))
	const writers = 8
	var wg sync.WaitGroup
	var won, lost atomic.Int32
	errs := make(chan error, writers)
	for i := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			e1 := ev(t, "b", "", i)
			_, err := l.Commit(context.Background(), "b", 0, []event.Envelope{e1, ev(t, "b", e1.Hash, i)})
			switch {
			case err == nil:
				won.Add(1)
			case errors.Is(err, store.ErrConflict):
				lost.Add(1)
			default:
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if won.Load() != 1 || lost.Load() != writers-1 {
		t.Fatalf("%d writers won and %d lost, want 1 and %d", won.Load(), lost.Load(), writers-1)
	}
	if n := len(replay(t, l)); n != 3 {
		t.Fatalf("replayed %d events, want 3", n)
	}
}

func testBatchAtomicity(t *testing.T, l store.Log) {
	ctx := context.Background()
	head := commit(t, l, "a", 0, chain(t, "a", "", 2)...)
	prev := replay(t, l)[1].Hash
	big := ev(t, "a", prev, strings.Repeat("x", l.MaxPayload()))
	dup := chain(t, "a", prev, 3)
	refused := map[string][]event.Envelope{
		"empty":                  nil,
		"one more than MaxBatch": chain(t, "a", prev, store.MaxBatch+1),
		"one event too large":    append(chain(t, "a", prev, 2), big),
		"one id twice":           append(dup, dup[1]),
	}
	for name, evs := range refused {
		if _, err := l.Commit(ctx, "a", head, evs); err == nil {
			t.Fatalf("batch with %s was taken", name)
		}
	}
	stale := chain(t, "a", prev, 3)
	conflict(t, l, "a", head-1, stale...)
	if n := len(replay(t, l)); n != 2 {
		t.Fatalf("after refused batches the log holds %d events, want 2", n)
	}
	// Nothing of them is left: the full batch comes right after seq 2.
	full := chain(t, "a", prev, store.MaxBatch)
	if seq := commit(t, l, "a", head, full...); seq != head+store.MaxBatch {
		t.Fatalf("a batch of %d after seq %d returned %d, want %d", store.MaxBatch, head, seq, head+store.MaxBatch)
	}
	got := replay(t, l)
	if len(got) != 2+store.MaxBatch {
		t.Fatalf("replayed %d events, want %d", len(got), 2+store.MaxBatch)
	}
	for i, e := range full {
		same(t, got[2+i], e, uint64(3+i))
	}
}

func testRetry(t *testing.T, l store.Log) {
	e := ev(t, "a", "", 1)
	seq := commit(t, l, "a", 0, e)
	// A writer that lost the answer asks again, knowing the head is now e.
	if again := commit(t, l, "a", seq, e); again != seq {
		t.Fatalf("a retried event got seq %d, want its first %d", again, seq)
	}
	// A writer that does not know its event went in meets a conflict.
	conflict(t, l, "a", 0, e)
	if n := len(replay(t, l)); n != 1 {
		t.Fatalf("after a retry the log holds %d events, want 1", n)
	}
}

func testReplayExact(t *testing.T, l store.Log) {
	if got := replay(t, l); len(got) != 0 {
		t.Fatalf("an empty log replayed %d events", len(got))
	}
	payloads := []any{
		map[string]any{"text": "Beslut: ställ in all planerad vård <08:03> & meddela \"alla\" enheter", "n": 1.5},
		[]string{"å", "ä", "ö", "\u2028", "\x00", "😀"},
		nil,
		strings.Repeat("lång text ", 1000),
	}
	var want []event.Envelope
	prev := map[string]string{}
	for i, p := range payloads {
		org := []string{"a", "b"}[i%2]
		e := ev(t, org, prev[org], p)
		e.Source = "telefon"
		e.OccurredAt = e.RecordedAt.Add(-time.Hour)
		e.Hash = e.ComputeHash()
		prev[org] = e.Hash
		want = append(want, e)
	}
	heads := map[string]uint64{}
	for _, e := range want {
		heads[e.Org] = commit(t, l, e.Org, heads[e.Org], e)
	}
	got := replay(t, l)
	if len(got) != len(want) {
		t.Fatalf("replayed %d events, want %d", len(got), len(want))
	}
	for i := range want {
		same(t, got[i], want[i], uint64(i+1))
	}
	stop := errors.New("enough")
	n := 0
	if err := l.Replay(context.Background(), func(event.Envelope) error { n++; return stop }); !errors.Is(err, stop) || n != 1 {
		t.Fatalf("replay whose fn failed: err %v after %d events, want fn's error after 1", err, n)
	}
}

// An event is stored as its JSON encoding: a payload that is not in the
// encoder's compact form comes back compacted, so its hash no longer fits
// and the verifier says so. A twin that kept the event as given would hide
// that.
func testEncodedForm(t *testing.T, l store.Log) {
	e := ev(t, "a", "", 0)
	e.Payload = json.RawMessage(`{ "text" : "<b>" }`)
	e.Hash = e.ComputeHash()
	commit(t, l, "a", 0, e)
	got := replay(t, l)
	if want := `{"text":"\u003cb\u003e"}`; string(got[0].Payload) != want {
		t.Fatalf("stored payload came back as %s, want the encoder's %s", got[0].Payload, want)
	}
	var ce *event.ChainError
	if err := event.NewVerifier().Check(got[0]); !errors.As(err, &ce) || ce.Seq != 1 {
		t.Fatalf("verifier on a payload changed by encoding: got %v, want a chain error at seq 1", err)
	}
}

func testReplayHead(t *testing.T, l store.Log) {
	evs := chain(t, "a", "", 5)
	commit(t, l, "a", 0, evs[:3]...)
	var seqs []uint64
	if err := l.Replay(context.Background(), func(e event.Envelope) error {
		if e.Seq == 1 {
			commit(t, l, "a", 3, evs[3:]...) // appended while the replay runs
		}
		seqs = append(seqs, e.Seq)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(seqs, []uint64{1, 2, 3}) {
		t.Fatalf("replay started at head 3 delivered seqs %v, want [1 2 3]", seqs)
	}
	got := replay(t, l)
	if len(got) != 5 {
		t.Fatalf("the next replay delivered %d events, want 5", len(got))
	}
	for i := range evs {
		same(t, got[i], evs[i], uint64(i+1))
	}
}

// sub subscribes from seq from and gathers what it delivers, checking that
// fn never runs twice at once.
type sub struct {
	t       *testing.T
	evs     chan event.Envelope
	running atomic.Int32
	stop    func()
}

func subscribe(t *testing.T, ctx context.Context, l store.Log, from uint64) *sub {
	t.Helper()
	s := &sub{t: t, evs: make(chan event.Envelope, 2*store.MaxBatch)}
	stop, err := l.Subscribe(ctx, from, func(e event.Envelope) {
		if s.running.Add(1) != 1 {
			t.Error("fn runs twice at once")
		}
		s.evs <- e
		s.running.Add(-1)
	})
	if err != nil {
		t.Fatalf("subscribe from %d: %v", from, err)
	}
	s.stop = stop
	t.Cleanup(stop)
	return s
}

// next returns the next event delivered.
func (s *sub) next() event.Envelope {
	s.t.Helper()
	select {
	case e := <-s.evs:
		return e
	case <-time.After(wait):
		s.t.Fatalf("no event delivered within %v", wait)
		return event.Envelope{}
	}
}

// expect fails unless the next events delivered are want, from seq first.
func (s *sub) expect(first uint64, want ...event.Envelope) {
	s.t.Helper()
	for i, w := range want {
		same(s.t, s.next(), w, first+uint64(i))
	}
}

// none fails if anything more was delivered.
func (s *sub) none() {
	s.t.Helper()
	select {
	case e := <-s.evs:
		s.t.Fatalf("seq %d was delivered to a subscription that ended", e.Seq)
	default:
	}
}

func testSubscribeFromStart(t *testing.T, l store.Log) {
	evs := chain(t, "a", "", 6)
	commit(t, l, "a", 0, evs[:3]...)
	// 0 and 1 both mean the first event.
	subs := []*sub{subscribe(t, context.Background(), l, 0), subscribe(t, context.Background(), l, 1)}
	for _, s := range subs {
		s.expect(1, evs[:3]...)
	}
	commit(t, l, "a", 3, evs[3:5]...)
	commit(t, l, "a", 5, evs[5])
	for _, s := range subs {
		s.expect(4, evs[3:]...)
	}
}

func testSubscribeFromMiddle(t *testing.T, l store.Log) {
	evs := chain(t, "a", "", 6)
	commit(t, l, "a", 0, evs[:4]...)
	s := subscribe(t, context.Background(), l, 3)
	s.expect(3, evs[2:4]...)
	commit(t, l, "a", 4, evs[4:]...)
	s.expect(5, evs[4:]...)
}

func testSubscribeBeyondEnd(t *testing.T, l store.Log) {
	evs := chain(t, "a", "", 6)
	commit(t, l, "a", 0, evs[:2]...)
	s := subscribe(t, context.Background(), l, 5)
	// Events 3 and 4 are before its start, 5 and 6 come live.
	commit(t, l, "a", 2, evs[2])
	commit(t, l, "a", 3, evs[3])
	commit(t, l, "a", 4, evs[4:]...)
	s.expect(5, evs[4:]...)
	s.stop()
	s.none()
}

// barrier returns once a new subscription from seq has seen it, and a
// replay has passed it: whatever the log was going to deliver of it to an
// older subscription has had its chance to go astray. (Without a sleep no
// test can show that nothing comes; a log that goes on delivering is
// caught nearly always, a correct one never fails.)
func barrier(t *testing.T, l store.Log, seq uint64, want event.Envelope) {
	t.Helper()
	b := subscribe(t, context.Background(), l, seq)
	b.expect(seq, want)
	b.stop()
	if got := replay(t, l); uint64(len(got)) < seq {
		t.Fatalf("replay after seq %d delivered %d events", seq, len(got))
	}
}

func testSubscribeStop(t *testing.T, l store.Log) {
	evs := chain(t, "a", "", 3)
	commit(t, l, "a", 0, evs[0])
	s := subscribe(t, context.Background(), l, 1)
	s.expect(1, evs[0])
	s.stop()
	commit(t, l, "a", 1, evs[1:]...)
	barrier(t, l, 3, evs[2])
	s.none()
	s.stop() // a second stop is harmless
}

func testSubscribeCtx(t *testing.T, l store.Log) {
	evs := chain(t, "a", "", 3)
	commit(t, l, "a", 0, evs[0])
	ctx, cancel := context.WithCancel(context.Background())
	s := subscribe(t, ctx, l, 1)
	s.expect(1, evs[0])
	cancel()
	commit(t, l, "a", 1, evs[1:]...)
	barrier(t, l, 3, evs[2])
	s.none()
}

// counter is a write model that counts its events.
type counter struct{ n int }

func (c *counter) Apply(event.Envelope) error { c.n++; return nil }

func testHashChain(t *testing.T, l store.Log) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	orgs := []string{"a", "b"}
	const each = 40
	live := subscribe(t, ctx, l, 1) // sees the chains grow while they are written
	var wg sync.WaitGroup
	errs := make(chan error, len(orgs)*each)
	seqs := make(chan uint64, len(orgs)*each)
	for _, org := range orgs {
		w, err := store.NewWriter(ctx, l, org, func() *counter { return &counter{} }, time.Now, nil)
		if err != nil {
			t.Fatal(err)
		}
		for i := range each {
			wg.Add(1)
			go func() {
				defer wg.Done()
				evs, err := w.Do(ctx, func(m *counter, now time.Time) ([]event.Draft, error) {
					return []event.Draft{{Type: "test.happened", Subject: org, Payload: map[string]int{"i": i, "n": m.n}}}, nil
				})
				if err == nil && len(evs) != 1 {
					err = fmt.Errorf("a command of one event came back with %d", len(evs))
				}
				if err == nil {
					seqs <- evs[0].Seq
				}
				errs <- err
			}()
		}
	}
	wg.Wait()
	close(errs)
	close(seqs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	var got []uint64
	for s := range seqs {
		got = append(got, s)
	}
	slices.Sort(got)
	for i, s := range got {
		if s != uint64(i+1) {
			t.Fatalf("the writers' events have seqs %v, want 1..%d", got, len(orgs)*each)
		}
	}
	// A writer that starts again on the log continues its org's chain.
	w, err := store.NewWriter(ctx, l, "a", func() *counter { return &counter{} }, time.Now, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Do(ctx, func(m *counter, now time.Time) ([]event.Draft, error) {
		if m.n != each {
			return nil, fmt.Errorf("the restarted writer's model holds %d events, want %d", m.n, each)
		}
		return []event.Draft{{Type: "test.happened", Subject: "a", Payload: "again"}}, nil
	}); err != nil {
		t.Fatal(err)
	}
	// The verifier `fyr verify` uses.
	v := event.NewVerifier()
	if err := l.Replay(context.Background(), v.Check); err != nil {
		t.Fatalf("the writers' chains do not verify: %v", err)
	}
	if seq, _ := v.Head(); v.Count != len(orgs)*each+1 || seq != uint64(v.Count) {
		t.Fatalf("verified %d events up to seq %d, want %d", v.Count, seq, len(orgs)*each+1)
	}
	lv := event.NewVerifier()
	for range v.Count {
		if err := lv.Check(live.next()); err != nil {
			t.Fatalf("the chains as a subscription saw them do not verify: %v", err)
		}
	}
}

func testOrgs(t *testing.T, l store.Log) {
	ctx := context.Background()
	orgs, err := l.Orgs(ctx)
	if err != nil || len(orgs) != 0 {
		t.Fatalf("an empty log has orgs %v (%v), want none", orgs, err)
	}
	commit(t, l, "region-b", 0, ev(t, "region-b", "", 1))
	commit(t, l, "region_a", 0, ev(t, "region_a", "", 1))
	commit(t, l, "region-b", 1, ev(t, "region-b", "", 2))
	// A name that is not one token of a subject is refused, and no harm done.
	for _, bad := range []string{"", "a.b", "a*", ">", "a b"} {
		if _, err := l.Commit(ctx, bad, 0, []event.Envelope{ev(t, bad, "", 1)}); err == nil {
			t.Fatalf("commit to org %q was taken", bad)
		}
		if err := l.Fault(); err != nil {
			t.Fatalf("commit to org %q left the log faulty: %v", bad, err)
		}
	}
	orgs, err = l.Orgs(ctx)
	if err != nil || !slices.Equal(orgs, []string{"region-b", "region_a"}) {
		t.Fatalf("orgs %v (%v), want [region-b region_a]", orgs, err)
	}
}

func testMaxPayload(t *testing.T, l store.Log) {
	max := l.MaxPayload()
	if max < store.MaxPayload*15/16 || max > store.MaxPayload {
		t.Fatalf("MaxPayload %d, want about store.MaxPayload (%d)", max, store.MaxPayload)
	}
	// sized returns an event whose stored form is exactly n bytes.
	sized := func(n int) event.Envelope {
		e := ev(t, "a", "", "")
		b, _ := json.Marshal(e)
		e = ev(t, "a", "", strings.Repeat("x", n-len(b)))
		if b, _ := json.Marshal(e); len(b) != n {
			t.Fatalf("built an event of %d bytes, want %d", len(b), n)
		}
		return e
	}
	_, err := l.Commit(context.Background(), "a", 0, []event.Envelope{sized(max + 1)})
	if !errors.Is(err, store.ErrTooLarge) {
		t.Fatalf("an event of MaxPayload+1 bytes: got %v, want ErrTooLarge", err)
	}
	if err := l.Fault(); err != nil {
		t.Fatalf("a refused event left the log faulty: %v", err)
	}
	e := sized(max)
	commit(t, l, "a", 0, e)
	got := replay(t, l)
	if len(got) != 1 {
		t.Fatalf("replayed %d events, want 1", len(got))
	}
	same(t, got[0], e, 1)
}
