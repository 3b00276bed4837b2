package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"fyr/internal/auth"
	"fyr/internal/directory"
	"fyr/internal/fyrtest"
	"fyr/internal/web"
)

func csvBody(s string) fyrtest.Raw { return fyrtest.Raw{ContentType: "text/csv", Body: []byte(s)} }

const (
	unitsCSVHeader  = "id,name,type,parent,phone,email,primary,deputies\n"
	peopleCSVHeader = "id,name,unit,function,mobile,email\n"
)

// directoryRouteCases are the directory's routes in the authorisation
// matrix. Importing and setting contacts is the admin's; putting someone on
// duty and exporting contact details in bulk is the staff's too; who
// answers for a unit every role may read.
func directoryRouteCases() map[string]routeCase {
	units := []auth.Role{auth.Admin, auth.Staff, auth.Unit}
	staff := []auth.Role{auth.Admin, auth.Staff}
	admins := []auth.Role{auth.Admin}
	path := func(p string, body any) func(*testing.T, *fyrtest.Env, string) (string, any) {
		return func(*testing.T, *fyrtest.Env, string) (string, any) { return p, body }
	}
	return map[string]routeCase{
		"GET /api/v1/directory/units":      {staff, 200, path("/api/v1/directory/units", nil)},
		"GET /api/v1/directory/people":     {staff, 200, path("/api/v1/directory/people", nil)},
		"GET /api/v1/directory/units.csv":  {staff, 200, path("/api/v1/directory/units.csv", nil)},
		"GET /api/v1/directory/people.csv": {staff, 200, path("/api/v1/directory/people.csv", nil)},
		"POST /api/v1/directory/units": {admins, 200, path("/api/v1/directory/units",
			csvBody(unitsCSVHeader+"avd2,Avdelning 2,ward,sjukhus,070-174 06 06,avd2@test.example,p1,\n"))},
		"POST /api/v1/directory/people": {admins, 200, path("/api/v1/directory/people",
			csvBody(peopleCSVHeader+"p2,Per Test,avd1,Sjuksköterska,070-174 06 07,per@test.example\n"))},
		"GET /api/v1/directory/units/{id}/reach": {units, 200, path("/api/v1/directory/units/avd1/reach", nil)},
		"POST /api/v1/directory/units/{id}/contacts": {admins, 200, path("/api/v1/directory/units/avd1/contacts",
			map[string]any{"phone": "08-123 456 78", "primary": "p1"})},
		"POST /api/v1/directory/units/{id}/on-duty": {staff, 201, path("/api/v1/directory/units/avd1/on-duty",
			map[string]any{"person": "p1", "from": time.Now().Add(-time.Hour).Format(time.RFC3339), "to": time.Now().Add(8 * time.Hour).Format(time.RFC3339)})},
		"DELETE /api/v1/directory/units/{id}/on-duty/{shift}": {staff, 200, func(t *testing.T, env *fyrtest.Env, _ string) (string, any) {
			sh, err := env.Svc.Directory.SetOnDuty(context.Background(), nil, directory.SetOnDuty{Unit: "avd1", Person: "p1",
				From: time.Now(), To: time.Now().Add(time.Hour)})
			if err != nil {
				t.Fatal(err)
			}
			return "/api/v1/directory/units/avd1/on-duty/" + sh.ID, nil
		}},
	}
}

// rawDo sends a request and returns the status, the headers and the body.
func rawDo(t *testing.T, env *fyrtest.Env, token, method, path, ctype, body string) (int, http.Header, []byte) {
	t.Helper()
	req, _ := http.NewRequest(method, env.URL+path, strings.NewReader(body))
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, b
}

type importError struct {
	Error struct {
		Code, Field, Message string
		Problems             []struct {
			File, Field, Message string
			Line                 int
		}
	}
}

