package jobs

import (
	"context"
	"errors"

	"github.com/vmtproject/vmt/smtp"
)

// freshTries is how many new connections in a row may fail before the
// message was handed over (dial, greeting, MAIL FROM) before the relay is
// taken to be down for the round.
const freshTries = 2

// relayDownError says the relay could not be reached or would not take
// mail: no message is at fault, and none is counted an attempt.
type relayDownError struct{ err error }

func (e *relayDownError) Error() string { return "the relay is not taking mail: " + e.err.Error() }
func (e *relayDownError) Unwrap() error { return e.err }

// mail sends one mail over the round's connection, or a new one.
//
// A connection problem is not the message's failure: when a reused
// connection fails (a relay that takes one mail per connection answers
// 421 or hangs up at the next MAIL FROM), or a new one fails before the
// message was handed over, it reconnects and sends again, uncounted. Only
// the relay's refusal of the message (smtp.IsRefused), or a new
// connection failing once the relay took MAIL FROM (the message may be
// the cause), is the message's failure. When freshTries new connections
// fail before the message, or the relay refuses this client (a bad
// certificate or password), the error is a *relayDownError.
func (d *delivery) mail(ctx context.Context, env smtp.Envelope, msg []byte) error {
	var last error
	for fresh := 0; ; {
		if d.sess == nil {
			if fresh == freshTries {
				return &relayDownError{last}
			}
			fresh++
			s, err := smtp.Dial(ctx, d.w.Mailer.SMTP)
			if err != nil {
				if ctx.Err() != nil {
					return err
				}
				if last = err; !smtp.IsTemporary(err) {
					return &relayDownError{err}
				}
				continue
			}
			d.sess, d.used = s, false
		}
		err := d.sess.Send(ctx, env, msg)
		if err == nil {
			d.used = true
			return nil
		}
		if smtp.IsRefused(err) || !smtp.IsTemporary(err) {
			return err // the session goes on: Send reset the transaction
		}
		reused := d.used
		d.close()
		var e *smtp.Error
		if ctx.Err() != nil || d.stop.Err() != nil || !reused && !(errors.As(err, &e) && e.Op == "mail from") {
			return err
		}
		last = err
		d.w.Log.InfoContext(ctx, "the relay's connection failed; reconnecting", "err", err)
	}
}
