package app

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"time"

	"fyr/internal/auth"
	"fyr/internal/dispatch"
	"fyr/internal/event"
	"fyr/internal/fail"
	"fyr/internal/incident"
	"fyr/internal/situation"
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

// journalDispatch adds to drafts the journal entry (info_out) that records
// the dispatch among them, as CreateDispatch does for a dispatch the staff
// writes.
func journalDispatch(f *Facts, who event.Actor, drafts []event.Draft, text string, now time.Time) ([]event.Draft, error) {
	for _, d := range drafts {
		created, ok := d.Payload.(dispatch.Created)
		if !ok {
			continue
		}
		entry, err := incident.Record{Incident: created.Incident, Kind: incident.InfoOut, Function: who.Function, Channel: "Fyr",
			Text: fmt.Sprintf("%s (till %d enheter, kvittens senast %s)", text, len(created.Units),
				created.Deadline.In(stockholm).Format("2006-01-02 15:04")),
			To: "Enheter i utskicket", Verified: true}.Decide(f.Incidents, who, now)
		if err != nil {
			return nil, err
		}
		rec := entry[0].Payload.(incident.EntryRecorded)
		rec.Dispatch = string(created.Dispatch)
		entry[0].Payload = rec
		return append(drafts, entry...), nil
	}
	return drafts, nil
}

// OpenRound asks an audience of units to report by a deadline. The round,
// its call to report (a dispatch of kind report_request, which the engine
// sends and escalates) and the journal entry are one atomic write.
func (s *App) OpenRound(ctx context.Context, p auth.Principal, cmd situation.OpenRound) (situation.Round, error) {
	if err := p.Require(auth.WriteIncidents); err != nil {
		return situation.Round{}, err
	}
	var id situation.RoundID
	if _, err := s.do(ctx, func(f *Facts, now time.Time) ([]event.Draft, error) {
		var drafts []event.Draft
		var err error
		if id, _, drafts, err = cmd.Decide(f.Incidents, f.Units, p.Actor(), now); err != nil {
			return nil, err
		}
		opened := drafts[len(drafts)-1].Payload.(situation.RoundOpened)
		return journalDispatch(f, p.Actor(), drafts, "Rapportomgång: "+opened.Title, now)
	}); err != nil {
		return situation.Round{}, err
	}
	r, _ := s.P.Situation.Round(id, incident.AsOf{})
	s.log.Info("reporting round opened", "round_id", id, "incident_id", cmd.Incident, "units", len(r.Units), "username", p.Username)
	return r, nil
}

// CloseRound stops a round from taking reports.
func (s *App) CloseRound(ctx context.Context, p auth.Principal, id situation.RoundID) (situation.Round, error) {
	if err := p.Require(auth.WriteIncidents); err != nil {
		return situation.Round{}, err
	}
	if _, err := s.do(ctx, func(f *Facts, now time.Time) ([]event.Draft, error) {
		return situation.CloseRound{Round: id}.Decide(f.Situation, p.Actor())
	}); err != nil {
		return situation.Round{}, err
	}
	s.log.Info("reporting round closed", "round_id", id, "username", p.Username)
	r, _ := s.P.Situation.Round(id, incident.AsOf{})
	return r, nil
}

// ReopenRound lets a closed round take reports again, optionally by a new
// deadline.
func (s *App) ReopenRound(ctx context.Context, p auth.Principal, cmd situation.ReopenRound) (situation.Round, error) {
	if err := p.Require(auth.WriteIncidents); err != nil {
		return situation.Round{}, err
	}
	if _, err := s.do(ctx, func(f *Facts, now time.Time) ([]event.Draft, error) {
		return cmd.Decide(f.Situation, p.Actor(), now)
	}); err != nil {
		return situation.Round{}, err
	}
	s.log.Info("reporting round reopened", "round_id", cmd.Round, "username", p.Username)
	r, _ := s.P.Situation.Round(cmd.Round, incident.AsOf{})
	return r, nil
}