// A bad file answers 400 listing every bad row, and writes nothing.
func TestAPIImportBadFilesWriteNothing(t *testing.T) {
	t.Parallel()
	env := fyrtest.Start(t)
	admin := env.Token(auth.Admin)
	for name, c := range map[string]struct {
		path, ctype, body string
		field             string
		problems          []string // line:field
	}{
		"bad rows": {"units", "text/csv", unitsCSVHeader +
			"avd2,Avdelning 2,ward,sjukhus,,,,\n" +
			"avd2,Avdelning 2 igen,ward,sjukhus,,,,\n" +
			"avd3,Avdelning 3,ward,nowhere,,,,\n" +
			"avd4,Avdelning 4,ward,sjukhus,070-12,,,\n" +
			"avd5,Avdelning 5,ward,sjukhus,,avd5@,,\n" +
			"sjukhus,Testsjukhuset,hospital,avd1,,,,\n", "file",
			[]string{"3:id", "4:parent", "5:phone", "6:email", "7:parent"}},
		"unknown person":  {"units", "text/csv; charset=utf-8", unitsCSVHeader + "avd1,Avdelning 1,ward,sjukhus,,,p1,p9\n", "file", []string{"2:deputies"}},
		"people":          {"people", "text/csv", peopleCSVHeader + "p2,Per,nowhere,,,\np3,,avd1,,0701740605,\n", "file", []string{"2:unit", "3:name"}},
		"latin-1":         {"units", "text/csv", unitsCSVHeader + "avd2,Avdelning \xe5,ward,sjukhus,,,,\n", "file", []string{"2:file"}},
		"wrong header":    {"people", "text/csv", "id,namn,enhet\n", "file", []string{"1:header", "1:header", "1:header", "1:header", "1:header", "1:header", "1:header"}},
		"not CSV":         {"units", "application/json", `{"id":"x"}`, "Content-Type", nil},
		"latin-1 charset": {"units", "text/csv; charset=iso-8859-1", unitsCSVHeader, "Content-Type", nil},
		"empty":           {"units", "text/csv", "", "file", []string{"0:file"}},
	} {
		t.Run(name, func(t *testing.T) {
			before := env.Svc.Seq()
			code, _, body := rawDo(t, env, admin, "POST", "/api/v1/directory/"+c.path, c.ctype, c.body)
			var e importError
			json.Unmarshal(body, &e)
			var got []string
			for _, p := range e.Error.Problems {
				got = append(got, fmt.Sprintf("%d:%s", p.Line, p.Field))
				if p.Message == "" {
					t.Errorf("problem without a message: %+v", p)
				}
			}
			if code != 400 || e.Error.Field != c.field || e.Error.Message == "" || strings.Join(got, " ") != strings.Join(c.problems, " ") {
				t.Fatalf("status %d field %q problems %v; want 400 naming %q with %v\n%s", code, e.Error.Field, got, c.field, c.problems, body)
			}
			if after := env.Svc.Seq(); after != before {
				t.Fatalf("a refused import wrote %d events", after-before)
			}
		})
	}
	code, _, body := rawDo(t, env, admin, "POST", "/api/v1/directory/units", "text/csv", unitsCSVHeader+"avd2,Avdelning 2,ward,sjukhus,,,,\n\xff")
	if code != 400 || !strings.Contains(string(body), "export as 'CSV UTF-8'") {
		t.Fatalf("the encoding error does not say what to do: %d %s", code, body)
	}
}

