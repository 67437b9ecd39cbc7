package jobs_test

import (
	"context"
	"crypto/tls"
	"testing"
	"time"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/smtp/smtptest"
	"github.com/vmtproject/vmt/sqldb/sqldbtest"
)

// useRelay points the world's mailer at a new relay with STARTTLS, AUTH
// and opts.
func (w *world) useRelay(opts smtptest.Options) {
	opts.TLS, opts.Username, opts.Password = true, "vmt", "pw"
	w.srv = smtptest.Start(w.t, opts)
	w.mailer.SMTP.Addr = w.srv.Addr
	w.mailer.SMTP.TLS = &tls.Config{RootCAs: w.srv.RootCAs()}
}

// A relay that takes one mail per connection (421 at the next MAIL FROM),
// one that cuts the connection at MAIL FROM, and one that does both: 20
// notices go out in one round, each once, and no item's attempt count is
// raised by a connection problem (none is waiting out a backoff: the
// test's clock does not move).
func TestDeliveryThroughConnectionProblems(t *testing.T) {
	for _, engine := range sqldbtest.Engines() {
		for _, tt := range []struct {
			name string
			opts smtptest.Options
		}{
			{"one mail per connection", smtptest.Options{OneMailPerConn: true}},
			{"cut at MAIL FROM", smtptest.Options{CutAtMail: 3}},
			{"both", smtptest.Options{OneMailPerConn: true, CutAtMail: 4}},
		} {
			t.Run(engine+"/"+tt.name, func(t *testing.T) {
				w := newWorld(t, engine)
				w.useRelay(tt.opts)
				r, items := w.noticeTo(20)
				wk := w.worker(w.svc)
				wk.Batch = 50
				start := time.Now()
				n, err := wk.Deliver(context.Background())
				must(t, err)
				if n != len(items) {
					t.Errorf("one round delivered %d of %d", n, len(items))
				}
				if d := time.Since(start); d > 30*time.Second {
					t.Errorf("20 notices took %v", d)
				}
				w.exactlyOnce(r, items)
				now, err := w.svc.Outbox(context.Background(), w.coord, r.ID)
				must(t, err)
				for _, o := range now {
					if o.Attempts != 1 {
						t.Errorf("%s: %d attempts (%s), want 1: a connection problem counted against the message", o.Key, o.Attempts, o.LastError)
					}
				}
				if tt.opts.OneMailPerConn && w.srv.Connections() < len(items) {
					t.Errorf("%d connections for %d mails, one mail per connection", w.srv.Connections(), len(items))
				}
			})
		}
	}
}

// A relay that is down: the round's mails are released, uncounted, with
// the cause as their last error, and the round ends; once the relay is
// back the next round sends them.
func TestDeliveryRelayDownCountsNothing(t *testing.T) {
	w := newWorld(t, "sqlite")
	r, items := w.noticeTo(5)
	addr := w.mailer.SMTP.Addr
	w.mailer.SMTP.Addr = "127.0.0.1:1" // nothing listens there
	wk := w.worker(w.svc)
	wk.Batch = 10
	n, err := wk.Deliver(context.Background())
	must(t, err)
	if n != 0 {
		t.Fatalf("delivered %d with the relay down", n)
	}
	now, err := w.svc.Outbox(context.Background(), w.coord, r.ID)
	must(t, err)
	for _, o := range now {
		if o.State != vmt.OutboxPending || o.Attempts != 0 || o.LastError == "" || o.NextAttempt.After(w.clock.Now()) {
			t.Errorf("%s with the relay down: %s, %d attempts, due %v, error %q; want pending, uncounted, due now, with the cause",
				o.Key, o.State, o.Attempts, o.NextAttempt, o.LastError)
		}
	}
	w.mailer.SMTP.Addr = addr
	_, err = wk.Deliver(context.Background())
	must(t, err)
	w.exactlyOnce(r, items)
}
