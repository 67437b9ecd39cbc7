package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/vmtproject/vmt"
	vmthttp "github.com/vmtproject/vmt/http"
)

// auditLog prints the audit log one event a line: the time in UTC, the
// actor by address, the action, the report and the subject.
func auditLog(ctx context.Context, e *env, args []string) error {
	const use = "[--report N] [--actor EMAIL] [--action A ...] [--since T] [--after SEQ] [--limit N] [--json]\n\n" +
		"Administrators only. T is a time (2026-12-01T09:00:00Z), a date (2026-12-01, UTC) or an age (36h, 7d).\n\n" +
		"example: vmt audit log --report 12\n" +
		"example: vmt audit log --actor alice@example.org --since 2026-12-01\n" +
		"example: vmt audit log --action report.notice,outbox.failed --since 7d"
	fs := newFlags(e, "audit log", use)
	var af apiFlags
	af.register(fs)
	report := fs.Int64("report", 0, "only the events of this report")
	actor := fs.String("actor", "", "only the events of this user (an address or a user id)")
	var actions listFlag
	fs.Var(&actions, "action", "only events of this action (such as report.notice); repeatable or comma-separated")
	since := fs.String("since", "", "only events at or after this time, date or age")
	after := fs.Int64("after", 0, "only events after this sequence number")
	limit := fs.Int("limit", 0, "at most this many events (default: every one that matches)")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if err := wantArgs(pos, 0, "audit log "+use); err != nil {
		return err
	}
	if *report < 0 || *after < 0 || *limit < 0 {
		return usagef("--report, --after and --limit must not be negative")
	}
	q := vmthttp.AuditQuery{ReportID: *report, Actions: actions, AfterSeq: *after}
	if *since != "" {
		if q.Since, err = parseSince(*since, time.Now()); err != nil {
			return err
		}
	}
	c, err := af.client(e)
	if err != nil {
		return err
	}
	if *actor != "" {
		if q.ActorID, err = userArg(ctx, c, "--actor", *actor); err != nil {
			return err
		}
	}
	var evs []*vmt.AuditEvent
	// The server answers a page at a time; the command reads on until the
	// limit or the end.
	for {
		q.Limit = vmt.MaxPageSize
		if *limit > 0 {
			q.Limit = min(vmt.MaxPageSize, *limit-len(evs))
		}
		page, err := c.AuditSearch(ctx, q)
		if err != nil {
			return err
		}
		evs = append(evs, page...)
		if len(page) < q.Limit || (*limit > 0 && len(evs) >= *limit) {
			break
		}
		q.AfterSeq = page[len(page)-1].Seq
	}
	if af.json {
		return emitList(e.stdout, evs)
	}
	if len(evs) == 0 {
		fmt.Fprintln(e.stdout, "No event matches.")
		return nil
	}
	emails := emailsOf(ctx, c)
	t := newTable(e.stdout, "SEQ", "TIME (UTC)", "ACTOR", "ACTION", "REPORT", "SUBJECT")
	for _, ev := range evs {
		report := "-"
		if ev.ReportID != 0 {
			report = "#" + strconv.FormatInt(ev.ReportID, 10)
		}
		t.row(strconv.FormatInt(ev.Seq, 10), ev.At.UTC().Format("2006-01-02 15:04:05"), emails(ev.ActorID), ev.Action, report, ev.Subject)
	}
	return t.flush()
}

// parseSince reads --since: an RFC 3339 time, a date (midnight UTC), or an
// age before now in hours (36h) or days (7d).
func parseSince(s string, now time.Time) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t, nil
	}
	if n, ok := strings.CutSuffix(s, "d"); ok {
		if d, err := strconv.Atoi(n); err == nil && d >= 0 {
			return now.AddDate(0, 0, -d), nil
		}
	}
	if d, err := time.ParseDuration(s); err == nil && d >= 0 {
		return now.Add(-d), nil
	}
	return time.Time{}, usagef("--since %q: want a time (2026-12-01T09:00:00Z), a date (2026-12-01) or an age (36h, 7d)", s)
}
