package situation

import (
	"fmt"
	"fyr/internal/tz"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"fyr/internal/dispatch"
	"fyr/internal/event"
	"fyr/internal/fail"
	"fyr/internal/incident"
)

// stockholm is the time zone of the times Fyr writes.
var stockholm = tz.Stockholm

func clock(t time.Time) string { return t.In(stockholm).Format("15:04") }

func stamped(t time.Time) string { return t.In(stockholm).Format("2006-01-02 15:04") }

// OpenRound asks an audience of units to report by a deadline ("rapport
// senast 14:00"). The call to report goes out as a dispatch of kind
// report_request, created in the same write.
type OpenRound struct {
	Incident   incident.ID          `json:"-"`
	Title      string               `json:"title"` // optional; "Lägesrapport" when empty
	Note       string               `json:"note"`
	Audience   dispatch.Audience    `json:"audience"`
	Deadline   time.Time            `json:"deadline"`
	Channels   []string             `json:"channels"`   // as a dispatch's; all by default
	Escalation *dispatch.Escalation `json:"escalation"` // as a dispatch's; the default when nil
}

// DefaultTitle names a round that was given no title.
const DefaultTitle = "Lägesrapport"

// Decide checks OpenRound and returns the dispatch's events, the round's
// and the journal entry that records the call to report.
func (c OpenRound) Decide(m WriteModel, by event.Actor, now time.Time) (RoundID, dispatch.ID, []event.Draft, error) {
	title := strings.TrimSpace(c.Title)
	if title == "" {
		title = DefaultTitle
	}
	if err := fail.First(
		fail.Text("title", c.Title, 200, false),
		fail.Text("note", c.Note, MaxText, false),
		checkDeadline("deadline", c.Deadline, now),
	); err != nil {
		return "", "", nil, err
	}
	body := "Rapportera enhetens läge i Fyr senast " + stamped(c.Deadline) +
		": driftläge, bemanning, vårdplatser, IT-system, förnödenheter som tar slut, behov."
	if strings.TrimSpace(c.Note) != "" {
		body = c.Note + "\n\n" + body
	}
	created, drafts, err := m.Dispatches.Send(dispatch.Create{Incident: c.Incident, Kind: dispatch.KindReportRequest,
		Title: fmt.Sprintf("%s: rapport senast %s", title, clock(c.Deadline)), Body: body, Audience: c.Audience,
		Deadline: c.Deadline, Escalation: c.Escalation, Channels: c.Channels}, by, now)
	if err != nil {
		return "", "", nil, err
	}
	did := created.Dispatch
	id := RoundID(event.NewID())
	drafts = append(drafts, event.Draft{Type: TypeRoundOpened, Subject: string(id), Actor: by.Username,
		Payload: RoundOpened{Round: id, Incident: c.Incident, Title: title, Note: c.Note, Audience: c.Audience,
			Units: created.Units, Deadline: c.Deadline.UTC(), Dispatch: did, Author: by.Name}})
	entry, err := m.Journal.RecordDispatch(created, "Rapportomgång: "+title, by, now)
	if err != nil {
		return "", "", nil, err
	}
	return id, did, append(drafts, entry...), nil
}

func checkDeadline(field string, t, now time.Time) error {
	if t.IsZero() || !t.After(now) {
		return fail.Field(field, "must lie in the future")
	}
	if t.After(now.Add(MaxAhead)) {
		return fail.Field(field, "lies more than %s ahead", MaxAhead)
	}
	return nil
}

func (b *Book) round(id RoundID) (*round, error) {
	r := b.rounds[id]
	if r == nil {
		return nil, fail.New(fail.NotFound, "reporting round %q does not exist", id)
	}
	return r, nil
}

// CloseRound stops a round from taking reports.
type CloseRound struct {
	Round RoundID `json:"-"`
}

// Decide checks that the round exists and is open.
func (c CloseRound) Decide(b *Book, by event.Actor) ([]event.Draft, error) {
	b.mu.RLock()
	defer b.mu.RUnlock()
	r, err := b.round(c.Round)
	if err != nil {
		return nil, err
	}
	if v, _ := r.view(incident.AsOf{}); v.Closed {
		return nil, fail.New(fail.Conflict, "reporting round %q is already closed", c.Round)
	}
	return []event.Draft{{Type: TypeRoundClosed, Subject: string(c.Round), Actor: by.Username,
		Payload: RoundClosed{Round: c.Round, Author: by.Name}}}, nil
}

