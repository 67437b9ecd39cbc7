package main

import (
	"github.com/vmtproject/vmt"
)

// The steps of the demo script, each done by a demo user through the
// service, so that the transition table and its guards apply as for anyone.

func (d *demo) move(by string, to vmt.Status, reason string) step {
	return func(id int64) error {
		_, err := d.svc.Transition(d.ctx, d.as(by), id, vmt.TransitionInput{To: to, Reason: reason})
		return err
	}
}

func (d *demo) classify(by, class string) step {
	return func(id int64) error { _, err := d.svc.Classify(d.ctx, d.as(by), id, class); return err }
}

func (d *demo) assign(by, to string) step {
	return func(id int64) error { _, err := d.svc.Assign(d.ctx, d.as(by), id, d.as(to).ID()); return err }
}

func (d *demo) subscribe(by, who string) step {
	return func(id int64) error { _, err := d.svc.Subscribe(d.ctx, d.as(by), id, d.as(who).ID()); return err }
}

func (d *demo) comment(by, body string) step {
	return func(id int64) error { _, err := d.svc.AddComment(d.ctx, d.as(by), id, body); return err }
}

func (d *demo) impact(by, text string) step {
	return func(id int64) error {
		_, err := d.svc.UpdateReport(d.ctx, d.as(by), id, vmt.ReportPatch{ImpactDescription: &text})
		return err
	}
}

func (d *demo) cveRequest(by string) step {
	return func(id int64) error { _, err := d.svc.RecordCVERequest(d.ctx, d.as(by), id); return err }
}

func (d *demo) cves(by string, ids ...string) step {
	return func(id int64) error {
		_, err := d.svc.UpdateReport(d.ctx, d.as(by), id, vmt.ReportPatch{CVEs: &ids})
		return err
	}
}

func (d *demo) publicize(by, reason string) step {
	return func(id int64) error { _, err := d.svc.MakePublic(d.ctx, d.as(by), id, reason); return err }
}

// publishNote writes the security note of a class B report, finalizes it,
// ends the embargo and publishes it, which closes the report (Opinion to
// Fix released).
func (d *demo) publishNote(by, title, text string) step {
	return func(id int64) error {
		a := d.as(by)
		doc, err := d.svc.DraftAdvisory(d.ctx, a, id, vmt.Advisory{Vendor: "Kata Containers", Title: title, Description: text,
			Summary: title, Mitigation: "Turn the debug console off in the configuration.",
			Affected: []vmt.Affected{{Component: "runtime", Versions: "All versions"}}})
		if err != nil {
			return err
		}
		if _, err := d.svc.EmbargoAdvisory(d.ctx, a, doc.RecordID); err != nil {
			return err
		}
		// Ending the embargo publishes the final note with it.
		_, err = d.svc.MakePublic(d.ctx, a, id, "the security note is published")
		return err
	}
}
