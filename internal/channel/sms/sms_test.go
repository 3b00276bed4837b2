package sms_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"fyr/internal/channel"
	"fyr/internal/channel/sms"
	"fyr/internal/channel/sms/smstest"
	"fyr/internal/fail"
	"fyr/internal/testclock"
)

var start = time.Date(2018, 9, 21, 6, 3, 0, 0, time.UTC)

type rig struct {
	primary, secondary *smstest.Gateway
	client             *sms.Client
	clock              *testclock.Clock
	sleeps             *testclock.Sleeps
}

func newRig(t *testing.T, mod func(*sms.Config)) *rig {
	t.Helper()
	r := &rig{clock: testclock.New(start), sleeps: &testclock.Sleeps{}}
	r.primary = smstest.New(smstest.Options{Now: r.clock.Now})
	r.secondary = smstest.New(smstest.Options{Number: "+46766860001", Username: "fyr2", Password: "annat", Now: r.clock.Now})
	t.Cleanup(r.primary.Close)
	t.Cleanup(r.secondary.Close)
	cfg := sms.Config{
		Gateways: []sms.Gateway{r.primary.Config("46elks-primary"), r.secondary.Config("46elks-secondary")},
		Timeout:  5 * time.Second,
		Backoff:  channel.Backoff{Attempts: 3, Initial: time.Second, Max: 4 * time.Second, Sleep: r.sleeps.Sleep},
		Now:      r.clock.Now,
	}
	if mod != nil {
		mod(&cfg)
	}
	c, err := sms.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	r.client = c
	return r
}

func message() channel.Message {
	return channel.Message{
		AttemptID:  "01J8ZK4M3T9Q2W5E7R1Y6U0I8O",
		ToName:     "Åsa Öberg",
		ToMobile:   "+46701234567",
		Subject:    "Beslut",
		Text:       "Beslut 08:03: all icke akut vård ställs in i dag.",
		ReceiptURL: "https://fyr.test/k/01J8ZK4M3T9Q2W5E7R1Y6U0I8O.c2lnbg",
		ShortCode:  "4821",
	}
}

func TestSendsIn46elksShape(t *testing.T) {
	t.Parallel()
	r := newRig(t, func(c *sms.Config) {
		c.Gateways[0].DeliveryURL = "https://fyr.test/sms/dlr/t0ken"
		c.DontLog = true
	})
	res := r.client.Send(context.Background(), message())
	if !res.Handed || res.Err != nil || res.Provider != "46elks-primary" {
		t.Fatalf("result %+v", res)
	}
	sent := r.primary.Sent()
	if len(sent) != 1 || len(r.secondary.Sent()) != 0 {
		t.Fatalf("primary %d, secondary %d", len(sent), len(r.secondary.Sent()))
	}
	s := sent[0]
	if s.ID != res.ProviderID || s.From != "+46766860000" || s.To != "+46701234567" || !s.DontLog {
		t.Errorf("sent %+v, result %+v", s, res)
	}
	for _, want := range []string{"all icke akut vård", message().ReceiptURL, "OK 4821"} {
		if !strings.Contains(s.Message, want) {
			t.Errorf("message lacks %q:\n%s", want, s.Message)
		}
	}
	u, err := url.Parse(s.WhenDelivered)
	if err != nil || u.Path != "/sms/dlr/t0ken" || u.Query().Get("attempt") != message().AttemptID || u.Query().Get("gateway") != "46elks-primary" {
		t.Errorf("whendelivered = %q", s.WhenDelivered)
	}
	if h := r.client.Health(); h[0].Sent != 1 || h[0].LastSuccess != start || h[1].Sent != 0 {
		t.Errorf("health %+v", h)
	}
}

