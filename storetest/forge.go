package storetest

import (
	"testing"

	"github.com/vmtproject/vmt"
)

// testForge: forge settings are absent until set, then replaced; a
// report's issue is found by report and by its project's number, replaced
// by a new link, and one number follows one report of a project (another
// project may have the same number); a delivery is recorded once per
// project.
func testForge(t *testing.T, st vmt.Store) {
	var p, q *vmt.Project
	var r1, r2, r3 *vmt.Report
	update(t, st, func(tx vmt.Tx) error {
		p, q = mkProject(t, tx, "p"), mkProject(t, tx, "q")
		rep := mkUser(t, tx, "rep@example.org", vmt.RoleReporter)
		r1, r2 = mkReport(t, tx, p.ID, rep.ID, vmt.Public, at(1)), mkReport(t, tx, p.ID, rep.ID, vmt.Public, at(2))
		r3 = mkReport(t, tx, q.ID, rep.ID, vmt.Public, at(3))
		_, err := tx.ForgeSettings(p.ID)
		wantCode(t, "ForgeSettings before any", err, vmt.ENOTFOUND)
		f := &vmt.ForgeSettings{ProjectID: p.ID, Enabled: true, Owner: "kata-containers", Repo: "kata-containers",
			AppID: 12, InstallationID: 34, PrivateKeyRef: "file:/etc/vmt/app.pem", WebhookSecretRef: "env:HOOK",
			Endpoint: "https://api.github.com/"}
		must(t, tx.SetForgeSettings(f))
		got, err := tx.ForgeSettings(p.ID)
		must(t, err)
		same(t, "ForgeSettings", got, f)
		tok := &vmt.ForgeSettings{ProjectID: p.ID, Owner: "o", Repo: "r", TokenRef: "env:GH_TOKEN"}
		must(t, tx.SetForgeSettings(tok))
		got, err = tx.ForgeSettings(p.ID)
		must(t, err)
		same(t, "ForgeSettings replaced", got, tok)
		_, err = tx.ForgeSettings(q.ID)
		wantCode(t, "another project's ForgeSettings", err, vmt.ENOTFOUND)
		return nil
	})
	i1 := &vmt.ForgeIssue{ReportID: r1.ID, ProjectID: p.ID, Number: 7, URL: "https://github.com/o/r/issues/7", LinkedAt: at(4)}
	update(t, st, func(tx vmt.Tx) error {
		_, err := tx.ForgeIssue(r1.ID)
		wantCode(t, "ForgeIssue before any", err, vmt.ENOTFOUND)
		must(t, tx.SetForgeIssue(i1))
		got, err := tx.ForgeIssue(r1.ID)
		must(t, err)
		same(t, "ForgeIssue", got, i1)
		got, err = tx.ForgeIssueByNumber(p.ID, 7)
		must(t, err)
		same(t, "ForgeIssueByNumber", got, i1)
		_, err = tx.ForgeIssueByNumber(q.ID, 7)
		wantCode(t, "another project's issue 7", err, vmt.ENOTFOUND)
		wantCode(t, "issue 7 for a second report", tx.SetForgeIssue(&vmt.ForgeIssue{ReportID: r2.ID, ProjectID: p.ID, Number: 7,
			URL: "u", LinkedAt: at(5)}), vmt.ECONFLICT)
		must(t, tx.SetForgeIssue(&vmt.ForgeIssue{ReportID: r3.ID, ProjectID: q.ID, Number: 7, URL: "u", LinkedAt: at(5)}))
		return nil
	})
	update(t, st, func(tx vmt.Tx) error {
		_, err := tx.ForgeIssue(r2.ID)
		wantCode(t, "the refused link", err, vmt.ENOTFOUND)
		moved := *i1
		moved.Number, moved.LinkedAt = 8, at(6)
		must(t, tx.SetForgeIssue(&moved))
		got, err := tx.ForgeIssue(r1.ID)
		must(t, err)
		same(t, "ForgeIssue relinked", got, &moved)
		_, err = tx.ForgeIssueByNumber(p.ID, 7)
		wantCode(t, "the old number", err, vmt.ENOTFOUND)
		must(t, tx.RecordForgeDelivery(p.ID, "d-1", at(7)))
		wantCode(t, "a delivery twice", tx.RecordForgeDelivery(p.ID, "d-1", at(8)), vmt.ECONFLICT)
		must(t, tx.RecordForgeDelivery(q.ID, "d-1", at(8)))
		return nil
	})
}
