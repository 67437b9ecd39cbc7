package main

import (
	"context"

	"github.com/vmtproject/vmt"
	vmthttp "github.com/vmtproject/vmt/http"
)

func init() {
	reportGroup.add(&command{name: "publicize", summary: "end a report's embargo now, for a reason", run: func(ctx context.Context, e *env, args []string) error {
		return reportForReason(ctx, e, args, "publicize", "why the embargo ends, e.g. the report leaked (required)", (*vmthttp.Client).MakePublic)
	}})
}

// reportForReason runs "vmt report NAME ID --reason R": call with the
// reason, which is required, answered with the report.
func reportForReason(ctx context.Context, e *env, args []string, name, help string, call func(*vmthttp.Client, context.Context, int64, string) (*vmt.ReportView, error)) error {
	const use = "ID --reason R"
	var af apiFlags
	fs := reportFlags(e, name, use, &af)
	reason := fs.String("reason", "", help)
	id, _, err := reportArgs(fs, args, 1, name, use)
	if err != nil {
		return err
	}
	if *reason == "" {
		return usagef("--reason is required")
	}
	c, err := af.client(e)
	if err != nil {
		return err
	}
	v, err := call(c, ctx, id, *reason)
	if err != nil {
		return err
	}
	return reportOut(e, &af, v)
}
