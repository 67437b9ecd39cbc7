package main

import (
	"context"

	"github.com/vmtproject/vmt"
	vmthttp "github.com/vmtproject/vmt/http"
)

func init() {
	advisoryGroup.add(advisoryMove("embargo", "make a draft advisory final: numbered, waiting for the disclosure",
		func(ctx context.Context, c *vmthttp.Client, id int64) (*vmt.Advisory, error) {
			return c.EmbargoAdvisory(ctx, id)
		}))
}
