package sqldb

import (
	"math"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/vmtproject/vmt"
)

// Full-text search. The user's words never reach either engine's query
// syntax: the query is cut into terms (runs of letters and digits, as
// SQLite's unicode61 tokenizer and the punctuation-stripped PostgreSQL
// vector cut the text), and the engine's query is written from those terms
// alone. Operators (OR, NOT, NEAR, -, *, quotes, parentheses) are therefore
// plain punctuation or plain words, and a query with no term matches
// nothing rather than everything.

// minPrefix is the length from which the last word of a query also
// matches as a prefix, so that "overfl" finds "overflow"; a shorter prefix
// would match most reports and rank none.
const minPrefix = 3

// searchQuery is a parsed query: groups of words that were joined by
// punctuation in the query ("CVE-2025-1234", "net/http") and must be
// adjacent in the text, all of which must match.
type searchQuery struct {
	groups [][]string
	prefix bool // the last word of the last group matches as a prefix
	// The identifiers the query names (see vmt.ParseSearchID): each is a
	// group matched whole, never as a prefix; a report carrying one of
	// these CVE ids, or of these numbers, ranks first.
	cves     []string
	reports  []int64
	numbered []bool // per group: it names a report by number
}

// parseQuery cuts q into groups of words at white space, and each group
// into words at anything that is neither a letter, a digit nor a mark.
func parseQuery(q string) searchQuery {
	var sq searchQuery
	lastID := false
	for _, field := range strings.Fields(q) {
		words := strings.FieldsFunc(field, func(c rune) bool {
			return !unicode.IsLetter(c) && !unicode.IsDigit(c) && !unicode.IsMark(c)
		})
		if len(words) == 0 {
			continue
		}
		sq.groups = append(sq.groups, words)
		id, isID := vmt.ParseSearchID(field)
		lastID = isID
		sq.numbered = append(sq.numbered, isID && id.Kind == vmt.SearchReport)
		switch {
		case !isID:
		case id.Kind == vmt.SearchCVE:
			sq.cves = append(sq.cves, id.ID)
		case id.Kind == vmt.SearchReport:
			sq.reports = append(sq.reports, id.Report)
		}
	}
	if n := len(sq.groups); n > 0 {
		last := sq.groups[n-1]
		// A query that ends with punctuation ("parser.") has finished
		// its last word, and so has one that ends with an id.
		sq.prefix = utf8.RuneCountInString(last[len(last)-1]) >= minPrefix && endsInWord(q) && !lastID
	}
	return sq
}

func endsInWord(q string) bool {
	c, _ := utf8.DecodeLastRuneInString(q)
	return unicode.IsLetter(c) || unicode.IsDigit(c) || unicode.IsMark(c)
}

// fts5 writes the query for an FTS5 MATCH: each group a quoted phrase,
// which FTS5 reads as text and never as an operator, joined by AND.
func (sq searchQuery) fts5() string {
	parts := make([]string, len(sq.groups))
	for i, g := range sq.groups {
		// Words hold no quote; doubling them anyway keeps this function
		// safe by itself.
		parts[i] = `"` + strings.ReplaceAll(strings.Join(g, " "), `"`, `""`) + `"`
	}
	if sq.prefix {
		parts[len(parts)-1] += "*"
	}
	return strings.Join(parts, " AND ")
}

// tsquery writes the query for PostgreSQL's to_tsquery: the words of a
// group joined by <-> (followed by), groups by &. Words are letters,
// digits and marks only, none of which is tsquery syntax.
func (sq searchQuery) tsquery() string {
	parts := make([]string, len(sq.groups))
	for i, g := range sq.groups {
		parts[i] = strings.Join(g, " <-> ")
	}
	if sq.prefix {
		parts[len(parts)-1] += ":*"
	}
	return strings.Join(parts, " & ")
}

