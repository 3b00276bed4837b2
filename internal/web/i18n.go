package web

import (
	"fmt"
	"net/http"
	"strings"
)

// Lang is a UI language: Swedish by default, English available.
type Lang string

const (
	Swedish Lang = "sv"
	English Lang = "en"
)

// langOf picks the language from the lang cookie, then Swedish.
func langOf(r *http.Request) Lang {
	if c, err := r.Cookie("lang"); err == nil && c.Value == string(English) {
		return English
	}
	return Swedish
}

// messages holds every UI string: Swedish, English.
// addMessages adds a page family's strings. A key defined twice would
// silently show one family's wording on another's page: it stops the
// program at start instead (and so every test).
func addMessages(m map[string][2]string) {
	for k, v := range m {
		if _, dup := messages[k]; dup {
			panic(fmt.Sprintf("web: the UI string %q is defined twice", k))
		}
		messages[k] = v
	}
}

var messages = map[string][2]string{
	"app.tagline":         {"Krisledning för hälso- och sjukvården", "Crisis management for healthcare"},
	"skip":                {"Hoppa till innehållet", "Skip to content"},
	"nav.incidents":       {"Händelser", "Incidents"},
	"nav.directory":       {"Katalog", "Directory"},
	"directory.title":     {"Katalog: enheter och kontakter", "Directory: units and contacts"},
	"directory.intro":     {"Vem som nås för varje enhet. Skriv ut sidan som reserv om nätet går ner.", "Who to reach for each unit. Print this page as a fallback in case the network goes down."},
	"directory.empty":     {"Inga enheter ännu.", "No units yet."},
	"directory.unplaced":  {"Utan enhet", "Without a unit"},
	"unit.region":         {"region", "region"},
	"unit.hospital":       {"sjukhus", "hospital"},
	"unit.clinic":         {"klinik", "clinic"},
	"unit.ward":           {"avdelning", "ward"},
	"unit.municipality":   {"kommun", "municipality"},
	"unit.partner":        {"samverkanspart", "partner"},
	"nav.logout":          {"Logga ut", "Log out"},
	"nav.lang":            {"English", "Svenska"},
	"login.title":         {"Logga in", "Log in"},
	"login.username":      {"Användarnamn", "Username"},
	"login.password":      {"Lösenord", "Password"},
	"login.submit":        {"Logga in", "Log in"},
	"login.failed":        {"Fel användarnamn eller lösenord.", "Wrong username or password."},
	"banner.prefix":       {"Beredskapsläge", "Readiness level"},
	"banner.exercise":     {"ÖVNING", "EXERCISE"},
	"incidents.title":     {"Händelser", "Incidents"},
	"incidents.empty":     {"Inga händelser ännu. Öppna en händelse när något inträffar som kräver särskild sjukvårdsledning.", "No incidents yet. Open one when something happens that needs the crisis staff."},
	"incidents.open":      {"Öppna en händelse", "Open an incident"},
	"incidents.opened":    {"Öppnad", "Opened"},
	"incidents.status":    {"Status", "Status"},
	"incidents.level":     {"Högsta läge", "Highest level"},
	"incidents.entries":   {"Poster", "Entries"},
	"status.open":         {"Pågående", "Ongoing"},
	"status.closed":       {"Avslutad", "Closed"},
	"field.title":         {"Rubrik", "Title"},
	"field.description":   {"Beskrivning", "Description"},
	"field.scope":         {"Omfattning", "Scope"},
	"field.level":         {"Beredskapsläge", "Readiness level"},
	"field.exercise":      {"Detta är en övning", "This is an exercise"},
	"field.reason":        {"Motivering", "Reason"},
	"field.decided_by":    {"Beslutsfattare", "Decided by"},
	"field.function":      {"Funktion", "Function"},
	"field.occurred_at":   {"Inträffade (lämna tomt för nu)", "Occurred (leave empty for now)"},
	"field.kind":          {"Typ", "Kind"},
	"field.text":          {"Text", "Text"},
	"field.source":        {"Källa", "Source"},
	"field.channel":       {"Kanal", "Channel"},
	"field.from":          {"Från", "From"},
	"field.to":            {"Till", "To"},
	"field.verified":      {"Verifierad", "Verified"},
	"field.corrects":      {"Rättar post nr", "Corrects entry no."},
	"field.mandate":       {"Mandat", "Mandate"},
	"field.rationale":     {"Motivering", "Rationale"},
	"field.valid_until":   {"Gäller till", "Valid until"},
	"field.inform":        {"Ska informeras (en per rad)", "Must be informed (one per line)"},
	"field.owner":         {"Ansvarig", "Owner"},
	"field.deadline":      {"Klart senast", "Deadline"},
	"field.status":        {"Status", "Status"},
	"field.report_back":   {"Återrapport", "Report-back"},
	"field.updates":       {"Uppdaterar uppdrag nr", "Updates task no."},
	"scope.region":        {"Regionen (RSSL)", "The region (RSSL)"},
	"incident.levels":     {"Beredskapsläge per nivå", "Readiness level per scope"},
	"incident.since":      {"sedan", "since"},
	"incident.change":     {"Ändra beredskapsläge", "Change readiness level"},
	"incident.record":     {"Ny journalpost", "New journal entry"},
	"incident.close":      {"Avsluta händelsen", "Close the incident"},
	"incident.close.why":  {"Alla nivåer återgår till normalläge och en avslutande post skrivs.", "Every scope returns to normal and a closing entry is written."},
	"incident.journal":    {"Stabsjournal", "Staff journal"},
	"incident.print":      {"Utskrift (A4)", "Print (A4)"},
	"incident.csv":        {"Exportera CSV", "Export CSV"},
	"incident.closed":     {"Händelsen är avslutad", "The incident is closed"},
	"incident.exercise":   {"Övning", "Exercise"},
	"journal.empty":       {"Inga poster matchar.", "No entries match."},
	"journal.late":        {"efterregistrerad", "late entry"},
	"journal.corrected":   {"rättad av", "corrected by"},
	"journal.corrects":    {"rättar", "corrects"},
	"journal.updates":     {"uppdaterar uppdrag", "updates task"},
	"journal.updated":     {"uppdaterat av", "updated by"},
	"journal.offline":     {"Anslutningen bröts – återansluter…", "Connection lost – reconnecting…"},
	"journal.recorded":    {"registrerad", "recorded"},
	"journal.unverified":  {"ej verifierad", "not verified"},
	"journal.opened":      {"Händelsen öppnad", "Incident opened"},
	"journal.closed":      {"Händelsen avslutad", "Incident closed"},
	"journal.decision":    {"Beslutsfattare", "Decision-maker"},
	"journal.live":        {"Uppdateras direkt", "Updates live"},
	"search.title":        {"Sök och tidpunkt", "Search and point in time"},
	"search.q":            {"Fritext", "Text"},
	"search.author":       {"Författare", "Author"},
	"search.from":         {"Från tid", "From time"},
	"search.to":           {"Till tid", "To time"},
	"search.any":          {"Alla", "All"},
	"search.at":           {"Visa läget vid (inträffat senast)", "Show as it stood at (occurred by)"},
	"search.known_at":     {"Visa vad staben visste vid (registrerat senast)", "Show what the staff knew at (recorded by)"},
	"search.submit":       {"Visa", "Show"},
	"search.reset":        {"Nu", "Now"},
	"asof.banner":         {"Historisk vy – så här såg det ut", "Historical view – as it stood"},
	"submit.save":         {"Spara", "Save"},
	"submit.open":         {"Öppna händelse", "Open incident"},
	"submit.level":        {"Ändra läge", "Change level"},
	"submit.close":        {"Avsluta", "Close"},
	"error.field":         {"Fel i fältet", "Error in field"},
	"print.generated":     {"Utskriven", "Printed"},
	"print.by":            {"av", "by"},
	"time.zone":           {"Tider i svensk tid (Europe/Stockholm).", "Times in Swedish time (Europe/Stockholm)."},
	"level.normal":        {"Normalläge", "Normal"},
	"level.staff":         {"Stabsläge", "Staff alert"},
	"level.reinforcement": {"Förstärkningsläge", "Reinforcement"},
	"level.disaster":      {"Katastrofläge", "Disaster"},
	"kind.info_in":        {"Information in", "Information in"},
	"kind.info_out":       {"Information ut", "Information out"},
	"kind.decision":       {"Beslut", "Decision"},
	"kind.task":           {"Uppdrag", "Task"},
	"kind.coordination":   {"Samordning", "Coordination"},
	"kind.level_change":   {"Lägesändring", "Level change"},
	"kind.report":         {"Rapport", "Report"},
	"task.open":           {"Ej påbörjat", "Open"},
	"task.started":        {"Pågår", "Started"},
	"task.done":           {"Klart", "Done"},
	"task.cancelled":      {"Avbrutet", "Cancelled"},
}

// T returns the UI string for key in lang; the key itself if it is missing.
func T(lang Lang, key string) string {
	m, ok := messages[key]
	if !ok {
		return key
	}
	if lang == English {
		return m[1]
	}
	return m[0]
}

func otherLang(l Lang) Lang {
	if l == English {
		return Swedish
	}
	return English
}

// safeBack keeps a redirect target on this site.
func safeBack(s string) string {
	if !strings.HasPrefix(s, "/") || strings.HasPrefix(s, "//") || strings.ContainsAny(s, "\\\r\n") {
		return "/"
	}
	return s
}