func TestSecondGatewayTakesOver(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name    string
		breakIt func(r *rig)
	}{
		{"5xx", func(r *rig) { r.primary.Fail(http.StatusServiceUnavailable, -1) }},
		{"401", func(r *rig) { r.primary.Fail(http.StatusUnauthorized, -1) }},
		{"402", func(r *rig) { r.primary.Fail(http.StatusPaymentRequired, -1) }},
		{"hang", func(r *rig) { r.primary.Hang() }},
		{"down", func(r *rig) { r.primary.Close() }},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := newRig(t, func(c *sms.Config) { c.Timeout = 200 * time.Millisecond })
			c.breakIt(r)
			res := r.client.Send(context.Background(), message())
			if !res.Handed || res.Provider != "46elks-secondary" {
				t.Fatalf("result %+v", res)
			}
			sent := r.secondary.Sent()
			if len(sent) != 1 || sent[0].ID != res.ProviderID || sent[0].From != "+46766860001" {
				t.Errorf("secondary got %+v", sent)
			}
			if len(r.sleeps.All()) != 0 {
				t.Errorf("waited before failing over")
			}
			h := r.client.Health()
			if h[0].Failed != 1 || h[0].Consecutive != 1 || h[0].LastError == "" || h[1].Sent != 1 {
				t.Errorf("health %+v", h)
			}
		})
	}
}

func TestWrongCredentialsOnTheOnlyGatewayArePermanent(t *testing.T) {
	t.Parallel()
	r := newRig(t, nil)
	cfg := r.primary.Config("only")
	cfg.Password = "Xy7-fel-lösen"
	c, err := sms.New(sms.Config{Gateways: []sms.Gateway{cfg}, Backoff: channel.Backoff{Attempts: 3, Sleep: r.sleeps.Sleep}})
	if err != nil {
		t.Fatal(err)
	}
	res := c.Send(context.Background(), message())
	if res.Handed || !channel.IsPermanent(res.Err) || !strings.Contains(res.Err.Error(), "only: HTTP 401") {
		t.Fatalf("result %+v", res)
	}
	if strings.Contains(res.Err.Error(), "Xy7-fel-lösen") {
		t.Errorf("error shows the password: %v", res.Err)
	}
	if len(r.sleeps.All()) != 0 || r.primary.Requests() != 1 {
		t.Errorf("sleeps %d, requests %d", len(r.sleeps.All()), r.primary.Requests())
	}
}

func TestBothFailingTemporarilyRetriesInRounds(t *testing.T) {
	t.Parallel()
	r := newRig(t, nil)
	r.primary.Fail(http.StatusBadGateway, 2)
	r.secondary.Fail(http.StatusServiceUnavailable, 2)
	res := r.client.Send(context.Background(), message())
	if !res.Handed || res.Provider != "46elks-primary" {
		t.Fatalf("result %+v", res)
	}
	if len(r.sleeps.All()) != 2 || r.primary.Requests() != 3 || r.secondary.Requests() != 2 {
		t.Errorf("sleeps %d, requests %d/%d", len(r.sleeps.All()), r.primary.Requests(), r.secondary.Requests())
	}
}

func TestBothFailingForGoodGivesUpWithBothErrors(t *testing.T) {
	t.Parallel()
	r := newRig(t, nil)
	r.primary.Fail(http.StatusServiceUnavailable, -1)
	r.secondary.Fail(http.StatusForbidden, -1)
	res := r.client.Send(context.Background(), message())
	if res.Handed || channel.IsPermanent(res.Err) {
		t.Fatalf("result %+v", res)
	}
	msg := res.Err.Error()
	for _, want := range []string{"gave up after 3 attempts", "46elks-primary: HTTP 503", "46elks-secondary: HTTP 403"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q lacks %q", msg, want)
		}
	}
	// The secondary refused for good and is not asked again; the primary
	// is tried in each of the 3 rounds.
	if r.primary.Requests() != 3 || r.secondary.Requests() != 1 || len(r.sleeps.All()) != 2 {
		t.Errorf("requests %d/%d, sleeps %d", r.primary.Requests(), r.secondary.Requests(), len(r.sleeps.All()))
	}
	var ge *sms.GatewayError
	if !errors.As(res.Err, &ge) {
		t.Errorf("no GatewayError in %v", res.Err)
	}
}

