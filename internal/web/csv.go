package web

import (
	"bytes"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"fyr/internal/auth"
	"fyr/internal/fail"
)

// csvOr answers CSV to a client that prefers text/csv to JSON in its
// Accept header (the directory's lists answered CSV before they answered
// JSON), and JSON otherwise.
func csvOr(csv, json PageHandler) PageHandler {
	return func(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
		w.Header().Add("Vary", "Accept")
		if prefersCSV(r.Header.Get("Accept")) {
			return csv(w, r, p)
		}
		return json(w, r, p)
	}
}

// prefersCSV reads an Accept header: text/csv with a higher quality than
// application/json (wildcards count for neither).
func prefersCSV(accept string) bool {
	q := map[string]float64{}
	for _, part := range strings.Split(accept, ",") {
		mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		v := 1.0
		if s, ok := params["q"]; ok {
			if f, err := strconv.ParseFloat(s, 64); err == nil {
				v = f
			}
		}
		q[mt] = max(q[mt], v)
	}
	return q["text/csv"] > q["application/json"]
}

func csvSep(r *http.Request) (rune, error) {
	switch r.URL.Query().Get("sep") {
	case "", ",", "comma":
		return ',', nil
	case ";", "semicolon":
		return ';', nil
	}
	return 0, fail.Field("sep", "must be , or ;")
}

func (s *Server) sendCSV(w http.ResponseWriter, name string, write func(io.Writer) error) error {
	var buf bytes.Buffer
	if err := write(&buf); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s-%s-%s.csv"`, name, s.svc.Org, s.core.Now().In(Stockholm).Format("20060102")))
	w.Header().Set("Cache-Control", "no-store")
	w.Write(buf.Bytes())
	return nil
}

// ReadCSVBody reads an import file sent to the API as text/csv (UTF-8) of
// at most max bytes, naming Content-Type or body when it cannot.
func ReadCSVBody(r *http.Request, max int) ([]byte, error) {
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "text/csv" {
		return nil, fail.Field("Content-Type", "must be text/csv")
	}
	if cs := strings.ToLower(params["charset"]); cs != "" && cs != "utf-8" && cs != "utf8" {
		return nil, fail.Field("Content-Type", "charset %s is not UTF-8; export as 'CSV UTF-8'", cs)
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, int64(max)+1))
	if err := BodyTooLarge(r); err != nil {
		return nil, err
	}
	if len(body) > max {
		return nil, TooLarge(int64(max))
	}
	if err != nil {
		return nil, fail.Field("body", "could not be read: %v", err)
	}
	return body, nil
}
