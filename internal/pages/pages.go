// Package pages lists the capabilities' UI modules for the web shell: with
// cmd/fyr, the only place that names them all.
package pages

import (
	"fyr/internal/app"
	authui "fyr/internal/auth/ui"
	backlogui "fyr/internal/backlog/ui"
	directoryui "fyr/internal/directory/ui"
	situationui "fyr/internal/situation/ui"
	"fyr/internal/web"
)

// Modules are the UI modules of every capability that has moved its pages
// out of internal/web, over the app's services.
func Modules(a *app.App) []web.Module {
	return []web.Module{
		authui.New(a.Auth, a.Directory),
		directoryui.New(a.Directory),
		situationui.New(a.Situation, a.Incidents, a.Directory, a.Dispatch, a.Auth, a.Org),
		backlogui.New(a.Backlog, a.Incidents, a.Directory),
	}
}
