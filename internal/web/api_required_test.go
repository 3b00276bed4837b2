package web_test

import (
	"encoding/json"
	"net/http"
	"sort"
	"strings"
	"testing"
	"time"

	"fyr/internal/auth"
	"fyr/internal/fyrtest"
)

type openapiDoc struct {
	Paths map[string]map[string]struct {
		RequestBody struct {
			Content map[string]struct {
				Schema struct {
					Ref string `json:"$ref"`
				} `json:"schema"`
			} `json:"content"`
		} `json:"requestBody"`
	} `json:"paths"`
	Components struct {
		Schemas map[string]struct {
			Required []string `json:"required"`
		} `json:"schemas"`
	} `json:"components"`
}

// Every write route, for each field its documented request schema
// requires: the body without that field answers 400 naming the field with
// "is required" (not a later check's message) and writes nothing.
func TestAPIMissingRequiredFieldSaysIsRequired(t *testing.T) {
	env := fyrtest.Start(t)
	admin := env.Token(auth.Admin)
	var doc openapiDoc
	if code := env.Do("", "GET", "/api/v1/openapi.json", nil, &doc); code != 200 {
		t.Fatalf("openapi.json: %d", code)
	}
	cases := routeCases()
	var routes []string
	for path, ops := range doc.Paths {
		for method := range ops {
			routes = append(routes, strings.ToUpper(method)+" "+path)
		}
	}
	sort.Strings(routes)
	checked := map[string]bool{}
	for _, rt := range routes {
		method, path, _ := strings.Cut(rt, " ")
		ref := doc.Paths[path][strings.ToLower(method)].RequestBody.Content["application/json"].Schema.Ref
		if ref == "" {
			continue
		}
		required := doc.Components.Schemas[strings.TrimPrefix(ref, "#/components/schemas/")].Required
		for _, field := range required {
			t.Run(rt+" without "+field, func(t *testing.T) {
				c, ok := cases[rt]
				if !ok {
					t.Fatalf("no valid request for %s in routeCases", rt)
				}
				url, body := c.request(t, env, admin)
				var m map[string]any
				b, _ := json.Marshal(body)
				if err := json.Unmarshal(b, &m); err != nil {
					t.Fatal(err)
				}
				if _, ok := m[field]; !ok {
					t.Fatalf("the valid request of %s lacks the required %s", rt, field)
				}
				delete(m, field)
				b, _ = json.Marshal(m)
				before := env.Svc.Seq()
				code, e := rawRequest(t, env, admin, method, url, "application/json", string(b))
				if code != 400 || e.Error.Field != field || e.Error.Message != "is required" {
					t.Fatalf("status %d field %q message %q; want 400 naming %q: is required", code, e.Error.Field, e.Error.Message, field)
				}
				if after := env.Svc.Seq(); after != before {
					t.Fatalf("refused request wrote %d events", after-before)
				}
			})
			checked[rt+" "+field] = true
		}
	}
	// The routes and fields a client meets most must be among them.
	for _, want := range []string{
		"POST /api/v1/incidents/{id}/dispatches deadline", "POST /api/v1/incidents/{id}/dispatches audience",
		"POST /api/v1/incidents title", "POST /api/v1/incidents/{id}/levels level", "POST /api/v1/incidents/{id}/journal text",
		"POST /api/v1/incidents/{id}/rounds deadline", "POST /api/v1/users password", "POST /api/v1/directory/units/{id}/on-duty from",
		"POST /api/v1/settings/four-eyes enabled", "POST /api/v1/login username",
	} {
		if !checked[want] {
			t.Errorf("%s is not documented as required", want)
		}
	}

	// A nested object's field, and the message in Swedish.
	id := openIncident(t, env, admin)
	body := `{"kind":"message","title":"t","audience":{"all":true},"question":{"text":"Klarar ni?"},"deadline":"` +
		time.Now().Add(time.Hour).UTC().Format(time.RFC3339) + `"}`
	req, _ := http.NewRequest("POST", env.URL+"/api/v1/incidents/"+id+"/dispatches", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+admin)
	req.Header.Set("Accept-Language", "sv")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var e fyrtest.APIError
	json.NewDecoder(resp.Body).Decode(&e)
	if resp.StatusCode != 400 || e.Error.Field != "question.answers" || e.Error.Message != "måste fyllas i" {
		t.Fatalf("question without answers: status %d field %q message %q; want 400 question.answers: måste fyllas i", resp.StatusCode, e.Error.Field, e.Error.Message)
	}
}
