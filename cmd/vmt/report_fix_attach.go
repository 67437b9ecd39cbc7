package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/vmtproject/vmt"
)

func init() {
	reportGroup.add(&command{name: "fix-attach", summary: "attach a patch series (private report) or a pull request link (public) for a branch", run: reportFixAttach})
}

func reportFixAttach(ctx context.Context, e *env, args []string) error {
	const use = "ID --branch B (--series-file F | --url U [--commit HASH])"
	fs := newFlags(e, "report fix-attach", use)
	var af apiFlags
	af.register(fs)
	branch := fs.String("branch", "", "the supported branch the fix is for")
	seriesFile := fs.String("series-file", "", "git format-patch output ('-': standard input)")
	link := fs.String("url", "", "the pull request, for a public report")
	commit := fs.String("commit", "", "with --url: the pull request's commit (or the one it was merged as), to track it by patch identity")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if err := wantArgs(pos, 1, "report fix-attach "+use); err != nil {
		return err
	}
	id, err := parseID("report", pos[0])
	if err != nil {
		return err
	}
	series, _, err := readText(e, "series", "", *seriesFile, limitSeries)
	if err != nil {
		return err
	}
	if *branch == "" || (series == "") == (*link == "") {
		return usagef("give --branch and either --series-file or --url")
	}
	c, err := af.client(e)
	if err != nil {
		return err
	}
	f, err := c.AttachFix(ctx, id, vmt.FixInput{Branch: *branch, Series: series, URL: *link, Commit: *commit})
	if err != nil {
		return err
	}
	if af.json {
		return emitJSON(e.stdout, f)
	}
	fmt.Fprintf(e.stdout, "Fix %d (version %d for %s) attached to report %d: %s\n", f.ID, f.Version, f.Branch, f.ReportID,
		strings.Join(append(f.Subjects, f.URL), "; "))
	return nil
}
