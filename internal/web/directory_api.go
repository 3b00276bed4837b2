package web

import (
	"bytes"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"fyr/internal/auth"
	"fyr/internal/directory"
	"fyr/internal/fail"
)

type (
	reachResponse struct {
		Unit     directory.Unit      `json:"unit"`
		At       time.Time           `json:"at"`
		Contacts []directory.Contact `json:"contacts"`
		Shifts   []directory.Shift   `json:"shifts"`
	}
	onDutyRequest struct {
		Person string `json:"person"`
		From   string `json:"from"` // RFC 3339, or Swedish local time 2026-11-23T19:00
		To     string `json:"to"`
	}
	shiftList struct {
		Shifts []directory.Shift `json:"shifts"`
	}
	unitList struct {
		Units []directory.Unit `json:"units"`
	}
	personList struct {
		People []directory.Person `json:"people"`
	}
)

var sepQuery = []QueryParam{{"sep", "Cell separator: `,` (default) or `;` (Swedish Excel)"}}

const csvColumnsDoc = "Columns (first line, any order): "

func (s *Server) directoryAPIRoutes() []APIRoute {
	return []APIRoute{
		{Method: "GET", Path: "/api/v1/directory/units", Summary: "Every unit, parents before their children, as JSON (with `Accept: text/csv`: the CSV of /api/v1/directory/units.csv)",
			Action: auth.ExportDirectory, Response: unitList{}, AltContentType: "text/csv", Status: 200, Query: sepQuery,
			Handle: s.csvOr(s.apiExportUnits, func(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
				units, err := s.svc.Directory.ExportUnits(&p)
				if err == nil {
					writeJSON(w, 200, unitList{append([]directory.Unit{}, units...)})
				}
				return err
			})},
		{Method: "GET", Path: "/api/v1/directory/units.csv", Summary: "Export every unit as CSV (the import format; UTF-8 with BOM). " +
			csvColumnsDoc + strings.Join(directory.UnitColumns, ",") + "; deputies are person ids separated by |",
			Action: auth.ExportDirectory, ContentType: "text/csv", Response: "", Status: 200, Query: sepQuery, Handle: s.apiExportUnits},
		{Method: "POST", Path: "/api/v1/directory/units", Summary: "Import units from CSV, all or nothing: a row with a new id adds, a known id replaces. " +
			csvColumnsDoc + strings.Join(directory.UnitColumns, ",") + ". Type: region, hospital, clinic, ward, municipality or partner; " +
			"primary and deputies (separated by |) are person ids; phones are turned into E.164. ',' or ';' separated, UTF-8. " +
			"An error lists every bad row (problems: line, field, message) and nothing is written",
			Action: auth.ManageDirectory, BodyType: "text/csv", Body: "", Response: directory.ImportSummary{}, Status: 200, Handle: s.apiImport(directory.ParseUnits)},
		{Method: "GET", Path: "/api/v1/directory/people", Summary: "Every person, as JSON (with `Accept: text/csv`: the CSV of /api/v1/directory/people.csv)",
			Action: auth.ExportDirectory, Response: personList{}, AltContentType: "text/csv", Status: 200, Query: sepQuery,
			Handle: s.csvOr(s.apiExportPeople, func(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
				people, err := s.svc.Directory.ExportPeople(&p)
				if err == nil {
					writeJSON(w, 200, personList{append([]directory.Person{}, people...)})
				}
				return err
			})},
		{Method: "GET", Path: "/api/v1/directory/people.csv", Summary: "Export every person as CSV (the import format). " +
			csvColumnsDoc + strings.Join(directory.PersonColumns, ","),
			Action: auth.ExportDirectory, ContentType: "text/csv", Response: "", Status: 200, Query: sepQuery, Handle: s.apiExportPeople},
		{Method: "POST", Path: "/api/v1/directory/people", Summary: "Import people from CSV, all or nothing (see units). " +
			csvColumnsDoc + strings.Join(directory.PersonColumns, ",") + "; unit is a unit id",
			Action: auth.ManageDirectory, BodyType: "text/csv", Body: "", Response: directory.ImportSummary{}, Status: 200, Handle: s.apiImport(directory.ParsePeople)},
		{Method: "GET", Path: "/api/v1/directory/units/{id}/reach", Summary: "Who answers for a unit, in escalation order: on duty, primary, deputies, the unit's own phone and e-mail",
			Action: auth.ReadIncidents, Response: reachResponse{}, Status: 200, Handle: s.apiReach,
			Query: []QueryParam{{"at", "Point in time (RFC 3339; default now)"}}},
		{Method: "POST", Path: "/api/v1/directory/units/{id}/contacts", Summary: "Set a unit's own phone and e-mail, its primary contact and ordered deputies (all four are replaced)",
			Action: auth.ManageDirectory, Body: directory.SetContacts{}, Response: directory.Unit{}, Status: 200, Handle: jsonCommand(200, func(c *directory.SetContacts, r *http.Request) { c.Unit = r.PathValue("id") }, byRef(s.svc.Directory.SetContacts), nil)},
		{Method: "POST", Path: "/api/v1/directory/units/{id}/on-duty", Summary: "Put a person on duty for a unit for a shift: they answer first while it lasts",
			Action: auth.SetOnDuty, Body: onDutyRequest{}, Response: directory.Shift{}, Status: 201, Handle: s.apiSetOnDuty},
		{Method: "DELETE", Path: "/api/v1/directory/units/{id}/on-duty/{shift}", Summary: "Remove an on-duty shift; returns the unit's remaining shifts",
			Action: auth.SetOnDuty, Response: shiftList{}, Status: 200, Handle: s.apiClearOnDuty},
	}
}

