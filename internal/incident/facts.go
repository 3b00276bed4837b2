package incident

import (
	"slices"
	"time"

	"fyr/internal/event"
)

// Facts is the write model: just what commands are checked against.
type Facts struct {
	incidents map[ID]*incidentFacts
	entries   map[string]entryFacts
	// tokens maps an account, an incident and a form token to the entry
	// written with them.
	tokens map[tokenKey]string
	// decisions keeps what a decision entry says, so that a dispatch can
	// carry a copy of it (decisions are few: this costs little).
	decisions map[string]DecisionRecord
}

type tokenKey struct {
	actor    string
	incident ID
	token    string
}

// DecisionRecord is a decision entry as a dispatch copies it.
type DecisionRecord struct {
	Text       string
	Author     string
	Function   string
	OccurredAt time.Time
	Info       DecisionInfo
	// CorrectedBy is the entry that corrects this decision, if any: the
	// decision as it stands is that one.
	CorrectedBy string
}

type incidentFacts struct {
	closed bool
	levels map[string]scopeLevel
}

type scopeLevel struct {
	level      Level
	occurredAt time.Time
}

type entryFacts struct {
	incident ID
	kind     Kind
}

// NewFacts returns an empty write model.
func NewFacts() *Facts {
	return &Facts{incidents: map[ID]*incidentFacts{}, entries: map[string]entryFacts{}, tokens: map[tokenKey]string{}, decisions: map[string]DecisionRecord{}}
}

// Apply folds one event into the write model; an incident event it cannot
// decode is an error.
func (f *Facts) Apply(e event.Envelope) error {
	p, err := Decode(e)
	if err != nil {
		return err
	}
	f.ApplyDecoded(e, p)
	return nil
}

// ApplyDecoded folds an event whose payload Decode has already decoded.
func (f *Facts) ApplyDecoded(e event.Envelope, payload any) {
	switch p := payload.(type) {
	case *Opened:
		f.incidents[p.Incident] = &incidentFacts{levels: map[string]scopeLevel{}}
		f.entries[p.EntryID] = entryFacts{p.Incident, InfoIn}
	case *LevelChanged:
		if inc := f.incidents[p.Incident]; inc != nil {
			inc.setLevel(p.Scope, p.Level, e.OccurredAt)
		}
		f.entries[p.EntryID] = entryFacts{p.Incident, LevelChange}
	case *EntryRecorded:
		f.entries[p.ID] = entryFacts{p.Incident, p.Kind}
		if p.FormToken != "" {
			f.tokens[tokenKey{e.Actor, p.Incident, p.FormToken}] = p.ID
		}
		if p.Kind == Decision && p.Decision != nil {
			f.decisions[p.ID] = DecisionRecord{Text: p.Text, Author: p.Author, Function: p.Function, OccurredAt: e.OccurredAt, Info: *p.Decision}
		}
		if d, ok := f.decisions[p.Corrects]; ok && p.Corrects != "" {
			d.CorrectedBy = p.ID
			f.decisions[p.Corrects] = d
		}
	case *Closed:
		if inc := f.incidents[p.Incident]; inc != nil {
			inc.closed = true
		}
		f.entries[p.EntryID] = entryFacts{p.Incident, LevelChange}
	}
}

// setLevel keeps, per scope, the change that occurred last: a level change
// recorded late does not override one that happened after it.
func (inc *incidentFacts) setLevel(scope string, l Level, at time.Time) {
	if cur, ok := inc.levels[scope]; ok && at.Before(cur.occurredAt) {
		return
	}
	inc.levels[scope] = scopeLevel{l, at}
}

func (inc *incidentFacts) level(scope string) Level {
	if l, ok := inc.levels[scope]; ok {
		return l.level
	}
	return Normal
}

func sortedScopes(m map[string]scopeLevel) []string {
	out := make([]string, 0, len(m))
	for s := range m {
		out = append(out, s)
	}
	slices.Sort(out)
	return out
}

// CheckOpen returns NotFound for an unknown incident and Conflict for a
// closed one: what any capability acting on an incident must check.
func (f *Facts) CheckOpen(id ID) error {
	_, err := f.open(id)
	return err
}

// IsDecision reports whether entryID is a decision entry of incident id.
func (f *Facts) IsDecision(id ID, entryID string) bool {
	e, ok := f.entries[entryID]
	return ok && e.incident == id && e.kind == Decision
}

// EntryByToken returns the entry that account actor wrote in incident id
// with a form token, if it did: a form submitted twice is written once.
func (f *Facts) EntryByToken(actor string, id ID, token string) (string, bool) {
	if token == "" {
		return "", false
	}
	entry, ok := f.tokens[tokenKey{actor, id, token}]
	return entry, ok
}

// Decision returns what decision entry entryID of incident id says.
func (f *Facts) Decision(id ID, entryID string) (DecisionRecord, bool) {
	if !f.IsDecision(id, entryID) {
		return DecisionRecord{}, false
	}
	d, ok := f.decisions[entryID]
	return d, ok
}
