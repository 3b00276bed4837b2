package web_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"html"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyr/internal/auth"
	"fyr/internal/fyrtest"
	"fyr/internal/incident"
	"fyr/internal/safecsv"
)

// recordN writes n info_in entries "Post 1" … "Post n" through the service.
func recordN(t *testing.T, env *fyrtest.Env, id string, n int) {
	t.Helper()
	p := env.Principal(auth.Staff)
	for i := 1; i <= n; i++ {
		if _, err := env.Svc.Incidents.Record(context.Background(), p, incident.Record{Incident: incident.ID(id), Kind: incident.InfoIn,
			Text: fmt.Sprintf("Post %d", i), From: "Växeln"}); err != nil {
			t.Fatal(err)
		}
	}
}

type journalPage struct {
	Entries []struct {
		Serial int    `json:"serial"`
		Text   string `json:"text"`
	} `json:"entries"`
	Earlier int `json:"earlier"`
	Later   int `json:"later"`
}

func (j journalPage) serials() []int {
	var out []int
	for _, e := range j.Entries {
		out = append(out, e.Serial)
	}
	return out
}

// The API pages the journal with a cursor: limit, before and after.
func TestJournalAPIPages(t *testing.T) {
	t.Parallel()
	env := fyrtest.Start(t)
	staff := env.Token(auth.Staff)
	id := openIncident(t, env, staff) // #1 opened, #2 the level
	recordN(t, env, id, 10)           // #3–#12
	path := "/api/v1/incidents/" + id + "/journal"
	var first journalPage
	if code := env.Do(staff, "GET", path+"?limit=5&order=newest", nil, &first); code != 200 ||
		!slices.Equal(first.serials(), []int{12, 11, 10, 9, 8}) || first.Earlier != 8 || first.Later != 0 {
		t.Fatalf("first page: %d %v earlier %d later %d", code, first.serials(), first.Earlier, first.Later)
	}
	var older journalPage
	env.Do(staff, "GET", path+"?limit=5&order=newest&before="+strconv.Itoa(first.Earlier), nil, &older)
	if !slices.Equal(older.serials(), []int{7, 6, 5, 4, 3}) || older.Earlier != 3 || older.Later != 7 {
		t.Fatalf("older page: %v earlier %d later %d", older.serials(), older.Earlier, older.Later)
	}
	var newer journalPage
	env.Do(staff, "GET", path+"?limit=5&order=newest&after="+strconv.Itoa(older.Later), nil, &newer)
	if !slices.Equal(newer.serials(), first.serials()) {
		t.Fatalf("back to the newer page: %v, want %v", newer.serials(), first.serials())
	}
	// Oldest first (the default order) continues with after=later; search is server-side.
	var asc journalPage
	env.Do(staff, "GET", path+"?limit=4&after=4&q=post", nil, &asc)
	if !slices.Equal(asc.serials(), []int{5, 6, 7, 8}) || asc.Later != 8 || asc.Earlier != 5 {
		t.Fatalf("ascending from #4: %v earlier %d later %d", asc.serials(), asc.Earlier, asc.Later)
	}
	// Without limit: everything, as before.
	var all journalPage
	env.Do(staff, "GET", path, nil, &all)
	if len(all.Entries) != 12 || all.Earlier != 0 || all.Later != 0 {
		t.Fatalf("no limit: %d entries", len(all.Entries))
	}
	for q, field := range map[string]string{"limit=0": "limit", "limit=1001": "limit", "limit=x": "limit", "before=13": "before", "after=-1": "after", "order=up": "order"} {
		var e fyrtest.APIError
		if code := env.Do(staff, "GET", path+"?"+q, nil, &e); code != 400 || e.Error.Field != field {
			t.Errorf("%s: %d %+v, want 400 naming %s", q, code, e, field)
		}
	}
}

var serialRe = regexp.MustCompile(`<span class="serial">#(\d+)</span>`)

func pageSerials(page string) []int {
	var out []int
	for _, m := range serialRe.FindAllStringSubmatch(page, -1) {
		n, _ := strconv.Atoi(m[1])
		out = append(out, n)
	}
	return out
}

