package web

// The strings of the pages the shell still shows of the situation picture
// (the unit page, the incident page's panel, the menu): the situation
// module's pages use some of them too. The rest are in
// internal/situation/ui.
func init() {
	addMessages(map[string][2]string{
		"nav.unit":              {"Min enhet", "My unit"},
		"directory.unitpage":    {"Enhetens sida: vad den ser och har rapporterat", "The unit's page: what it sees and has reported"},
		"incident.situation":    {"Lägesbild och rapporter", "Situation picture and reports"},
		"incident.overview":     {"Sammanställning av enheternas rapporter", "Roll-up of the units' reports"},
		"incident.rounds":       {"Rapportomgångar", "Reporting rounds"},
		"incident.pictures":     {"Lägesbild: versioner", "Situation picture: versions"},
		"unit.title":            {"Enhetens sida", "Unit page"},
		"unit.taken":            {"Hämtad", "Fetched"},
		"unit.offline":          {"Sparad kopia – Fyr kunde inte nås. Uppgifterna gäller när sidan hämtades:", "Saved copy – Fyr could not be reached. The content is as of when the page was fetched:"},
		"unit.report.due":       {"rapport senast", "report by"},
		"unit.report.done":      {"Rapporterad", "Reported"},
		"unit.report.button":    {"Fyll i rapport", "Fill in report"},
		"unit.report.update":    {"Uppdatera rapport", "Update report"},
		"unit.picture":          {"Lägesbild", "Situation picture"},
		"unit.picture.none":     {"Ingen lägesbild är publicerad.", "No situation picture has been published."},
		"unit.picture.version":  {"version", "version"},
		"unit.picture.approved": {"fastställd", "approved"},
		"unit.dispatches":       {"Beslut och meddelanden till enheten", "Decisions and messages to the unit"},
		"unit.dispatches.none":  {"Inga utskick till enheten.", "No dispatches to the unit."},
		"unit.reports":          {"Enhetens rapporter", "The unit's reports"},
		"unit.reports.none":     {"Enheten har inte rapporterat.", "The unit has not reported."},
		"unit.print":            {"Skriv ut", "Print"},
		"unit.choose":           {"Välj enhet", "Choose a unit"},
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