// Export, import the export: nothing changes but everything is an update.
func TestAPIExportImportRoundTrip(t *testing.T) {
	t.Parallel()
	env := fyrtest.Start(t)
	admin, staff := env.Token(auth.Admin), env.Token(auth.Staff)
	before := env.Svc.Seq()
	code, _, body := rawDo(t, env, admin, "POST", "/api/v1/directory/people", "text/csv; charset=utf-8",
		"\ufeffid;name;unit;function;mobile;email\r\np2;Åsa Öberg;avd1;Sjuksköterska;070-174 06 06;asa@test.example\r\n")
	var sum directory.ImportSummary
	json.Unmarshal(body, &sum)
	if code != 200 || sum.PeopleAdded != 1 || env.Svc.Seq() != before+1 {
		t.Fatalf("import: %d %s", code, body)
	}
	code, _, body = rawDo(t, env, admin, "POST", "/api/v1/directory/units", "text/csv", unitsCSVHeader+
		"avd1,Avdelning 1,ward,sjukhus,08-123 456 78,avd1@test.example,p1,p2\n")
	if code != 200 {
		t.Fatalf("import units: %d %s", code, body)
	}
	code, h, units := rawDo(t, env, staff, "GET", "/api/v1/directory/units.csv?sep=semicolon", "", "")
	if code != 200 || !strings.HasPrefix(h.Get("Content-Type"), "text/csv") || !strings.Contains(h.Get("Content-Disposition"), "attachment") ||
		!bytes.HasPrefix(units, []byte("\ufeff\"id\";\"name\";\"type\";\"parent\";\"phone\";\"email\";\"primary\";\"deputies\";\"webhook\"\r\n")) ||
		!bytes.Contains(units, []byte(`"avd1";"Avdelning 1";"ward";"sjukhus";"'+46812345678";"avd1@test.example";"p1";"p2";""`+"\r\n")) {
		t.Fatalf("export units: %d %v\n%s", code, h, units)
	}
	_, _, people := rawDo(t, env, staff, "GET", "/api/v1/directory/people.csv", "", "")
	if !bytes.Contains(people, []byte(`"p2","Åsa Öberg","avd1","Sjuksköterska","'+46701740606","asa@test.example"`+"\r\n")) {
		t.Fatalf("export people:\n%s", people)
	}
	if code, _, _ := rawDo(t, env, staff, "GET", "/api/v1/directory/units.csv?sep=tab", "", ""); code != 400 {
		t.Fatalf("a bad separator: %d", code)
	}
	for path, data := range map[string][]byte{"units": units, "people": people} {
		code, _, body := rawDo(t, env, admin, "POST", "/api/v1/directory/"+path, "text/csv", string(data))
		json.Unmarshal(body, &sum)
		if code != 200 || sum.UnitsAdded+sum.PeopleAdded != 0 {
			t.Fatalf("re-import of the %s export: %d %s", path, code, body)
		}
	}
	_, _, again := rawDo(t, env, staff, "GET", "/api/v1/directory/units.csv?sep=semicolon", "", "")
	if !bytes.Equal(again, units) {
		t.Fatalf("export → import → export differs:\n%s\n%s", units, again)
	}
	// The lists' old route: JSON by default, the same CSV with Accept: text/csv.
	req, _ := http.NewRequest("GET", env.URL+"/api/v1/directory/units?sep=semicolon", nil)
	req.Header.Set("Authorization", "Bearer "+staff)
	req.Header.Set("Accept", "text/csv")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	csv, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !bytes.Equal(csv, units) {
		t.Fatalf("Accept: text/csv on the old route: %d\n%s", resp.StatusCode, csv)
	}
	var list struct {
		Units []struct {
			ID, Name, Type, Phone string
			Deputies              []string
		} `json:"units"`
	}
	if code := env.Do(staff, "GET", "/api/v1/directory/units", nil, &list); code != 200 || len(list.Units) < 2 {
		t.Fatalf("units as JSON: %d %+v", code, list)
	}
	found := false
	for _, u := range list.Units {
		found = found || u.ID == "avd1" && u.Name == "Avdelning 1" && u.Type == "ward" && u.Phone == "+46812345678" && slices.Equal(u.Deputies, []string{"p2"})
	}
	var persons struct {
		People []struct{ ID, Name, Unit string } `json:"people"`
	}
	code, h, raw := rawDo(t, env, staff, "GET", "/api/v1/directory/people", "", "")
	json.Unmarshal(raw, &persons)
	if !found || code != 200 || !strings.HasPrefix(h.Get("Content-Type"), "application/json") || !slices.ContainsFunc(persons.People, func(p struct{ ID, Name, Unit string }) bool {
		return p.ID == "p2" && p.Name == "Åsa Öberg" && p.Unit == "avd1"
	}) {
		t.Fatalf("lists as JSON: units %+v, people %d %s", list, code, raw)
	}
}

