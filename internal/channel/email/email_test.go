package email_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"io"
	"log"
	"math/big"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/http"
	"net/http/httptest"
	netmail "net/mail"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"fyr/internal/channel"
	"fyr/internal/channel/email"
	"fyr/internal/fail"
)

// mailServer is a real SMTP server on loopback (go-smtp) that records what
// it receives and answers RCPT TO with the errors queued in rcpt.
type mailServer struct {
	host string
	port int

	mu    sync.Mutex
	seen  map[*smtp.Conn]bool
	conns int
	rcpt  []error // next replies to RCPT TO; nil or empty: accept
	ehlo  []error // next replies to EHLO; nil or empty: accept
	mails []received
}

type received struct {
	from string
	to   []string
	data []byte
	tls  bool
	user string
}

type options struct {
	tls      *tls.Config // offer STARTTLS with it
	implicit bool        // speak TLS from the first byte instead
	users    map[string]string
}

func startServer(t *testing.T, o options) *mailServer {
	t.Helper()
	ms := &mailServer{seen: map[*smtp.Conn]bool{}}
	be := smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		ms.mu.Lock()
		defer ms.mu.Unlock()
		if !ms.seen[c] { // a client may greet twice on one connection (EHLO, then HELO, or after STARTTLS)
			ms.seen[c] = true
			ms.conns++
		}
		if len(ms.ehlo) > 0 {
			err := ms.ehlo[0]
			ms.ehlo = ms.ehlo[1:]
			if err != nil {
				return nil, err
			}
		}
		return &session{ms: ms, conn: c, users: o.users}, nil
	})
	s := smtp.NewServer(be)
	s.Domain = "mx.test"
	s.ReadTimeout, s.WriteTimeout = 10*time.Second, 10*time.Second
	s.ErrorLog = log.New(io.Discard, "", 0)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	switch {
	case o.implicit:
		l = tls.NewListener(l, o.tls)
	case o.tls != nil:
		s.TLSConfig = o.tls
	}
	go s.Serve(l)
	t.Cleanup(func() { s.Close() })
	addr := l.Addr().(*net.TCPAddr)
	ms.host, ms.port = addr.IP.String(), addr.Port
	return ms
}

func (ms *mailServer) queueRcpt(errs ...error) {
	ms.mu.Lock()
	defer ms.mu.Unlock()
	ms.rcpt = append(ms.rcpt, errs...)
}

func (ms *mailServer) got() (conns int, mails []received) {
	ms.mu.Lock()
	defer ms.mu.Unlock()
	return ms.conns, append([]received(nil), ms.mails...)
}

type session struct {
	ms    *mailServer
	conn  *smtp.Conn
	users map[string]string
	user  string
	from  string
	to    []string
}

func (s *session) AuthMechanisms() []string { return []string{sasl.Plain} }

func (s *session) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if want, ok := s.users[user]; !ok || want != pass {
			return smtp.ErrAuthFailed
		}
		s.user = user
		return nil
	}), nil
}

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	if len(s.users) > 0 && s.user == "" {
		return smtp.ErrAuthRequired
	}
	s.from = from
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.ms.mu.Lock()
	defer s.ms.mu.Unlock()
	if len(s.ms.rcpt) > 0 {
		err := s.ms.rcpt[0]
		s.ms.rcpt = s.ms.rcpt[1:]
		if err != nil {
			return err
		}
	}
	s.to = append(s.to, to)
	return nil
}

func (s *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	_, isTLS := s.conn.TLSConnectionState()
	s.ms.mu.Lock()
	s.ms.mails = append(s.ms.mails, received{from: s.from, to: s.to, data: b, tls: isTLS, user: s.user})
	s.ms.mu.Unlock()
	return nil
}

func (s *session) Reset()        { s.from, s.to = "", nil }
func (s *session) Logout() error { return nil }

