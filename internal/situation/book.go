package situation

import (
	"cmp"
	"slices"
	"strings"
	"sync"
	"time"

	"fyr/internal/dispatch"
	"fyr/internal/event"
	"fyr/internal/incident"
)

// Round is a reporting round as the model shows it at a point in time.
type Round struct {
	// ID is Round again under the name every object's id has in the API.
	ID RoundID `json:"id"`
	RoundOpened
	OpenedAt   time.Time   `json:"opened_at"`
	Closed     bool        `json:"closed"`
	ClosedAt   time.Time   `json:"closed_at,omitzero"`
	Reopened   int         `json:"reopened,omitempty"` // how many times it was reopened
	Reminder   dispatch.ID `json:"reminder,omitempty"` // the reminder dispatch, once sent
	Reminded   []string    `json:"reminded,omitempty"` // the units it went to
	RemindedAt time.Time   `json:"reminded_at,omitzero"`
	Reports    int         `json:"reports"`  // report versions filed
	Reported   int         `json:"reported"` // units with a report
}

// Report is one version of a unit's report.
type Report struct {
	// ID is Report again under the name every object's id has in the API.
	ID ReportID `json:"id"`
	ReportFiled
	OccurredAt time.Time `json:"occurred_at"` // when the unit gave it
	RecordedAt time.Time `json:"recorded_at"` // when Fyr recorded it
	Seq        uint64    `json:"seq"`
}

// Picture is one version of the situation picture at a point in time.
type Picture struct {
	ID       PictureID   `json:"id"`
	Incident incident.ID `json:"incident"`
	Version  int         `json:"version"`
	Status   Status      `json:"status"`
	Content  Content     `json:"content"`
	Basis    Basis       `json:"basis"`
	Author   string      `json:"author"`
	Function string      `json:"function,omitempty"`
	// Authors are the accounts that wrote the content: under four eyes
	// none of them may approve it.
	Authors          []string    `json:"authors"`
	DraftedAt        time.Time   `json:"drafted_at"`
	RevisedAt        time.Time   `json:"revised_at,omitzero"`
	ApprovedBy       string      `json:"approved_by,omitempty"`
	ApprovedFunction string      `json:"approved_function,omitempty"`
	ApprovedAt       time.Time   `json:"approved_at,omitzero"`
	PublishedBy      string      `json:"published_by,omitempty"`
	PublishedAt      time.Time   `json:"published_at,omitzero"`
	Dispatch         dispatch.ID `json:"dispatch,omitempty"`
	DiscardedBy      string      `json:"discarded_by,omitempty"`
	DiscardedAt      time.Time   `json:"discarded_at,omitzero"`
	DiscardReason    string      `json:"discard_reason,omitempty"`
}

type stamp struct{ occurred, recorded time.Time }

func (s stamp) kept(a incident.AsOf) bool { return keeps(a, s.occurred, s.recorded) }

func keeps(a incident.AsOf, occurred, recorded time.Time) bool {
	return (a.At.IsZero() || !occurred.After(a.At)) && (a.KnownAt.IsZero() || !recorded.After(a.KnownAt))
}

func stampOf(e event.Envelope) stamp { return stamp{e.OccurredAt, e.RecordedAt} }

type roundChange struct {
	stamp
	closed   bool
	deadline time.Time // a reopening's new deadline, if any
}

type round struct {
	opened   RoundOpened
	at       stamp
	changes  []roundChange
	reminded *RoundReminded
	remAt    stamp
	reports  []*Report // log order
}

type revision struct {
	stamp
	content  Content
	username string
}

type picture struct {
	drafted   PictureDrafted
	at        stamp
	revisions []revision // the first is the draft itself
	approved  *PictureApproved
	approver  string
	apAt      stamp
	published *PicturePublished
	publisher string
	pubAt     stamp
	discarded *PictureDiscarded
	disAt     stamp
}

type toggle struct {
	stamp
	enabled bool
}

