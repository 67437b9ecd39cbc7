package jobs

import (
	"context"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/app"
)

// Push returns the Handler of vmt.KindPush items: svc pushes the approved
// fixes the item names (Service.PushFixes). What no retry cures (a series
// that no longer applies, a branch gone upstream, a payload that names no
// public report's fixes) fails the item at once, audited for the
// coordinator; a remote that cannot be reached is retried.
func Push(svc *app.Service) Handler {
	return func(ctx context.Context, o *vmt.OutboxItem) error {
		_, err := svc.PushFixes(ctx, o)
		return permanentIfRefused(err)
	}
}

// permanentIfRefused marks as permanent a service's refusal that no retry
// cures (EINVALID, ENOTFOUND); any other error stays temporary.
func permanentIfRefused(err error) error {
	switch vmt.ErrorCode(err) {
	case vmt.EINVALID, vmt.ENOTFOUND:
		return Permanent(err)
	}
	return err
}
