package ui

import (
	"fyr/internal/backlog"
	"fyr/internal/web"
)

// The OpenAPI document's one-line descriptions of the backlog's fields,
// and the values of its kind.
func init() {
	counts := map[string]string{
		"added": "How many items were added",
		"done":  "How many were worked off (entered into the system)",
		"left":  "How many are left to re-enter: added minus done",
	}
	docs := map[string]string{
		"Tally.system":      "The system's id: a component of kind system in the continuity registry",
		"Tally.kind":        "The kind of manual work",
		"Tally.count":       "How many: positive adds to the backlog, negative works it off (never more than is left); at most 100000 either way",
		"Tally.occurred_at": "When the work was done or entered (RFC 3339); default now, may be earlier, never in the future",
		"Recorded.row":      "The unit's line for that system and kind after the change",
		"Totals.unit":       "Set when the totals are one unit's only (a unit account's view)",
		"Totals.total":      "The whole incident's backlog",
		"Totals.units":      "Per unit",
		"Totals.systems":    "Per system",
		"Totals.kinds":      "Per kind of manual work",
		"Totals.rows":       "Per unit, system and kind",
		"Totals.series":     "What was left of each system over time, for a line chart",
		"Line.id":           "The unit's, system's or kind's id (the incident's for the total)",
		"Line.name":         "Its name",
		"Row.unit_name":     "The unit's name",
		"Row.system":        "The system's id",
		"Row.system_name":   "The system's name",
		"Row.kind":          "The kind of manual work",
		"Series.system":     "The system's id",
		"Series.name":       "The system's name",
		"Series.points":     "What was left after each moment something changed, by when it happened",
		"Point.at":          "When (the change's occurred_at)",
		"Point.left":        "How many were left then",
	}
	for _, schema := range []string{"Line", "Row"} {
		for f, d := range counts {
			docs[schema+"."+f] = d
		}
	}
	web.AddFieldDocs(docs)
	kinds := make([]string, len(backlog.Kinds))
	for i, k := range backlog.Kinds {
		kinds[i] = string(k)
	}
	web.AddFieldEnums(map[string][]string{"backlog.Tally.kind": kinds, "backlog.Row.kind": kinds})
}
