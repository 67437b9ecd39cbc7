package jobs

import (
	"context"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/app"
)

// CVEPublish returns the Handler of vmt.KindCVEPublish items: svc publishes
// the CVE record through CVE Services (Service.DeliverCVEPublication). A
// refusal no retry cures (the request's fault at the service, an advisory
// no longer published, a project no longer a CNA) fails the item at once,
// audited for the coordinator; a service that cannot be reached is
// retried.
func CVEPublish(svc *app.Service) Handler {
	return func(ctx context.Context, o *vmt.OutboxItem) error {
		return permanentIfRefused(svc.DeliverCVEPublication(ctx, o))
	}
}