// sleeps records the backoff waits instead of waiting.
type sleeps struct {
	mu sync.Mutex
	d  []time.Duration
}

func (s *sleeps) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	s.d = append(s.d, d)
	s.mu.Unlock()
	return ctx.Err()
}

func (s *sleeps) all() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.d...)
}

var clock = time.Date(2018, 9, 21, 6, 3, 0, 0, time.UTC) // 08:03 in Stockholm

func newSender(t *testing.T, ms *mailServer, sl *sleeps, mod func(*email.Config)) *email.Sender {
	t.Helper()
	cfg := email.Config{
		Host: ms.host, Port: ms.port, TLS: email.NoTLS,
		From: "fyr@regionkronoberg.se", FromName: "Fyr Region Kronoberg", HELO: "fyr.test",
		Timeout: 5 * time.Second,
		Backoff: channel.Backoff{Attempts: 4, Initial: time.Second, Max: 10 * time.Second, Sleep: sl.sleep},
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

// parse reads a received mail the way a mail client would: headers with
// net/mail, encoded words with mime, the body by its transfer encoding.
func parse(t *testing.T, raw []byte) (*netmail.Message, string) {
	t.Helper()
	msg, err := netmail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("the server received no valid mail: %v\n%s", err, raw)
	}
	body, err := io.ReadAll(msg.Body)
	if err != nil {
		t.Fatal(err)
	}
	if strings.EqualFold(msg.Header.Get("Content-Transfer-Encoding"), "quoted-printable") {
		if body, err = io.ReadAll(quotedprintable.NewReader(bytes.NewReader(body))); err != nil {
			t.Fatal(err)
		}
	}
	return msg, string(body)
}

func TestMailArrivesAndItsReceiptLinkWorks(t *testing.T) {
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

	ms := startServer(t, options{})
	var sl sleeps
	s := newSender(t, ms, &sl, nil)
	m := message(web.URL + "/k/01J8ZK4M3T9Q2W5E7R1Y6U0I8O.Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Z2FycGx5d2FsZG8")
	res := s.Send(context.Background(), m)
	if !res.Handed || res.Err != nil {
		t.Fatalf("not handed over: %+v", res)
	}
	if res.Provider != "smtp" || res.ProviderID != "<01J8ZK4M3T9Q2W5E7R1Y6U0I8O@fyr>" {
		t.Errorf("result = %+v", res)
	}
	conns, mails := ms.got()
	if conns != 1 || len(mails) != 1 || len(sl.all()) != 0 {
		t.Fatalf("conns %d, mails %d, sleeps %v", conns, len(mails), sl.all())
	}
	got := mails[0]
	if got.from != "fyr@regionkronoberg.se" || len(got.to) != 1 || got.to[0] != "asa.oberg@kronoberg.test" {
		t.Errorf("envelope from %q to %q", got.from, got.to)
	}
	msg, body := parse(t, got.data)
	dec := new(mime.WordDecoder)
	header := func(k string) string {
		v, err := dec.DecodeHeader(msg.Header.Get(k))
		if err != nil {
			t.Fatalf("%s: %v", k, err)
		}
		return v
	}
	if v := header("Subject"); v != m.Subject {
		t.Errorf("Subject = %q", v)
	}
	if v := msg.Header.Get("Message-ID"); v != "<01J8ZK4M3T9Q2W5E7R1Y6U0I8O@fyr>" {
		t.Errorf("Message-ID = %q", v)
	}
	if d, err := msg.Header.Date(); err != nil || !d.Equal(clock) {
		t.Errorf("Date = %v, %v", d, err)
	}
	from, err := msg.Header.AddressList("From")
	if err != nil || len(from) != 1 || from[0].Address != "fyr@regionkronoberg.se" || from[0].Name != "Fyr Region Kronoberg" {
		t.Errorf("From = %v, %v", from, err)
	}
	to, err := msg.Header.AddressList("To")
	if err != nil || len(to) != 1 || to[0].Address != m.ToEmail || to[0].Name != "Åsa Öberg" {
		t.Errorf("To = %v, %v", to, err)
	}
	mt, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil || mt != "text/plain" || !strings.EqualFold(params["charset"], "utf-8") {
		t.Errorf("Content-Type = %q", msg.Header.Get("Content-Type"))
	}
	if v := msg.Header.Get("Auto-Submitted"); v != "auto-generated" {
		t.Errorf("Auto-Submitted = %q", v)
	}
	if !strings.Contains(body, "Sjukvårdsledningen har beslutat att ställa in all icke akut vård i dag.") {
		t.Errorf("body lacks the Swedish text:\n%s", body)
	}
	// Follow the link as the recipient would.
	link := regexp.MustCompile(`https?://\S+`).FindString(body)
	if link != m.ReceiptURL {
		t.Fatalf("link in the body = %q, want %q\n%s", link, m.ReceiptURL, body)
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
	ms := startServer(t, options{})
	s := newSender(t, ms, &sleeps{}, nil)
	m := message("https://fyr.test/k/abc")
	res := s.Send(context.Background(), m)
	if !res.Handed {
		t.Fatal(res.Err)
	}
	_, mails := ms.got()
	_, body := parse(t, mails[0].data)
	if !strings.Contains(body, "Kvittera här: https://fyr.test/k/abc") {
		t.Errorf("body:\n%s", body)
	}
	m.Text += "\nKvittera: https://fyr.test/k/abc"
	if res := s.Send(context.Background(), m); !res.Handed {
		t.Fatal(res.Err)
	}
	_, mails = ms.got()
	if _, body := parse(t, mails[1].data); strings.Count(body, "https://fyr.test/k/abc") != 1 {
		t.Errorf("the link appears more than once:\n%s", body)
	}
}

var (
	busy     = &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "Try again later"}
	noSuchMB = &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "Mailbox unavailable"}
)

