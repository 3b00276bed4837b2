package web_test

import (
	"context"
	"encoding/json"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"fyr/internal/auth"
	"fyr/internal/channel/email"
	"fyr/internal/channel/email/mailtest"
	"fyr/internal/channel/sms"
	"fyr/internal/channel/sms/smstest"
	"fyr/internal/channel/webhook"
	"fyr/internal/directory"
	"fyr/internal/dispatch"
	"fyr/internal/dispatch/engine"
	"fyr/internal/fyrtest"
	"fyr/internal/incident"
)

// A decision sent from the journal reaches the ward with the decision
// itself — its text, who decided with which mandate, from when it applies
// and what the unit must do — in every channel: the e-mail through a real
// SMTP server, the SMS through the 46elks stand-in, the webhook's JSON,
// the unit's inbox and dispatch page, the receipt link's page and the API.
// The title is left to the decision.
func TestDecisionReachesEveryChannelWithItsText(t *testing.T) {
	t.Parallel()
	env := fyrtest.Start(t)
	ctx := context.Background()
	admin, staff := env.Principal(auth.Admin), env.Principal(auth.Staff)
	secret := []byte("shared-webhook-secret-0123456789")
	hooks := make(chan webhook.Payload, 4)
	unitSystem := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		var p webhook.Payload
		if err := json.Unmarshal(body, &p); err != nil {
			t.Errorf("webhook body: %v", err)
		}
		hooks <- p
	}))
	defer unitSystem.Close()
	if _, err := env.Svc.Directory.SetContacts(ctx, &admin, directory.SetContacts{Unit: "avd1", Primary: "p1", Webhook: unitSystem.URL}); err != nil {
		t.Fatal(err)
	}
	inc, err := env.Svc.Incidents.OpenIncident(ctx, staff, incident.Open{Title: "DNS-fel", Scope: "region", Level: incident.Reinforcement})
	if err != nil {
		t.Fatal(err)
	}
	const text = "All icke-akut vård i regionen ställs in från kl. 08.03 tills vidare."
	entry, err := env.Svc.Incidents.Record(ctx, staff, incident.Record{Incident: inc.ID, Kind: incident.Decision, Text: text,
		Decision: &incident.DecisionInfo{DecisionMaker: "Sara Sjukvårdsledare", Mandate: "RSSL enligt krisledningsplanen",
			Rationale: "Journalsystemet är otillgängligt"}})
	if err != nil {
		t.Fatal(err)
	}
	const action = "Avboka planerade besök; akuta flöden som vanligt."
	d, err := env.Svc.Dispatch.CreateDispatch(ctx, staff, dispatch.Create{Incident: inc.ID, Kind: dispatch.KindDecision, Decision: entry.ID,
		Body: action, Audience: dispatch.Audience{Units: []string{"avd1"}}, Deadline: env.Svc.Now().Add(time.Hour),
		Channels: []string{dispatch.Email, dispatch.SMS, dispatch.Webhook}})
	if err != nil {
		t.Fatal(err)
	}
	if d.Title != text {
		t.Errorf("the title the decision gives: %q", d.Title)
	}

	mta := mailtest.Start(t)
	mailer, err := email.New(email.Config{Host: mta.Host, Port: mta.Port, TLS: email.NoTLS, From: "fyr@region.example"})
	if err != nil {
		t.Fatal(err)
	}
	gw := smstest.New(smstest.Options{})
	defer gw.Close()
	texter, err := sms.New(sms.Config{Gateways: []sms.Gateway{gw.Config("46elks")}})
	if err != nil {
		t.Fatal(err)
	}
	poster, err := webhook.New(webhook.Config{Secret: secret})
	if err != nil {
		t.Fatal(err)
	}
	eng := env.Svc.NewEngine(map[string]engine.Transport{dispatch.Email: engine.ChannelTransport{Sender: mailer},
		dispatch.SMS: engine.ChannelTransport{Sender: texter}, dispatch.Webhook: engine.ChannelTransport{Sender: poster}}, env.URL)
	// The first step goes by e-mail and to the unit's system; the resend,
	// ten minutes on, by SMS.
	for _, at := range []time.Time{d.CreatedAt, d.CreatedAt.Add(time.Duration(d.Escalation.Resend) * time.Minute)} {
		if _, err := eng.Round(ctx, at); err != nil {
			t.Fatal(err)
		}
	}
	wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	mails, err := mta.Wait(wctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	texts, err := gw.Wait(wctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	var hook webhook.Payload
	select {
	case hook = <-hooks:
	case <-wctx.Done():
		t.Fatal("the unit's system got no webhook")
	}

	facts := []string{text, "Sara Sjukvårdsledare", "RSSL enligt krisledningsplanen"}
	applies := "Gäller från: " + entry.OccurredAt.In(stockholm(t)).Format("2006-01-02 15:04")
	for _, want := range append(facts, applies, action) {
		if !strings.Contains(mails[0].Body, want) {
			t.Errorf("the e-mail lacks %q:\n%s", want, mails[0].Body)
		}
		if !strings.Contains(texts[0].Message, want) {
			t.Errorf("the SMS lacks %q:\n%s", want, texts[0].Message)
		}
		if !strings.Contains(hook.Text, want) {
			t.Errorf("the webhook's text lacks %q:\n%s", want, hook.Text)
		}
	}
	if c := hook.Decision; c == nil || c.Text != text || c.DecisionMaker != "Sara Sjukvårdsledare" || c.Mandate != "RSSL enligt krisledningsplanen" ||
		!c.AppliesFrom.Equal(entry.OccurredAt) || c.Action != action {
		t.Errorf("the webhook's decision: %+v", hook.Decision)
	}

	// The API gives the decision to the staff, the pages to the unit.
	var board struct{ Dispatch dispatch.Dispatch }
	env.Do(env.Token(auth.Staff), "GET", "/api/v1/dispatches/"+string(d.Dispatch), nil, &board)
	if c := board.Dispatch.Content; c == nil || c.Text != text || c.DecisionMaker != "Sara Sjukvårdsledare" || board.Dispatch.Body != action {
		t.Errorf("the API's dispatch: %+v", board.Dispatch)
	}
	unit := newBrowser(t, env)
	unit.login(auth.Unit)
	if _, inbox := unit.get("/inbox"); !strings.Contains(html.UnescapeString(inbox), text) {
		t.Error("the unit's inbox lacks the decision's text")
	}
	_, page := unit.get("/dispatches/" + string(d.Dispatch))
	page = html.UnescapeString(page)
	for _, want := range append(facts, "Gäller från", action, "Journalsystemet är otillgängligt") {
		if !strings.Contains(page, want) {
			t.Errorf("the unit's page of the dispatch lacks %q", want)
		}
	}
	link := regexp.MustCompile(regexp.QuoteMeta(env.URL) + `/r/[A-Za-z0-9_.-]+`).FindString(texts[0].Message)
	anon := newBrowser(t, env)
	if _, page := anon.get(strings.TrimPrefix(link, env.URL)); link == "" || !strings.Contains(html.UnescapeString(page), text) ||
		!strings.Contains(html.UnescapeString(page), "RSSL enligt krisledningsplanen") {
		t.Errorf("the receipt link %q does not open the decision", link)
	}
}

func stockholm(t *testing.T) *time.Location {
	loc, err := time.LoadLocation("Europe/Stockholm")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}
