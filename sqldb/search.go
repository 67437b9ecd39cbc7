package sqldb

import (
	"math"
	"strings"
	"unicode"
	"unicode/utf8"

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
// included, apply to the matches and to their count alike.
func (t *tx) searchReports(f vmt.ReportFilter) ([]*vmt.Report, int, error) {
	sq := parseQuery(f.Query)
	if len(sq.groups) == 0 {
		return []*vmt.Report{}, 0, nil
	}
	c := filterWhere(f, false)
	from, _ := t.searchFrom(sq, c)
	var n int
	if err := t.queryRow(`SELECT COUNT(*) FROM `+from+c.sql(), c.args...).Scan(&n); err != nil {
		return nil, 0, wrap("count search results", err)
	}
	limit := int64(f.Limit)
	if limit <= 0 {
		limit = math.MaxInt64
	}
	w := filterWhere(f, true)
	from, rank := t.searchFrom(sq, w)
	q := `SELECT ` + reportCols + ` FROM ` + from + w.sql() + ` ORDER BY ` + rank +
		`, created_at DESC, id DESC LIMIT ` + w.arg(limit) + ` OFFSET ` + w.arg(max(f.Offset, 0))
	rs, err := list(t, scanReport, q, w.args...)
	if err != nil {
		return nil, 0, wrap("search reports", err)
	}
	return rs, n, nil
}

// searchFrom returns the FROM clause that keeps the reports matching sq,
// as r, and the ORDER BY term that puts the best match first, adding the
// query's arguments to w.
func (t *tx) searchFrom(sq searchQuery, w *where) (from, rank string) {
	if t.db.d.name == Postgres {
		// The rank reads the stored vector; ts_rank's default weights
		// follow the A-D weights the migration gives the columns.
		q := `to_tsquery('simple', ` + w.arg(sq.tsquery()) + `)`
		w.conds = append(w.conds, `r.search @@ `+q)
		return `reports r`, `ts_rank(r.search, ` + q + `) DESC`
	}
	// The index is read once, in a subquery that exposes no column named
	// like those of reports. bm25 is smaller for better matches; its
	// weights follow the columns: title, description, components, cves,
	// impact_description.
	return `reports r JOIN (SELECT rowid AS fts_id, bm25(reports_fts, 10.0, 1.0, 5.0, 10.0, 2.0) AS fts_rank
		FROM reports_fts WHERE reports_fts MATCH ` + w.arg(sq.fts5()) + `) m ON m.fts_id = r.id`, `m.fts_rank`
}
