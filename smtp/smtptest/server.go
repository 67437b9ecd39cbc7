// Package smtptest runs a real SMTP server (emersion/go-smtp) on
// 127.0.0.1 for tests: it keeps what it receives, can offer STARTTLS with
// a self-signed certificate and require AUTH PLAIN, and can be told to
// answer with errors or drop connections, to test retries.
package smtptest

import (
	"bytes"
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
	"net"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Message is one mail the server accepted.
type Message struct {
	From string
	To   []string
	Data []byte
	// At is when the server took the whole message in, so that a test
	// can tell what was sent before and after a moment of the case.
	At time.Time
}

// Stage is the point of a transaction a Fault applies to.
type Stage string

// The stages a Fault can act at.
const (
	AtMail Stage = "mail"
	AtRcpt Stage = "rcpt"
	AtData Stage = "data"
	// AtDataEnd acts after the whole message is in and kept, before the
	// answer: ErrDrop there is the lost reply after which a client cannot
	// know the mail went through.
	AtDataEnd Stage = "data end"
)

// Fault decides what the server does at a stage: nil to go on, an
// *smtp.SMTPError to answer with it, or ErrDrop to close the connection
// (at AtData, after reading part of the message).
type Fault func(stage Stage, arg string) error

// ErrDrop makes the server close the connection without answering.
var ErrDrop = errors.New("smtptest: drop the connection")

// Options configure a Server.
type Options struct {
	TLS                bool   // offer STARTTLS with a fresh self-signed certificate for 127.0.0.1
	Username, Password string // when set, require AUTH PLAIN with these
	// OneMailPerConn takes one mail per connection, as some relays do:
	// the next MAIL FROM on it is answered 421 and the connection closed.
	OneMailPerConn bool
	// CutAtMail, when above 0, cuts the connection without an answer at
	// every CutAtMail-th MAIL FROM the server is sent (counted over all
	// connections).
	CutAtMail int
}

// Server is a running SMTP server.
type Server struct {
	Addr  string
	roots *x509.CertPool

	mu    sync.Mutex
	msgs  []Message
	fault Fault
	opts  Options
	conns int // connections opened
	mails int // MAIL FROM commands received
}

// Start runs a server until the test ends.
func Start(t testing.TB, opts Options) *Server {
	t.Helper()
	s := &Server{opts: opts}
	srv := smtp.NewServer(smtp.BackendFunc(s.newSession))
	srv.Domain = "localhost"
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	srv.AllowInsecureAuth = !opts.TLS
	srv.ErrorLog = log.New(io.Discard, "", 0) // dropped connections are the point of some tests
	if opts.TLS {
		cfg, roots, err := selfSigned()
		if err != nil {
			t.Fatal(err)
		}
		srv.TLSConfig, s.roots = cfg, roots
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.Addr = l.Addr().String()
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	return s
}

// RootCAs trusts the server's certificate (nil without TLS).
func (s *Server) RootCAs() *x509.CertPool { return s.roots }

// SetFault changes the server's behaviour from now on; nil restores it.
func (s *Server) SetFault(f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fault = f
}

// Messages returns a copy of what was accepted, in order.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.msgs...)
}

func (s *Server) check(stage Stage, arg string) error {
	s.mu.Lock()
	f := s.fault
	s.mu.Unlock()
	if f == nil {
		return nil
	}
	return f(stage, arg)
}

// Connections returns how many connections the server has accepted.
func (s *Server) Connections() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.conns
}

func (s *Server) newSession(c *smtp.Conn) (smtp.Session, error) {
	s.mu.Lock()
	s.conns++
	s.mu.Unlock()
	return &session{srv: s, conn: c}, nil
}

type session struct {
	srv    *Server
	conn   *smtp.Conn
	authed bool
	msg    Message
	taken  int // mails accepted on this connection
}

// limit applies OneMailPerConn and CutAtMail to a MAIL FROM.
func (x *session) limit() error {
	x.srv.mu.Lock()
	x.srv.mails++
	cut := x.srv.opts.CutAtMail > 0 && x.srv.mails%x.srv.opts.CutAtMail == 0
	x.srv.mu.Unlock()
	switch {
	case x.srv.opts.OneMailPerConn && x.taken > 0:
		// The relay says so and hangs up; go-smtp's own reply then
		// finds the connection closed.
		_, _ = io.WriteString(x.conn.Conn(), "421 4.7.0 One mail per connection, closing\r\n")
		x.conn.Conn().Close()
		return ErrDrop
	case cut:
		x.conn.Conn().Close()
		return ErrDrop
	}
	return nil
}

func (x *session) AuthMechanisms() []string {
	if x.srv.opts.Username == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (x *session) Auth(mech string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(identity, username, password string) error {
		if username != x.srv.opts.Username || password != x.srv.opts.Password {
			return &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 8}, Message: "Authentication credentials invalid"}
		}
		x.authed = true
		return nil
	}), nil
}

func (x *session) Mail(from string, _ *smtp.MailOptions) error {
	if x.srv.opts.Username != "" && !x.authed {
		return &smtp.SMTPError{Code: 530, EnhancedCode: smtp.EnhancedCode{5, 7, 0}, Message: "Authentication required"}
	}
	if err := x.limit(); err != nil {
		return err
	}
	if err := x.fault(AtMail, from); err != nil {
		return err
	}
	x.msg = Message{From: from}
	return nil
}

func (x *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if err := x.fault(AtRcpt, to); err != nil {
		return err
	}
	x.msg.To = append(x.msg.To, to)
	return nil
}

func (x *session) Data(r io.Reader) error {
	err := x.srv.check(AtData, "")
	if errors.Is(err, ErrDrop) {
		// Mid-DATA: part of the message is in, then the line goes dead.
		_, _ = io.CopyN(io.Discard, r, 64)
		x.conn.Conn().Close()
		return err
	}
	if err != nil {
		return err
	}
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	x.msg.Data, x.msg.At = b, time.Now()
	x.srv.mu.Lock()
	x.srv.msgs = append(x.srv.msgs, x.msg)
	x.srv.mu.Unlock()
	x.taken++
	return x.fault(AtDataEnd, "")
}

// fault applies the server's Fault; ErrDrop closes the connection.
func (x *session) fault(stage Stage, arg string) error {
	err := x.srv.check(stage, arg)
	if !errors.Is(err, ErrDrop) {
		return err
	}
	x.conn.Conn().Close()
	return err
}

func (x *session) Reset()        { x.msg = Message{} }
func (x *session) Logout() error { return nil }

// selfSigned makes a certificate for 127.0.0.1 and localhost and a pool
// that trusts it.
func selfSigned() (*tls.Config, *x509.CertPool, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "smtptest"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
		DNSNames:     []string{"localhost"},
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, nil, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, nil, err
	}
	roots := x509.NewCertPool()
	roots.AddCert(cert)
	return &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}, roots, nil
}

// Count returns how many accepted messages contain the marker (such as a
// Message-ID), to check that each arrived exactly once.
func (s *Server) Count(marker []byte) int {
	n := 0
	for _, m := range s.Messages() {
		if bytes.Contains(m.Data, marker) {
			n++
		}
	}
	return n
}
