package main

import (
	"context"
	"strings"

	"github.com/vmtproject/vmt"
)

func init() {
	projectGroup.add(&command{name: "publication", summary: "show or set where a project announces its advisories (announcement lists, chat webhook) and the publisher of its CSAF exports (the CNA of CVE records: vmt project cna set)", run: projectPublication})
}

func projectPublication(ctx context.Context, e *env, args []string) error {
	const use = "NAME [--list ADDR[:sign|:none] ...] [--webhook-url URL] [--csaf-namespace URL] [--advisory-numbering embargo|publication]"
	fs := newFlags(e, "project publication", use)
	var af apiFlags
	af.register(fs)
	var lists listFlag
	fs.Var(&lists, "list", `an announcement list, ADDR (signed), ADDR:sign or ADDR:none (plain text, for a list that rejects PGP/MIME); `+
		`repeatable, replaces the lists; "none" for no list`)
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
		"webhook-url": {&set.WebhookURL, hook}, "csaf-namespace": {&set.CSAFNamespace, ns},
	} {
		if isSet(fs, name) {
			*f.dst, changed = *f.val, true
		}
	}
	if len(lists) > 0 {
		if set.Lists, err = parseAnnouncementLists(lists); err != nil {
			return err
		}
		changed = true
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
	var lists []string
	for _, l := range s.Lists {
		lists = append(lists, l.Address+" ("+map[string]string{vmt.SignAnnouncement: "signed", vmt.SignNone: "unsigned"}[l.Signing]+")")
	}
	return fields(e.stdout, "lists", noneIfEmpty(strings.Join(lists, ", ")), "webhook", hook, "csaf namespace", s.CSAFNamespace,
		"advisory numbering", string(s.AdvisoryNumbering))
}

// parseAnnouncementLists reads the --list flags: ADDR, ADDR:sign or
// ADDR:none, in order, or the one word "none" for no list. The server
// checks the addresses and the limit, naming lists[i].
func parseAnnouncementLists(flags []string) ([]vmt.AnnouncementList, error) {
	out := []vmt.AnnouncementList{}
	if len(flags) == 1 && flags[0] == "none" {
		return out, nil
	}
	for _, f := range flags {
		l := vmt.AnnouncementList{Address: f, Signing: vmt.SignAnnouncement}
		if i := strings.LastIndex(f, ":"); i >= 0 {
			switch rule := f[i+1:]; rule {
			case vmt.SignAnnouncement, vmt.SignNone:
				l.Address, l.Signing = f[:i], rule
			default:
				return nil, usagef("--list %q: want ADDR, ADDR:sign or ADDR:none, not the rule %q", f, rule)
			}
		}
		out = append(out, l)
	}
	return out, nil
}
