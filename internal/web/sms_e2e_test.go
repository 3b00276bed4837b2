package web_test

import (
	"context"
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

// A dispatch goes out as SMS through a stand-in for the 46elks API; the
// contact replies "OK <code> Ja" and the gateway's inbound webhook records
// the receipt. A wrong code is answered in words and records nothing.
func TestSMSDispatchAndReplyThroughTheGateway(t *testing.T) {
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
	d, err := env.Svc.Dispatch.CreateDispatch(ctx, staff, dispatch.Create{Incident: inc.ID, Kind: dispatch.KindMessage, Title: "Kan ni ta akuta i natt?",
		Audience: dispatch.Audience{Units: []string{"avd1"}}, Question: &dispatch.Question{Text: "Akuta i natt?", Answers: []string{"Ja", "Nej"}},
		Deadline: env.Svc.Now().Add(time.Hour), Channels: []string{dispatch.SMS}})
	if err != nil {
		t.Fatal(err)
	}
	gw := smstest.New(smstest.Options{InboundURL: env.URL + "/hooks/sms/inbound?key=" + key})
	defer gw.Close()
	gwc := gw.Config("46elks")
	gwc.DeliveryURL = env.URL + "/hooks/sms/delivery?key=" + key
	client, err := sms.New(sms.Config{Gateways: []sms.Gateway{gwc}})
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
	msg := sent[0]
	code := regexp.MustCompile(`OK (\d{6})`).FindStringSubmatch(msg.Message)
	if msg.To != "+46701740605" || code == nil || !strings.Contains(msg.Message, env.URL+"/r/") {
		t.Fatalf("the SMS %+v lacks the number, the reply code or the receipt link", msg)
	}
	// The gateway reports the SMS delivered.
	if err := gw.Report(msg.ID, sms.StatusDelivered); err != nil {
		t.Fatal(err)
	}
	before := env.Svc.Seq()
	if _, err := gw.Reply("+46701740605", "OK 999999"); err != nil {
		t.Fatal(err)
	}
	if env.Svc.Seq() != before {
		t.Fatal("a wrong code recorded something")
	}
	if _, err := gw.Reply("+46701740605", "ok "+code[1]+" ja, två platser"); err != nil {
		t.Fatal(err)
	}
	_, states, _ := env.Svc.Dispatch.Dispatch(staff, d.Dispatch)
	a := states[0].Ack
	if a == nil || a.Channel != dispatch.SMS || a.Answer != "Ja" || a.By != "Anna Test" || a.Readback != "ja, två platser" {
		t.Fatalf("receipt by SMS reply: %+v", a)
	}
	if last := states[0].LastAttempt(); last.Outcome != dispatch.Delivered || last.Provider != "46elks" {
		t.Fatalf("attempt after the delivery report: %+v", last)
	}
	if code := env.Do("", "POST", "/hooks/sms/delivery?key=wrong", map[string]string{}, nil); code != 403 {
		t.Fatalf("delivery hook with a wrong key: %d", code)
	}
	// The hook is closed to anyone without the key.
	if code := env.Do("", "POST", "/hooks/sms/inbound?key=wrong", map[string]string{}, nil); code != 403 {
		t.Fatalf("hook with a wrong key: %d", code)
	}
}

// With two gateways, an SMS the first took but never reported delivered
// goes once more through the second after the report window; one reported
// delivered in time does not, and one reported undelivered goes over at
// the next round.
func TestSMSFailoverWhenNoDeliveryReport(t *testing.T) {
	t.Parallel()
	env := fyrtest.Start(t)
	ctx := context.Background()
	const key = "hook-secret-2"
	env.Web.EnableHooks(key)
	admin, staff := env.Principal(auth.Admin), env.Principal(auth.Staff)
	if _, err := env.Svc.Directory.SetContacts(ctx, &admin, directory.SetContacts{Unit: "avd1", Primary: "p1"}); err != nil {
		t.Fatal(err)
	}
	inc, _ := env.Svc.Incidents.OpenIncident(ctx, staff, incident.Open{Title: "DNS", Scope: "region", Level: incident.Staff})
	first, second := smstest.New(smstest.Options{}), smstest.New(smstest.Options{})
	defer first.Close()
	defer second.Close()
	var gws []sms.Gateway
	for i, g := range []*smstest.Gateway{first, second} {
		c := g.Config([]string{"elks-1", "elks-2"}[i])
		c.DeliveryURL = env.URL + "/hooks/sms/delivery?key=" + key
		gws = append(gws, c)
	}
	client, err := sms.New(sms.Config{Gateways: gws})
	if err != nil {
		t.Fatal(err)
	}
	eng := env.Svc.NewEngine(map[string]engine.Transport{dispatch.SMS: engine.ChannelTransport{Sender: client}}, env.URL)
	eng.FailOverAfter(3 * time.Minute)
	send := func(title string) dispatch.Dispatch {
		t.Helper()
		d, err := env.Svc.Dispatch.CreateDispatch(ctx, staff, dispatch.Create{Incident: inc.ID, Kind: dispatch.KindMessage, Title: title,
			Audience: dispatch.Audience{Units: []string{"avd1"}}, Deadline: env.Svc.Now().Add(time.Hour), Channels: []string{dispatch.SMS}})
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	round := func(at time.Time) {
		t.Helper()
		if _, err := eng.Round(ctx, at); err != nil {
			t.Fatal(err)
		}
	}
	counts := func() (int, int) { return len(first.Sent()), len(second.Sent()) }

	silent, reported, refused := send("Inget kvitto"), send("Levererat"), send("Ej levererat")
	t0 := refused.CreatedAt // the last one: all three are due
	round(t0)
	if a, b := counts(); a != 3 || b != 0 {
		t.Fatalf("first round: %d SMS through the first gateway and %d through the second, want 3 and 0", a, b)
	}
	byTitle := map[string]string{}
	for _, m := range first.Sent() {
		byTitle[strings.SplitN(strings.TrimPrefix(m.Message, "Fyr - krisledningen: "), "\n", 2)[0]] = m.ID
	}
	if err := first.Report(byTitle["Levererat"], sms.StatusDelivered); err != nil {
		t.Fatal(err)
	}
	if err := first.Report(byTitle["Ej levererat"], sms.StatusFailed); err != nil {
		t.Fatal(err)
	}
	round(t0.Add(time.Minute))
	if a, b := counts(); a != 3 || b != 1 {
		t.Fatalf("after an undelivered report: %d and %d SMS, want 3 and 1", a, b)
	}
	// Attempts carry the service clock's time, a moment after t0.
	round(t0.Add(3*time.Minute + 30*time.Second))
	if a, b := counts(); a != 3 || b != 2 {
		t.Fatalf("after the report window: %d and %d SMS, want 3 and 2", a, b)
	}
	round(t0.Add(4 * time.Minute))
	if a, b := counts(); a != 3 || b != 2 {
		t.Fatalf("a failover went out twice: %d and %d SMS", a, b)
	}
	for _, c := range []struct {
		d        dispatch.Dispatch
		attempts int
	}{{silent, 2}, {reported, 1}, {refused, 2}} {
		_, states, _ := env.Svc.Dispatch.Dispatch(staff, c.d.Dispatch)
		as := states[0].Attempts
		if len(as) != c.attempts {
			t.Fatalf("%s: %d attempts, want %d: %+v", c.d.Title, len(as), c.attempts, as)
		}
		if c.attempts == 2 && (as[1].FailoverOf != as[0].ID || as[1].Provider != "elks-2" || as[1].Outcome != dispatch.Handed) {
			t.Fatalf("%s: the failover attempt %+v does not repeat %s through the second gateway", c.d.Title, as[1], as[0].ID)
		}
	}
	// The coverage board says why the SMS went again.
	b := newBrowser(t, env)
	b.login(auth.Staff)
	if _, page := b.get("/dispatches/" + string(silent.Dispatch)); !strings.Contains(page, "omsänt: ingen leveransrapport från elks-1") {
		t.Error("the coverage board does not show the failover")
	}
}
