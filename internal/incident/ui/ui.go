// Package incidentui is the incidents' pages and API: the list of
// incidents and the form that opens one, the incident page (readiness
// levels, the staff journal with its search, pages and forms, closing),
// the journal's print and CSV export, the task board, the JSON routes
// under /api/v1/incidents, and the live frames that carry new journal
// entries to the open pages. Every read and command goes through the
// incident service, which decides who may. What other capabilities show on
// the incident page (the situation picture, the dispatches) comes as the
// shell's panels for the page "incident": this package knows none of them.
package incidentui

import (
	"embed"
	"html/template"
	"io/fs"

	"fyr/internal/directory"
	"fyr/internal/incident"
	"fyr/internal/web"
)

//go:embed templates/*.html
var templates embed.FS

// Directory is what the pages read of the directory: the hospitals, the
// scopes a level can be set for.
type Directory interface {
	Hospitals() []directory.Unit
}

// Module is the incidents' pages, API routes and live frames.
type Module struct {
	svc *incident.Service
	dir Directory
	sh  *web.Server
}

// New returns the module over the incident service and the directory.
func New(svc *incident.Service, dir Directory) *Module {
	return &Module{svc: svc, dir: dir}
}

// Templates are the incident pages' templates.
func (m *Module) Templates() fs.FS { return templates }

// Mount registers the pages, the API routes and the live frames.
func (m *Module) Mount(sh *web.Server) {
	m.sh = sh
	sh.HandlePage("GET /{$}", m.incidentsPage)
	sh.HandlePage("POST /incidents", m.openSubmit)
	sh.HandlePage("GET /incidents/{id}", m.incidentPage)
	sh.HandlePage("GET /incidents/{id}/print", m.printPage)
	sh.HandlePage("GET /incidents/{id}/journal.csv", m.journalCSV)
	sh.HandlePage("GET /incidents/{id}/tasks", m.tasksPage)
	sh.HandlePage("POST /incidents/{id}/levels", m.levelSubmit)
	sh.HandlePage("POST /incidents/{id}/journal", m.recordSubmit)
	sh.HandlePage("POST /incidents/{id}/close", m.closeSubmit)
	for _, rt := range m.apiRoutes() {
		sh.HandleAPI(rt)
	}
	sh.HandleLive("incident.", m.publish)
	sh.HandleLiveCatchUp(m.catchUp)
	sh.HandleLevels(m)
}

// scopeNames are the hospitals' names by id: the scopes besides the region.
func (m *Module) scopeNames() map[string]string {
	names := map[string]string{}
	for _, u := range m.dir.Hospitals() {
		names[u.ID] = u.Name
	}
	return names
}

// Active are the open incidents, for the shell's banner.
func (m *Module) Active() []incident.Incident { return m.svc.Active() }

// LevelsBox is an incident's levels box, for the shell's live "levels"
// frame (the pages that show it check the caller; the frame goes to every
// open page, as the banner does).
func (m *Module) LevelsBox(lang web.Lang, id incident.ID) (template.HTML, bool, bool) {
	inc, err := m.svc.Current(id)
	if err != nil {
		return "", false, false
	}
	box, err := m.sh.Partial("levels", levelsView{lang, inc, m.scopeNames()})
	if err != nil {
		m.sh.Logger().Error("render levels", "incident_id", id, "err", err)
	}
	return box, inc.Closed, true
}
