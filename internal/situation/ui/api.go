package ui

import (
	"context"
	"net/http"

	"fyr/internal/auth"
	"fyr/internal/fail"
	"fyr/internal/incident"
	"fyr/internal/situation"
	"fyr/internal/web"
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

func init() {
	web.RequireFields[situation.OpenRound]("audience", "deadline")
	web.RequireFields[situation.Discard]("reason")
	web.RequireFields[fourEyes]("enabled")
}

var asOfQuery = []web.QueryParam{
	{Name: "at", Description: "Point in time (RFC 3339): as it stood then, as known now"},
	{Name: "known_at", Description: "Point in time (RFC 3339): what Fyr had recorded by then"},
}

func roundID(r *http.Request) situation.RoundID     { return situation.RoundID(r.PathValue("id")) }
func pictureID(r *http.Request) situation.PictureID { return situation.PictureID(r.PathValue("id")) }

// pointInTime reads at and known_at from the query, as the journal does.
func pointInTime(r *http.Request) (incident.AsOf, error) {
	q, err := web.ParseQuery(r)
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
			web.WriteJSON(w, 200, wrap(res))
		} else {
			web.WriteJSON(w, 200, res)
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
		web.WriteJSON(w, 200, res)
		return nil
	}
}

func (m *Module) apiRoutes() []web.APIRoute {
	return []web.APIRoute{
		{Method: "POST", Path: "/api/v1/incidents/{id}/rounds", Summary: "Open a reporting round: the call to report goes out as a dispatch (receipts, escalation) and one reminder goes to the units missing at the deadline",
			Action: auth.WriteIncidents, Body: situation.OpenRound{}, Response: situation.Round{}, Status: 201,
			Handle: web.JSONCommand(201, func(c *situation.OpenRound, r *http.Request) { c.Incident = web.IncidentID(r) }, m.svc.OpenRound,
				func(rd situation.Round) string { return "/api/v1/rounds/" + string(rd.Round) })},
		{Method: "GET", Path: "/api/v1/incidents/{id}/rounds", Summary: "An incident's reporting rounds, newest first",
			Action: auth.ReadJournal, Response: roundList{}, Status: 200, Query: asOfQuery,
			Handle: query(web.IncidentID, m.svc.Rounds, func(rs []situation.Round) any { return roundList{rs} })},
		{Method: "GET", Path: "/api/v1/rounds/{id}", Summary: "A round's reporting status: each unit, the missing and the late",
			Action: auth.ReadJournal, Response: situation.RoundStatus{}, Status: 200, Query: asOfQuery,
			Handle: query(roundID, m.svc.RoundStatus, nil)},
		{Method: "POST", Path: "/api/v1/rounds/{id}/close", Summary: "Close a round: it takes no more reports until reopened",
			Action: auth.WriteIncidents, Response: situation.Round{}, Status: 200, Handle: byID(roundID, m.svc.CloseRound)},
		{Method: "POST", Path: "/api/v1/rounds/{id}/reopen", Summary: "Reopen a closed round, optionally with a new deadline",
			Action: auth.WriteIncidents, Body: situation.ReopenRound{}, Response: situation.Round{}, Status: 200,
			Handle: web.JSONCommand(200, func(c *situation.ReopenRound, r *http.Request) { c.Round = roundID(r) }, m.svc.ReopenRound, nil)},
		{Method: "GET", Path: "/api/v1/rounds/{id}/form", Summary: "The report form of a unit, prefilled from its last report (a unit account: its own unit)",
			Action: auth.FileReport, Response: situation.File{}, Status: 200, Query: []web.QueryParam{{Name: "unit", Description: "The unit (staff only; a unit account reports for its own)"}},
			Handle: m.apiReportForm},
		{Method: "POST", Path: "/api/v1/rounds/{id}/reports", Summary: "File a unit's report (a unit account for its own unit; the staff for a report given by phone). It is the unit's receipt of the call too",
			Action: auth.FileReport, Body: situation.File{}, Response: situation.Report{}, Status: 201,
			Handle: web.JSONCommand(201, func(c *situation.File, r *http.Request) { c.Round = roundID(r) }, m.svc.FileReport,
				func(rep situation.Report) string { return "/api/v1/reports/" + string(rep.Report) })},
		{Method: "GET", Path: "/api/v1/reports/{id}", Summary: "One report version (read access is logged)",
			Action: auth.FileReport, Response: situation.Report{}, Status: 200, Handle: m.apiReport},
		{Method: "GET", Path: "/api/v1/incidents/{id}/overview", Summary: "The roll-up per hospital and for the region; every figure names the reports behind it",
			Action: auth.ReadJournal, Response: situation.Overview{}, Status: 200,
			Query: append([]web.QueryParam{{Name: "round", Description: "One round (default: the newest report of each unit)"}}, asOfQuery...), Handle: m.apiOverview},
		{Method: "GET", Path: "/api/v1/incidents/{id}/pictures", Summary: "The versions of the incident's situation picture (units: the published ones)",
			Action: auth.ReadIncidents, Response: pictureList{}, Status: 200, Query: asOfQuery,
			Handle: query(web.IncidentID, m.svc.Pictures, func(ps []situation.Picture) any { return pictureList{ps} })},
		{Method: "POST", Path: "/api/v1/incidents/{id}/pictures", Summary: "Start a new version of the situation picture; empty content is prefilled from the roll-up, levels, decisions and tasks",
			Action: auth.WriteIncidents, Body: situation.DraftPicture{}, Response: situation.Picture{}, Status: 201,
			Handle: web.JSONCommand(201, func(c *situation.DraftPicture, r *http.Request) { c.Incident = web.IncidentID(r) }, m.svc.DraftPicture,
				func(p situation.Picture) string { return "/api/v1/pictures/" + string(p.ID) })},
		{Method: "GET", Path: "/api/v1/pictures/{id}", Summary: "One version of the situation picture",
			Action: auth.ReadIncidents, Response: situation.Picture{}, Status: 200, Query: asOfQuery,
			Handle: query(pictureID, m.svc.Picture, nil)},
		{Method: "POST", Path: "/api/v1/pictures/{id}/revise", Summary: "Replace a draft's content",
			Action: auth.WriteIncidents, Body: situation.Revise{}, Response: situation.Picture{}, Status: 200,
			Handle: web.JSONCommand(200, func(c *situation.Revise, r *http.Request) { c.Picture = pictureID(r) }, m.svc.RevisePicture, nil)},
		{Method: "POST", Path: "/api/v1/pictures/{id}/approve", Summary: "Approve a draft (the approving function; under four eyes not one's own draft)",
			Action: auth.ApprovePicture, Response: situation.Picture{}, Status: 200, Handle: byID(pictureID, m.svc.ApprovePicture)},
		{Method: "POST", Path: "/api/v1/pictures/{id}/publish", Summary: "Publish an approved version: it is dispatched to its audience with receipts",
			Action: auth.WriteIncidents, Body: situation.Publish{}, Response: situation.Picture{}, Status: 200,
			Handle: web.JSONCommand(200, func(c *situation.Publish, r *http.Request) { c.Picture = pictureID(r) }, m.svc.PublishPicture, nil)},
		{Method: "POST", Path: "/api/v1/pictures/{id}/discard", Summary: "Set an unpublished version aside with a reason, so that a new one can be started",
			Action: auth.WriteIncidents, Body: situation.Discard{}, Response: situation.Picture{}, Status: 200,
			Handle: web.JSONCommand(200, func(c *situation.Discard, r *http.Request) { c.Picture = pictureID(r) }, m.svc.DiscardPicture, nil)},
		{Method: "GET", Path: "/api/v1/pictures/{id}/diff", Summary: "Field-by-field changes between two versions",
			Action: auth.ReadIncidents, Response: pictureDiff{}, Status: 200, Query: []web.QueryParam{{Name: "with", Description: "The other version's id"}},
			Handle: m.apiPictureDiff},
		{Method: "GET", Path: "/api/v1/pictures/{id}/report", Summary: "A published version as a situation report to Socialstyrelsen and the county administrative board: plain text without personal data",
			Action: auth.ReadJournal, ContentType: "text/plain", Response: "", Status: 200, Handle: m.apiSituationReport},
		{Method: "GET", Path: "/api/v1/settings/four-eyes", Summary: "Whether a situation picture must be approved by someone other than its authors",
			Action: auth.ReadIncidents, Response: fourEyes{}, Status: 200, Handle: m.apiFourEyes},
		{Method: "POST", Path: "/api/v1/settings/four-eyes", Summary: "Require (or stop requiring) four eyes on situation pictures: an organisation setting",
			Action: auth.ManageSettings, Body: fourEyes{}, Response: fourEyes{}, Status: 200, Handle: m.apiSetFourEyes},
	}
}

