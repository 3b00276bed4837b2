// Package tz holds the one time zone Fyr's people live in: every page,
// message and text Fyr writes shows its times in it, whatever the host's
// zone (the zone data is linked into the binary).
package tz

import (
	"time"
	_ "time/tzdata" // Europe/Stockholm without relying on the host's zoneinfo
)

// Stockholm is Europe/Stockholm.
var Stockholm = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Stockholm")
	if err != nil {
		panic(err) // time/tzdata is linked in above
	}
	return loc
}()
