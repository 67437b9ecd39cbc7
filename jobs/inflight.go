package jobs

import (
	"context"
	"errors"
	"sync"
	"time"
)

// errGraceOver is the cause of an in-flight context cut by the stop's bound.
var errGraceOver = errors.New("the stop's grace for the item in flight is over")

// inFlight returns the context of the item in flight and its release. It
// outlives stop by Grace: a stop lets a send the relay may be taking
// finish, and be recorded, rather than cut it after the relay took the
// mail (which sent it twice); past Grace it is cut, with errGraceOver.
func (w *Worker) inFlight(stop context.Context) (context.Context, func()) {
	ctx, cancel := context.WithCancelCause(context.WithoutCancel(stop))
	var (
		mu    sync.Mutex
		timer *time.Timer
		over  bool
	)
	unhook := context.AfterFunc(stop, func() {
		mu.Lock()
		defer mu.Unlock()
		if !over {
			timer = time.AfterFunc(w.Grace, func() { cancel(errGraceOver) })
		}
	})
	return ctx, func() {
		unhook()
		mu.Lock()
		over = true
		if timer != nil {
			timer.Stop()
		}
		mu.Unlock()
		cancel(nil)
	}
}
