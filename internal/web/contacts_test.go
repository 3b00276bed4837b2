package web_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"fyr/internal/auth"
	"fyr/internal/directory"
	"fyr/internal/fyrtest"
)

func getPage(t *testing.T, env *fyrtest.Env, token, path string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", env.URL+path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// Contacts of other units are for the staff and the admin; a unit account
// reads its own unit's and only the names of its parent unit's contacts —
// over the API and on the directory pages.
func TestContactsOfOtherUnitsAreForTheStaff(t *testing.T) {
	t.Parallel()
	env := fyrtest.Start(t)
	ctx := context.Background()
	const (
		ownMobile     = "+46701740605" // Anna Test of avd1 (seeded)
		parentMobile  = "+46702223344"
		parentPhone   = "+46462220000"
		siblingMobile = "+46703334455"
		siblingEmail  = "bo@syskon.example"
	)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(env.Svc.Directory.AddUnit(ctx, "test", directory.Unit{ID: "avd2", Name: "Avdelning 2", Type: directory.Ward, Parent: fyrtest.Hospital}))
	must(env.Svc.Directory.AddPerson(ctx, "test", directory.Person{ID: "p2", Name: "Petra Förälder", Unit: fyrtest.Hospital, Mobile: parentMobile}))
	must(env.Svc.Directory.AddPerson(ctx, "test", directory.Person{ID: "p3", Name: "Bo Syskon", Unit: "avd2", Mobile: siblingMobile, Email: siblingEmail}))
	for unit, c := range map[string]directory.SetContacts{
		"avd1":           {Primary: "p1"},
		fyrtest.Hospital: {Primary: "p2", Phone: parentPhone},
		"avd2":           {Primary: "p3"},
	} {
		c.Unit = unit
		_, err := env.Svc.Directory.SetContacts(ctx, nil, c)
		must(err)
	}
	tokens := map[auth.Role]string{}
	for _, r := range auth.Roles {
		tokens[r] = env.Token(r)
	}
	type want struct {
		status int
		has    []string // in the answer
		hasNot []string // nowhere in the answer
	}
	numbers := []string{ownMobile, parentMobile, parentPhone, siblingMobile, siblingEmail}
	full := func(has ...string) want { return want{200, has, nil} }
	cases := map[auth.Role]map[string]want{
		auth.Admin: {"avd1": full(ownMobile), fyrtest.Hospital: full(parentMobile, parentPhone), "avd2": full(siblingMobile, siblingEmail)},
		auth.Staff: {"avd1": full(ownMobile), fyrtest.Hospital: full(parentMobile, parentPhone), "avd2": full(siblingMobile, siblingEmail)},
		auth.Unit: {"avd1": full(ownMobile), fyrtest.Hospital: {200, []string{"Petra Förälder"}, numbers},
			"avd2": {403, nil, numbers}, "region": {403, nil, numbers}},
		auth.Viewer: {"avd1": {403, nil, numbers}, fyrtest.Hospital: {403, nil, numbers}, "avd2": {403, nil, numbers}},
	}
	for role, units := range cases {
		for unit, w := range units {
			code, body := getPage(t, env, tokens[role], "/api/v1/directory/units/"+unit+"/reach")
			if code != w.status {
				t.Errorf("%s reading %s's contacts: %d, want %d", role, unit, code, w.status)
			}
			for _, s := range w.has {
				if !strings.Contains(body, s) {
					t.Errorf("%s reading %s's contacts: %q missing", role, unit, s)
				}
			}
			for _, s := range w.hasNot {
				if strings.Contains(body, s) {
					t.Errorf("%s reading %s's contacts: %q shown", role, unit, s)
				}
			}
		}
	}
	// The pages: a unit's own page, its parent's, a sibling's, and a search.
	pages := map[auth.Role]map[string]want{
		auth.Staff: {"/directory?unit=avd2": full(siblingMobile), "/directory?q=Bo": full(siblingMobile, siblingEmail)},
		auth.Unit: {"/directory?unit=avd1": full(ownMobile),
			"/directory?unit=" + fyrtest.Hospital: {200, []string{"Petra Förälder"}, []string{parentMobile, parentPhone, siblingMobile}},
			"/directory?unit=avd2":                {200, []string{`id="contacts-hidden"`, "Bo Syskon"}, []string{siblingMobile, siblingEmail}},
			"/directory?q=Bo":                     {200, []string{"Bo Syskon"}, []string{siblingMobile, siblingEmail}},
			"/directory?q=Petra":                  {200, []string{"Petra Förälder"}, []string{parentMobile}},
		},
		auth.Viewer: {"/directory?unit=avd1": {200, []string{`id="contacts-hidden"`}, []string{ownMobile}},
			"/directory?q=Anna": {200, []string{"Anna Test"}, []string{ownMobile}}},
	}
	for role, paths := range pages {
		for path, w := range paths {
			code, body := getPage(t, env, tokens[role], path)
			if code != w.status {
				t.Errorf("%s on %s: %d, want %d", role, path, code, w.status)
			}
			for _, s := range w.has {
				if !strings.Contains(body, strings.TrimPrefix(s, "+")) { // html/template writes + as &#43;
					t.Errorf("%s on %s: %q missing", role, path, s)
				}
			}
			for _, s := range w.hasNot {
				if strings.Contains(body, strings.TrimPrefix(s, "+")) {
					t.Errorf("%s on %s: %q shown", role, path, s)
				}
			}
		}
	}
}
