package main

import (
	"context"

	"github.com/vmtproject/vmt"
)

func init() {
	reportGroup.add(&command{name: "new", summary: "file a private report", run: reportNew})
}

func reportNew(ctx context.Context, e *env, args []string) error {
	const use = "--title T (--description D | --description-file F) [--project P] [--component C ...] [--versions V] [--credit C]"
	fs := newFlags(e, "report new", use)
	var af apiFlags
	af.register(fs)
	var in vmt.ReportInput
	var affected, components, never stringList
	fs.StringVar(&in.Title, "title", "", "one-line title (required)")
	desc := fs.String("description", "", "description, in Markdown")
	descFile := fs.String("description-file", "", "read the description from a file ('-': standard input)")
	fs.StringVar(&in.Project, "project", "", "project name (default: the only project)")
	fs.Var(&affected, "affected", "an affected component and its versions, \"agent: >=3.0.0 <3.2.1\" (repeatable; instead of --component and --versions)")
	fs.Var(&components, "component", "affected component (repeatable)")
	fs.StringVar(&in.AffectedVersions, "versions", "", "affected versions")
	fs.StringVar(&in.Credit, "credit", "", "how the reporter wants to be credited")
	fs.StringVar(&in.ReporterTerms, "terms", "", "the reporter's disclosure terms")
	fs.Var(&never, "never-disclose", "a field never to publish: reporter_identity, credit or reporter_terms (repeatable)")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if err := wantArgs(pos, 0, "report new "+use); err != nil {
		return err
	}
	if in.Title == "" {
		return usagef("--title is required")
	}
	if in.Description, _, err = readText(e, "description", *desc, *descFile, limitDescription); err != nil {
		return err
	}
	in.Components, in.NeverDisclose = components.values(), never.values()
	for _, l := range affected.values() {
		in.Affected = append(in.Affected, vmt.ParseAffectedLine(l))
	}
	c, err := af.client(e)
	if err != nil {
		return err
	}
	v, err := c.CreateReport(ctx, in)
	if err != nil {
		return err
	}
	return reportOut(e, &af, v)
}
