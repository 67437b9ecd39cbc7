package sqldb

import (
	"sort"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/vmtproject/vmt"
)

// SimilarCandidates: the terms are counted first, each in one indexed
// lookup that stops at vmt.SimilarDFLimit; the rarest vmt.MaxSimilarTerms
// of those held at all are then matched as one OR, ranked by the
// engine. A word held by most reports is left out of the OR, which would
// otherwise rank every report that holds it. The terms are letters and
// digits only (vmt.SimilarTerms), none of which is query syntax in
// either engine; the CVE ids are phrases of their parts.
func (t *tx) SimilarCandidates(q vmt.SimilarQuery) ([]*vmt.Report, vmt.TermStats, error) {
	pg := t.db.d.name == Postgres
	st := vmt.TermStats{DF: map[string]int{}}
	if err := t.queryRow(`SELECT COALESCE(MAX(id), 0) FROM reports`).Scan(&st.Total); err != nil {
		return nil, st, wrap("similar reports: count", err)
	}
	type term struct {
		match string
		df    int
	}
	limit := vmt.SimilarDFLimit(st.Total)
	var common map[string]float64
	if pg {
		var err error
		if common, err = t.pgCommonLexemes(); err != nil {
			return nil, st, wrap("similar reports: statistics", err)
		}
	}
	var terms []term
	for _, w := range q.Terms {
		if f, ok := common[w]; ok && f*float64(st.Total) >= float64(limit) {
			// Common by the statistics: not worth a count, which on
			// PostgreSQL reads every match of the word into a bitmap.
			st.DF[w] = limit
			continue
		}
		m := similarMatch(w, pg)
		var df int
		var err error
		if pg {
			err = t.queryRow(`SELECT COUNT(*) FROM (SELECT 1 FROM reports WHERE search @@ to_tsquery('simple', $1) LIMIT $2) s`,
				pgx.QueryExecModeExec, m, limit).Scan(&df)
		} else {
			err = t.queryRow(`SELECT COUNT(*) FROM (SELECT 1 FROM reports_fts WHERE reports_fts MATCH $1 LIMIT $2)`, m, limit).Scan(&df)
		}
		if err != nil {
			return nil, st, wrap("similar reports: count "+w, err)
		}
		st.DF[w] = df
		if df > 0 && df < limit {
			terms = append(terms, term{m, df})
		}
	}
	sort.SliceStable(terms, func(i, j int) bool { return terms[i].df < terms[j].df })
	terms = terms[:min(len(terms), vmt.MaxSimilarTerms)]
	var parts []string
	for _, tm := range terms {
		parts = append(parts, tm.match)
	}
	for _, id := range q.CVEs {
		words := strings.Split(strings.ToLower(id), "-")
		if pg {
			parts = append(parts, "("+strings.Join(words, " <-> ")+")")
		} else {
			parts = append(parts, `"`+strings.Join(words, " ")+`"`)
		}
	}
	if len(parts) == 0 {
		return []*vmt.Report{}, st, nil
	}
	var rs []*vmt.Report
	var err error
	if pg {
		match := strings.Join(parts, " | ")
		rs, err = list(t, scanReport, `SELECT `+qualifiedReportCols+` FROM reports r
			WHERE r.search @@ to_tsquery('simple', $1) AND r.project_id = $2 AND r.id <> $3
			ORDER BY ts_rank(r.search, to_tsquery('simple', $1)) DESC, r.id DESC LIMIT $4`,
			pgx.QueryExecModeExec, match, q.ProjectID, q.Exclude, q.Limit)
	} else {
		match := strings.Join(parts, " OR ")
		rs, err = list(t, scanReport, `SELECT `+qualifiedReportCols+` FROM reports_fts JOIN reports r ON r.id = reports_fts.rowid
			WHERE reports_fts MATCH $1 AND r.project_id = $2 AND r.id <> $3
			ORDER BY bm25(reports_fts, 10.0, 1.0, 5.0, 10.0, 2.0), r.id DESC LIMIT $4`,
			match, q.ProjectID, q.Exclude, q.Limit)
	}
	if err != nil {
		return nil, st, wrap("similar reports", err)
	}
	return rs, st, nil
}

// similarMatch is one term in the engine's syntax, matched whole: a
// prefix would find "overflows" for "overflow", but on SQLite a prefix of
// a length the index has no prefix table for visits every term of the
// index, which cost three quarters of a search at 100,000 reports. The
// other words of the report find its likes without it.
func similarMatch(w string, pg bool) string {
	if pg {
		return w
	}
	return `"` + w + `"`
}

// pgCommonLexemes reads the frequencies of the most common words of the
// reports' search vectors from PostgreSQL's statistics (ANALYZE keeps up
// to ten times the statistics target of them): the share of reports that
// hold each. Without statistics (a table never analyzed) it is empty, and
// every word is counted.
func (t *tx) pgCommonLexemes() (map[string]float64, error) {
	// The frequencies end with three more than the words (their minimum,
	// maximum and the share of nulls): those rows have no word.
	rows, err := t.query(`SELECT u.e, u.f FROM pg_stats s,
		unnest(s.most_common_elems::text::text[], s.most_common_elem_freqs) AS u(e, f)
		WHERE s.tablename = 'reports' AND s.attname = 'search' AND s.schemaname = current_schema() AND u.e IS NOT NULL`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]float64{}
	for rows.Next() {
		var e string
		var f float64
		if err := rows.Scan(&e, &f); err != nil {
			return nil, err
		}
		out[e] = f
	}
	return out, rows.Err()
}
