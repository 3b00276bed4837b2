package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"unicode"

	"fyr/internal/app"
	"fyr/internal/auth"
	"fyr/internal/demo"
	"fyr/internal/event"
	"fyr/internal/fyrtest"
	"fyr/internal/pages"
	"fyr/internal/situation"
	"fyr/internal/store"
	"fyr/internal/web"
)

// The language test: every page every role can reach, and the errors a
// person can provoke, are read in Swedish and in English, and no text of
// the other language shows. Pages are found by following the links from
// the start page (so that a new page linked from an old one is walked
// too) over the demo's data; the user's own data (names, journal texts,
// everything the event log holds as a string) is not language and is left
// out of the check.

// demoSite is the demo organisation served over HTTP, with every string
// its events hold (the users' data).
type demoSite struct {
	svc  *app.App
	url  string
	data *userData
	// sessions are the logged-in clients by user and language: a login
	// hashes a password, the slowest step of the walk.
	sessions map[string]*client
}

func startDemo(t *testing.T) *demoSite {
	t.Helper()
	ctx := context.Background()
	svc, err := app.Open(ctx, app.Config{Dir: t.TempDir(), Log: store.NewMem(), Org: "exempel"})
	if err != nil {
		t.Fatal(err)
	}
	data := newUserData()
	svc.Listen(data.add)
	if err := demo.Seed(ctx, svc); err != nil {
		svc.Close()
		t.Fatal(err)
	}
	srv, err := web.New(svc, nil, pages.Modules(svc)...)
	if err != nil {
		svc.Close()
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	t.Cleanup(func() {
		hs.CloseClientConnections()
		hs.Close()
		svc.Close()
	})
	return &demoSite{svc: svc, url: hs.URL, data: data, sessions: map[string]*client{}}
}

// userData holds the strings of the event log, indexed by word, so that a
// marker word inside a user's text is told apart from one in the UI's.
type userData struct {
	mu     sync.Mutex
	byWord map[string][]string
}

func newUserData() *userData { return &userData{byWord: map[string][]string{}} }

func (u *userData) add(e event.Envelope) {
	var v any
	if json.Unmarshal(e.Payload, &v) != nil {
		return
	}
	u.mu.Lock()
	defer u.mu.Unlock()
	u.walk(v)
	u.addString(e.Actor)
	u.addString(e.Source)
}

func (u *userData) walk(v any) {
	switch v := v.(type) {
	case string:
		u.addString(v)
	case []any:
		for _, x := range v {
			u.walk(x)
		}
	case map[string]any:
		for _, x := range v {
			u.walk(x)
		}
	}
}

// addString indexes s and each of its lines under each of their words.
func (u *userData) addString(s string) {
	for _, part := range append(strings.Split(s, "\n"), s) {
		part = strings.Join(strings.Fields(part), " ")
		if part == "" {
			continue
		}
		seen := map[string]bool{}
		lower := strings.ToLower(part)
		for _, w := range words(part) {
			if !seen[w] {
				seen[w] = true
				u.byWord[w] = append(u.byWord[w], lower)
			}
		}
	}
}

// covers reports whether the word at lower[at:] (a page's text in lower
// case) lies inside some user string that occurs there.
func (u *userData) covers(lower string, at int, word string) bool {
	u.mu.Lock()
	defer u.mu.Unlock()
	for _, ls := range u.byWord[word] {
		from := max(0, at-len(ls))
		to := min(len(lower), at+len(word)+len(ls))
		if strings.Contains(lower[from:to], ls) {
			return true
		}
	}
	return false
}

func words(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) })
}

// Marker words: a word of the other language that a translation would
// not contain. Codes an error text lists for the API (e.g. "use normal,
// staff …") are no markers.
var (
	englishWords = set("the is are not must error errors configured problem problems rows row and of with cannot " +
		"required unknown already missing nothing imported please should this which only has have been was were does " +
		"yet expired draft approved published acknowledged incident incidents dispatch dispatches picture ward units " +
		"level levels journal decision report round reporting sent received failed wrote approve may neither nor digit separator " +
		"you your click loading save send cancel delete edit search show hide yes none every each there here when where who what why how")
	swedishWords = set("och inte enhet enheter är att för med som det av till från eller ingen inga har kan ska vid efter " +
		"utskick händelse händelser lägesbild kvittera kvitterat rapport beslut sidan senast avbrott läge fel saknas finns " +
		"måste ange välj skicka spara visa")
	// texts of one language allowed on the other's pages: the name of
	// the other language on the switch
	allowed = map[string]bool{"svenska": true}
	roleRe  = regexp.MustCompile(`\((?:admin|staff|unit|viewer)\)`)
)