var hrefOfID = func(id string) *regexp.Regexp {
	return regexp.MustCompile(`id="` + id + `"[^>]*href="([^"]+)"|href="([^"]+)" id="` + id + `"`)
}

func linkOf(t *testing.T, page, id string) string {
	t.Helper()
	m := hrefOfID(id).FindStringSubmatch(page)
	if m == nil {
		return ""
	}
	return html.UnescapeString(m[1] + m[2])
}

// The page shows the newest 50 entries with a link to older ones that works
// without JavaScript; search narrows on the server and keeps its filters
// across pages.
func TestJournalPageHasPages(t *testing.T) {
	t.Parallel()
	env := fyrtest.Start(t)
	id := openIncident(t, env, env.Token(auth.Staff))
	recordN(t, env, id, 60) // #3–#62
	b := newBrowser(t, env)
	b.login(auth.Viewer)
	_, page := b.get("/incidents/" + id)
	if got := pageSerials(page); len(got) != 50 || got[0] != 62 || got[49] != 13 {
		t.Fatalf("first page shows %d entries (%v…); want #62 down to #13", len(got), got[:min(3, len(got))])
	}
	if linkOf(t, page, "page-newer") != "" {
		t.Error("the first page links to newer entries")
	}
	older := linkOf(t, page, "page-older")
	if older != "?before=13" {
		t.Fatalf("older link %q", older)
	}
	_, page = b.get("/incidents/" + id + older)
	if got := pageSerials(page); !slices.Equal(got, []int{12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1}) {
		t.Fatalf("older page: %v", got)
	}
	if linkOf(t, page, "page-older") != "" || linkOf(t, page, "page-newer") != "?after=12" {
		t.Fatalf("last page's links: older %q newer %q", linkOf(t, page, "page-older"), linkOf(t, page, "page-newer"))
	}
	// Search: entries whose text holds "Post 1" (1, 10–19), 5 per page.
	_, page = b.get("/incidents/" + id + "?q=post+1&limit=5")
	if got := pageSerials(page); !slices.Equal(got, []int{21, 20, 19, 18, 17}) {
		t.Fatalf("search page: %v", got)
	}
	next := linkOf(t, page, "page-older")
	v, _ := url.ParseQuery(strings.TrimPrefix(next, "?"))
	if v.Get("q") != "post 1" || v.Get("limit") != "5" || v.Get("before") != "17" {
		t.Fatalf("search's older link loses the search: %q", next)
	}
	_, page = b.get("/incidents/" + id + next)
	if got := pageSerials(page); !slices.Equal(got, []int{16, 15, 14, 13, 12}) {
		t.Fatalf("search, older: %v", got)
	}
}

