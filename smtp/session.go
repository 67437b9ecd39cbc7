package smtp

import (
	"context"
	"crypto/tls"
	"errors"
	"net"
	"net/smtp"
	"time"
)

// Session is one connection to the relay, greeted, secured and
// authenticated, that delivers messages one after the other (a notice to
// many stakeholders goes out on one connection). It is not safe for
// concurrent use.
type Session struct {
	cfg    Config
	conn   net.Conn
	c      *smtp.Client
	broken error // a transport failure: the connection cannot be trusted any more
}

// Dial connects to the relay, reads its greeting, says EHLO, secures the
// connection as cfg.Security says and authenticates. It returns an *Error.
func Dial(ctx context.Context, cfg Config) (*Session, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	d := net.Dialer{Timeout: cfg.Timeout}
	conn, err := d.DialContext(ctx, "tcp", cfg.Addr)
	if err != nil {
		return nil, classify(ctx, "dial "+cfg.Addr, err)
	}
	s := &Session{cfg: cfg, conn: conn}
	if err := s.open(ctx); err != nil {
		conn.Close()
		return nil, err
	}
	return s, nil
}

func (s *Session) open(ctx context.Context) error {
	if s.cfg.Security == ImplicitTLS {
		tc := tls.Client(s.conn, s.cfg.TLS)
		if err := s.step(ctx, "tls handshake", func() error { return tc.HandshakeContext(ctx) }); err != nil {
			return err
		}
		s.conn = tc
	}
	err := s.step(ctx, "greeting", func() (err error) {
		s.c, err = smtp.NewClient(s.conn, s.cfg.TLS.ServerName)
		return err
	})
	if err != nil {
		return err
	}
	if err := s.step(ctx, "ehlo", func() error { return s.c.Hello(s.cfg.HelloName) }); err != nil {
		return err
	}
	if err := s.startTLS(ctx); err != nil {
		return err
	}
	if s.cfg.Username == "" {
		return nil
	}
	auth := smtp.PlainAuth("", s.cfg.Username, s.cfg.Password, s.cfg.TLS.ServerName)
	return s.step(ctx, "auth", func() error { return s.c.Auth(auth) })
}

func (s *Session) startTLS(ctx context.Context) error {
	if s.cfg.Security != StartTLS {
		return nil
	}
	if ok, _ := s.c.Extension("STARTTLS"); !ok {
		return &Error{Op: "starttls", Err: errors.New("the server does not offer STARTTLS; refusing to send in clear")}
	}
	return s.step(ctx, "starttls", func() error { return s.c.StartTLS(s.cfg.TLS) })
}

// step runs one exchange with the relay under the timeout and ctx: the
// deadline on the connection interrupts a server that stops answering,
// and cancelling ctx moves the deadline to now. A transport failure
// marks the session broken.
func (s *Session) step(ctx context.Context, op string, fn func() error) error {
	if s.broken != nil {
		return &Error{Op: op, Temporary: true, Err: s.broken}
	}
	if err := ctx.Err(); err != nil {
		return classify(ctx, op, err)
	}
	deadline := time.Now().Add(s.cfg.Timeout)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	s.conn.SetDeadline(deadline)
	stop := context.AfterFunc(ctx, func() { s.conn.SetDeadline(time.Unix(1, 0)) })
	err := fn()
	stop()
	if err == nil {
		return nil
	}
	e := classify(ctx, op, err)
	if e.Code == 0 {
		s.broken = errors.New("the connection failed at an earlier step: " + err.Error())
	}
	return e
}

// Send delivers msg, a whole mail with CRLF line ends, to every recipient
// of env, or to none: if the relay refuses one recipient the transaction
// is reset before any data is sent, so that a retry cannot give a second
// copy to those it had accepted.
//
// When the connection drops after the data was sent but before the relay
// answered, the error is temporary and the relay may still deliver the
// mail; a retry then makes a second copy, which the stable Message-ID
// lets list software and readers recognise.
func (s *Session) Send(ctx context.Context, env Envelope, msg []byte) error {
	if err := env.validate(); err != nil {
		return err
	}
	if err := s.step(ctx, "mail from", func() error { return s.c.Mail(env.From) }); err != nil {
		return s.abort(ctx, err)
	}
	for _, to := range env.To {
		if err := s.step(ctx, "rcpt to <"+to+">", func() error { return s.c.Rcpt(to) }); err != nil {
			return s.abort(ctx, err)
		}
	}
	return s.step(ctx, "data", func() error {
		w, err := s.c.Data()
		if err != nil {
			return err
		}
		if _, err := w.Write(msg); err != nil {
			return err
		}
		return w.Close()
	})
}

// abort resets a refused transaction so the session can go on.
func (s *Session) abort(ctx context.Context, err error) error {
	if s.broken == nil {
		_ = s.step(ctx, "rset", s.c.Reset)
	}
	return err
}

// Close says QUIT and closes the connection.
func (s *Session) Close() error {
	if s.broken != nil || s.c == nil {
		return s.conn.Close()
	}
	err := s.step(context.Background(), "quit", s.c.Quit)
	if err != nil {
		s.conn.Close()
	}
	return err
}