func (m *Module) apiFourEyes(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	on := m.svc.FourEyes()
	web.WriteJSON(w, 200, fourEyes{&on})
	return nil
}

func (m *Module) apiSetFourEyes(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	var req fourEyes
	if err := web.Decode(r, &req); err != nil {
		return err
	}
	if req.Enabled == nil {
		return fail.Field("enabled", "is required: true or false")
	}
	if err := m.svc.SetFourEyes(r.Context(), p, *req.Enabled); err != nil {
		return err
	}
	return m.apiFourEyes(w, r, p)
}

func (m *Module) apiReportForm(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	f, err := m.svc.ReportForm(p, roundID(r), r.URL.Query().Get("unit"))
	if err != nil {
		return err
	}
	web.WriteJSON(w, 200, f)
	return nil
}

func (m *Module) apiReport(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	rep, err := m.svc.Report(p, situation.ReportID(r.PathValue("id")), "api")
	if err != nil {
		return err
	}
	web.WriteJSON(w, 200, rep)
	return nil
}

func (m *Module) apiOverview(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	a, err := pointInTime(r)
	if err != nil {
		return err
	}
	o, err := m.svc.Overview(p, situation.OverviewQuery{AsOf: a, Incident: web.IncidentID(r), Round: situation.RoundID(r.URL.Query().Get("round"))})
	if err != nil {
		return err
	}
	web.WriteJSON(w, 200, o)
	return nil
}

func (m *Module) apiPictureDiff(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	changes, err := m.svc.PictureDiff(p, pictureID(r), situation.PictureID(r.URL.Query().Get("with")))
	if err != nil {
		return err
	}
	web.WriteJSON(w, 200, pictureDiff{changes})
	return nil
}

func (m *Module) apiSituationReport(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	text, err := m.svc.SituationReport(p, pictureID(r), m.org, nil)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte(text))
	return nil
}
