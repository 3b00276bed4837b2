package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"fyr/internal/auth"
	"fyr/internal/channel/webhook"
	"fyr/internal/directory"
	"fyr/internal/dispatch"
	"fyr/internal/dispatch/engine"
	"fyr/internal/fyrtest"
	"fyr/internal/incident"
)

// A unit's own system gets the dispatch as a signed webhook and
// acknowledges it with a signed request back. Unsigned, wrongly signed,
// stale and replayed receipts change nothing.
func TestWebhookDispatchAndSignedReceipt(t *testing.T) {
	t.Parallel()
	env := fyrtest.Start(t)
	ctx := context.Background()
	secret := []byte("shared-webhook-secret-0123456789")
	env.Web.EnableWebhookReceipts(secret)

	got := make(chan webhook.Payload, 4)
	unitSystem := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if err := webhook.Verify(secret, r.Header.Get(webhook.SignatureHeader), body, time.Now(), 0); err != nil {
			t.Errorf("the webhook Fyr sent does not verify: %v", err)
		}
		var p webhook.Payload
		if err := json.Unmarshal(body, &p); err != nil {
			t.Errorf("webhook body: %v", err)
		}
		got <- p
	}))
	defer unitSystem.Close()

	admin, staff := env.Principal(auth.Admin), env.Principal(auth.Staff)
	if _, err := env.Svc.Directory.SetContacts(ctx, &admin, directory.SetContacts{Unit: "avd1", Primary: "p1", Webhook: unitSystem.URL + "/fyr"}); err != nil {
		t.Fatal(err)
	}
	inc, _ := env.Svc.Incidents.OpenIncident(ctx, staff, incident.Open{Title: "DNS", Scope: "region", Level: incident.Staff})
	d, err := env.Svc.Dispatch.CreateDispatch(ctx, staff, dispatch.Create{Incident: inc.ID, Kind: dispatch.KindMessage, Title: "Ställ in planerad vård",
		Audience: dispatch.Audience{Units: []string{"avd1"}}, Question: &dispatch.Question{Text: "Klart?", Answers: []string{"Ja", "Nej"}},
		Deadline: env.Svc.Now().Add(time.Hour), Channels: []string{dispatch.InApp, dispatch.Webhook}})
	if err != nil {
		t.Fatal(err)
	}
	sender, err := webhook.New(webhook.Config{Secret: secret})
	if err != nil {
		t.Fatal(err)
	}
	eng := env.Svc.NewEngine(map[string]engine.Transport{dispatch.Webhook: engine.ChannelTransport{Sender: sender}}, env.URL)
	if _, err := eng.Round(ctx, d.CreatedAt); err != nil {
		t.Fatal(err)
	}
	var p webhook.Payload
	select {
	case p = <-got:
	case <-time.After(10 * time.Second):
		t.Fatal("the unit's system got no webhook")
	}
	if p.AttemptID == "" || p.Subject == "" || p.ReceiptURL == "" {
		t.Fatalf("webhook payload lacks the attempt, subject or receipt link: %+v", p)
	}
	// The first step went in-app to the primary contact and by webhook to
	// the unit's system, both recorded.
	_, states, _ := env.Svc.Dispatch.Dispatch(staff, d.Dispatch)
	var channels []string
	for _, a := range states[0].Attempts {
		channels = append(channels, a.Channel+"/"+a.Outcome)
	}
	if len(channels) != 2 || channels[0] != "inapp/handed" || channels[1] != "webhook/handed" {
		t.Fatalf("attempts of the first step: %v", channels)
	}

	// post returns the status and the field the error names.
	post := func(body []byte, signature string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest("POST", env.URL+"/hooks/webhook/receipt", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if signature != "" {
			req.Header.Set(webhook.SignatureHeader, signature)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out struct{ Error struct{ Field string } }
		json.NewDecoder(resp.Body).Decode(&out)
		return resp.StatusCode, out.Error.Field
	}
	receipt, _ := json.Marshal(map[string]string{"attempt_id": p.AttemptID, "by": "Avdelningsskärm 3", "answer": "Ja"})
	bad := []struct {
		name      string
		body      []byte
		signature string
		code      int
		field     string
	}{
		{"unsigned", receipt, "", 401, webhook.SignatureHeader},
		{"signed with another secret", receipt, webhook.Sign([]byte("not-the-shared-secret-000000"), time.Now(), receipt), 401, webhook.SignatureHeader},
		{"stale", receipt, webhook.Sign(secret, time.Now().Add(-time.Hour), receipt), 401, webhook.SignatureHeader},
		{"body changed after signing", []byte(`{"attempt_id":"x"}`), webhook.Sign(secret, time.Now(), receipt), 401, webhook.SignatureHeader},
		{"unknown attempt", []byte(`{"attempt_id":"nope"}`), webhook.Sign(secret, time.Now(), []byte(`{"attempt_id":"nope"}`)), 400, "attempt_id"},
		{"unknown field", []byte(`{"attempt_id":"x","who":"a"}`), webhook.Sign(secret, time.Now(), []byte(`{"attempt_id":"x","who":"a"}`)), 400, "who"},
	}
	before := env.Svc.Seq()
	for _, c := range bad {
		code, out := post(c.body, c.signature)
		if code != c.code || out != c.field {
			t.Errorf("%s: %d %v, want %d naming %q", c.name, code, out, c.code, c.field)
		}
	}
	if env.Svc.Seq() != before {
		t.Fatal("a refused webhook receipt wrote to the log")
	}

	sig := webhook.Sign(secret, time.Now(), receipt)
	if code, out := post(receipt, sig); code != 200 {
		t.Fatalf("signed receipt: %d %v", code, out)
	}
	_, states, _ = env.Svc.Dispatch.Dispatch(staff, d.Dispatch)
	if a := states[0].Ack; a == nil || a.Channel != dispatch.Webhook || a.By != "Avdelningsskärm 3" || a.Answer != "Ja" {
		t.Fatalf("receipt by webhook: %+v", a)
	}
	after := env.Svc.Seq()
	// The same signed request again is a replay; a fresh signature over the
	// same receipt reuses the attempt. Neither writes.
	if code, out := post(receipt, sig); code != 401 || out != webhook.SignatureHeader {
		t.Errorf("replayed receipt: %d %v", code, out)
	}
	if code, out := post(receipt, webhook.Sign(secret, time.Now().Add(time.Second), receipt)); code != 400 || out != "attempt_id" {
		t.Errorf("receipt for a used attempt: %d %v", code, out)
	}
	if env.Svc.Seq() != after {
		t.Fatal("a replayed webhook receipt wrote to the log")
	}
}
