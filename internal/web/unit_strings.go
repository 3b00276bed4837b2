package web

// The strings of the menu and of the situation picture that the shell's
// pages (the incident page's panel), the unit page (internal/dispatch/ui)
// and the situation module's pages share. The rest are in
// internal/situation/ui and internal/dispatch/ui.
func init() {
	addMessages(map[string][2]string{
		"nav.menu":              {"Meny", "Menu"},
		"nav.main":              {"Huvudmeny", "Main menu"},
		"nav.inbox":             {"Utskick till enheten", "Dispatches to my unit"},
		"nav.channels":          {"Kanaler", "Channels"},
		"nav.unit":              {"Min enhet", "My unit"},
		"directory.unitpage":    {"Enhetens sida: vad den ser och har rapporterat", "The unit's page: what it sees and has reported"},
		"incident.situation":    {"Lägesbild och rapporter", "Situation picture and reports"},
		"incident.overview":     {"Sammanställning av enheternas rapporter", "Roll-up of the units' reports"},
		"incident.rounds":       {"Rapportomgångar", "Reporting rounds"},
		"incident.pictures":     {"Lägesbild: versioner", "Situation picture: versions"},
		"unit.report.due":       {"rapport senast", "report by"},
		"report.title":          {"Lägesrapport", "Situation report"},
		"report.state":          {"Driftläge", "Operating state"},
		"report.state.normal":   {"Normal drift", "Normal"},
		"report.state.limited":  {"Begränsad drift", "Limited"},
		"report.state.closed":   {"Stängd", "Closed"},
		"report.staff":          {"Bemanning", "Staffing"},
		"report.beds":           {"Vårdplatser", "Beds"},
		"report.beds.available": {"lediga", "available"},
		"report.filed":          {"Rapporten är registrerad.", "The report is recorded."},
		"report.late":           {"sen", "late"},
		"report.by":             {"av", "by"},
	})
}
