package app

import (
	"fyr/internal/continuity"
	"fyr/internal/directory"
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