func TestBadRequestOnBothIsPermanent(t *testing.T) {
	t.Parallel()
	r := newRig(t, nil)
	r.primary.Fail(http.StatusBadRequest, -1)
	r.secondary.Fail(http.StatusBadRequest, -1)
	res := r.client.Send(context.Background(), message())
	if res.Handed || !channel.IsPermanent(res.Err) || len(r.sleeps.All()) != 0 {
		t.Fatalf("result %+v, sleeps %d", res, len(r.sleeps.All()))
	}
	// A 400 is about the message: it does not count against the gateway.
	if h := r.client.Health(); h[0].Consecutive != 0 || h[0].Failed != 1 {
		t.Errorf("health %+v", h)
	}
}

func TestAFailingGatewayRestsAndComesBack(t *testing.T) {
	t.Parallel()
	r := newRig(t, nil)
	r.primary.Fail(http.StatusInternalServerError, -1)
	for range 3 {
		if res := r.client.Send(context.Background(), message()); res.Provider != "46elks-secondary" {
			t.Fatalf("result %+v", res)
		}
	}
	if h := r.client.Health(); !h[0].Resting || h[0].Consecutive != 3 {
		t.Fatalf("health %+v", h)
	}
	// Resting: the secondary is asked first, the primary not at all.
	before := r.primary.Requests()
	if res := r.client.Send(context.Background(), message()); res.Provider != "46elks-secondary" || r.primary.Requests() != before {
		t.Fatalf("result %+v, primary asked %d times more", res, r.primary.Requests()-before)
	}
	// After the cooldown the primary is first again.
	r.primary.Recover()
	r.clock.Add(time.Minute)
	if res := r.client.Send(context.Background(), message()); res.Provider != "46elks-primary" {
		t.Fatalf("after the cooldown: %+v", res)
	}
	if h := r.client.Health(); h[0].Resting || h[0].Consecutive != 0 {
		t.Errorf("health %+v", h)
	}
}

func TestSendAvoidingUsesTheOtherGatewayFirst(t *testing.T) {
	t.Parallel()
	r := newRig(t, nil)
	res := r.client.SendAvoiding(context.Background(), message(), "46elks-primary")
	if res.Provider != "46elks-secondary" || r.primary.Requests() != 0 {
		t.Fatalf("result %+v", res)
	}
	r.secondary.Fail(http.StatusServiceUnavailable, 1)
	if res := r.client.SendAvoiding(context.Background(), message(), "46elks-secondary"); res.Provider != "46elks-primary" {
		t.Fatalf("result %+v", res)
	}
	// The avoided gateway is still tried when the other fails.
	r.secondary.Fail(http.StatusServiceUnavailable, 1)
	if res := r.client.SendAvoiding(context.Background(), message(), "46elks-primary"); res.Provider != "46elks-primary" {
		t.Fatalf("result %+v", res)
	}
}

type signalling struct {
	once sync.Once
	sent chan struct{}
}

func (s *signalling) RoundTrip(r *http.Request) (*http.Response, error) {
	s.once.Do(func() { close(s.sent) })
	return http.DefaultTransport.RoundTrip(r)
}

func TestCancelledSendStops(t *testing.T) {
	t.Parallel()
	sig := &signalling{sent: make(chan struct{})}
	r := newRig(t, func(c *sms.Config) { c.HTTP = &http.Client{Transport: sig} })
	r.primary.Hang()
	r.secondary.Hang()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan channel.Result)
	go func() { done <- r.client.Send(ctx, message()) }()
	<-sig.sent // the primary has the request
	cancel()
	res := <-done
	if res.Handed || !errors.Is(res.Err, context.Canceled) || r.secondary.Requests() != 0 || len(r.sleeps.All()) != 0 {
		t.Fatalf("result %+v, secondary %d, sleeps %d", res, r.secondary.Requests(), len(r.sleeps.All()))
	}
}

