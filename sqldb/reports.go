package sqldb

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/vmtproject/vmt"
)

const reportCols = `id, project_id, title, description, reporter_id, coordinator_id, visibility, status,
	class, components, affected_versions, credit, cves, hardening, impact_description, reporter_terms,
	never_disclose, disclosure_at, cve_requested_at, notice_sent_at, reminder, created_at, updated_at,
	requested_disclosure_at, terms_override, embargo_raised_at, status_since, stage_reminded_at, stage_escalated_at, affected,
	possible_leak_at, possible_leak_branch, possible_leak_commit, duplicate_of`

func scanReport(s scanner) (*vmt.Report, error) {
	r := &vmt.Report{}
	var components []string
	var versions, affected, leakBranch, leakCommit string
	var leakAt *time.Time
	err := s.Scan(&r.ID, &r.ProjectID, &r.Title, &r.Description, &r.ReporterID, idCol{&r.CoordinatorID},
		&r.Visibility, &r.Status, &r.Class, listCol{&components}, &versions, &r.Credit,
		listCol{&r.CVEs}, &r.Hardening, &r.ImpactDescription, &r.ReporterTerms, listCol{&r.NeverDisclose},
		nullTimeCol{&r.DisclosureAt}, nullTimeCol{&r.CVERequestedAt}, nullTimeCol{&r.NoticeSentAt},
		&r.Reminder, timeCol{&r.CreatedAt}, timeCol{&r.UpdatedAt},
		nullTimeCol{&r.RequestedDisclosureAt}, overrideCol{&r.TermsOverride}, nullTimeCol{&r.EmbargoRaisedAt},
		timeCol{&r.StatusSince}, nullTimeCol{&r.StageRemindedAt}, nullTimeCol{&r.StageEscalatedAt}, &affected,
		nullTimeCol{&leakAt}, &leakBranch, &leakCommit, idCol{&r.DuplicateOf})
	if err != nil {
		return nil, err
	}
	if leakAt != nil {
		r.PossibleLeak = &vmt.PossibleLeak{At: *leakAt, Branch: leakBranch, Commit: leakCommit}
	}
	r.Affected, err = affectedRecord(affected, components, versions)
	return r, err
}

// affectedRecord reads a report's record: the affected column, or for a
// report stored before it, its components each with the versions text.
func affectedRecord(affected string, components []string, versions string) ([]vmt.AffectedEntry, error) {
	if affected == "" {
		return vmt.AffectedOf(components, vmt.NormalVersions(versions)), nil
	}
	out := []vmt.AffectedEntry{}
	if err := json.Unmarshal([]byte(affected), &out); err != nil {
		return nil, fmt.Errorf("report's affected column: %w", err)
	}
	return out, nil
}

// affectedJSON is the stored form of a report's record.
func affectedJSON(rec []vmt.AffectedEntry) string {
	if len(rec) == 0 {
		return "[]"
	}
	b, _ := json.Marshal(rec) // plain strings always marshal
	return string(b)
}

// reportArgs are the values of every column but id, in reportCols order.
func reportArgs(r *vmt.Report) []any {
	return append([]any{r.ProjectID, r.Title, r.Description, r.ReporterID, nullID(r.CoordinatorID),
		r.Visibility, r.Status, r.Class, jsonList(r.Components()), r.AffectedVersions(), r.Credit,
		jsonList(r.CVEs), r.Hardening, r.ImpactDescription, r.ReporterTerms, jsonList(r.NeverDisclose),
		nullMicros(r.DisclosureAt), nullMicros(r.CVERequestedAt), nullMicros(r.NoticeSentAt),
		r.Reminder, micros(r.CreatedAt), micros(r.UpdatedAt),
		nullMicros(r.RequestedDisclosureAt), overrideJSON(r.TermsOverride), nullMicros(r.EmbargoRaisedAt),
		micros(r.StatusSince), nullMicros(r.StageRemindedAt), nullMicros(r.StageEscalatedAt), affectedJSON(r.Affected)}, append(leakArgs(r.PossibleLeak), nullID(r.DuplicateOf))...)
}

// leakArgs are the three columns of a report's possible leak.
func leakArgs(l *vmt.PossibleLeak) []any {
	if l == nil {
		return []any{nil, "", ""}
	}
	return []any{micros(l.At), l.Branch, l.Commit}
}