// ReopenRound lets a closed round take reports again, optionally by a new
// deadline.
type ReopenRound struct {
	Round    RoundID   `json:"-"`
	Deadline time.Time `json:"deadline"` // optional
}

// Decide checks that the round exists and is closed.
func (c ReopenRound) Decide(b *Book, by event.Actor, now time.Time) ([]event.Draft, error) {
	if !c.Deadline.IsZero() {
		if err := checkDeadline("deadline", c.Deadline, now); err != nil {
			return nil, err
		}
	}
	b.mu.RLock()
	defer b.mu.RUnlock()
	r, err := b.round(c.Round)
	if err != nil {
		return nil, err
	}
	if v, _ := r.view(incident.AsOf{}); !v.Closed {
		return nil, fail.New(fail.Conflict, "reporting round %q is open", c.Round)
	}
	return []event.Draft{{Type: TypeRoundReopened, Subject: string(c.Round), Actor: by.Username,
		Payload: RoundReopened{Round: c.Round, Deadline: c.Deadline.UTC(), Author: by.Name}}}, nil
}

// Remind returns the reminder of a round when it is due at now: the round
// is open, its deadline has passed, units still miss a report and no
// reminder has gone out. The reminder is a dispatch of kind
// report_reminder to exactly the missing units, on the channels and with
// the escalation of the call to report. A round gets one reminder, ever:
// the write model knows it was sent, so running Remind again (another
// engine round, another node) adds nothing. Nothing is due for a closed
// incident. The reminder is due and sent as of now; its journal entry is
// written at the writer's clock, written.
func Remind(m WriteModel, id RoundID, now, written time.Time) ([]event.Draft, error) {
	b := m.Book
	b.mu.RLock()
	r := b.rounds[id]
	if r == nil || r.reminded != nil {
		b.mu.RUnlock()
		return nil, nil
	}
	v, _ := r.view(incident.AsOf{})
	latest := r.latest(incident.AsOf{})
	b.mu.RUnlock()
	if v.Closed || now.Before(v.Deadline) || m.Incidents.CheckOpen(v.Incident) != nil {
		return nil, nil
	}
	var missing []string
	for _, u := range v.Units {
		if latest[u] == nil {
			missing = append(missing, u)
		}
	}
	if len(missing) == 0 {
		return nil, nil
	}
	request, ok := m.Dispatches.Head(v.Dispatch)
	if !ok {
		return nil, fmt.Errorf("remind round %s: its dispatch %s is not in the model", id, v.Dispatch)
	}
	esc := request.Escalation
	sent, drafts, err := m.Dispatches.Send(dispatch.Create{Incident: v.Incident, Kind: dispatch.KindReportReminder,
		Title: fmt.Sprintf("Påminnelse: rapport saknas – %s (senast %s)", v.Title, clock(v.Deadline)),
		Body: fmt.Sprintf("Enhetens rapport till omgången ”%s” skulle ha lämnats senast %s och saknas. Rapportera i Fyr nu.",
			v.Title, stamped(v.Deadline)),
		Audience: dispatch.Audience{Units: missing}, Deadline: now.Add(ReminderIn), Escalation: &esc,
		Channels: request.Channels}, event.System, now)
	if err != nil {
		return nil, fmt.Errorf("remind round %s: %w", id, err)
	}
	drafts = append(drafts, event.Draft{Type: TypeRoundReminded, Subject: string(id), Actor: event.System.Username,
		Payload: RoundReminded{Round: id, Dispatch: sent.Dispatch, Units: missing}})
	entry, err := m.Journal.RecordDispatch(sent, "Påminnelse: rapport saknas i omgången "+v.Title, event.System, written)
	if err != nil {
		return nil, fmt.Errorf("remind round %s: %w", id, err)
	}
	return append(drafts, entry...), nil
}

// File is a unit's report in a round. A unit account files for its own
// unit; the staff may record a report a unit gave by phone (OnBehalf), and
// only then may OccurredAt name when the unit gave it.
type File struct {
	Round RoundID `json:"-"`
	Unit  string  `json:"unit"`
	Values
	OccurredAt time.Time `json:"occurred_at"`
}

