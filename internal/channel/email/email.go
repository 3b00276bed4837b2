// Package email sends a dispatch attempt as a plain-text UTF-8 mail over
// SMTP (STARTTLS, implicit TLS, or plain for loopback), with retries and
// backoff on temporary failures (4xx replies, broken connections) and none
// on permanent ones (5xx replies, bad addresses, TLS or credential
// trouble). The Message-ID is <AttemptID@fyr>, so a receiving system can
// recognise a mail sent twice.
package email

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	netmail "net/mail"
	"net/textproto"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"

	mail "github.com/wneessen/go-mail"

	"fyr/internal/channel"
	"fyr/internal/fail"
)

// TLSMode says how the connection to the SMTP server is protected.
type TLSMode string

const (
	// StartTLS upgrades a plain connection with STARTTLS and refuses a
	// server that does not offer it (port 587).
	StartTLS TLSMode = "starttls"
	// Implicit speaks TLS from the first byte (port 465).
	Implicit TLSMode = "tls"
	// NoTLS sends in clear: for loopback tests and a relay on the same
	// host only. Credentials are never sent over it.
	NoTLS TLSMode = "none"
)

// Config configures a Sender.
type Config struct {
	Name     string  // provider name in results; default "smtp"
	Host     string  // SMTP server: a host name or an IP address
	Port     int     // default 587 (StartTLS), 465 (Implicit) or 25 (NoTLS)
	Username string  // SMTP AUTH, optional; Password must come with it
	Password string  // never logged
	TLS      TLSMode // default StartTLS
	// TLSConfig overrides the TLS settings (e.g. a private CA in RootCAs).
	// ServerName defaults to Host.
	TLSConfig *tls.Config
	From      string        // sender address, e.g. "fyr@regionkronoberg.se"
	FromName  string        // shown name, e.g. "Fyr Region Kronoberg"
	HELO      string        // name given in EHLO; default the machine's host name
	Timeout   time.Duration // per attempt, for connecting and for each reply; default 30 s
	Backoff   channel.Backoff
	Now       func() time.Time // for the Date header; nil: time.Now
	Logger    *slog.Logger     // nil: no logging
}

// Sender sends mail over SMTP. It is safe for concurrent use: every Send
// opens its own connection.
type Sender struct {
	cfg  Config
	addr string
	opts []mail.Option
	from *netmail.Address
	log  *slog.Logger
}

var _ channel.Sender = (*Sender)(nil)

