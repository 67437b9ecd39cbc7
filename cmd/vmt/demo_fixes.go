package main

import (
	"fmt"
	"strings"

	"github.com/vmtproject/vmt"
)

// demoFixes gives the demo's fix matrices something to show without a git
// repository (with --repo, patch series can be attached too): a pull request
// link on the public report in Fix committed, and a waiver on the private
// report In Progress, whose stable branch gets no fix.
var demoFixes = []struct {
	title string
	step  func(d *demo, id int64) error
}{
	{"Denial of service of the shim through a flood of events", func(d *demo, id int64) error {
		_, err := d.svc.AttachFix(d.ctx, d.as("victor"), id, vmt.FixInput{Branch: "main",
			URL: "https://github.com/kata-containers/kata-containers/pull/12345"})
		return err
	}},
	{"Agent leaks the sandbox's environment in its logs", func(d *demo, id int64) error {
		_, err := d.svc.WaiveFix(d.ctx, d.as("alice"), id, vmt.WaiverInput{Branch: "stable-3.2",
			Reason: "stable-3.2 logs nothing at debug level by default and reaches its end of life before the disclosure"})
		return err
	}},
}

// fixes runs demoFixes on the seeded reports, found by title.
func (d *demo) fixes() error {
	rs, _, err := d.svc.Reports(d.ctx, d.admin, vmt.ReportFilter{Limit: vmt.MaxPageSize})
	if err != nil {
		return err
	}
	for _, f := range demoFixes {
		found := false
		for _, r := range rs {
			if strings.HasPrefix(r.Title, f.title) { // its CVE ids may follow
				found = true
				if err := f.step(d, r.ID); err != nil {
					return fmt.Errorf("report %q: %w", f.title, err)
				}
			}
		}
		if !found {
			return fmt.Errorf("no demo report %q", f.title)
		}
	}
	return nil
}
