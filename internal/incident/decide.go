package incident

import (
	"strings"
	"time"

	"fyr/internal/event"
	"fyr/internal/fail"
)

// Scopes says which scopes exist besides the region: the hospitals.
type Scopes interface {
	IsHospital(unitID string) bool
}

// Open starts an incident.
type Open struct {
	Title       string    `json:"title"`
	Description string    `json:"description"`
	Scope       string    `json:"scope"`
	Level       Level     `json:"level"`
	Exercise    bool      `json:"exercise"`
	Reason      string    `json:"reason"`
	DecidedBy   string    `json:"decided_by"`
	Function    string    `json:"function"`
	OccurredAt  time.Time `json:"occurred_at"`
}

// ChangeLevel sets the readiness level of one scope.
type ChangeLevel struct {
	Incident   ID        `json:"-"`
	Scope      string    `json:"scope"`
	Level      Level     `json:"level"`
	Reason     string    `json:"reason"`
	DecidedBy  string    `json:"decided_by"`
	Function   string    `json:"function"`
	Channel    string    `json:"channel"`
	OccurredAt time.Time `json:"occurred_at"`
}

// Record adds a journal entry.
type Record struct {
	Incident   ID            `json:"-"`
	Kind       Kind          `json:"kind"`
	Text       string        `json:"text"`
	OccurredAt time.Time     `json:"occurred_at"`
	Function   string        `json:"function"`
	Source     string        `json:"source"`
	Channel    string        `json:"channel"`
	From       string        `json:"from"`
	To         string        `json:"to"`
	Verified   bool          `json:"verified"`
	Corrects   string        `json:"corrects"`
	Decision   *DecisionInfo `json:"decision"`
	Task       *TaskInfo     `json:"task"`
	// FormToken identifies one rendering of the form (or one API request)
	// the entry comes from: the same token from the same account again
	// writes nothing and answers with the entry already written.
	FormToken string `json:"form_token,omitempty"`
	// Dispatch links an info_out entry to the dispatch it records; set by
	// the capability that sends one, never by a client.
	Dispatch string `json:"-"`
}

// Close ends an incident and sets every scope back to normal.
type Close struct {
	Incident   ID        `json:"-"`
	Reason     string    `json:"reason"`
	Function   string    `json:"function"`
	Source     string    `json:"source"`
	OccurredAt time.Time `json:"occurred_at"`
}

// occurred checks an occurred_at and defaults it to now.
func occurred(field string, at, now time.Time) (time.Time, error) {
	if at.IsZero() {
		return now, nil
	}
	if at.After(now.Add(MaxSkew)) {
		return at, fail.Field(field, "lies in the future (%s); at most %s ahead is accepted", at.UTC().Format(time.RFC3339), MaxSkew)
	}
	if at.Year() < 2000 {
		return at, fail.Field(field, "is before the year 2000")
	}
	return at, nil
}

func checkScope(scopes Scopes, scope string) error {
	if scope == "" {
		return fail.Field("scope", "is required: %q or the id of a hospital", RegionScope)
	}
	if scope != RegionScope && (scopes == nil || !scopes.IsHospital(scope)) {
		return fail.Field("scope", "unknown scope %q: use %q or the id of a hospital unit", scope, RegionScope)
	}
	return nil
}

func checkLevel(l Level) error {
	if !l.Valid() {
		return fail.Field("level", "unknown level %q: use normal, staff, reinforcement or disaster", l)
	}
	return nil
}

func (f *Facts) open(id ID) (*incidentFacts, error) {
	inc := f.incidents[id]
	if inc == nil {
		return nil, fail.New(fail.NotFound, "incident %q does not exist", id)
	}
	if inc.closed {
		return nil, fail.New(fail.Conflict, "incident %q is closed", id)
	}
	return inc, nil
}

