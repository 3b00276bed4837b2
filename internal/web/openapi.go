package web

import (
	"net/http"
	"reflect"
	"strconv"
	"strings"
)

// openapiDoc builds the OpenAPI 3.1 document from the route table, so the
// document and the routes served cannot drift apart.
func (s *Server) openapiDoc() map[string]any {
	g := schemaGen{schemas: map[string]any{}, types: map[string]reflect.Type{}}
	paths := map[string]any{}
	for _, rt := range apiRoutes(s) {
		content := map[string]any{contentType(rt): map[string]any{"schema": g.ref(rt.Response, false)}}
		if rt.AltContentType != "" {
			content[rt.AltContentType] = map[string]any{"schema": map[string]any{"type": "string"}}
		}
		responses := map[string]any{
			strconv.Itoa(rt.Status): map[string]any{"description": "Success", "content": content},
			"default":               map[string]any{"$ref": "#/components/responses/Error"},
		}
		for _, code := range errorStatuses(rt) {
			responses[strconv.Itoa(code)] = map[string]any{"$ref": "#/components/responses/" + errorResponses[code].name}
		}
		op := map[string]any{
			"summary":     rt.Summary,
			"operationId": operationID(rt),
			"responses":   responses,
		}
		if rt.Action == "" {
			op["security"] = []any{}
			op["description"] = "Needs no token."
		} else {
			op["description"] = "Requires the permission `" + string(rt.Action) + "`."
		}
		var params []any
		for _, seg := range strings.Split(rt.Path, "/") {
			if strings.HasPrefix(seg, "{") {
				name := strings.Trim(seg, "{}")
				params = append(params, map[string]any{"name": name, "in": "path", "required": true,
					"description": pathParamDoc(rt.Path, name), "schema": map[string]any{"type": "string"}})
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
				"content": map[string]any{bodyType: map[string]any{"schema": g.ref(rt.Body, true)}}}
		}
		item, _ := paths[rt.Path].(map[string]any)
		if item == nil {
			item = map[string]any{}
			paths[rt.Path] = item
		}
		item[strings.ToLower(rt.Method)] = op
	}
	responses := map[string]any{"Error": map[string]any{"description": "Error: the code, the field at fault and a message",
		"content": map[string]any{"application/json": map[string]any{"schema": g.ref(errorResponse{}, false)}}}}
	for _, e := range errorResponses {
		responses[e.name] = map[string]any{"description": e.doc,
			"content": map[string]any{"application/json": map[string]any{"schema": g.ref(errorResponse{}, false)}}}
	}
	return map[string]any{
		"openapi": "3.1.0",
		"info": map[string]any{"title": "Fyr API", "version": "1",
			"description": "Crisis management for a healthcare region: incidents, readiness levels and the staff journal. Times are RFC 3339; stored in UTC with milliseconds.",
			// The repository grants no licence; SPDX's LicenseRef- form says so
			// without naming an outside licence.
			"license": map[string]any{"name": "Proprietary: no licence is granted", "identifier": "LicenseRef-Proprietary"}},
		"servers": []any{map[string]any{"url": "/", "description": "The Fyr server that serves this document"}},
		"paths":   paths,
		"components": map[string]any{
			"schemas":   g.schemas,
			"responses": responses,
			"securitySchemes": map[string]any{"bearer": map[string]any{"type": "http", "scheme": "bearer",
				"description": "The token from POST /api/v1/login"}},
		},
		"security": []any{map[string]any{"bearer": []any{}}},
	}
}

// errorResponses are the error statuses an operation documents; every one
// has the one error shape.
var errorResponses = map[int]struct{ name, doc string }{
	400: {"Invalid", "Invalid input (code `invalid`): `field` names what is wrong and nothing was written"},
	401: {"Unauthorized", "No valid bearer token (code `unauthorized`)"},
	403: {"Forbidden", "The account's role does not allow this (code `forbidden`)"},
	404: {"NotFound", "The thing named in the path does not exist (code `not_found`)"},
	409: {"Conflict", "The request does not fit the current state (code `conflict`)"},
	413: {"TooLarge", "The body is over the route's limit (code `too_large`)"},
	415: {"Unsupported", "A body of a kind the route does not take (code `unsupported`)"},
	429: {"TooMany", "Too many attempts: wait and try again (code `too_many`)"},
	503: {"Unavailable", "Cannot be done now, e.g. the storage is full: nothing was saved (code `unavailable`)"},
}

// errorStatuses are the refusals a route can answer besides the generic
// default.
func errorStatuses(rt APIRoute) []int {
	codes := []int{400}
	if rt.Action != "" {
		codes = append(codes, 401, 403)
	} else {
		codes = append(codes, 401, 429)
	}
	if strings.Contains(rt.Path, "{") {
		codes = append(codes, 404)
	}
	if rt.Method != "GET" {
		codes = append(codes, 409, 413, 415, 503)
	}
	return codes
}

// pathParamDoc describes a path parameter by the collection it names.
func pathParamDoc(path, name string) string {
	switch {
	case name == "username":
		return "The account's username"
	case name == "shift":
		return "The on-duty shift's id"
	}
	segs := strings.Split(strings.TrimPrefix(path, "/api/v1/"), "/")
	singular := map[string]string{"incidents": "incident", "dispatches": "dispatch", "rounds": "round",
		"pictures": "picture", "reports": "report", "units": "unit"}
	for i, seg := range segs {
		if seg == "{"+name+"}" && i > 0 && singular[segs[i-1]] != "" {
			return "The " + singular[segs[i-1]] + "'s id (its `id` field)"
		}
	}
	return "An id"
}

func operationID(rt APIRoute) string {
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

func (s *Server) openapi(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Write(s.openapiJSON)
}

func contentType(rt APIRoute) string {
	if rt.ContentType != "" {
		return rt.ContentType
	}
	return "application/json"
}
