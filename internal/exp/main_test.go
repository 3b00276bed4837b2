package exp

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"fyr/internal/event"
	"fyr/internal/store"
)

func TestTamper(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	st, _ := store.Open(ctx, store.Config{Dir: dir})
	prev := ""
	var last uint64
	for i := 0; i < 10; i++ {
		e, _ := event.Seal(event.Draft{Type: "t", Payload: map[string]string{"text": fmt.Sprintf("entry-number-%02d", i)}}, event.NewID(), "o", prev, time.Now())
		s, err := st.Commit(ctx, "o", last, []event.Envelope{e})
		if err != nil { t.Fatal(err) }
		last = s; prev = e.Hash
	}
	st.Close()
	var blk string
	filepath.Walk(dir, func(p string, info os.FileInfo, err error) error { if filepath.Ext(p) == ".blk" { blk = p }; return nil })
	b, _ := os.ReadFile(blk)
	i := bytes.Index(b, []byte("entry-number-04"))
	b[i+13] = '9'
	os.WriteFile(blk, b, 0o600)
	st, err := store.Open(ctx, store.Config{Dir: dir})
	if err != nil { t.Fatal(err) }
	v := event.NewVerifier()
	err = st.Replay(ctx, func(e event.Envelope) error { t.Logf("seq %d %s", e.Seq, e.Payload); return v.Check(e) })
	t.Logf("verify: %v count %d", err, v.Count)
	n, _ := st.LastSeq(ctx)
	t.Logf("last seq %d", n)
}
