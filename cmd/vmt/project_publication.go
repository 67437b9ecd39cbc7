package main

import (
	"context"

	"github.com/vmtproject/vmt"
)

func init() {
	projectGroup.add(&command{name: "publication", summary: "show or set where a project announces its advisories (mailing list, chat webhook) and the publisher of its CSAF exports (the CNA of CVE records: vmt project cna set)", run: projectPublication})
}

func projectPublication(ctx context.Context, e *env, args []string) error {
	const use = "NAME [--mailing-list ADDR] [--webhook-url URL] [--csaf-namespace URL] [--advisory-numbering embargo|publication]"
	fs := newFlags(e, "project publication", use)
	var af apiFlags
	af.register(fs)
	list := fs.String("mailing-list", "", "the announcement list's address (\"\" to stop mailing)")
	hook := fs.String("webhook-url", "", "a Slack-compatible incoming webhook, https (\"\" for none)")
	ns := fs.String("csaf-namespace", "", "the publisher's URL in CSAF exports (default: this site)")
	numbering := fs.String("advisory-numbering", "", "when advisories get their number: embargo (when made final) or publication (no gap shows an embargoed one)")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if err := wantArgs(pos, 1, "project publication "+use); err != nil {
		return err
	}
	c, err := af.client(e)
	if err != nil {
		return err
	}
	set, err := c.PublicationSettings(ctx, pos[0])
	if err != nil {
		return err
	}
	changed := false
	for name, f := range map[string]struct{ dst, val *string }{
		"mailing-list": {&set.MailingList, list}, "webhook-url": {&set.WebhookURL, hook}, "csaf-namespace": {&set.CSAFNamespace, ns},
	} {
		if isSet(fs, name) {
			*f.dst, changed = *f.val, true
		}
	}
	if isSet(fs, "advisory-numbering") {
		set.AdvisoryNumbering, changed = vmt.AdvisoryNumbering(*numbering), true
	}
	if changed {
		if set, err = c.SetPublicationSettings(ctx, pos[0], *set); err != nil {
			return err
		}
	}
	return publicationOut(e, &af, set)
}

func publicationOut(e *env, af *apiFlags, s *vmt.PublicationSettings) error {
	if af.json {
		return emitJSON(e.stdout, s)
	}
	hook := "-"
	if s.WebhookURL != "" {
		hook = "set (shown with --json)"
	}
	return fields(e.stdout, "mailing list", s.MailingList, "webhook", hook, "csaf namespace", s.CSAFNamespace,
		"advisory numbering", string(s.AdvisoryNumbering))
}