func TestTemporaryFailuresAreRetriedWithBackoff(t *testing.T) {
	ms := startServer(t, options{})
	ms.queueRcpt(busy, busy)
	var sl sleeps
	s := newSender(t, ms, &sl, nil)
	res := s.Send(context.Background(), message("https://fyr.test/k/1"))
	if !res.Handed || res.Err != nil {
		t.Fatalf("not handed over: %+v", res)
	}
	conns, mails := ms.got()
	if conns != 3 || len(mails) != 1 {
		t.Errorf("conns %d, mails %d; want 3 connections and 1 mail", conns, len(mails))
	}
	if got := sl.all(); len(got) != 2 || got[0] != time.Second || got[1] != 2*time.Second {
		t.Errorf("backoff waits = %v, want [1s 2s]", got)
	}
}

func TestTemporaryFailureAtHelloIsRetried(t *testing.T) {
	ms := startServer(t, options{})
	ms.mu.Lock()
	busy := &smtp.SMTPError{Code: 421, EnhancedCode: smtp.EnhancedCode{4, 3, 2}, Message: "Too busy"}
	ms.ehlo = []error{busy, busy} // EHLO, then HELO
	ms.mu.Unlock()
	var sl sleeps
	s := newSender(t, ms, &sl, nil)
	if res := s.Send(context.Background(), message("https://fyr.test/k/1")); !res.Handed {
		t.Fatalf("not handed over: %v", res.Err)
	}
	if conns, mails := ms.got(); conns != 2 || len(mails) != 1 || len(sl.all()) != 1 {
		t.Errorf("conns %d, mails %d, sleeps %v", conns, len(mails), sl.all())
	}
}

func TestPermanentFailureIsNotRetried(t *testing.T) {
	ms := startServer(t, options{})
	ms.queueRcpt(noSuchMB)
	var sl sleeps
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
	if conns, mails := ms.got(); conns != 1 || len(mails) != 0 || len(sl.all()) != 0 {
		t.Errorf("conns %d, mails %d, sleeps %v", conns, len(mails), sl.all())
	}
}

