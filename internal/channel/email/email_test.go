package email_test

import (
	"context"
	"crypto/tls"
	"errors"
	"io"
	"mime"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"fyr/internal/channel"
	"fyr/internal/channel/email"
	"fyr/internal/channel/email/mailtest"
	"fyr/internal/fail"
	"fyr/internal/testclock"
)

var clock = time.Date(2018, 9, 21, 6, 3, 0, 0, time.UTC) // 08:03 in Stockholm

func newSender(t *testing.T, ms *mailtest.Server, sl *testclock.Sleeps, mod func(*email.Config)) *email.Sender {
	t.Helper()
	cfg := email.Config{
		Host: ms.Host, Port: ms.Port, TLS: email.NoTLS,
		From: "fyr@regionkronoberg.se", FromName: "Fyr Region Kronoberg", HELO: "fyr.test",
		Timeout: 5 * time.Second,
		Backoff: channel.Backoff{Attempts: 4, Initial: time.Second, Max: 10 * time.Second, Sleep: sl.Sleep},
		Now:     func() time.Time { return clock },
	}
	if mod != nil {
		mod(&cfg)
	}
	s, err := email.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func message(receipt string) channel.Message {
	return channel.Message{
		AttemptID:  "01J8ZK4M3T9Q2W5E7R1Y6U0I8O",
		ToName:     "Åsa Öberg",
		ToEmail:    "asa.oberg@kronoberg.test",
		Subject:    "Beslut: all icke akut vård ställs in",
		Text:       "Sjukvårdsledningen har beslutat att ställa in all icke akut vård i dag.\nBekräfta att enheten har tagit emot beslutet.",
		ReceiptURL: receipt,
	}
}

func TestMailArrivesAndItsReceiptLinkWorks(t *testing.T) {
	t.Parallel()
	// The receipt endpoint the link points at.
	var mu sync.Mutex
	var followed []string
	web := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		followed = append(followed, r.URL.RequestURI())
		mu.Unlock()
		io.WriteString(w, "Tack, mottagandet är kvitterat.")
	}))
	defer web.Close()

	ms := mailtest.Start(t)
	var sl testclock.Sleeps
	s := newSender(t, ms, &sl, nil)
	m := message(web.URL + "/k/01J8ZK4M3T9Q2W5E7R1Y6U0I8O.Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Z2FycGx5d2FsZG8")
	res := s.Send(context.Background(), m)
	if !res.Handed || res.Err != nil {
		t.Fatalf("not handed over: %+v", res)
	}
	if res.Provider != "smtp" || res.ProviderID != "<01J8ZK4M3T9Q2W5E7R1Y6U0I8O@fyr>" {
		t.Errorf("result = %+v", res)
	}
	conns, mails := ms.Conns(), ms.Mails()
	if conns != 1 || len(mails) != 1 || len(sl.All()) != 0 {
		t.Fatalf("conns %d, mails %d, sleeps %v", conns, len(mails), sl.All())
	}
	// mailtest reads the mail as a mail client would: headers with
	// net/mail, the body by its transfer encoding.
	got := mails[0]
	if got.From != "fyr@regionkronoberg.se" || len(got.To) != 1 || got.To[0] != "asa.oberg@kronoberg.test" {
		t.Errorf("envelope from %q to %q", got.From, got.To)
	}
	dec := new(mime.WordDecoder)
	header := func(k string) string {
		v, err := dec.DecodeHeader(got.Header.Get(k))
		if err != nil {
			t.Fatalf("%s: %v", k, err)
		}
		return v
	}
	if v := header("Subject"); v != m.Subject {
		t.Errorf("Subject = %q", v)
	}
	if v := got.Header.Get("Message-ID"); v != "<01J8ZK4M3T9Q2W5E7R1Y6U0I8O@fyr>" {
		t.Errorf("Message-ID = %q", v)
	}
	if d, err := got.Header.Date(); err != nil || !d.Equal(clock) {
		t.Errorf("Date = %v, %v", d, err)
	}
	from, err := got.Header.AddressList("From")
	if err != nil || len(from) != 1 || from[0].Address != "fyr@regionkronoberg.se" || from[0].Name != "Fyr Region Kronoberg" {
		t.Errorf("From = %v, %v", from, err)
	}
	to, err := got.Header.AddressList("To")
	if err != nil || len(to) != 1 || to[0].Address != m.ToEmail || to[0].Name != "Åsa Öberg" {
		t.Errorf("To = %v, %v", to, err)
	}
	mt, params, err := mime.ParseMediaType(got.Header.Get("Content-Type"))
	if err != nil || mt != "text/plain" || !strings.EqualFold(params["charset"], "utf-8") {
		t.Errorf("Content-Type = %q", got.Header.Get("Content-Type"))
	}
	if v := got.Header.Get("Auto-Submitted"); v != "auto-generated" {
		t.Errorf("Auto-Submitted = %q", v)
	}
	if !strings.Contains(got.Body, "Sjukvårdsledningen har beslutat att ställa in all icke akut vård i dag.") {
		t.Errorf("body lacks the Swedish text:\n%s", got.Body)
	}
	// Follow the link as the recipient would.
	link := regexp.MustCompile(`https?://\S+`).FindString(got.Body)
	if link != m.ReceiptURL {
		t.Fatalf("link in the body = %q, want %q\n%s", link, m.ReceiptURL, got.Body)
	}
	resp, err := http.Get(link)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	mu.Lock()
	defer mu.Unlock()
	if resp.StatusCode != 200 || len(followed) != 1 || followed[0] != strings.TrimPrefix(m.ReceiptURL, web.URL) || !strings.Contains(string(page), "kvitterat") {
		t.Errorf("following the link: %d %q %q", resp.StatusCode, followed, page)
	}
}