// searchReports is Reports with f.Query: the other fields of f, viewer
// included, apply to the matches and to their count alike. The reports the
// query names by number come first (see numberedReports); then the newest
// vmt.MaxSearchMatches text matches the viewer may see (see
// vmt.MaxSearchMatches), ranked best match first. Ranking and counting
// every match cost a few microseconds each, which a word found in most of
// 100,000 reports turned into a third of a second.
func (t *tx) searchReports(f vmt.ReportFilter) ([]*vmt.Report, int, error) {
	sq := parseQuery(f.Query)
	if len(sq.groups) == 0 {
		return []*vmt.Report{}, 0, nil
	}
	numbered, err := t.numberedReports(sq, f)
	if err != nil {
		return nil, 0, wrap("search reports by number", err)
	}
	offset, limit := max(f.Offset, 0), f.Limit
	page := []*vmt.Report{}
	if offset < len(numbered) {
		page = numbered[offset:]
		if limit > 0 && len(page) > limit {
			page = page[:limit]
		}
	}
	exclude := make([]int64, len(numbered))
	for i, r := range numbered {
		exclude[i] = r.ID
	}
	// The text matches after the numbered reports; at least one row is
	// read, which carries their count.
	rest := searchPage{offset: int64(max(offset-len(numbered), 0)), limit: math.MaxInt64}
	if limit > 0 {
		rest.limit = int64(max(limit-len(page), 1))
	}
	rs, n, err := t.searchMatches(sq, f, exclude, rest)
	if err != nil {
		return nil, 0, wrap("search reports", err)
	}
	if limit <= 0 || len(page) < limit {
		page = append(page, rs...)
	}
	return page, len(numbered) + n, nil
}

// searchPage is the part of the ranked matches to read.
type searchPage struct{ offset, limit int64 }

// searchMatches returns p of the text matches of sq, f and f.Viewer that
// exclude does not hold, ranked, and the count of all of them (at most
// vmt.MaxSearchMatches+1). It is one statement, in which the full-text
// index is read once: the newest vmt.MaxSearchMatches+1 matches the viewer
// may see, with their rank on SQLite; then the first vmt.MaxSearchMatches
// of those ranked, joined to their rows. A page past the last match reads
// no row, and then the count is read on its own.
func (t *tx) searchMatches(sq searchQuery, f vmt.ReportFilter, exclude []int64, p searchPage) ([]*vmt.Report, int, error) {
	q, args := t.searchStatement(sq, f, exclude, &p)
	n := 0
	rs, err := list(t, func(s scanner) (*vmt.Report, error) { return scanReport(withCount{s, &n}) }, q, args...)
	if err != nil || len(rs) > 0 || p.offset == 0 {
		// With no offset, no row means no match.
		return rs, n, err
	}
	q, args = t.searchStatement(sq, f, exclude, nil)
	err = t.queryRow(q, args...).Scan(&n)
	return rs, n, err
}

// withCount is a row of reportCols followed by a count.
type withCount struct {
	s scanner
	n *int
}

func (w withCount) Scan(dest ...any) error { return w.s.Scan(append(dest, w.n)...) }

