package ui

import "fyr/internal/web"

func init() { web.AddMessages(messages) }

var messages = map[string][2]string{
	"backlog.title":                   {"Efterregistrering", "Re-entry backlog"},
	"backlog.unit.title":              {"Att efterregistrera", "To re-enter"},
	"backlog.intro":                   {"Det som gjorts för hand medan ett system var nere och ska föras in när det är tillbaka.", "Work done by hand while a system was down, to be entered when it is back."},
	"backlog.noincident":              {"Ingen pågående händelse. Efterregistrering hör till en händelse.", "No active incident. A backlog belongs to an incident."},
	"backlog.live":                    {"Uppdateras direkt", "Updates live"},
	"backlog.left":                    {"Kvar", "Left"},
	"backlog.of":                      {"av", "of"},
	"backlog.done":                    {"klara", "done"},
	"backlog.done.h":                  {"Klara", "Done"},
	"backlog.added":                   {"Tillagt", "Added"},
	"backlog.per.system":              {"Per system", "Per system"},
	"backlog.per.unit":                {"Per enhet", "Per unit"},
	"backlog.per.kind":                {"Per typ", "Per kind"},
	"backlog.over.time":               {"Kvar över tid", "Left over time"},
	"backlog.series.table":            {"Visa som tabell", "Show as a table"},
	"backlog.system":                  {"System", "System"},
	"backlog.unit":                    {"Enhet", "Unit"},
	"backlog.kind":                    {"Typ", "Kind"},
	"backlog.when":                    {"Tid", "Time"},
	"backlog.count":                   {"Antal", "Number"},
	"backlog.add":                     {"Lägg till", "Add"},
	"backlog.workoff":                 {"Arbetat av", "Worked off"},
	"backlog.new":                     {"Registrera nytt att efterregistrera", "Record new work to re-enter"},
	"backlog.onbehalf":                {"Registrera för en enhet (t.ex. uppgift per telefon)", "Record for a unit (e.g. given by phone)"},
	"backlog.onbehalf.note":           {"Du registrerar för enhetens räkning.", "You are recording on the unit's behalf."},
	"backlog.open":                    {"Öppna", "Open"},
	"backlog.saved":                   {"Sparat", "Saved"},
	"backlog.at":                      {"kl", "at"},
	"backlog.saved.off":               {"arbetat av", "worked off"},
	"backlog.field.incident":          {"händelse", "incident"},
	"backlog.field.unit":              {"enhet", "unit"},
	"backlog.field.system":            {"system", "system"},
	"backlog.field.kind":              {"typ", "kind"},
	"backlog.field.count":             {"antal", "number"},
	"backlog.field.occurred_at":       {"tidpunkt", "time"},
	"backlog.field.note":              {"anteckning", "note"},
	"backlog.field.form":              {"formulär", "form"},
	"backlog.field.token":             {"formulärets engångskod", "the form's one-time code"},
	"backlog.empty.staff":             {"Ingen efterregistrering i den här händelsen än. Enheterna räknar sin på sidan Att efterregistrera; staben kan registrera för en enhet nedan.", "No backlog in this incident yet. Units count theirs on their To re-enter page; the staff can record for a unit below."},
	"backlog.empty.unit":              {"Inget att efterregistrera än. När ni gör något för hand som ska in i ett system senare: välj system och typ nedan.", "Nothing to re-enter yet. When you do something by hand that must go into a system later: choose the system and kind below."},
	"backlog.nosystems":               {"Kontinuitetsregistret har inga system än. Be administratören lägga in dem.", "The continuity registry has no systems yet. Ask the administrator to add them."},
	"backlog.kind.prescriptions":      {"Läkemedelsordinationer", "Prescriptions"},
	"backlog.kind.lab_requests":       {"Labbremisser", "Lab requests"},
	"backlog.kind.journal_notes":      {"Journalanteckningar", "Journal notes"},
	"backlog.kind.orders":             {"Beställningar", "Orders"},
	"backlog.kind.discharge_messages": {"Utskrivningsmeddelanden", "Discharge messages"},
	"backlog.kind.other":              {"Övrigt", "Other"},
}

// The incident page's panel.
func init() {
	web.AddMessages(map[string][2]string{
		"bl.panel.title":      {"Efterregistrering", "Re-entry backlog"},
		"bl.panel.left":       {"%d poster kvar att föra in i systemen.", "%d items left to enter into the systems."},
		"bl.panel.none":       {"Inget kvar att efterregistrera.", "Nothing left to re-enter."},
		"bl.unit.intro":       {"Arbete gjort för hand som ska föras in när systemet är tillbaka: räkna upp det här.", "Work done by hand that must be entered when the system is back: count it here."},
		"backlog.chart.total": {"Totalt", "Total"},
		"bl.panel.open":       {"Efterregistrering per system och enhet", "Backlog per system and unit"},
	})
}
