package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/vmtproject/vmt"
)

// outboxGroup holds the administrators' commands on the outbox: the mails,
// webhook calls and pushes the worker carries out.
var outboxGroup = &group{name: "outbox", summary: "list what the worker sends (state, attempts, last error) and retry a failed item"}

func init() {
	commands = append(commands, outboxGroup.command())
	outboxGroup.add(&command{name: "list", summary: "list the outbox items, with their state, attempts and last error", run: outboxList})
	outboxGroup.add(&command{name: "retry", summary: "send a failed item again now", run: outboxRetry})
}

func outboxList(ctx context.Context, e *env, args []string) error {
	const use = "[--state pending|done|failed] [--after ID] [--limit N] [--json]\n\n" +
		"Administrators only. A mail shows whom it goes to and its subject, never its text.\n\n" +
		"example: vmt outbox list --state failed"
	fs := newFlags(e, "outbox list", use)
	var af apiFlags
	af.register(fs)
	state := fs.String("state", "", "only the items in this state")
	after := fs.Int64("after", 0, "only the items after this id (the next page)")
	limit := fs.Int("limit", 0, fmt.Sprintf("at most this many items (default %d, at most %d)", vmt.DefaultPageSize, vmt.MaxPageSize))
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if err := wantArgs(pos, 0, "outbox list "+use); err != nil {
		return err
	}
	st, err := vmt.ParseOutboxState("--state", *state)
	if err != nil {
		return err
	}
	c, err := af.client(e)
	if err != nil {
		return err
	}
	es, err := c.OutboxQueue(ctx, st, *after, *limit)
	if err != nil {
		return err
	}
	if af.json {
		return emitList(e.stdout, es)
	}
	t := newTable(e.stdout, "ID", "KIND", "REPORT", "STATE", "ATTEMPTS", "NEXT/DONE", "TO", "LAST ERROR")
	for _, o := range es {
		next := when(o.NextAttempt)
		if o.DoneAt != nil {
			next = when(*o.DoneAt)
		} else if o.State == vmt.OutboxFailed {
			next = "-"
		}
		report := "-"
		if o.ReportID != 0 {
			report = strconv.FormatInt(o.ReportID, 10)
		}
		t.row(strconv.FormatInt(o.ID, 10), o.Kind, report, string(o.State), strconv.Itoa(o.Attempts), next,
			clip(strings.Join(o.To, ", "), 40), clip(o.LastError, 80))
	}
	return t.flush()
}

func outboxRetry(ctx context.Context, e *env, args []string) error {
	const use = "ID [--json]\n\nAdministrators only. Only a failed item is retried; its attempts count afresh.\n\n" +
		"example: vmt outbox retry 42"
	fs := newFlags(e, "outbox retry", use)
	var af apiFlags
	af.register(fs)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if err := wantArgs(pos, 1, "outbox retry "+use); err != nil {
		return err
	}
	id, err := parseID("outbox item", pos[0])
	if err != nil {
		return err
	}
	c, err := af.client(e)
	if err != nil {
		return err
	}
	o, err := c.RetryOutbox(ctx, id)
	if err != nil {
		return err
	}
	if af.json {
		return emitJSON(e.stdout, o)
	}
	fmt.Fprintf(e.stdout, "Outbox item %d (%s) is pending again; the worker sends it at its next round.\n", o.ID, o.Kind)
	return nil
}
