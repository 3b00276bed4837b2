package web

import (
	"net/url"
	"slices"

	"fyr/internal/dispatch"
)

// The audience part of a form, shared by the dispatch form and the modules
// that send a dispatch (a reporting round, a published picture).

// audienceOf reads an audience from a form with the dispatch form's field
// names (all, subtrees, types, units, functions).
func audienceOf(f url.Values) dispatch.Audience {
	return dispatch.Audience{All: f.Get("all") == "on", Subtrees: f["subtrees"], Types: f["types"], Units: f["units"],
		Functions: f["functions"]}
}

// option is one choice of a select or a set of checkboxes, marked when the
// form holds it.
type option struct {
	Value, Label string
	Key          string // a message key for the label, when it is translated
	On           bool
}

func options(values []string, labels func(string) string, chosen []string) []option {
	out := make([]option, 0, len(values))
	for _, v := range values {
		o := option{Value: v, On: slices.Contains(chosen, v)}
		if labels != nil {
			o.Label = labels(v)
		}
		out = append(out, o)
	}
	return out
}

// audienceView is the audience part of a form, as the dispatch form has it.
type audienceView struct {
	Lang      Lang
	All       bool
	Hospitals []option
	Types     []option
	Functions []option
	Units     []option
}

func (s *Server) audienceView(lang Lang, f url.Values) audienceView {
	units := s.svc.Directory.Units()
	var types []string
	for _, u := range units {
		if !slices.Contains(types, string(u.Type)) {
			types = append(types, string(u.Type))
		}
	}
	unitIDs := make([]string, len(units))
	for i, u := range units {
		unitIDs[i] = u.ID
	}
	var hospitals []string
	for _, h := range s.svc.Directory.Hospitals() {
		hospitals = append(hospitals, h.ID)
	}
	v := audienceView{Lang: lang, All: f.Get("all") == "on",
		Hospitals: options(hospitals, s.svc.Directory.UnitName, f["subtrees"]),
		Types:     options(types, nil, f["types"]),
		Functions: options(s.svc.Directory.Functions(), func(x string) string { return x }, f["functions"]),
		Units:     options(unitIDs, s.svc.Directory.UnitName, f["units"])}
	for i := range v.Types {
		v.Types[i].Key = "unit." + v.Types[i].Value
	}
	return v
}

// The words of an audience (who a dispatch or a round goes to), shared by
// the pages of dispatches, rounds and pictures that show AudienceView.
func init() {
	addMessages(map[string][2]string{
		"dispatch.all":         {"Alla enheter", "All units"},
		"dispatch.coverage":    {"Kvitterat", "Acknowledged"},
		"dispatch.functions":   {"Enheter där någon har funktionen", "Units where someone holds the function"},
		"dispatch.of":          {"av", "of"},
		"dispatch.subtrees":    {"Sjukhus med alla underliggande enheter", "Hospitals with every unit below them"},
		"dispatch.types":       {"Alla enheter av typen", "Every unit of the type"},
		"dispatch.units":       {"Enskilda enheter", "Named units"},
		"dispatch.units.count": {"enheter", "units"},
		"dispatch.audience":    {"Mottagare", "Audience"},
		"dispatch.title":       {"Rubrik", "Title"},
	})
}
