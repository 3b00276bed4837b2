package situation

import (
	"context"
	"fmt"
	"log/slog"
	"reflect"
	"slices"
	"time"

	"fyr/internal/auth"
	"fyr/internal/dispatch"
	"fyr/internal/event"
	"fyr/internal/fail"
	"fyr/internal/incident"
	"fyr/internal/kernel"
)

// The situation picture: reporting rounds, unit reports, the roll-up and
// the versioned lägesbild. Who may do what:
//
//   - open, close and reopen rounds, draft, revise and publish pictures:
//     auth.WriteIncidents (staff, admin);
//   - approve a picture: auth.ApprovePicture (admin; staff whose function
//     is stabschef), and under four eyes not the draft's author;
//   - file a report: auth.FileReport; a unit account for its own unit only
//     (in-app), the staff for any asked unit (on behalf, by phone);
//   - read rounds, the roll-up, every picture version, diffs and the
//     export: auth.ReadJournal (staff, admin, viewer);
//   - read reports: auth.ReadJournal, or a unit account its own unit's.
//     Reports name the reporter and hold free text, so every read of them
//     is audit-logged like a journal read. The roll-up carries unit names,
//     figures, system and supply names and needs, never the reporter or
//     the free text, and its reads are not logged;
//   - read the latest published picture: auth.ReadIncidents (every role).

// Service is the situation capability: its commands and queries, each with
// its role check. Its read model is private.
type Service struct {
	run  kernel.Runner[WriteModel]
	read ReadModel
	log  *slog.Logger
}

// NewService returns the service over run (the appender, on this
// capability's view of the write model) and read (its book, fed from the
// log by the kernel, and the other capabilities' read models).
func NewService(run kernel.Runner[WriteModel], read ReadModel, logger *slog.Logger) *Service {
	return &Service{run: run, read: read, log: logger}
}

// MayPlan, MayApprove and MayReadReports answer, before a page parses a
// form or gathers what it shows, the question the service's commands and
// queries ask themselves: the rights stay decided here, not in the UI.
func (s *Service) MayPlan(p auth.Principal) error { return p.Require(auth.WriteIncidents) }

// MayApprove: see MayPlan.
func (s *Service) MayApprove(p auth.Principal) error { return p.Require(auth.ApprovePicture) }

// MayReadReports: see MayPlan.
func (s *Service) MayReadReports(p auth.Principal) error { return p.Require(auth.ReadJournal) }

// OpenRound asks an audience of units to report by a deadline. The round,
// its call to report (a dispatch of kind report_request, which the engine
// sends and escalates) and the journal entry are one atomic write.
func (s *Service) OpenRound(ctx context.Context, p auth.Principal, cmd OpenRound) (Round, error) {
	if err := p.Require(auth.WriteIncidents); err != nil {
		return Round{}, err
	}
	var id RoundID
	if _, err := s.run.Run(ctx, func(m WriteModel, now time.Time) ([]event.Draft, error) {
		var drafts []event.Draft
		var err error
		id, _, drafts, err = cmd.Decide(m, p.Actor(), now)
		return drafts, err
	}); err != nil {
		return Round{}, err
	}
	r, _ := s.read.Book.Round(id, incident.AsOf{})
	s.log.Info("reporting round opened", "round_id", id, "incident_id", cmd.Incident, "units", len(r.Units), "username", p.Username)
	return r, nil
}

// CloseRound stops a round from taking reports.
func (s *Service) CloseRound(ctx context.Context, p auth.Principal, id RoundID) (Round, error) {
	if err := p.Require(auth.WriteIncidents); err != nil {
		return Round{}, err
	}
	if _, err := s.run.Run(ctx, func(m WriteModel, now time.Time) ([]event.Draft, error) {
		return CloseRound{Round: id}.Decide(m.Book, p.Actor())
	}); err != nil {
		return Round{}, err
	}
	s.log.Info("reporting round closed", "round_id", id, "username", p.Username)
	r, _ := s.read.Book.Round(id, incident.AsOf{})
	return r, nil
}

// ReopenRound lets a closed round take reports again, optionally by a new
// deadline.
func (s *Service) ReopenRound(ctx context.Context, p auth.Principal, cmd ReopenRound) (Round, error) {
	if err := p.Require(auth.WriteIncidents); err != nil {
		return Round{}, err
	}
	if _, err := s.run.Run(ctx, func(m WriteModel, now time.Time) ([]event.Draft, error) {
		return cmd.Decide(m.Book, p.Actor(), now)
	}); err != nil {
		return Round{}, err
	}
	s.log.Info("reporting round reopened", "round_id", cmd.Round, "username", p.Username)
	r, _ := s.read.Book.Round(cmd.Round, incident.AsOf{})
	return r, nil
}