func TestBadMessagesAreRefusedBeforeSending(t *testing.T) {
	t.Parallel()
	r := newRig(t, nil)
	for _, c := range []struct {
		field string
		mod   func(*channel.Message)
	}{
		{"to_mobile", func(m *channel.Message) { m.ToMobile = "0701234567" }},
		{"to_mobile", func(m *channel.Message) { m.ToMobile = "" }},
		{"attempt_id", func(m *channel.Message) { m.AttemptID = "" }},
		{"short_code", func(m *channel.Message) { m.ShortCode = "12" }},
		{"text", func(m *channel.Message) { m.Text, m.ReceiptURL, m.ShortCode = "", "", "" }},
		{"text", func(m *channel.Message) { m.Text = strings.Repeat("å", sms.MaxText) }},
	} {
		m := message()
		c.mod(&m)
		res := r.client.Send(context.Background(), m)
		if res.Handed || !channel.IsPermanent(res.Err) || fail.As(res.Err).Field != c.field {
			t.Errorf("%s: result %+v", c.field, res)
		}
	}
	if r.primary.Requests()+r.secondary.Requests() != 0 {
		t.Errorf("bad messages reached a gateway")
	}
}

func TestConfigErrorsNameTheField(t *testing.T) {
	t.Parallel()
	ok := sms.Gateway{Name: "a", URL: "https://api.46elks.com", Username: "u", Password: "p", From: "+46766860000"}
	for _, c := range []struct {
		field string
		gws   func() []sms.Gateway
	}{
		{"gateways", func() []sms.Gateway { return nil }},
		{"gateways[1].name", func() []sms.Gateway { return []sms.Gateway{ok, ok} }},
		{"gateways[0].url", func() []sms.Gateway { g := ok; g.URL = "api.46elks.com"; return []sms.Gateway{g} }},
		{"gateways[0].url", func() []sms.Gateway { g := ok; g.URL = "https://u:p@api.46elks.com"; return []sms.Gateway{g} }},
		{"gateways[0].username", func() []sms.Gateway { g := ok; g.Password = ""; return []sms.Gateway{g} }},
		{"gateways[0].from", func() []sms.Gateway { g := ok; g.From = "Region Kronoberg"; return []sms.Gateway{g} }},
		{"gateways[0].delivery_url", func() []sms.Gateway { g := ok; g.DeliveryURL = "/dlr"; return []sms.Gateway{g} }},
	} {
		_, err := sms.New(sms.Config{Gateways: c.gws()})
		if fail.As(err).Field != c.field {
			t.Errorf("error %v, want one naming %s", err, c.field)
		}
	}
	g := ok
	g.From = "Fyr"
	if _, err := sms.New(sms.Config{Gateways: []sms.Gateway{g}}); err != nil {
		t.Errorf("a text sender id: %v", err)
	}
}

// A delivery report travels from the gateway to Fyr's callback and reads
// back as the attempt that Send made.
func TestDeliveryReportRoundTrip(t *testing.T) {
	t.Parallel()
	got := make(chan sms.Delivery, 1)
	fyr := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if u, p, ok := r.BasicAuth(); !ok || u != "dlr" || p != "t0ken" {
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		d, err := sms.ReadDelivery(r)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		got <- d
	}))
	defer fyr.Close()
	u, _ := url.Parse(fyr.URL + "/sms/delivery")
	u.User = url.UserPassword("dlr", "t0ken")
	r := newRig(t, func(c *sms.Config) { c.Gateways[0].DeliveryURL = u.String() })
	res := r.client.Send(context.Background(), message())
	if !res.Handed {
		t.Fatal(res.Err)
	}
	r.clock.Add(7 * time.Second)
	if err := r.primary.Report(res.ProviderID, sms.StatusDelivered); err != nil {
		t.Fatal(err)
	}
	d := <-got
	want := sms.Delivery{ID: res.ProviderID, Status: sms.StatusDelivered, Delivered: start.Add(7 * time.Second),
		Attempt: message().AttemptID, Gateway: "46elks-primary"}
	if d != want {
		t.Errorf("delivery\n got %+v\nwant %+v", d, want)
	}
}

func TestAutoReport(t *testing.T) {
	t.Parallel()
	got := make(chan sms.Delivery, 4)
	fyr := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		d, err := sms.ReadDelivery(r)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		got <- d
	}))
	defer fyr.Close()
	gw := smstest.New(smstest.Options{AutoReport: sms.StatusFailed})
	defer gw.Close()
	cfg := gw.Config("gw")
	cfg.DeliveryURL = fyr.URL
	c, err := sms.New(sms.Config{Gateways: []sms.Gateway{cfg}})
	if err != nil {
		t.Fatal(err)
	}
	res := c.Send(context.Background(), message())
	if d := <-got; d.ID != res.ProviderID || d.Status != sms.StatusFailed || !d.Delivered.IsZero() {
		t.Errorf("delivery %+v", d)
	}
}

