package store_test

import (
	"context"
	"testing"
	"time"

	"fyr/internal/event"
	"fyr/internal/store"
)

// BenchmarkCommitOne is one single-event commit on JetStream (fsync) and on
// the in-memory twin: what a pure service test saves per write.
func BenchmarkCommitOne(b *testing.B) {
	logs := map[string]func(b *testing.B) store.Log{
		"Store": func(b *testing.B) store.Log {
			st, err := store.Open(context.Background(), store.Config{Dir: b.TempDir()})
			if err != nil {
				b.Fatal(err)
			}
			return st
		},
		"Mem": func(*testing.B) store.Log { return store.NewMem() },
	}
	for _, name := range []string{"Store", "Mem"} {
		b.Run(name, func(b *testing.B) {
			l := logs[name](b)
			defer l.Close()
			ctx := context.Background()
			var last uint64
			prev := ""
			for b.Loop() {
				e, err := event.Seal(event.Draft{Type: "t", Payload: map[string]int{"n": int(last)}}, event.NewID(), "o", prev, time.Now())
				if err != nil {
					b.Fatal(err)
				}
				if last, err = l.Commit(ctx, "o", last, []event.Envelope{e}); err != nil {
					b.Fatal(err)
				}
				prev = e.Hash
			}
		})
	}
}
