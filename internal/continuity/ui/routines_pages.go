package continuityui

import "fyr/internal/web"

// mountRoutines registers the API and pages of backup routines in an
// incident.
func (m *Module) mountRoutines(sh *web.Server) {
	for _, rt := range m.routineRoutes() {
		sh.HandleAPI(rt)
	}
}