// readCSVBody reads an import file sent as text/csv.
func readCSVBody(r *http.Request) ([]byte, error) {
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "text/csv" {
		return nil, &fail.Error{Code: fail.Invalid, Field: "Content-Type", Message: "must be text/csv"}
	}
	if cs := strings.ToLower(params["charset"]); cs != "" && cs != "utf-8" && cs != "utf8" {
		return nil, fail.Field("Content-Type", "charset %s is not UTF-8; export as 'CSV UTF-8'", cs)
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, directory.MaxFileBytes+1))
	if err := bodyTooLarge(r); err != nil {
		return nil, err
	}
	if len(body) > directory.MaxFileBytes {
		return nil, tooLarge(directory.MaxFileBytes)
	}
	if err != nil {
		return nil, fail.Field("body", "could not be read: %v", err)
	}
	return body, nil
}

func (s *Server) apiImport(parse func([]byte) (directory.Import, error)) func(http.ResponseWriter, *http.Request, auth.Principal) error {
	return func(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
		body, err := readCSVBody(r)
		if err != nil {
			return err
		}
		imp, err := parse(body)
		if err != nil {
			return err
		}
		sum, err := s.svc.Directory.ImportDirectory(r.Context(), &p, imp)
		if err != nil {
			return err
		}
		writeJSON(w, 200, sum)
		return nil
	}
}

// csvOr answers CSV to a client that prefers text/csv to JSON in its
// Accept header (the directory's lists answered CSV before they answered
// JSON), and JSON otherwise.
func (s *Server) csvOr(csv, json func(http.ResponseWriter, *http.Request, auth.Principal) error) func(http.ResponseWriter, *http.Request, auth.Principal) error {
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
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s-%s-%s.csv"`, name, s.svc.Org, s.svc.Now().In(Stockholm).Format("20060102")))
	w.Header().Set("Cache-Control", "no-store")
	w.Write(buf.Bytes())
	return nil
}

func (s *Server) apiExportUnits(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	sep, err := csvSep(r)
	if err != nil {
		return err
	}
	units, err := s.svc.Directory.ExportUnits(&p)
	if err != nil {
		return err
	}
	return s.sendCSV(w, "enheter", func(w io.Writer) error { return directory.WriteUnitsCSV(w, units, sep) })
}

func (s *Server) apiExportPeople(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	sep, err := csvSep(r)
	if err != nil {
		return err
	}
	people, err := s.svc.Directory.ExportPeople(&p)
	if err != nil {
		return err
	}
	return s.sendCSV(w, "personer", func(w io.Writer) error { return directory.WritePeopleCSV(w, people, sep) })
}

func (s *Server) apiReach(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	at, err := parseTime("at", r.URL.Query().Get("at"))
	if err != nil {
		return err
	}
	if at.IsZero() {
		at = s.svc.Now()
	}
	id := r.PathValue("id")
	u, ok := s.svc.P.Units.Unit(id)
	if !ok {
		return fail.New(fail.NotFound, "no unit %q", id)
	}
	contacts, err := s.svc.Directory.Reach(p, id, at)
	if err != nil {
		return err
	}
	if s.svc.Directory.ContactAccess(p, id) != directory.ContactFull {
		u.Phone, u.Email, u.Webhook = "", "", "" // names only
	}
	resp := reachResponse{Unit: u, At: at.UTC(), Contacts: contacts, Shifts: s.svc.P.Units.Shifts(id, at)}
	if resp.Contacts == nil {
		resp.Contacts = []directory.Contact{}
	}
	if resp.Shifts == nil {
		resp.Shifts = []directory.Shift{}
	}
	writeJSON(w, 200, resp)
	return nil
}

func (s *Server) apiSetOnDuty(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	var req onDutyRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	cmd, err := onDutyCommand(r.PathValue("id"), req.Person, req.From, req.To)
	if err != nil {
		return err
	}
	shift, err := s.svc.Directory.SetOnDuty(r.Context(), &p, cmd)
	if err != nil {
		return err
	}
	writeJSON(w, 201, shift)
	return nil
}

func onDutyCommand(unit, person, from, to string) (directory.SetOnDuty, error) {
	cmd := directory.SetOnDuty{Unit: unit, Person: person}
	var err error
	if cmd.From, err = parseTime("from", from); err != nil {
		return cmd, err
	}
	if cmd.To, err = parseTime("to", to); err != nil {
		return cmd, err
	}
	return cmd, nil
}

func (s *Server) apiClearOnDuty(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	unit := r.PathValue("id")
	if err := s.svc.Directory.ClearOnDuty(r.Context(), &p, directory.ClearOnDuty{Unit: unit, Shift: r.PathValue("shift")}); err != nil {
		return err
	}
	shifts := s.svc.P.Units.Shifts(unit, s.svc.Now())
	if shifts == nil {
		shifts = []directory.Shift{}
	}
	writeJSON(w, 200, shiftList{shifts})
	return nil
}