// Rounds lists an incident's reporting rounds at a point in time, newest
// first.
func (s *App) Rounds(p auth.Principal, id incident.ID, asOf incident.AsOf) ([]situation.Round, error) {
	if err := p.Require(auth.ReadJournal); err != nil {
		return nil, err
	}
	return s.P.Situation.Rounds(id, asOf), nil
}

// RoundStatus returns a round with where each asked unit stands: reported,
// late, missing.
func (s *App) RoundStatus(p auth.Principal, id situation.RoundID, asOf incident.AsOf) (situation.RoundStatus, error) {
	if err := p.Require(auth.ReadJournal); err != nil {
		return situation.RoundStatus{}, err
	}
	st, ok := s.P.Situation.Status(id, asOf)
	if !ok {
		return st, fail.New(fail.NotFound, "reporting round %q does not exist (at that time)", id)
	}
	return st, nil
}

// RoundsForUnit lists the open rounds that ask a unit to report: a unit
// account's own (unit ""), or any unit's for the staff.
func (s *App) RoundsForUnit(p auth.Principal, unit string) ([]situation.Round, error) {
	unit, _, err := s.reportingUnit(p, unit)
	if err != nil {
		return nil, err
	}
	return s.P.Situation.OpenFor(unit), nil
}

// RoundForUnit returns a round as one asked unit sees it: the round and
// where the unit stands in it (a unit account: its own unit).
func (s *App) RoundForUnit(p auth.Principal, id situation.RoundID, unit string) (situation.Round, situation.UnitLine, error) {
	unit, _, err := s.reportingUnit(p, unit)
	if err != nil {
		return situation.Round{}, situation.UnitLine{}, err
	}
	st, ok := s.P.Situation.Status(id, incident.AsOf{})
	if !ok {
		return situation.Round{}, situation.UnitLine{}, fail.New(fail.NotFound, "reporting round %q does not exist", id)
	}
	for _, l := range st.Lines {
		if l.Unit == unit {
			return st.Round, l, nil
		}
	}
	return situation.Round{}, situation.UnitLine{}, fail.Field("unit", "unit %q is not asked to report in this round", unit)
}

// RoundForDispatch returns the round a dispatch (its call to report or its
// reminder) belongs to, so that a unit opening it from its inbox lands on
// the report form. Any role that may file a report or read the journal.
func (s *App) RoundForDispatch(p auth.Principal, d dispatch.ID) (situation.Round, error) {
	if !p.May(auth.FileReport) && !p.May(auth.ReadJournal) {
		return situation.Round{}, fail.New(fail.Forbidden, "the role %q may not read reporting rounds", p.Role)
	}
	id, ok := s.P.Situation.RoundOf(d)
	if !ok {
		return situation.Round{}, fail.New(fail.NotFound, "dispatch %q is not a call to report", d)
	}
	r, _ := s.P.Situation.Round(id, incident.AsOf{})
	return r, nil
}

