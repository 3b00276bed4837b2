package web

import (
	"context"
	"net/http"

	"fyr/internal/auth"
	"fyr/internal/fail"
	"fyr/internal/incident"
	"fyr/internal/situation"
)

// Response bodies of the situation picture's endpoints.
type (
	roundList struct {
		Rounds []situation.Round `json:"rounds"`
	}
	pictureList struct {
		Pictures []situation.Picture `json:"pictures"`
	}
	pictureDiff struct {
		Changes []situation.Change `json:"changes"`
	}
	fourEyes struct {
		Enabled *bool `json:"enabled"`
	}
)

var asOfQuery = []QueryParam{
	{"at", "Point in time (RFC 3339): as it stood then, as known now"},
	{"known_at", "Point in time (RFC 3339): what Fyr had recorded by then"},
}

func roundID(r *http.Request) situation.RoundID     { return situation.RoundID(r.PathValue("id")) }
func pictureID(r *http.Request) situation.PictureID { return situation.PictureID(r.PathValue("id")) }

// pointInTime reads at and known_at from the query, as the journal does.
func pointInTime(r *http.Request) (incident.AsOf, error) {
	q, err := parseQuery(r, "")
	return q.AsOf, err
}

// query answers a read that takes the caller, something from the path and
// a point in time.
func query[K, R any](key func(*http.Request) K, read func(auth.Principal, K, incident.AsOf) (R, error), wrap func(R) any) func(http.ResponseWriter, *http.Request, auth.Principal) error {
	return func(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
		a, err := pointInTime(r)
		if err != nil {
			return err
		}
		res, err := read(p, key(r), a)
		if err != nil {
			return err
		}
		if wrap != nil {
			writeJSON(w, 200, wrap(res))
		} else {
			writeJSON(w, 200, res)
		}
		return nil
	}
}

// byID adapts a command that takes only an id from the path.
func byID[K, R any](key func(*http.Request) K, run func(context.Context, auth.Principal, K) (R, error)) func(http.ResponseWriter, *http.Request, auth.Principal) error {
	return func(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
		res, err := run(r.Context(), p, key(r))
		if err != nil {
			return err
		}
		writeJSON(w, 200, res)
		return nil
	}
}