// A contact answers the SMS; the gateway posts the reply to Fyr's inbound
// webhook, which reads it and finds the code.
func TestInboundReplyRoundTrip(t *testing.T) {
	t.Parallel()
	type got struct {
		in    sms.Inbound
		reply sms.Reply
	}
	ch := make(chan got, 1)
	fyr := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		in, err := sms.ReadInbound(r)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		reply, err := sms.ParseReply(in.Message)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		ch <- got{in, reply}
	}))
	defer fyr.Close()
	r := newRig(t, nil)
	r.primary.SetInboundURL(fyr.URL + "/sms/inbound")
	id, err := r.primary.Reply("+46701234567", " ok 4821 Ja, vi kan")
	if err != nil {
		t.Fatal(err)
	}
	g := <-ch
	want := sms.Inbound{ID: id, From: "+46701234567", To: "+46766860000", Message: " ok 4821 Ja, vi kan", Created: start}
	if g.in != want || g.reply.Code != "4821" || g.reply.Rest != "Ja, vi kan" {
		t.Errorf("got %+v, want %+v", g, want)
	}
	// Garbage is answered with an error naming the field.
	if _, err := r.primary.Reply("+46701234567", "Hej, vad gäller det?"); err == nil || !strings.Contains(err.Error(), "message:") {
		t.Errorf("garbage reply: %v", err)
	}
}

func TestCallbackRequestsAreChecked(t *testing.T) {
	t.Parallel()
	post := func(method, ctype, body string) *http.Request {
		r := httptest.NewRequest(method, "/sms/delivery?attempt=a1&gateway=gw", strings.NewReader(body))
		if ctype != "" {
			r.Header.Set("Content-Type", ctype)
		}
		return r
	}
	form := "application/x-www-form-urlencoded"
	if _, err := sms.ReadDelivery(post(http.MethodGet, form, "id=s1&status=sent")); err == nil {
		t.Error("GET accepted")
	}
	if _, err := sms.ReadDelivery(post(http.MethodPost, "application/json", `{"id":"s1"}`)); fail.As(err).Field != "Content-Type" {
		t.Errorf("JSON accepted: %v", err)
	}
	big := "id=s1&status=sent&x=" + strings.Repeat("a", sms.MaxCallbackBody)
	if _, err := sms.ReadDelivery(post(http.MethodPost, form, big)); err == nil || !strings.Contains(err.Error(), "larger") {
		t.Errorf("huge body: %v", err)
	}
	if _, err := sms.ReadDelivery(post(http.MethodPost, form, "id=s1&status=sent&%zz")); err == nil {
		t.Error("broken form accepted")
	}
	d, err := sms.ReadDelivery(post(http.MethodPost, form+"; charset=utf-8", "id=s1&status=sent"))
	if err != nil || d.Attempt != "a1" || d.Gateway != "gw" {
		t.Errorf("good report: %+v, %v", d, err)
	}
	r := httptest.NewRequest(http.MethodPost, "/sms/delivery?attempt=a%20b", strings.NewReader("id=s1&status=sent"))
	r.Header.Set("Content-Type", form)
	if _, err := sms.ReadDelivery(r); fail.As(err).Field != "attempt" {
		t.Errorf("bad attempt: %v", err)
	}
}

func TestConnectionRefusedFailsOver(t *testing.T) {
	t.Parallel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := "http://" + l.Addr().String()
	l.Close()
	r := newRig(t, func(c *sms.Config) { c.Gateways[0].URL = dead })
	res := r.client.Send(context.Background(), message())
	if res.Provider != "46elks-secondary" {
		t.Fatalf("result %+v", res)
	}
	if h := r.client.Health(); !strings.Contains(h[0].LastError, "connection refused") || strings.Contains(h[0].LastError, "hemligt") {
		t.Errorf("health %+v", h)
	}
}
