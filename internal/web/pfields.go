package web

import (
	"cmp"
	"fmt"
	"strings"

	"fyr/internal/incident"
	"fyr/internal/situation"
)

// localFields is situation.Fields in lang: the headings, and the parts of
// the values Fyr writes itself (a scope's level, a measure's owner and
// deadline). What people wrote stays as they wrote it.
func (s *Server) localFields(l Lang, c situation.Content) []situation.Field {
	fields := situation.Fields(c, s.svc.Directory.UnitName)
	for i := range fields {
		f := &fields[i]
		f.Label = fieldLabel(l, f.Key, f.Label)
		switch f.Key {
		case "levels":
			var lines []string
			for _, lv := range c.Levels {
				name := cmp.Or(lv.Name, lv.Scope)
				if lv.Scope == incident.RegionScope {
					name = T(l, "scope.region")
				}
				lines = append(lines, fmt.Sprintf("%s: %s", name, midSentence(T(l, "level."+string(lv.Level)))))
			}
			f.Value = strings.Join(lines, "\n")
		case "direction":
			var lines []string
			for _, m := range c.Direction {
				line := fmt.Sprintf("%s (%s: %s", m.What, T(l, "pfield.owner"), m.Owner)
				if !m.Deadline.IsZero() {
					line += ", " + T(l, "pfield.by") + " " + m.Deadline.In(Stockholm).Format("2006-01-02 15:04")
				}
				lines = append(lines, line+")")
			}
			f.Value = strings.Join(lines, "\n")
		}
	}
	return fields
}

// fieldLabel is a picture field's heading in lang: the English one from
// the catalogue (picture.f.<key>), the Swedish one as situation names it.
func fieldLabel(lang Lang, key, fallback string) string {
	if _, ok := messages["picture.f."+key]; ok && lang == English {
		return T(lang, "picture.f."+key)
	}
	return fallback
}

func init() {
	addMessages(map[string][2]string{
		"pfield.owner": {"ansvarig", "owner"},
		"pfield.by":    {"senast", "by"},
	})
}
