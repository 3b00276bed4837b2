package web

import (
	"net/http/httptest"
	"strings"
	"testing"

	"fyr/internal/fail"
	"fyr/internal/incident"
)

// Every body either decodes or fails with an Invalid error that names a field.
func FuzzDecodeRecord(f *testing.F) {
	for _, s := range []string{`{"kind":"info_in","text":"x"}`, `{"occurred_at":"nope"}`, `{"task":{"deadline":1}}`, `[`, ``, `{"a":1}{}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		r := httptest.NewRequest("POST", "/", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		var cmd incident.Record
		err := decode(r, &cmd)
		if err == nil {
			return
		}
		fe := fail.As(err)
		if fe.Code != fail.Invalid || fe.Field == "" || fe.Message == "" {
			t.Fatalf("body %q: error %+v does not name a field", body, fe)
		}
	})
}

func FuzzParseTime(f *testing.F) {
	for _, s := range []string{"2026-11-23T08:03", "2026-11-23T08:03:00+01:00", "igår", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		_, err := parseTime("at", s)
		if err != nil && fail.As(err).Field != "at" {
			t.Fatalf("%q: error does not name the field", s)
		}
	})
}