func TestReceiptLinkIsAddedWhenTheTextLacksIt(t *testing.T) {
	t.Parallel()
	ms := mailtest.Start(t)
	s := newSender(t, ms, &testclock.Sleeps{}, nil)
	m := message("https://fyr.test/k/abc")
	res := s.Send(context.Background(), m)
	if !res.Handed {
		t.Fatal(res.Err)
	}
	mails := ms.Mails()
	body := mails[0].Body
	if !strings.Contains(body, "Kvittera här: https://fyr.test/k/abc") {
		t.Errorf("body:\n%s", body)
	}
	m.Text += "\nKvittera: https://fyr.test/k/abc"
	if res := s.Send(context.Background(), m); !res.Handed {
		t.Fatal(res.Err)
	}
	mails = ms.Mails()
	if body := mails[1].Body; strings.Count(body, "https://fyr.test/k/abc") != 1 {
		t.Errorf("the link appears more than once:\n%s", body)
	}
}

var (
	busy     = &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "Try again later"}
	noSuchMB = &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "Mailbox unavailable"}
)

func TestTemporaryFailuresAreRetriedWithBackoff(t *testing.T) {
	t.Parallel()
	ms := mailtest.Start(t)
	ms.FailRcpt(busy, busy)
	var sl testclock.Sleeps
	s := newSender(t, ms, &sl, nil)
	res := s.Send(context.Background(), message("https://fyr.test/k/1"))
	if !res.Handed || res.Err != nil {
		t.Fatalf("not handed over: %+v", res)
	}
	conns, mails := ms.Conns(), ms.Mails()
	if conns != 3 || len(mails) != 1 {
		t.Errorf("conns %d, mails %d; want 3 connections and 1 mail", conns, len(mails))
	}
	if got := sl.All(); len(got) != 2 || got[0] != time.Second || got[1] != 2*time.Second {
		t.Errorf("backoff waits = %v, want [1s 2s]", got)
	}
}

