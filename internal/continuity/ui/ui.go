// Package continuityui is the continuity registry's API and pages:
// components, dependencies, routines, the CSV import and export, the
// what-if impact, and an incident's statuses and impact (pages.go,
// impactpages.go). Every route is authorised by the shell and again in the
// service.
package continuityui

import (
	"embed"
	"io"
	"io/fs"
	"net/http"
	"strings"

	"fyr/internal/auth"
	"fyr/internal/continuity"
	"fyr/internal/fail"
	"fyr/internal/incident"
	"fyr/internal/web"
)

// Module is the registry's routes.
type Module struct {
	svc *continuity.Service
	sh  *web.Server
}

// New returns the module over the service.
func New(svc *continuity.Service) *Module { return &Module{svc: svc} }

//go:embed templates
var templates embed.FS

// Templates are the module's templates.
func (m *Module) Templates() fs.FS { return templates }

// Mount registers the routes.
func (m *Module) Mount(sh *web.Server) {
	m.sh = sh
	sh.HandlePanel("incident", 30, m.incidentPanel)
	sh.HandlePanel("unit", 10, m.unitPanel)
	sh.AcceptUpload("POST /registry/import", 2*MaxImportBytes+1<<20) // two files and the form
	for _, rt := range m.apiRoutes() {
		sh.HandleAPI(rt)
	}
	m.pageRoutes()
	m.mountRoutines(sh) // backup routines in an incident: routines_api.go, routines_pages.go
}

func init() {
	web.RequireFields[continuity.Component]("id", "kind", "name")
	web.RequireFields[continuity.Dependency]("from", "to", "type")
	web.RequireFields[continuity.Routine]("id", "title", "steps", "for")
	web.RequireFields[continuity.RecordStatus]("component", "status")
}

// Response bodies.
type (
	componentList struct {
		Components []continuity.Component `json:"components"`
	}
	dependencyList struct {
		Dependencies []continuity.Dependency `json:"dependencies"`
	}
	routineList struct {
		Routines []continuity.Routine `json:"routines"`
	}
	statusList struct {
		Statuses []continuity.StatusChange `json:"statuses"`
	}
)

var sepQuery = []web.QueryParam{{Name: "sep", Description: "Cell separator: `,` (default) or `;` (Swedish Excel)"}}

// MaxImportBytes bounds an import through the API: the shell's limit of a
// request body (a larger registry imports with `fyr import registry`).
const MaxImportBytes = 1 << 20

func (m *Module) apiRoutes() []web.APIRoute {
	read, keep := auth.ReadIncidents, auth.ManageRegistry
	return []web.APIRoute{
		{Method: "GET", Path: "/api/v1/registry/components", Summary: "The continuity registry's components (systems, infrastructure, suppliers, care functions)",
			Action: read, Response: componentList{}, Status: 200, Handle: func(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
				cs, err := m.svc.Components(p)
				if err == nil {
					web.WriteJSON(w, 200, componentList{append([]continuity.Component{}, cs...)})
				}
				return err
			}},
		{Method: "POST", Path: "/api/v1/registry/components", Summary: "Add a component, or replace the one with its id. Kind: system, infrastructure, supplier or function; " +
			"criticality: critical, high, medium (default) or low; max_outage like 30m, 4h, 2d",
			Action: keep, Body: continuity.Component{}, Response: continuity.Component{}, Status: 200,
			Handle: web.JSONCommand(200, nil, m.svc.SaveComponent, nil)},
		{Method: "GET", Path: "/api/v1/registry/components.csv", Summary: "Export the components as CSV (the import format; UTF-8 with BOM). Columns: " +
			strings.Join(append(append([]string{}, continuity.ComponentColumns...), continuity.ComponentOptional...), ","),
			Action: read, ContentType: "text/csv", Response: "", Status: 200, Query: sepQuery, Handle: m.exportComponents},
		{Method: "GET", Path: "/api/v1/registry/dependencies", Summary: "The registry's dependencies: from TYPE to, in groups of mode all or any",
			Action: read, Response: dependencyList{}, Status: 200, Handle: func(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
				ds, err := m.svc.Dependencies(p)
				if err == nil {
					web.WriteJSON(w, 200, dependencyList{append([]continuity.Dependency{}, ds...)})
				}
				return err
			}},
		{Method: "POST", Path: "/api/v1/registry/dependencies", Summary: "Add a dependency: from (a component or a unit) depends on to (a component); " +
			"type runs_on, hosted_by, needs, supplied_by or used_by (reversed: X used_by U means the unit U uses X). " +
			"Dependencies of one dependent in the same group need all (default) or any of their members; one with the from, to and type of another replaces its group and mode",
			Action: keep, Body: continuity.Dependency{}, Response: continuity.Dependency{}, Status: 200,
			Handle: web.JSONCommand(200, nil, m.svc.AddDependency, nil)},
		{Method: "GET", Path: "/api/v1/registry/dependencies.csv", Summary: "Export the dependencies as CSV (the import format). Columns: " +
			strings.Join(append(append([]string{}, continuity.DependencyColumns...), continuity.DependencyOptional...), ","),
			Action: read, ContentType: "text/csv", Response: "", Status: 200, Query: sepQuery, Handle: m.exportDependencies},
		{Method: "GET", Path: "/api/v1/registry/routines", Summary: "The backup routines (reservrutiner)",
			Action: read, Response: routineList{}, Status: 200, Handle: func(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
				rs, err := m.svc.Routines(p)
				if err == nil {
					web.WriteJSON(w, 200, routineList{append([]continuity.Routine{}, rs...)})
				}
				return err
			}},
		{Method: "POST", Path: "/api/v1/registry/routines", Summary: "Add a backup routine, or replace the one with its id: its steps (at least one), " +
			"the components it stands in for (for) and those it needs itself (needs)",
			Action: keep, Body: continuity.Routine{}, Response: continuity.Routine{}, Status: 200,
			Handle: web.JSONCommand(200, nil, m.svc.SaveRoutine, nil)},
		{Method: "POST", Path: "/api/v1/registry/import", Summary: "Import components or dependencies from CSV, all or nothing: a known id (for dependencies: from, to and type) replaces. " +
			"',' or ';' separated, UTF-8. An error lists every bad row (problems: line, field, message) and nothing is written",
			Action: keep, BodyType: "text/csv", Body: "", Response: continuity.ImportSummary{}, Status: 200, Handle: m.apiImport,
			Query: []web.QueryParam{{Name: "what", Description: "`components` or `dependencies`"}}},
		{Method: "GET", Path: "/api/v1/registry/impact", Summary: "What if these components went down? The impact, recording nothing: every affected component and unit " +
			"(with its hospital) with its status and the shortest path of ids to a down component, and the check of every backup routine needed: " +
			"works, or broken_by the down component and the path through what it needs (at_risk_by: works, but something it needs is degraded)",
			Action: read, Response: continuity.Report{}, Status: 200, Handle: m.apiWhatIf,
			Query: []web.QueryParam{{Name: "down", Description: "Component ids separated by commas"}}},
		{Method: "POST", Path: "/api/v1/incidents/{id}/statuses", Summary: "Record a component's status in an incident (down, degraded or up), " +
			"when it happened (occurred_at, default now; may be earlier, never in the future), source and note; also a journal entry of the incident",
			Action: auth.WriteIncidents, Body: continuity.RecordStatus{}, Response: continuity.StatusChange{}, Status: 201,
			Handle: web.JSONCommand(201, func(c *continuity.RecordStatus, r *http.Request) { c.Incident = web.IncidentID(r) }, m.svc.RecordStatus, nil)},
		{Method: "GET", Path: "/api/v1/incidents/{id}/statuses", Summary: "The components' statuses recorded in an incident, the one standing for each, worst first",
			Action: read, Response: statusList{}, Status: 200, Handle: m.apiStatuses,
			Query: []web.QueryParam{{Name: "at", Description: "The statuses as they stood at this time, as known now (RFC 3339)"},
				{Name: "known_at", Description: "The statuses as the staff knew them at this time (RFC 3339)"}}},
		{Method: "GET", Path: "/api/v1/incidents/{id}/impact", Summary: "The impact of the statuses recorded in an incident, over the registry as it is now " +
			"(the same answer as the what-if /api/v1/registry/impact)",
			Action: read, Response: continuity.Report{}, Status: 200, Handle: m.apiIncidentImpact,
			Query: []web.QueryParam{{Name: "at", Description: "The statuses as they stood at this time, as known now (RFC 3339)"},
				{Name: "known_at", Description: "The statuses as the staff knew them at this time (RFC 3339)"}}},
	}
}

