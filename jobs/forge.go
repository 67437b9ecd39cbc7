package jobs

import (
	"context"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/app"
)

// Forge returns the Handler of vmt.KindForge items: svc makes the change
// on the project's GitHub repository (Service.DeliverForge), looking
// first, so that a retry changes nothing more. What no retry cures (a
// report not public, a forge no longer enabled, GitHub refusing the
// request) fails the item at once; GitHub out of reach is retried.
func Forge(svc *app.Service) Handler {
	return func(ctx context.Context, o *vmt.OutboxItem) error {
		return permanentIfRefused(svc.DeliverForge(ctx, o))
	}
}