// Reach through the API: on duty, primary, deputies, the unit itself; bad
// contacts and shifts name the field and write nothing.
func TestAPIReachContactsAndOnDuty(t *testing.T) {
	t.Parallel()
	env := fyrtest.Start(t)
	admin, staff, unit := env.Token(auth.Admin), env.Token(auth.Staff), env.Token(auth.Unit)
	if code := env.Do(admin, "POST", "/api/v1/directory/people", csvBody(peopleCSVHeader+
		"p2,Per Test,avd1,,070-174 06 07,\np3,Pia Test,avd1,,,pia@test.example\n"), nil); code != 200 {
		t.Fatalf("people: %d", code)
	}
	var u directory.Unit
	if code := env.Do(admin, "POST", "/api/v1/directory/units/avd1/contacts", map[string]any{"phone": "0470-123 45", "email": "avd1@test.example",
		"primary": "p1", "deputies": []string{"p3", "p2"}}, &u); code != 200 || u.Phone != "+4647012345" || u.Deputies[0] != "p3" {
		t.Fatalf("contacts: %d %+v", code, u)
	}
	now := time.Now()
	var shift directory.Shift
	if code := env.Do(staff, "POST", "/api/v1/directory/units/avd1/on-duty", map[string]any{"person": "p2",
		"from": now.Add(-time.Hour).Format(time.RFC3339), "to": now.Add(10 * time.Hour).In(web.Stockholm).Format("2006-01-02T15:04")}, &shift); code != 201 || shift.ID == "" {
		t.Fatalf("on duty: %d %+v", code, shift)
	}
	var reach struct {
		Contacts []struct {
			PersonID            string `json:"person_id"`
			Role, Mobile, Email string
		}
		Shifts []directory.Shift
	}
	if code := env.Do(unit, "GET", "/api/v1/directory/units/avd1/reach", nil, &reach); code != 200 {
		t.Fatalf("reach: %d", code)
	}
	var got []string
	for _, c := range reach.Contacts {
		got = append(got, c.Role+":"+c.PersonID)
	}
	if strings.Join(got, " ") != "on_duty:p2 primary:p1 deputy:p3 unit:" || len(reach.Shifts) != 1 || reach.Contacts[3].Mobile != "+4647012345" {
		t.Fatalf("reach %v %+v", got, reach)
	}
	later := now.Add(11 * time.Hour).UTC().Format(time.RFC3339)
	env.Do(unit, "GET", "/api/v1/directory/units/avd1/reach?at="+url.QueryEscape(later), nil, &reach)
	if reach.Contacts[0].Role != "primary" {
		t.Fatalf("after the shift: %+v", reach.Contacts)
	}
	if code := env.Do(unit, "GET", "/api/v1/directory/units/nowhere/reach", nil, nil); code != 404 {
		t.Fatalf("reach of an unknown unit: %d", code)
	}
	future := now.Add(2 * time.Hour).Format(time.RFC3339)
	for name, c := range map[string]struct {
		path, body, field string
	}{
		"unknown primary":  {"/contacts", `{"primary":"p9"}`, "primary"},
		"unknown deputy":   {"/contacts", `{"primary":"p1","deputies":["p9"]}`, "deputies"},
		"bad phone":        {"/contacts", `{"phone":"070-12"}`, "phone"},
		"bad e-mail":       {"/contacts", `{"email":"x@"}`, "email"},
		"unknown field":    {"/contacts", `{"mobile":"070"}`, "mobile"},
		"unknown person":   {"/on-duty", `{"person":"p9","from":"` + now.Format(time.RFC3339) + `","to":"` + future + `"}`, "person"},
		"from after to":    {"/on-duty", `{"person":"p1","from":"` + future + `","to":"` + now.Format(time.RFC3339) + `"}`, "to"},
		"from = to":        {"/on-duty", `{"person":"p1","from":"` + future + `","to":"` + future + `"}`, "to"},
		"unparseable from": {"/on-duty", `{"person":"p1","from":"igår","to":"` + future + `"}`, "from"},
		"no to":            {"/on-duty", `{"person":"p1","from":"` + future + `"}`, "to"},
	} {
		before := env.Svc.Seq()
		code, e := rawRequest(t, env, admin, "POST", "/api/v1/directory/units/avd1"+c.path, "application/json", c.body)
		if code != 400 || e.Error.Field != c.field || e.Error.Message == "" {
			t.Errorf("%s: %d field %q (%s); want 400 naming %q", name, code, e.Error.Field, e.Error.Message, c.field)
		}
		if env.Svc.Seq() != before {
			t.Errorf("%s: refused, but wrote", name)
		}
	}
	if code, e := rawRequest(t, env, admin, "POST", "/api/v1/directory/units/nowhere/contacts", "application/json", `{}`); code != 400 || e.Error.Field != "unit" {
		t.Errorf("contacts of an unknown unit: %d %+v", code, e)
	}
	var left struct{ Shifts []directory.Shift }
	if code := env.Do(staff, "DELETE", "/api/v1/directory/units/avd1/on-duty/"+shift.ID, nil, &left); code != 200 || len(left.Shifts) != 0 {
		t.Fatalf("clear: %d %+v", code, left)
	}
	if code := env.Do(staff, "DELETE", "/api/v1/directory/units/avd1/on-duty/"+shift.ID, nil, nil); code != 400 {
		t.Fatalf("clearing twice: %d", code)
	}
}

