package web_test

import (
	"context"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"fyr/internal/auth"
	"fyr/internal/channel/email"
	"fyr/internal/channel/email/mailtest"
	"fyr/internal/directory"
	"fyr/internal/dispatch"
	"fyr/internal/dispatch/engine"
	"fyr/internal/fyrtest"
	"fyr/internal/incident"
)

// A dispatch goes out by e-mail to a real SMTP server on loopback; the test
// reads the mail and follows its receipt link, as a ward manager would.
func TestEmailDispatchAndReceiptLink(t *testing.T) {
	t.Parallel()
	env := fyrtest.Start(t)
	ctx := context.Background()
	admin, staff := env.Principal(auth.Admin), env.Principal(auth.Staff)
	if _, err := env.Svc.Directory.SetContacts(ctx, &admin, directory.SetContacts{Unit: "avd1", Primary: "p1"}); err != nil {
		t.Fatal(err)
	}
	inc, _ := env.Svc.Incidents.OpenIncident(ctx, staff, incident.Open{Title: "DNS", Scope: "region", Level: incident.Reinforcement})
	d, err := env.Svc.Dispatch.CreateDispatch(ctx, staff, dispatch.Create{Incident: inc.ID, Kind: dispatch.KindMessage,
		Title: "All icke-akut vård ställs in", Body: "Gäller från kl. 08.03 tills vidare.", Audience: dispatch.Audience{Units: []string{"avd1"}},
		Deadline: env.Svc.Now().Add(time.Hour), Channels: []string{dispatch.Email}})
	if err != nil {
		t.Fatal(err)
	}
	mta := mailtest.Start(t)
	sender, err := email.New(email.Config{Host: mta.Host, Port: mta.Port, TLS: email.NoTLS, From: "fyr@region.example"})
	if err != nil {
		t.Fatal(err)
	}
	eng := env.Svc.NewEngine(map[string]engine.Transport{dispatch.Email: engine.ChannelTransport{Sender: sender}}, env.URL)
	if _, err := eng.Round(ctx, d.CreatedAt); err != nil {
		t.Fatal(err)
	}
	wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	mails, err := mta.Wait(wctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	m := mails[0]
	if len(m.To) != 1 || m.To[0] != "anna@test.example" || !strings.Contains(m.Header.Get("Subject"), "icke-akut") ||
		!strings.Contains(m.Body, "Gäller från kl. 08.03") {
		t.Fatalf("mail to %v, subject %q, body %q", m.To, m.Header.Get("Subject"), m.Body)
	}
	link := regexp.MustCompile(regexp.QuoteMeta(env.URL) + `/r/[A-Za-z0-9_.-]+`).FindString(m.Body)
	if link == "" {
		t.Fatalf("no receipt link in %q", m.Body)
	}
	path := strings.TrimPrefix(link, env.URL)
	anon := newBrowser(t, env)
	if code, page := anon.get(path); code != 200 || !strings.Contains(page, "All icke-akut vård ställs in") {
		t.Fatalf("following the link: %d", code)
	}
	if code, _, _ := anon.post(path, url.Values{"readback": {"Uppfattat, vi ställer in"}}); code != 303 {
		t.Fatalf("acknowledging: %d", code)
	}
	_, states, _ := env.Svc.Dispatch.Dispatch(staff, d.Dispatch)
	if a := states[0].Ack; a == nil || a.Channel != dispatch.Email || a.By != "Anna Test" {
		t.Fatalf("receipt: %+v", a)
	}
	if st := states[0]; st.Opened.IsZero() || st.LastAttempt().Outcome != dispatch.Handed {
		t.Fatalf("states: opened %v, last attempt %+v", st.Opened, st.LastAttempt())
	}
}