func TestRetriesAreBounded(t *testing.T) {
	ms := startServer(t, options{})
	ms.queueRcpt(busy, busy, busy, busy, busy)
	var sl sleeps
	s := newSender(t, ms, &sl, func(c *email.Config) { c.Backoff.Attempts = 3 })
	res := s.Send(context.Background(), message("https://fyr.test/k/1"))
	if res.Handed || channel.IsPermanent(res.Err) {
		t.Fatalf("result %+v", res)
	}
	if !strings.Contains(res.Err.Error(), "gave up after 3 attempts") || !strings.Contains(res.Err.Error(), "451") {
		t.Errorf("error = %v", res.Err)
	}
	if conns, _ := ms.got(); conns != 3 || len(sl.all()) != 2 {
		t.Errorf("conns %d, sleeps %v", conns, sl.all())
	}
}

func TestConnectionRefusedIsRetried(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	var sl sleeps
	s := newSender(t, &mailServer{host: "127.0.0.1", port: port}, &sl, func(c *email.Config) { c.Backoff.Attempts = 2 })
	res := s.Send(context.Background(), message("https://fyr.test/k/1"))
	if res.Handed || channel.IsPermanent(res.Err) || len(sl.all()) != 1 {
		t.Fatalf("result %+v, sleeps %v", res, sl.all())
	}
	if !strings.Contains(res.Err.Error(), "gave up after 2 attempts") || !strings.Contains(res.Err.Error(), "127.0.0.1:"+strconv.Itoa(port)) {
		t.Errorf("error = %v", res.Err)
	}
}

func TestCancelStopsTheRetries(t *testing.T) {
	ms := startServer(t, options{})
	ms.queueRcpt(busy, busy)
	ctx, cancel := context.WithCancel(context.Background())
	s := newSender(t, ms, nil, func(c *email.Config) {
		c.Backoff.Sleep = func(context.Context, time.Duration) error { cancel(); return context.Canceled }
	})
	res := s.Send(ctx, message("https://fyr.test/k/1"))
	if res.Handed || !errors.Is(res.Err, context.Canceled) {
		t.Fatalf("result %+v", res)
	}
	if conns, _ := ms.got(); conns != 1 {
		t.Errorf("conns %d after cancel", conns)
	}
}

// selfSigned returns a certificate for 127.0.0.1 and a pool that trusts it.
func selfSigned(t *testing.T) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "mx.test"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
		DNSNames:     []string{"mx.test"},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: cert}, pool
}

func TestStartTLSWithAuth(t *testing.T) {
	cert, pool := selfSigned(t)
	ms := startServer(t, options{tls: &tls.Config{Certificates: []tls.Certificate{cert}}, users: map[string]string{"fyr": "hemligt"}})
	s := newSender(t, ms, &sleeps{}, func(c *email.Config) {
		c.TLS, c.Username, c.Password = email.StartTLS, "fyr", "hemligt"
		c.TLSConfig = &tls.Config{RootCAs: pool}
	})
	res := s.Send(context.Background(), message("https://fyr.test/k/1"))
	if !res.Handed {
		t.Fatalf("not handed over: %v", res.Err)
	}
	_, mails := ms.got()
	if len(mails) != 1 || !mails[0].tls || mails[0].user != "fyr" {
		t.Fatalf("mails %+v", mails)
	}
}

