package main

import (
	"context"
	"fmt"

	"github.com/vmtproject/vmt"
)

func init() {
	reportGroup.add(&command{name: "extent", summary: "show who could see a report, since when, and who let them in", run: reportExtent})
}

func reportExtent(ctx context.Context, e *env, args []string) error {
	const use = "ID [--json]"
	var af apiFlags
	fs := reportFlags(e, "extent", use, &af)
	id, _, err := reportArgs(fs, args, 1, "extent", use)
	if err != nil {
		return err
	}
	c, err := af.client(e)
	if err != nil {
		return err
	}
	ex, err := c.Extent(ctx, id)
	if err != nil {
		return err
	}
	if af.json {
		return emitList(e.stdout, ex)
	}
	// The extent is everyone vmt let in and everyone it mailed the
	// report's private content to: the mails are listed after the
	// accounts, one address a line.
	t := newTable(e.stdout, "WHO", "REASON", "SINCE", "UNTIL", "GRANTED BY")
	for _, x := range ex {
		if x.Mail != nil {
			continue
		}
		t.row(extentWho(x), x.Reason, when(x.Since), whenp(x.Until), userRef(x.GrantedBy, "the process"))
	}
	if err := t.flush(); err != nil {
		return err
	}
	var mails []vmt.ExtentEntry
	for _, x := range ex {
		if x.Mail != nil {
			mails = append(mails, x)
		}
	}
	if len(mails) == 0 {
		return nil
	}
	fmt.Fprintln(e.stdout, "\nMailed the report's private content (for good):")
	t = newTable(e.stdout, "ADDRESS", "RECIPIENT", "MAIL", "SINCE", "ENCRYPTED TO", "STATE")
	for _, x := range mails {
		m := x.Mail
		addr, to := m.Address, "not encrypted"
		if m.Withheld {
			addr = "(withheld)"
		}
		if m.Encrypted {
			to = m.Fingerprint
		}
		rcpt := m.Recipient
		if m.Organisation != "" {
			rcpt += " (" + m.Organisation + ")"
		}
		t.row(addr, rcpt, m.Kind, when(x.Since), to, m.State)
	}
	return t.flush()
}

func extentWho(x vmt.ExtentEntry) string {
	switch x.Who {
	case "user":
		return userRef(x.UserID, "?")
	case "admins":
		return "administrators"
	}
	return x.Who
}