func (s *Server) situationAPIRoutes() []APIRoute {
	return []APIRoute{
		{Method: "POST", Path: "/api/v1/incidents/{id}/rounds", Summary: "Open a reporting round: the call to report goes out as a dispatch (receipts, escalation) and one reminder goes to the units missing at the deadline",
			Action: auth.WriteIncidents, Body: situation.OpenRound{}, Response: situation.Round{}, Status: 201,
			Handle: jsonCommand(201, func(c *situation.OpenRound, r *http.Request) { c.Incident = incidentID(r) }, s.svc.Situation.OpenRound,
				func(rd situation.Round) string { return "/api/v1/rounds/" + string(rd.Round) })},
		{Method: "GET", Path: "/api/v1/incidents/{id}/rounds", Summary: "An incident's reporting rounds, newest first",
			Action: auth.ReadJournal, Response: roundList{}, Status: 200, Query: asOfQuery,
			Handle: query(incidentID, s.svc.Situation.Rounds, func(rs []situation.Round) any { return roundList{rs} })},
		{Method: "GET", Path: "/api/v1/rounds/{id}", Summary: "A round's reporting status: each unit, the missing and the late",
			Action: auth.ReadJournal, Response: situation.RoundStatus{}, Status: 200, Query: asOfQuery,
			Handle: query(roundID, s.svc.Situation.RoundStatus, nil)},
		{Method: "POST", Path: "/api/v1/rounds/{id}/close", Summary: "Close a round: it takes no more reports until reopened",
			Action: auth.WriteIncidents, Response: situation.Round{}, Status: 200, Handle: byID(roundID, s.svc.Situation.CloseRound)},
		{Method: "POST", Path: "/api/v1/rounds/{id}/reopen", Summary: "Reopen a closed round, optionally with a new deadline",
			Action: auth.WriteIncidents, Body: situation.ReopenRound{}, Response: situation.Round{}, Status: 200,
			Handle: jsonCommand(200, func(c *situation.ReopenRound, r *http.Request) { c.Round = roundID(r) }, s.svc.Situation.ReopenRound, nil)},
		{Method: "GET", Path: "/api/v1/rounds/{id}/form", Summary: "The report form of a unit, prefilled from its last report (a unit account: its own unit)",
			Action: auth.FileReport, Response: situation.File{}, Status: 200, Query: []QueryParam{{"unit", "The unit (staff only; a unit account reports for its own)"}},
			Handle: s.apiReportForm},
		{Method: "POST", Path: "/api/v1/rounds/{id}/reports", Summary: "File a unit's report (a unit account for its own unit; the staff for a report given by phone). It is the unit's receipt of the call too",
			Action: auth.FileReport, Body: situation.File{}, Response: situation.Report{}, Status: 201,
			Handle: jsonCommand(201, func(c *situation.File, r *http.Request) { c.Round = roundID(r) }, s.svc.Situation.FileReport,
				func(rep situation.Report) string { return "/api/v1/reports/" + string(rep.Report) })},
		{Method: "GET", Path: "/api/v1/reports/{id}", Summary: "One report version (read access is logged)",
			Action: auth.FileReport, Response: situation.Report{}, Status: 200, Handle: s.apiReport},
		{Method: "GET", Path: "/api/v1/incidents/{id}/overview", Summary: "The roll-up per hospital and for the region; every figure names the reports behind it",
			Action: auth.ReadJournal, Response: situation.Overview{}, Status: 200,
			Query: append([]QueryParam{{"round", "One round (default: the newest report of each unit)"}}, asOfQuery...), Handle: s.apiOverview},
		{Method: "GET", Path: "/api/v1/incidents/{id}/pictures", Summary: "The versions of the incident's situation picture (units: the published ones)",
			Action: auth.ReadIncidents, Response: pictureList{}, Status: 200, Query: asOfQuery,
			Handle: query(incidentID, s.svc.Situation.Pictures, func(ps []situation.Picture) any { return pictureList{ps} })},
		{Method: "POST", Path: "/api/v1/incidents/{id}/pictures", Summary: "Start a new version of the situation picture; empty content is prefilled from the roll-up, levels, decisions and tasks",
			Action: auth.WriteIncidents, Body: situation.DraftPicture{}, Response: situation.Picture{}, Status: 201,
			Handle: jsonCommand(201, func(c *situation.DraftPicture, r *http.Request) { c.Incident = incidentID(r) }, s.svc.Situation.DraftPicture,
				func(p situation.Picture) string { return "/api/v1/pictures/" + string(p.ID) })},
		{Method: "GET", Path: "/api/v1/pictures/{id}", Summary: "One version of the situation picture",
			Action: auth.ReadIncidents, Response: situation.Picture{}, Status: 200, Query: asOfQuery,
			Handle: query(pictureID, s.svc.Situation.Picture, nil)},
		{Method: "POST", Path: "/api/v1/pictures/{id}/revise", Summary: "Replace a draft's content",
			Action: auth.WriteIncidents, Body: situation.Revise{}, Response: situation.Picture{}, Status: 200,
			Handle: jsonCommand(200, func(c *situation.Revise, r *http.Request) { c.Picture = pictureID(r) }, s.svc.Situation.RevisePicture, nil)},
		{Method: "POST", Path: "/api/v1/pictures/{id}/approve", Summary: "Approve a draft (the approving function; under four eyes not one's own draft)",
			Action: auth.ApprovePicture, Response: situation.Picture{}, Status: 200, Handle: byID(pictureID, s.svc.Situation.ApprovePicture)},
		{Method: "POST", Path: "/api/v1/pictures/{id}/publish", Summary: "Publish an approved version: it is dispatched to its audience with receipts",
			Action: auth.WriteIncidents, Body: situation.Publish{}, Response: situation.Picture{}, Status: 200,
			Handle: jsonCommand(200, func(c *situation.Publish, r *http.Request) { c.Picture = pictureID(r) }, s.svc.Situation.PublishPicture, nil)},
		{Method: "POST", Path: "/api/v1/pictures/{id}/discard", Summary: "Set an unpublished version aside with a reason, so that a new one can be started",
			Action: auth.WriteIncidents, Body: situation.Discard{}, Response: situation.Picture{}, Status: 200,
			Handle: jsonCommand(200, func(c *situation.Discard, r *http.Request) { c.Picture = pictureID(r) }, s.svc.Situation.DiscardPicture, nil)},
		{Method: "GET", Path: "/api/v1/pictures/{id}/diff", Summary: "Field-by-field changes between two versions",
			Action: auth.ReadIncidents, Response: pictureDiff{}, Status: 200, Query: []QueryParam{{"with", "The other version's id"}},
			Handle: s.apiPictureDiff},
		{Method: "GET", Path: "/api/v1/pictures/{id}/report", Summary: "A published version as a situation report to Socialstyrelsen and the county administrative board: plain text without personal data",
			Action: auth.ReadJournal, ContentType: "text/plain", Response: "", Status: 200, Handle: s.apiSituationReport},
		{Method: "GET", Path: "/api/v1/settings/four-eyes", Summary: "Whether a situation picture must be approved by someone other than its authors",
			Action: auth.ReadIncidents, Response: fourEyes{}, Status: 200, Handle: s.apiFourEyes},
		{Method: "POST", Path: "/api/v1/settings/four-eyes", Summary: "Require (or stop requiring) four eyes on situation pictures: an organisation setting",
			Action: auth.ManageSettings, Body: fourEyes{}, Response: fourEyes{}, Status: 200, Handle: s.apiSetFourEyes},
	}
}

