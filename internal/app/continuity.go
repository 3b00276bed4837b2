package app

import (
	"time"

	"fyr/internal/continuity"
	"fyr/internal/directory"
	"fyr/internal/event"
	"fyr/internal/incident"
)

// unitsOf is the directory as the continuity registry sees it: a unit's
// name and its hospital.
type unitsOf struct{ d *directory.Directory }

func (u unitsOf) Unit(id string) (continuity.UnitInfo, bool) {
	unit, ok := u.d.Unit(id)
	if !ok {
		return continuity.UnitInfo{}, false
	}
	info := continuity.UnitInfo{ID: unit.ID, Name: unit.Name}
	// Walk up to the hospital; the bound guards a parent cycle.
	for up, i := unit, 0; i < 64; i++ {
		if up.Type == directory.Hospital {
			info.Hospital, info.HospitalName = up.ID, up.Name
			break
		}
		if up, ok = u.d.Unit(up.Parent); !ok {
			break
		}
	}
	return info, true
}

// RecordStatus writes the journal's record of a component's status
// (info_in, at the time it changed); the incident must be open.
func (j journalOf) RecordStatus(inc incident.ID, text, source string, occurred time.Time, who event.Actor, now time.Time) ([]event.Draft, error) {
	return incident.Record{Incident: inc, Kind: incident.InfoIn, Text: text, OccurredAt: occurred, Function: who.Function,
		Source: source, Channel: "Fyr"}.Decide(j.f.Incidents, who, now)
}
