package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"fyr/internal/channel/sms/smstest"
	"fyr/internal/dispatch/engine"
)

// postCSV imports a directory file through the API.
func (s *server) postCSV(token, path, body string) {
	s.t.Helper()
	req, _ := http.NewRequest("POST", s.URL+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "text/csv")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := s.client.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		b, _ := io.ReadAll(resp.Body)
		s.t.Fatalf("import %s: %d %s", path, resp.StatusCode, b)
	}
}

var replyCode = regexp.MustCompile(`OK (\d{6})`)

// Kill -9 in the middle of a dispatch that goes out as SMS, restart: every
// contact is reached, and the only messages that may go twice are those in
// flight at the kill (at most engine.PerChannel), sent again as the same
// attempt (same reply code): the 46elks API has no idempotency key, so that
// cannot be ruled out.
func TestCrashInTheMiddleOfADispatch(t *testing.T) {
	gw := smstest.New(smstest.Options{})
	defer gw.Close()
	cfg := gw.Config("stand-in")
	t.Setenv("FYR_SMS_URL", cfg.URL)
	t.Setenv("FYR_SMS_USER", cfg.Username)
	t.Setenv("FYR_SMS_PASSWORD", cfg.Password)
	t.Setenv("FYR_SMS_FROM", cfg.From)
	t.Setenv("FYR_ENGINE_INTERVAL", "100ms")

	const n = 40
	dir := t.TempDir()
	s := startServer(t, dir)
	token := s.login()
	var units, people, contacts strings.Builder
	units.WriteString("id,name,type,parent,phone,email,primary,deputies\nregion,Regionen,region,,,,,\n")
	people.WriteString("id,name,unit,function,mobile,email\n")
	contacts.WriteString("id,name,type,parent,phone,email,primary,deputies\nregion,Regionen,region,,,,,\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&units, "u%02d,Avdelning %d,ward,region,,,,\n", i, i)
		fmt.Fprintf(&people, "p%02d,Person %d,u%02d,Avdelningschef,+467017406%02d,\n", i, i, i, 5+i)
		fmt.Fprintf(&contacts, "u%02d,Avdelning %d,ward,region,,,p%02d,\n", i, i, i)
	}
	s.postCSV(token, "/api/v1/directory/units", units.String())
	s.postCSV(token, "/api/v1/directory/people", people.String())
	s.postCSV(token, "/api/v1/directory/units", contacts.String())
	incident := s.openIncident(token, "IT-avbrott")
	if err := s.call(context.Background(), token, "POST", "/api/v1/incidents/"+incident+"/dispatches", map[string]any{
		"kind": "message", "title": "Ställ in icke-akut vård", "audience": map[string]any{"types": []string{"ward"}},
		"deadline": time.Now().Add(time.Hour).Format(time.RFC3339), "channels": []string{"sms"},
		"escalation": map[string]int{"resend_min": 600, "deputies_min": 700, "parent_min": 800}}, nil, 201); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if _, err := gw.Wait(ctx, n/4); err != nil {
		t.Fatal(err)
	}
	s.kill()
	atKill := len(gw.Sent())
	if atKill >= n {
		t.Fatalf("all %d messages went out before the kill: the test proves nothing", atKill)
	}

	s = startServer(t, dir)
	// number → reply codes of the messages it got; recounted from all that
	// the gateway has whenever one more arrives.
	var reached map[string][]string
	for {
		sent := gw.Sent()
		reached = map[string][]string{}
		for _, m := range sent {
			code := replyCode.FindStringSubmatch(m.Message)
			if code == nil {
				t.Fatalf("an SMS without a reply code: %q", m.Message)
			}
			reached[m.To] = append(reached[m.To], code[1])
		}
		if len(reached) == n {
			break
		}
		if _, err := gw.Wait(ctx, len(sent)+1); err != nil {
			t.Fatalf("after the restart only %d of %d contacts were reached: %v", len(reached), n, err)
		}
	}
	twice := 0
	for number, codes := range reached {
		if len(codes) > 1 {
			twice++
			if len(codes) > 2 || codes[0] != codes[1] {
				t.Errorf("%s got %v: more than its attempt in flight at the kill, sent again", number, codes)
			}
		}
	}
	if twice > engine.PerChannel {
		t.Errorf("%d contacts got their message twice; at most the %d in flight at the kill may", twice, engine.PerChannel)
	}
	t.Logf("%d of %d messages had gone out at the kill; %d sent twice", atKill, n, twice)
	s.stop()
	if v := runVerify(t, dir); v.Code != 0 {
		t.Fatalf("verify after the crash: %+v", v)
	}
}