// Decide checks a report against its round and returns its event, with the
// unit's receipt of the call to report (and of the reminder, when it got
// one): a report shows the call was received, so escalation stops. Who may
// report for the unit is checked by the caller (the service).
func (c File) Decide(m WriteModel, by event.Actor, onBehalf bool, now time.Time) (ReportID, []event.Draft, error) {
	b := m.Book
	b.mu.RLock()
	r, err := b.round(c.Round)
	if err != nil {
		b.mu.RUnlock()
		return "", nil, err
	}
	v, _ := r.view(incident.AsOf{})
	version := 1
	for _, rep := range r.reports {
		if rep.Unit == c.Unit {
			version++
		}
	}
	b.mu.RUnlock()
	if !slices.Contains(v.Units, c.Unit) {
		return "", nil, fail.Field("unit", "unit %q is not asked to report in this round", c.Unit)
	}
	if v.Closed {
		return "", nil, fail.New(fail.Conflict, "the reporting round %q is closed; the staff can reopen it", v.Title)
	}
	at := now
	if !c.OccurredAt.IsZero() {
		if !onBehalf {
			return "", nil, fail.Field("occurred_at", "only a report the staff records from a call may be dated")
		}
		if c.OccurredAt.After(now.Add(MaxSkew)) {
			return "", nil, fail.Field("occurred_at", "lies in the future")
		}
		if c.OccurredAt.Before(v.OpenedAt) {
			return "", nil, fail.Field("occurred_at", "lies before the round was opened (%s)", stamped(v.OpenedAt))
		}
		at = c.OccurredAt
	}
	vals, err := c.Values.Check()
	if err != nil {
		return "", nil, err
	}
	channel := dispatch.InApp
	if onBehalf {
		channel = dispatch.Phone
	}
	id := ReportID(event.NewID())
	drafts := []event.Draft{{Type: TypeReportFiled, Subject: string(c.Round), OccurredAt: at, Actor: by.Username,
		Payload: ReportFiled{Report: id, Round: c.Round, Incident: v.Incident, Unit: c.Unit, Version: version, Values: vals,
			By: by.Name, Username: by.Username, OnBehalf: onBehalf, Channel: channel, Late: at.After(v.Deadline)}}}
	for _, did := range []dispatch.ID{v.Dispatch, v.Reminder} {
		if did == "" {
			continue
		}
		if !m.Dispatches.Addressed(did, c.Unit) {
			continue // the reminder went to the units missing then
		}
		ack, err := m.Dispatches.Acknowledge(dispatch.Acknowledge{Dispatch: did, Unit: c.Unit, By: by, Channel: channel,
			Readback: "Rapport lämnad"}, by.Username)
		if err != nil {
			return "", nil, fmt.Errorf("receipt of dispatch %s by the report of unit %s: %w", did, c.Unit, err)
		}
		drafts = append(drafts, ack...)
	}
	return id, drafts, nil
}

func checkCount(field string, n int) error {
	if n < 0 {
		return fail.Field(field, "is negative (%d)", n)
	}
	if n > MaxCount {
		return fail.Field(field, "is %d; more than %d is impossible for one unit", n, MaxCount)
	}
	return nil
}