func (s *Server) apiFourEyes(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	on := s.svc.Situation.FourEyes()
	writeJSON(w, 200, fourEyes{&on})
	return nil
}

func (s *Server) apiSetFourEyes(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	var req fourEyes
	if err := decode(r, &req); err != nil {
		return err
	}
	if req.Enabled == nil {
		return fail.Field("enabled", "is required: true or false")
	}
	if err := s.svc.Situation.SetFourEyes(r.Context(), p, *req.Enabled); err != nil {
		return err
	}
	return s.apiFourEyes(w, r, p)
}

func (s *Server) apiReportForm(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	f, err := s.svc.Situation.ReportForm(p, roundID(r), r.URL.Query().Get("unit"))
	if err != nil {
		return err
	}
	writeJSON(w, 200, f)
	return nil
}

func (s *Server) apiReport(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	rep, err := s.svc.Situation.Report(p, situation.ReportID(r.PathValue("id")), "api")
	if err != nil {
		return err
	}
	writeJSON(w, 200, rep)
	return nil
}

func (s *Server) apiOverview(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	a, err := pointInTime(r)
	if err != nil {
		return err
	}
	o, err := s.svc.Situation.Overview(p, situation.OverviewQuery{AsOf: a, Incident: incidentID(r), Round: situation.RoundID(r.URL.Query().Get("round"))})
	if err != nil {
		return err
	}
	writeJSON(w, 200, o)
	return nil
}

func (s *Server) apiPictureDiff(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	changes, err := s.svc.Situation.PictureDiff(p, pictureID(r), situation.PictureID(r.URL.Query().Get("with")))
	if err != nil {
		return err
	}
	writeJSON(w, 200, pictureDiff{changes})
	return nil
}

func (s *Server) apiSituationReport(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	text, err := s.svc.Situation.SituationReport(p, pictureID(r), s.svc.Org, nil)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte(text))
	return nil
}