// The CSV export speaks the user's language: Swedish headers and words,
// ';' for Swedish Excel and a byte-order mark; English with ','. Every
// chunk of a long journal is there, as a timeline.
func TestJournalCSVInTheUsersLanguage(t *testing.T) {
	t.Parallel()
	env := fyrtest.Start(t)
	staff := env.Token(auth.Staff)
	id := openIncident(t, env, staff)
	if code := env.Do(staff, "POST", "/api/v1/incidents/"+id+"/levels", map[string]any{"scope": "region", "level": "reinforcement",
		"reason": "Fler drabbade", "decided_by": "Sven"}, nil); code != 200 {
		t.Fatalf("level: %d", code)
	}
	evil := "ok;=cmd|' /C calc'!A0"
	if code := env.Do(staff, "POST", "/api/v1/incidents/"+id+"/journal", map[string]any{"kind": "task", "text": evil,
		"task": map[string]any{"owner": "Åsa"}}, nil); code != 201 {
		t.Fatalf("record: %d", code)
	}
	recordN(t, env, id, 1000) // more than one chunk
	b := newBrowser(t, env)
	b.login(auth.Staff)
	read := func() (string, [][]string) {
		resp, err := b.c.Get(env.URL + "/incidents/" + id + "/journal.csv")
		if err != nil {
			t.Fatal(err)
		}
		body := readAll(resp)
		out, ok := strings.CutPrefix(body, safecsv.BOM)
		if !ok {
			t.Fatalf("no byte-order mark: %q", body[:min(40, len(body))])
		}
		if !strings.Contains(resp.Header.Get("Content-Disposition"), ".csv") {
			t.Errorf("Content-Disposition %q", resp.Header.Get("Content-Disposition"))
		}
		return out, nil
	}
	sv, _ := read()
	r := csv.NewReader(strings.NewReader(sv))
	r.Comma = ';'
	rows, err := r.ReadAll()
	if err != nil || len(rows) != 1+1004 {
		t.Fatalf("Swedish CSV: %v, %d rows", err, len(rows))
	}
	head := strings.Join(rows[0], "|")
	if !strings.HasPrefix(head, "Nr|Typ|Inträffade|Registrerad|Efterregistrerad|Författare") {
		t.Errorf("Swedish header: %s", head)
	}
	for _, english := range []string{"info_in", "level_change", "reinforcement", "staff", "true", "false", "serial", "task_owner"} {
		for _, row := range rows {
			for _, cell := range row {
				if cell == english {
					t.Fatalf("the Swedish CSV has the English/code word %q: %v", english, row)
				}
			}
		}
	}
	level := rows[3]
	if level[1] != "Lägesändring" || level[15] != "Stabsläge" || level[16] != "Förstärkningsläge" || !strings.HasPrefix(level[14], "Regionen") {
		t.Errorf("level row: %v", level)
	}
	if !strings.Contains(sv, `"ok;'=cmd|' /C calc'!A0"`) || rows[4][1] != "Uppdrag" || rows[4][24] != "Ej påbörjat" || rows[4][22] != "Åsa" {
		t.Errorf("task row: %v", rows[4])
	}
	for _, piece := range strings.FieldsFunc(sv, func(r rune) bool { return strings.ContainsRune(";,\t\r\n", r) }) {
		if p := strings.TrimLeft(piece, ` "`); p != "" && strings.ContainsRune("=+-@", rune(p[0])) {
			t.Fatalf("a spreadsheet splitting the export sees a cell starting %q", p)
		}
	}
	if rows[len(rows)-1][12] != "Post 1000" {
		t.Errorf("last row %v: not the timeline's end", rows[len(rows)-1])
	}
	b.get("/lang?l=en&back=/")
	en, _ := read()
	r = csv.NewReader(strings.NewReader(en))
	rows, err = r.ReadAll()
	if err != nil || len(rows) != 1005 || rows[0][0] != "No." || rows[3][16] != "Reinforcement" || rows[3][1] != "Level change" {
		t.Fatalf("English CSV: %v, %d rows, %v %v", err, len(rows), rows[0][:3], rows[3])
	}
}

var formTokenRe = regexp.MustCompile(`name="form_token" value="([^"]+)"`)

