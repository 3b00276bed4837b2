package store_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"fyr/internal/event"
	"fyr/internal/store"
)

// picky owns the events of type "test.owned": their payload must be an
// object with n.
type picky struct{ sum int }

func (m *picky) Apply(e event.Envelope) error {
	if e.Type != "test.owned" {
		return nil
	}
	var p struct {
		N int `json:"n"`
	}
	if err := e.Unmarshal(&p); err != nil {
		return err
	}
	m.sum += p.N
	return nil
}

// A writer does not start on a log its model cannot fold; the error names
// the event.
func TestWriterRefusesALogItsModelCannotRead(t *testing.T) {
	ctx := context.Background()
	st := open(t, t.TempDir())
	defer st.Close()
	var prev string
	var evs []event.Envelope
	for _, payload := range []string{`{"n":1}`, `{"x":"another capability's"}`, `"not an object"`} {
		typ := "test.owned"
		if strings.Contains(payload, "another") {
			typ = "test.foreign"
		}
		e, err := event.Seal(event.Draft{Type: typ, Payload: json.RawMessage(payload)}, event.NewID(), "org1", prev, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		prev = e.Hash
		evs = append(evs, e)
	}
	if _, err := st.Commit(ctx, "org1", 0, evs); err != nil {
		t.Fatal(err)
	}
	_, err := store.NewWriter(ctx, st, "org1", func() *picky { return &picky{} }, time.Now, nil)
	if err == nil {
		t.Fatal("the writer started on a model it could not build")
	}
	for _, want := range []string{"seq 3", evs[2].ID, "test.owned"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not name %q: %v", want, err)
		}
	}
}

// A command whose own event its model cannot read back (a programming
// error) writes nothing; the model is rebuilt and the next command works.
func TestWriterRefusesAnEventItsModelCannotRead(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	st := open(t, t.TempDir())
	defer st.Close()
	w, err := store.NewWriter(ctx, st, "org1", func() *picky { return &picky{} }, time.Now, nil)
	if err != nil {
		t.Fatal(err)
	}
	owned := func(payload any) store.Command[*picky] {
		return func(*picky, time.Time) ([]event.Draft, error) {
			return []event.Draft{{Type: "test.owned", Payload: payload}}, nil
		}
	}
	if _, err := w.Do(ctx, owned(map[string]int{"n": 2})); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Do(ctx, owned("not an object")); err == nil || !strings.Contains(err.Error(), "test.owned") {
		t.Fatalf("an event the model cannot read: %v", err)
	}
	var sum int
	if _, err := w.Do(ctx, func(m *picky, _ time.Time) ([]event.Draft, error) {
		sum = m.sum
		return []event.Draft{{Type: "test.owned", Payload: map[string]int{"n": 3}}}, nil
	}); err != nil {
		t.Fatal(err)
	}
	if sum != 2 {
		t.Errorf("the model after the refused command holds %d, want 2", sum)
	}
	last, err := st.LastSeq(ctx)
	if err != nil || last != 2 {
		t.Errorf("log holds %d events (%v), want 2: the refused one is not written", last, err)
	}
}
