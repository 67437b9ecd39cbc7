package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strconv"
	"strings"

	"github.com/vmtproject/vmt"
)

func init() {
	reportGroup.add(&command{name: "audit", summary: "show the audit events of a report", run: reportAudit})
}

func reportAudit(ctx context.Context, e *env, args []string) error {
	const use = "ID [--json]"
	var af apiFlags
	fs := reportFlags(e, "audit", use, &af)
	id, _, err := reportArgs(fs, args, 1, "audit", use)
	if err != nil {
		return err
	}
	c, err := af.client(e)
	if err != nil {
		return err
	}
	evs, err := c.ReportAudit(ctx, id)
	if err != nil {
		return err
	}
	if af.json {
		return emitList(e.stdout, evs)
	}
	t := newTable(e.stdout, "SEQ", "AT", "ACTOR", "ACTION", "CHANGE")
	for _, ev := range evs {
		t.row(strconv.FormatInt(ev.Seq, 10), when(ev.At), userRef(ev.ActorID, "system"), ev.Action, clip(change(ev), 100))
	}
	return t.flush()
}

// change is the gist of an event for a table: the new values, or the old
// ones for a removal. --json has the whole event.
func change(ev *vmt.AuditEvent) string {
	raw, prefix := ev.After, ""
	if len(raw) == 0 {
		raw, prefix = ev.Before, "removed "
	}
	var b bytes.Buffer
	if err := json.Compact(&b, raw); err != nil || b.Len() == 0 {
		return ""
	}
	// The server escapes <, > and & for HTML; a terminal shows them as is.
	return prefix + htmlEscapes.Replace(b.String())
}

var htmlEscapes = strings.NewReplacer(`\u003c`, "<", `\u003e`, ">", `\u0026`, "&")