// Rounds lists an incident's reporting rounds at a point in time, newest
// first.
func (s *Service) Rounds(p auth.Principal, id incident.ID, asOf incident.AsOf) ([]Round, error) {
	if err := p.Require(auth.ReadJournal); err != nil {
		return nil, err
	}
	return s.read.Book.Rounds(id, asOf), nil
}

// RoundStatus returns a round with where each asked unit stands: reported,
// late, missing.
func (s *Service) RoundStatus(p auth.Principal, id RoundID, asOf incident.AsOf) (RoundStatus, error) {
	if err := p.Require(auth.ReadJournal); err != nil {
		return RoundStatus{}, err
	}
	st, ok := s.read.Book.Status(id, asOf)
	if !ok {
		return st, fail.New(fail.NotFound, "reporting round %q does not exist (at that time)", id)
	}
	return st, nil
}

// RoundsForUnit lists the open rounds that ask a unit to report: a unit
// account's own (unit ""), or any unit's for the staff.
func (s *Service) RoundsForUnit(p auth.Principal, unit string) ([]Round, error) {
	unit, _, err := s.reportingUnit(p, unit)
	if err != nil {
		return nil, err
	}
	return s.read.Book.OpenFor(unit), nil
}

// RoundForUnit returns a round as one asked unit sees it: the round and
// where the unit stands in it (a unit account: its own unit).
func (s *Service) RoundForUnit(p auth.Principal, id RoundID, unit string) (Round, UnitLine, error) {
	unit, _, err := s.reportingUnit(p, unit)
	if err != nil {
		return Round{}, UnitLine{}, err
	}
	st, ok := s.read.Book.Status(id, incident.AsOf{})
	if !ok {
		return Round{}, UnitLine{}, fail.New(fail.NotFound, "reporting round %q does not exist", id)
	}
	for _, l := range st.Lines {
		if l.Unit == unit {
			return st.Round, l, nil
		}
	}
	return Round{}, UnitLine{}, fail.Field("unit", "unit %q is not asked to report in this round", unit)
}

// RoundForDispatch returns the round a dispatch (its call to report or its
// reminder) belongs to, so that a unit opening it from its inbox lands on
// the report form. Any role that may file a report or read the journal.
func (s *Service) RoundForDispatch(p auth.Principal, d dispatch.ID) (Round, error) {
	if !p.May(auth.FileReport) && !p.May(auth.ReadJournal) {
		return Round{}, fail.New(fail.Forbidden, "the role %q may not read reporting rounds", p.Role)
	}
	id, ok := s.read.Book.RoundOf(d)
	if !ok {
		return Round{}, fail.New(fail.NotFound, "dispatch %q is not a call to report", d)
	}
	r, _ := s.read.Book.Round(id, incident.AsOf{})
	return r, nil
}

// reportingUnit checks who may report (or read reports) for which unit: a
// unit account for its own unit only; the staff for any unit, on behalf.
func (s *Service) reportingUnit(p auth.Principal, unit string) (string, bool, error) {
	if err := p.Require(auth.FileReport); err != nil {
		return "", false, err
	}
	if p.Role == auth.Unit {
		if unit == "" {
			unit = p.Unit
		}
		if p.Unit == "" || unit != p.Unit {
			return "", false, fail.New(fail.Forbidden, "an account for unit %q may not report for unit %q", p.Unit, unit)
		}
		return unit, false, nil
	}
	if unit == "" {
		return "", false, fail.Field("unit", "is required: name the unit the report is for")
	}
	return unit, true, nil
}

// ReportForm returns the form of a unit's next report in a round,
// prefilled with the values of its last report in any round.
func (s *Service) ReportForm(p auth.Principal, round RoundID, unit string) (File, error) {
	unit, _, err := s.reportingUnit(p, unit)
	if err != nil {
		return File{}, err
	}
	r, ok := s.read.Book.Round(round, incident.AsOf{})
	if !ok {
		return File{}, fail.New(fail.NotFound, "reporting round %q does not exist", round)
	}
	if !slices.Contains(r.Units, unit) {
		return File{}, fail.Field("unit", "unit %q is not asked to report in this round", unit)
	}
	return Prefill(s.read.Book, round, unit), nil
}

