package jobs

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"time"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/app"
	"github.com/vmtproject/vmt/smtp"
)

// Worker delivers the outbox and discloses reports at their date, in a loop
// until its context ends.
type Worker struct {
	Service *app.Service
	Mailer  *Mailer // nil: mail items wait (no relay configured)
	// Handlers deliver the outbox items of kinds that are not mail (a
	// webhook call, a git push), by kind. An item of a mail kind
	// (vmt.IsMailKind) is a vmt.NoticeMail sent through Mailer; an item of
	// any other kind without a handler waits, as a temporary failure, for
	// an instance that has one.
	Handlers map[string]Handler
	Log      *slog.Logger

	Poll  time.Duration // between rounds; default 10s
	Lease time.Duration // how long a claim holds an item; default 5m
	Batch int           // items per claim; default 50
	// Backoff is the wait after the first temporary failure, doubled on
	// each further one up to MaxBackoff. Defaults 30s and 1h.
	Backoff, MaxBackoff time.Duration
	// Grace is how long a stop lets the item in flight finish (a mail the
	// relay is taking) before it is cut; default 30s.
	Grace time.Duration
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
	if w.Grace == 0 {
		w.Grace = 30 * time.Second
	}
	if w.Log == nil {
		w.Log = slog.New(slog.DiscardHandler)
	}
}

