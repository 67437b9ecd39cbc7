package main

import (
	"context"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/render"
)

func init() {
	advisoryGroup.add(&command{name: "cve-form", summary: "print the CVE request form's fields for an advisory, ready to copy", run: advisoryCVEForm})
}

const cveFormUsage = "advisory cve-form --email ADDR [--private --key-file FILE] [--type TYPE | --other-type WORDS] [--attack-type T] [--impact I]... [--reference URL]... ADVISORY.json\n" +
	"       vmt advisory cve-form --publication --email ADDR --url ADVISORY_URL ADVISORY.json"

// advisoryCVEForm prints "Request a CVE ID" filled from an advisory draft
// (with the coordinator's OpenPGP key and the embargo note for a private
// report), or "Notify CVE about a publication" for a published one.
func advisoryCVEForm(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "advisory cve-form", "[flags] ADVISORY.json")
	email := fs.String("email", "", "the requester's mail address: the coordinator's")
	pub := fs.Bool("publication", false, "the publication notice instead of the request")
	url := fs.String("url", "", "publication: the advisory's public URL")
	private := fs.Bool("private", false, "the report is under embargo: adds the key and the embargo note")
	keyFile := fs.String("key-file", "", "private: the coordinator's armored OpenPGP public key")
	vtype := fs.String("type", "", "the vulnerability type from the form's list")
	other := fs.String("other-type", "", "the type in words, with Other or Unknown")
	attack := fs.String("attack-type", "", "the attack type (default Context-dependent)")
	var impacts, refs stringList
	fs.Var(&impacts, "impact", "an impact to check (repeatable)")
	fs.Var(&refs, "reference", "a reference URL (repeatable; the advisory's report references are added)")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if err := wantArgs(pos, 1, cveFormUsage); err != nil {
		return err
	}
	a, err := readAdvisory(e, pos[0])
	if err != nil {
		return err
	}
	var text string
	if *pub {
		f, err := render.PublicationForm(a, *email, *url)
		if err != nil {
			return err
		}
		text, err = f.Text()
		if err != nil {
			return err
		}
		return writeOutput(e, "", []byte(text))
	}
	in := render.CVERequestInput{Email: *email, Private: *private, VulnerabilityType: *vtype, OtherType: *other,
		Vendor: a.Vendor, Components: a.ComponentNames(), AffectedVersions: render.AffectedVersions(a),
		AttackType: *attack, Impact: impacts.values(), ImpactProse: a.Description,
		Credit: render.ImpactFrom(a).Credit, References: append(refs.values(), reportRefs(a)...)}
	if *keyFile != "" {
		b, err := readFile(e, *keyFile, limitKey)
		if err != nil {
			return err
		}
		in.OpenPGPKey = string(b)
	}
	f, err := render.RequestForm(in)
	if err != nil {
		return err
	}
	if text, err = f.Text(); err != nil {
		return vmt.Invalid("advisory", "%v", err)
	}
	return writeOutput(e, "", []byte(text))
}

// reportRefs are the advisory's report and fix links, which the form's
// references field takes.
func reportRefs(a *vmt.Advisory) []string {
	var out []string
	for _, r := range a.References {
		if r.Type == "REPORT" || r.Type == "FIX" {
			out = append(out, r.URL)
		}
	}
	for _, p := range a.Patches {
		out = append(out, p.URLs...)
	}
	return out
}
