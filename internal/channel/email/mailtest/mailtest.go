// Package mailtest is a real SMTP server on loopback for end-to-end tests:
// it speaks SMTP (github.com/emersion/go-smtp), keeps every mail it
// receives, parsed, and lets a test wait for them.
package mailtest

import (
	"bytes"
	"context"
	"io"
	"log"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// Mail is one received message.
type Mail struct {
	From    string
	To      []string
	Header  mail.Header
	Body    string
	Message []byte // as received
}

// Server is a running SMTP server.
type Server struct {
	Host string
	Port int

	mu      sync.Mutex
	mails   []Mail
	changed chan struct{}
}

// Start runs a server on 127.0.0.1 until the test ends. It offers no TLS:
// senders use their "none" mode against it.
func Start(t testing.TB) *Server {
	t.Helper()
	srv := &Server{changed: make(chan struct{})}
	s := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &session{srv: srv}, nil }))
	s.Domain = "mail.test"
	s.ReadTimeout, s.WriteTimeout = 10*time.Second, 10*time.Second
	s.ErrorLog = log.New(io.Discard, "", 0)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go s.Serve(l)
	t.Cleanup(func() { s.Close() })
	addr := l.Addr().(*net.TCPAddr)
	srv.Host, srv.Port = addr.IP.String(), addr.Port
	return srv
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

type session struct {
	srv  *Server
	from string
	to   []string
}

func (s *session) Mail(from string, _ *smtp.MailOptions) error { s.from = from; return nil }
func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error   { s.to = append(s.to, to); return nil }
func (s *session) Reset()                                      { s.from, s.to = "", nil }
func (s *session) Logout() error                               { return nil }

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
	s.srv.mu.Lock()
	s.srv.mails = append(s.srv.mails, Mail{From: s.from, To: s.to, Header: m.Header, Body: string(body), Message: raw})
	close(s.srv.changed)
	s.srv.changed = make(chan struct{})
	s.srv.mu.Unlock()
	return nil
}