func set(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

var (
	skipRe = regexp.MustCompile(`(?is)<(script|style|code)\b.*?</(script|style|code)>|<!--.*?-->`)
	attrRe = regexp.MustCompile(`(?i)\s(?:aria-label|title|placeholder|alt)="([^"]*)"`)
	tagRe  = regexp.MustCompile(`(?s)<[^>]*>`)
	hrefRe = regexp.MustCompile(`(?i)<a\b[^>]*\shref="([^"#]*)`)
	formRe = regexp.MustCompile(`(?is)<form\b([^>]*)>(.*?)</form>`)
	attr   = func(name string) *regexp.Regexp { return regexp.MustCompile(`(?is)\s` + name + `="([^"]*)"`) }
	actRe  = attr("action")
	methRe = attr("method")
	nameRe = attr("name")
	valRe  = attr("value")
	inRe   = regexp.MustCompile(`(?is)<input\b[^>]*>`)
	selRe  = regexp.MustCompile(`(?is)<select\b([^>]*)>(.*?)</select>`)
	optRe  = regexp.MustCompile(`(?is)<option\b([^>]*)>`)
)

// getForms returns the URLs the page's GET forms lead to, filled in with
// their values (a select's last option: a comparison of two versions).
func getForms(body string) []string {
	var out []string
	for _, f := range formRe.FindAllStringSubmatch(body, -1) {
		m := methRe.FindStringSubmatch(f[1])
		a := actRe.FindStringSubmatch(f[1])
		if m == nil || !strings.EqualFold(m[1], "get") || a == nil {
			continue
		}
		q := url.Values{}
		for _, in := range inRe.FindAllString(f[2], -1) {
			if n := nameRe.FindStringSubmatch(in); n != nil {
				v := ""
				if x := valRe.FindStringSubmatch(in); x != nil {
					v = html.UnescapeString(x[1])
				}
				q.Set(html.UnescapeString(n[1]), v)
			}
		}
		for _, sel := range selRe.FindAllStringSubmatch(f[2], -1) {
			n := nameRe.FindStringSubmatch(sel[1])
			opts := optRe.FindAllStringSubmatch(sel[2], -1)
			if n == nil || len(opts) == 0 {
				continue
			}
			if v := valRe.FindStringSubmatch(opts[len(opts)-1][1]); v != nil {
				q.Set(html.UnescapeString(n[1]), html.UnescapeString(v[1]))
			}
		}
		out = append(out, html.UnescapeString(a[1])+"?"+q.Encode())
	}
	return out
}

// visibleText is what a person reads or hears on a page: the text outside
// tags and the labels in attributes; scripts, styles and <code> (API names
// of fields) left out.
func visibleText(page string) string {
	page = skipRe.ReplaceAllString(page, " ")
	var b strings.Builder
	for _, m := range attrRe.FindAllStringSubmatch(page, -1) {
		b.WriteString(m[1] + " · ")
	}
	b.WriteString(tagRe.ReplaceAllString(page, " · "))
	return html.UnescapeString(b.String())
}

// foreign returns the words of the other language in text that are not the
// users' data, each with its surroundings.
func (d *demoSite) foreign(lang, text string) []string {
	markers := englishWords
	if lang == "en" {
		markers = swedishWords
	}
	lower := strings.ToLower(text)
	var out []string
	seen := map[string]bool{}
	if lang == "sv" {
		// the account's role beside its name is a code, not a marker word
		for _, m := range roleRe.FindAllString(text, -1) {
			out = append(out, fmt.Sprintf("the role %s", m))
		}
	}
	i := 0
	for _, w := range strings.FieldsFunc(lower, func(r rune) bool { return !unicode.IsLetter(r) }) {
		at := strings.Index(lower[i:], w) + i
		i = at + len(w)
		bad := markers[w] || (lang == "en" && strings.ContainsAny(w, "åäö"))
		if !bad || allowed[w] || d.data.covers(lower, at, w) {
			continue
		}
		ctx := strings.Join(strings.Fields(text[max(0, at-60):min(len(text), at+len(w)+60)]), " ")
		if !seen[ctx] {
			seen[ctx] = true
			out = append(out, fmt.Sprintf("%q in …%s…", w, ctx))
		}
	}
	return out
}

// client is a logged-in browser without JavaScript in one language.
type client struct {
	t    *testing.T
	site *demoSite
	c    *http.Client
	lang string
	csrf string
}

func (d *demoSite) login(t *testing.T, username, lang string) *client {
	t.Helper()
	if c, ok := d.sessions[username+"/"+lang]; ok && username != "" {
		cc := *c
		cc.t = t
		return &cc
	}
	jar, _ := cookiejar.New(nil)
	u, _ := url.Parse(d.url)
	jar.SetCookies(u, []*http.Cookie{{Name: "lang", Value: lang, Path: "/"}})
	c := &client{t: t, site: d, lang: lang, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
	if username == "" {
		return c
	}
	resp, err := c.c.PostForm(d.url+"/login", url.Values{"username": {username}, "password": {demo.Password}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("log in as %s: status %d", username, resp.StatusCode)
	}
	_, body := c.get("/")
	if m := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(body); m != nil {
		c.csrf = m[1]
	}
	d.sessions[username+"/"+lang] = c
	return c
}

func (c *client) get(path string) (int, string) {
	c.t.Helper()
	code, body, _ := c.fetch(path)
	return code, body
}

// fetch GETs a path: the status, the body and where a redirect leads.
func (c *client) fetch(path string) (int, string, string) {
	c.t.Helper()
	resp, err := c.c.Get(c.site.url + path)
	if err != nil {
		c.t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header.Get("Location")
}

func (c *client) post(path string, form url.Values) (int, string) {
	c.t.Helper()
	form.Set("csrf", c.csrf)
	resp, err := c.c.PostForm(c.site.url+path, form)
	if err != nil {
		c.t.Fatalf("POST %s: %v", path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// check reports the other language's words on a page.
func (c *client) check(what, body string) {
	c.t.Helper()
	for _, f := range c.site.foreign(c.lang, visibleText(body)) {
		c.t.Errorf("%s (%s): %s", what, c.lang, f)
	}
}

// shape is a page's route: the path with its ids left out, the query's
// keys without their values.
func shape(u *url.URL) string {
	parts := strings.Split(u.Path, "/")
	for i, p := range parts {
		if strings.ContainsAny(p, "0123456789") || len(p) > 20 || strings.Contains(p, "-") {
			parts[i] = "{}"
		}
	}
	var keys []string
	for k := range u.Query() {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return strings.Join(parts, "/") + "?" + strings.Join(keys, "&")
}

// crawl walks the pages reachable by links from the start page, at most
// two of each shape, and returns the shapes it saw.
func (c *client) crawl(start ...string) map[string]bool {
	c.t.Helper()
	shapes := map[string]int{}
	seen := map[string]bool{}
	queue := slices.Clone(start)
	for len(queue) > 0 {
		path := queue[0]
		queue = queue[1:]
		u, err := url.Parse(path)
		if err != nil || seen[path] {
			continue
		}

		seen[path] = true
		sh := shape(u)
		if shapes[sh] >= 2 {
			continue
		}
		shapes[sh]++
		code, body, loc := c.fetch(path)
		if code >= 500 {
			c.t.Errorf("GET %s: status %d", path, code)
		}
		if code/100 == 3 {
			// a GET form answered with a redirect (compare → diff)
			if strings.HasPrefix(loc, "/") && !strings.HasPrefix(loc, "/login") && !skipLink(loc) {
				queue = append(queue, loc)
			}
			continue
		}
		c.check(fmt.Sprintf("GET %s (%d)", path, code), body)
		var links []string
		for _, m := range hrefRe.FindAllStringSubmatch(body, -1) {
			links = append(links, html.UnescapeString(m[1]))
		}
		for _, next := range append(links, getForms(body)...) {
			if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || skipLink(next) {
				continue
			}
			queue = append(queue, next)
		}
	}
	out := map[string]bool{}
	for sh := range shapes {
		out[sh] = true
	}
	return out
}

// skipLink leaves out what is not a page: the language switch, static
// files, the live stream and downloads (the journal's CSV has its own
// test). The situation report (report.txt, report.pdf) is left out too: it
// is the document the staff sends to Socialstyrelsen and the county board,
// Swedish authorities, and is written in Swedish whatever the UI's
// language (the English link says so). The impact drawings (.svg) wrap the
// registry's names over two lines, which the check of user data cannot
// join; their own words are the pages' catalogue words (the crp. keys).
func skipLink(p string) bool {
	for _, pre := range []string{"/lang", "/static/", "/live", "/sw.js", "/api/"} {
		if strings.HasPrefix(p, pre) {
			return true
		}
	}
	path, _, _ := strings.Cut(p, "?")
	return strings.HasSuffix(path, ".csv") || strings.HasSuffix(path, ".pdf") || strings.HasSuffix(path, ".json") ||
		strings.HasSuffix(path, "/report.txt") || strings.HasSuffix(path, ".svg")
}

// TestLanguage walks the demo in both languages: every page, every error
// a person can provoke, and the situation picture's own words. One demo
// serves the three (seeding it is most of the time).
func TestLanguage(t *testing.T) {
	t.Parallel()
	site := startDemo(t)
	t.Run("pages", func(t *testing.T) { everyPageSpeaksOneLanguage(t, site) })
	t.Run("errors", func(t *testing.T) { everyErrorSpeaksOneLanguage(t, site) })
	t.Run("picture", func(t *testing.T) { pictureReadsInEnglish(t, site) })
}

func everyPageSpeaksOneLanguage(t *testing.T, site *demoSite) {
	// The pages each role must reach: a page no link leads to would
	// escape the walk, so the walk must have seen each of these.
	must := map[string][]string{
		"tib":        {"/?", "/incidents/{}?", "/incidents/{}/print?", "/incidents/{}/dispatch?", "/dispatches/{}?", "/directory?", "/channels?", "/incidents/{}/rounds?", "/rounds/{}?", "/incidents/{}/pictures?", "/pictures/{}?", "/incidents/{}/overview?"},
		"admin":      {"/?", "/directory?", "/directory/import?", "/channels?"},
		"avd":        {"/?", "/unit?", "/inbox?"},
		"observator": {"/?", "/incidents/{}?", "/directory?"},
	}
	for _, lang := range []string{"sv", "en"} {
		for _, user := range []string{"tib", "admin", "avd", "observator"} {
			t.Run(lang+"/"+user, func(t *testing.T) {
				c := site.login(t, user, lang)
				start := []string{"/", "/unit", "/inbox", "/directory", "/directory/import", "/channels"}
				seen := c.crawl(start...)
				t.Logf("walked %d routes: %v", len(seen), keys(seen))
				for _, sh := range must[user] {
					if !seen[sh] {
						t.Errorf("the walk did not reach %s (seen: %v)", sh, keys(seen))
					}
				}
			})
		}
		t.Run(lang+"/anonymous", func(t *testing.T) {
			c := site.login(t, "", lang)
			_, body := c.get("/login")
			c.check("GET /login", body)
			code, body := c.post("/login", url.Values{"username": {"tib"}, "password": {"wrong"}})
			if code != http.StatusUnauthorized {
				t.Errorf("wrong password: status %d", code)
			}
			c.check("POST /login (wrong password)", body)
		})
	}
}

func keys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// postFile posts a multipart form with one file field.
func (c *client) postFile(path, field, name, content string) (int, string) {
	c.t.Helper()
	var buf strings.Builder
	mw := multipart.NewWriter(&buf)
	mw.WriteField("csrf", c.csrf)
	fw, _ := mw.CreateFormFile(field, name)
	io.WriteString(fw, content)
	mw.Close()
	resp, err := c.c.Post(c.site.url+path, mw.FormDataContentType(), strings.NewReader(buf.String()))
	if err != nil {
		c.t.Fatalf("POST %s: %v", path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// firstLink is the first link on a page whose path matches pattern.
func (c *client) firstLink(page, pattern string) string {
	c.t.Helper()
	_, body := c.get(page)
	m := regexp.MustCompile(`href="(` + pattern + `)"`).FindStringSubmatch(body)
	if m == nil {
		c.t.Fatalf("no link %s on %s", pattern, page)
	}
	return m[1]
}

var alertRe = regexp.MustCompile(`(?s)role="alert"[^>]*>(.*?)</(?:p|div)>`)

// everyErrorSpeaksOneLanguage provokes the refusals a person meets —
// bad forms, a bad import, a missing page, a forbidden one, a channel not
// configured, the four-eyes rule, a stale form — and reads each in both
// languages.
func everyErrorSpeaksOneLanguage(t *testing.T, site *demoSite) {
	for _, lang := range []string{"sv", "en"} {
		t.Run(lang, func(t *testing.T) {
			staff := site.login(t, "tib", lang)
			admin := site.login(t, "admin", lang)
			unit := site.login(t, "avd", lang)
			inc := staff.firstLink("/", `/incidents/[0-9A-Z]+`)
			pic := staff.firstLink(inc+"/pictures", `/pictures/[0-9A-Z]+`)
			round := staff.firstLink(inc+"/rounds", `/rounds/[0-9A-Z]+`)
			report := unit.firstLink("/unit", `/rounds/[0-9A-Z]+/report[^"]*`)
			type attempt struct {
				what string
				do   func() (int, string)
			}
			form := func(c *client, path string, kv ...string) func() (int, string) {
				return func() (int, string) {
					v := url.Values{}
					for i := 0; i+1 < len(kv); i += 2 {
						v.Add(kv[i], kv[i+1])
					}
					return c.post(html.UnescapeString(path), v)
				}
			}
			get := func(c *client, path string) func() (int, string) {
				return func() (int, string) { return c.get(path) }
			}
			attempts := []attempt{
				{"open an incident without a title", form(staff, "/incidents", "title", "", "scope", "region", "level", "staff")},
				{"open an incident at an unknown level", form(staff, "/incidents", "title", "Prov", "scope", "region", "level", "orange")},
				{"a journal entry without text", form(staff, inc+"/journal", "kind", "info_in", "text", "")},
				{"a journal entry correcting no number", form(staff, inc+"/journal", "kind", "info_in", "text", "Prov", "corrects", "abc")},
				{"a decision without its details", form(staff, inc+"/journal", "kind", "decision", "text", "Prov")},
				{"a level change to an unknown level", form(staff, inc+"/levels", "scope", "region", "level", "orange", "reason", "Prov")},
				{"a dispatch to no one", form(staff, inc+"/dispatch", "kind", "message", "title", "Prov", "body", "Prov")},
				{"a round without a deadline", form(staff, inc+"/rounds", "title", "Prov")},
				{"a test over a channel not configured", form(admin, "/channels/test", "channel", "sms", "to", "+46701234567")},
				{"approval by a function that may not approve", form(staff, pic+"/approve")},
				{"a report with impossible beds", form(unit, report, "state", "normal", "beds.total", "abc", "beds.occupied", "-3")},
				{"a form without its CSRF token", func() (int, string) {
					resp, err := staff.c.PostForm(site.url+inc+"/journal", url.Values{"kind": {"info_in"}, "text": {"x"}})
					if err != nil {
						t.Fatal(err)
					}
					defer resp.Body.Close()
					b, _ := io.ReadAll(resp.Body)
					return resp.StatusCode, string(b)
				}},
				{"a receipt link that is not one", get(site.login(t, "", lang), "/r/not-a-link")},
				{"an incident that does not exist", get(staff, "/incidents/NOPE")},
				{"a dispatch that does not exist", get(staff, "/dispatches/NOPE")},
				{"a picture that does not exist", get(staff, "/pictures/NOPE")},
				{"a round that does not exist", get(staff, "/rounds/NOPE")},
				{"a unit in the directory that does not exist", get(staff, "/directory?unit=NOPE")},
				{"the import page for a unit account", get(unit, "/directory/import")},
				{"the journal for a unit account", get(unit, inc+"/print")},
				{"a round of another unit", get(unit, round)},
				{"an import with a bad phone number and a bad row", func() (int, string) {
					return admin.postFile("/directory/import", "units", "a1.csv",
						"id,name,type,parent,phone,email,primary,deputies\nx1,Prov,ward,region,07a-123,,,\nx2,Prov två,planet,nowhere,+4612,a@,p1,p1|p1\nx3\n")
				}},
				{"an import with a bad header", func() (int, string) {
					return admin.postFile("/directory/import", "units", "a1.csv", "id;namn;typ\nx1;Prov;ward\n")
				}},
				{"an import of a spreadsheet in UTF-16", func() (int, string) {
					return admin.postFile("/directory/import", "people", "a2.csv", "\xff\xfei\x00d\x00")
				}},
			}
			// a refused form names the field by the label the reader sees
			label := map[string]string{"sv": "Fel i fältet Rubrik (<code>title</code>)", "en": "Error in field Title (<code>title</code>)"}[lang]
			if _, body := attempts[0].do(); !strings.Contains(body, label) {
				t.Errorf("%s: the error does not say %q", attempts[0].what, label)
			}
			for _, a := range attempts {
				code, body := a.do()
				if code < 400 {
					t.Errorf("%s: status %d, not a refusal", a.what, code)
					continue
				}
				alerts := alertRe.FindAllStringSubmatch(body, -1)
				if len(alerts) == 0 && !strings.Contains(body, `class="error"`) {
					t.Errorf("%s: status %d and no error shown", a.what, code)
				}
				staff.check(fmt.Sprintf("%s (%d)", a.what, code), body)
			}
		})
	}
}

// The API answers in English, with the code and the field that never
// change; in Swedish to a client that asks with Accept-Language, and in
// the page's language to the browser's own scripts (its session cookie).
func TestAPIErrorLanguage(t *testing.T) {
	t.Parallel()
	env := fyrtest.Start(t)
	token := env.Token(auth.Staff)
	b := newBrowser(t, env)
	b.login(auth.Staff)
	cases := []struct {
		name, acceptLang string
		cookie           bool
		want             string
	}{
		{"a client", "", false, "is required"},
		{"a client asking for Swedish", "sv-SE,sv;q=0.9,en;q=0.5", false, "måste fyllas i"},
		{"a client asking for English", "en-GB", false, "is required"},
		{"the Swedish page's script", "", true, "måste fyllas i"},
		{"the Swedish page's script in an English browser", "en-US,en;q=0.9", true, "måste fyllas i"},
	}
	for _, c := range cases {
		req, _ := http.NewRequest("POST", env.URL+"/api/v1/incidents", strings.NewReader(`{"scope":"region","level":"staff"}`))
		req.Header.Set("Content-Type", "application/json")
		if c.acceptLang != "" {
			req.Header.Set("Accept-Language", c.acceptLang)
		}
		client := http.DefaultClient
		if c.cookie {
			client = b.c
			req.Header.Set("X-CSRF-Token", b.csrf)
		} else {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var e struct {
			Error struct{ Code, Field, Message string }
		}
		json.NewDecoder(resp.Body).Decode(&e)
		resp.Body.Close()
		if resp.StatusCode != 400 || e.Error.Code != "invalid" || e.Error.Field != "title" || e.Error.Message != c.want {
			t.Errorf("%s: %d %+v; want 400 invalid title %q", c.name, resp.StatusCode, e.Error, c.want)
		}
	}
}

// A situation picture's headings and the levels Fyr writes into it read in
// English on the English pages (the picture, its print, the unit's page);
// the text people wrote stays as written. The walk cannot see these: the
// same Swedish text was also sent as a dispatch, which is users' data.
func pictureReadsInEnglish(t *testing.T, site *demoSite) {
	staff := site.login(t, "tib", "en")
	unit := site.login(t, "avd", "en")
	inc := staff.firstLink("/", `/incidents/[0-9A-Z]+`)
	pic := staff.firstLink(inc+"/pictures", `/pictures/[0-9A-Z]+`)
	var swedish []string
	for _, f := range situation.Fields(situation.Content{}, nil) {
		swedish = append(swedish, ">"+html.EscapeString(f.Label)+"<")
	}
	levels := regexp.MustCompile(`<dd[^>]*>[^<]*(?:normalläge|stabsläge|förstärkningsläge|katastrofläge|\(ansvarig: )`)
	pages := map[string]*client{pic: staff, pic + "/print": staff, "/unit": unit}
	for path, c := range pages {
		code, body := c.get(path)
		if code != 200 || !strings.Contains(body, ">Event<") {
			t.Errorf("GET %s: %d, no heading Event", path, code)
		}
		for _, s := range swedish {
			if strings.Contains(body, s) {
				t.Errorf("GET %s (en) shows %q", path, s)
			}
		}
		if m := levels.FindString(body); m != "" {
			t.Errorf("GET %s (en) shows %q", path, m)
		}
	}
}
