package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/vmtproject/vmt"
)

func init() {
	reportGroup.add(&command{name: "notice", summary: "send the downstream notice of an embargoed report (--dry-run to see each mail first, --override-reason to set the reporter's date aside)", run: reportNotice})
}

func reportNotice(ctx context.Context, e *env, args []string) error {
	const use = "ID [--dry-run] [--override-reason R]"
	var af apiFlags
	fs := reportFlags(e, "notice", use, &af)
	reason := fs.String("override-reason", "", "use the project's disclosure date instead of the one the reporter asked for, for this reason (recorded)")
	dry := fs.Bool("dry-run", false, "send nothing: show each mail the notice would send now (recipient, address, subject, body, attachments, encryption and key)")
	id, _, err := reportArgs(fs, args, 1, "notice", use)
	if err != nil {
		return err
	}
	c, err := af.client(e)
	if err != nil {
		return err
	}
	if *dry {
		p, err := c.PreviewNotice(ctx, id, *reason)
		if err != nil {
			return err
		}
		if af.json {
			return emitJSON(e.stdout, p)
		}
		printNoticePreview(e.stdout, p)
		return nil
	}
	res, err := c.SendNotice(ctx, id, *reason)
	if err != nil {
		return err
	}
	if af.json {
		return emitJSON(e.stdout, res)
	}
	fmt.Fprintf(e.stdout, "The notice of report %d is on its way to %d recipients: %s.\n", id, len(res.Recipients), strings.Join(res.Recipients, ", "))
	fmt.Fprintf(e.stdout, "Disclosure: %s.\n", when(res.Disclosure))
	if o := res.Report.TermsOverride; o != nil {
		fmt.Fprintf(e.stdout, "The reporter's date %s is set aside: %s\n", when(o.Requested), o.Reason)
	}
	for _, w := range res.Warnings {
		fmt.Fprintf(e.stdout, "warning: %s\n", w)
	}
	return nil
}

// printNoticePreview writes what the notice would send, mail by mail, as
// the server planned it: the same plan the send uses.
func printNoticePreview(w io.Writer, p *vmt.NoticePreview) {
	fmt.Fprintf(w, "Dry run: nothing was sent. The notice of report %d would send %d mails now.\n", p.ReportID, len(p.Mails))
	fmt.Fprintf(w, "Disclosure: %s.\n", when(p.Disclosure))
	for _, a := range p.Patches.Attached {
		fmt.Fprintf(w, "Patch for %s: %s (%d bytes, sha256 %s)\n", a.Branch, a.Name, a.Bytes, a.SHA256)
	}
	for _, b := range p.Patches.Without {
		fmt.Fprintf(w, "No approved patch for %s: none attached.\n", b)
	}
	for _, m := range p.Mails {
		who := m.Recipient
		if m.Organisation != "" {
			who += " (" + m.Organisation + ")"
		}
		how := "signed, not encrypted"
		if m.Encrypted {
			how = "signed and encrypted to " + m.Fingerprint
		}
		fmt.Fprintf(w, "\n== %s\nTo: %s\nSubject: %s\nSent: %s; %s\n", who, strings.Join(m.To, ", "), m.Subject,
			m.SendAt.UTC().Format("2006-01-02 15:04 UTC"), how)
		for _, a := range m.Attachments {
			fmt.Fprintf(w, "Attachment: %s (%d bytes)\n", a.Name, a.Bytes)
		}
		fmt.Fprintf(w, "\n%s\n", strings.TrimRight(m.Body, "\n"))
	}
	for _, x := range p.Warnings {
		fmt.Fprintf(w, "warning: %s\n", x)
	}
}
