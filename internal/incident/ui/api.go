package incidentui

import (
	"net/http"
	"time"

	"fyr/internal/auth"
	"fyr/internal/incident"
	"fyr/internal/web"
)

// The incidents' JSON API: the list, one incident (now or at a point in
// time), opening, levels, the journal and closing. The shell authorises
// each route by its Action before the service checks again.

func init() {
	web.RequireFields[incident.Open]("title", "scope", "level")
	web.RequireFields[incident.ChangeLevel]("scope", "level", "reason", "decided_by")
	web.RequireFields[incident.Record]("kind", "text")
	web.RequireFields[incident.Close]("reason")
	web.AddFieldDocs(map[string]string{
		"IncidentList.incidents":  "Incidents, newest first",
		"JournalResponse.earlier": "Cursor of the previous page (pass as before=); absent at the start",
		"JournalResponse.later":   "Cursor of the next page (pass as after=); absent at the end",
		"JournalResponse.entries": "The entries, in the order asked for",
	})
}

type (
	incidentList struct {
		Incidents []incident.Incident `json:"incidents"`
	}
	journalResponse struct {
		Incident incident.ID      `json:"incident"`
		At       *time.Time       `json:"at,omitempty"`
		KnownAt  *time.Time       `json:"known_at,omitempty"`
		Entries  []incident.Entry `json:"entries"`
		// Earlier is the cursor of the entries before these in the order
		// (pass it as before=), Later of those after them (after=);
		// absent when there are none.
		Earlier int `json:"earlier,omitempty"`
		Later   int `json:"later,omitempty"`
	}
)

var journalQuery = []web.QueryParam{
	{Name: "at", Description: "Point in time (RFC 3339): entries that had occurred by then, as known now"},
	{Name: "known_at", Description: "Point in time (RFC 3339): entries the staff had recorded by then"},
	{Name: "q", Description: "Text to find in text, author, function, source, from or to"},
	{Name: "kind", Description: "One entry kind"},
	{Name: "author", Description: "Part of the author's name"},
	{Name: "from", Description: "Occurred at or after (RFC 3339)"},
	{Name: "to", Description: "Occurred at or before (RFC 3339)"},
	{Name: "order", Description: "`serial` (default, oldest first), `newest` (serial, newest first) or `time` (the timeline)"},
	{Name: "limit", Description: "At most this many entries (1–1000); without it, every entry"},
	{Name: "after", Description: "Entry number: only entries after it in the order; the response's `later` continues"},
	{Name: "before", Description: "Entry number: only entries before it in the order (the nearest ones); the response's `earlier` continues"},
}

func (m *Module) apiRoutes() []web.APIRoute {
	return []web.APIRoute{
		{Method: "GET", Path: "/api/v1/incidents", Summary: "List incidents, newest first",
			Action: auth.ReadIncidents, Response: incidentList{}, Status: 200, Handle: m.apiListIncidents},
		{Method: "POST", Path: "/api/v1/incidents", Summary: "Open an incident",
			Action: auth.WriteIncidents, Body: incident.Open{}, Response: incident.Incident{}, Status: 201, Handle: web.JSONCommand(201, nil, m.svc.OpenIncident,
				func(i incident.Incident) string { return "/api/v1/incidents/" + string(i.ID) })},
		{Method: "GET", Path: "/api/v1/incidents/{id}", Summary: "One incident with its current level per scope (or at a point in time)",
			Action: auth.ReadIncidents, Response: incident.Incident{}, Status: 200, Handle: m.apiGetIncident,
			Query: journalQuery[:2]},
		{Method: "POST", Path: "/api/v1/incidents/{id}/levels", Summary: "Change the readiness level of one scope",
			Action: auth.WriteIncidents, Body: incident.ChangeLevel{}, Response: incident.Incident{}, Status: 200, Handle: web.JSONCommand(200, func(c *incident.ChangeLevel, r *http.Request) { c.Incident = web.IncidentID(r) }, m.svc.ChangeLevel, nil)},
		{Method: "GET", Path: "/api/v1/incidents/{id}/journal", Summary: "The staff journal, filtered or at a point in time",
			Action: auth.ReadJournal, Response: journalResponse{}, Status: 200, Handle: m.apiJournal, Query: journalQuery},
		{Method: "POST", Path: "/api/v1/incidents/{id}/journal", Summary: "Add a journal entry",
			Action: auth.WriteIncidents, Body: incident.Record{}, Response: incident.Entry{}, Status: 201, Handle: web.JSONCommand(201, func(c *incident.Record, r *http.Request) { c.Incident = web.IncidentID(r) }, m.svc.Record,
				func(e incident.Entry) string { return "/api/v1/incidents/" + string(e.Incident) + "/journal#" + e.ID })},
		{Method: "POST", Path: "/api/v1/incidents/{id}/close", Summary: "Close an incident: every scope back to normal",
			Action: auth.WriteIncidents, Body: incident.Close{}, Response: incident.Incident{}, Status: 200, Handle: web.JSONCommand(200, func(c *incident.Close, r *http.Request) { c.Incident = web.IncidentID(r) }, m.svc.CloseIncident, nil)},
	}
}

func (m *Module) apiListIncidents(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	list, err := m.svc.List(p)
	if err != nil {
		return err
	}
	web.WriteJSON(w, 200, incidentList{list})
	return nil
}

func (m *Module) apiGetIncident(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	q, err := web.ParseQuery(r)
	if err != nil {
		return err
	}
	inc, err := m.svc.Incident(p, incident.ID(r.PathValue("id")), q.AsOf)
	if err != nil {
		return err
	}
	web.WriteJSON(w, 200, inc)
	return nil
}

func (m *Module) apiJournal(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	q, err := web.ParseQuery(r)
	if err != nil {
		return err
	}
	pg, err := parsePage(r, 0, MaxPageLimit)
	if err != nil {
		return err
	}
	pg.Newest = r.URL.Query().Get("order") == "newest"
	id := incident.ID(r.PathValue("id"))
	out, err := m.svc.JournalPage(p, id, q, pg, "api")
	if err != nil {
		return err
	}
	resp := journalResponse{Incident: id, Entries: out.Entries, Earlier: out.Earlier, Later: out.Later}
	if !q.At.IsZero() {
		resp.At = &q.At
	}
	if !q.KnownAt.IsZero() {
		resp.KnownAt = &q.KnownAt
	}
	web.WriteJSON(w, 200, resp)
	return nil
}