// Check validates what a unit reports and returns it with names trimmed.
// Each error names the field: state, staff.present, beds.occupied,
// systems[2].name …
func (v Values) Check() (Values, error) {
	if !slices.Contains(OperatingStates, v.State) {
		return v, fail.Field("state", "unknown operating state %q: use normal, limited or closed", v.State)
	}
	if err := fail.First(
		checkCount("staff.present", v.Staff.Present),
		checkCount("staff.missing", v.Staff.Missing),
		checkCount("beds.total", v.Beds.Total),
		checkCount("beds.occupied", v.Beds.Occupied),
	); err != nil {
		return v, err
	}
	if v.Beds.Occupied > v.Beds.Total {
		return v, fail.Field("beds.occupied", "%d beds occupied but only %d in operation: occupied beds cannot outnumber the beds there are",
			v.Beds.Occupied, v.Beds.Total)
	}
	for _, l := range []struct {
		field string
		n     int
	}{{"systems", len(v.Systems)}, {"supplies", len(v.Supplies)}, {"needs", len(v.Needs)}} {
		if l.n > MaxItems {
			return v, fail.Field(l.field, "lists %d items; at most %d", l.n, MaxItems)
		}
	}
	out := v
	out.Systems, out.Supplies, out.Needs = nil, nil, nil
	seen := map[string]bool{}
	for i, s := range v.Systems {
		f := fmt.Sprintf("systems[%d]", i)
		s.Name = strings.TrimSpace(s.Name)
		if err := fail.First(fail.Text(f+".name", s.Name, MaxName, true), fail.Text(f+".note", s.Note, MaxNote, false)); err != nil {
			return v, err
		}
		if !slices.Contains(SystemStates, s.State) {
			return v, fail.Field(f+".state", "unknown state %q: use up, degraded or down", s.State)
		}
		if seen[strings.ToLower(s.Name)] {
			return v, fail.Field(f+".name", "%q is listed twice", s.Name)
		}
		seen[strings.ToLower(s.Name)] = true
		out.Systems = append(out.Systems, s)
	}
	seen = map[string]bool{}
	for i, s := range v.Supplies {
		f := fmt.Sprintf("supplies[%d]", i)
		s.Name = strings.TrimSpace(s.Name)
		if err := fail.First(fail.Text(f+".name", s.Name, MaxName, true), fail.Text(f+".note", s.Note, MaxNote, false)); err != nil {
			return v, err
		}
		if seen[strings.ToLower(s.Name)] {
			return v, fail.Field(f+".name", "%q is listed twice", s.Name)
		}
		seen[strings.ToLower(s.Name)] = true
		out.Supplies = append(out.Supplies, s)
	}
	for i, n := range v.Needs {
		n = strings.TrimSpace(n)
		if err := fail.Text(fmt.Sprintf("needs[%d]", i), n, MaxNote, true); err != nil {
			return v, err
		}
		out.Needs = append(out.Needs, n)
	}
	if err := fail.Text("text", v.Text, MaxText, false); err != nil {
		return v, err
	}
	return out, nil
}

// Prefill returns the form of a unit's next report: the values of its last
// report in any round, without the free text (which describes that moment,
// not this one). A unit that never reported starts at normal and zeros.
func Prefill(b *Book, round RoundID, unit string) File {
	f := File{Round: round, Unit: unit, Values: Values{State: Normal}}
	if last, ok := b.Last(unit); ok {
		f.Values = last.Values
		f.Values.Text = ""
	}
	return f
}

// DraftPicture starts a new version of an incident's situation picture. The
// service fills Content from the prefill (PrefillPicture) when the caller
// gives none, and Basis with what the prefill came from.
type DraftPicture struct {
	Incident incident.ID `json:"-"`
	Content  Content     `json:"content"`
	Basis    Basis       `json:"-"`
}

// Decide checks the draft: the incident is open, no earlier version is
// still unpublished, the content is valid.
func (c DraftPicture) Decide(m WriteModel, by event.Actor, now time.Time) (PictureID, []event.Draft, error) {
	if err := m.Incidents.CheckOpen(c.Incident); err != nil {
		return "", nil, err
	}
	content, err := c.Content.Check(m.Units)
	if err != nil {
		return "", nil, err
	}
	b := m.Book
	b.mu.RLock()
	ids := b.picOrder[c.Incident]
	for _, id := range ids {
		if p, _ := b.pictures[id].view(incident.AsOf{}); p.Status != Published && p.Status != Discarded {
			b.mu.RUnlock()
			return "", nil, fail.New(fail.Conflict, "version %d of the picture is not published yet: revise it instead of starting another", p.Version)
		}
	}
	version := len(ids) + 1
	b.mu.RUnlock()
	id := PictureID(event.NewID())
	return id, []event.Draft{{Type: TypePictureDrafted, Subject: string(id), Actor: by.Username,
		Payload: PictureDrafted{Picture: id, Incident: c.Incident, Version: version, Content: content, Basis: c.Basis,
			Author: by.Name, Function: by.Function}}}, nil
}

func (b *Book) picture(id PictureID) (Picture, error) {
	p := b.pictures[id]
	if p == nil {
		return Picture{}, fail.New(fail.NotFound, "picture version %q does not exist", id)
	}
	v, _ := p.view(incident.AsOf{})
	return v, nil
}

// Revise replaces the content of a draft. An approved version is not
// edited: what was approved is what is published.
type Revise struct {
	Picture PictureID `json:"-"`
	Content Content   `json:"content"`
}

