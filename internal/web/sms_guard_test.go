package web_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"fyr/internal/auth"
	"fyr/internal/channel/sms"
	"fyr/internal/channel/sms/smstest"
	"fyr/internal/directory"
	"fyr/internal/dispatch"
	"fyr/internal/dispatch/engine"
	"fyr/internal/fyrtest"
	"fyr/internal/incident"
)

// Reply codes cannot be guessed: after five wrong codes from one number,
// that number's replies are refused — even with the right code — and
// answered so; another number is not affected; the channels page shows
// the number as refused.
func TestSMSReplyCodesAreThrottledPerSender(t *testing.T) {
	t.Parallel()
	env := fyrtest.Start(t)
	ctx := context.Background()
	const key = "hook-secret-1"
	env.Web.EnableHooks(key)
	admin, staff := env.Principal(auth.Admin), env.Principal(auth.Staff)
	if _, err := env.Svc.Directory.SetContacts(ctx, &admin, directory.SetContacts{Unit: "avd1", Primary: "p1"}); err != nil {
		t.Fatal(err)
	}
	inc, _ := env.Svc.Incidents.OpenIncident(ctx, staff, incident.Open{Title: "DNS", Scope: "region", Level: incident.Staff})
	d, err := env.Svc.Dispatch.CreateDispatch(ctx, staff, dispatch.Create{Incident: inc.ID, Kind: dispatch.KindMessage, Title: "Läget?",
		Audience: dispatch.Audience{Units: []string{"avd1"}}, Deadline: env.Svc.Now().Add(time.Hour), Channels: []string{dispatch.SMS}})
	if err != nil {
		t.Fatal(err)
	}
	gw := smstest.New(smstest.Options{})
	defer gw.Close()
	client, err := sms.New(sms.Config{Gateways: []sms.Gateway{gw.Config("46elks")}})
	if err != nil {
		t.Fatal(err)
	}
	eng := env.Svc.NewEngine(map[string]engine.Transport{dispatch.SMS: engine.ChannelTransport{Sender: client}}, env.URL)
	if _, err := eng.Round(ctx, d.CreatedAt); err != nil {
		t.Fatal(err)
	}
	wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	sent, err := gw.Wait(wctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	code := regexp.MustCompile(`OK (\d{6})`).FindStringSubmatch(sent[0].Message)[1]
	wrong := "000000"
	if code == wrong {
		wrong = "111111"
	}
	reply := func(from, message string) string {
		t.Helper()
		resp, err := http.PostForm(env.URL+"/hooks/sms/inbound?key="+key, url.Values{"direction": {"incoming"}, "id": {"x"},
			"from": {from}, "to": {"+46700000000"}, "message": {message}, "created": {time.Now().UTC().Format(sms.TimeLayout)}})
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return string(b)
	}
	const contact, stranger = "+46701740605", "+46709876543"
	for i := range dispatch.SMSFreeWrong {
		if got := reply(contact, "OK "+wrong); !strings.Contains(got, "inte registreras") {
			t.Fatalf("wrong code %d answered %q", i+1, got)
		}
	}
	before := env.Svc.Seq()
	if got := reply(contact, "OK "+code); !strings.Contains(got, "för många fel koder") {
		t.Fatalf("the right code from a refused number answered %q", got)
	}
	if env.Svc.Seq() != before {
		t.Fatal("a refused number's reply recorded something")
	}
	if got := reply(stranger, "OK "+wrong); !strings.Contains(got, "inte registreras") || strings.Contains(got, "för många") {
		t.Fatalf("another number's first wrong code answered %q", got)
	}
	code2, page := getPage(t, env, env.Token(auth.Staff), "/channels")
	if code2 != 200 {
		t.Fatalf("/channels: %d", code2)
	}
	section := page[strings.Index(page, `id="sms-guessers"`):]
	if !strings.Contains(section, "46701740605") || !strings.Contains(section, "spärrat till") || !strings.Contains(section, "46709876543") {
		t.Fatalf("the channels page does not show the refused and the watched number:\n%s", section[:min(len(section), 2000)])
	}
	// The coverage board tells the staff where each attempt went; a viewer
	// sees who was tried, not the number (contacts are for the staff).
	for role, want := range map[auth.Role]bool{auth.Staff: true, auth.Viewer: false} {
		_, board := getPage(t, env, env.Token(role), "/api/v1/dispatches/"+string(d.Dispatch))
		if got := strings.Contains(board, contact); got != want {
			t.Errorf("%s: the board API shows the number: %v, want %v", role, got, want)
		}
	}
}