// Decide checks Open and returns its events: the incident, and the initial
// level of its scope when that is above normal.
func (c Open) Decide(f *Facts, scopes Scopes, by event.Actor, now time.Time) (ID, []event.Draft, error) {
	at, err := occurred("occurred_at", c.OccurredAt, now)
	if err = fail.First(err,
		fail.Text("title", c.Title, 200, true),
		fail.Text("description", c.Description, MaxText, false),
		checkScope(scopes, c.Scope),
		checkLevel(c.Level),
		fail.Text("reason", c.Reason, MaxField, false),
		fail.Text("decided_by", c.DecidedBy, MaxField, false),
		fail.Text("function", c.Function, MaxField, false),
	); err != nil {
		return "", nil, err
	}
	id := ID(event.NewID())
	drafts := []event.Draft{{
		Type: TypeOpened, Subject: string(id), OccurredAt: at, Actor: by.Username,
		Payload: Opened{Incident: id, EntryID: event.NewID(), Title: strings.TrimSpace(c.Title), Description: c.Description,
			Exercise: c.Exercise, Author: by.Name, Function: c.Function},
	}}
	if c.Level != Normal {
		decidedBy := c.DecidedBy
		if decidedBy == "" {
			decidedBy = by.Name
		}
		drafts = append(drafts, event.Draft{
			Type: TypeLevelChanged, Subject: string(id), OccurredAt: at, Actor: by.Username,
			Payload: LevelChanged{Incident: id, EntryID: event.NewID(), Scope: c.Scope, Level: c.Level, Previous: Normal,
				Reason: c.Reason, DecidedBy: decidedBy, Function: c.Function, Author: by.Name},
		})
	}
	return id, drafts, nil
}

// Decide checks ChangeLevel against the incident's current levels.
func (c ChangeLevel) Decide(f *Facts, scopes Scopes, by event.Actor, now time.Time) ([]event.Draft, error) {
	at, err := occurred("occurred_at", c.OccurredAt, now)
	if err = fail.First(err,
		checkScope(scopes, c.Scope),
		checkLevel(c.Level),
		fail.Text("reason", c.Reason, MaxText, true),
		fail.Text("decided_by", c.DecidedBy, MaxField, true),
		fail.Text("function", c.Function, MaxField, false),
		fail.Text("channel", c.Channel, MaxField, false),
	); err != nil {
		return nil, err
	}
	inc, err := f.open(c.Incident)
	if err != nil {
		return nil, err
	}
	prev := inc.level(c.Scope)
	if prev == c.Level {
		return nil, fail.Field("level", "scope %q is already at level %q", c.Scope, c.Level)
	}
	return []event.Draft{{
		Type: TypeLevelChanged, Subject: string(c.Incident), OccurredAt: at, Actor: by.Username,
		Payload: LevelChanged{Incident: c.Incident, EntryID: event.NewID(), Scope: c.Scope, Level: c.Level, Previous: prev,
			Reason: c.Reason, DecidedBy: c.DecidedBy, Function: c.Function, Author: by.Name, Channel: c.Channel},
	}}, nil
}

// Decide checks a journal entry.
func (c Record) Decide(f *Facts, by event.Actor, now time.Time) ([]event.Draft, error) {
	at, err := occurred("occurred_at", c.OccurredAt, now)
	if err = fail.First(err,
		kindErr(c.Kind),
		fail.Text("text", c.Text, MaxText, true),
		fail.Text("function", c.Function, MaxField, false),
		fail.Text("source", c.Source, MaxField, false),
		fail.Text("channel", c.Channel, MaxField, false),
		fail.Text("from", c.From, MaxField, false),
		fail.Text("to", c.To, MaxField, false),
		fail.Text("form_token", c.FormToken, 100, false),
	); err != nil {
		return nil, err
	}
	if c.Kind == LevelChange {
		return nil, fail.Field("kind", "level changes are made with a level change (POST …/levels), not a journal entry")
	}
	if _, err := f.open(c.Incident); err != nil {
		return nil, err
	}
	if c.Corrects != "" {
		if e, ok := f.entries[c.Corrects]; !ok || e.incident != c.Incident {
			return nil, fail.Field("corrects", "entry %q is not in this incident's journal", c.Corrects)
		}
	}
	if err := checkDecision(c); err != nil {
		return nil, err
	}
	task, err := checkTask(f, c)
	if err != nil {
		return nil, err
	}
	fields := Fields{ID: event.NewID(), Incident: c.Incident, Kind: c.Kind, Text: c.Text, Author: by.Name,
		Function: c.Function, Source: c.Source, Channel: c.Channel, From: c.From, To: c.To,
		Verified: c.Verified, Corrects: c.Corrects, Task: task, Dispatch: c.Dispatch}
	if c.Kind == Decision {
		fields.Decision = c.Decision
	}
	return []event.Draft{{Type: TypeEntryRecorded, Subject: string(c.Incident), OccurredAt: at, Actor: by.Username,
		Source: c.Source, Payload: EntryRecorded{Fields: fields, FormToken: c.FormToken}}}, nil
}

