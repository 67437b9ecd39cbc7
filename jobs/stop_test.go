package jobs_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/jobs"
	"github.com/vmtproject/vmt/smtp/smtptest"
	"github.com/vmtproject/vmt/sqldb/sqldbtest"
)

// The worker is stopped while the relay (slow: 100 ms a mail) is taking
// the fourth mail of a batch of ten, its lease five minutes. The send in
// flight finishes and is recorded, every other claim is released, and a
// new worker on the same database, its clock not moved (the lease far
// from over), sends the rest in its first round: every mail once,
// counted as one attempt.
func TestDeliveryStopHandsOn(t *testing.T) {
	for _, engine := range sqldbtest.Engines() {
		t.Run(engine, func(t *testing.T) {
			w := newWorld(t, engine)
			r, items := w.noticeTo(12)
			ctx, cancel := context.WithCancel(context.Background())
			var mails atomic.Int32
			w.srv.SetFault(func(stage smtptest.Stage, _ string) error {
				if stage == smtptest.AtData {
					if mails.Add(1) == 4 {
						cancel() // SIGTERM while the relay takes the fourth mail
					}
					time.Sleep(100 * time.Millisecond)
				}
				return nil
			})
			wk := w.worker(w.svc)
			wk.Batch, wk.Lease = 10, 5*time.Minute
			n, err := wk.Deliver(ctx)
			must(t, err)
			if n != 4 {
				t.Errorf("the stopped worker delivered %d, want 4: the one in flight finishes", n)
			}
			now, err := w.svc.Outbox(context.Background(), w.coord, r.ID)
			must(t, err)
			for _, o := range now {
				if o.State == vmt.OutboxPending && o.NextAttempt.After(w.clock.Now()) {
					t.Errorf("%s is still held after the stop, until %v", o.Key, o.NextAttempt)
				}
			}
			w.srv.SetFault(nil)

			again := w.worker(w.service(w.open()))
			again.Batch = 10
			for range 2 { // the 8 left of the batch, then the 2 never claimed
				_, err := again.Deliver(context.Background())
				must(t, err)
			}
			w.exactlyOnce(r, items)
			now, err = w.svc.Outbox(context.Background(), w.coord, r.ID)
			must(t, err)
			for _, o := range now {
				if o.Attempts != 1 {
					t.Errorf("%s: %d attempts, want 1: a released claim is not an attempt", o.Key, o.Attempts)
				}
			}
		})
	}
}

// A stop whose bound passes with a mail in flight (the relay holds the
// reply to the data): the send is cut, the item released uncounted, and
// Deliver says so with ErrCut. The next worker sends it again at once
// (a second copy, with the same Message-ID, as the relay had the first).
func TestDeliveryStopBoundCuts(t *testing.T) {
	w := newWorld(t, "sqlite")
	r, items := w.noticeTo(3)
	ctx, cancel := context.WithCancel(context.Background())
	w.srv.SetFault(func(stage smtptest.Stage, _ string) error {
		if stage == smtptest.AtDataEnd {
			cancel()
			time.Sleep(2 * time.Second)
		}
		return nil
	})
	wk := w.worker(w.svc)
	wk.Grace = 200 * time.Millisecond
	start := time.Now()
	n, err := wk.Deliver(ctx)
	if !errors.Is(err, jobs.ErrCut) || n != 0 {
		t.Fatalf("Deliver = %d, %v; want 0 and ErrCut", n, err)
	}
	if d := time.Since(start); d > 1500*time.Millisecond {
		t.Errorf("the stop took %v with a grace of 200ms", d)
	}
	now, err := w.svc.Outbox(context.Background(), w.coord, r.ID)
	must(t, err)
	for _, o := range now {
		if o.State != vmt.OutboxPending || o.Attempts != 0 || o.NextAttempt.After(w.clock.Now()) {
			t.Errorf("%s after the cut: %s, %d attempts, due %v; want released", o.Key, o.State, o.Attempts, o.NextAttempt)
		}
	}
	w.srv.SetFault(nil)
	_, err = w.worker(w.service(w.open())).Deliver(context.Background())
	must(t, err)
	first := w.mailer.MessageID(items[0].Key)
	if c := w.srv.Count([]byte("Message-Id: " + first)); c != 2 {
		t.Errorf("the cut mail arrived %d times, want 2 (the relay had the first)", c)
	}
	for _, o := range items[1:] {
		if c := w.srv.Count([]byte("Message-Id: " + w.mailer.MessageID(o.Key))); c != 1 {
			t.Errorf("%s arrived %d times", o.Key, c)
		}
	}
}
