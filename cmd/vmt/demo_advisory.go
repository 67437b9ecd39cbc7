package main

import "github.com/vmtproject/vmt"

// facts records what the coordinator learns in triage: the affected
// components and versions, which the advisory is later drafted from.
func (d *demo) facts(by string, components []string, versions string) step {
	return func(id int64) error {
		_, err := d.svc.UpdateReport(d.ctx, d.as(by), id, vmt.ReportPatch{Components: &components, AffectedVersions: &versions})
		return err
	}
}

// advisoryFromReport is the report page's advisory step: the coordinator
// drafts the KCSA from the report, writes only what needs judgment (the
// summary and a CVSS vector), makes it final and publishes it (the report
// is public already).
func (d *demo) advisoryFromReport(by, summary, vector string) step {
	return func(id int64) error {
		a := d.as(by)
		// The draft made when the report entered Triaged, else a new one.
		docs, err := d.svc.ReportAdvisories(d.ctx, a, id)
		if err != nil {
			return err
		}
		var doc *vmt.Advisory
		for _, x := range docs {
			if x.State == vmt.AdvisoryDraft {
				doc = x
			}
		}
		if doc == nil {
			if doc, err = d.svc.DraftAdvisoryFromReport(d.ctx, a, id); err != nil {
				return err
			}
		}
		doc.Summary, doc.CVSS = summary, []string{vector}
		if doc, err = d.svc.UpdateAdvisory(d.ctx, a, doc.RecordID, *doc); err != nil {
			return err
		}
		if _, err := d.svc.EmbargoAdvisory(d.ctx, a, doc.RecordID); err != nil {
			return err
		}
		_, err = d.svc.PublishAdvisory(d.ctx, a, doc.RecordID)
		return err
	}
}
