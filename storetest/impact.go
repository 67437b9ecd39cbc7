package storetest

import (
	"testing"

	"github.com/vmtproject/vmt"
)

// testImpactTemplatesCNA: approvals are kept one per approver and report
// (replaced, listed reporter first, deleted together, gone with their
// report's other approvals only); template overrides are per project and
// name, replaced, listed by name, and their removal is ENOTFOUND when
// there is none; CNA settings are absent until set, then replaced.
func testImpactTemplatesCNA(t *testing.T, st vmt.Store) {
	var p, q *vmt.Project
	var r1, r2 *vmt.Report
	var rep, com *vmt.User
	update(t, st, func(tx vmt.Tx) error {
		p, q = mkProject(t, tx, "p"), mkProject(t, tx, "q")
		rep, com = mkUser(t, tx, "rep@example.org", vmt.RoleReporter), mkUser(t, tx, "com@example.org", vmt.RoleCommittee)
		r1, r2 = mkReport(t, tx, p.ID, rep.ID, vmt.Private, at(1)), mkReport(t, tx, p.ID, rep.ID, vmt.Private, at(2))
		got, err := tx.ImpactApprovals(r1.ID)
		must(t, err)
		same(t, "ImpactApprovals before any", got, []*vmt.ImpactApproval{})
		return nil
	})
	c1 := &vmt.ImpactApproval{ReportID: r1.ID, Approver: vmt.ApproverCommittee, UserID: com.ID, TextHash: vmt.ImpactHash("a"), ApprovedAt: at(3)}
	r := &vmt.ImpactApproval{ReportID: r1.ID, Approver: vmt.ApproverReporter, UserID: rep.ID, TextHash: vmt.ImpactHash("a"), ApprovedAt: at(4)}
	other := &vmt.ImpactApproval{ReportID: r2.ID, Approver: vmt.ApproverReporter, UserID: rep.ID, TextHash: vmt.ImpactHash("b"), ApprovedAt: at(5)}
	update(t, st, func(tx vmt.Tx) error {
		must(t, tx.SetImpactApproval(c1))
		must(t, tx.SetImpactApproval(r))
		must(t, tx.SetImpactApproval(other))
		got, err := tx.ImpactApprovals(r1.ID)
		must(t, err)
		same(t, "ImpactApprovals", got, []*vmt.ImpactApproval{r, c1})
		c2 := *c1
		c2.TextHash, c2.ApprovedAt = vmt.ImpactHash("a2"), at(6)
		must(t, tx.SetImpactApproval(&c2))
		got, err = tx.ImpactApprovals(r1.ID)
		must(t, err)
		same(t, "ImpactApprovals after a replacement", got, []*vmt.ImpactApproval{r, &c2})
		must(t, tx.DeleteImpactApprovals(r1.ID))
		got, err = tx.ImpactApprovals(r1.ID)
		must(t, err)
		same(t, "ImpactApprovals after the delete", got, []*vmt.ImpactApproval{})
		got, err = tx.ImpactApprovals(r2.ID)
		must(t, err)
		same(t, "the other report's approvals", got, []*vmt.ImpactApproval{other})
		return nil
	})

	a := &vmt.ProjectTemplate{ProjectID: p.ID, Name: "kcsa", Text: "A {{.ID}}", UpdatedAt: at(7), UpdatedBy: com.ID}
	b := &vmt.ProjectTemplate{ProjectID: p.ID, Name: "impact-description", Text: "I {{.Title}}", UpdatedAt: at(8), UpdatedBy: rep.ID}
	update(t, st, func(tx vmt.Tx) error {
		must(t, tx.SetProjectTemplate(a))
		must(t, tx.SetProjectTemplate(b))
		a2 := *a
		a2.Text, a2.UpdatedAt = "A2 {{.ID}}", at(9)
		must(t, tx.SetProjectTemplate(&a2))
		got, err := tx.ProjectTemplates(p.ID)
		must(t, err)
		same(t, "ProjectTemplates", got, []*vmt.ProjectTemplate{b, &a2})
		got, err = tx.ProjectTemplates(q.ID)
		must(t, err)
		same(t, "another project's templates", got, []*vmt.ProjectTemplate{})
		wantCode(t, "DeleteProjectTemplate of another project", tx.DeleteProjectTemplate(q.ID, "kcsa"), vmt.ENOTFOUND)
		must(t, tx.DeleteProjectTemplate(p.ID, "kcsa"))
		wantCode(t, "DeleteProjectTemplate twice", tx.DeleteProjectTemplate(p.ID, "kcsa"), vmt.ENOTFOUND)
		got, err = tx.ProjectTemplates(p.ID)
		must(t, err)
		same(t, "ProjectTemplates after a reset", got, []*vmt.ProjectTemplate{b})
		return nil
	})

	update(t, st, func(tx vmt.Tx) error {
		_, err := tx.CNASettings(p.ID)
		wantCode(t, "CNASettings before any", err, vmt.ENOTFOUND)
		c := &vmt.CNASettings{ProjectID: p.ID, Enabled: true, ShortName: "kata", OrgID: "8254265b-2729-46b6-b9e3-3dfca2d5bfca",
			User: "vmt@example.org", APIKeyRef: "env:CVE_API_KEY", Endpoint: "https://cveawg.mitre.org/api"}
		must(t, tx.SetCNASettings(c))
		got, err := tx.CNASettings(p.ID)
		must(t, err)
		same(t, "CNASettings", got, c)
		off := &vmt.CNASettings{ProjectID: p.ID}
		must(t, tx.SetCNASettings(off))
		got, err = tx.CNASettings(p.ID)
		must(t, err)
		same(t, "CNASettings replaced", got, off)
		_, err = tx.CNASettings(q.ID)
		wantCode(t, "another project's CNASettings", err, vmt.ENOTFOUND)
		return nil
	})
}
