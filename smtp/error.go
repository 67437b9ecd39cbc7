package smtp

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/textproto"
	"os"
	"syscall"
	"time"

	gosmtp "github.com/emersion/go-smtp"
)

// Error is a failed step of a delivery. Temporary says whether trying
// again later may succeed: a 4xx answer, a refused, reset or dropped
// connection, a timeout. Everything else is permanent: a 5xx answer, a
// certificate that does not verify, a server without STARTTLS, a
// configuration the client refuses; retrying those only repeats them.
type Error struct {
	Op        string // the step: "dial", "starttls", "auth", "mail from", "rcpt to <a@b>", "data"...
	Code      int    // the SMTP reply code, 0 when the server did not answer
	Temporary bool
	// Refused says the relay answered the message itself with a refusal:
	// a reply to MAIL FROM, RCPT TO or DATA other than 421, with which a
	// relay closes the channel whatever it was sent. A failed Send that
	// is not Refused failed on the connection (dropped, timed out, closed
	// by the relay, or cut by the caller) or on the envelope given.
	Refused bool
	Err     error
}

func (e *Error) Error() string {
	kind := "permanent"
	if e.Temporary {
		kind = "temporary"
	}
	return fmt.Sprintf("smtp %s: %v (%s)", e.Op, e.Err, kind)
}

func (e *Error) Unwrap() error { return e.Err }

// IsTemporary reports whether err is an Error that may go away on retry.
func IsTemporary(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Temporary
}

// IsRefused reports whether err is an Error by which the relay refused the
// message (Error.Refused). A temporary error that is not is a failure of
// the connection: the message had no part in it, and a new connection may
// take it at once.
func IsRefused(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Refused
}

// classify turns what a step returned into an Error.
func classify(ctx context.Context, op string, err error) *Error {
	e := &Error{Op: op, Err: err}
	var reply *gosmtp.SMTPError
	var proto *textproto.Error
	switch {
	case errors.As(err, &reply):
		e.Code = reply.Code
		e.Temporary = reply.Code >= 400 && reply.Code < 500
	case errors.As(err, &proto):
		e.Code = proto.Code
		e.Temporary = proto.Code >= 400 && proto.Code < 500
	case ctxDone(ctx) != nil:
		// Interrupted by the caller: not delivered (or not known to be).
		e.Err = fmt.Errorf("%w: %v", ctxDone(ctx), err)
		e.Temporary = true
	case untrusted(err):
		e.Temporary = false
	default:
		e.Temporary = transient(err)
	}
	return e
}

// untrusted is a TLS peer that did not prove who it is: a configuration
// problem or an attack, and no reason to send the notice elsewhere.
func untrusted(err error) bool {
	var (
		cv  *tls.CertificateVerificationError
		ua  x509.UnknownAuthorityError
		hn  x509.HostnameError
		inv x509.CertificateInvalidError
		rh  tls.RecordHeaderError
	)
	return errors.As(err, &cv) || errors.As(err, &ua) || errors.As(err, &hn) || errors.As(err, &inv) || errors.As(err, &rh)
}

// transient is a failure of the network rather than of the request.
func transient(err error) bool {
	var ne net.Error
	var op *net.OpError
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) ||
		errors.Is(err, syscall.EPIPE) || errors.Is(err, net.ErrClosed) ||
		errors.Is(err, os.ErrDeadlineExceeded) ||
		errors.As(err, &op) || errors.As(err, &ne) && ne.Timeout()
}

// ctxDone is ctx.Err, also when the connection's deadline, set to ctx's,
// fired a moment before ctx's own timer.
func ctxDone(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if d, ok := ctx.Deadline(); ok && !time.Now().Before(d) {
		return context.DeadlineExceeded
	}
	return nil
}
