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
	"scope.region":        {"Regionen (RSSL)", "The region (RSSL)"},
	"incident.since":      {"sedan", "since"},
	"incident.closed":     {"Händelsen är avslutad", "The incident is closed"},
	"incident.exercise":   {"Övning", "Exercise"},
	"journal.recorded":    {"registrerad", "recorded"},
	"search.at":           {"Visa läget vid (inträffat senast)", "Show as it stood at (occurred by)"},
	"search.known_at":     {"Visa vad staben visste vid (registrerat senast)", "Show what the staff knew at (recorded by)"},
	"search.submit":       {"Visa", "Show"},
	"submit.save":         {"Spara", "Save"},
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
