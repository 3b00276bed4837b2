package app

import (
	"slices"

	"fyr/internal/dispatch"
)

// withoutAddresses copies states without the phone numbers and e-mail
// addresses the attempts went to (for a viewer: who was tried, not how to
// reach them). The projection's slices are not touched.
func withoutAddresses(states []dispatch.UnitState) []dispatch.UnitState {
	out := make([]dispatch.UnitState, len(states))
	for i, st := range states {
		st.Attempts = slices.Clone(st.Attempts)
		for j := range st.Attempts {
			st.Attempts[j].Address = ""
		}
		out[i] = st
	}
	return out
}