// FileReport records a unit's report. The report and the unit's receipt of
// the call to report (and of the reminder) are one atomic write, so the
// escalation for the unit stops.
func (s *Service) FileReport(ctx context.Context, p auth.Principal, cmd File) (Report, error) {
	unit, onBehalf, err := s.reportingUnit(p, cmd.Unit)
	if err != nil {
		return Report{}, err
	}
	cmd.Unit = unit
	var id ReportID
	if _, err := s.run.Run(ctx, func(m WriteModel, now time.Time) ([]event.Draft, error) {
		var drafts []event.Draft
		var err error
		id, drafts, err = cmd.Decide(m, p.Actor(), onBehalf, now)
		return drafts, err
	}); err != nil {
		return Report{}, err
	}
	r, _ := s.read.Book.Report(id)
	s.log.Info("unit report filed", "report_id", id, "round_id", cmd.Round, "unit", unit, "on_behalf", onBehalf,
		"late", r.Late, "username", p.Username)
	return r, nil
}

// Report returns one report version. Reports name the reporter and hold
// free text: every read is logged with who read what.
func (s *Service) Report(p auth.Principal, id ReportID, purpose string) (Report, error) {
	r, ok := s.read.Book.Report(id)
	if !ok {
		return r, fail.New(fail.NotFound, "report %q does not exist", id)
	}
	if err := s.mayReadReports(p, r.Unit); err != nil {
		return Report{}, err
	}
	s.log.Info("unit report read", "audit", true, "username", p.Username, "report_id", id, "unit", r.Unit, "purpose", purpose)
	return r, nil
}

// Reports returns the reports that match q (a unit account: its own unit's
// only). Every read is logged.
func (s *Service) Reports(p auth.Principal, q ReportQuery, purpose string) ([]Report, error) {
	if p.Role == auth.Unit && q.Unit == "" {
		q.Unit = p.Unit
	}
	if err := s.mayReadReports(p, q.Unit); err != nil {
		return nil, err
	}
	if q.Incident == "" && q.Round == "" && q.Unit == "" {
		return nil, fail.Field("incident", "name an incident, a round or a unit")
	}
	out := s.read.Book.Reports(q)
	s.log.Info("unit reports read", "audit", true, "username", p.Username, "incident_id", q.Incident, "round_id", q.Round,
		"unit", q.Unit, "purpose", purpose, "reports", len(out), "at", q.At, "known_at", q.KnownAt)
	return out, nil
}

func (s *Service) mayReadReports(p auth.Principal, unit string) error {
	if p.May(auth.ReadJournal) {
		return nil
	}
	if p.Role == auth.Unit && p.Unit != "" && unit == p.Unit {
		return nil
	}
	return fail.New(fail.Forbidden, "the role %q may read only its own unit's reports", p.Role)
}

// SystemNames lists the IT system names units have reported, to choose
// from in the report form.
func (s *Service) SystemNames(p auth.Principal) ([]string, error) {
	if !p.May(auth.FileReport) && !p.May(auth.ReadJournal) {
		return nil, fail.New(fail.Forbidden, "the role %q may not read system names", p.Role)
	}
	return s.read.Book.SystemNames(), nil
}

// OverviewQuery selects a roll-up: one round's, or (Round empty) the
// newest report per unit over the incident's rounds; at a point in time.
type OverviewQuery struct {
	incident.AsOf
	Incident incident.ID
	Round    RoundID
}

// Overview is the roll-up per hospital and for the region, with each unit's
// state and what changed since the previous round. Every figure carries
// the report ids behind it.
func (s *Service) Overview(p auth.Principal, q OverviewQuery) (Overview, error) {
	if err := p.Require(auth.ReadJournal); err != nil {
		return Overview{}, err
	}
	if q.Round != "" {
		sel, ok := s.read.Book.RoundSelection(q.Round, q.AsOf)
		if !ok || (q.Incident != "" && sel.Incident != q.Incident) {
			return Overview{}, fail.New(fail.NotFound, "reporting round %q does not exist (at that time)", q.Round)
		}
		return Roll(sel, s.read.Units), nil
	}
	if _, err := s.read.Incidents.Get(q.Incident, incident.AsOf{}); err != nil {
		return Overview{}, err
	}
	return Roll(s.read.Book.LatestSelection(q.Incident, q.AsOf), s.read.Units), nil
}