func TestDirectoryPageListsUnitsAndContacts(t *testing.T) {
	t.Parallel()
	env := fyrtest.Start(t)
	ctx := context.Background()
	if _, err := env.Svc.Directory.SetContacts(ctx, nil, directory.SetContacts{Unit: "avd1", Phone: "08-123 456 78", Primary: "p1"}); err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, env)
	b.login(auth.Unit)
	code, page := b.get("/directory")
	for _, want := range []string{"Testsjukhuset", "Avdelning 1", `href="/directory?unit=avd1"`, `name="q"`} {
		if !strings.Contains(page, want) {
			t.Errorf("directory overview (%d) lacks %q", code, want)
		}
	}
	code, page = b.get("/directory?unit=avd1")
	for _, want := range []string{"Anna Test", `href="tel:&#43;46701740605"`, `href="mailto:anna@test.example"`, "Primär kontakt",
		`href="tel:&#43;46812345678"`, "Testsjukhuset</a>"} {
		if !strings.Contains(page, want) {
			t.Errorf("unit page (%d) lacks %q", code, want)
		}
	}
	if strings.Contains(page, `action="/directory/units/avd1/on-duty"`) || strings.Contains(page, `/contacts"`) {
		t.Error("a unit account gets the forms for on-duty shifts or contacts")
	}
	code, page = b.get("/directory?unit=sjukhus")
	if code != 200 || !strings.Contains(page, `class="ucard d1"`) || !strings.Contains(page, "Anna Test") {
		t.Errorf("hospital page (%d) lacks its ward and who answers there", code)
	}
	code, page = b.get("/directory?q=anna")
	if code != 200 || !strings.Contains(page, "Anna Test") || !strings.Contains(page, `href="/directory?unit=avd1"`) {
		t.Errorf("search (%d) does not find Anna", code)
	}
	if _, page = b.get("/directory?q=070-174+06+05"); !strings.Contains(page, "Anna Test") {
		t.Error("search by a phone number as people type it finds nobody")
	}
	if _, page = b.get("/directory?q=zzzz"); !strings.Contains(page, "Inget matchar") {
		t.Error("a search without hits says nothing")
	}
	if code, _ := b.get("/directory?unit=nowhere"); code != 404 {
		t.Errorf("an unknown unit: %d", code)
	}
	if code, _ := b.get("/directory/import"); code != 403 {
		t.Errorf("a unit account opens the import page: %d", code)
	}
}

// The staff puts someone on duty with the form; a bad shift shows its error
// beside the form and writes nothing.
func TestDirectoryFormsOnDutyAndContacts(t *testing.T) {
	t.Parallel()
	env := fyrtest.Start(t)
	b := newBrowser(t, env)
	b.login(auth.Staff)
	_, page := b.get("/directory?unit=avd1")
	if !strings.Contains(page, `action="/directory/units/avd1/on-duty"`) || strings.Contains(page, `action="/directory/units/avd1/contacts"`) {
		t.Fatal("staff gets no on-duty form, or the contacts form")
	}
	now := time.Now().In(web.Stockholm)
	before := env.Svc.Seq()
	code, _, body := b.post("/directory/units/avd1/on-duty", url.Values{"csrf": {b.csrf}, "person": {"p1"},
		"from": {now.Add(2 * time.Hour).Format("2006-01-02T15:04")}, "to": {now.Add(time.Hour).Format("2006-01-02T15:04")}})
	if code != 400 || !strings.Contains(body, `id="onduty-error"`) || !strings.Contains(body, "<code>to</code>") || env.Svc.Seq() != before {
		t.Fatalf("a shift that ends before it starts: %d", code)
	}
	code, loc, _ := b.post("/directory/units/avd1/on-duty", url.Values{"csrf": {b.csrf}, "person": {"p1"},
		"from": {now.Add(-time.Hour).Format("2006-01-02T15:04")}, "to": {now.Add(time.Hour).Format("2006-01-02T15:04")}})
	if code != 303 || loc != "/directory?unit=avd1#onduty" {
		t.Fatalf("on duty: %d %q", code, loc)
	}
	_, page = b.get("/directory?unit=avd1")
	if !strings.Contains(page, "I jour") || !strings.Contains(page, "/clear") {
		t.Fatal("the unit page does not show the on-duty person first, or the shift")
	}
	shifts := env.Svc.P.Units.Shifts("avd1", time.Now())
	if code, loc, _ := b.post("/directory/units/avd1/on-duty/"+shifts[0].ID+"/clear", url.Values{"csrf": {b.csrf}}); code != 303 || loc == "" {
		t.Fatalf("clear: %d", code)
	}
	if len(env.Svc.P.Units.Shifts("avd1", time.Now())) != 0 {
		t.Fatal("the shift is still there")
	}
	if code, _, _ := b.post("/directory/units/avd1/contacts", url.Values{"csrf": {b.csrf}, "primary": {"p1"}}); code != 403 {
		t.Fatalf("staff sets contacts: %d", code)
	}
	a := newBrowser(t, env)
	a.login(auth.Admin)
	a.get("/directory?unit=avd1")
	code, _, body = a.post("/directory/units/avd1/contacts", url.Values{"csrf": {a.csrf}, "phone": {"070-12"}, "primary": {"p1"}})
	if code != 400 || !strings.Contains(body, `id="contacts-error"`) || !strings.Contains(body, `value="070-12"`) {
		t.Fatalf("bad phone: %d", code)
	}
	code, _, _ = a.post("/directory/units/avd1/contacts", url.Values{"csrf": {a.csrf}, "phone": {"070-174 06 99"}, "email": {"avd1@test.example"}, "primary": {"p1"}})
	if u, _ := env.Svc.P.Units.Unit("avd1"); code != 303 || u.Phone != "+46701740699" || u.Primary != "p1" {
		t.Fatalf("contacts: %d %+v", code, u)
	}
}