func TestTemporaryFailureAtHelloIsRetried(t *testing.T) {
	t.Parallel()
	ms := mailtest.Start(t)
	busy := &smtp.SMTPError{Code: 421, EnhancedCode: smtp.EnhancedCode{4, 3, 2}, Message: "Too busy"}
	ms.FailHello(busy, busy) // EHLO, then HELO
	var sl testclock.Sleeps
	s := newSender(t, ms, &sl, nil)
	if res := s.Send(context.Background(), message("https://fyr.test/k/1")); !res.Handed {
		t.Fatalf("not handed over: %v", res.Err)
	}
	if conns, mails := ms.Conns(), ms.Mails(); conns != 2 || len(mails) != 1 || len(sl.All()) != 1 {
		t.Errorf("conns %d, mails %d, sleeps %v", conns, len(mails), sl.All())
	}
}

func TestPermanentFailureIsNotRetried(t *testing.T) {
	t.Parallel()
	ms := mailtest.Start(t)
	ms.FailRcpt(noSuchMB)
	var sl testclock.Sleeps
	s := newSender(t, ms, &sl, nil)
	m := message("https://fyr.test/k/1")
	res := s.Send(context.Background(), m)
	if res.Handed || res.Err == nil {
		t.Fatalf("handed over: %+v", res)
	}
	if !channel.IsPermanent(res.Err) {
		t.Errorf("not marked permanent: %v", res.Err)
	}
	var se *email.Error
	if !errors.As(res.Err, &se) || se.Code != 550 || se.Temporary {
		t.Errorf("error = %#v", se)
	}
	msg := res.Err.Error()
	for _, want := range []string{"550", "Mailbox unavailable", "permanent", "not retried"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q does not say %q", msg, want)
		}
	}
	if strings.Contains(msg, m.ToEmail) {
		t.Errorf("error names the recipient: %q", msg)
	}
	if conns, mails := ms.Conns(), ms.Mails(); conns != 1 || len(mails) != 0 || len(sl.All()) != 0 {
		t.Errorf("conns %d, mails %d, sleeps %v", conns, len(mails), sl.All())
	}
}

func TestRetriesAreBounded(t *testing.T) {
	t.Parallel()
	ms := mailtest.Start(t)
	ms.FailRcpt(busy, busy, busy, busy, busy)
	var sl testclock.Sleeps
	s := newSender(t, ms, &sl, func(c *email.Config) { c.Backoff.Attempts = 3 })
	res := s.Send(context.Background(), message("https://fyr.test/k/1"))
	if res.Handed || channel.IsPermanent(res.Err) {
		t.Fatalf("result %+v", res)
	}
	if !strings.Contains(res.Err.Error(), "gave up after 3 attempts") || !strings.Contains(res.Err.Error(), "451") {
		t.Errorf("error = %v", res.Err)
	}
	if conns := ms.Conns(); conns != 3 || len(sl.All()) != 2 {
		t.Errorf("conns %d, sleeps %v", conns, sl.All())
	}
}

func TestConnectionRefusedIsRetried(t *testing.T) {
	t.Parallel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	var sl testclock.Sleeps
	s := newSender(t, &mailtest.Server{Host: "127.0.0.1", Port: port}, &sl, func(c *email.Config) { c.Backoff.Attempts = 2 })
	res := s.Send(context.Background(), message("https://fyr.test/k/1"))
	if res.Handed || channel.IsPermanent(res.Err) || len(sl.All()) != 1 {
		t.Fatalf("result %+v, sleeps %v", res, sl.All())
	}
	if !strings.Contains(res.Err.Error(), "gave up after 2 attempts") || !strings.Contains(res.Err.Error(), "127.0.0.1:"+strconv.Itoa(port)) {
		t.Errorf("error = %v", res.Err)
	}
}

