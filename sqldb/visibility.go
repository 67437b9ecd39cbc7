package sqldb

import "github.com/vmtproject/vmt"

// termsForm is how viewerTerms writes its terms, for the statement they go
// in.
type termsForm int

const (
	// termsIn: the subscriptions and the VMT projects are uncorrelated
	// IN lists, read once per statement rather than once per row.
	// Counting, SQLite answers the OR with one index per term, which at
	// 100,000 reports is several times faster than a scan (see
	// search_bench_test.go).
	termsIn termsForm = iota
	// termsPage: for a page newest first, where the plan of termsIn
	// would collect and sort every visible report, the IN terms are
	// marked with a unary + (no index for them): SQLite then walks
	// reports_created and stops after a page. PostgreSQL plans both
	// forms alike.
	termsPage
	// termsNoProjects: the terms without that of the VMT projects, for a
	// statement that holds them only where notVMTMember is true (see
	// pgSearchCandidates).
	termsNoProjects
)

// viewerTerms returns the terms of vmt.Access.CanView in SQL, or nil if v
// sees every report (an administrator): a report is visible to v if it
// meets any of them. A report is visible if it is public, or to an
// administrator, its reporter, a subscriber, or a VMT member of its
// project. Keep this and CanView in step; storetest checks they agree.
func (w *where) viewerTerms(v vmt.Viewer, form termsForm) []string {
	switch {
	case v.Admin:
		return nil
	case v.UserID == 0:
		return []string{"r.visibility = " + w.arg(vmt.Public)}
	}
	plus := ""
	if form == termsPage {
		plus = "+"
	}
	uid := w.arg(v.UserID)
	terms := []string{`r.visibility = ` + w.arg(vmt.Public), `r.reporter_id = ` + uid,
		plus + `r.id IN (SELECT s.report_id FROM subscriptions s WHERE s.user_id = ` + uid + `)`}
	if form != termsNoProjects {
		terms = append(terms, plus+`r.project_id IN (SELECT m.project_id FROM project_members m
			WHERE m.user_id = `+uid+` AND m.role = `+w.arg(vmt.MemberVMT)+`)`)
	}
	return terms
}

// vmtMember returns a condition, true if user uid (a placeholder) is a
// VMT member of any project: where it is false, the projects term of
// viewerTerms is false for every report.
func (w *where) vmtMember(uid string) string {
	return `EXISTS (SELECT 1 FROM project_members m WHERE m.user_id = ` + uid +
		` AND m.role = ` + w.arg(vmt.MemberVMT) + `)`
}
