package web

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"time"

	"fyr/internal/auth"
	"fyr/internal/directory"
	"fyr/internal/dispatch"
	"fyr/internal/fail"
	"fyr/internal/incident"
	"fyr/internal/situation"
)

var (
	timeType = reflect.TypeOf(time.Time{})
	rawType  = reflect.TypeOf(json.RawMessage{})
)

// requestRequired lists, per request body type, the fields a client must
// send, in the order a person reads the form. decode refuses a body that
// lacks one ("is required", naming the field), and the OpenAPI document
// lists them, so the two cannot disagree. A type not listed requires
// nothing.
var requestRequired = map[reflect.Type][]string{
	reflect.TypeFor[auth.AddUser]():    {"username", "name", "role", "password"},
	reflect.TypeFor[auth.ChangeUser](): {"role"},
}

// enumTypes are the closed sets, taken from the domain packages' own lists
// so that the document follows them.
var enumTypes = map[reflect.Type][]string{
	reflect.TypeFor[incident.Level]():           strs(incident.Levels),
	reflect.TypeFor[incident.Kind]():            strs(incident.Kinds),
	reflect.TypeFor[auth.Role]():                strs(auth.Roles),
	reflect.TypeFor[dispatch.Kind]():            strs(dispatch.Kinds),
	reflect.TypeFor[situation.Status]():         strs(situation.Statuses),
	reflect.TypeFor[situation.OperatingState](): strs(situation.OperatingStates),
	reflect.TypeFor[situation.SystemState]():    strs(situation.SystemStates),
	reflect.TypeFor[directory.UnitType]():       strs(directory.UnitTypes),
	reflect.TypeFor[fail.Code]():                strs(fail.Codes),
	reflect.TypeFor[incident.TaskStatus]():      strs(incident.TaskStatuses),
}

// enumFields are plain string fields (or lists of them) whose values are a
// closed set, by Go type and JSON name.
var enumFields = map[string][]string{
	"dispatch.Create.channels":      dispatch.Channels,
	"situation.OpenRound.channels":  dispatch.Channels,
	"dispatch.Created.channels":     dispatch.Channels,
	"dispatch.Attempt.channel":      dispatch.Channels,
	"dispatch.ChannelCount.channel": dispatch.Channels,
	"dispatch.Audience.types":       strs(directory.UnitTypes),
}

func strs[T ~string](xs []T) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = string(x)
	}
	return out
}

// schemaGen builds JSON Schemas from Go types, registering named structs.
// A struct reachable from a request body gets a schema of its own (name
// + "Input") whose required fields are requestRequired's; in a response a
// field is required when it is always present (no omitempty).
type schemaGen struct {
	schemas map[string]any
	types   map[string]reflect.Type // the Go type of each schema name
}

func (g schemaGen) ref(v any, input bool) map[string]any {
	return g.of(reflect.TypeOf(v), input)
}

func (g schemaGen) of(t reflect.Type, input bool) map[string]any {
	if t.Kind() == reflect.Pointer {
		return g.of(t.Elem(), input)
	}
	if vals, ok := enumTypes[t]; ok {
		return map[string]any{"type": "string", "enum": vals}
	}
	switch {
	case t == timeType:
		return map[string]any{"type": "string", "format": "date-time"}
	case t == rawType:
		return map[string]any{"description": "Any JSON value"}
	case t == reflect.TypeFor[dispatch.Step]():
		return map[string]any{"type": "integer", "enum": []int{0, 1, 2, 3},
			"description": "0 first channel and contacts, 1 resent on the next channel, 2 the deputies, 3 the parent unit"}
	case t.Kind() == reflect.String:
		return map[string]any{"type": "string"}
	case t.Kind() == reflect.Bool:
		return map[string]any{"type": "boolean"}
	case t.Kind() >= reflect.Int && t.Kind() <= reflect.Uint64:
		return map[string]any{"type": "integer"}
	case t.Kind() == reflect.Float32 || t.Kind() == reflect.Float64:
		return map[string]any{"type": "number"}
	case t.Kind() == reflect.Slice:
		return map[string]any{"type": "array", "items": g.of(t.Elem(), input)}
	case t.Kind() == reflect.Map:
		return map[string]any{"type": "object", "additionalProperties": g.of(t.Elem(), input)}
	case t.Kind() == reflect.Struct:
		name := t.Name()
		if name == "" {
			return g.structSchema(t, input)
		}
		name = strings.ToUpper(name[:1]) + name[1:]
		if other, ok := g.types[name]; ok && other != t {
			// Two packages' types of one name (dispatch.UnitState and
			// situation.UnitState): the second is named by its package.
			pkg := t.PkgPath()[strings.LastIndex(t.PkgPath(), "/")+1:]
			name = strings.ToUpper(pkg[:1]) + pkg[1:] + name
		}
		g.types[name] = t
		if input {
			name += "Input"
		}
		if _, ok := g.schemas[name]; !ok {
			g.schemas[name] = map[string]any{} // placeholder against recursion
			g.schemas[name] = g.structSchema(t, input)
		}
		return map[string]any{"$ref": "#/components/schemas/" + name}
	}
	return map[string]any{}
}

func (g schemaGen) structSchema(t reflect.Type, input bool) map[string]any {
	props := map[string]any{}
	var required []string
	var addFields func(t reflect.Type)
	addFields = func(t reflect.Type) {
		for i := range t.NumField() {
			f := t.Field(i)
			tag := f.Tag.Get("json")
			if f.Anonymous && tag == "" {
				addFields(f.Type)
				continue
			}
			name, opts, _ := strings.Cut(tag, ",")
			if !f.IsExported() || name == "-" {
				continue
			}
			if name == "" {
				name = f.Name
			}
			s := g.of(f.Type, input)
			key := t.String() + "." + name
			if vals, ok := enumFields[key]; ok {
				if s["type"] == "array" {
					s = map[string]any{"type": "array", "items": map[string]any{"type": "string", "enum": vals}}
				} else {
					s = map[string]any{"type": "string", "enum": vals}
				}
			}
			if doc := fieldDoc(g.nameOf(t), name); doc != "" {
				if _, isRef := s["$ref"]; isRef {
					s = map[string]any{"allOf": []any{s}, "description": doc}
				} else {
					s["description"] = doc
				}
			}
			props[name] = s
			if !input && !strings.Contains(opts, "omitempty") && !strings.Contains(opts, "omitzero") {
				required = append(required, name)
			}
		}
	}
	addFields(t)
	if input {
		required = requestRequired[t]
	}
	schema := map[string]any{"type": "object", "properties": props}
	if len(required) > 0 {
		schema["required"] = slices.Clone(required)
	}
	return schema
}

// nameOf is the schema name given to t (without "Input").
func (g schemaGen) nameOf(t reflect.Type) string {
	for name, u := range g.types {
		if u == t {
			return name
		}
	}
	return t.Name()
}