// asOf reads at= and known_at=.
func asOf(r *http.Request) (incident.AsOf, error) {
	var a incident.AsOf
	var err error
	if a.At, err = web.ParseTime("at", r.URL.Query().Get("at")); err != nil {
		return a, err
	}
	a.KnownAt, err = web.ParseTime("known_at", r.URL.Query().Get("known_at"))
	return a, err
}

func (m *Module) apiStatuses(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	a, err := asOf(r)
	if err != nil {
		return err
	}
	cs, err := m.svc.Statuses(p, web.IncidentID(r), a)
	if err != nil {
		return err
	}
	web.WriteJSON(w, 200, statusList{cs})
	return nil
}

func (m *Module) apiIncidentImpact(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	a, err := asOf(r)
	if err != nil {
		return err
	}
	rep, err := m.svc.Impact(p, web.IncidentID(r), a)
	if err != nil {
		return err
	}
	web.WriteJSON(w, 200, rep)
	return nil
}

func (m *Module) exportComponents(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	sep, err := web.CSVSep(r)
	if err != nil {
		return err
	}
	cs, err := m.svc.Components(p)
	if err != nil {
		return err
	}
	return m.sh.SendCSV(w, "komponenter", func(w io.Writer) error { return continuity.WriteComponentsCSV(w, cs, sep) })
}

func (m *Module) exportDependencies(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	sep, err := web.CSVSep(r)
	if err != nil {
		return err
	}
	ds, err := m.svc.Dependencies(p)
	if err != nil {
		return err
	}
	return m.sh.SendCSV(w, "beroenden", func(w io.Writer) error { return continuity.WriteDependenciesCSV(w, ds, sep) })
}

func (m *Module) apiImport(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	var parse func([]byte) (continuity.Import, error)
	switch what := r.URL.Query().Get("what"); what {
	case "components":
		parse = continuity.ParseComponents
	case "dependencies":
		parse = continuity.ParseDependencies
	default:
		return fail.Field("what", "must be components or dependencies")
	}
	body, err := web.ReadCSVBody(r, MaxImportBytes)
	if err != nil {
		return err
	}
	imp, err := parse(body)
	if err != nil {
		return err
	}
	sum, err := m.svc.Import(r.Context(), &p, imp)
	if err != nil {
		return err
	}
	web.WriteJSON(w, 200, sum)
	return nil
}

func (m *Module) apiWhatIf(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	var down []string
	for _, id := range strings.Split(r.URL.Query().Get("down"), ",") {
		if id = strings.TrimSpace(id); id != "" {
			down = append(down, id)
		}
	}
	rep, err := m.svc.WhatIf(p, down)
	if err != nil {
		return err
	}
	web.WriteJSON(w, 200, rep)
	return nil
}
