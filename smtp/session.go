package smtp

import (
	"context"
	"crypto/tls"
	"errors"
	"net"
	"time"

	"github.com/emersion/go-sasl"
	gosmtp "github.com/emersion/go-smtp"
)

// Session is one connection to the relay, greeted, secured and
// authenticated, that delivers messages one after the other (a notice to
// many stakeholders goes out on one connection). It is not safe for
// concurrent use.
type Session struct {
	cfg    Config
	raw    net.Conn // the TCP connection, closed to interrupt a step
	conn   *conn    // raw as go-smtp's client writes to it
	c      *gosmtp.Client
	broken error // a transport failure: the connection cannot be trusted any more
}

// Dial connects to the relay, reads its greeting, says EHLO, secures the
// connection as cfg.Security says and authenticates. It returns an *Error.
// With StartTLS the EHLO before the upgrade says "localhost" (go-smtp's
// client upgrades in one call); cfg.HelloName is said over TLS.
func Dial(ctx context.Context, cfg Config) (*Session, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	d := net.Dialer{Timeout: cfg.Timeout}
	raw, err := d.DialContext(ctx, "tcp", cfg.Addr)
	if err != nil {
		return nil, classify(ctx, "dial "+cfg.Addr, err)
	}
	s := &Session{cfg: cfg, raw: raw, conn: &conn{Conn: raw, timeout: cfg.Timeout}}
	if err := s.open(ctx); err != nil {
		raw.Close()
		return nil, err
	}
	return s, nil
}

func (s *Session) open(ctx context.Context) error {
	var err error
	switch s.cfg.Security {
	case StartTLS:
		err = s.startTLS(ctx)
	case ImplicitTLS:
		tc := tls.Client(s.conn, s.cfg.TLS)
		if err := s.step(ctx, "tls handshake", func() error { return tc.HandshakeContext(ctx) }); err != nil {
			return err
		}
		s.conn.greetedAt = s.conn.written.Load()
		err = s.hello(ctx, tc)
	default:
		err = s.hello(ctx, s.conn)
	}
	if err != nil || s.cfg.Username == "" {
		return err
	}
	if _, ok := s.c.TLSConnectionState(); !ok {
		// Config.Validate refuses this too; the check stays next to the
		// password it protects.
		return &Error{Op: "auth", Err: errors.New("AUTH PLAIN would send the password in clear")}
	}
	auth := sasl.NewPlainClient("", s.cfg.Username, s.cfg.Password)
	return s.step(ctx, "auth", func() error { return s.c.Auth(auth) })
}

// hello makes the client on c and greets: the relay's greeting, then
// EHLO.
func (s *Session) hello(ctx context.Context, c net.Conn) error {
	s.c = gosmtp.NewClient(c)
	s.c.CommandTimeout, s.c.SubmissionTimeout = s.cfg.Timeout, s.cfg.Timeout
	return s.greeted(s.step(ctx, "ehlo", func() error { return s.c.Hello(s.cfg.HelloName) }))
}

// greeted names the failure of a first exchange for the greeting when
// the client wrote nothing since: the relay did not greet, or refused to.
// (go-smtp reads the greeting inside its first command.)
func (s *Session) greeted(err error) error {
	var e *Error
	if errors.As(err, &e) && s.conn.written.Load() == s.conn.greetedAt {
		e.Op = "greeting"
	}
	return err
}

