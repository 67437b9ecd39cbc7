package main

import (
	"context"

	vmthttp "github.com/vmtproject/vmt/http"
)

func init() {
	reportGroup.add(&command{name: "raise", summary: "raise an embargoed report for going public, for a reason (the architecture committee is subscribed)", run: func(ctx context.Context, e *env, args []string) error {
		return reportForReason(ctx, e, args, "raise", "why the embargo should be reconsidered, e.g. the fix needs a complex patch (required)", (*vmthttp.Client).RaiseEmbargo)
	}})
}
