package storetest

import (
	"testing"
	"time"

	"github.com/vmtproject/vmt"
)

func mkAdvisory(projectID, reportID int64, id vmt.AdvisoryID, state vmt.AdvisoryState, published time.Time) *vmt.Advisory {
	a := &vmt.Advisory{ID: id, ProjectID: projectID, ReportID: reportID, Kind: vmt.KindAdvisory, State: state,
		Vendor: "Kata Containers", Title: "Guest can read host files", Description: "A crafted mount escapes.",
		Affected: []vmt.Affected{{Component: "runtime", Versions: "<3.2.1",
			Ranges: []vmt.VersionRange{{Branch: "main", Introduced: "0", Fixed: "3.2.1"}}}},
		Credits: []vmt.Credit{{Name: "Ada", Type: vmt.CreditFinder}}, CVEs: []string{"CVE-2026-12345"},
		CVSS: []string{"CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:C/C:H/I:N/A:N"}}
	if state == vmt.AdvisoryPublished || state == vmt.AdvisoryWithdrawn {
		a.Published = &published
	}
	return a
}

// testAdvisories: documents round-trip whole, ids are unique per project,
// numbering counts per prefix and year, and the public listing holds only
// published and withdrawn documents.
func testAdvisories(t *testing.T, st vmt.Store) {
	var p, q *vmt.Project
	var r *vmt.Report
	var draft, embargoed, pub1, pub2, other *vmt.Advisory
	update(t, st, func(tx vmt.Tx) error {
		p, q = mkProject(t, tx, "p"), mkProject(t, tx, "q")
		u := mkUser(t, tx, "rep@example.org", vmt.RoleReporter)
		r = mkReport(t, tx, p.ID, u.ID, vmt.Private, t0)
		n, err := tx.NextAdvisoryNumber(p.ID, "KCSA", 2026)
		must(t, err)
		if n != 1 {
			t.Errorf("first number %d, want 1", n)
		}
		draft = mkAdvisory(p.ID, r.ID, vmt.AdvisoryID{}, vmt.AdvisoryDraft, t0)
		embargoed = mkAdvisory(p.ID, r.ID, vmt.NewAdvisoryID("KCSA", 2026, 1), vmt.AdvisoryEmbargoed, t0)
		pub1 = mkAdvisory(p.ID, 0, vmt.NewAdvisoryID("KCSA", 2026, 2), vmt.AdvisoryPublished, at(1))
		pub2 = mkAdvisory(p.ID, 0, vmt.AdvisoryID{Prefix: "GO", Year: 2020, Number: 1, Digits: 4}, vmt.AdvisoryWithdrawn, at(2))
		pub2.Withdrawn = ptr(at(3))
		other = mkAdvisory(q.ID, 0, vmt.NewAdvisoryID("KCSA", 2026, 1), vmt.AdvisoryPublished, at(4))
		for _, a := range []*vmt.Advisory{draft, embargoed, pub1, pub2, other} {
			must(t, tx.CreateAdvisory(a))
		}
		// A second unnumbered draft takes no id.
		must(t, tx.CreateAdvisory(mkAdvisory(p.ID, r.ID, vmt.AdvisoryID{}, vmt.AdvisoryDraft, t0)))
		n, err = tx.NextAdvisoryNumber(p.ID, "KCSA", 2026)
		must(t, err)
		if n != 3 {
			t.Errorf("next number %d, want 3", n)
		}
		n, err = tx.NextAdvisoryNumber(p.ID, "KCSN", 2026)
		must(t, err)
		if n != 1 {
			t.Errorf("first note number %d, want 1", n)
		}
		return nil
	})
	err := st.Update(t.Context(), func(tx vmt.Tx) error {
		return tx.CreateAdvisory(mkAdvisory(p.ID, 0, vmt.NewAdvisoryID("KCSA", 2026, 2), vmt.AdvisoryDraft, t0))
	})
	wantCode(t, "CreateAdvisory with a taken id", err, vmt.ECONFLICT)

	view(t, st, func(tx vmt.Tx) error {
		got, err := tx.Advisory(pub2.RecordID)
		must(t, err)
		same(t, "Advisory", got, pub2)
		got, err = tx.AdvisoryByID(p.ID, embargoed.ID)
		must(t, err)
		same(t, "AdvisoryByID", got, embargoed)
		_, err = tx.AdvisoryByID(q.ID, pub1.ID)
		wantCode(t, "AdvisoryByID in another project", err, vmt.ENOTFOUND)
		_, err = tx.Advisory(other.RecordID + 100)
		wantCode(t, "Advisory of a missing record", err, vmt.ENOTFOUND)
		of, err := tx.AdvisoriesOfReport(r.ID)
		must(t, err)
		if len(of) != 3 || of[0].RecordID != draft.RecordID || of[1].RecordID != embargoed.RecordID {
			t.Errorf("AdvisoriesOfReport: %s", show(of))
		}
		pubs, err := tx.PublicAdvisories(p.ID)
		must(t, err)
		same(t, "PublicAdvisories of p", pubs, []*vmt.Advisory{pub2, pub1})
		all, err := tx.PublicAdvisories(0)
		must(t, err)
		same(t, "PublicAdvisories of all", all, []*vmt.Advisory{other, pub2, pub1})
		return nil
	})

	// Numbering and publishing the draft: it appears in the listing.
	update(t, st, func(tx vmt.Tx) error {
		draft.ID, draft.State, draft.Published = vmt.NewAdvisoryID("KCSA", 2026, 3), vmt.AdvisoryPublished, ptr(at(5))
		must(t, tx.UpdateAdvisory(draft))
		return nil
	})
	err = st.Update(t.Context(), func(tx vmt.Tx) error {
		c := *embargoed
		c.ID = pub1.ID
		return tx.UpdateAdvisory(&c)
	})
	wantCode(t, "UpdateAdvisory to a taken id", err, vmt.ECONFLICT)
	err = st.Update(t.Context(), func(tx vmt.Tx) error {
		c := *embargoed
		c.RecordID = other.RecordID + 100
		c.ID = vmt.AdvisoryID{}
		return tx.UpdateAdvisory(&c)
	})
	wantCode(t, "UpdateAdvisory of a missing record", err, vmt.ENOTFOUND)
	view(t, st, func(tx vmt.Tx) error {
		pubs, err := tx.PublicAdvisories(p.ID)
		must(t, err)
		same(t, "PublicAdvisories after publishing", pubs, []*vmt.Advisory{draft, pub2, pub1})
		return nil
	})
}