// startTLS reads the greeting, says EHLO, upgrades with STARTTLS and says
// EHLO again over TLS, where the certificate is checked. A relay that does
// not offer STARTTLS is refused: a notice is never sent in clear.
func (s *Session) startTLS(ctx context.Context) error {
	err := s.greeted(s.step(ctx, "starttls", func() (err error) {
		// go-smtp's client has no STARTTLS of its own after a greeting:
		// this makes one that upgrades, and the timeouts are set on it
		// at once (conn bounds its first exchanges meanwhile).
		s.c, err = gosmtp.NewClientStartTLS(s.conn, s.cfg.TLS)
		if err == nil {
			s.c.CommandTimeout, s.c.SubmissionTimeout = s.cfg.Timeout, s.cfg.Timeout
		}
		return err
	}))
	var e *Error
	if errors.As(err, &e) && e.Op == "starttls" && !s.conn.startTLS.Load() && e.Code == 0 && !e.Temporary {
		// The EHLO went through and the client did not say STARTTLS:
		// go-smtp found no STARTTLS among the extensions.
		return &Error{Op: "starttls", Err: errors.New("the server does not offer STARTTLS; refusing to send in clear")}
	}
	if err != nil {
		return err
	}
	return s.step(ctx, "starttls", func() error { return s.c.Hello(s.cfg.HelloName) })
}

// step runs one exchange with the relay under ctx: go-smtp's client bounds
// each command and the reply to DATA by the timeout (and conn each write),
// and ctx ending closes the connection. A transport failure, or a 421 (the
// relay closes the channel), marks the session broken.
func (s *Session) step(ctx context.Context, op string, fn func() error) error {
	if s.broken != nil {
		return &Error{Op: op, Temporary: true, Err: s.broken}
	}
	if err := ctx.Err(); err != nil {
		return classify(ctx, op, err)
	}
	// The deadline bounds what go-smtp does not (the TLS handshake); the
	// client replaces it around its commands.
	s.conn.SetDeadline(time.Now().Add(s.cfg.Timeout))
	stop := context.AfterFunc(ctx, func() { s.raw.Close() })
	err := fn()
	stop()
	if err == nil {
		return nil
	}
	e := classify(ctx, op, err)
	if e.Code == 0 || e.Code == codeClosing {
		s.broken = errors.New("the connection failed at an earlier step: " + err.Error())
	}
	return e
}

// codeClosing is the reply of a relay that closes the channel: 421
// "service not available", whatever command it answers.
const codeClosing = 421

// Send delivers msg, a whole mail with CRLF line ends, to every recipient
// of env, or to none: if the relay refuses one recipient the transaction
// is reset before any data is sent, so that a retry cannot give a second
// copy to those it had accepted.
//
// An error the relay gave in answer to the message is Refused; any other
// is the connection's (IsRefused): the message may go out on a new one.
// When the connection drops after the data was sent but before the relay
// answered, the error is temporary and the relay may still deliver the
// mail; a retry then makes a second copy, which the stable Message-ID
// lets list software and readers recognise.
func (s *Session) Send(ctx context.Context, env Envelope, msg []byte) error {
	if err := env.validate(); err != nil {
		return err
	}
	if err := s.step(ctx, "mail from", func() error { return s.c.Mail(env.From, nil) }); err != nil {
		return s.abort(ctx, err)
	}
	for _, to := range env.To {
		if err := s.step(ctx, "rcpt to <"+to+">", func() error { return s.c.Rcpt(to, nil) }); err != nil {
			return s.abort(ctx, err)
		}
	}
	return refused(s.step(ctx, "data", func() error {
		w, err := s.c.Data()
		if err != nil {
			return err
		}
		if _, err := w.Write(msg); err != nil {
			return err
		}
		return w.Close()
	}))
}

// abort resets a refused transaction so the session can go on.
func (s *Session) abort(ctx context.Context, err error) error {
	if s.broken == nil {
		_ = s.step(ctx, "rset", s.c.Reset)
	}
	return refused(err)
}

// refused marks a reply to the message as the relay's refusal of it.
func refused(err error) error {
	var e *Error
	if errors.As(err, &e) && e.Code != 0 && e.Code != codeClosing {
		e.Refused = true
	}
	return err
}

// Close says QUIT and closes the connection.
func (s *Session) Close() error {
	if s.broken != nil || s.c == nil {
		return s.raw.Close()
	}
	err := s.step(context.Background(), "quit", s.c.Quit)
	if err != nil {
		s.raw.Close()
	}
	return err
}
