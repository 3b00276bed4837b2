// Package ui is the situation picture's pages and API: the reporting rounds
// and a unit's report form, the roll-up per hospital and region, the
// lägesbild's versions (draft, four eyes, publish, diff, print, the
// situation report as text and PDF), and the live frames that tell their
// open pages to fetch again. Every read and command goes through the
// situation service, which decides who may; what the pages show of other
// capabilities is read through the small interfaces below.
package ui

import (
	"embed"
	"io/fs"
	"time"

	"fyr/internal/auth"
	"fyr/internal/directory"
	"fyr/internal/dispatch"
	"fyr/internal/incident"
	"fyr/internal/situation"
	"fyr/internal/web"
)

//go:embed templates/*.html
var templates embed.FS

// Incidents is what the pages read of the incidents: the one they belong to.
type Incidents interface {
	Incident(p auth.Principal, id incident.ID, asOf incident.AsOf) (incident.Incident, error)
}

// Directory is what the pages read of the directory: names, the region,
// and whom to phone about a missing report.
type Directory interface {
	Unit(id string) (directory.Unit, bool)
	UnitName(id string) string
	Units() []directory.Unit
	Hospitals() []directory.Unit
	Reach(p auth.Principal, unit string, at time.Time) ([]directory.Contact, error)
}

// Dispatches is what the picture page reads of a published version's
// dispatch: its receipts.
type Dispatches interface {
	Dispatch(p auth.Principal, id dispatch.ID) (dispatch.Dispatch, []dispatch.UnitState, error)
}

// Approvers is who may approve a picture (auth): the holders of the
// approving function, but those in except.
type Approvers interface {
	Approvers(p auth.Principal, except []string) ([]auth.User, error)
}

// Module is the situation picture's pages, API routes and live frames.
type Module struct {
	svc       *situation.Service
	inc       Incidents
	dir       Directory
	disp      Dispatches
	approvers Approvers
	org       string // the organisation's id, the name when the directory has no region
	sh        *web.Server
}

// New returns the module over the situation service and what it reads of
// the others.
func New(svc *situation.Service, inc Incidents, dir Directory, disp Dispatches, approvers Approvers, org string) *Module {
	return &Module{svc: svc, inc: inc, dir: dir, disp: disp, approvers: approvers, org: org}
}

// Templates are the situation pages' templates.
func (m *Module) Templates() fs.FS { return templates }

// Mount registers the pages, the API routes and the live hook.
func (m *Module) Mount(sh *web.Server) {
	m.sh = sh
	m.roundRoutes()
	m.pictureRoutes()
	m.reportRoutes()
	for _, rt := range m.apiRoutes() {
		sh.HandleAPI(rt)
	}
	sh.HandleLive("situation.", m.publish)
	sh.HandlePanel("incident", 10, m.incidentPanel)
}
