// Package pages lists the capabilities' UI modules for the web shell: with
// cmd/fyr, the only place that names them all.
package pages

import (
	"fyr/internal/app"
	authui "fyr/internal/auth/ui"
	backlogui "fyr/internal/backlog/ui"
	continuityui "fyr/internal/continuity/ui"
	directoryui "fyr/internal/directory/ui"
	dispatchui "fyr/internal/dispatch/ui"
	incidentui "fyr/internal/incident/ui"
	situationui "fyr/internal/situation/ui"
	"fyr/internal/web"
)

// Modules are the UI modules of every capability that has moved its pages
// out of internal/web, over the app's services.
func Modules(a *app.App) []web.Module {
	return []web.Module{
		authui.New(a.Auth, a.Directory),
		incidentui.New(a.Incidents, a.Directory),
		directoryui.New(a.Directory),
		dispatchui.New(a.Dispatch, a.Incidents, a.Directory, a.Situation),
		situationui.New(a.Situation, a.Incidents, a.Directory, a.Dispatch, a.Auth, a.Org),
		continuityui.New(a.Continuity),
		backlogui.New(a.Backlog, a.Incidents, a.Directory),
	}
}