// Decide checks that the version is still a draft and the content valid.
func (c Revise) Decide(m WriteModel, by event.Actor) ([]event.Draft, error) {
	m.Book.mu.RLock()
	p, err := m.Book.picture(c.Picture)
	m.Book.mu.RUnlock()
	if err != nil {
		return nil, err
	}
	if p.Status != Draft {
		return nil, fail.New(fail.Conflict, "version %d is %s and can no longer be edited: start a new version", p.Version, p.Status)
	}
	content, err := c.Content.Check(m.Units)
	if err != nil {
		return nil, err
	}
	return []event.Draft{{Type: TypePictureRevised, Subject: string(c.Picture), Actor: by.Username,
		Payload: PictureRevised{Picture: c.Picture, Content: content, Author: by.Name}}}, nil
}

// Approve approves a draft. Whether the caller holds the approving role is
// checked by the service (auth.ApprovePicture); the four-eyes rule here.
type Approve struct {
	Picture PictureID `json:"-"`
}

// Decide checks that the version is a draft and, under four eyes, that the
// approver wrote none of it.
func (c Approve) Decide(b *Book, by event.Actor) ([]event.Draft, error) {
	b.mu.RLock()
	p, err := b.picture(c.Picture)
	b.mu.RUnlock()
	if err != nil {
		return nil, err
	}
	if p.Status != Draft {
		return nil, fail.New(fail.Conflict, "version %d is already %s", p.Version, p.Status)
	}
	if b.FourEyes() && slices.Contains(p.Authors, by.Username) {
		return nil, fail.New(fail.Forbidden, "four eyes: %s wrote version %d and may not approve it; another holder of the approving function must approve it", by.Name, p.Version)
	}
	return []event.Draft{{Type: TypePictureApproved, Subject: string(c.Picture), Actor: by.Username,
		Payload: PictureApproved{Picture: c.Picture, By: by.Name, Function: by.Function}}}, nil
}

// Discard sets aside a version that was never published (a draft, or an
// approved version overtaken by events), with a reason, so that a new
// version can be started. A published version is history and stays.
type Discard struct {
	Picture PictureID `json:"-"`
	Reason  string    `json:"reason"`
}

// Decide checks that the version is unpublished and a reason is given.
func (c Discard) Decide(b *Book, by event.Actor) ([]event.Draft, error) {
	if err := fail.Text("reason", c.Reason, MaxNote, true); err != nil {
		return nil, err
	}
	b.mu.RLock()
	p, err := b.picture(c.Picture)
	b.mu.RUnlock()
	if err != nil {
		return nil, err
	}
	if p.Status == Published || p.Status == Discarded {
		return nil, fail.New(fail.Conflict, "version %d is %s: only an unpublished version can be discarded", p.Version, p.Status)
	}
	return []event.Draft{{Type: TypePictureDiscarded, Subject: string(c.Picture), Actor: by.Username,
		Payload: PictureDiscarded{Picture: c.Picture, Reason: strings.TrimSpace(c.Reason), By: by.Name}}}, nil
}

// Publish publishes an approved version: it is dispatched, as text, to its
// audience (every unit when none is set) with receipts.
type Publish struct {
	Picture  PictureID `json:"-"`
	Deadline time.Time `json:"deadline"` // the receipt deadline; an hour ahead by default
}

// PublishReceipt is the default receipt deadline of a published picture.
const PublishReceipt = time.Hour

// Decide checks that the version is approved and returns the dispatch's
// events, the publication and the journal entry that records it.
func (c Publish) Decide(m WriteModel, by event.Actor, now time.Time) (dispatch.ID, []event.Draft, error) {
	m.Book.mu.RLock()
	p, err := m.Book.picture(c.Picture)
	m.Book.mu.RUnlock()
	if err != nil {
		return "", nil, err
	}
	switch p.Status {
	case Draft:
		return "", nil, fail.New(fail.Conflict, "version %d is not approved: a holder of the approving role must approve it before it is published", p.Version)
	case Published:
		return "", nil, fail.New(fail.Conflict, "version %d is already published", p.Version)
	}
	deadline := c.Deadline
	if deadline.IsZero() {
		deadline = now.Add(PublishReceipt)
	}
	audience := p.Content.Audience
	if isEmpty(audience) {
		audience = dispatch.Audience{All: true}
	}
	names := func(id string) string {
		if u, ok := m.Units.Unit(id); ok {
			return u.Name
		}
		return id
	}
	body := Render(p, names)
	if utf8.RuneCountInString(body) > incident.MaxText {
		body = string([]rune(body)[:incident.MaxText-100]) + "\n…\n(Se hela lägesbilden i Fyr.)"
	}
	sent, drafts, err := m.Dispatches.Send(dispatch.Create{Incident: p.Incident, Kind: dispatch.KindPicture,
		Title: fmt.Sprintf("Lägesbild version %d: %s", p.Version, firstLine(p.Content.Event, 120)), Body: body,
		Audience: audience, Deadline: deadline}, by, now)
	if err != nil {
		return "", nil, err
	}
	drafts = append(drafts, event.Draft{Type: TypePicturePublished, Subject: string(c.Picture), Actor: by.Username,
		Payload: PicturePublished{Picture: c.Picture, Dispatch: sent.Dispatch, By: by.Name}})
	entry, err := m.Journal.RecordDispatch(sent, fmt.Sprintf("Lägesbild version %d publicerad", p.Version), by, now)
	if err != nil {
		return "", nil, err
	}
	return sent.Dispatch, append(drafts, entry...), nil
}