// New checks cfg and returns a Sender. It does not connect.
func New(cfg Config) (*Sender, error) {
	if cfg.Name == "" {
		cfg.Name = "smtp"
	}
	if cfg.TLS == "" {
		cfg.TLS = StartTLS
	}
	if strings.TrimSpace(cfg.Host) == "" || strings.ContainsAny(cfg.Host, " /:@") && net.ParseIP(cfg.Host) == nil {
		return nil, fail.Field("host", "give the SMTP server's host name or IP address")
	}
	var opts []mail.Option
	switch cfg.TLS {
	case StartTLS:
		opts = append(opts, mail.WithTLSPolicy(mail.TLSMandatory))
	case Implicit:
		opts = append(opts, mail.WithSSL())
	case NoTLS:
		opts = append(opts, mail.WithTLSPolicy(mail.NoTLS))
	default:
		return nil, fail.Field("tls", "unknown mode %q: use starttls, tls or none", cfg.TLS)
	}
	if cfg.Port == 0 {
		cfg.Port = map[TLSMode]int{StartTLS: 587, Implicit: 465, NoTLS: 25}[cfg.TLS]
	}
	if cfg.Port < 1 || cfg.Port > 65535 {
		return nil, fail.Field("port", "%d is not a TCP port", cfg.Port)
	}
	opts = append(opts, mail.WithPort(cfg.Port))
	if cfg.TLS != NoTLS {
		tc := &tls.Config{MinVersion: tls.VersionTLS12}
		if cfg.TLSConfig != nil {
			tc = cfg.TLSConfig.Clone()
		}
		if tc.ServerName == "" {
			tc.ServerName = cfg.Host
		}
		opts = append(opts, mail.WithTLSConfig(tc))
	}
	switch {
	case cfg.Username == "" && cfg.Password == "":
	case cfg.Username == "":
		return nil, fail.Field("username", "is required with a password")
	case cfg.Password == "":
		return nil, fail.Field("password", "is required with a username")
	case cfg.TLS == NoTLS:
		return nil, fail.Field("tls", "credentials are never sent over a plain connection: use starttls or tls")
	default:
		opts = append(opts, mail.WithSMTPAuth(mail.SMTPAuthAutoDiscover),
			mail.WithUsername(cfg.Username), mail.WithPassword(cfg.Password))
	}
	from, err := netmail.ParseAddress(cfg.From)
	if err != nil || from.Name != "" {
		return nil, fail.Field("from", "%q is not a plain e-mail address", cfg.From)
	}
	from.Name = clean(cfg.FromName)
	if cfg.Timeout <= 0 {
		cfg.Timeout = 30 * time.Second
	}
	opts = append(opts, mail.WithTimeout(cfg.Timeout))
	if cfg.HELO != "" {
		opts = append(opts, mail.WithHELO(cfg.HELO))
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	cfg.Backoff = cfg.Backoff.OrDefault()
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Sender{cfg: cfg, addr: net.JoinHostPort(cfg.Host, strconv.Itoa(cfg.Port)), opts: opts, from: from,
		log: log.With("channel", channel.Email, "provider", cfg.Name)}, nil
}

// Channel is "email".
func (s *Sender) Channel() string { return channel.Email }

// attemptID is what may stand left of the @ in a Message-ID.
var attemptID = regexp.MustCompile(`^[A-Za-z0-9._-]{1,200}$`)

// MessageID is the Message-ID header of an attempt.
func MessageID(attempt string) string { return "<" + attempt + "@fyr>" }

// Send sends m to m.ToEmail, retrying temporary failures within the
// configured backoff.
func (s *Sender) Send(ctx context.Context, m channel.Message) channel.Result {
	res := channel.Result{Provider: s.cfg.Name}
	to, err := s.check(m)
	if err != nil {
		res.Err = channel.Permanent(err)
		return res
	}
	date := s.cfg.Now()
	n, err := channel.Retry(ctx, s.cfg.Backoff, func(try int) error {
		err := s.once(ctx, m, to, date)
		if err != nil && !channel.IsPermanent(err) && try < s.cfg.Backoff.Attempts && ctx.Err() == nil {
			s.log.Warn("smtp attempt failed; retrying", "attempt_id", m.AttemptID, "try", try, "err", err)
		}
		return err
	})
	if err != nil {
		s.log.Warn("mail not handed over", "attempt_id", m.AttemptID, "tries", n, "err", err)
		res.Err = fmt.Errorf("e-mail via %s: %w", s.addr, err)
		return res
	}
	s.log.Debug("mail handed over", "attempt_id", m.AttemptID, "tries", n)
	res.Handed, res.ProviderID = true, MessageID(m.AttemptID)
	return res
}

func (s *Sender) check(m channel.Message) (*netmail.Address, error) {
	if !attemptID.MatchString(m.AttemptID) {
		return nil, fail.Field("attempt_id", "must be 1 to 200 letters, digits, dots, dashes or underscores")
	}
	to, err := netmail.ParseAddress(m.ToEmail)
	if err != nil || to.Name != "" {
		return nil, fail.Field("to_email", "is not a plain e-mail address")
	}
	to.Name = clean(m.ToName)
	if strings.TrimSpace(m.Text) == "" && m.ReceiptURL == "" {
		return nil, fail.Field("text", "is required")
	}
	return to, nil
}

// clean keeps a header value on one line.
func clean(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r < ' ' || r == 0x7f }), " ")
}