// CreateReport stores r and sets its id, and its StatusSince to its
// creation when unset.
func (t *tx) CreateReport(r *vmt.Report) error {
	if r.StatusSince.IsZero() {
		r.StatusSince = r.CreatedAt
	}
	err := t.queryRow(`INSERT INTO reports (`+reportCols[len("id, "):]+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19,
		$20, $21, $22, $23, $24, $25, $26, $27, $28, $29, $30, $31, $32, $33) RETURNING id`, reportArgs(r)...).Scan(&r.ID)
	if err != nil {
		return wrap("create report", err)
	}
	return nil
}

// Report returns report id, or ENOTFOUND. It does not check who may see it:
// the service does.
func (t *tx) Report(id int64) (*vmt.Report, error) {
	r, err := scanReport(t.queryRow(`SELECT `+reportCols+` FROM reports WHERE id = $1`+t.forUpdate, id))
	if err := one("get report", "report", err); err != nil {
		return nil, err
	}
	return r, nil
}

// ReportFor returns report id with userID's project role and subscription,
// or ENOTFOUND. Like Report, it decides nothing: the service does.
func (t *tx) ReportFor(id, userID int64) (*vmt.Report, vmt.Grants, error) {
	var g vmt.Grants
	row := t.queryRow(`SELECT `+reportCols+`,
		COALESCE((SELECT m.role FROM project_members m WHERE m.project_id = reports.project_id AND m.user_id = $2), ''),
		EXISTS (SELECT 1 FROM subscriptions s WHERE s.report_id = reports.id AND s.user_id = $2)
		FROM reports WHERE id = $1`+t.forUpdate, id, userID)
	r, err := scanReport(extraCols{row, []any{&g.MemberRole, &g.Subscribed}})
	if err := one("get report", "report", err); err != nil {
		return nil, g, err
	}
	return r, g, nil
}

// extraCols scans columns after those a scan function knows.
type extraCols struct {
	s     scanner
	extra []any
}

func (e extraCols) Scan(dst ...any) error { return e.s.Scan(append(dst, e.extra...)...) }

// UpdateReport stores every field of r but its id and StatusSince. When
// the status changes, the store sets StatusSince to r.UpdatedAt and clears
// the stage timers' marks (so that no caller can forget to restart them);
// otherwise it keeps StatusSince and stores the marks given. It sets the
// three on r. ENOTFOUND if r is not stored.
func (t *tx) UpdateReport(r *vmt.Report) error {
	args := reportArgs(r)
	args = append(args[:25], args[26:]...) // status_since is the store's
	err := t.queryRow(`UPDATE reports SET project_id = $1, title = $2, description = $3, reporter_id = $4,
		coordinator_id = $5, visibility = $6, status = $7, class = $8, components = $9,
		affected_versions = $10, credit = $11, cves = $12, hardening = $13, impact_description = $14,
		reporter_terms = $15, never_disclose = $16, disclosure_at = $17, cve_requested_at = $18,
		notice_sent_at = $19, reminder = $20, created_at = $21, updated_at = $22,
		requested_disclosure_at = $23, terms_override = $24, embargo_raised_at = $25,
		status_since = CASE WHEN status = $7 THEN status_since ELSE $22 END,
		stage_reminded_at = CASE WHEN status = $7 THEN CAST($26 AS BIGINT) ELSE NULL END,
		stage_escalated_at = CASE WHEN status = $7 THEN CAST($27 AS BIGINT) ELSE NULL END,
		affected = $28, possible_leak_at = $29, possible_leak_branch = $30, possible_leak_commit = $31,
		duplicate_of = $32
		WHERE id = $33 RETURNING status_since, stage_reminded_at, stage_escalated_at`, append(args, r.ID)...).
		Scan(timeCol{&r.StatusSince}, nullTimeCol{&r.StageRemindedAt}, nullTimeCol{&r.StageEscalatedAt})
	return one("update report", "report", err)
}

// Reports returns one page of the reports f.Viewer may see that match f,
// newest first (best match first with f.Query, see search.go), and the
// count of all that match. A zero f.Limit means no limit.
func (t *tx) Reports(f vmt.ReportFilter) ([]*vmt.Report, int, error) {
	if strings.TrimSpace(f.Query) != "" {
		return t.searchReports(f)
	}
	var n int
	c := filterWhere(f, false)
	if err := t.queryRow(`SELECT COUNT(*) FROM reports r`+c.sql(), c.args...).Scan(&n); err != nil {
		return nil, 0, wrap("count reports", err)
	}
	limit := int64(f.Limit)
	if limit <= 0 {
		limit = math.MaxInt64
	}
	w := filterWhere(f, true)
	q := `SELECT ` + reportCols + ` FROM reports r` + w.sql() +
		` ORDER BY created_at DESC, id DESC LIMIT ` + w.arg(limit) + ` OFFSET ` + w.arg(max(f.Offset, 0))
	rs, err := list(t, scanReport, q, w.args...)
	if err != nil {
		return nil, 0, wrap("list reports", err)
	}
	return rs, n, nil
}

// CountByStatus counts the visible reports matching f, by status.
func (t *tx) CountByStatus(f vmt.ReportFilter) (map[vmt.Status]int, error) {
	f.Status, f.Query = "", ""
	w := filterWhere(f, false)
	type count struct {
		st vmt.Status
		n  int
	}
	cs, err := list(t, func(s scanner) (count, error) {
		var c count
		err := s.Scan(&c.st, &c.n)
		return c, err
	}, `SELECT r.status, COUNT(*) FROM reports r`+w.sql()+` GROUP BY r.status`, w.args...)
	if err != nil {
		return nil, wrap("count reports by status", err)
	}
	out := map[vmt.Status]int{}
	for _, c := range cs {
		out[c.st] = c.n
	}
	return out, nil
}

// filterWhere is the WHERE clause of f but its query; forPage writes the
// viewer rule for a statement that reads a page newest first (see
// visibleTo).
func filterWhere(f vmt.ReportFilter, forPage bool) *where {
	w := fieldWhere(f)
	w.visibleTo(f.Viewer, forPage)
	return w
}

// fieldWhere is the WHERE clause of f's fields, without its query and
// without its viewer: only for a statement that adds the viewer rule
// itself (see searchCandidates).
func fieldWhere(f vmt.ReportFilter) *where {
	w := &where{}
	w.eq("project_id", f.ProjectID, f.ProjectID != 0)
	w.eq("status", f.Status, f.Status != "")
	w.eq("class", f.Class, f.Class != "")
	w.eq("visibility", f.Visibility, f.Visibility != "")
	w.eq("coordinator_id", f.CoordinatorID, f.CoordinatorID != 0)
	w.eq("reporter_id", f.ReporterID, f.ReporterID != 0)
	if f.Overdue {
		w.conds = append(w.conds, "visibility = 'private' AND (embargo_raised_at IS NOT NULL OR stage_reminded_at IS NOT NULL)")
	}
	return w
}

// where builds a WHERE clause with numbered placeholders.
type where struct {
	conds []string
	args  []any
}

// arg adds v to the arguments and returns its placeholder.
func (w *where) arg(v any) string {
	w.args = append(w.args, v)
	return "$" + strconv.Itoa(len(w.args))
}

// list adds vs to the arguments and returns their placeholders, comma
// separated.
func (w *where) list(vs []string) string {
	ps := make([]string, len(vs))
	for i, v := range vs {
		ps[i] = w.arg(v)
	}
	return strings.Join(ps, ", ")
}

func (w *where) eq(col string, v any, on bool) {
	if on {
		w.conds = append(w.conds, col+" = "+w.arg(v))
	}
}

// visibleTo is vmt.Access.CanView in SQL, as one condition: the OR of
// viewerTerms (see there for the rule). forPage writes the terms for a
// statement that reads a page newest first (see termsPage).
func (w *where) visibleTo(v vmt.Viewer, forPage bool) {
	form := termsIn
	if forPage {
		form = termsPage
	}
	if terms := w.viewerTerms(v, form); terms != nil {
		w.conds = append(w.conds, "("+strings.Join(terms, "\n\t\tOR ")+")")
	}
}

func (w *where) sql() string {
	if len(w.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(w.conds, " AND ")
}