// Run works until ctx ends, then returns nil, or ErrCut when the stop's
// bound (Grace) cut an item in flight. A failed round is logged and tried
// again at the next poll: the store or the relay may come back.
func (w *Worker) Run(ctx context.Context) error {
	w.defaults()
	t := time.NewTicker(w.Poll)
	defer t.Stop()
	var cut error
	for {
		if _, err := w.Disclose(ctx); err != nil && ctx.Err() == nil {
			w.Log.ErrorContext(ctx, "disclosure round", "err", err)
		}
		if err := w.Watch(ctx); err != nil && ctx.Err() == nil {
			w.Log.ErrorContext(ctx, "embargo and stage timer round", "err", err)
		}
		if w.Mailer != nil || len(w.Handlers) > 0 {
			_, err := w.Deliver(ctx)
			switch {
			case errors.Is(err, ErrCut):
				cut = err
			case err != nil && ctx.Err() == nil:
				w.Log.ErrorContext(ctx, "delivery round", "err", err)
			}
		}
		select {
		case <-ctx.Done():
			return cut
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
		d, err := w.Service.DiscloseDue(ctx)
		if err != nil || d == nil {
			return n, err
		}
		n++
		w.Log.InfoContext(ctx, "disclosed", "report", d.Report.ID, "at", d.Report.DisclosureAt)
	}
	return n, nil
}

// Deliver claims due items batch after batch and delivers them, the mails
// over one connection while it lasts, and returns how many were delivered.
//
// A stop (ctx ending) lets the item in flight finish, for up to Grace,
// and records it: a mail the relay took is marked done, so that a restart
// does not send it again. Every other claim of the batch is released at
// once, for the next worker (this one restarted, or another instance) to
// take in its next round rather than at the end of the lease. Deliver
// releases the rest of a batch, and returns, also when a slow relay has
// used half the lease and when the relay cannot be reached. It returns
// ErrCut when Grace cut the item in flight; any other error is the
// store's.
func (w *Worker) Deliver(ctx context.Context) (int, error) {
	w.defaults()
	d := &delivery{w: w, stop: ctx}
	defer d.close()
	sent := 0
	for ctx.Err() == nil {
		claimed := w.Service.Deps().Now()
		items, err := w.Service.ClaimDeliveries(ctx, w.Batch, w.Lease)
		if err != nil || len(items) == 0 {
			return sent, err
		}
		n, err := d.batch(items, claimed)
		sent += n
		if err != nil || d.down != nil || d.left {
			return sent, err
		}
	}
	return sent, nil
}

// ErrCut says that a stop's bound (Worker.Grace) cut an item in flight: it
// was released, and the next worker sends it again; the relay (or the
// receiver of a webhook) may already have had it.
var ErrCut = errors.New("the stop's bound cut an item in flight")

// delivery is one round's connection to the relay, opened when first
// needed and again after a failure, and what the round gave back.
type delivery struct {
	w    *Worker
	stop context.Context // the worker's: ending, it stops the round
	sess *smtp.Session
	used bool  // sess has delivered a mail
	down error // the relay could not be reached this round
	left bool  // the round left claims for the next
	cut  bool  // the stop's bound cut an item in flight
	// marking is the record of the item delivered last, running while
	// the next one is built (see markLater); nil when none runs.
	marking chan error
}

// markLater records o delivered in the background, so that the commit
// (most of a delivery's cost on a fast relay) overlaps the building,
// signing and encrypting of the next mail. awaitMark waits for it before
// anything more is sent: a crash can still leave at most the one mail the
// relay took last unrecorded, as when the record came first.
func (d *delivery) markLater(o *vmt.OutboxItem) {
	ch := make(chan error, 1)
	d.marking = ch
	keep := context.WithoutCancel(d.stop)
	go func() { ch <- d.w.Service.Delivered(keep, o) }()
}

// awaitMark waits for the record markLater started, and returns its
// error: the store's.
func (d *delivery) awaitMark() error {
	if d.marking == nil {
		return nil
	}
	err := <-d.marking
	d.marking = nil
	return err
}

// markError is a record of a delivery that failed: the store's error, not
// the item's.
type markError struct{ err error }

func (e *markError) Error() string { return "recording a delivery: " + e.err.Error() }
func (e *markError) Unwrap() error { return e.err }

func (d *delivery) close() {
	if d.sess != nil {
		_ = d.sess.Close()
		d.sess = nil
	}
}

// batch delivers the items of one claim, made at claimed, in order, and
// releases those it leaves (see Deliver). An error is the store's, or
// ErrCut.
func (d *delivery) batch(items []*vmt.OutboxItem, claimed time.Time) (sent int, err error) {
	var release []*vmt.OutboxItem
	marked := 0 // items whose record markLater started
	defer func() {
		// The last delivery's record, whatever ends the batch.
		if merr := d.awaitMark(); merr != nil {
			marked--
			if err == nil {
				err = merr
			}
		}
		sent = marked
		if len(release) > 0 {
			d.left = true
			d.w.release(d.stop, release)
		}
		if err == nil && d.cut {
			err = ErrCut
		}
	}()
	for i, o := range items {
		if d.stop.Err() != nil {
			release = append(release, items[i:]...)
			return sent, nil
		}
		if d.w.Service.Deps().Now().Sub(claimed) > d.w.Lease/2 {
			// A slow relay has used half the lease: another instance
			// may take these items once it ends, so this one hands
			// them on rather than race it to the relay.
			d.w.Log.WarnContext(d.stop, "lease half gone; releasing the rest of the batch", "left", len(items)-i)
			release = append(release, items[i:]...)
			return sent, nil
		}
		if d.down != nil && d.needsRelay(o) {
			o.LastError = d.down.Error()
			release = append(release, o)
			continue
		}
		ok, back, err := d.one(o)
		var merr *markError
		if errors.As(err, &merr) {
			// The previous item's record failed: it was not counted,
			// and o was not sent.
			marked--
			release = append(release, o)
		}
		if err != nil {
			// The store's error: the release may fail too, and then
			// the items wait for their lease.
			release = append(release, items[i+1:]...)
			return sent, err
		}
		if back {
			release = append(release, o)
		}
		if ok {
			d.markLater(o)
			marked++
		}
	}
	return sent, nil
}

// needsRelay says whether o goes out through the relay.
func (d *delivery) needsRelay(o *vmt.OutboxItem) bool {
	_, handled := d.w.Handlers[o.Kind]
	return !handled && vmt.IsMailKind(o.Kind) && d.w.Mailer != nil
}

// release gives claims back for the next round, due now, uncounted (the
// store's ReleaseOutbox). It runs whatever became of ctx; when it fails
// the items wait for their lease to end, as after a crash.
func (w *Worker) release(ctx context.Context, items []*vmt.OutboxItem) {
	now := w.Service.Deps().Now().UTC().Truncate(time.Microsecond)
	back := make([]*vmt.OutboxItem, len(items))
	for i, o := range items {
		c := *o
		c.NextAttempt = now
		back[i] = &c
	}
	var n int
	// The worker's side of the outbox has no service method for this:
	// a release is bookkeeping of the claim, not an outcome to audit.
	err := w.Service.Deps().Store.Update(context.WithoutCancel(ctx), func(tx vmt.Tx) (err error) {
		n, err = tx.ReleaseOutbox(back)
		return err
	})
	if err != nil {
		w.Log.ErrorContext(ctx, "releasing claims; they wait for their lease to end", "items", len(items), "err", err)
		return
	}
	w.Log.InfoContext(ctx, "claims released for the next round", "released", n)
}

// one delivers item o and records the outcome: ok when it was delivered,
// back when it is to be released rather than counted as an attempt (the
// relay could not be reached; a stop interrupted it). An error is the
// store's: the round stops.
func (d *delivery) one(o *vmt.OutboxItem) (ok, back bool, err error) {
	// The outcome is recorded whatever happens to the worker's context:
	// a mail the relay took must be marked done.
	keep := context.WithoutCancel(d.stop)
	ctx, done := d.w.inFlight(d.stop)
	err = d.deliver(ctx, o)
	cut := errors.Is(context.Cause(ctx), errGraceOver)
	done()
	if err == nil {
		return true, false, nil // recorded by the batch (markLater)
	}
	var merr *markError
	if errors.As(err, &merr) {
		return false, true, err
	}
	var down *relayDownError
	switch {
	case cut:
		d.cut = true
		d.w.Log.ErrorContext(keep, "stop: the bound passed with this item in flight; it was cut and is released, and may arrive twice",
			"key", o.Key, "grace", d.w.Grace, "err", err)
		return false, true, nil
	case errors.As(err, &down):
		if d.down == nil {
			d.w.Log.WarnContext(keep, "the relay is not taking mail; the round's mails are released for the next round", "err", err)
		}
		d.down = err
		o.LastError = err.Error()
		return false, true, nil
	case d.stop.Err() != nil && d.needsRelay(o) && smtp.IsTemporary(err) && !smtp.IsRefused(err):
		// The connection failed during a stop: not the message's
		// failure, and no time to reconnect.
		return false, true, nil
	}
	return false, false, d.failed(keep, o, err)
}

// deliver carries out o: its handler, or its mail through the relay.
func (d *delivery) deliver(ctx context.Context, o *vmt.OutboxItem) error {
	if h, handled := d.w.Handlers[o.Kind]; handled {
		if err := d.awaitMark(); err != nil {
			return &markError{err}
		}
		return h(ctx, o)
	}
	if !vmt.IsMailKind(o.Kind) {
		// Sent as a mail it would fail for want of a recipient and be
		// lost; another instance (or this one restarted with the
		// option) may deliver it.
		return &noHandlerError{kind: o.Kind}
	}
	if d.w.Mailer == nil {
		return errNoRelay
	}
	msg, env, buildErr := d.w.Mailer.Build(o, d.w.Service.Deps().Now().UTC())
	// Built while the last delivery was being recorded; nothing is sent
	// before that record is in.
	if err := d.awaitMark(); err != nil {
		return &markError{err}
	}
	if buildErr != nil {
		return buildErr
	}
	return d.mail(ctx, env, msg)
}

// failed records a failed attempt of o, to be retried after the backoff
// when err is temporary.
func (d *delivery) failed(ctx context.Context, o *vmt.OutboxItem, err error) error {
	_, handled := d.w.Handlers[o.Kind]
	// A handler's error is temporary unless it says otherwise (Handler's
	// contract), and so is a mail held back for want of a relay.
	var noHandler *noHandlerError
	temporary := handled || errors.As(err, &noHandler) || errors.Is(err, errNoRelay) || smtp.IsTemporary(err) ||
		errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
	var p PermanentError
	if errors.As(err, &p) {
		temporary = false
	}
	retry := d.w.Service.Deps().Now().Add(d.w.backoff(o.Attempts))
	d.w.Log.WarnContext(ctx, "delivery failed", "key", o.Key, "attempt", o.Attempts, "temporary", temporary, "err", err)
	return d.w.Service.DeliveryFailed(ctx, o, err, temporary, retry)
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
