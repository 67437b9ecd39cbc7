package smtp

import (
	"bytes"
	"net"
	"sync/atomic"
	"time"
)

// conn is the connection to the relay as go-smtp's client uses it. The
// client sets a deadline around each command and each reply, but none
// while it writes the message after DATA, and its first exchanges (the
// greeting, and the upgrade of NewClientStartTLS) run before its timeouts
// can be set: conn bounds every write by the timeout and every deadline
// the client sets to the timeout from now. It also notes what the client
// wrote, so that a failure can be told to be the greeting's (nothing
// written yet) and a missing STARTTLS (never said).
type conn struct {
	net.Conn
	timeout  time.Duration
	written  atomic.Int64
	startTLS atomic.Bool
	// greetedAt is what was written before the greeting was read: the
	// TLS handshake of ImplicitTLS.
	greetedAt int64
}

func (c *conn) Write(b []byte) (int, error) {
	if err := c.Conn.SetWriteDeadline(time.Now().Add(c.timeout)); err != nil {
		return 0, err
	}
	if bytes.HasPrefix(b, []byte("STARTTLS\r\n")) {
		c.startTLS.Store(true)
	}
	n, err := c.Conn.Write(b)
	c.written.Add(int64(n))
	return n, err
}

// SetDeadline keeps the client's deadline unless it is further than the
// timeout; the zero time (no deadline, between commands) is kept.
func (c *conn) SetDeadline(t time.Time) error {
	if limit := time.Now().Add(c.timeout); !t.IsZero() && t.After(limit) {
		t = limit
	}
	return c.Conn.SetDeadline(t)
}
