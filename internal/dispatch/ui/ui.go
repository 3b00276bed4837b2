// Package dispatchui is the dispatches' pages and API: the dispatch form
// with its preview, the coverage board (on screen and on A4), a unit's
// inbox and its receipt form, the signed receipt link's page, the channel
// page with its test message, the SMS gateway's and the webhook receipts'
// callbacks, the live frames that keep the board and the inboxes current,
// and "Min enhet", the unit's page. Every read and command goes through the
// dispatch service, which decides who may; what the pages show of other
// capabilities is read through the small interfaces below.
package dispatchui

import (
	"embed"
	"html/template"
	"io/fs"
	"sync/atomic"
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

// Incidents is what the pages read of the incidents: the one a dispatch
// belongs to, its decisions (for the form), and the active ones (for the
// unit page's pictures).
type Incidents interface {
	Incident(p auth.Principal, id incident.ID, asOf incident.AsOf) (incident.Incident, error)
	Journal(p auth.Principal, id incident.ID, q incident.Query, purpose string) ([]incident.Entry, error)
	Active() []incident.Incident
}

// Directory is what the pages read of the directory: the units and their
// names.
type Directory interface {
	Unit(id string) (directory.Unit, bool)
	UnitName(id string) string
	Units() []directory.Unit
}

// Situation is what the unit's pages show of the situation picture: the
// reporting round a call to report belongs to, the rounds that wait for
// the unit's report, the published pictures and the unit's reports.
type Situation interface {
	RoundForDispatch(p auth.Principal, d dispatch.ID) (situation.Round, error)
	RoundsForUnit(p auth.Principal, unit string) ([]situation.Round, error)
	RoundForUnit(p auth.Principal, id situation.RoundID, unit string) (situation.Round, situation.UnitLine, error)
	LatestPicture(p auth.Principal, id incident.ID, asOf incident.AsOf) (situation.Picture, error)
	Reports(p auth.Principal, q situation.ReportQuery, purpose string) ([]situation.Report, error)
}

// Module is the dispatches' pages, API routes and live frames.
type Module struct {
	svc *dispatch.Service
	inc Incidents
	dir Directory
	sit Situation
	sh  *web.Server

	// channels are the configured channel senders and their health (the
	// setting "channels"); nil until the operator's wiring gives them.
	channels atomic.Pointer[Channels]
	// hookKey is the secret the SMS gateway's callback URLs carry.
	hookKey string
}

// New returns the module over the dispatch service and what it reads of
// the others.
func New(svc *dispatch.Service, inc Incidents, dir Directory, sit Situation) *Module {
	return &Module{svc: svc, inc: inc, dir: dir, sit: sit}
}

// Templates are the dispatch pages' templates.
func (m *Module) Templates() fs.FS { return templates }

// Funcs are the template functions of what a dispatch carries and of its
// coverage, which the journal's entries, the incident page and the
// reporting rounds' form use too.
func (m *Module) Funcs() template.FuncMap {
	return template.FuncMap{
		"contentOf":  contentOf,
		"coverageOf": m.coverageOf,
		"excerpt":    excerpt,
		"quickFor":   m.quickFor,
	}
}

// Mount registers the pages, the API routes, the live hook, the channel
// alert and the settings that turn the callbacks on.
func (m *Module) Mount(sh *web.Server) {
	m.sh = sh
	sh.HandlePanel("incident", 20, m.incidentPanel)
	m.dispatchRoutes()
	m.receiptRoutes()
	m.channelRoutes()
	m.unitRoutes()

	for _, rt := range m.apiRoutes() {
		sh.HandleAPI(rt)
	}
	sh.HandleLive("dispatch.", m.publish)
	sh.HandleAlerts(m.channelAlerts)
	sh.OnConfig(ChannelsSetting, func(v any) { c := v.(Channels); m.channels.Store(&c) })
	sh.OnConfig("hook-key", func(v any) { m.enableHooks(v.(string)) })
	sh.OnConfig("webhook-secret", func(v any) { m.enableWebhookReceipts(v.([]byte)) })
}

func (m *Module) now() time.Time { return m.sh.Now() }