// Book is the model of every reporting round, unit report and picture
// version. It keeps the whole history, so it serves both as the write
// model and as the read model with point-in-time views. It is safe for
// concurrent use: one goroutine applies events, any number read.
type Book struct {
	mu         sync.RWMutex
	rounds     map[RoundID]*round
	roundOrder map[incident.ID][]RoundID
	byDispatch map[dispatch.ID]RoundID
	reports    map[ReportID]*Report
	byUnit     map[string][]*Report
	systems    map[string]string // lower-case name → the name as first seen
	pictures   map[PictureID]*picture
	picOrder   map[incident.ID][]PictureID
	fourEyes   []toggle
}

// NewBook returns an empty model.
func NewBook() *Book {
	return &Book{rounds: map[RoundID]*round{}, roundOrder: map[incident.ID][]RoundID{}, byDispatch: map[dispatch.ID]RoundID{},
		reports: map[ReportID]*Report{}, byUnit: map[string][]*Report{}, systems: map[string]string{},
		pictures: map[PictureID]*picture{}, picOrder: map[incident.ID][]PictureID{}}
}

// Apply folds one event.
func (b *Book) Apply(e event.Envelope) error {
	if !strings.HasPrefix(e.Type, "situation.") {
		return nil
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	switch e.Type {
	case TypeRoundOpened:
		var p RoundOpened
		if err := e.Unmarshal(&p); err != nil {
			return err
		}
		b.rounds[p.Round] = &round{opened: p, at: stampOf(e)}
		b.roundOrder[p.Incident] = append(b.roundOrder[p.Incident], p.Round)
		b.byDispatch[p.Dispatch] = p.Round
	case TypeRoundClosed, TypeRoundReopened:
		var p RoundReopened // RoundClosed has a subset of its fields
		if err := e.Unmarshal(&p); err != nil {
			return err
		}
		if r := b.rounds[p.Round]; r != nil {
			r.changes = append(r.changes, roundChange{stampOf(e), e.Type == TypeRoundClosed, p.Deadline})
		}
	case TypeRoundReminded:
		var p RoundReminded
		if err := e.Unmarshal(&p); err != nil {
			return err
		}
		if r := b.rounds[p.Round]; r != nil && r.reminded == nil {
			r.reminded, r.remAt = &p, stampOf(e)
			b.byDispatch[p.Dispatch] = p.Round
		}
	case TypeReportFiled:
		var p ReportFiled
		if err := e.Unmarshal(&p); err != nil {
			return err
		}
		r := b.rounds[p.Round]
		if r == nil {
			return nil
		}
		rep := &Report{ID: p.Report, ReportFiled: p, OccurredAt: e.OccurredAt, RecordedAt: e.RecordedAt, Seq: e.Seq}
		r.reports = append(r.reports, rep)
		b.reports[p.Report] = rep
		b.byUnit[p.Unit] = append(b.byUnit[p.Unit], rep)
		for _, s := range p.Systems {
			if k := strings.ToLower(s.Name); b.systems[k] == "" {
				b.systems[k] = s.Name
			}
		}
	case TypePictureDrafted:
		var p PictureDrafted
		if err := e.Unmarshal(&p); err != nil {
			return err
		}
		b.pictures[p.Picture] = &picture{drafted: p, at: stampOf(e),
			revisions: []revision{{stampOf(e), p.Content, e.Actor}}}
		b.picOrder[p.Incident] = append(b.picOrder[p.Incident], p.Picture)
	case TypePictureRevised:
		var p PictureRevised
		if err := e.Unmarshal(&p); err != nil {
			return err
		}
		if pic := b.pictures[p.Picture]; pic != nil {
			pic.revisions = append(pic.revisions, revision{stampOf(e), p.Content, e.Actor})
		}
	case TypePictureApproved:
		var p PictureApproved
		if err := e.Unmarshal(&p); err != nil {
			return err
		}
		if pic := b.pictures[p.Picture]; pic != nil {
			pic.approved, pic.approver, pic.apAt = &p, e.Actor, stampOf(e)
		}
	case TypePicturePublished:
		var p PicturePublished
		if err := e.Unmarshal(&p); err != nil {
			return err
		}
		if pic := b.pictures[p.Picture]; pic != nil {
			pic.published, pic.publisher, pic.pubAt = &p, e.Actor, stampOf(e)
		}
	case TypePictureDiscarded:
		var p PictureDiscarded
		if err := e.Unmarshal(&p); err != nil {
			return err
		}
		if pic := b.pictures[p.Picture]; pic != nil {
			pic.discarded, pic.disAt = &p, stampOf(e)
		}
	case TypeFourEyesSet:
		var p FourEyesSet
		if err := e.Unmarshal(&p); err != nil {
			return err
		}
		b.fourEyes = append(b.fourEyes, toggle{stampOf(e), p.Enabled})
	}
	return nil
}

// view returns the round as it stood at asOf; ok is false when it had not
// been opened by then. b.mu is held.
func (r *round) view(asOf incident.AsOf) (Round, bool) {
	if !r.at.kept(asOf) {
		return Round{}, false
	}
	out := Round{ID: r.opened.Round, RoundOpened: r.opened, OpenedAt: r.at.occurred}
	out.Units = slices.Clone(r.opened.Units)
	for _, c := range r.changes {
		if !c.kept(asOf) {
			continue
		}
		out.Closed = c.closed
		if c.closed {
			out.ClosedAt = c.occurred
		} else {
			out.ClosedAt = time.Time{}
			out.Reopened++
			if !c.deadline.IsZero() {
				out.Deadline = c.deadline
			}
		}
	}
	if r.reminded != nil && r.remAt.kept(asOf) {
		out.Reminder, out.Reminded, out.RemindedAt = r.reminded.Dispatch, slices.Clone(r.reminded.Units), r.remAt.occurred
	}
	latest := r.latest(asOf)
	out.Reported = len(latest)
	for _, rep := range r.reports {
		if keeps(asOf, rep.OccurredAt, rep.RecordedAt) {
			out.Reports++
		}
	}
	return out, true
}

// latest is the newest report version per unit at asOf. b.mu is held.
func (r *round) latest(asOf incident.AsOf) map[string]*Report {
	out := map[string]*Report{}
	for _, rep := range r.reports {
		if keeps(asOf, rep.OccurredAt, rep.RecordedAt) {
			out[rep.Unit] = rep
		}
	}
	return out
}

// Round returns a round as it stood at asOf.
func (b *Book) Round(id RoundID, asOf incident.AsOf) (Round, bool) {
	b.mu.RLock()
	defer b.mu.RUnlock()
	r := b.rounds[id]
	if r == nil {
		return Round{}, false
	}
	return r.view(asOf)
}

// Rounds lists an incident's rounds at asOf, newest first.
func (b *Book) Rounds(id incident.ID, asOf incident.AsOf) []Round {
	b.mu.RLock()
	defer b.mu.RUnlock()
	ids := b.roundOrder[id]
	var out []Round
	for i := len(ids) - 1; i >= 0; i-- {
		if r, ok := b.rounds[ids[i]].view(asOf); ok {
			out = append(out, r)
		}
	}
	return out
}

// RoundOf returns the round a dispatch (its call to report or its reminder)
// belongs to: what a unit opening the dispatch is asked to report in.
func (b *Book) RoundOf(d dispatch.ID) (RoundID, bool) {
	b.mu.RLock()
	defer b.mu.RUnlock()
	id, ok := b.byDispatch[d]
	return id, ok
}

// OpenFor lists the open rounds that ask unit to report, newest first.
func (b *Book) OpenFor(unit string) []Round {
	b.mu.RLock()
	defer b.mu.RUnlock()
	var out []Round
	for _, r := range b.rounds {
		if !slices.Contains(r.opened.Units, unit) {
			continue
		}
		if v, _ := r.view(incident.AsOf{}); !v.Closed {
			out = append(out, v)
		}
	}
	slices.SortFunc(out, func(a, b Round) int { return b.OpenedAt.Compare(a.OpenedAt) })
	return out
}

// UnitLine is where one asked unit stands in a round.
type UnitLine struct {
	Unit     string         `json:"unit"`
	Report   ReportID       `json:"report,omitempty"` // the newest version, empty when missing
	Version  int            `json:"version,omitempty"`
	State    OperatingState `json:"state,omitempty"`
	FiledAt  time.Time      `json:"filed_at,omitzero"`
	Late     bool           `json:"late,omitempty"`
	OnBehalf bool           `json:"on_behalf,omitempty"`
}

// RoundStatus is a round with where each asked unit stands: the reports
// that are in, late and missing.
type RoundStatus struct {
	Round
	Lines   []UnitLine `json:"lines"`   // one per asked unit, in Units order
	Missing []string   `json:"missing"` // asked units without a report
	Late    []string   `json:"late"`    // units whose newest report came after the deadline
}

// Status returns a round's reporting status at asOf.
func (b *Book) Status(id RoundID, asOf incident.AsOf) (RoundStatus, bool) {
	b.mu.RLock()
	defer b.mu.RUnlock()
	r := b.rounds[id]
	if r == nil {
		return RoundStatus{}, false
	}
	v, ok := r.view(asOf)
	if !ok {
		return RoundStatus{}, false
	}
	st := RoundStatus{Round: v, Missing: []string{}, Late: []string{}}
	latest := r.latest(asOf)
	for _, u := range v.Units {
		line := UnitLine{Unit: u}
		if rep := latest[u]; rep != nil {
			line.Report, line.Version, line.State, line.FiledAt, line.Late, line.OnBehalf =
				rep.Report, rep.Version, rep.State, rep.OccurredAt, rep.Late, rep.OnBehalf
			if rep.Late {
				st.Late = append(st.Late, u)
			}
		} else {
			st.Missing = append(st.Missing, u)
		}
		st.Lines = append(st.Lines, line)
	}
	return st, true
}

// Report returns one report version.
func (b *Book) Report(id ReportID) (Report, bool) {
	b.mu.RLock()
	defer b.mu.RUnlock()
	r := b.reports[id]
	if r == nil {
		return Report{}, false
	}
	return r.clone(), true
}

func (r *Report) clone() Report {
	c := *r
	c.Systems, c.Supplies, c.Needs = slices.Clone(r.Systems), slices.Clone(r.Supplies), slices.Clone(r.Needs)
	return c
}

// ReportQuery selects reports. Empty fields select everything.
type ReportQuery struct {
	incident.AsOf
	Incident incident.ID
	Round    RoundID
	Unit     string
	// Latest keeps only the newest version per unit and round.
	Latest bool
}

// Reports returns the reports that match q, in the order they were filed.
func (b *Book) Reports(q ReportQuery) []Report {
	b.mu.RLock()
	defer b.mu.RUnlock()
	var from []*Report
	switch {
	case q.Round != "":
		if r := b.rounds[q.Round]; r != nil {
			from = r.reports
		}
	case q.Unit != "":
		from = b.byUnit[q.Unit]
	default:
		for _, id := range b.roundOrder[q.Incident] {
			from = append(from, b.rounds[id].reports...)
		}
		slices.SortStableFunc(from, func(a, b *Report) int { return cmp.Compare(a.Seq, b.Seq) })
	}
	var out []Report
	newest := map[[2]string]int{}
	for _, r := range from {
		if (q.Incident != "" && r.Incident != q.Incident) || (q.Unit != "" && r.Unit != q.Unit) ||
			!keeps(q.AsOf, r.OccurredAt, r.RecordedAt) {
			continue
		}
		if q.Latest {
			k := [2]string{string(r.Round), r.Unit}
			if i, ok := newest[k]; ok {
				out[i] = r.clone()
				continue
			}
			newest[k] = len(out)
		}
		out = append(out, r.clone())
	}
	return out
}

// Last returns a unit's newest report in any round: what prefills its next
// form.
func (b *Book) Last(unit string) (Report, bool) {
	b.mu.RLock()
	defer b.mu.RUnlock()
	reps := b.byUnit[unit]
	if len(reps) == 0 {
		return Report{}, false
	}
	return reps[len(reps)-1].clone(), true
}

// SystemNames lists the IT system names units have reported, sorted; each
// as first written.
func (b *Book) SystemNames() []string {
	b.mu.RLock()
	defer b.mu.RUnlock()
	out := make([]string, 0, len(b.systems))
	for _, n := range b.systems {
		out = append(out, n)
	}
	slices.SortFunc(out, func(a, b string) int { return strings.Compare(strings.ToLower(a), strings.ToLower(b)) })
	return out
}

// DueReminders lists the open rounds whose deadline has passed at now,
// that have not been reminded, and that still miss a report: the rounds a
// reminder is due for.
func (b *Book) DueReminders(now time.Time) []RoundID {
	b.mu.RLock()
	defer b.mu.RUnlock()
	var out []RoundID
	for id, r := range b.rounds {
		if r.reminded != nil {
			continue
		}
		v, _ := r.view(incident.AsOf{})
		if !v.Closed && !now.Before(v.Deadline) && v.Reported < len(v.Units) {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out
}

func (p *picture) view(asOf incident.AsOf) (Picture, bool) {
	if !p.at.kept(asOf) {
		return Picture{}, false
	}
	out := Picture{ID: p.drafted.Picture, Incident: p.drafted.Incident, Version: p.drafted.Version, Status: Draft,
		Basis: p.drafted.Basis, Author: p.drafted.Author, Function: p.drafted.Function, DraftedAt: p.at.occurred}
	out.Basis.Reports, out.Basis.Entries = slices.Clone(out.Basis.Reports), slices.Clone(out.Basis.Entries)
	for i, r := range p.revisions {
		if !r.kept(asOf) {
			continue
		}
		out.Content = r.content
		if i > 0 {
			out.RevisedAt = r.occurred
		}
		if !slices.Contains(out.Authors, r.username) {
			out.Authors = append(out.Authors, r.username)
		}
	}
	out.Content = cloneContent(out.Content)
	if p.approved != nil && p.apAt.kept(asOf) {
		out.Status, out.ApprovedBy, out.ApprovedFunction, out.ApprovedAt = Approved, p.approved.By, p.approved.Function, p.apAt.occurred
	}
	if p.published != nil && p.pubAt.kept(asOf) {
		out.Status, out.PublishedBy, out.PublishedAt, out.Dispatch = Published, p.published.By, p.pubAt.occurred, p.published.Dispatch
	}
	if p.discarded != nil && p.disAt.kept(asOf) {
		out.Status, out.DiscardedBy, out.DiscardedAt, out.DiscardReason = Discarded, p.discarded.By, p.disAt.occurred, p.discarded.Reason
	}
	return out, true
}

func cloneContent(c Content) Content {
	c.Levels, c.Affected, c.Direction = slices.Clone(c.Levels), slices.Clone(c.Affected), slices.Clone(c.Direction)
	a := &c.Audience
	a.Subtrees, a.Types, a.Units, a.Functions = slices.Clone(a.Subtrees), slices.Clone(a.Types), slices.Clone(a.Units), slices.Clone(a.Functions)
	return c
}

// Picture returns one picture version as it stood at asOf.
func (b *Book) Picture(id PictureID, asOf incident.AsOf) (Picture, bool) {
	b.mu.RLock()
	defer b.mu.RUnlock()
	p := b.pictures[id]
	if p == nil {
		return Picture{}, false
	}
	return p.view(asOf)
}

// Pictures lists an incident's picture versions at asOf, newest first.
func (b *Book) Pictures(id incident.ID, asOf incident.AsOf) []Picture {
	b.mu.RLock()
	defer b.mu.RUnlock()
	ids := b.picOrder[id]
	var out []Picture
	for i := len(ids) - 1; i >= 0; i-- {
		if p, ok := b.pictures[ids[i]].view(asOf); ok {
			out = append(out, p)
		}
	}
	return out
}

// Published returns the newest published version of an incident's picture
// at asOf: what the units see.
func (b *Book) Published(id incident.ID, asOf incident.AsOf) (Picture, bool) {
	var best Picture
	found := false
	for _, p := range b.Pictures(id, asOf) {
		if p.Status == Published && (!found || p.PublishedAt.After(best.PublishedAt)) {
			best, found = p, true
		}
	}
	return best, found
}

// FourEyes reports whether the author of a draft is barred from approving
// it: on unless turned off.
func (b *Book) FourEyes() bool {
	b.mu.RLock()
	defer b.mu.RUnlock()
	if n := len(b.fourEyes); n > 0 {
		return b.fourEyes[n-1].enabled
	}
	return true
}