func (s *Service) unitName(id string) string {
	if u, ok := s.read.Units.Unit(id); ok {
		return u.Name
	}
	if id == incident.RegionScope {
		return "Regionen"
	}
	return id
}

// PicturePrefill returns what a new draft of an incident's picture starts
// from: the roll-up, the current levels, the decisions and tasks since the
// last published version and the open tasks; with the basis it came from.
func (s *Service) PicturePrefill(p auth.Principal, id incident.ID) (Content, Basis, error) {
	if err := p.Require(auth.WriteIncidents); err != nil {
		return Content{}, Basis{}, err
	}
	inc, err := s.read.Incidents.Get(id, incident.AsOf{})
	if err != nil {
		return Content{}, Basis{}, err
	}
	journal, err := s.read.Incidents.Journal(id, incident.Query{})
	if err != nil {
		return Content{}, Basis{}, err
	}
	in := PrefillInput{Incident: inc, Journal: journal, Names: s.unitName,
		Overview: Roll(s.read.Book.LatestSelection(id, incident.AsOf{}), s.read.Units)}
	if last, ok := s.read.Book.Published(id, incident.AsOf{}); ok {
		in.Since, in.Previous = last.PublishedAt, &last.Content
	}
	c, b := PrefillPicture(in)
	return c, b, nil
}

// DraftPicture starts a new version of the picture. With no content it is
// prefilled (PicturePrefill).
func (s *Service) DraftPicture(ctx context.Context, p auth.Principal, cmd DraftPicture) (Picture, error) {
	if err := p.Require(auth.WriteIncidents); err != nil {
		return Picture{}, err
	}
	if reflect.ValueOf(cmd.Content).IsZero() {
		c, b, err := s.PicturePrefill(p, cmd.Incident)
		if err != nil {
			return Picture{}, err
		}
		cmd.Content, cmd.Basis = c, b
	}
	var id PictureID
	if _, err := s.run.Run(ctx, func(m WriteModel, now time.Time) ([]event.Draft, error) {
		var drafts []event.Draft
		var err error
		id, drafts, err = cmd.Decide(m, p.Actor(), now)
		return drafts, err
	}); err != nil {
		return Picture{}, err
	}
	pic, _ := s.read.Book.Picture(id, incident.AsOf{})
	s.log.Info("picture drafted", "picture_id", id, "incident_id", cmd.Incident, "version", pic.Version, "username", p.Username)
	return pic, nil
}

// RevisePicture replaces a draft's content.
func (s *Service) RevisePicture(ctx context.Context, p auth.Principal, cmd Revise) (Picture, error) {
	if err := p.Require(auth.WriteIncidents); err != nil {
		return Picture{}, err
	}
	if _, err := s.run.Run(ctx, func(m WriteModel, now time.Time) ([]event.Draft, error) {
		return cmd.Decide(m, p.Actor())
	}); err != nil {
		return Picture{}, err
	}
	pic, _ := s.read.Book.Picture(cmd.Picture, incident.AsOf{})
	return pic, nil
}

// ApprovePicture approves a draft: the caller must hold the approving role
// (auth.ApprovePicture) and, under four eyes, must not have written it.
func (s *Service) ApprovePicture(ctx context.Context, p auth.Principal, id PictureID) (Picture, error) {
	if err := p.Require(auth.ApprovePicture); err != nil {
		return Picture{}, err
	}
	if _, err := s.run.Run(ctx, func(m WriteModel, now time.Time) ([]event.Draft, error) {
		return Approve{Picture: id}.Decide(m.Book, p.Actor())
	}); err != nil {
		return Picture{}, err
	}
	pic, _ := s.read.Book.Picture(id, incident.AsOf{})
	s.log.Info("picture approved", "picture_id", id, "version", pic.Version, "username", p.Username)
	return pic, nil
}

// DiscardPicture sets an unpublished version aside, with a reason, so that
// a new one can be started.
func (s *Service) DiscardPicture(ctx context.Context, p auth.Principal, cmd Discard) (Picture, error) {
	if err := p.Require(auth.WriteIncidents); err != nil {
		return Picture{}, err
	}
	if _, err := s.run.Run(ctx, func(m WriteModel, now time.Time) ([]event.Draft, error) {
		return cmd.Decide(m.Book, p.Actor())
	}); err != nil {
		return Picture{}, err
	}
	pic, _ := s.read.Book.Picture(cmd.Picture, incident.AsOf{})
	s.log.Info("picture discarded", "picture_id", cmd.Picture, "version", pic.Version, "username", p.Username)
	return pic, nil
}

