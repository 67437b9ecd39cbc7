package jobs

import (
	"context"
	"errors"
)

// Watch runs the rounds that watch time pass on reports: private reports
// embargoed past their project's limit are raised for going public (the
// architecture committee subscribed), and reports stalled in a status
// remind their coordinator, then escalate. The mails they write go through
// the outbox, delivered by the next Deliver. Both rounds run even when one
// fails.
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
	return errors.Join(err1, err2)
}
