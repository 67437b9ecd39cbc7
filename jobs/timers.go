package jobs

import (
	"context"
	"errors"
)

// Watch runs the rounds that watch time pass on reports: private reports
// embargoed past their project's limit are raised for going public (the
// architecture committee subscribed), and reports stalled in a status
// remind their coordinator, then escalate. The mails they write go through
// the outbox, delivered by the next Deliver; so do the daily digests of
// notifications (DigestRound). Every round runs even when one fails.
func (w *Worker) Watch(ctx context.Context) error {
	w.defaults()
	raised, err1 := w.Service.RaiseOverdueEmbargoes(ctx)
	for _, id := range raised {
		w.Log.InfoContext(ctx, "embargo raised for going public", "report", id)
	}
	n, err2 := w.Service.StageTimerRound(ctx)
	if n > 0 {
		w.Log.InfoContext(ctx, "stage timer mails enqueued", "count", n)
	}
	d, err3 := w.Service.DigestRound(ctx)
	if d > 0 {
		w.Log.InfoContext(ctx, "daily digests enqueued", "count", d)
	}
	return errors.Join(err1, err2, err3)
}
