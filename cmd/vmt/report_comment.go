package main

import (
	"context"
	"fmt"
)

func init() {
	reportGroup.add(&command{name: "comment", summary: "post a comment on a report", run: reportComment})
}

func reportComment(ctx context.Context, e *env, args []string) error {
	const use = "ID (--body B | --body-file F)"
	var af apiFlags
	fs := reportFlags(e, "comment", use, &af)
	body := fs.String("body", "", "the comment, in Markdown")
	bodyFile := fs.String("body-file", "", "read the comment from a file ('-': standard input)")
	id, _, err := reportArgs(fs, args, 1, "comment", use)
	if err != nil {
		return err
	}
	text, given, err := readText(e, "body", *body, *bodyFile, limitComment)
	if err != nil {
		return err
	}
	if !given {
		return usagef("give the comment with --body or --body-file")
	}
	c, err := af.client(e)
	if err != nil {
		return err
	}
	cm, err := c.AddComment(ctx, id, text)
	if err != nil {
		return err
	}
	if af.json {
		return emitJSON(e.stdout, cm)
	}
	fmt.Fprintf(e.stdout, "Comment %d posted on report %d.\n", cm.ID, cm.ReportID)
	return nil
}