func TestCancelStopsTheRetries(t *testing.T) {
	t.Parallel()
	ms := mailtest.Start(t)
	ms.FailRcpt(busy, busy)
	ctx, cancel := context.WithCancel(context.Background())
	s := newSender(t, ms, nil, func(c *email.Config) {
		c.Backoff.Sleep = func(context.Context, time.Duration) error { cancel(); return context.Canceled }
	})
	res := s.Send(ctx, message("https://fyr.test/k/1"))
	if res.Handed || !errors.Is(res.Err, context.Canceled) {
		t.Fatalf("result %+v", res)
	}
	if conns := ms.Conns(); conns != 1 {
		t.Errorf("conns %d after cancel", conns)
	}
}

func TestStartTLSWithAuth(t *testing.T) {
	t.Parallel()
	ms := mailtest.StartWith(t, mailtest.Options{StartTLS: true, Users: map[string]string{"fyr": "hemligt"}})
	s := newSender(t, ms, &testclock.Sleeps{}, func(c *email.Config) {
		c.TLS, c.Username, c.Password = email.StartTLS, "fyr", "hemligt"
		c.TLSConfig = &tls.Config{RootCAs: ms.RootCAs}
	})
	res := s.Send(context.Background(), message("https://fyr.test/k/1"))
	if !res.Handed {
		t.Fatalf("not handed over: %v", res.Err)
	}
	mails := ms.Mails()
	if len(mails) != 1 || !mails[0].TLS || mails[0].User != "fyr" {
		t.Fatalf("mails %+v", mails)
	}
}

func TestWrongPasswordIsPermanent(t *testing.T) {
	t.Parallel()
	ms := mailtest.StartWith(t, mailtest.Options{StartTLS: true, Users: map[string]string{"fyr": "hemligt"}})
	var sl testclock.Sleeps
	s := newSender(t, ms, &sl, func(c *email.Config) {
		c.TLS, c.Username, c.Password = email.StartTLS, "fyr", "fel-lösenord"
		c.TLSConfig = &tls.Config{RootCAs: ms.RootCAs}
	})
	res := s.Send(context.Background(), message("https://fyr.test/k/1"))
	if res.Handed || !channel.IsPermanent(res.Err) || !strings.Contains(res.Err.Error(), "535") || len(sl.All()) != 0 {
		t.Fatalf("result %+v, sleeps %v", res, sl.All())
	}
	if strings.Contains(res.Err.Error(), "fel-lösenord") {
		t.Errorf("error shows the password: %v", res.Err)
	}
}

func TestImplicitTLS(t *testing.T) {
	t.Parallel()
	ms := mailtest.StartWith(t, mailtest.Options{ImplicitTLS: true, Users: map[string]string{"fyr": "hemligt"}})
	s := newSender(t, ms, &testclock.Sleeps{}, func(c *email.Config) {
		c.TLS, c.TLSConfig = email.Implicit, &tls.Config{RootCAs: ms.RootCAs}
		c.Username, c.Password = "fyr", "hemligt"
	})
	if res := s.Send(context.Background(), message("https://fyr.test/k/1")); !res.Handed {
		t.Fatalf("not handed over: %v", res.Err)
	}
	if mails := ms.Mails(); len(mails) != 1 || !mails[0].TLS || mails[0].User != "fyr" {
		t.Fatalf("mails %+v", mails)
	}
}

func TestStartTLSIsRequired(t *testing.T) {
	t.Parallel()
	ms := mailtest.Start(t) // offers no STARTTLS
	var sl testclock.Sleeps
	s := newSender(t, ms, &sl, func(c *email.Config) { c.TLS = email.StartTLS })
	res := s.Send(context.Background(), message("https://fyr.test/k/1"))
	if res.Handed || !channel.IsPermanent(res.Err) || !strings.Contains(res.Err.Error(), "STARTTLS") {
		t.Fatalf("result %+v", res)
	}
	if mails := ms.Mails(); len(mails) != 0 || len(sl.All()) != 0 {
		t.Errorf("mails %d, sleeps %v", len(mails), sl.All())
	}
}

