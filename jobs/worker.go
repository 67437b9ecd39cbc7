package jobs

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"time"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/smtp"
)

// Worker delivers the outbox and discloses reports at their date, in a loop
// until its context ends.
type Worker struct {
	Service *vmt.Service
	Mailer  *Mailer // nil: mail items wait (no relay configured)
	// Handlers deliver the outbox items of kinds that are not mail (a
	// webhook call, a git push), by kind. An item of a mail kind
	// (vmt.IsMailKind) is a vmt.NoticeMail sent through Mailer; an item of
	// any other kind without a handler waits, as a temporary failure, for
	// an instance that has one.
	Handlers map[string]Handler
	Prepare  vmt.PublicationPreparer
	Log      *slog.Logger

	Poll  time.Duration // between rounds; default 10s
	Lease time.Duration // how long a claim holds an item; default 5m
	Batch int           // items per claim; default 50
	// Backoff is the wait after the first temporary failure, doubled on
	// each further one up to MaxBackoff. Defaults 30s and 1h.
	Backoff, MaxBackoff time.Duration
}

func (w *Worker) defaults() {
	if w.Poll == 0 {
		w.Poll = 10 * time.Second
	}
	if w.Lease == 0 {
		w.Lease = 5 * time.Minute
	}
	if w.Batch == 0 {
		w.Batch = 50
	}
	if w.Backoff == 0 {
		w.Backoff = 30 * time.Second
	}
	if w.MaxBackoff == 0 {
		w.MaxBackoff = time.Hour
	}
	if w.Log == nil {
		w.Log = slog.New(slog.DiscardHandler)
	}
}

