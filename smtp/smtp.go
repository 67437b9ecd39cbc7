// Package smtp delivers mail to a relay over SMTP, with STARTTLS (or TLS
// from the start) and AUTH PLAIN, timeouts on the dial, every command and
// DATA, and errors that say whether a retry may succeed and whether the
// relay refused the message or the connection failed. It uses go-smtp's
// client (net/smtp is frozen), with a connection that bounds what that
// client leaves unbounded (see conn).
package smtp

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/mail"
	"time"
)

// Security says how the connection to the relay is protected.
type Security int

const (
	// StartTLS upgrades a plain connection with STARTTLS, and refuses to
	// go on when the server does not offer it (the default: a notice is
	// never sent in clear because a relay forgot its certificate).
	StartTLS Security = iota
	// ImplicitTLS speaks TLS from the first byte (port 465).
	ImplicitTLS
	// Plain sends in clear: only for a relay on the same host.
	Plain
)

// Config is the relay and how to talk to it.
type Config struct {
	Addr     string // host:port
	Security Security
	// TLS verifies the server; nil means the system roots and the host of
	// Addr. Tests set RootCAs to trust their own certificate.
	TLS *tls.Config
	// Username and Password, when Username is set, authenticate with AUTH
	// PLAIN, which is refused on a connection without TLS.
	Username, Password string
	HelloName          string        // the EHLO name; default "localhost"
	Timeout            time.Duration // for the connection and for each step; default 30s
}

// Envelope is the sender and recipients given to the relay, which may
// differ from the headers (a list, a blind copy).
type Envelope struct {
	From string
	To   []string
}

// Validate reports a configuration Dial would refuse, so that a server
// can refuse it at start-up rather than at the first notice.
func (c Config) Validate() error {
	_, err := c.withDefaults()
	return err
}

func (c Config) withDefaults() (Config, error) {
	host, _, err := net.SplitHostPort(c.Addr)
	if err != nil || host == "" {
		return c, &Error{Op: "config", Err: fmt.Errorf("address %q is not host:port", c.Addr)}
	}
	if c.Security < StartTLS || c.Security > Plain {
		return c, &Error{Op: "config", Err: fmt.Errorf("unknown security %d", c.Security)}
	}
	if c.Username != "" && c.Security == Plain {
		return c, &Error{Op: "config", Err: errors.New("AUTH PLAIN would send the password in clear; use StartTLS or ImplicitTLS")}
	}
	if c.HelloName == "" {
		c.HelloName = "localhost"
	}
	if c.Timeout <= 0 {
		c.Timeout = 30 * time.Second
	}
	c.TLS = c.tlsConfig(host)
	return c, nil
}

func (c Config) tlsConfig(host string) *tls.Config {
	t := &tls.Config{}
	if c.TLS != nil {
		t = c.TLS.Clone()
	}
	if t.ServerName == "" {
		t.ServerName = host
	}
	if t.MinVersion == 0 {
		t.MinVersion = tls.VersionTLS12
	}
	return t
}

func (e Envelope) validate() error {
	if _, err := mail.ParseAddress(e.From); err != nil {
		return &Error{Op: "envelope", Err: fmt.Errorf("sender %q is not a mail address", e.From)}
	}
	if len(e.To) == 0 {
		return &Error{Op: "envelope", Err: errors.New("no recipient")}
	}
	for _, to := range e.To {
		if _, err := mail.ParseAddress(to); err != nil {
			return &Error{Op: "envelope", Err: fmt.Errorf("recipient %q is not a mail address", to)}
		}
	}
	return nil
}

// Send delivers msg (a whole mail with CRLF line ends) to the envelope's
// recipients over a connection of its own. See Session.Send.
func Send(ctx context.Context, cfg Config, env Envelope, msg []byte) error {
	s, err := Dial(ctx, cfg)
	if err != nil {
		return err
	}
	if err := s.Send(ctx, env, msg); err != nil {
		s.Close()
		return err
	}
	return s.Close()
}
