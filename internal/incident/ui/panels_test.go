package incidentui_test

import (
	"html/template"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"fyr/internal/auth"
	"fyr/internal/fyrtest"
)

// page fetches path as the holder of token and returns its HTML.
func page(t *testing.T, env *fyrtest.Env, token, path string) string {
	t.Helper()
	req, _ := http.NewRequest("GET", env.URL+path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d %s", path, resp.StatusCode, b)
	}
	return string(b)
}

// The incident page shows the panels the other capabilities register for
// it, in their order, where the journal's readers see them: the situation
// picture's links (order 10), a panel of any other module (here 15), the
// dispatches (20); looking back in time the dispatches are left out and
// the situation's links look back too; a unit account, which may not read
// the journal, gets no panel.
func TestIncidentPageComposesTheRegisteredPanels(t *testing.T) {
	env := fyrtest.Start(t)
	env.Web.HandlePanel("incident", 15, func(r *http.Request, p auth.Principal) (template.HTML, error) {
		return template.HTML(`<p id="test-panel">` + template.HTMLEscapeString(r.PathValue("id")+" "+string(p.Role)) + `</p>`), nil
	})
	staff := env.Token(auth.Staff)
	var inc struct{ ID string }
	if code := env.Do(staff, "POST", "/api/v1/incidents", map[string]any{"title": "Panelprov", "scope": "region", "level": "staff"}, &inc); code != 201 {
		t.Fatalf("open: %d", code)
	}
	html := page(t, env, staff, "/incidents/"+inc.ID)
	sit, mine, disp := strings.Index(html, `id="sit-h"`), strings.Index(html, `id="test-panel"`), strings.Index(html, `id="dispatches-h"`)
	if sit < 0 || mine < 0 || disp < 0 || !(sit < mine && mine < disp) {
		t.Fatalf("panels missing or out of order: situation %d, test %d, dispatches %d", sit, mine, disp)
	}
	if !strings.Contains(html, `<p id="test-panel">`+inc.ID+` staff</p>`) {
		t.Errorf("the panel did not get the page's request and caller")
	}
	if journal := strings.Index(html, `id="journal-h"`); journal < disp {
		t.Errorf("the panels are not before the journal (journal at %d)", journal)
	}

	at := time.Now().Add(time.Minute).Format(time.RFC3339)
	html = page(t, env, staff, "/incidents/"+inc.ID+"?at="+url.QueryEscape(at))
	if strings.Contains(html, `id="dispatches-h"`) || !strings.Contains(html, `id="test-panel"`) {
		t.Errorf("looking back: want the situation and test panels, no dispatches")
	}
	if want := `/incidents/` + inc.ID + `/overview?at=`; !strings.Contains(html, want) {
		t.Errorf("looking back: the roll-up link does not look back (no %q) in %s", want, html[strings.Index(html, `id="sit-h"`):][:400])
	}

	html = page(t, env, env.Token(auth.Unit), "/incidents/"+inc.ID)
	for _, id := range []string{`id="sit-h"`, `id="test-panel"`, `id="dispatches-h"`} {
		if strings.Contains(html, id) {
			t.Errorf("a unit account sees the panel %s", id)
		}
	}
}