func isEmpty(a dispatch.Audience) bool {
	return !a.All && len(a.Subtrees) == 0 && len(a.Types) == 0 && len(a.Units) == 0 && len(a.Functions) == 0
}

func firstLine(s string, max int) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	if r := []rune(s); len(r) > max {
		s = string(r[:max-1]) + "…"
	}
	return s
}

// SetFourEyes turns the four-eyes rule on or off.
type SetFourEyes struct {
	Enabled bool `json:"enabled"`
}

// Decide returns the change, or nothing when the rule is already so.
func (c SetFourEyes) Decide(b *Book, by event.Actor) ([]event.Draft, error) {
	if b.FourEyes() == c.Enabled {
		return nil, nil
	}
	return []event.Draft{{Type: TypeFourEyesSet, Subject: "settings/four_eyes", Actor: by.Username,
		Payload: FourEyesSet{Enabled: c.Enabled, By: by.Name}}}, nil
}

// Check validates a picture's content and returns it with its audience
// checked. Errors name the field: event, consequences.capacity,
// direction[0].owner, affected, audience.units …
func (c Content) Check(units Roster) (Content, error) {
	texts := []struct{ field, v string }{
		{"scope", c.Scope}, {"consequences.patient_safety", c.Consequences.PatientSafety},
		{"consequences.capacity", c.Consequences.Capacity}, {"consequences.staff", c.Consequences.Staff},
		{"consequences.supplies", c.Consequences.Supplies}, {"consequences.personal_data", c.Consequences.PersonalData},
		{"consequences.media", c.Consequences.Media}, {"actions", c.Actions}, {"resources", c.Resources},
		{"coordination", c.Coordination}, {"communication", c.Communication}, {"forecast", c.Forecast},
		{"reporting", c.Reporting},
	}
	if err := fail.Text("event", c.Event, MaxText, true); err != nil {
		return c, err
	}
	for _, t := range texts {
		if err := fail.Text(t.field, t.v, MaxText, false); err != nil {
			return c, err
		}
	}
	all := units.Units()
	known := map[string]bool{}
	for _, u := range all {
		known[u.ID] = true
	}
	for _, id := range c.Affected {
		if !known[id] {
			return c, fail.Field("affected", "unknown unit %q", id)
		}
	}
	for _, l := range c.Levels {
		if !l.Level.Valid() {
			return c, fail.Field("levels", "unknown level %q", l.Level)
		}
	}
	if len(c.Direction) > 2*MaxItems {
		return c, fail.Field("direction", "lists more than %d measures", 2*MaxItems)
	}
	for i, m := range c.Direction {
		f := fmt.Sprintf("direction[%d]", i)
		if err := fail.First(fail.Text(f+".what", m.What, MaxText, true), fail.Text(f+".owner", m.Owner, MaxNote, true)); err != nil {
			return c, err
		}
		if !m.Deadline.IsZero() && m.Deadline.Year() < 2000 {
			return c, fail.Field(f+".deadline", "is before the year 2000")
		}
	}
	if !c.NextBriefing.IsZero() && c.NextBriefing.Year() < 2000 {
		return c, fail.Field("next_briefing", "is before the year 2000")
	}
	if !isEmpty(c.Audience) {
		if _, err := dispatch.Resolve(c.Audience, all, units.People()); err != nil {
			return c, err
		}
	}
	return cloneContent(c), nil
}