// searchStatement writes the statement of searchMatches, or with no page
// the count of the candidates alone. The candidates carry what they are
// ordered by (rank, smaller is better; whether they carry a CVE id the
// query names; age), so that they are sorted and cut to the page before
// the page's rows are read: sorting a thousand whole rows cost more than
// finding them.
func (t *tx) searchStatement(sq searchQuery, f vmt.ReportFilter, exclude []int64, p *searchPage) (string, []any) {
	pg := t.db.d.name == Postgres
	var w *where
	var cand string
	if pg {
		w = fieldWhere(f)
		w.notIn(exclude)
		cand = pgSearchCandidates(w, sq, f)
		if p != nil {
			// ts_rank is larger for better matches.
			cand = `SELECT c.id, r.created_at, -ts_rank(r.search, to_tsquery('simple', ` + w.arg(sq.tsquery()) + `)) AS fts_rank, ` +
				sq.carrier(w, pg) + ` AS carrier FROM (` + cand + `) c JOIN reports r ON r.id = c.id`
		}
	} else {
		w = filterWhere(f, true)
		w.notIn(exclude)
		// The index yields its matches by rowid, newest first, and the
		// walk stops once the limit is reached. bm25 is smaller for
		// better matches; its weights follow the columns: title,
		// description, components, cves, impact_description.
		w.conds = append(w.conds, `reports_fts MATCH `+w.arg(sq.fts5()))
		cols := `r.id AS id`
		if p != nil {
			cols += `, r.created_at AS created_at, bm25(reports_fts, 10.0, 1.0, 5.0, 10.0, 2.0) AS fts_rank, ` +
				sq.carrier(w, pg) + ` AS carrier`
		}
		cand = `SELECT ` + cols + ` FROM reports_fts JOIN reports r ON r.id = reports_fts.rowid` + w.sql() +
			` ORDER BY reports_fts.rowid DESC LIMIT ` + w.arg(vmt.MaxSearchMatches+1)
	}
	var q string
	if p == nil {
		q = `SELECT COUNT(*) FROM (` + cand + `) c`
	} else {
		// The one beyond the bound only tells that there are more.
		order := `carrier, fts_rank, created_at DESC, id DESC`
		q = `SELECT ` + qualifiedReportCols + `, p.n FROM (
				SELECT * FROM (SELECT c.*, COUNT(*) OVER () AS n, ROW_NUMBER() OVER (ORDER BY c.id DESC) AS rn
					FROM (` + cand + `) c) m
				WHERE m.rn <= ` + w.arg(vmt.MaxSearchMatches) + `
				ORDER BY ` + order + ` LIMIT ` + w.arg(p.limit) + ` OFFSET ` + w.arg(p.offset) + `) p
			JOIN reports r ON r.id = p.id
			ORDER BY p.carrier, p.fts_rank, p.created_at DESC, p.id DESC`
	}
	if pg {
		return q, append([]any{pgx.QueryExecModeExec}, w.args...)
	}
	return q, w.args
}

// carrier is 0 for a report that carries a CVE id the query names, which
// ranks before those that only mention it, and 1 for the others.
func (sq searchQuery) carrier(w *where, pg bool) string {
	if len(sq.cves) == 0 {
		return "1"
	}
	var conds []string
	for _, id := range sq.cves {
		// r.cves is a JSON array of upper-case ids: the id in quotes is
		// one whole element.
		k := w.arg(`"` + id + `"`)
		if pg {
			conds = append(conds, `strpos(r.cves, `+k+`) > 0`)
		} else {
			conds = append(conds, `instr(r.cves, `+k+`) > 0`)
		}
	}
	return `CASE WHEN ` + strings.Join(conds, " OR ") + ` THEN 0 ELSE 1 END`
}

// numberedReports returns the reports the query names by number (#123)
// that f and f.Viewer let through, by the same rule as a list, and that
// match the rest of the query: "#123 overflow" is report 123 if it holds
// "overflow". Their number is not in their text, so the index cannot find
// them.
func (t *tx) numberedReports(sq searchQuery, f vmt.ReportFilter) ([]*vmt.Report, error) {
	if len(sq.reports) == 0 {
		return []*vmt.Report{}, nil
	}
	w := filterWhere(f, false)
	var in []string
	for _, id := range sq.reports {
		in = append(in, w.arg(id))
	}
	w.conds = append(w.conds, `r.id IN (`+strings.Join(in, ", ")+`)`)
	if rest := sq.withoutNumbers(); len(rest.groups) > 0 {
		if t.db.d.name == Postgres {
			w.conds = append(w.conds, `r.search @@ to_tsquery('simple', `+w.arg(rest.tsquery())+`)`)
		} else {
			w.conds = append(w.conds, `r.id IN (SELECT rowid FROM reports_fts WHERE reports_fts MATCH `+w.arg(rest.fts5())+`)`)
		}
	}
	return list(t, scanReport, `SELECT `+qualifiedReportCols+` FROM reports r`+w.sql()+` ORDER BY r.id DESC`, w.args...)
}

