package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/vmtproject/vmt"
)

func init() {
	reportGroup.add(&command{name: "show", summary: "show a report, its comments and the moves open to you", run: reportShow})
}

func reportShow(ctx context.Context, e *env, args []string) error {
	var af apiFlags
	fs := reportFlags(e, "show", "ID [--json]", &af)
	id, _, err := reportArgs(fs, args, 1, "show", "ID [--json]")
	if err != nil {
		return err
	}
	c, err := af.client(e)
	if err != nil {
		return err
	}
	v, err := c.Report(ctx, id)
	if err != nil {
		return err
	}
	cs, err := c.Comments(ctx, id)
	if err != nil {
		return err
	}
	if af.json {
		// The report as the API has it, with its comments added.
		return emitJSON(e.stdout, struct {
			*vmt.ReportView
			Comments []*vmt.Comment `json:"comments"`
		}{v, cs})
	}
	p, err := projectNames(ctx, c)
	if err != nil {
		return err
	}
	return printReport(e.stdout, v, p[v.ProjectID], cs)
}

func printReport(w io.Writer, v *vmt.ReportView, project string, cs []*vmt.Comment) error {
	fmt.Fprintf(w, "Report %d: %s\n\n", v.ID, v.Title)
	err := fields(w,
		"Project", project,
		"Status", v.Status.Label(),
		"Class", classLine(v.Class),
		"Visibility", string(v.Visibility),
		"Reporter", userRef(v.ReporterID, "(withheld)"),
		"Coordinator", userRef(v.CoordinatorID, "unassigned"),
		"Components", strings.Join(v.Components(), ", "),
		"Affected versions", affectedLines(v.Affected),
		"Credit", v.Credit,
		"CVEs", strings.Join(v.CVEs, ", "),
		"Hardening", yesNo(v.Hardening),
		"Reporter terms", v.ReporterTerms,
		"Never disclose", strings.Join(v.NeverDisclose, ", "),
		"CVE requested", whenp(v.CVERequestedAt),
		"Notice sent", whenp(v.NoticeSentAt),
		"Disclosure", whenp(v.DisclosureAt),
		"Created", when(v.CreatedAt),
		"Updated", when(v.UpdatedAt),
		"Next statuses", nextLine(v.NextStatuses),
	)
	if err != nil {
		return err
	}
	if l := v.PossibleLeak; l != nil && v.Visibility == vmt.Private {
		commit := ""
		if l.Commit != "" {
			commit = " (commit " + l.Commit + ")"
		}
		fmt.Fprintf(w, "\nPOSSIBLE LEAK: merge tracking saw the fix for %s%s on %s, before the disclosure.\n"+
			"If the repository is public, end the embargo: vmt report publicize %d --reason ...\n", l.Branch, commit, when(l.At), v.ID)
	}
	if v.DuplicateOf != 0 {
		fmt.Fprintf(w, "\nA duplicate of report #%d.\n", v.DuplicateOf)
	}
	if fg := v.Forge; fg != nil {
		// The public issue and pull requests opened at the hour.
		fmt.Fprintln(w, "\nOn GitHub:")
		if fg.Issue != nil {
			fmt.Fprintf(w, "  Issue #%d: %s\n", fg.Issue.Number, fg.Issue.URL)
		}
		for _, pr := range fg.PullRequests {
			fmt.Fprintf(w, "  Pull request #%d (%s into %s): %s\n", pr.Number, pr.Head, pr.Branch, pr.URL)
		}
	}
	if len(v.WithheldIn) > 0 {
		// Shown to the VMT only: output withholds the value, the stored
		// texts still hold it until edited.
		fmt.Fprintf(w, "\nStill holding what the reporter withholds: %s\n", strings.Join(v.WithheldIn, ", "))
	}
	section(w, "Description", v.Description)
	if v.ImpactDescription != "" {
		section(w, "Impact description", v.ImpactDescription)
	}
	section(w, fmt.Sprintf("Comments (%d)", len(cs)), "")
	for _, c := range cs {
		fmt.Fprintf(w, "\n#%d by %s, %s:\n%s\n", c.ID, userRef(c.AuthorID, "the system"), when(c.CreatedAt), strings.TrimRight(c.Body, "\n"))
	}
	return nil
}

func section(w io.Writer, title, body string) {
	fmt.Fprintf(w, "\n%s\n%s\n", title, strings.Repeat("-", len(title)))
	if body != "" {
		fmt.Fprintln(w, strings.TrimRight(body, "\n"))
	}
}

func classLine(c vmt.Class) string {
	i, ok := c.Info()
	if !ok {
		return "unclassified"
	}
	return fmt.Sprintf("%s (%s): %s", c, i.Outcome, i.Description)
}

// nextLine lists the moves open to the viewer; none when they may not
// coordinate, which is not the same as a final status.
func nextLine(ss []vmt.Status) string {
	if len(ss) == 0 {
		return "-"
	}
	return statusLabels(ss)
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// affectedLines writes a report's record as `report edit --affected`
// takes it: "agent: <3.2.1; runtime: <3.2.0".
func affectedLines(rec []vmt.AffectedEntry) string {
	lines := make([]string, len(rec))
	for i, e := range rec {
		lines[i] = e.Line()
	}
	return strings.Join(lines, "; ")
}