// PublishPicture publishes an approved version: the publication, its
// dispatch to the picture's audience (kind picture, with receipts) and the
// journal entry are one atomic write.
func (s *Service) PublishPicture(ctx context.Context, p auth.Principal, cmd Publish) (Picture, error) {
	if err := p.Require(auth.WriteIncidents); err != nil {
		return Picture{}, err
	}
	if _, err := s.run.Run(ctx, func(m WriteModel, now time.Time) ([]event.Draft, error) {
		_, drafts, err := cmd.Decide(m, p.Actor(), now)
		return drafts, err
	}); err != nil {
		return Picture{}, err
	}
	pic, _ := s.read.Book.Picture(cmd.Picture, incident.AsOf{})
	s.log.Info("picture published", "picture_id", cmd.Picture, "version", pic.Version, "dispatch_id", pic.Dispatch, "username", p.Username)
	return pic, nil
}

// Pictures lists an incident's picture versions at a point in time, newest
// first: every version for those who read the journal, the published ones
// for everyone else.
func (s *Service) Pictures(p auth.Principal, id incident.ID, asOf incident.AsOf) ([]Picture, error) {
	if err := p.Require(auth.ReadIncidents); err != nil {
		return nil, err
	}
	all := s.read.Book.Pictures(id, asOf)
	if p.May(auth.ReadJournal) {
		return all, nil
	}
	var out []Picture
	for _, pic := range all {
		if pic.Status == Published {
			out = append(out, pic)
		}
	}
	return out, nil
}

// Picture returns one version as it stood at a point in time (a draft only
// to those who read the journal).
func (s *Service) Picture(p auth.Principal, id PictureID, asOf incident.AsOf) (Picture, error) {
	if err := p.Require(auth.ReadIncidents); err != nil {
		return Picture{}, err
	}
	pic, ok := s.read.Book.Picture(id, asOf)
	if !ok || (pic.Status != Published && !p.May(auth.ReadJournal)) {
		return Picture{}, fail.New(fail.NotFound, "picture version %q does not exist (at that time)", id)
	}
	return pic, nil
}

// LatestPicture returns the newest published picture of an incident at a
// point in time: what every unit sees.
func (s *Service) LatestPicture(p auth.Principal, id incident.ID, asOf incident.AsOf) (Picture, error) {
	if err := p.Require(auth.ReadIncidents); err != nil {
		return Picture{}, err
	}
	pic, ok := s.read.Book.Published(id, asOf)
	if !ok {
		return pic, fail.New(fail.NotFound, "incident %q has no published picture (at that time)", id)
	}
	return pic, nil
}

// PictureDiff compares two versions of one incident's picture field by
// field.
func (s *Service) PictureDiff(p auth.Principal, a, b PictureID) ([]Change, error) {
	pa, err := s.Picture(p, a, incident.AsOf{})
	if err != nil {
		return nil, err
	}
	pb, err := s.Picture(p, b, incident.AsOf{})
	if err != nil {
		return nil, err
	}
	if pa.Incident != pb.Incident {
		return nil, fail.Field("b", "version %q belongs to another incident", b)
	}
	return Diff(pa.Content, pb.Content, s.unitName), nil
}

// DefaultRecipients receive a situation report when none are named. Agency
// names change: the caller should pass them from configuration.
var DefaultRecipients = []string{"Socialstyrelsen", "Länsstyrelsen"}

