package main

import (
	"context"
	"flag"

	"github.com/vmtproject/vmt"
)

func init() {
	reportGroup.add(&command{name: "edit", summary: "change fields of a report", run: reportEdit})
}

const reportEditUse = "ID [--title T] [--description D | --description-file F] [--affected 'C: V' ...] [--component C ...] [--versions V] [--credit C] [--cve CVE ...] [--hardening[=false]] [--impact I | --impact-file F] [--terms T] [--disclosure-date D] [--never-disclose F ...]"

// editFlags are the flags of report edit; only those given change a field.
type editFlags struct {
	title, desc, descFile, versions, credit, impact, impactFile, terms string
	requested                                                          string
	affected, components, cves, never                                  stringList
	hardening                                                          bool
}

func (f *editFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.title, "title", "", "new title")
	fs.StringVar(&f.desc, "description", "", "new description, in Markdown")
	fs.StringVar(&f.descFile, "description-file", "", "read the new description from a file ('-': standard input)")
	fs.Var(&f.affected, "affected", "an affected component and its versions, \"agent: >=3.0.0 <3.2.1\" (repeatable; replaces the record; \"\" for none)")
	fs.Var(&f.components, "component", "affected component (repeatable; replaces the list; \"\" for none)")
	fs.StringVar(&f.versions, "versions", "", "affected versions")
	fs.StringVar(&f.credit, "credit", "", "credit")
	fs.Var(&f.cves, "cve", "CVE id (repeatable; replaces the list and retitles the report; \"\" for none)")
	fs.BoolVar(&f.hardening, "hardening", false, "tag the report as security hardening")
	fs.StringVar(&f.impact, "impact", "", "impact description, in Markdown")
	fs.StringVar(&f.impactFile, "impact-file", "", "read the impact description from a file ('-': standard input)")
	fs.StringVar(&f.terms, "terms", "", "the reporter's disclosure terms")
	fs.StringVar(&f.requested, "disclosure-date", "", "the disclosure date the reporter asks for: YYYY-MM-DD (00:00 UTC) or RFC 3339; empty withdraws it")
	fs.Var(&f.never, "never-disclose", "field never to publish (repeatable; replaces the list; \"\" for none)")
}

// patch returns the change the given flags ask for, and whether there is any.
func (f *editFlags) patch(e *env, fs *flag.FlagSet) (vmt.ReportPatch, bool, error) {
	var p vmt.ReportPatch
	str := func(name string, v string) *string {
		if isSet(fs, name) {
			return &v
		}
		return nil
	}
	list := func(name string, l stringList) *[]string {
		if isSet(fs, name) {
			v := l.values()
			return &v
		}
		return nil
	}
	p.Title, p.AffectedVersions, p.Credit, p.ReporterTerms = str("title", f.title), str("versions", f.versions), str("credit", f.credit), str("terms", f.terms)
	p.Components, p.CVEs, p.NeverDisclose = list("component", f.components), list("cve", f.cves), list("never-disclose", f.never)
	p.RequestedDisclosureAt = str("disclosure-date", f.requested)
	if isSet(fs, "affected") {
		rec := []vmt.AffectedEntry{}
		for _, l := range f.affected.values() {
			rec = append(rec, vmt.ParseAffectedLine(l))
		}
		p.Affected = &rec
	}
	if isSet(fs, "hardening") {
		p.Hardening = &f.hardening
	}
	for _, t := range []struct {
		name, inline, file string
		lim                fileLimit
		dst                **string
	}{{"description", f.desc, f.descFile, limitDescription, &p.Description}, {"impact", f.impact, f.impactFile, limitImpact, &p.ImpactDescription}} {
		s, given, err := readText(e, t.name, t.inline, t.file, t.lim)
		if err != nil {
			return p, false, err
		}
		if given || isSet(fs, t.name) {
			*t.dst = &s
		}
	}
	return p, p != (vmt.ReportPatch{}), nil
}

func reportEdit(ctx context.Context, e *env, args []string) error {
	var af apiFlags
	fs := reportFlags(e, "edit", reportEditUse, &af)
	var ef editFlags
	ef.register(fs)
	id, _, err := reportArgs(fs, args, 1, "edit", reportEditUse)
	if err != nil {
		return err
	}
	p, changed, err := ef.patch(e, fs)
	if err != nil {
		return err
	}
	if !changed {
		return usagef("nothing to change: give at least one field flag (see vmt report edit -h)")
	}
	c, err := af.client(e)
	if err != nil {
		return err
	}
	v, err := c.UpdateReport(ctx, id, p)
	if err != nil {
		return err
	}
	return reportOut(e, &af, v)
}
