package web

import (
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"unicode"

	"fyr/internal/fail"
)

// Service errors are translated here, at the edge. A service returns a
// fail.Error whose Message is English and which keeps its constant format
// and arguments; the page in Swedish looks the format up in errorsSV (the
// catalogue, errors_sv.go) and formats again, translating arguments that
// are themselves codes (a role, a level, a kind …) or errors. The API keeps
// English unless the client asks otherwise (apiLang). A format missing from
// the catalogue shows in English; TestEveryServiceTextIsTranslated keeps
// that from happening.

// errText is the error's message in lang.
func errText(l Lang, fe *fail.Error) string {
	if fe == nil {
		return ""
	}
	return msgText(l, fe.Message, fe.Format, fe.Args)
}

// problemText is an import problem's message in lang.
func problemText(l Lang, p fail.Problem) string {
	return msgText(l, p.Message, p.Format, p.Args)
}

func msgText(l Lang, message, format string, args []any) string {
	if l == English {
		return message
	}
	if format == "" {
		if sv, ok := errorsSV[message]; ok {
			return sv
		}
		return message
	}
	sv, ok := errorsSV[format]
	if !ok {
		return message
	}
	out := make([]any, len(args))
	for i, a := range args {
		out[i] = argText(l, a)
	}
	return fmt.Sprintf(sv, out...)
}

// codeKeys maps the type of a code argument to the prefix of its UI
// strings ("level.staff").
var codeKeys = map[string]string{
	"incident.Level":      "level",
	"incident.Kind":       "kind",
	"incident.TaskStatus": "task",
	"auth.Role":           "userrole",
	"directory.UnitType":  "unit",
	"situation.Status":    "picture.status",
	"auth.Action":         "action",
	"web.channelName":     "channel",
}

// channelName is a channel's code ("sms") as an error's argument: the
// Swedish reads its label ("SMS", "e-post").
type channelName string

// argText translates an argument when it is an error, an import problem
// or a code with UI strings; anything else is the user's data and stays.
func argText(l Lang, a any) any {
	switch v := a.(type) {
	case fail.Problem:
		return problemLine(l, v)
	case error:
		var fe *fail.Error
		if errors.As(v, &fe) && fe.Error() == v.Error() {
			if fe.Field != "" {
				return fe.Field + ": " + errText(l, fe)
			}
			return errText(l, fe)
		}
		return a
	}
	rv := reflect.ValueOf(a)
	if !rv.IsValid() || rv.Kind() != reflect.String {
		return a
	}
	prefix, ok := codeKeys[rv.Type().String()]
	if !ok {
		return a
	}
	key := prefix + "." + rv.String()
	if _, ok := messages[key]; !ok {
		return a
	}
	return midSentence(T(l, key))
}

// midSentence lower-cases a label's first letter for use inside a
// sentence ("Publicerad" → "publicerad"), but not an abbreviation's (SMS).
func midSentence(s string) string {
	r := []rune(s)
	if len(r) > 1 && unicode.IsUpper(r[0]) && !unicode.IsUpper(r[1]) {
		r[0] = unicode.ToLower(r[0])
	}
	return string(r)
}

// problemLine is Problem.String in lang: "people: rad 4: mobile: …".
func problemLine(l Lang, p fail.Problem) string {
	var b strings.Builder
	if p.File != "" {
		name := p.File
		if _, ok := messages["problem.file."+p.File]; ok {
			name = T(l, "problem.file."+p.File)
		}
		b.WriteString(name + ": ")
	}
	if p.Line > 0 {
		fmt.Fprintf(&b, "%s %d: ", T(l, "problem.line"), p.Line)
	}
	if p.Field != "" {
		b.WriteString(p.Field + ": ")
	}
	b.WriteString(problemText(l, p))
	return b.String()
}

// shown is fe as a page shows it: in lang, and a sentence of its own
// when no field's name goes before it ("Händelsen … finns inte").
func shown(l Lang, fe *fail.Error) *fail.Error {
	c := *localized(l, fe)
	if c.Field == "" {
		c.Message = sentence(c.Message)
	}
	return &c
}

// sentence capitalises the first letter.
func sentence(s string) string {
	r := []rune(s)
	if len(r) > 0 {
		r[0] = unicode.ToUpper(r[0])
	}
	return string(r)
}

// localized is a copy of fe with its message and problems in lang.
func localized(l Lang, fe *fail.Error) *fail.Error {
	if l == English || fe == nil {
		return fe
	}
	c := *fe
	c.Message = errText(l, fe)
	c.Problems = make([]fail.Problem, len(fe.Problems))
	for i, p := range fe.Problems {
		p.Message = problemText(l, p)
		c.Problems[i] = p
	}
	if len(c.Problems) == 0 {
		c.Problems = nil
	}
	return &c
}

// apiLang is the language of the API's error messages: the page's for the
// pages' own scripts (a session cookie: the browser sends its own
// Accept-Language, which need not be the UI's), Swedish for a client whose
// Accept-Language prefers sv, and otherwise English, which scripts and
// integrations may match on. code and field never change.
func apiLang(r *http.Request) Lang {
	if _, err := r.Cookie(sessionCookie); err == nil && r.Header.Get("Authorization") == "" {
		return langOf(r)
	}
	first, _, _ := strings.Cut(r.Header.Get("Accept-Language"), ",")
	first, _, _ = strings.Cut(strings.TrimSpace(first), ";")
	if strings.EqualFold(first, "sv") || strings.HasPrefix(strings.ToLower(first), "sv-") {
		return Swedish
	}
	return English
}

func init() {
	addMessages(map[string][2]string{
		"problem.line":        {"rad", "line"},
		"problem.file.units":  {"enheter", "units"},
		"problem.file.people": {"personer", "people"},
		"userrole.admin":      {"administratör", "admin"},
		"userrole.staff":      {"stab", "staff"},
		"userrole.unit":       {"enhet", "unit"},
		"userrole.viewer":     {"läsare", "viewer"},
		// auth.Action in words, as a refusal says what may not be done
		"action.read_incidents":   {"läsa händelser", "read incidents"},
		"action.read_journal":     {"läsa stabsjournalen", "read the journal"},
		"action.write_incidents":  {"leda händelser och skriva i stabsjournalen", "write incidents"},
		"action.manage_users":     {"hantera konton", "manage users"},
		"action.acknowledge":      {"kvittera utskick", "acknowledge"},
		"action.manage_directory": {"ändra katalogen", "manage the directory"},
		"action.set_on_duty":      {"sätta jour för en enhet", "set who is on duty"},
		"action.export_directory": {"exportera katalogen", "export the directory"},
		"action.file_report":      {"lämna enhetsrapporter", "file reports"},
		"action.approve_picture":  {"godkänna lägesbilder", "approve pictures"},
		"action.manage_settings":  {"ändra inställningar", "manage settings"},
	})
}

// localizeForms puts the form error of a page's data (a field of type
// *formError) in lang, so that every page shows a service's refusal in its
// reader's language without each handler doing it.
func localizeForms(l Lang, data any) {
	v := reflect.ValueOf(data)
	if v.Kind() == reflect.Pointer {
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return
	}
	for i := range v.NumField() {
		if !v.Type().Field(i).IsExported() {
			continue
		}
		if fe, ok := v.Field(i).Interface().(*formError); ok && fe != nil && fe.err != nil {
			fe.Msg = errText(l, fe.err)
			if fe.Field == "" {
				fe.Msg = sentence(fe.Msg)
			}
		}
	}
}