// reportingUnit checks who may report (or read reports) for which unit: a
// unit account for its own unit only; the staff for any unit, on behalf.
func (s *App) reportingUnit(p auth.Principal, unit string) (string, bool, error) {
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
func (s *App) ReportForm(p auth.Principal, round situation.RoundID, unit string) (situation.File, error) {
	unit, _, err := s.reportingUnit(p, unit)
	if err != nil {
		return situation.File{}, err
	}
	r, ok := s.P.Situation.Round(round, incident.AsOf{})
	if !ok {
		return situation.File{}, fail.New(fail.NotFound, "reporting round %q does not exist", round)
	}
	if !slices.Contains(r.Units, unit) {
		return situation.File{}, fail.Field("unit", "unit %q is not asked to report in this round", unit)
	}
	return situation.Prefill(s.P.Situation, round, unit), nil
}

// FileReport records a unit's report. The report and the unit's receipt of
// the call to report (and of the reminder) are one atomic write, so the
// escalation for the unit stops.
func (s *App) FileReport(ctx context.Context, p auth.Principal, cmd situation.File) (situation.Report, error) {
	unit, onBehalf, err := s.reportingUnit(p, cmd.Unit)
	if err != nil {
		return situation.Report{}, err
	}
	cmd.Unit = unit
	var id situation.ReportID
	if _, err := s.do(ctx, func(f *Facts, now time.Time) ([]event.Draft, error) {
		var drafts []event.Draft
		var err error
		id, drafts, err = cmd.Decide(f.Situation, f.Dispatches, p.Actor(), onBehalf, now)
		return drafts, err
	}); err != nil {
		return situation.Report{}, err
	}
	r, _ := s.P.Situation.Report(id)
	s.log.Info("unit report filed", "report_id", id, "round_id", cmd.Round, "unit", unit, "on_behalf", onBehalf,
		"late", r.Late, "username", p.Username)
	return r, nil
}

// Report returns one report version. Reports name the reporter and hold
// free text: every read is logged with who read what.
func (s *App) Report(p auth.Principal, id situation.ReportID, purpose string) (situation.Report, error) {
	r, ok := s.P.Situation.Report(id)
	if !ok {
		return r, fail.New(fail.NotFound, "report %q does not exist", id)
	}
	if err := s.mayReadReports(p, r.Unit); err != nil {
		return situation.Report{}, err
	}
	s.log.Info("unit report read", "audit", true, "username", p.Username, "report_id", id, "unit", r.Unit, "purpose", purpose)
	return r, nil
}

// Reports returns the reports that match q (a unit account: its own unit's
// only). Every read is logged.
func (s *App) Reports(p auth.Principal, q situation.ReportQuery, purpose string) ([]situation.Report, error) {
	if p.Role == auth.Unit && q.Unit == "" {
		q.Unit = p.Unit
	}
	if err := s.mayReadReports(p, q.Unit); err != nil {
		return nil, err
	}
	if q.Incident == "" && q.Round == "" && q.Unit == "" {
		return nil, fail.Field("incident", "name an incident, a round or a unit")
	}
	out := s.P.Situation.Reports(q)
	s.log.Info("unit reports read", "audit", true, "username", p.Username, "incident_id", q.Incident, "round_id", q.Round,
		"unit", q.Unit, "purpose", purpose, "reports", len(out), "at", q.At, "known_at", q.KnownAt)
	return out, nil
}

func (s *App) mayReadReports(p auth.Principal, unit string) error {
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
func (s *App) SystemNames(p auth.Principal) ([]string, error) {
	if !p.May(auth.FileReport) && !p.May(auth.ReadJournal) {
		return nil, fail.New(fail.Forbidden, "the role %q may not read system names", p.Role)
	}
	return s.P.Situation.SystemNames(), nil
}

// OverviewQuery selects a roll-up: one round's, or (Round empty) the
// newest report per unit over the incident's rounds; at a point in time.
type OverviewQuery struct {
	incident.AsOf
	Incident incident.ID
	Round    situation.RoundID
}

// Overview is the roll-up per hospital and for the region, with each unit's
// state and what changed since the previous round. Every figure carries
// the report ids behind it.
func (s *App) Overview(p auth.Principal, q OverviewQuery) (situation.Overview, error) {
	if err := p.Require(auth.ReadJournal); err != nil {
		return situation.Overview{}, err
	}
	if q.Round != "" {
		sel, ok := s.P.Situation.RoundSelection(q.Round, q.AsOf)
		if !ok || (q.Incident != "" && sel.Incident != q.Incident) {
			return situation.Overview{}, fail.New(fail.NotFound, "reporting round %q does not exist (at that time)", q.Round)
		}
		return situation.Roll(sel, s.P.Units), nil
	}
	if _, err := s.P.Incidents.Get(q.Incident, incident.AsOf{}); err != nil {
		return situation.Overview{}, err
	}
	return situation.Roll(s.P.Situation.LatestSelection(q.Incident, q.AsOf), s.P.Units), nil
}

func (s *App) unitName(id string) string {
	if u, ok := s.P.Units.Unit(id); ok {
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
func (s *App) PicturePrefill(p auth.Principal, id incident.ID) (situation.Content, situation.Basis, error) {
	if err := p.Require(auth.WriteIncidents); err != nil {
		return situation.Content{}, situation.Basis{}, err
	}
	inc, err := s.P.Incidents.Get(id, incident.AsOf{})
	if err != nil {
		return situation.Content{}, situation.Basis{}, err
	}
	journal, err := s.P.Incidents.Journal(id, incident.Query{})
	if err != nil {
		return situation.Content{}, situation.Basis{}, err
	}
	in := situation.PrefillInput{Incident: inc, Journal: journal, Names: s.unitName,
		Overview: situation.Roll(s.P.Situation.LatestSelection(id, incident.AsOf{}), s.P.Units)}
	if last, ok := s.P.Situation.Published(id, incident.AsOf{}); ok {
		in.Since, in.Previous = last.PublishedAt, &last.Content
	}
	c, b := situation.PrefillPicture(in)
	return c, b, nil
}

// DraftPicture starts a new version of the picture. With no content it is
// prefilled (PicturePrefill).
func (s *App) DraftPicture(ctx context.Context, p auth.Principal, cmd situation.DraftPicture) (situation.Picture, error) {
	if err := p.Require(auth.WriteIncidents); err != nil {
		return situation.Picture{}, err
	}
	if reflect.ValueOf(cmd.Content).IsZero() {
		c, b, err := s.PicturePrefill(p, cmd.Incident)
		if err != nil {
			return situation.Picture{}, err
		}
		cmd.Content, cmd.Basis = c, b
	}
	var id situation.PictureID
	if _, err := s.do(ctx, func(f *Facts, now time.Time) ([]event.Draft, error) {
		var drafts []event.Draft
		var err error
		id, drafts, err = cmd.Decide(f.Situation, f.Incidents, f.Units, p.Actor(), now)
		return drafts, err
	}); err != nil {
		return situation.Picture{}, err
	}
	pic, _ := s.P.Situation.Picture(id, incident.AsOf{})
	s.log.Info("picture drafted", "picture_id", id, "incident_id", cmd.Incident, "version", pic.Version, "username", p.Username)
	return pic, nil
}

// RevisePicture replaces a draft's content.
func (s *App) RevisePicture(ctx context.Context, p auth.Principal, cmd situation.Revise) (situation.Picture, error) {
	if err := p.Require(auth.WriteIncidents); err != nil {
		return situation.Picture{}, err
	}
	if _, err := s.do(ctx, func(f *Facts, now time.Time) ([]event.Draft, error) {
		return cmd.Decide(f.Situation, f.Units, p.Actor())
	}); err != nil {
		return situation.Picture{}, err
	}
	pic, _ := s.P.Situation.Picture(cmd.Picture, incident.AsOf{})
	return pic, nil
}

// ApprovePicture approves a draft: the caller must hold the approving role
// (auth.ApprovePicture) and, under four eyes, must not have written it.
func (s *App) ApprovePicture(ctx context.Context, p auth.Principal, id situation.PictureID) (situation.Picture, error) {
	if err := p.Require(auth.ApprovePicture); err != nil {
		return situation.Picture{}, err
	}
	if _, err := s.do(ctx, func(f *Facts, now time.Time) ([]event.Draft, error) {
		return situation.Approve{Picture: id}.Decide(f.Situation, p.Actor())
	}); err != nil {
		return situation.Picture{}, err
	}
	pic, _ := s.P.Situation.Picture(id, incident.AsOf{})
	s.log.Info("picture approved", "picture_id", id, "version", pic.Version, "username", p.Username)
	return pic, nil
}

// DiscardPicture sets an unpublished version aside, with a reason, so that
// a new one can be started.
func (s *App) DiscardPicture(ctx context.Context, p auth.Principal, cmd situation.Discard) (situation.Picture, error) {
	if err := p.Require(auth.WriteIncidents); err != nil {
		return situation.Picture{}, err
	}
	if _, err := s.do(ctx, func(f *Facts, now time.Time) ([]event.Draft, error) {
		return cmd.Decide(f.Situation, p.Actor())
	}); err != nil {
		return situation.Picture{}, err
	}
	pic, _ := s.P.Situation.Picture(cmd.Picture, incident.AsOf{})
	s.log.Info("picture discarded", "picture_id", cmd.Picture, "version", pic.Version, "username", p.Username)
	return pic, nil
}

// PublishPicture publishes an approved version: the publication, its
// dispatch to the picture's audience (kind picture, with receipts) and the
// journal entry are one atomic write.
func (s *App) PublishPicture(ctx context.Context, p auth.Principal, cmd situation.Publish) (situation.Picture, error) {
	if err := p.Require(auth.WriteIncidents); err != nil {
		return situation.Picture{}, err
	}
	if _, err := s.do(ctx, func(f *Facts, now time.Time) ([]event.Draft, error) {
		names := func(id string) string {
			if u, ok := f.Units.Unit(id); ok {
				return u.Name
			}
			return id
		}
		_, drafts, err := cmd.Decide(f.Situation, f.Incidents, f.Units, p.Actor(), now, names)
		if err != nil {
			return nil, err
		}
		pic, _ := f.Situation.Picture(cmd.Picture, incident.AsOf{})
		return journalDispatch(f, p.Actor(), drafts, fmt.Sprintf("Lägesbild version %d publicerad", pic.Version), now)
	}); err != nil {
		return situation.Picture{}, err
	}
	pic, _ := s.P.Situation.Picture(cmd.Picture, incident.AsOf{})
	s.log.Info("picture published", "picture_id", cmd.Picture, "version", pic.Version, "dispatch_id", pic.Dispatch, "username", p.Username)
	return pic, nil
}

// Pictures lists an incident's picture versions at a point in time, newest
// first: every version for those who read the journal, the published ones
// for everyone else.
func (s *App) Pictures(p auth.Principal, id incident.ID, asOf incident.AsOf) ([]situation.Picture, error) {
	if err := p.Require(auth.ReadIncidents); err != nil {
		return nil, err
	}
	all := s.P.Situation.Pictures(id, asOf)
	if p.May(auth.ReadJournal) {
		return all, nil
	}
	var out []situation.Picture
	for _, pic := range all {
		if pic.Status == situation.Published {
			out = append(out, pic)
		}
	}
	return out, nil
}

// Picture returns one version as it stood at a point in time (a draft only
// to those who read the journal).
func (s *App) Picture(p auth.Principal, id situation.PictureID, asOf incident.AsOf) (situation.Picture, error) {
	if err := p.Require(auth.ReadIncidents); err != nil {
		return situation.Picture{}, err
	}
	pic, ok := s.P.Situation.Picture(id, asOf)
	if !ok || (pic.Status != situation.Published && !p.May(auth.ReadJournal)) {
		return situation.Picture{}, fail.New(fail.NotFound, "picture version %q does not exist (at that time)", id)
	}
	return pic, nil
}

// LatestPicture returns the newest published picture of an incident at a
// point in time: what every unit sees.
func (s *App) LatestPicture(p auth.Principal, id incident.ID, asOf incident.AsOf) (situation.Picture, error) {
	if err := p.Require(auth.ReadIncidents); err != nil {
		return situation.Picture{}, err
	}
	pic, ok := s.P.Situation.Published(id, asOf)
	if !ok {
		return pic, fail.New(fail.NotFound, "incident %q has no published picture (at that time)", id)
	}
	return pic, nil
}

// PictureDiff compares two versions of one incident's picture field by
// field.
func (s *App) PictureDiff(p auth.Principal, a, b situation.PictureID) ([]situation.Change, error) {
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
	return situation.Diff(pa.Content, pb.Content, s.unitName), nil
}

// DefaultRecipients receive a situation report when none are named. Agency
// names change: the caller should pass them from configuration.
var DefaultRecipients = []string{"Socialstyrelsen", "Länsstyrelsen"}

// SituationReport exports a published version as a plain-text situation
// report to Socialstyrelsen and the county administrative board, without
// personal data (see situation.Export). org is the organisation's name.
func (s *App) SituationReport(p auth.Principal, id situation.PictureID, org string, recipients []string) (string, error) {
	if err := p.Require(auth.ReadJournal); err != nil {
		return "", err
	}
	pic, ok := s.P.Situation.Picture(id, incident.AsOf{})
	if !ok {
		return "", fail.New(fail.NotFound, "picture version %q does not exist", id)
	}
	if pic.Status != situation.Published {
		return "", fail.New(fail.Conflict, "version %d is %s: only a published picture is exported", pic.Version, pic.Status)
	}
	inc, err := s.P.Incidents.Get(pic.Incident, incident.AsOf{})
	if err != nil {
		return "", err
	}
	if len(recipients) == 0 {
		recipients = DefaultRecipients
	}
	in := situation.ExportInput{Org: org, Recipients: recipients, Incident: inc, Names: s.unitName,
		Functions: append(s.P.Units.Functions(), auth.ApproverFunctions...)}
	for _, x := range s.P.Units.People() {
		in.People = append(in.People, x.Name)
	}
	for _, u := range s.P.Users.List() {
		in.People = append(in.People, u.Name)
		if u.Function != "" {
			in.Functions = append(in.Functions, u.Function)
		}
	}
	for _, u := range s.P.Units.Units() {
		in.Functions = append(in.Functions, u.Name)
	}
	text, err := situation.Export(pic, in)
	if err != nil {
		return "", fail.New(fail.Conflict, "%s", err)
	}
	s.log.Info("situation report exported", "audit", true, "username", p.Username, "picture_id", id, "version", pic.Version)
	return text, nil
}

// SetFourEyes turns the four-eyes rule for pictures on or off.
func (s *App) SetFourEyes(ctx context.Context, p auth.Principal, enabled bool) error {
	if err := p.Require(auth.ManageSettings); err != nil {
		return err
	}
	if _, err := s.do(ctx, func(f *Facts, now time.Time) ([]event.Draft, error) {
		return situation.SetFourEyes{Enabled: enabled}.Decide(f.Situation, p.Actor())
	}); err != nil {
		return err
	}
	s.log.Info("four eyes set", "enabled", enabled, "username", p.Username)
	return nil
}

// FourEyes reports whether the four-eyes rule is on.
func (s *App) FourEyes() bool { return s.P.Situation.FourEyes() }

// RemindRounds sends the reminder of every round whose deadline has passed
// at now with reports missing: a dispatch (kind report_reminder) to exactly
// the missing units, with its journal entry, in one write per round. Each
// round is reminded once: the check runs again in the writer, so calling
// this every engine round, or on several nodes, adds nothing. It returns
// how many reminders it created.
func (s *App) RemindRounds(ctx context.Context, now time.Time) (int, error) {
	n := 0
	for _, id := range s.P.Situation.DueReminders(now) {
		evs, err := s.do(ctx, func(f *Facts, wnow time.Time) ([]event.Draft, error) {
			drafts, err := situation.Remind(f.Situation, f.Incidents, f.Units, f.Dispatches, id, now)
			if err != nil || len(drafts) == 0 {
				return nil, err
			}
			r, _ := f.Situation.Round(id, incident.AsOf{})
			return journalDispatch(f, event.System, drafts,
				"Påminnelse: rapport saknas i omgången "+r.Title, wnow)
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
func (s *App) RunReminders(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if _, err := s.RemindRounds(ctx, s.now()); err != nil && ctx.Err() == nil {
			s.log.Error("reporting round reminders", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