// Run works until ctx ends, then returns nil. A failed round is logged and
// tried again at the next poll: the store or the relay may come back.
func (w *Worker) Run(ctx context.Context) error {
	w.defaults()
	t := time.NewTicker(w.Poll)
	defer t.Stop()
	for {
		if _, err := w.Disclose(ctx); err != nil && ctx.Err() == nil {
			w.Log.ErrorContext(ctx, "disclosure round", "err", err)
		}
		if err := w.Watch(ctx); err != nil && ctx.Err() == nil {
			w.Log.ErrorContext(ctx, "embargo and stage timer round", "err", err)
		}
		if w.Mailer != nil || len(w.Handlers) > 0 {
			if _, err := w.Deliver(ctx); err != nil && ctx.Err() == nil {
				w.Log.ErrorContext(ctx, "delivery round", "err", err)
			}
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// Disclose discloses every report whose date has come and returns how many
// it disclosed.
func (w *Worker) Disclose(ctx context.Context) (int, error) {
	w.defaults()
	n := 0
	for ctx.Err() == nil {
		d, err := w.Service.DiscloseDue(ctx, w.Prepare)
		if err != nil || d == nil {
			return n, err
		}
		n++
		w.Log.InfoContext(ctx, "disclosed", "report", d.Report.ID, "at", d.Report.DisclosureAt)
	}
	return n, nil
}

// Deliver claims due items batch after batch and sends them, over one
// connection while it lasts. It returns how many were delivered. It stops
// between two items when ctx ends; an item sent is always recorded, even
// then, so that a restart does not send it again.
func (w *Worker) Deliver(ctx context.Context) (int, error) {
	w.defaults()
	d := &delivery{w: w}
	defer d.close()
	sent := 0
	for ctx.Err() == nil {
		claimed := w.Service.Now()
		items, err := w.Service.ClaimDeliveries(ctx, w.Batch, w.Lease)
		if err != nil || len(items) == 0 {
			return sent, err
		}
		for i, o := range items {
			if ctx.Err() != nil {
				// Unsent claims wait for their lease to end; the next
				// worker takes them then.
				return sent, nil
			}
			if w.Service.Now().Sub(claimed) > w.Lease/2 {
				// A slow relay has used half the lease: another
				// instance may take these items once it ends, so this
				// one leaves them rather than race it to the relay.
				w.Log.WarnContext(ctx, "lease half gone; leaving the rest of the batch", "left", len(items)-i)
				return sent, nil
			}
			ok, err := d.one(ctx, o)
			if err != nil {
				return sent, err
			}
			if ok {
				sent++
			}
		}
	}
	return sent, nil
}

// delivery is one round's connection to the relay, opened when first
// needed and again after a failure.
type delivery struct {
	w    *Worker
	sess *smtp.Session
}

func (d *delivery) close() {
	if d.sess != nil {
		_ = d.sess.Close()
		d.sess = nil
	}
}

// one sends item o and records the outcome; ok when it was delivered. An
// error is the store's: the round stops.
func (d *delivery) one(ctx context.Context, o *vmt.OutboxItem) (ok bool, err error) {
	svc := d.w.Service
	// The outcome is recorded whatever happens to ctx: a mail the relay
	// took must be marked done.
	keep := context.WithoutCancel(ctx)
	h, handled := d.w.Handlers[o.Kind]
	if handled {
		err = h(ctx, o)
	} else if !vmt.IsMailKind(o.Kind) {
		// Sent as a mail it would fail for want of a recipient and be
		// lost; another instance (or this one restarted with the
		// option) may deliver it.
		err = &noHandlerError{kind: o.Kind}
	} else if d.w.Mailer == nil {
		err = errNoRelay
	} else {
		var msg []byte
		var env smtp.Envelope
		msg, env, err = d.w.Mailer.Build(o, svc.Now().UTC())
		if err == nil {
			err = d.send(ctx, env, msg)
		}
	}
	if err == nil {
		if err := svc.Delivered(keep, o); err != nil {
			return false, err
		}
		return true, nil
	}
	// A handler's error is temporary unless it says otherwise (Handler's
	// contract), and so is a mail held back for want of a relay.
	var noHandler *noHandlerError
	temporary := handled || errors.As(err, &noHandler) || errors.Is(err, errNoRelay) || smtp.IsTemporary(err) ||
		errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
	var p PermanentError
	if errors.As(err, &p) {
		temporary = false
	}
	retry := svc.Now().Add(d.w.backoff(o.Attempts))
	d.w.Log.WarnContext(ctx, "delivery failed", "key", o.Key, "attempt", o.Attempts, "temporary", temporary, "err", err)
	if err := svc.DeliveryFailed(keep, o, err, temporary, retry); err != nil {
		return false, err
	}
	return false, nil
}

func (d *delivery) send(ctx context.Context, env smtp.Envelope, msg []byte) error {
	if d.sess == nil {
		s, err := smtp.Dial(ctx, d.w.Mailer.SMTP)
		if err != nil {
			return err
		}
		d.sess = s
	}
	err := d.sess.Send(ctx, env, msg)
	if err != nil {
		// The connection may be gone or in an unknown state: the next
		// item gets a new one.
		d.close()
	}
	return err
}

// Handler delivers one outbox item. An error is temporary (the item is
// tried again after a backoff) unless it is a PermanentError.
type Handler func(ctx context.Context, o *vmt.OutboxItem) error

// errNoRelay holds a mail item back, as a temporary failure, in a worker
// that has handlers but no relay: a relay configured later sends it.
var errNoRelay = errors.New("no mail relay is configured")

// noHandlerError holds back an item of a kind that is not mail in a worker
// that has no handler for it, as a temporary failure.
type noHandlerError struct{ kind string }

func (e *noHandlerError) Error() string {
	msg := "no handler for outbox kind " + e.kind + " on this instance"
	if hint, ok := handlerHints[e.kind]; ok {
		msg += ": " + hint
	}
	return msg
}

// handlerHints say how an instance gets the handler of a kind.
var handlerHints = map[string]string{
	vmt.KindPush: "start vmt serve with --push-remote",
}

// Kinds returns the outbox kinds this worker can deliver, sorted: those of
// its handlers, and the mail kinds when it has a relay.
func (w *Worker) Kinds() []string {
	var out []string
	for k := range w.Handlers {
		out = append(out, k)
	}
	if w.Mailer != nil {
		for _, k := range vmt.MailKinds() {
			if !slices.Contains(out, k) {
				out = append(out, k)
			}
		}
	}
	slices.Sort(out)
	return out
}

// backoff is the wait after the attempts-th failure.
func (w *Worker) backoff(attempts int) time.Duration {
	b := w.Backoff
	for i := 1; i < attempts && b < w.MaxBackoff; i++ {
		b *= 2
	}
	return min(b, w.MaxBackoff)
}
