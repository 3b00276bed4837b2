package continuityui

import (
	"fyr/internal/continuity"
	"fyr/internal/web"
)

// The OpenAPI document's one-line descriptions of the registry's fields.
func init() {
	docs := map[string]string{}
	both := func(schema string, fields map[string]string) { // the schema as answered and as sent
		for f, d := range fields {
			docs[schema+"."+f] = d
			docs[schema+"Input."+f] = d
		}
	}
	both("Component", map[string]string{
		"id":            "The component's id: lower-case letters, digits and '-'",
		"kind":          "system, infrastructure, supplier or function",
		"name":          "The component's name",
		"owner":         "Who owns the component in the organisation",
		"contact_name":  "The supplier's contact, by name",
		"contact_phone": "The supplier contact's phone, reachable without the region's network",
		"criticality":   "critical, high, medium (default) or low",
		"max_outage":    "The longest tolerable outage: 30m, 4h, 2d",
		"note":          "Free text",
	})
	both("Dependency", map[string]string{
		"from":  "The dependent: a component or a unit id (for used_by, see type)",
		"to":    "What it depends on: a component id (for used_by, the user)",
		"type":  "runs_on, hosted_by, needs, supplied_by or used_by (X used_by U: the unit U uses X)",
		"group": "The group the dependency belongs to (empty: a group of its own)",
		"mode":  "What the group needs: all of its members (default) or any one",
	})
	both("Routine", map[string]string{
		"id":         "The routine's id",
		"title":      "The routine's title",
		"steps":      "The checklist, in order",
		"owner":      "Who owns the routine",
		"paper_copy": "Where the paper copy is kept",
		"for":        "The components the routine stands in for when they are down",
		"needs":      "The components the routine itself needs (a form, the fax, the network)",
	})
	affected := map[string]string{
		"id":         "The item's id",
		"status":     "down or degraded",
		"path":       "The shortest explaining path: ids from the item to a component recorded down or degraded",
		"path_names": "The names along path",
		"name":       "The item's name",
	}
	for _, s := range []string{"ComponentImpact", "UnitImpact", "Affected"} { // embedded fields go by the embedded type
		for f, d := range affected {
			docs[s+"."+f] = d
		}
	}
	for f, d := range map[string]string{
		"ComponentImpact.kind":                         "The component's kind",
		"UnitImpact.hospital":                          "The unit's hospital (its ancestor of type hospital)",
		"UnitImpact.hospital_name":                     "The hospital's name",
		"HospitalCount.hospital":                       "The hospital's id (empty: units under no hospital)",
		"HospitalCount.name":                           "The hospital's name",
		"HospitalCount.down":                           "Its units affected down",
		"HospitalCount.degraded":                       "Its units affected degraded",
		"RoutineCheck.id":                              "The routine's id",
		"RoutineImpact.title":                          "The routine's title",
		"RoutineCheck.works":                           "Whether the routine works: false when a component it needs is down",
		"RoutineCheck.needed_for":                      "The affected components the routine stands in for (why it is needed)",
		"RoutineCheck.broken_by":                       "When it does not work: the down component that breaks it",
		"RoutineCheck.at_risk_by":                      "When it works at risk: the degraded component that threatens it",
		"RoutineCheck.path":                            "From the routine through what it needs to broken_by (or at_risk_by)",
		"RoutineImpact.path_names":                     "The names along path",
		"ContinuityReport.components":                  "The affected components, worst first",
		"ContinuityReport.units":                       "The affected units, per hospital, worst first",
		"ContinuityReport.hospitals":                   "The count of affected units per hospital",
		"ContinuityReport.routines":                    "The check of every routine needed: broken first",
		"ComponentList.components":                     "The components, in the order first saved",
		"DependencyList.dependencies":                  "The dependencies, in the order first added",
		"RoutineList.routines":                         "The routines, in the order first saved",
		"ContinuityImportSummary.components_added":     "Components with a new id",
		"ContinuityImportSummary.components_updated":   "Components that replaced one with their id",
		"ContinuityImportSummary.dependencies_added":   "New dependencies",
		"ContinuityImportSummary.dependencies_updated": "Dependencies whose group and mode were replaced",
	} {
		docs[f] = d
	}
	for f, d := range map[string]string{
		"component":   "The component's id",
		"status":      "down, degraded or up",
		"occurred_at": "When the component changed (default now; may be earlier)",
		"source":      "Where the staff learned it",
		"note":        "A short note",
	} {
		docs["RecordStatus."+f] = d
		docs["RecordStatusInput."+f] = d
		docs["StatusChange."+f] = d
		docs["StatusRecorded."+f] = d
	}
	docs["StatusChange.recorded_at"] = "When Fyr learned it"
	docs["StatusChange.by"] = "Who recorded it (the account)"
	docs["StatusChange.name"] = "The component's name"
	docs["StatusList.statuses"] = "For each component with a status, the one standing, worst first"
	docs["StatusRecorded.incident"] = "The incident's id"
	docs["StatusRecorded.entry"] = "The journal entry that records it"
	web.AddFieldDocs(docs)
	kinds, crits, types := []string{}, []string{}, []string{}
	for _, k := range continuity.Kinds {
		kinds = append(kinds, string(k))
	}
	for _, c := range continuity.Criticalities {
		crits = append(crits, string(c))
	}
	for _, t := range continuity.DepTypes {
		types = append(types, string(t))
	}
	web.AddFieldEnums(map[string][]string{
		"continuity.Component.kind":        kinds,
		"continuity.Component.criticality": crits,
		"continuity.Dependency.type":       types,
		"continuity.Dependency.mode":       {string(continuity.All), string(continuity.Any)},
		"continuity.Affected.status":       {string(continuity.Degraded), string(continuity.Down)},
		"continuity.RecordStatus.status":   {string(continuity.Down), string(continuity.Degraded), string(continuity.Up)},
		"continuity.StatusRecorded.status": {string(continuity.Down), string(continuity.Degraded), string(continuity.Up)},
	})
}
