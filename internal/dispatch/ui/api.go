package dispatchui

import (
	"net/http"

	"fyr/internal/auth"
	"fyr/internal/dispatch"
	"fyr/internal/incident"
	"fyr/internal/web"
)

// Response bodies of the dispatch endpoints.
type (
	dispatchList struct {
		Dispatches []dispatch.Dispatch `json:"dispatches"`
	}
	dispatchBoard struct {
		Dispatch dispatch.Dispatch    `json:"dispatch"`
		Units    []dispatch.UnitState `json:"units"`
	}
)

func init() {
	web.RequireFields[dispatch.Create]("kind", "title", "audience", "deadline")
	web.RequireFields[dispatch.Question]("text", "answers")
}

func (m *Module) apiRoutes() []web.APIRoute {
	return []web.APIRoute{
		{Method: "POST", Path: "/api/v1/incidents/{id}/dispatches", Summary: "Send a dispatch (a decision or message) to an audience of units",
			Action: auth.WriteIncidents, Body: dispatch.Create{}, Response: dispatch.Dispatch{}, Status: 201, Handle: web.JSONCommand(201, func(c *dispatch.Create, r *http.Request) { c.Incident = web.IncidentID(r) }, m.svc.CreateDispatch,
				func(d dispatch.Dispatch) string { return "/api/v1/dispatches/" + string(d.Dispatch) })},
		{Method: "GET", Path: "/api/v1/incidents/{id}/dispatches", Summary: "An incident's dispatches with their coverage",
			Action: auth.ReadJournal, Response: dispatchList{}, Status: 200, Handle: m.apiListDispatches},
		{Method: "GET", Path: "/api/v1/dispatches/{id}", Summary: "The coverage board: a dispatch and where each unit stands",
			Action: auth.ReadJournal, Response: dispatchBoard{}, Status: 200, Handle: m.apiDispatch},
		{Method: "POST", Path: "/api/v1/dispatches/{id}/ack", Summary: "A unit's receipt (a unit account for its own unit; the staff for a receipt given by phone)",
			Action: auth.Acknowledge, Body: dispatch.Acknowledge{}, Response: dispatch.UnitState{}, Status: 200, Handle: web.JSONCommand(200, func(c *dispatch.Acknowledge, r *http.Request) { c.Dispatch = dispatch.ID(r.PathValue("id")) }, m.svc.Acknowledge, nil)},
	}
}

func (m *Module) apiListDispatches(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	id := incident.ID(r.PathValue("id"))
	if _, err := m.inc.Incident(p, id, incident.AsOf{}); err != nil {
		return err
	}
	list, err := m.svc.Dispatches(p, id)
	if err != nil {
		return err
	}
	web.WriteJSON(w, 200, dispatchList{list})
	return nil
}

func (m *Module) apiDispatch(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	d, states, err := m.svc.Dispatch(p, dispatch.ID(r.PathValue("id")))
	if err != nil {
		return err
	}
	web.WriteJSON(w, 200, dispatchBoard{d, states})
	return nil
}
