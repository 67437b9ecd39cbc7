package storetest

import (
	"strings"
	"testing"

	"github.com/vmtproject/vmt"
)

// testFixes: versions count per report and branch, every field round-trips,
// review and merge fields change and the upload does not, and another
// report's fixes are not listed.
func testFixes(t *testing.T, st vmt.Store) {
	var r, other *vmt.Report
	var dev, rev *vmt.User
	var first, second, stable, link *vmt.Fix
	update(t, st, func(tx vmt.Tx) error {
		p := mkProject(t, tx, "p")
		dev, rev = mkUser(t, tx, "dev@example.org", vmt.RoleReporter), mkUser(t, tx, "rev@example.org", vmt.RoleVMT)
		r = mkReport(t, tx, p.ID, dev.ID, vmt.Private, t0)
		other = mkReport(t, tx, p.ID, dev.ID, vmt.Public, t0)
		first = &vmt.Fix{ReportID: r.ID, Branch: "master", Series: "From 1\n", Subjects: []string{"a: fix", "b: fix"},
			UploadedBy: dev.ID, CreatedAt: at(1), BaseCommit: strings.Repeat("ab", 20)}
		second = &vmt.Fix{ReportID: r.ID, Branch: "master", Series: "From 2\n", Subjects: []string{"a: fix v2"},
			UploadedBy: dev.ID, CreatedAt: at(2), Review: vmt.ReviewApproved, ReviewedBy: rev.ID,
			ReviewedAt: ptr(at(3)), ReviewNote: "ok", Merge: vmt.MergePartial, MergeCommit: "abc",
			MergeError: "", MergeCheckedAt: ptr(at(4))}
		stable = &vmt.Fix{ReportID: r.ID, Branch: "stable/1.0", Series: "From 3\n", Subjects: []string{},
			UploadedBy: dev.ID, CreatedAt: at(5)}
		link = &vmt.Fix{ReportID: other.ID, Branch: "master", URL: "https://example.org/pr/1", Subjects: []string{},
			UploadedBy: dev.ID, CreatedAt: at(6)}
		for _, f := range []*vmt.Fix{first, second, stable, link} {
			must(t, tx.CreateFix(f))
		}
		return nil
	})
	if first.Version != 1 || second.Version != 2 || stable.Version != 1 || link.Version != 1 {
		t.Errorf("versions %d %d %d %d, want 1 2 1 1", first.Version, second.Version, stable.Version, link.Version)
	}
	if first.Review != vmt.ReviewPending {
		t.Errorf("a new fix's review is %q, want pending", first.Review)
	}
	if first.SeriesBytes != len("From 1\n") || link.SeriesBytes != 0 {
		t.Errorf("CreateFix set SeriesBytes %d and %d, want 7 and 0", first.SeriesBytes, link.SeriesBytes)
	}
	view(t, st, func(tx vmt.Tx) error {
		// Lists and reads of one fix come without the series; FixSeries
		// alone reads its bytes.
		got, err := tx.Fixes(r.ID)
		must(t, err)
		same(t, "Fixes", got, []*vmt.Fix{bodiless(first), bodiless(second), bodiless(stable)})
		got1, err := tx.Fix(second.ID)
		must(t, err)
		same(t, "Fix", got1, bodiless(second))
		for _, f := range []*vmt.Fix{first, second, stable, link} {
			series, err := tx.FixSeries(f.ID)
			must(t, err)
			if series != f.Series {
				t.Errorf("FixSeries(%d) = %q, want %q", f.ID, series, f.Series)
			}
		}
		_, err = tx.FixSeries(link.ID + 100)
		wantCode(t, "FixSeries of a missing id", err, vmt.ENOTFOUND)
		_, err = tx.Fix(link.ID + 100)
		wantCode(t, "Fix of a missing id", err, vmt.ENOTFOUND)
		none, err := tx.Fixes(other.ID + 100)
		must(t, err)
		same(t, "Fixes of a report without fixes", none, []*vmt.Fix{})
		return nil
	})

	// Review and merge fields change, back to empty included; the upload stays.
	changed := *second
	changed.Series, changed.Branch, changed.Subjects = "changed", "other", []string{"changed"}
	changed.Review, changed.ReviewedBy, changed.ReviewedAt, changed.ReviewNote = vmt.ReviewChangesRequested, 0, nil, ""
	changed.Merge, changed.MergeCommit, changed.MergeError, changed.MergeCheckedAt = vmt.MergeUnknown, "", "branch gone", nil
	update(t, st, func(tx vmt.Tx) error { return tx.UpdateFix(&changed) })
	want := *bodiless(second)
	want.Review, want.ReviewedBy, want.ReviewedAt, want.ReviewNote = changed.Review, 0, nil, ""
	want.Merge, want.MergeCommit, want.MergeError, want.MergeCheckedAt = "", "", "branch gone", nil
	view(t, st, func(tx vmt.Tx) error {
		got, err := tx.Fix(second.ID)
		must(t, err)
		same(t, "Fix after UpdateFix", got, &want)
		return nil
	})
	err := st.Update(t.Context(), func(tx vmt.Tx) error { return tx.UpdateFix(&vmt.Fix{ID: link.ID + 100}) })
	wantCode(t, "UpdateFix of a missing id", err, vmt.ENOTFOUND)
}

// bodiless is f as the store reads it back in lists: without its series.
func bodiless(f *vmt.Fix) *vmt.Fix {
	c := *f
	c.Series = ""
	return &c
}
