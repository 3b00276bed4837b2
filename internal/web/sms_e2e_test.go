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
	"fyr/internal/core"
	"fyr/internal/directory"
	"fyr/internal/dispatch"
	"fyr/internal/fyrtest"
	"fyr/internal/incident"
)

// A dispatch goes out as SMS through a stand-in for the 46elks API; the
// contact replies "OK <code> Ja" and the gateway's inbound webhook records
// the receipt. A wrong code is answered in words and records nothing.
func TestSMSDispatchAndReplyThroughTheGateway(t *testing.T) {
	env := fyrtest.Start(t)
	ctx := context.Background()
	const key = "hook-secret-1"
	env.Web.EnableHooks(key)
	admin, staff := env.Principal(auth.Admin), env.Principal(auth.Staff)
	if _, err := env.Svc.SetContacts(ctx, &admin, directory.SetContacts{Unit: "avd1", Primary: "p1"}); err != nil {
		t.Fatal(err)
	}
	inc, _ := env.Svc.OpenIncident(ctx, staff, incident.Open{Title: "DNS", Scope: "region", Level: incident.Staff})
	d, err := env.Svc.CreateDispatch(ctx, staff, dispatch.Create{Incident: inc.ID, Kind: dispatch.KindMessage, Title: "Kan ni ta akuta i natt?",
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
	eng := env.Svc.NewEngine(map[string]core.Transport{dispatch.SMS: core.ChannelTransport{Sender: client}}, env.URL)
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
	before := env.Svc.P.Seq()
	if _, err := gw.Reply("+46701740605", "OK 999999"); err != nil {
		t.Fatal(err)
	}
	if env.Svc.P.Seq() != before {
		t.Fatal("a wrong code recorded something")
	}
	if _, err := gw.Reply("+46701740605", "ok "+code[1]+" ja, två platser"); err != nil {
		t.Fatal(err)
	}
	_, states, _ := env.Svc.Dispatch(staff, d.Dispatch)
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
