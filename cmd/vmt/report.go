package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/vmtproject/vmt"
)

// reportGroup holds the report subcommands; each file report_*.go adds one.
var reportGroup = &group{name: "report", summary: "file, list, show and move security reports"}

func init() { commands = append(commands, reportGroup.command()) }

// statusLabels renders statuses as people read them: "Won't Fix, Invalid".
func statusLabels(ss []vmt.Status) string {
	ls := make([]string, len(ss))
	for i, s := range ss {
		ls[i] = fmt.Sprintf("%s (%s)", s.Label(), s)
	}
	return strings.Join(ls, ", ")
}

// orNone renders an empty value of a report field.
func orNone(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// reportSummary prints the line a change command ends with.
func reportSummary(w io.Writer, v *vmt.ReportView) {
	fmt.Fprintf(w, "Report %d: %s\n  status %s, class %s, %s\n", v.ID, v.Title, v.Status.Label(), orNone(string(v.Class)), v.Visibility)
	if len(v.NextStatuses) > 0 {
		fmt.Fprintf(w, "  next: %s\n", statusLabels(v.NextStatuses))
	}
}

// reportOut prints a report a command changed: the API's JSON or a summary.
func reportOut(e *env, f *apiFlags, v *vmt.ReportView) error {
	if f.json {
		return emitJSON(e.stdout, v)
	}
	reportSummary(e.stdout, v)
	return nil
}
