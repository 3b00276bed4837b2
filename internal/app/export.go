package app

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"

	"fyr/internal/auth"
	"fyr/internal/event"
)

// Export writes every event of the organisation, in log order, as JSON
// Lines: the envelopes exactly as stored, hashes included, so that a copy can
// be verified (`fyr verify --file`) and restored (`fyr restore`) elsewhere.
// It runs while the server serves: an online backup.
func (s *App) Export(ctx context.Context, p auth.Principal, w io.Writer) (int, error) {
	if err := p.Require(auth.ManageUsers); err != nil {
		return 0, err
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	n := 0
	err := s.st.Replay(ctx, func(e event.Envelope) error {
		if e.Org != s.Org {
			return nil
		}
		b, err := json.Marshal(e)
		if err != nil {
			return fmt.Errorf("encode event %s: %w", e.ID, err)
		}
		bw.Write(b)
		if err := bw.WriteByte('\n'); err != nil {
			return fmt.Errorf("write export: %w", err)
		}
		n++
		return nil
	})
	if err != nil {
		return n, err
	}
	s.log.Info("export", "audit", true, "username", p.Username, "events", n)
	return n, bw.Flush()
}
