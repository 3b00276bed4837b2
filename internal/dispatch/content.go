package dispatch

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"

	"fyr/internal/incident"
)

// DecisionCopy is the decision a decision dispatch carries, copied from the
// journal when the dispatch is created: a unit reads and acknowledges the
// decision itself without access to the journal, and the text it
// acknowledged cannot change afterwards.
type DecisionCopy struct {
	Entry         string    `json:"entry"`
	Text          string    `json:"text"`
	DecisionMaker string    `json:"decision_maker"`
	Mandate       string    `json:"mandate,omitempty"`
	Rationale     string    `json:"rationale,omitempty"`
	DecidedAt     time.Time `json:"decided_at"`
	AppliesFrom   time.Time `json:"applies_from"`
	ValidUntil    time.Time `json:"valid_until,omitzero"`
}

// copyDecision copies a journal decision; appliesFrom zero means from the
// time it was taken.
func copyDecision(entry string, d incident.DecisionRecord, appliesFrom time.Time) *DecisionCopy {
	if appliesFrom.IsZero() {
		appliesFrom = d.OccurredAt
	}
	return &DecisionCopy{Entry: entry, Text: d.Text, DecisionMaker: d.Info.DecisionMaker, Mandate: d.Info.Mandate,
		Rationale: d.Info.Rationale, DecidedAt: d.OccurredAt.UTC(), AppliesFrom: appliesFrom.UTC(), ValidUntil: d.Info.ValidUntil}
}

// MaxTitle is the longest title, in characters.
const MaxTitle = 200

// titleOf is the title a decision gives a dispatch whose form left it
// empty: the first line of its text, shortened.
func titleOf(text string) string {
	line, _, _ := strings.Cut(strings.TrimSpace(text), "\n")
	t, _ := fit(strings.TrimSpace(line), 120, "…")
	return t
}

// Digest identifies a resolved list of units: a preview shows it, and a
// create that names it is refused if the audience resolves otherwise by
// then (the directory changed in between).
func Digest(units []string) string {
	h := sha256.New()
	for _, u := range units {
		h.Write([]byte(u))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:12])
}
