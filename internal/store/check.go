package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"fyr/internal/event"
)

// ErrTooLarge means an event is larger than the log takes (MaxPayload).
// Nothing of the batch it was in was stored.
var ErrTooLarge = errors.New("store: event larger than the log takes")

// headerRoom is what a message's NATS headers (message id, expected
// sequence, batch id and position) may take of the server's maximum
// payload, so that an event of MaxPayload bytes is still taken.
const headerRoom = 1 << 10

// encodeBatch checks a commit the same way for Store and Mem, before
// anything is written, and returns the events as the log stores them.
func encodeBatch(org string, evs []event.Envelope, maxPayload int) ([][]byte, error) {
	// An org is one token of a NATS subject: a dot or wildcard would name
	// no stream, and the write would meet no one to answer it.
	if org == "" || strings.ContainsFunc(org, func(r rune) bool { return r <= ' ' || r == 0x7f || r == '.' || r == '*' || r == '>' }) {
		return nil, fmt.Errorf("commit: %q is not an organisation id the log takes", org)
	}
	if len(evs) == 0 || len(evs) > MaxBatch {
		return nil, fmt.Errorf("commit: batch of %d events (allowed 1..%d)", len(evs), MaxBatch)
	}
	data := make([][]byte, len(evs))
	for i, e := range evs {
		b, err := json.Marshal(e)
		if err != nil {
			return nil, fmt.Errorf("encode event %s: %w", e.ID, err)
		}
		if len(b) > maxPayload {
			return nil, fmt.Errorf("%w: event %s is %d bytes, at most %d are taken", ErrTooLarge, e.ID, len(b), maxPayload)
		}
		data[i] = b
	}
	return data, nil
}
