package main

import (
	"context"
	"flag"
	"fmt"
	"strings"

	"github.com/vmtproject/vmt"
	vmthttp "github.com/vmtproject/vmt/http"
)

// The advisory commands that work against a server share these helpers:
// the documents are named by their record id (the number `vmt advisory
// list REPORT` prints), since drafts have no PREFIX-YYYY-NNN yet.

// advisoryFlags is the flag set of "vmt advisory NAME", with the API flags.
func advisoryFlags(e *env, name, use string, af *apiFlags) *flag.FlagSet {
	fs := newFlags(e, "advisory "+name, use)
	af.register(fs)
	return fs
}

// advisoryArgs parses exactly n positional arguments, the first a record
// id, and returns it, the arguments and a client.
func advisoryArgs(e *env, fs *flag.FlagSet, af *apiFlags, args []string, n int, name, use string) (int64, []string, *vmthttp.Client, error) {
	pos, err := parse(fs, args)
	if err != nil {
		return 0, nil, nil, err
	}
	if err := wantArgs(pos, n, "advisory "+name+" "+use); err != nil {
		return 0, nil, nil, err
	}
	id, err := parseID("advisory record", pos[0])
	if err != nil {
		return 0, nil, nil, err
	}
	c, err := af.client(e)
	if err != nil {
		return 0, nil, nil, err
	}
	return id, pos, c, nil
}

// advisoryOut prints a document: its JSON with --json, its facts if not.
func advisoryOut(e *env, af *apiFlags, d *vmt.Advisory) error {
	if af.json {
		return emitJSON(e.stdout, d)
	}
	rev := "-"
	if n := len(d.Revisions); n > 0 {
		rev = fmt.Sprintf("%d (%s)", d.Revisions[n-1].Number, d.Revisions[n-1].Summary)
	}
	return fields(e.stdout, "record", fmt.Sprint(d.RecordID), "id", firstOf(d.ID.String(), "(not numbered yet)"),
		"kind", string(d.Kind), "state", string(d.State), "report", fmt.Sprint(d.ReportID), "title", d.Title,
		"cves", strings.Join(d.CVEs, ", "), "published", whenp(d.Published), "modified", whenp(d.Modified),
		"withdrawn", whenp(d.Withdrawn), "revision", rev)
}

// advisoryMove is a command that moves one document: embargo, publish.
func advisoryMove(name, summary string, call func(ctx context.Context, c *vmthttp.Client, id int64) (*vmt.Advisory, error)) *command {
	return &command{name: name, summary: summary, run: func(ctx context.Context, e *env, args []string) error {
		const use = "RECORD"
		var af apiFlags
		fs := advisoryFlags(e, name, use, &af)
		id, _, c, err := advisoryArgs(e, fs, &af, args, 1, name, use)
		if err != nil {
			return err
		}
		d, err := call(ctx, c, id)
		if err != nil {
			return err
		}
		return advisoryOut(e, &af, d)
	}}
}