func TestUntrustedCertificateIsPermanent(t *testing.T) {
	t.Parallel()
	ms := mailtest.StartWith(t, mailtest.Options{StartTLS: true}) // a certificate the sender does not trust
	var sl testclock.Sleeps
	s := newSender(t, ms, &sl, func(c *email.Config) { c.TLS = email.StartTLS })
	res := s.Send(context.Background(), message("https://fyr.test/k/1"))
	if res.Handed || !channel.IsPermanent(res.Err) || len(sl.All()) != 0 {
		t.Fatalf("result %+v, sleeps %v", res, sl.All())
	}
	if !strings.Contains(res.Err.Error(), "certificate") {
		t.Errorf("error = %v", res.Err)
	}
}

func TestBadMessageNamesTheField(t *testing.T) {
	t.Parallel()
	ms := mailtest.Start(t)
	s := newSender(t, ms, &testclock.Sleeps{}, nil)
	for _, c := range []struct {
		field string
		mod   func(*channel.Message)
	}{
		{"to_email", func(m *channel.Message) { m.ToEmail = "inte en adress" }},
		{"to_email", func(m *channel.Message) { m.ToEmail = "Eve <eve@evil.test>" }},
		{"to_email", func(m *channel.Message) { m.ToEmail = "" }},
		{"attempt_id", func(m *channel.Message) { m.AttemptID = "a b>\r\nBcc: x@y" }},
		{"attempt_id", func(m *channel.Message) { m.AttemptID = "" }},
		{"text", func(m *channel.Message) { m.Text, m.ReceiptURL = " ", "" }},
	} {
		m := message("https://fyr.test/k/1")
		c.mod(&m)
		res := s.Send(context.Background(), m)
		if res.Handed || !channel.IsPermanent(res.Err) || fail.As(res.Err).Field != c.field {
			t.Errorf("%+v: result %+v, want an error naming %s", m, res, c.field)
		}
	}
	if conns := ms.Conns(); conns != 0 {
		t.Errorf("%d connections for bad messages", conns)
	}
}

func TestHeaderInjectionIsDefused(t *testing.T) {
	t.Parallel()
	ms := mailtest.Start(t)
	s := newSender(t, ms, &testclock.Sleeps{}, nil)
	m := message("https://fyr.test/k/1")
	m.Subject = "Beslut\r\nBcc: eve@evil.test"
	m.ToName = "Åsa\r\nBcc: eve@evil.test"
	if res := s.Send(context.Background(), m); !res.Handed {
		t.Fatal(res.Err)
	}
	mails := ms.Mails()
	if len(mails[0].To) != 1 || mails[0].Header.Get("Bcc") != "" {
		t.Errorf("injected: rcpt %v, headers %v", mails[0].To, mails[0].Header)
	}
}

func TestConfigErrorsNameTheField(t *testing.T) {
	t.Parallel()
	ok := email.Config{Host: "smtp.region.test", From: "fyr@region.test"}
	if _, err := email.New(ok); err != nil {
		t.Fatalf("valid config: %v", err)
	}
	for _, c := range []struct {
		field string
		mod   func(*email.Config)
	}{
		{"host", func(c *email.Config) { c.Host = "" }},
		{"host", func(c *email.Config) { c.Host = "smtp://x" }},
		{"port", func(c *email.Config) { c.Port = 70000 }},
		{"tls", func(c *email.Config) { c.TLS = "ssl3" }},
		{"tls", func(c *email.Config) { c.TLS, c.Username, c.Password = email.NoTLS, "u", "p" }},
		{"password", func(c *email.Config) { c.Username = "u" }},
		{"username", func(c *email.Config) { c.Password = "p" }},
		{"from", func(c *email.Config) { c.From = "" }},
		{"from", func(c *email.Config) { c.From = "Fyr <fyr@region.test>" }},
	} {
		cfg := ok
		c.mod(&cfg)
		_, err := email.New(cfg)
		if fail.As(err).Field != c.field {
			t.Errorf("%+v: error %v, want one naming %s", cfg, err, c.field)
		}
	}
}