func kindErr(k Kind) error {
	if !k.Valid() {
		return fail.Field("kind", "unknown kind %q: use info_in, info_out, decision, task, coordination or report", k)
	}
	return nil
}

func checkDecision(c Record) error {
	if c.Kind != Decision {
		if c.Decision != nil {
			return fail.Field("decision", "only a decision entry carries decision details")
		}
		return nil
	}
	d := c.Decision
	if d == nil {
		return fail.Field("decision.decision_maker", "is required for a decision")
	}
	if err := fail.First(
		fail.Text("decision.decision_maker", d.DecisionMaker, MaxField, true),
		fail.Text("decision.mandate", d.Mandate, MaxField, false),
		fail.Text("decision.rationale", d.Rationale, MaxText, false),
	); err != nil {
		return err
	}
	if len(d.Inform) > 100 {
		return fail.Field("decision.inform", "lists %d recipients; at most 100", len(d.Inform))
	}
	for _, who := range d.Inform {
		if err := fail.Text("decision.inform", who, MaxField, true); err != nil {
			return err
		}
	}
	return nil
}

func checkTask(f *Facts, c Record) (*TaskInfo, error) {
	if c.Kind != Task {
		if c.Task != nil {
			return nil, fail.Field("task", "only a task entry carries task details")
		}
		return nil, nil
	}
	t := c.Task
	if t == nil {
		return nil, fail.Field("task.owner", "is required for a task")
	}
	cp := *t
	if cp.Status == "" {
		cp.Status = TaskOpen
	}
	valid := false
	for _, s := range TaskStatuses {
		valid = valid || s == cp.Status
	}
	if !valid {
		return nil, fail.Field("task.status", "unknown status %q: use open, started, done or cancelled", cp.Status)
	}
	if cp.Updates != "" {
		if e, ok := f.entries[cp.Updates]; !ok || e.incident != c.Incident || e.kind != Task {
			return nil, fail.Field("task.updates", "entry %q is not a task in this incident", cp.Updates)
		}
	}
	if err := fail.First(
		fail.Text("task.owner", cp.Owner, MaxField, cp.Updates == ""),
		fail.Text("task.report_back", cp.ReportBack, MaxText, false),
	); err != nil {
		return nil, err
	}
	return &cp, nil
}

// Decide checks Close: the incident must be open. Every scope above normal
// goes back to normal, and the closing is the last entry.
func (c Close) Decide(f *Facts, by event.Actor, now time.Time) ([]event.Draft, error) {
	at, err := occurred("occurred_at", c.OccurredAt, now)
	if err = fail.First(err,
		fail.Text("reason", c.Reason, MaxText, true),
		fail.Text("function", c.Function, MaxField, false),
		fail.Text("source", c.Source, MaxField, false),
	); err != nil {
		return nil, err
	}
	inc, err := f.open(c.Incident)
	if err != nil {
		return nil, err
	}
	var drafts []event.Draft
	for _, scope := range sortedScopes(inc.levels) {
		if l := inc.level(scope); l != Normal {
			drafts = append(drafts, event.Draft{Type: TypeLevelChanged, Subject: string(c.Incident), OccurredAt: at, Actor: by.Username,
				Payload: LevelChanged{Incident: c.Incident, EntryID: event.NewID(), Scope: scope, Level: Normal, Previous: l,
					Reason: c.Reason, DecidedBy: by.Name, Function: c.Function, Author: by.Name}})
		}
	}
	drafts = append(drafts, event.Draft{Type: TypeClosed, Subject: string(c.Incident), OccurredAt: at, Actor: by.Username, Source: c.Source,
		Payload: Closed{Incident: c.Incident, EntryID: event.NewID(), Reason: c.Reason, Author: by.Name, Function: c.Function, Source: c.Source}})
	return drafts, nil
}
