package sqldb

import (
	"encoding/json"
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
}

// parseQuery cuts q into groups of words at white space, and each group
// into words at anything that is neither a letter, a digit nor a mark.
func parseQuery(q string) searchQuery {
	var sq searchQuery
	for _, field := range strings.Fields(q) {
		words := strings.FieldsFunc(field, func(c rune) bool {
			return !unicode.IsLetter(c) && !unicode.IsDigit(c) && !unicode.IsMark(c)
		})
		if len(words) > 0 {
			sq.groups = append(sq.groups, words)
		}
	}
	if n := len(sq.groups); n > 0 {
		last := sq.groups[n-1]
		// A query that ends with punctuation ("parser.") has finished
		// its last word.
		sq.prefix = utf8.RuneCountInString(last[len(last)-1]) >= minPrefix && endsInWord(q)
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
// included, apply to the matches and to their count alike. It works in two
// bounded steps (see vmt.MaxSearchMatches): the ids of the newest matches
// the viewer may see, read newest first from the index until there are
// enough, then the page of those ranked best match first. Ranking and
// counting every match cost a few microseconds each, which a word found in
// most of 100,000 reports turned into a third of a second.
func (t *tx) searchReports(f vmt.ReportFilter) ([]*vmt.Report, int, error) {
	sq := parseQuery(f.Query)
	if len(sq.groups) == 0 {
		return []*vmt.Report{}, 0, nil
	}
	ids, err := t.searchCandidates(sq, f)
	if err != nil {
		return nil, 0, wrap("search reports", err)
	}
	n := len(ids)
	// The one beyond the bound only tells that there are more.
	ids = ids[:min(n, vmt.MaxSearchMatches)]
	if len(ids) == 0 || f.Offset >= len(ids) {
		return []*vmt.Report{}, n, nil
	}
	rs, err := t.rankCandidates(sq, f, ids)
	if err != nil {
		return nil, 0, wrap("rank search results", err)
	}
	return rs, n, nil
}

// searchCandidates returns the ids of the newest vmt.MaxSearchMatches+1
// reports that match sq and f and that f.Viewer may see, newest first.
func (t *tx) searchCandidates(sq searchQuery, f vmt.ReportFilter) ([]int64, error) {
	if t.db.d.name == Postgres {
		q, args := pgSearchCandidates(sq, f)
		return list(t, scanID, q, args...)
	}
	w := filterWhere(f, true)
	// The index yields its matches by rowid, newest first, and the walk
	// stops once the limit is reached.
	w.conds = append(w.conds, `reports_fts MATCH `+w.arg(sq.fts5()))
	q := `SELECT r.id FROM reports_fts JOIN reports r ON r.id = reports_fts.rowid` + w.sql() +
		` ORDER BY reports_fts.rowid DESC LIMIT ` + w.arg(vmt.MaxSearchMatches+1)
	return list(t, scanID, q, w.args...)
}

// pgSearchCandidates is the statement of searchCandidates on PostgreSQL,
// and its arguments. Whether to walk the table newest first until enough
// matches are found, or to collect every match from the GIN index and sort
// them, depends on how many reports match and how many of those the viewer
// may see: for a common word and a reporter, who sees one report in ten,
// the walk took 13 ms and the sort 67; for a prefix that a thousand of
// their reports match, the walk read the whole table (139 ms) and the sort
// 11 ms. So that PostgreSQL can tell:
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
func pgSearchCandidates(sq searchQuery, f vmt.ReportFilter) (string, []any) {
	w := fieldWhere(f)
	w.conds = append(w.conds, `r.search @@ to_tsquery('simple', `+w.arg(sq.tsquery())+`)`)
	limit := w.arg(vmt.MaxSearchMatches + 1)
	common := w.conds
	sel := func(conds ...string) string {
		return `SELECT r.id FROM reports r WHERE ` + strings.Join(append(slices.Clone(common), conds...), " AND ") +
			` ORDER BY r.id DESC LIMIT ` + limit
	}
	var q string
	if v := f.Viewer; v.Admin || v.UserID == 0 {
		q = sel(w.viewerTerms(v, termsIn)...)
	} else {
		uid := w.arg(v.UserID)
		member := w.vmtMember(uid)
		all := w.viewerTerms(v, termsPage)
		var arms []string
		for _, term := range w.viewerTerms(v, termsNoProjects) {
			arms = append(arms, "("+sel(term)+")")
		}
		// Exactly one branch yields rows; the outer ORDER BY keeps its
		// order, which UNION ALL does not promise.
		q = `SELECT id FROM ((` + sel(member, `(`+strings.Join(all, "\n\t\tOR ")+`)`) + `)
			UNION ALL
			(SELECT id FROM (` + strings.Join(arms, "\n\t\tUNION ") + `) v
			WHERE NOT ` + member + ` ORDER BY id DESC LIMIT ` + limit + `)) c ORDER BY id DESC`
	}
	return q, append([]any{pgx.QueryExecModeExec}, w.args...)
}

// rankCandidates returns the page f asks for of the reports ids (newest
// first), best match first, then newest.
func (t *tx) rankCandidates(sq searchQuery, f vmt.ReportFilter, ids []int64) ([]*vmt.Report, error) {
	b, _ := json.Marshal(ids) // a slice of integers always marshals
	w := &where{}
	var q string
	if t.db.d.name == Postgres {
		q = `SELECT ` + reportCols + ` FROM reports r
			WHERE r.id IN (SELECT value::bigint FROM json_array_elements_text(` + w.arg(string(b)) + `::json))
			ORDER BY ts_rank(r.search, to_tsquery('simple', ` + w.arg(sq.tsquery()) + `)) DESC`
	} else {
		// bm25 is smaller for better matches; its weights follow the
		// columns: title, description, components, cves,
		// impact_description. The rowid bound keeps the index to the
		// candidates' range.
		q = `SELECT ` + reportCols + ` FROM reports r JOIN (SELECT rowid AS fts_id,
				bm25(reports_fts, 10.0, 1.0, 5.0, 10.0, 2.0) AS fts_rank FROM reports_fts
				WHERE reports_fts MATCH ` + w.arg(sq.fts5()) + ` AND rowid >= ` + w.arg(ids[len(ids)-1]) + `) m
			ON m.fts_id = r.id
			WHERE r.id IN (SELECT value FROM json_each(` + w.arg(string(b)) + `))
			ORDER BY m.fts_rank`
	}
	limit := int64(f.Limit)
	if limit <= 0 {
		limit = math.MaxInt64
	}
	q += `, created_at DESC, id DESC LIMIT ` + w.arg(limit) + ` OFFSET ` + w.arg(max(f.Offset, 0))
	return list(t, scanReport, q, w.args...)
}
