package continuity

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"fyr/internal/event"
	"fyr/internal/incident"
)

// The board folds activations and reports; a type it owns that does not
// decode is an error (the read model would no longer be the log's);
// others are ignored; at= and known_at= cut by the two times.
func TestBoardApply(t *testing.T) {
	t0 := time.Date(2026, 12, 5, 3, 0, 0, 0, time.UTC)
	ev := func(typ, payload string, occurred, recorded time.Time) event.Envelope {
		return event.Envelope{Type: typ, Payload: []byte(payload), OccurredAt: occurred, RecordedAt: recorded}
	}
	act := `{"activation":"a1","incident":"i1","routine":"paper","title":"Papper","steps":["Skriv"],"units":["avd1","avd2"],"dispatch":"d1","by":"Sven"}`
	for _, c := range []struct {
		name    string
		events  []event.Envelope
		asOf    incident.AsOf
		wantErr bool
		want    [4]int // not working, unreported, started, working
		routine int
	}{
		{"nothing", nil, incident.AsOf{}, false, [4]int{}, 0},
		{"another capability's event", []event.Envelope{ev("incident.opened", `{"x":1}`, t0, t0)}, incident.AsOf{}, false, [4]int{}, 0},
		{"activation", []event.Envelope{ev(TypeRoutineActivated, act, t0, t0)}, incident.AsOf{}, false, [4]int{0, 2, 0, 0}, 1},
		{"a bad activation", []event.Envelope{ev(TypeRoutineActivated, `[1]`, t0, t0)}, incident.AsOf{}, true, [4]int{}, 0},
		{"a bad report", []event.Envelope{ev(TypeRoutineReported, `"x"`, t0, t0)}, incident.AsOf{}, true, [4]int{}, 0},
		{"reports: the last one counts", []event.Envelope{ev(TypeRoutineActivated, act, t0, t0),
			ev(TypeRoutineReported, `{"activation":"a1","incident":"i1","routine":"paper","unit":"avd1","state":"started","by":"A","username":"a"}`, t0.Add(time.Minute), t0.Add(time.Minute)),
			ev(TypeRoutineReported, `{"activation":"a1","incident":"i1","routine":"paper","unit":"avd1","state":"not_working","note":"slut","by":"A","username":"a"}`, t0.Add(2*time.Minute), t0.Add(2*time.Minute)),
			ev(TypeRoutineReported, `{"activation":"a1","incident":"i1","routine":"paper","unit":"avd2","state":"working","by":"B","username":"b"}`, t0.Add(3*time.Minute), t0.Add(30*time.Minute)),
		}, incident.AsOf{}, false, [4]int{1, 0, 0, 1}, 1},
		{"at= before the later reports", []event.Envelope{ev(TypeRoutineActivated, act, t0, t0),
			ev(TypeRoutineReported, `{"activation":"a1","incident":"i1","routine":"paper","unit":"avd1","state":"started","by":"A","username":"a"}`, t0.Add(time.Minute), t0.Add(time.Minute)),
			ev(TypeRoutineReported, `{"activation":"a1","incident":"i1","routine":"paper","unit":"avd2","state":"working","by":"B","username":"b"}`, t0.Add(3*time.Minute), t0.Add(30*time.Minute)),
		}, incident.AsOf{At: t0.Add(2 * time.Minute)}, false, [4]int{0, 1, 1, 0}, 1},
		{"known_at: a report written late is not yet known", []event.Envelope{ev(TypeRoutineActivated, act, t0, t0),
			ev(TypeRoutineReported, `{"activation":"a1","incident":"i1","routine":"paper","unit":"avd2","state":"working","by":"B","username":"b"}`, t0.Add(3*time.Minute), t0.Add(30*time.Minute)),
		}, incident.AsOf{KnownAt: t0.Add(10 * time.Minute)}, false, [4]int{0, 2, 0, 0}, 1},
		{"before the activation", []event.Envelope{ev(TypeRoutineActivated, act, t0, t0)}, incident.AsOf{At: t0.Add(-time.Second)}, false, [4]int{}, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			b := NewBoard()
			var err error
			for _, e := range c.events {
				if err = b.Apply(e); err != nil {
					break
				}
			}
			if (err != nil) != c.wantErr {
				t.Fatalf("apply: %v, want error %v", err, c.wantErr)
			}
			got := b.board("i1", c.asOf, func(id string) string { return id })
			if len(got.Routines) != c.routine {
				t.Fatalf("routines: %+v", got.Routines)
			}
			if c.routine == 0 {
				return
			}
			r := got.Routines[0]
			if have := [4]int{r.NotWorking, r.Unreported, r.Started, r.Working}; have != c.want {
				t.Fatalf("counts %v, want %v: %+v", have, c.want, r)
			}
		})
	}
}

// The staff's board of a large incident: 20 routines activated for 300
// units each, every unit reporting three times. One board is what every
// live frame makes a board page fetch again.
func BenchmarkRoutineBoard300Units(b *testing.B) {
	t0 := time.Date(2026, 12, 5, 3, 0, 0, 0, time.UTC)
	board := NewBoard()
	units := make([]string, 300)
	for i := range units {
		units[i] = fmt.Sprintf("avd%03d", i)
	}
	states := []RoutineState{Started, Working, NotWorking}
	for r := 0; r < 20; r++ {
		rt := fmt.Sprintf("r%02d", r)
		a, _ := json.Marshal(RoutineActivated{Activation: ActivationID(rt), Incident: "i1", Routine: rt, Title: rt, Steps: []string{"x"}, Units: units})
		if err := board.Apply(event.Envelope{Type: TypeRoutineActivated, Payload: a, OccurredAt: t0, RecordedAt: t0}); err != nil {
			b.Fatal(err)
		}
		for k, st := range states {
			for _, u := range units {
				p, _ := json.Marshal(RoutineReported{Activation: ActivationID(rt), Incident: "i1", Routine: rt, Unit: u, State: st, Note: "n"})
				at := t0.Add(time.Duration(k+1) * time.Minute)
				if err := board.Apply(event.Envelope{Type: TypeRoutineReported, Payload: p, OccurredAt: at, RecordedAt: at}); err != nil {
					b.Fatal(err)
				}
			}
		}
	}
	name := func(id string) string { return id }
	b.ReportAllocs()
	for b.Loop() {
		if got := board.board("i1", incident.AsOf{}, name); len(got.Routines) != 20 || got.Routines[0].NotWorking != 300 {
			b.Fatalf("board: %d routines", len(got.Routines))
		}
	}
}
