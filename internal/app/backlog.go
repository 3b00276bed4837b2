package app

import (
	"fyr/internal/backlog"
	"fyr/internal/continuity"
	"fyr/internal/directory"
)

// What the backlog needs of the others (backlog/needs.go). The continuity
// service has no principal-free lookup of a system, so the registry model
// is read directly here, as the write and the read model.

func backlogModel(f *Facts) backlog.WriteModel {
	return backlog.WriteModel{Book: f.Backlog, Incidents: f.Incidents, Units: unitNames{f.Units}, Systems: systemsOf{f.Registry}}
}

// unitNames is the directory as the backlog sees it.
type unitNames struct{ d *directory.Directory }

func (u unitNames) UnitName(id string) (string, bool) {
	unit, ok := u.d.Unit(id)
	return unit.Name, ok
}

// systemsOf is the continuity registry's components of kind system.
type systemsOf struct{ r *continuity.Registry }

func (s systemsOf) SystemName(id string) (string, bool) {
	c, ok := s.r.Component(id)
	if !ok || c.Kind != continuity.System {
		return "", false
	}
	return c.Name, true
}

func (s systemsOf) Systems() []backlog.System {
	var out []backlog.System
	for _, c := range s.r.Components() {
		if c.Kind == continuity.System {
			out = append(out, backlog.System{ID: c.ID, Name: c.Name})
		}
	}
	return out
}