func TestWrongPasswordIsPermanent(t *testing.T) {
	cert, pool := selfSigned(t)
	ms := startServer(t, options{tls: &tls.Config{Certificates: []tls.Certificate{cert}}, users: map[string]string{"fyr": "hemligt"}})
	var sl sleeps
	s := newSender(t, ms, &sl, func(c *email.Config) {
		c.TLS, c.Username, c.Password = email.StartTLS, "fyr", "fel-lösenord"
		c.TLSConfig = &tls.Config{RootCAs: pool}
	})
	res := s.Send(context.Background(), message("https://fyr.test/k/1"))
	if res.Handed || !channel.IsPermanent(res.Err) || !strings.Contains(res.Err.Error(), "535") || len(sl.all()) != 0 {
		t.Fatalf("result %+v, sleeps %v", res, sl.all())
	}
	if strings.Contains(res.Err.Error(), "fel-lösenord") {
		t.Errorf("error shows the password: %v", res.Err)
	}
}

func TestImplicitTLS(t *testing.T) {
	cert, pool := selfSigned(t)
	ms := startServer(t, options{tls: &tls.Config{Certificates: []tls.Certificate{cert}}, implicit: true, users: map[string]string{"fyr": "hemligt"}})
	s := newSender(t, ms, &sleeps{}, func(c *email.Config) {
		c.TLS, c.TLSConfig = email.Implicit, &tls.Config{RootCAs: pool}
		c.Username, c.Password = "fyr", "hemligt"
	})
	if res := s.Send(context.Background(), message("https://fyr.test/k/1")); !res.Handed {
		t.Fatalf("not handed over: %v", res.Err)
	}
	if _, mails := ms.got(); len(mails) != 1 || !mails[0].tls || mails[0].user != "fyr" {
		t.Fatalf("mails %+v", mails)
	}
}

func TestStartTLSIsRequired(t *testing.T) {
	ms := startServer(t, options{}) // offers no STARTTLS
	var sl sleeps
	s := newSender(t, ms, &sl, func(c *email.Config) { c.TLS = email.StartTLS })
	res := s.Send(context.Background(), message("https://fyr.test/k/1"))
	if res.Handed || !channel.IsPermanent(res.Err) || !strings.Contains(res.Err.Error(), "STARTTLS") {
		t.Fatalf("result %+v", res)
	}
	if _, mails := ms.got(); len(mails) != 0 || len(sl.all()) != 0 {
		t.Errorf("mails %d, sleeps %v", len(mails), sl.all())
	}
}

func TestUntrustedCertificateIsPermanent(t *testing.T) {
	cert, _ := selfSigned(t)
	ms := startServer(t, options{tls: &tls.Config{Certificates: []tls.Certificate{cert}}})
	var sl sleeps
	s := newSender(t, ms, &sl, func(c *email.Config) { c.TLS = email.StartTLS })
	res := s.Send(context.Background(), message("https://fyr.test/k/1"))
	if res.Handed || !channel.IsPermanent(res.Err) || len(sl.all()) != 0 {
		t.Fatalf("result %+v, sleeps %v", res, sl.all())
	}
	if !strings.Contains(res.Err.Error(), "certificate") {
		t.Errorf("error = %v", res.Err)
	}
}

func TestBadMessageNamesTheField(t *testing.T) {
	ms := startServer(t, options{})
	s := newSender(t, ms, &sleeps{}, nil)
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
	if conns, _ := ms.got(); conns != 0 {
		t.Errorf("%d connections for bad messages", conns)
	}
}

func TestHeaderInjectionIsDefused(t *testing.T) {
	ms := startServer(t, options{})
	s := newSender(t, ms, &sleeps{}, nil)
	m := message("https://fyr.test/k/1")
	m.Subject = "Beslut\r\nBcc: eve@evil.test"
	m.ToName = "Åsa\r\nBcc: eve@evil.test"
	if res := s.Send(context.Background(), m); !res.Handed {
		t.Fatal(res.Err)
	}
	_, mails := ms.got()
	msg, _ := parse(t, mails[0].data)
	if len(mails[0].to) != 1 || msg.Header.Get("Bcc") != "" {
		t.Errorf("injected: rcpt %v, headers %v", mails[0].to, msg.Header)
	}
}

func TestConfigErrorsNameTheField(t *testing.T) {
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