// After saving, the page confirms at its top with the entry's number and a
// link to it; the same form sent twice writes one entry; "verified" is
// never checked beforehand.
func TestJournalFormSavedOnce(t *testing.T) {
	t.Parallel()
	env := fyrtest.Start(t)
	id := openIncident(t, env, env.Token(auth.Staff))
	b := newBrowser(t, env)
	b.login(auth.Staff)
	_, page := b.get("/incidents/" + id)
	if regexp.MustCompile(`id="r-verified"[^>]*checked`).MatchString(page) {
		t.Error(`"verified" is checked before the user checks it`)
	}
	m := formTokenRe.FindStringSubmatch(page)
	if m == nil {
		t.Fatal("the journal form has no form token")
	}
	form := url.Values{"csrf": {b.csrf}, "form_token": {m[1]}, "kind": {"info_in"}, "text": {"Växeln nere"}}
	before := env.Svc.Seq()
	code, loc, _ := b.post("/incidents/"+id+"/journal", form)
	code2, loc2, _ := b.post("/incidents/"+id+"/journal", form) // the user presses again
	if code != 303 || code2 != 303 || loc != loc2 || loc != "/incidents/"+id+"?saved=3" {
		t.Fatalf("two submissions: %d %q, %d %q; want both to show entry 3", code, loc, code2, loc2)
	}
	if env.Svc.Seq() != before+1 {
		t.Fatalf("the same form sent twice wrote %d events", env.Svc.Seq()-before)
	}
	_, page = b.get(loc)
	if !regexp.MustCompile(`id="saved"[^>]*>Sparad: post <a href="#e-[^"]+">#3</a>`).MatchString(page) {
		t.Fatalf("no confirmation with the entry's number at the top:\n%s", page[:min(len(page), 3000)])
	}
	if strings.Index(page, `id="saved"`) > strings.Index(page, `id="levels"`) {
		t.Error("the confirmation is not at the top of the page")
	}
	// Another account is not told that it saved the entry.
	other := newBrowser(t, env)
	other.login(auth.Admin)
	if _, p := other.get(loc); strings.Contains(p, `id="saved"`) {
		t.Error("another account sees the confirmation of an entry it did not write")
	}
	// A new rendering is a new form: it writes again.
	m2 := formTokenRe.FindStringSubmatch(page)
	if m2 == nil || m2[1] == m[1] {
		t.Fatal("the next form has the same token")
	}
	form.Set("form_token", m2[1])
	if _, loc, _ := b.post("/incidents/"+id+"/journal", form); loc != "/incidents/"+id+"?saved=4" {
		t.Fatalf("a new form: %q", loc)
	}
}

// The form token is kept in the log: the same submission after a restart
// still writes nothing more. The API takes it too.
func TestFormTokenSurvivesRestart(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	env := fyrtest.StartIn(t, dir)
	staff := env.Token(auth.Staff)
	id := openIncident(t, env, staff)
	body := map[string]any{"kind": "info_in", "text": "Växeln nere", "form_token": "t-1"}
	var first, again struct {
		ID     string `json:"id"`
		Serial int    `json:"serial"`
	}
	if code := env.Do(staff, "POST", "/api/v1/incidents/"+id+"/journal", body, &first); code != 201 {
		t.Fatalf("record: %d", code)
	}
	env.Svc.Close()
	env = fyrtest.StartIn(t, dir)
	staff = env.Token(auth.Staff)
	if code := env.Do(staff, "POST", "/api/v1/incidents/"+id+"/journal", body, &again); code != 201 || again.ID != first.ID {
		t.Fatalf("after a restart: %d %+v, want the first entry %+v", code, again, first)
	}
	var j journalPage
	env.Do(staff, "GET", "/api/v1/incidents/"+id+"/journal?q=V%C3%A4xeln", nil, &j)
	if len(j.Entries) != 1 {
		t.Fatalf("%d entries after sending the same form twice across a restart", len(j.Entries))
	}
	// Another account's token, or the same token in another incident, is another form.
	other := openIncident(t, env, staff)
	if code := env.Do(staff, "POST", "/api/v1/incidents/"+other+"/journal", body, &again); code != 201 || again.ID == first.ID {
		t.Fatalf("same token, other incident: %d %+v", code, again)
	}
}

// The printed journal is complete: channel, from and to, source and
// whether each entry is verified.
func TestPrintedJournalIsComplete(t *testing.T) {
	t.Parallel()
	env := fyrtest.Start(t)
	staff := env.Token(auth.Staff)
	id := openIncident(t, env, staff)
	env.Do(staff, "POST", "/api/v1/incidents/"+id+"/journal", map[string]any{"kind": "info_in", "text": "Rakel fungerar",
		"channel": "Rakel", "from": "Ambulansen", "to": "TiB", "source": "Ambulansdirigent", "verified": false}, nil)
	b := newBrowser(t, env)
	b.login(auth.Viewer)
	_, print := b.get("/incidents/" + id + "/print")
	row := print[strings.Index(print, "Rakel fungerar"):]
	row = row[:strings.Index(row, "</tr>")]
	for _, want := range []string{"Rakel", "Ambulansen → TiB", "Ambulansdirigent", "<strong>nej</strong>"} {
		if !strings.Contains(row, want) {
			t.Errorf("the printed entry lacks %q:\n%s", want, row)
		}
	}
	if !strings.Contains(print, "Kanal, från → till") || !strings.Contains(print, "Verif.") {
		t.Error("the print's table has no columns for channel and verified")
	}
}

