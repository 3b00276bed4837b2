package web

import (
	"html/template"
)

// fieldName names a form's field in an error by its label in lang, with
// the API's name of the field beside it for whoever helps on the phone
// ("Fel i fältet Rubrik (title): …"); a field without a label shows by
// its API name alone.
func fieldName(l Lang, field string) template.HTML {
	code := "<code>" + template.HTMLEscapeString(field) + "</code>"
	if _, ok := messages["errfield."+field]; ok {
		return template.HTML(template.HTMLEscapeString(T(l, "errfield."+field)) + " (" + code + ")")
	}
	return template.HTML(code)
}

// The fields refusals name, as the forms call them.
func init() {
	addMessages(map[string][2]string{
		"errfield.title":                   {"Rubrik", "Title"},
		"errfield.description":             {"Beskrivning", "Description"},
		"errfield.scope":                   {"Omfattning", "Scope"},
		"errfield.level":                   {"Beredskapsläge", "Readiness level"},
		"errfield.levels":                  {"Beredskapsläge", "Readiness level"},
		"errfield.reason":                  {"Motivering", "Reason"},
		"errfield.decided_by":              {"Beslutsfattare", "Decided by"},
		"errfield.function":                {"Funktion", "Function"},
		"errfield.occurred_at":             {"Inträffade", "Occurred"},
		"errfield.kind":                    {"Typ", "Kind"},
		"errfield.text":                    {"Text", "Text"},
		"errfield.source":                  {"Källa", "Source"},
		"errfield.channel":                 {"Kanal", "Channel"},
		"errfield.channels":                {"Kanaler", "Channels"},
		"errfield.from":                    {"Från", "From"},
		"errfield.to":                      {"Till", "To"},
		"errfield.corrects":                {"Rättar post nr", "Corrects entry no."},
		"errfield.decision":                {"Beslut", "Decision"},
		"errfield.decision.decision_maker": {"Beslutsfattare", "Decision-maker"},
		"errfield.decision.mandate":        {"Mandat", "Mandate"},
		"errfield.decision.rationale":      {"Motivering", "Rationale"},
		"errfield.decision.valid_until":    {"Gäller till", "Valid until"},
		"errfield.decision.inform":         {"Ska informeras", "Must be informed"},
		"errfield.task":                    {"Uppdrag", "Task"},
		"errfield.task.owner":              {"Ansvarig", "Owner"},
		"errfield.task.deadline":           {"Klart senast", "Deadline"},
		"errfield.task.status":             {"Status", "Status"},
		"errfield.task.report_back":        {"Återrapport", "Report-back"},
		"errfield.task.updates":            {"Uppdaterar uppdrag nr", "Updates task no."},
		"errfield.deadline":                {"Senast", "Deadline"},
		"errfield.message":                 {"Meddelande", "Message"},
		"errfield.body":                    {"Meddelandetext", "Message text"},
		"errfield.audience":                {"Mottagare", "Recipients"},
		"errfield.audience.units":          {"Mottagare: enheter", "Recipients: units"},
		"errfield.audience.types":          {"Mottagare: enhetstyper", "Recipients: unit types"},
		"errfield.audience.subtrees":       {"Mottagare: enhet med allt under", "Recipients: unit and everything below"},
		"errfield.audience.functions":      {"Mottagare: funktioner", "Recipients: functions"},
		"errfield.escalation":              {"Eskalering", "Escalation"},
		"errfield.question.text":           {"Fråga", "Question"},
		"errfield.question.answers":        {"Svarsalternativ", "Answers"},
		"errfield.answer":                  {"Svar", "Answer"},
		"errfield.by":                      {"Namn", "Name"},
		"errfield.readback":                {"Uppfattat", "Read-back"},
		"errfield.unit":                    {"Enhet", "Unit"},
		"errfield.units":                   {"Enheter", "Units"},
		"errfield.people":                  {"Personer", "People"},
		"errfield.person":                  {"Person", "Person"},
		"errfield.round":                   {"Rapportomgång", "Reporting round"},
		"errfield.state":                   {"Driftläge", "Operating state"},
		"errfield.beds.total":              {"Vårdplatser i drift", "Beds in operation"},
		"errfield.beds.occupied":           {"Belagda vårdplatser", "Occupied beds"},
		"errfield.staff.present":           {"Personal i tjänst", "Staff present"},
		"errfield.staff.missing":           {"Personal som saknas", "Staff missing"},
		"errfield.needs":                   {"Behov", "Needs"},
		"errfield.note":                    {"Anteckning", "Note"},
		"errfield.event":                   {"Händelse", "Event"},
		"errfield.affected":                {"Berörda enheter", "Affected units"},
		"errfield.direction":               {"Inriktning", "Direction"},
		"errfield.next_briefing":           {"Nästa genomgång", "Next briefing"},
		"errfield.with":                    {"Jämför med", "Compare with"},
		"errfield.a":                       {"Första versionen", "First version"},
		"errfield.name":                    {"Namn", "Name"},
		"errfield.parent":                  {"Överordnad enhet", "Parent unit"},
		"errfield.primary":                 {"Primär kontakt", "Primary contact"},
		"errfield.deputies":                {"Ersättare", "Deputies"},
		"errfield.phone":                   {"Telefon", "Phone"},
		"errfield.email":                   {"E-post", "E-mail"},
		"errfield.mobile":                  {"Mobilnummer", "Mobile"},
		"errfield.shift":                   {"Jourpass", "Shift"},
		"errfield.file":                    {"Fil", "File"},
		"errfield.username":                {"Användarnamn", "Username"},
		"errfield.password":                {"Lösenord", "Password"},
		"errfield.link":                    {"Länk", "Link"},
		"errfield.code":                    {"Kod", "Code"},
	})
}