// withoutNumbers is sq without the groups that name a report by number.
func (sq searchQuery) withoutNumbers() searchQuery {
	out := searchQuery{prefix: sq.prefix, cves: sq.cves}
	for i, g := range sq.groups {
		if !sq.numbered[i] {
			out.groups = append(out.groups, g)
			out.numbered = append(out.numbered, false)
		}
	}
	return out
}

// notIn excludes the reports ids.
func (w *where) notIn(ids []int64) {
	if len(ids) == 0 {
		return
	}
	var in []string
	for _, id := range ids {
		in = append(in, w.arg(id))
	}
	w.conds = append(w.conds, `r.id NOT IN (`+strings.Join(in, ", ")+`)`)
}

// qualifiedReportCols is reportCols of the table r, for a statement that
// joins others.
var qualifiedReportCols = func() string {
	cols := strings.Split(reportCols, ",")
	for i, c := range cols {
		cols[i] = "r." + strings.TrimSpace(c)
	}
	return strings.Join(cols, ", ")
}()

// pgSearchCandidates is the statement of the candidates of a search on
// PostgreSQL: the ids of the newest vmt.MaxSearchMatches+1 reports that
// match sq and w (the conditions of f's fields) and that f.Viewer may see,
// newest first; its arguments are added to w. Whether to walk the table
// newest first until enough matches are found, or to collect every match
// from the GIN index and sort them, depends on how many reports match and
// how many of those the viewer may see: for a common word and a reporter,
// who sees one report in ten, the walk took 13 ms and the sort 67; for a
// prefix that a thousand of their reports match, the walk read the whole
// table (139 ms) and the sort 11 ms. So that PostgreSQL can tell:
//
//   - the statement is planned for its own query words each time
//     (QueryExecModeExec: an unnamed statement). A prepared statement gets
//     a generic plan after five runs, made for no words in particular,
//     which always sorted every match;
//   - a viewer who is a VMT member of no project (a reporter, a
//     stakeholder) gets each remaining term of the viewer rule as one arm
//     of a UNION, with its own plan and estimate (the public reports, with
//     indexes of their own, their own reports, those they are subscribed
//     to), rather than one OR whose subquery terms PostgreSQL guesses to
//     let most reports through. A VMT member, who sees most reports, gets
//     the OR, which PostgreSQL rightly walks. A one-time test picks the
//     branch; the other is not run.
func pgSearchCandidates(w *where, sq searchQuery, f vmt.ReportFilter) string {
	w.conds = append(w.conds, `r.search @@ to_tsquery('simple', `+w.arg(sq.tsquery())+`)`)
	limit := w.arg(vmt.MaxSearchMatches + 1)
	common := w.conds
	sel := func(conds ...string) string {
		return `SELECT r.id FROM reports r WHERE ` + strings.Join(append(slices.Clone(common), conds...), " AND ") +
			` ORDER BY r.id DESC LIMIT ` + limit
	}
	if v := f.Viewer; v.Admin || v.UserID == 0 {
		return sel(w.viewerTerms(v, termsIn)...)
	}
	uid := w.arg(f.Viewer.UserID)
	member := w.vmtMember(uid)
	all := w.viewerTerms(f.Viewer, termsPage)
	var arms []string
	for _, term := range w.viewerTerms(f.Viewer, termsNoProjects) {
		arms = append(arms, "("+sel(term)+")")
	}
	// Exactly one branch yields rows; the outer ORDER BY keeps its
	// order, which UNION ALL does not promise.
	return `SELECT id FROM ((` + sel(member, `(`+strings.Join(all, "\n\t\tOR ")+`)`) + `)
		UNION ALL
		(SELECT id FROM (` + strings.Join(arms, "\n\t\tUNION ") + `) v
		WHERE NOT ` + member + ` ORDER BY id DESC LIMIT ` + limit + `)) u ORDER BY id DESC`
}