// The task board: open tasks with the overdue first, then by owner, with
// deadline and status; done ones apart.
func TestTaskBoard(t *testing.T) {
	t.Parallel()
	env := fyrtest.Start(t)
	staff := env.Token(auth.Staff)
	id := openIncident(t, env, staff)
	now := env.Svc.Now()
	task := func(text, owner string, deadline time.Time, updates int, status string) int {
		t.Helper()
		ti := map[string]any{"owner": owner, "status": status}
		if !deadline.IsZero() {
			ti["deadline"] = deadline.Format(time.RFC3339)
		}
		if updates > 0 {
			e, _ := env.Svc.P.Incidents.EntryBySerial(incident.ID(id), updates)
			ti["updates"] = e.ID
		}
		var e struct {
			Serial int `json:"serial"`
		}
		if code := env.Do(staff, "POST", "/api/v1/incidents/"+id+"/journal", map[string]any{"kind": "task", "text": text, "task": ti}, &e); code != 201 {
			t.Fatalf("task %q: %d", text, code)
		}
		return e.Serial
	}
	task("Ring leverantören", "Åsa", now.Add(2*time.Hour), 0, "")
	late := task("Inventera reservrutiner", "Bengt", now.Add(-time.Hour), 0, "")
	task("Informera kommunerna", "Anna", time.Time{}, 0, "")
	done := task("Kalla in staben", "Cecilia", now.Add(time.Hour), 0, "")
	task("Klart", "", time.Time{}, done, "done")
	task("Påbörjat", "", time.Time{}, late, "started")
	b := newBrowser(t, env)
	b.login(auth.Viewer)
	code, page := b.get("/incidents/" + id + "/tasks")
	if code != 200 {
		t.Fatalf("task board: %d", code)
	}
	open := page[strings.Index(page, `id="open-tasks"`):]
	open = open[:strings.Index(open, "</table>")]
	var order []string
	for _, m := range regexp.MustCompile(`</a> ([^<]+)</td>\s*<td>([^<]+)</td>`).FindAllStringSubmatch(open, -1) {
		order = append(order, m[1]+"/"+m[2])
	}
	want := []string{"Inventera reservrutiner/Bengt", "Informera kommunerna/Anna", "Ring leverantören/Åsa"}
	if !slices.Equal(order, want) {
		t.Fatalf("open tasks %q, want %q", order, want)
	}
	if !strings.Contains(open, "Försenat") || !strings.Contains(open, "Pågår") || strings.Contains(open, "Kalla in staben") {
		t.Error("the overdue task is not marked, its status is not shown, or a done task is among the open")
	}
	if !strings.Contains(page, `id="closed-tasks"`) || !strings.Contains(page, "Kalla in staben") {
		t.Error("done tasks are not listed apart")
	}
	// The unit account reads no journal, so no task board either.
	u := newBrowser(t, env)
	u.login(auth.Unit)
	if code, _ := u.get("/incidents/" + id + "/tasks"); code != 403 {
		t.Errorf("unit account: %d, want 403", code)
	}
}

// The print and the CSV of a searched journal keep the search (and not the
// page).
func TestExportLinksKeepTheSearch(t *testing.T) {
	t.Parallel()
	env := fyrtest.Start(t)
	id := openIncident(t, env, env.Token(auth.Staff))
	b := newBrowser(t, env)
	b.login(auth.Viewer)
	_, page := b.get("/incidents/" + id + "?q=dns&kind=info_in&limit=5&before=2")
	for _, want := range []string{`/print?kind=info_in&amp;q=dns"`, `/journal.csv?kind=info_in&amp;q=dns"`} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks the link %s", want)
		}
	}
}