// SituationReport exports a published version as a plain-text situation
// report to Socialstyrelsen and the county administrative board, without
// personal data (see Export). org is the organisation's name.
func (s *Service) SituationReport(p auth.Principal, id PictureID, org string, recipients []string) (string, error) {
	if err := p.Require(auth.ReadJournal); err != nil {
		return "", err
	}
	pic, ok := s.read.Book.Picture(id, incident.AsOf{})
	if !ok {
		return "", fail.New(fail.NotFound, "picture version %q does not exist", id)
	}
	if pic.Status != Published {
		return "", fail.New(fail.Conflict, "version %d is %s: only a published picture is exported", pic.Version, pic.Status)
	}
	inc, err := s.read.Incidents.Get(pic.Incident, incident.AsOf{})
	if err != nil {
		return "", err
	}
	if len(recipients) == 0 {
		recipients = DefaultRecipients
	}
	in := ExportInput{Org: org, Recipients: recipients, Incident: inc, Names: s.unitName,
		Functions: append(s.read.Units.Functions(), auth.ApproverFunctions...)}
	for _, x := range s.read.Units.People() {
		in.People = append(in.People, x.Name)
	}
	for _, u := range s.read.Accounts.List() {
		in.People = append(in.People, u.Name)
		if u.Function != "" {
			in.Functions = append(in.Functions, u.Function)
		}
	}
	for _, u := range s.read.Units.Units() {
		in.Functions = append(in.Functions, u.Name)
	}
	text, err := Export(pic, in)
	if err != nil {
		return "", fail.New(fail.Conflict, "%s", err)
	}
	s.log.Info("situation report exported", "audit", true, "username", p.Username, "picture_id", id, "version", pic.Version)
	return text, nil
}

// SetFourEyes turns the four-eyes rule for pictures on or off.
func (s *Service) SetFourEyes(ctx context.Context, p auth.Principal, enabled bool) error {
	if err := p.Require(auth.ManageSettings); err != nil {
		return err
	}
	if _, err := s.run.Run(ctx, func(m WriteModel, now time.Time) ([]event.Draft, error) {
		return SetFourEyes{Enabled: enabled}.Decide(m.Book, p.Actor())
	}); err != nil {
		return err
	}
	s.log.Info("four eyes set", "enabled", enabled, "username", p.Username)
	return nil
}

// FourEyes reports whether the four-eyes rule is on.
func (s *Service) FourEyes() bool { return s.read.Book.FourEyes() }

// RemindRounds sends the reminder of every round whose deadline has passed
// at now with reports missing: a dispatch (kind report_reminder) to exactly
// the missing units, with its journal entry, in one write per round. Each
// round is reminded once: the check runs again in the writer, so calling
// this every engine round, or on several nodes, adds nothing. It returns
// how many reminders it created.
func (s *Service) RemindRounds(ctx context.Context, now time.Time) (int, error) {
	n := 0
	for _, id := range s.read.Book.DueReminders(now) {
		evs, err := s.run.Run(ctx, func(m WriteModel, written time.Time) ([]event.Draft, error) {
			return Remind(m, id, now, written)
		})
		if err != nil {
			return n, fmt.Errorf("remind round %s: %w", id, err)
		}
		if len(evs) > 0 {
			n++
			s.log.Info("reporting round reminder sent", "round_id", id)
		}
	}
	return n, nil
}

// RunReminders calls RemindRounds at once and then every interval until ctx
// ends. fyr serve starts it beside the dispatch engine; the reminder
// dispatches it creates wake the engine at once.
func (s *Service) RunReminders(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if _, err := s.RemindRounds(ctx, s.run.Now()); err != nil && ctx.Err() == nil {
			s.log.Error("reporting round reminders", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Round returns one round as it stood at a point in time: to those who
// read the journal, and to a unit account when its unit is asked in it.
func (s *Service) Round(p auth.Principal, id RoundID, asOf incident.AsOf) (Round, error) {
	r, ok := s.read.Book.Round(id, asOf)
	switch {
	case p.May(auth.ReadJournal):
	case p.Role == auth.Unit && p.Unit != "" && p.May(auth.FileReport) && slices.Contains(r.Units, p.Unit):
	default:
		return Round{}, fail.New(fail.Forbidden, "the role %q may not read reporting rounds", p.Role)
	}
	if !ok {
		return Round{}, fail.New(fail.NotFound, "reporting round %q does not exist (at that time)", id)
	}
	return r, nil
}

// IncidentOf names the incident a round belongs to, for the live updates
// that route a round's events to the pages following its incident; it
// carries nothing else, so it needs no role.
func (s *Service) IncidentOf(id RoundID) (incident.ID, bool) {
	r, ok := s.read.Book.Round(id, incident.AsOf{})
	return r.Incident, ok
}

// Prefilled reports whether a unit's next report form is prefilled from a
// report it gave before (see ReportForm).
func (s *Service) Prefilled(p auth.Principal, unit string) (bool, error) {
	unit, _, err := s.reportingUnit(p, unit)
	if err != nil {
		return false, err
	}
	_, ok := s.read.Book.Last(unit)
	return ok, nil
}
