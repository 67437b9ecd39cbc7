package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/vmtproject/vmt"
	vmthttp "github.com/vmtproject/vmt/http"
)

func init() {
	reportGroup.add(&command{name: "list", summary: "list the reports you may see, newest first", run: reportList})
}

func reportList(ctx context.Context, e *env, args []string) error {
	const use = "[--status S] [--class C] [--project P] [--visibility private|public] [--overdue] [--query WORDS] [--limit N] [--offset N]"
	fs := newFlags(e, "report list", use)
	var af apiFlags
	af.register(fs)
	var q vmthttp.ReportQuery
	status := fs.String("status", "", "only this status (e.g. new, wont_fix, \"Won't Fix\")")
	class := fs.String("class", "", "only this class (A, B1, ... Z)")
	fs.StringVar(&q.Project, "project", "", "only this project")
	visibility := fs.String("visibility", "", "only private or only public reports")
	fs.BoolVar(&q.Overdue, "overdue", false, "only private reports past the project's embargo limit or their stage's time limit")
	reporter := fs.String("reporter", "", "only reports filed by this user (email address or id)")
	coordinator := fs.String("coordinator", "", "only reports coordinated by this user (email address or id)")
	fs.StringVar(&q.Query, "query", "", "only reports holding all these words (title, description, components, CVE ids, impact), best match first")
	fs.IntVar(&q.Limit, "limit", 0, fmt.Sprintf("at most this many (default %d, at most %d)", vmt.DefaultPageSize, vmt.MaxPageSize))
	fs.IntVar(&q.Offset, "offset", 0, "skip this many")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if err := wantArgs(pos, 0, "report list "+use); err != nil {
		return err
	}
	if *status != "" {
		q.Status = normStatus(*status)
	}
	q.Class = vmt.Class(strings.ToUpper(*class))
	q.Visibility = vmt.Visibility(strings.ToLower(*visibility))
	c, err := af.client(e)
	if err != nil {
		return err
	}
	for _, f := range []struct {
		flag string
		dst  *int64
	}{{*reporter, &q.ReporterID}, {*coordinator, &q.CoordinatorID}} {
		if f.flag != "" {
			if *f.dst, err = userArg(ctx, c, "user", f.flag); err != nil {
				return err
			}
		}
	}
	l, err := c.Reports(ctx, q)
	if err != nil {
		return err
	}
	if af.json {
		return emitJSON(e.stdout, l)
	}
	names, err := projectNames(ctx, c)
	if err != nil {
		return err
	}
	return printReports(e, l, names)
}

func printReports(e *env, l *vmthttp.List[*vmt.ReportView], project map[int64]string) error {
	if len(l.Items) == 0 {
		fmt.Fprintf(e.stdout, "No reports match (%s in all).\n", plural(l.Total, "report", "reports"))
		return nil
	}
	t := newTable(e.stdout, "ID", "STATUS", "CLASS", "VISIBILITY", "PROJECT", "UPDATED", "TITLE")
	for _, r := range l.Items {
		t.row(strconv.FormatInt(r.ID, 10), r.Status.Label(), string(r.Class), string(r.Visibility),
			project[r.ProjectID], when(r.UpdatedAt), clip(r.Title, 80))
	}
	if err := t.flush(); err != nil {
		return err
	}
	if l.More {
		fmt.Fprintf(e.stdout, "\nThe search matched more than %d reports; the newest %d are ranked. Add a word or a filter to find older ones.\n", l.Total, l.Total)
	}
	switch n := len(l.Items); {
	case l.Offset+n < l.Total:
		fmt.Fprintf(e.stdout, "\nShowing %d-%d of %d; see more with --offset %d.\n", l.Offset+1, l.Offset+n, l.Total, l.Offset+n)
	case l.Offset > 0:
		fmt.Fprintf(e.stdout, "\nShowing %d-%d of %d.\n", l.Offset+1, l.Offset+n, l.Total)
	}
	return nil
}

// projectNames maps project ids to names, for tables.
func projectNames(ctx context.Context, c *vmthttp.Client) (map[int64]string, error) {
	ps, err := c.Projects(ctx)
	if err != nil {
		return nil, err
	}
	m := make(map[int64]string, len(ps))
	for _, p := range ps {
		m[p.ID] = p.Name
	}
	return m, nil
}