func (b *browser) upload(path string, files map[string]string) (int, string) {
	b.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("csrf", b.csrf)
	for field, content := range files {
		fw, _ := mw.CreateFormFile(field, field+".csv")
		fw.Write([]byte(content))
	}
	mw.Close()
	req, _ := http.NewRequest("POST", b.env.URL+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// The import page: every bad row with its line, field and message; nothing
// changes; a good upload says what it did.
func TestDirectoryImportPage(t *testing.T) {
	t.Parallel()
	env := fyrtest.Start(t)
	b := newBrowser(t, env)
	b.login(auth.Admin)
	code, page := b.get("/directory/import")
	if code != 200 || !strings.Contains(page, `enctype="multipart/form-data"`) || !strings.Contains(page, "id,name,type,parent,phone,email,primary,deputies") {
		t.Fatalf("import page: %d", code)
	}
	before := env.Svc.Seq()
	code, page = b.upload("/directory/import", map[string]string{
		"units":  unitsCSVHeader + "avd2,Avdelning 2,ward,sjukhus,,,p2,\navd3,Avdelning 3,ward,nowhere,,,,\n",
		"people": peopleCSVHeader + "p2,Per Test,avd2,,070-12,\n",
	})
	for _, want := range []string{`id="import-error"`, "Ingenting importerades", "<td data-label=\"Rad\">3</td>", "<code>parent</code>",
		"okänd överordnad enhet &#34;nowhere&#34;", "people.csv", "<code>mobile</code>"} {
		if !strings.Contains(page, want) {
			t.Errorf("bad upload (%d) lacks %q", code, want)
		}
	}
	if code != 400 || env.Svc.Seq() != before {
		t.Fatalf("bad upload: %d, wrote %d events", code, env.Svc.Seq()-before)
	}
	code, page = b.upload("/directory/import", map[string]string{"units": "", "people": ""})
	if code != 400 || !strings.Contains(page, "välj minst en fil") {
		t.Fatalf("no files: %d", code)
	}
	code, page = b.upload("/directory/import", map[string]string{
		"units":  unitsCSVHeader + "avd2,Avdelning 2,ward,sjukhus,,,p2,\n",
		"people": peopleCSVHeader + "p2,Per Test,avd2,,070-174 06 07,\n",
	})
	if code != 200 || !strings.Contains(page, `id="import-done"`) || !strings.Contains(page, "1 enheter nya, 0 ändrade; 1 personer nya") || env.Svc.Seq() != before+1 {
		t.Fatalf("good upload: %d\n%s", code, page)
	}
	s := newBrowser(t, env)
	s.login(auth.Staff)
	if code, page := s.get("/directory/import"); code != 200 || strings.Contains(page, "multipart") || !strings.Contains(page, "/api/v1/directory/units.csv?sep=semicolon") {
		t.Fatalf("staff may export, not import: %d", code)
	}
	if code, _ := s.upload("/directory/import", map[string]string{"units": unitsCSVHeader}); code != 403 {
		t.Fatalf("staff import: %d", code)
	}
	// Exports through the page's links work with the session cookie.
	resp, err := s.c.Get(env.URL + "/api/v1/directory/people.csv")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("export with the session cookie: %v %v", err, resp.Status)
	}
	resp.Body.Close()
}
