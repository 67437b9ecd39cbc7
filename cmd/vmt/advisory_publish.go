package main

import (
	"context"

	"github.com/vmtproject/vmt"
	vmthttp "github.com/vmtproject/vmt/http"
)

func init() {
	advisoryGroup.add(advisoryMove("publish", "publish a final (embargoed) advisory of a public report, and announce it",
		func(ctx context.Context, c *vmthttp.Client, id int64) (*vmt.Advisory, error) {
			return c.PublishAdvisory(ctx, id)
		}))
}