// compose builds the mail of one attempt.
func (s *Sender) compose(m channel.Message, to *netmail.Address, date time.Time) *mail.Msg {
	msg := mail.NewMsg(mail.WithCharset(mail.CharsetUTF8), mail.WithEncoding(mail.EncodingQP), mail.WithNoDefaultUserAgent())
	msg.FromMailAddress(s.from)
	msg.ToMailAddress(to)
	subject := clean(m.Subject)
	if subject == "" {
		subject = "Meddelande från krisledningen"
	}
	msg.Subject(subject)
	msg.SetMessageIDWithValue(m.AttemptID + "@fyr")
	msg.SetDateWithValue(date)
	msg.SetUserAgent("Fyr")
	// An automatic message: no vacation replies back to Fyr (RFC 3834).
	msg.SetGenHeader(mail.Header("Auto-Submitted"), "auto-generated")
	msg.SetGenHeader(mail.HeaderXAutoResponseSuppress, "All")
	msg.SetBodyString(mail.TypeTextPlain, strings.ReplaceAll(m.TextWithLink(), "\r\n", "\n")+"\n")
	return msg
}

// once makes one attempt: connect, hand over, close.
func (s *Sender) once(ctx context.Context, m channel.Message, to *netmail.Address, date time.Time) error {
	c, err := mail.NewClient(s.cfg.Host, s.opts...)
	if err != nil {
		return channel.Permanent(fmt.Errorf("smtp client: %w", err))
	}
	msg := s.compose(m, to, date)
	err = c.DialAndSendWithContext(ctx, msg)
	if msg.IsDelivered() {
		// The server took the mail; a failure after that (RSET, QUIT) does
		// not undo it, and a retry would deliver it twice.
		return nil
	}
	if err == nil {
		return errors.New("smtp: the server did not confirm the mail")
	}
	return classify(err)
}

// Error is an SMTP failure as Send reports it.
type Error struct {
	Code      int  // the server's reply code; 0 when there was none (a connection error)
	Temporary bool // a retry may succeed
	text      string
	cause     error
}

func (e *Error) Error() string {
	kind := "temporary failure"
	if !e.Temporary {
		kind = "permanent failure, not retried"
	}
	return "smtp: " + e.text + " (" + kind + ")"
}

func (e *Error) Unwrap() error { return e.cause }

// classify turns what go-mail returns into an *Error, permanent unless a
// retry can help: a 4xx reply or a broken connection.
func classify(err error) error {
	e := &Error{text: err.Error(), cause: err}
	var se *mail.SendError
	var tp *textproto.Error
	switch {
	case errors.As(err, &se):
		e.text = sendErrorText(se)
		e.Code = se.ErrorCode()
		switch {
		case e.Code >= 400 && e.Code < 500:
			e.Temporary = true
		case e.Code >= 500:
		default:
			// No reply code: the connection failed under go-mail, unless
			// the message itself was unusable.
			switch se.Reason {
			case mail.ErrGetSender, mail.ErrGetRcpts, mail.ErrNoUnencoded:
			default:
				e.Temporary = true
			}
		}
	case errors.As(err, &tp):
		e.Code = tp.Code
		e.Temporary = tp.Code/100 == 4
	case tlsTrouble(err):
		// A certificate the client does not trust, or TLS spoken to a
		// plain port: configuration, not weather.
	case connTrouble(err):
		e.Temporary = true
	}
	if !e.Temporary {
		return channel.Permanent(e)
	}
	return e
}

// sendErrorText is go-mail's message without the recipients and the
// Message-ID it appends: those are personal data or known already.
func sendErrorText(se *mail.SendError) string {
	t := se.Error()
	for _, cut := range []string{", affected recipient(s): ", ", affected message ID: "} {
		t, _, _ = strings.Cut(t, cut)
	}
	return t
}

func tlsTrouble(err error) bool {
	var (
		cv *tls.CertificateVerificationError
		ua x509.UnknownAuthorityError
		he x509.HostnameError
		ci x509.CertificateInvalidError
		rh tls.RecordHeaderError
	)
	return errors.As(err, &cv) || errors.As(err, &ua) || errors.As(err, &he) || errors.As(err, &ci) || errors.As(err, &rh)
}

func connTrouble(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) ||
		errors.Is(err, net.ErrClosed)
}
