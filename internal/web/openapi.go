package web

import (
	"encoding/json"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"time"
)

// openapiDoc builds the OpenAPI 3.1 document from the route table, so the
// document and the routes served cannot drift apart.
func (s *Server) openapiDoc() map[string]any {
	schemas := map[string]any{}
	paths := map[string]any{}
	for _, rt := range apiRoutes(s) {
		op := map[string]any{
			"summary":     rt.Summary,
			"operationId": operationID(rt),
			"responses": map[string]any{
				strconv.Itoa(rt.Status): map[string]any{"description": "Success",
					"content": map[string]any{contentType(rt): map[string]any{"schema": schemaRef(rt.Response, schemas)}}},
				"default": map[string]any{"description": "Error: the code, the field at fault and a message",
					"content": map[string]any{"application/json": map[string]any{"schema": schemaRef(errorResponse{}, schemas)}}},
			},
		}
		if rt.Action == "" {
			op["security"] = []any{}
		} else {
			op["description"] = "Requires the permission `" + string(rt.Action) + "`."
		}
		var params []any
		for _, seg := range strings.Split(rt.Path, "/") {
			if strings.HasPrefix(seg, "{") {
				params = append(params, map[string]any{"name": strings.Trim(seg, "{}"), "in": "path", "required": true,
					"schema": map[string]any{"type": "string"}})
			}
		}
		for _, q := range rt.Query {
			params = append(params, map[string]any{"name": q.Name, "in": "query", "description": q.Description,
				"schema": map[string]any{"type": "string"}})
		}
		if params != nil {
			op["parameters"] = params
		}
		if rt.Body != nil {
			bodyType := "application/json"
			if rt.BodyType != "" {
				bodyType = rt.BodyType
			}
			op["requestBody"] = map[string]any{"required": true,
				"content": map[string]any{bodyType: map[string]any{"schema": schemaRef(rt.Body, schemas)}}}
		}
		item, _ := paths[rt.Path].(map[string]any)
		if item == nil {
			item = map[string]any{}
			paths[rt.Path] = item
		}
		item[strings.ToLower(rt.Method)] = op
	}
	return map[string]any{
		"openapi": "3.1.0",
		"info": map[string]any{"title": "Fyr API", "version": "1",
			"description": "Crisis management for a healthcare region: incidents, readiness levels and the staff journal. Times are RFC 3339; stored in UTC with milliseconds."},
		"paths": paths,
		"components": map[string]any{
			"schemas": schemas,
			"securitySchemes": map[string]any{"bearer": map[string]any{"type": "http", "scheme": "bearer",
				"description": "The token from POST /api/v1/login"}},
		},
		"security": []any{map[string]any{"bearer": []any{}}},
	}
}

func operationID(rt apiRoute) string {
	var b strings.Builder
	b.WriteString(strings.ToLower(rt.Method))
	for _, seg := range strings.Split(strings.TrimPrefix(rt.Path, "/api/v1/"), "/") {
		seg = strings.Trim(seg, "{}")
		if seg != "" {
			b.WriteString(strings.ToUpper(seg[:1]) + seg[1:])
		}
	}
	return b.String()
}

var (
	timeType = reflect.TypeOf(time.Time{})
	rawType  = reflect.TypeOf(json.RawMessage{})
)

// schemaRef returns a JSON Schema for v's type, registering named structs
// in schemas.
func schemaRef(v any, schemas map[string]any) map[string]any {
	return schemaOf(reflect.TypeOf(v), schemas)
}

func schemaOf(t reflect.Type, schemas map[string]any) map[string]any {
	if t.Kind() == reflect.Pointer {
		return schemaOf(t.Elem(), schemas)
	}
	switch {
	case t == timeType:
		return map[string]any{"type": "string", "format": "date-time"}
	case t == rawType:
		return map[string]any{"description": "any JSON value"}
	case t.Kind() == reflect.String:
		return map[string]any{"type": "string"}
	case t.Kind() == reflect.Bool:
		return map[string]any{"type": "boolean"}
	case t.Kind() >= reflect.Int && t.Kind() <= reflect.Uint64:
		return map[string]any{"type": "integer"}
	case t.Kind() == reflect.Slice:
		return map[string]any{"type": "array", "items": schemaOf(t.Elem(), schemas)}
	case t.Kind() == reflect.Struct:
		name := t.Name()
		if name == "" {
			return structSchema(t, schemas)
		}
		name = strings.ToUpper(name[:1]) + name[1:]
		if _, ok := schemas[name]; !ok {
			schemas[name] = map[string]any{} // placeholder against recursion
			schemas[name] = structSchema(t, schemas)
		}
		return map[string]any{"$ref": "#/components/schemas/" + name}
	}
	return map[string]any{}
}

func structSchema(t reflect.Type, schemas map[string]any) map[string]any {
	props := map[string]any{}
	var addFields func(t reflect.Type)
	addFields = func(t reflect.Type) {
		for i := range t.NumField() {
			f := t.Field(i)
			tag := f.Tag.Get("json")
			if f.Anonymous && tag == "" {
				addFields(f.Type)
				continue
			}
			name, _, _ := strings.Cut(tag, ",")
			if !f.IsExported() || name == "-" {
				continue
			}
			if name == "" {
				name = f.Name
			}
			props[name] = schemaOf(f.Type, schemas)
		}
	}
	addFields(t)
	return map[string]any{"type": "object", "properties": props}
}

func (s *Server) openapi(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Write(s.openapiJSON)
}

func contentType(rt apiRoute) string {
	if rt.ContentType != "" {
		return rt.ContentType
	}
	return "application/json"
}
