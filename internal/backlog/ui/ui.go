// Package ui is the re-entry backlog's pages, API and live frames: a
// unit's page to count manual work (one tap +1, or a number) and work it
// off, and the staff's page with the progress per system, per unit and in
// total, kept live. Every read and command goes through the backlog
// service, which decides who may.
package ui

import (
	"embed"
	"io/fs"

	"fyr/internal/auth"
	"fyr/internal/backlog"
	"fyr/internal/directory"
	"fyr/internal/incident"
	"fyr/internal/web"
)

//go:embed templates/*.html
var templates embed.FS

// Incidents is what the pages read of the incidents: the one they belong
// to.
type Incidents interface {
	Incident(p auth.Principal, id incident.ID, asOf incident.AsOf) (incident.Incident, error)
}

// Directory is what the pages read of the directory: the units a staff
// member may record for, and their names.
type Directory interface {
	Units() []directory.Unit
	UnitName(id string) string
}

// Module is the backlog's pages, API routes and live frames.
type Module struct {
	svc *backlog.Service
	inc Incidents
	dir Directory
	sh  *web.Server
}

// New returns the module over the backlog service and what it reads of the
// others.
func New(svc *backlog.Service, inc Incidents, dir Directory) *Module {
	return &Module{svc: svc, inc: inc, dir: dir}
}

// Templates are the backlog pages' templates.
func (m *Module) Templates() fs.FS { return templates }

// Mount registers the pages, the API routes and the live hook.
func (m *Module) Mount(sh *web.Server) {
	m.sh = sh
	sh.HandlePanel("incident", 40, m.incidentPanel)
	sh.HandlePanel("unit", 20, m.unitPanel)
	m.pageRoutes()
	for _, rt := range m.apiRoutes() {
		sh.HandleAPI(rt)
	}
	sh.HandleLive("backlog.", m.publish)
}
