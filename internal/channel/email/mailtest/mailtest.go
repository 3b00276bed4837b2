// Package mailtest is a real SMTP server on loopback for tests: it speaks
// SMTP (github.com/emersion/go-smtp), keeps every mail it receives, parsed,
// and lets a test wait for them. On request it offers STARTTLS or implicit
// TLS with a self-signed certificate, requires AUTH PLAIN, and answers
// greetings or RCPT TO with failures a test queues.
package mailtest

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"io"
	"log"
	"math/big"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Mail is one received message.
type Mail struct {
	From    string
	To      []string
	Header  mail.Header
	Body    string // decoded from quoted-printable when so encoded
	Message []byte // as received
	TLS     bool   // it came over TLS (STARTTLS or implicit)
	User    string // who logged in with AUTH; "" for none
}

// Options say what a server offers beyond plain SMTP.
type Options struct {
	// StartTLS offers STARTTLS with a self-signed certificate for
	// 127.0.0.1 and mail.test; Server.RootCAs trusts it.
	StartTLS bool
	// ImplicitTLS speaks TLS with that certificate from the first byte.
	ImplicitTLS bool
	// Users, user name to password, makes the server offer AUTH PLAIN
	// (over TLS only) and refuse MAIL FROM before a successful login.
	Users map[string]string
}

// Server is a running SMTP server.
type Server struct {
	Host string
	Port int
	// RootCAs trusts the server's certificate; nil without TLS.
	RootCAs *x509.CertPool

	users map[string]string

	mu      sync.Mutex
	seen    map[*smtp.Conn]bool
	conns   int
	hello   []error // next replies to EHLO/HELO; nil: accept
	rcpt    []error // next replies to RCPT TO; nil: accept
	mails   []Mail
	changed chan struct{}
}

// Start runs a plain server on 127.0.0.1 until the test ends: senders use
// their "none" TLS mode against it.
func Start(t testing.TB) *Server { return StartWith(t, Options{}) }

// StartWith runs a server with o on 127.0.0.1 until the test ends.
func StartWith(t testing.TB, o Options) *Server {
	t.Helper()
	srv := &Server{users: o.Users, seen: map[*smtp.Conn]bool{}, changed: make(chan struct{})}
	s := smtp.NewServer(smtp.BackendFunc(srv.newSession))
	s.Domain = "mail.test"
	s.ReadTimeout, s.WriteTimeout = 10*time.Second, 10*time.Second
	s.ErrorLog = log.New(io.Discard, "", 0)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if o.StartTLS || o.ImplicitTLS {
		cert, pool := selfSigned(t)
		tc := &tls.Config{Certificates: []tls.Certificate{cert}}
		srv.RootCAs = pool
		if o.ImplicitTLS {
			l = tls.NewListener(l, tc)
		} else {
			s.TLSConfig = tc
		}
	}
	go s.Serve(l)
	t.Cleanup(func() { s.Close() })
	addr := l.Addr().(*net.TCPAddr)
	srv.Host, srv.Port = addr.IP.String(), addr.Port
	return srv
}

// FailHello queues replies to the next greetings (EHLO or HELO), one
// each, across connections: an *smtp.SMTPError sets the code; nil accepts.
func (s *Server) FailHello(errs ...error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hello = append(s.hello, errs...)
}

// FailRcpt queues replies to the next RCPT TO commands, as FailHello.
func (s *Server) FailRcpt(errs ...error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rcpt = append(s.rcpt, errs...)
}

// Conns returns how many connections have greeted the server (a client
// that greets twice on one connection counts once).
func (s *Server) Conns() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.conns
}

// Mails returns the mails received so far.
func (s *Server) Mails() []Mail {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Mail(nil), s.mails...)
}

// Wait returns once n mails have arrived, or fails when ctx ends.
func (s *Server) Wait(ctx context.Context, n int) ([]Mail, error) {
	for {
		s.mu.Lock()
		got, ch := append([]Mail(nil), s.mails...), s.changed
		s.mu.Unlock()
		if len(got) >= n {
			return got, nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return got, ctx.Err()
		}
	}
}

// next pops the first queued reply; s.mu is held.
func next(q *[]error) error {
	if len(*q) == 0 {
		return nil
	}
	err := (*q)[0]
	*q = (*q)[1:]
	return err
}

// newSession runs at every greeting: a client may greet twice on one
// connection (EHLO, then HELO, or again after STARTTLS).
func (s *Server) newSession(c *smtp.Conn) (smtp.Session, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.seen[c] {
		s.seen[c] = true
		s.conns++
	}
	if err := next(&s.hello); err != nil {
		return nil, err
	}
	sess := &session{srv: s, conn: c}
	if len(s.users) > 0 {
		return &authSession{sess}, nil
	}
	return sess, nil
}

type session struct {
	srv  *Server
	conn *smtp.Conn
	user string
	from string
	to   []string
}

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	if len(s.srv.users) > 0 && s.user == "" {
		return smtp.ErrAuthRequired
	}
	s.from = from
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.srv.mu.Lock()
	defer s.srv.mu.Unlock()
	if err := next(&s.srv.rcpt); err != nil {
		return err
	}
	s.to = append(s.to, to)
	return nil
}

func (s *session) Reset()        { s.from, s.to = "", nil }
func (s *session) Logout() error { return nil }

func (s *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return err
	}
	var br io.Reader = m.Body
	if strings.EqualFold(m.Header.Get("Content-Transfer-Encoding"), "quoted-printable") {
		br = quotedprintable.NewReader(m.Body)
	}
	body, err := io.ReadAll(br)
	if err != nil {
		return err
	}
	_, isTLS := s.conn.TLSConnectionState()
	s.srv.mu.Lock()
	s.srv.mails = append(s.srv.mails, Mail{From: s.from, To: s.to, Header: m.Header, Body: string(body), Message: raw,
		TLS: isTLS, User: s.user})
	close(s.srv.changed)
	s.srv.changed = make(chan struct{})
	s.srv.mu.Unlock()
	return nil
}

// authSession is a session that offers AUTH PLAIN.
type authSession struct{ *session }

func (s *authSession) AuthMechanisms() []string { return []string{sasl.Plain} }

func (s *authSession) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if want, ok := s.srv.users[user]; !ok || want != pass {
			return smtp.ErrAuthFailed
		}
		s.user = user
		return nil
	}), nil
}

// selfSigned returns a certificate for 127.0.0.1 and mail.test, valid for
// an hour either side of now, and a pool that trusts it.
func selfSigned(t testing.TB) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "mail.test"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
		DNSNames:     []string{"mail.test"},
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
