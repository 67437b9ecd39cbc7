package jobs_test

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	gosmtp "github.com/emersion/go-smtp"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/smtp/smtptest"
	"github.com/vmtproject/vmt/sqldb/sqldbtest"
)

// noticeTo registers n stakeholders without keys (signed mail only, which
// keeps the test fast), sends the notice of a fresh report and returns the
// report and its outbox items.
func (w *world) noticeTo(n int) (*vmt.Report, []*vmt.OutboxItem) {
	ctx := context.Background()
	for i := range n {
		w.stakeholder(fmt.Sprintf("Org%02d", i), false)
	}
	r := w.readyReport("Overflow")
	_, err := w.svc.SendNotice(ctx, w.coord, r.ID)
	must(w.t, err)
	items, err := w.svc.Outbox(ctx, w.coord, r.ID)
	must(w.t, err)
	if len(items) != n {
		w.t.Fatalf("%d items enqueued, want %d", len(items), n)
	}
	return r, items
}

// exactlyOnce checks that every item is done and its mail arrived once.
func (w *world) exactlyOnce(r *vmt.Report, items []*vmt.OutboxItem) {
	w.t.Helper()
	for _, o := range items {
		if c := w.srv.Count([]byte("Message-Id: " + w.mailer.MessageID(o.Key))); c != 1 {
			w.t.Errorf("%s arrived %d times", o.Key, c)
		}
	}
	now, err := w.svc.Outbox(context.Background(), w.coord, r.ID)
	must(w.t, err)
	for _, o := range now {
		if o.State != vmt.OutboxDone {
			w.t.Errorf("%s is %s (%s)", o.Key, o.State, o.LastError)
		}
	}
	if got := len(w.srv.Messages()); got != len(items) {
		w.t.Errorf("the server holds %d messages, want %d", got, len(items))
	}
}

// The relay refuses (451) and then drops connections for a while, then
// comes back: every notice arrives exactly once, after retries spaced by
// the backoff; a permanent refusal (550) fails its item at once, audited.
func TestDeliveryThroughFaults(t *testing.T) {
	for _, engine := range sqldbtest.Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			w := newWorld(t, engine)
			r, items := w.noticeTo(12)
			var calls atomic.Int32
			w.srv.SetFault(func(stage smtptest.Stage, arg string) error {
				switch {
				case stage == smtptest.AtRcpt && strings.Contains(arg, "org05@"):
					return &gosmtp.SMTPError{Code: 550, EnhancedCode: gosmtp.EnhancedCode{5, 1, 1}, Message: "no such user"}
				case stage == smtptest.AtRcpt && calls.Add(1) <= 6:
					return &gosmtp.SMTPError{Code: 451, EnhancedCode: gosmtp.EnhancedCode{4, 3, 0}, Message: "try later"}
				case stage == smtptest.AtData && calls.Add(1) <= 10:
					return smtptest.ErrDrop
				}
				return nil
			})
			wk := w.worker(w.svc)
			rounds := 0
			for ; rounds < 40 && pending(t, w, r) > 0; rounds++ {
				_, err := wk.Deliver(ctx)
				must(t, err)
				w.clock.Add(10 * time.Second)
			}
			if rounds < 2 {
				t.Errorf("all delivered in %d round(s): the faults did not bite", rounds)
			}
			var good []*vmt.OutboxItem
			for _, o := range items {
				if !strings.HasSuffix(o.Key, ":stakeholder:6") { // Org05, the 6th registered
					good = append(good, o)
				}
			}
			for _, o := range good {
				if c := w.srv.Count([]byte("Message-Id: " + w.mailer.MessageID(o.Key))); c != 1 {
					t.Errorf("%s arrived %d times", o.Key, c)
				}
			}
			if got := len(w.srv.Messages()); got != len(good) {
				t.Errorf("the server holds %d messages, want %d", got, len(good))
			}
			now, err := w.svc.Outbox(ctx, w.coord, r.ID)
			must(t, err)
			retried := false
			for _, o := range now {
				switch {
				case strings.HasSuffix(o.Key, ":stakeholder:6"):
					if o.State != vmt.OutboxFailed || o.Attempts != 1 || !strings.Contains(o.LastError, "550") {
						t.Errorf("the refused item: %+v, want failed after one attempt with the 550", o)
					}
				case o.State != vmt.OutboxDone:
					t.Errorf("%s is %s (%s)", o.Key, o.State, o.LastError)
				case o.Attempts > 1:
					retried = true
				}
			}
			if !retried {
				t.Error("no item needed a retry")
			}
			if !auditHas(t, w, "outbox.failed", "stakeholder:6") {
				t.Error("the permanent failure is not in the audit log")
			}
		})
	}
}

