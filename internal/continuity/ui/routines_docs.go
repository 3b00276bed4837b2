package continuityui

import (
	"strings"

	"fyr/internal/continuity"
	"fyr/internal/web"
)

// The OpenAPI document's one-line descriptions of routines in an incident.
func init() {
	docs := map[string]string{
		"ActivateInput.routine":       "The id of the routine to activate",
		"ActivateInput.note":          "A message to the units, sent before the routine's steps",
		"ActivateInput.deadline":      "When the units must have acknowledged (default in 30 minutes)",
		"RoutineActivated.activation": "The activation's id",
		"RoutineActivated.routine":    "The routine's id",
		"RoutineActivated.title":      "The routine's title, as sent",
		"RoutineActivated.steps":      "The routine's steps, as sent",
		"RoutineActivated.units":      "The units the audience resolved to",
		"RoutineActivated.dispatch":   "The dispatch that carries the routine to the units",
		"RoutineActivated.by":         "Who activated it",
		"ReportRoutineInput.unit":     "The unit reporting (a unit account may leave it out: its own)",
		"ReportRoutineInput.state":    "started, working or not_working",
		"ReportRoutineInput.note":     "What works or does not (required for not_working)",
		"RoutineReport.activation":    "The activation reported on",
		"RoutineReport.routine":       "The routine's id",
		"RoutineReport.entry":         "The journal entry written for it (not working, or working again)",
		"RoutineReport.reported_at":   "When it was reported",
		"RoutineReport.on_behalf":     "The staff reported for the unit (by phone)",
		"RoutineReport.username":      "The account that reported",
		"RoutineBoard.incident_title": "The incident's title",
		"RoutineBoard.closed":         "The incident is closed: nothing more can be activated or reported",
		"RoutineBoard.routines":       "The activated routines, in the order first activated",
		"BoardRoutine.routine":        "The routine's id",
		"BoardRoutine.title":          "The routine's title",
		"BoardRoutine.steps":          "The routine's steps",
		"BoardRoutine.paper_copy":     "Where the paper copy is kept",
		"BoardRoutine.activations":    "Every activation of the routine in the incident",
		"BoardRoutine.units":          "Per unit told to use it, its last report: not working first, then not reported",
		"BoardRoutine.started":        "Units whose last report is started",
		"BoardRoutine.working":        "Units whose last report is working",
		"BoardRoutine.not_working":    "Units whose last report is not_working",
		"BoardRoutine.unreported":     "Units that have not reported",
		"ActivationInfo.activation":   "The activation's id",
		"ActivationInfo.dispatch":     "The dispatch that carried it (its receipts on /api/v1/dispatches/{id})",
		"ActivationInfo.units":        "How many units it went to",
		"ActivationInfo.activated_at": "When it was activated",
		"BoardUnit.name":              "The unit's name",
		"BoardUnit.reported_at":       "When the unit last reported (absent: never)",
		"BoardUnit.on_behalf":         "The staff reported for the unit (by phone)",
	}
	for k, d := range docs { // the Go type's name, and an embedded type's
		docs["Activate."+cut(k, "ActivateInput.")] = d
		docs["RoutineReported."+cut(k, "RoutineReport.")] = d
	}
	delete(docs, "Activate.")
	delete(docs, "RoutineReported.")
	web.AddFieldDocs(docs)
	states := []string{}
	for _, s := range continuity.RoutineStates {
		states = append(states, string(s))
	}
	web.AddFieldEnums(map[string][]string{
		"continuity.ReportRoutine.state":   states,
		"continuity.RoutineReported.state": states,
		"continuity.BoardUnit.state":       states,
	})
}

// cut returns what follows prefix in s, or "" when s does not start with it.
func cut(s, prefix string) string {
	if rest, ok := strings.CutPrefix(s, prefix); ok {
		return rest
	}
	return ""
}
