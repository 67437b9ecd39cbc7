package main

import (
	"context"

	"github.com/vmtproject/vmt"
	vmthttp "github.com/vmtproject/vmt/http"
)

func init() {
	advisoryGroup.add(advisoryMove("show", "show an advisory document by its record id (on the server)",
		func(ctx context.Context, c *vmthttp.Client, id int64) (*vmt.Advisory, error) {
			return c.Advisory(ctx, id)
		}))
}
