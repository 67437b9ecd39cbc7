package main

import (
	"context"
	"strings"

	vmthttp "github.com/vmtproject/vmt/http"
	"github.com/vmtproject/vmt/render"
)

func init() {
	reportGroup.add(&command{name: "cve-form", summary: "print a report's \"Request a CVE ID\" form, filled by the server from the record, ready to copy", run: reportCVEForm})
}

// reportCVEForm prints the CVE request form of a report as the server
// fills it: the requester's address and stored OpenPGP key, the embargo
// note while the report is private, components, versions, description,
// credit and references come from the record; the command line gives only
// what needs judgment.
func reportCVEForm(ctx context.Context, e *env, args []string) error {
	const use = "ID [--type TYPE | --other-type WORDS] [--attack-type T] [--impact I]... [--key-file FILE]\n\n" +
		"Example: vmt report cve-form 12 --type \"Directory Traversal\" --impact \"Information Disclosure\""
	var af apiFlags
	fs := reportFlags(e, "cve-form", use, &af)
	var ch vmthttp.CVEFormChoices
	fs.StringVar(&ch.Type, "type", "", "the vulnerability type, one of: "+strings.Join(render.VulnerabilityTypes, ", "))
	fs.StringVar(&ch.OtherType, "other-type", "", "the type in words, with Other or Unknown")
	fs.StringVar(&ch.Attack, "attack-type", "", "the attack type, one of: "+strings.Join(render.AttackTypes, ", ")+" (default: from the CVSS vector, else Context-dependent)")
	var impacts stringList
	fs.Var(&impacts, "impact", "an impact to check (repeatable), one of: "+strings.Join(render.Impacts, ", "))
	keyFile := fs.String("key-file", "", "your armored OpenPGP public key, when the report is private and no coordinator's account stores one")
	id, _, err := reportArgs(fs, args, 1, "cve-form", use)
	if err != nil {
		return err
	}
	ch.Impact = impacts.values()
	if *keyFile != "" {
		b, err := readFile(e, *keyFile, limitKey)
		if err != nil {
			return err
		}
		ch.Key = string(b)
	}
	c, err := af.client(e)
	if err != nil {
		return err
	}
	f, err := c.CVEForm(ctx, id, ch)
	if err != nil {
		return err
	}
	if af.json {
		return emitJSON(e.stdout, f)
	}
	return writeOutput(e, "", []byte(f.Text))
}
