package web

import (
	"html/template"

	"fyr/internal/incident"
)

// The readiness levels every page shows: the banner of the active
// incidents (after login) and, on an incident's pages, its levels box,
// both also sent in the live "levels" frame whenever a level changes. The
// incidents' module provides them; without it there is no banner.

// Levels is the incidents' side of the banner and the levels box.
type Levels interface {
	// Active are the open incidents, for the banner.
	Active() []incident.Incident
	// LevelsBox is incident id's levels box in lang, and whether the
	// incident is closed; ok is false for no such incident.
	LevelsBox(lang Lang, id incident.ID) (box template.HTML, closed, ok bool)
}

// SendLevels sends the banner and incident inc's levels box as they are
// now to every open page, once per language: after a level changed or an
// incident was opened or closed.
func (o LiveOut) SendLevels(inc incident.ID) { o.h.publishLevels(o.seq, inc) }

// HandleLevels registers the source of the banner and the levels box.
// Call it from the incidents' module's Mount.
func (s *Server) HandleLevels(src Levels) { s.levels = src }

// active are the incidents the banner shows.
func (s *Server) active() []incident.Incident {
	if s.levels == nil {
		return nil
	}
	return s.levels.Active()
}
