// Package event defines Fyr's event envelope, its canonical encoding and the
// per-organisation hash chain that makes the log tamper-evident.
package event

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/oklog/ulid/v2"
)

// TimeFormat is how every time is stored: UTC, RFC 3339 with milliseconds.
const TimeFormat = "2006-01-02T15:04:05.000Z07:00"

// Envelope is one event as stored in the log. Seq is the log's sequence
// number; it is assigned by the log and is not part of the hash.
type Envelope struct {
	ID         string          `json:"id"`
	Org        string          `json:"org"`
	Type       string          `json:"type"`
	Subject    string          `json:"subject"`
	OccurredAt time.Time       `json:"occurred_at"`
	RecordedAt time.Time       `json:"recorded_at"`
	Actor      string          `json:"actor"`
	Source     string          `json:"source,omitempty"`
	Payload    json.RawMessage `json:"payload"`
	Prev       string          `json:"prev"`
	Hash       string          `json:"hash"`

	Seq uint64 `json:"-"`
}

// Draft is an event a command wants to append, before the log has chained it.
type Draft struct {
	Type       string
	Subject    string
	OccurredAt time.Time
	Actor      string
	Source     string
	Payload    any
}

// NewID returns a new ULID string.
func NewID() string { return ulid.Make().String() }

// Seal turns a draft into an envelope chained after prev. The times are
// truncated to milliseconds so that the stored form round-trips exactly.
func Seal(d Draft, id, org, prev string, recordedAt time.Time) (Envelope, error) {
	payload, err := json.Marshal(d.Payload)
	if err != nil {
		return Envelope{}, fmt.Errorf("encode %s payload: %w", d.Type, err)
	}
	occurred := d.OccurredAt
	if occurred.IsZero() {
		occurred = recordedAt
	}
	e := Envelope{
		ID:         id,
		Org:        org,
		Type:       d.Type,
		Subject:    d.Subject,
		OccurredAt: occurred.UTC().Truncate(time.Millisecond),
		RecordedAt: recordedAt.UTC().Truncate(time.Millisecond),
		Actor:      d.Actor,
		Source:     d.Source,
		Payload:    payload,
		Prev:       prev,
	}
	e.Hash = e.ComputeHash()
	return e, nil
}

// ComputeHash is SHA-256 over the canonical encoding: a version tag followed by
// every field except Hash and Seq, each length-prefixed so that no two
// different envelopes share an encoding.
func (e Envelope) ComputeHash() string {
	h := sha256.New()
	var buf [binary.MaxVarintLen64]byte
	field := func(s string) {
		n := binary.PutUvarint(buf[:], uint64(len(s)))
		h.Write(buf[:n])
		h.Write([]byte(s))
	}
	field("fyr-event-v1")
	field(e.ID)
	field(e.Org)
	field(e.Type)
	field(e.Subject)
	field(e.OccurredAt.UTC().Format(TimeFormat))
	field(e.RecordedAt.UTC().Format(TimeFormat))
	field(e.Actor)
	field(e.Source)
	field(string(e.Payload))
	field(e.Prev)
	return hex.EncodeToString(h.Sum(nil))
}

// MarshalJSON stores times with exactly millisecond precision.
func (e Envelope) MarshalJSON() ([]byte, error) {
	type plain Envelope
	return json.Marshal(struct {
		plain
		OccurredAt string `json:"occurred_at"`
		RecordedAt string `json:"recorded_at"`
	}{plain(e), e.OccurredAt.UTC().Format(TimeFormat), e.RecordedAt.UTC().Format(TimeFormat)})
}

// Decode parses a stored envelope. Replay decodes every event of the log,
// so decoding uses the JSON v2 decoder (github.com/go-json-experiment/json),
// about twice as fast as encoding/json here (docs/benchmarks.md, finding 3).
func Decode(data []byte, seq uint64) (Envelope, error) {
	var e Envelope
	if err := jsonv2.Unmarshal(data, &e); err != nil {
		return Envelope{}, fmt.Errorf("decode event at seq %d: %w", seq, err)
	}
	e.Seq = seq
	return e, nil
}

// Unmarshal decodes the payload into v. Its error names the event (seq, id
// and type), so that a model that cannot be built says which event it is.
func (e Envelope) Unmarshal(v any) error {
	if err := jsonv2.Unmarshal(e.Payload, v); err != nil {
		return fmt.Errorf("decode %s payload of event %s at seq %d: %w", e.Type, e.ID, e.Seq, err)
	}
	return nil
}