// The worker is stopped in the middle of a batch (its context cancelled
// while a mail is on the wire) and a new one starts on the same database,
// as after a restart: none lost, none doubled.
func TestDeliveryStoppedAndRestarted(t *testing.T) {
	for _, engine := range sqldbtest.Engines() {
		t.Run(engine, func(t *testing.T) {
			w := newWorld(t, engine)
			r, items := w.noticeTo(10)
			ctx, cancel := context.WithCancel(context.Background())
			var mails atomic.Int32
			w.srv.SetFault(func(stage smtptest.Stage, _ string) error {
				if stage == smtptest.AtMail && mails.Add(1) == 4 {
					cancel() // SIGTERM arrives while the fourth mail is being sent
				}
				return nil
			})
			n, err := w.worker(w.svc).Deliver(ctx)
			must(t, err)
			if n < 3 || n > 4 {
				t.Errorf("the stopped worker delivered %d, want 3 or 4", n)
			}
			if got := len(w.srv.Messages()); got >= len(items) {
				t.Fatalf("all %d delivered before the stop", got)
			}
			w.srv.SetFault(nil)

			// The restart: a new handle on the database, after the lease.
			w.clock.Add(2 * time.Minute)
			again := w.service(w.open())
			for range 5 {
				_, err := w.worker(again).Deliver(context.Background())
				must(t, err)
				w.clock.Add(2 * time.Minute)
			}
			w.exactlyOnce(r, items)
		})
	}
}

func pending(t *testing.T, w *world, r *vmt.Report) int {
	items, err := w.svc.Outbox(context.Background(), w.coord, r.ID)
	must(t, err)
	n := 0
	for _, o := range items {
		if o.State == vmt.OutboxPending {
			n++
		}
	}
	return n
}

// auditHas reports whether an event with action mentions s.
func auditHas(t *testing.T, w *world, action, s string) bool {
	for e, err := range w.store.AuditLog(context.Background()) {
		must(t, err)
		if e.Action == action && (strings.Contains(e.Subject, s) || strings.Contains(string(e.After), s)) {
			return true
		}
	}
	return false
}

// A relay so slow that half the lease goes by: the worker leaves the rest
// of its batch rather than race another instance for it once the lease
// ends; later rounds deliver them, each once.
func TestDeliverySlowRelayKeepsToLease(t *testing.T) {
	w := newWorld(t, "sqlite")
	r, items := w.noticeTo(6)
	w.srv.SetFault(func(stage smtptest.Stage, _ string) error {
		if stage == smtptest.AtMail {
			w.clock.Add(31 * time.Second) // each mail takes more than half the one-minute lease
		}
		return nil
	})
	wk := w.worker(w.svc)
	n, err := wk.Deliver(context.Background())
	must(t, err)
	if n != 1 {
		t.Errorf("first round delivered %d, want 1 (then half the lease was gone)", n)
	}
	for range 10 {
		w.clock.Add(time.Minute)
		_, err := wk.Deliver(context.Background())
		must(t, err)
	}
	w.exactlyOnce(r, items)
}
