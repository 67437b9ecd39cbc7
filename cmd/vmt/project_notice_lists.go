package main

import (
	"context"
	"fmt"

	"github.com/vmtproject/vmt"
)

func init() {
	projectGroup.add(&command{name: "notice-lists", summary: "show, add or remove the mailing lists a project's notices go to, with their rules", run: projectNoticeLists})
}

// projectNoticeLists reads the disclosure settings, changes the lists the
// flags name, and writes the whole back (the API replaces the settings).
func projectNoticeLists(ctx context.Context, e *env, args []string) error {
	const use = "NAME [--add LIST --address ADDR --rules private|linux-distros [--key KEY.asc]] [--remove LIST] [--json]\n\n" +
		"Rules: private (a private embargo-notice list: signed) or linux-distros (signed and encrypted to the list's key, [vs] in the subject, at most 14 days before the disclosure).\n" +
		"Adding a list of a name already there replaces it.\n\n" +
		"example: vmt project notice-lists kata-containers --add distros --address distros@vs.openwall.org --rules linux-distros --key distros.asc\n" +
		"example: vmt project notice-lists kata-containers --remove distros"
	fs := newFlags(e, "project notice-lists", use)
	var af apiFlags
	af.register(fs)
	add := fs.String("add", "", "the name of a list to add (lower-case letters, digits and '-')")
	address := fs.String("address", "", "the list's address (with --add)")
	rules := fs.String("rules", "", "the list's rules, private or linux-distros (with --add)")
	key := fs.String("key", "", "FILE: the list's armored OpenPGP key, required by linux-distros (with --add; \"-\": standard input)")
	var remove listFlag
	fs.Var(&remove, "remove", "the name of a list to remove; repeatable")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if err := wantArgs(pos, 1, "project notice-lists "+use); err != nil {
		return err
	}
	if *add == "" {
		for _, n := range []string{"address", "rules", "key"} {
			if isSet(fs, n) {
				return usagef("--%s goes with --add", n)
			}
		}
	} else if *address == "" || *rules == "" {
		return usagef("--add %s needs --address and --rules", *add)
	}
	var l vmt.NoticeList
	if *add != "" {
		l = vmt.NoticeList{Name: *add, Address: *address, Rules: *rules}
		if *key != "" {
			b, err := readFile(e, *key, limitKey)
			if err != nil {
				return fmt.Errorf("--key: %w", err)
			}
			l.PublicKey = string(b)
		}
	}
	c, err := af.client(e)
	if err != nil {
		return err
	}
	set, err := c.DisclosureSettings(ctx, pos[0])
	if err != nil {
		return err
	}
	if *add != "" || len(remove) > 0 {
		for _, n := range remove {
			if set.RemoveList(n) != nil {
				return vmt.Invalid("lists", "%s has no notice list %q to remove", pos[0], n)
			}
		}
		if *add != "" {
			set.PutList(l)
		}
		if set, err = c.SetDisclosureSettings(ctx, pos[0], *set); err != nil {
			return err
		}
	}
	if af.json {
		return emitList(e.stdout, set.Lists)
	}
	if len(set.Lists) == 0 {
		fmt.Fprintf(e.stdout, "%s has no notice list: notices go to the stakeholders only.\n", pos[0])
		return nil
	}
	t := newTable(e.stdout, "NAME", "ADDRESS", "RULES", "KEY")
	for _, l := range set.Lists {
		k := "-"
		if l.PublicKey != "" {
			k = "set"
		}
		t.row(l.Name, l.Address, l.Rules, k)
	}
	return t.flush()
}
