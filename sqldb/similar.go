package sqldb

import (
	"sort"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/vmtproject/vmt"
)

// SimilarCandidates: the terms are counted first, each in one indexed
// lookup that stops at vmt.SimilarDFCap; the rarest vmt.MaxSimilarTerms
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
	var terms []term
	for _, w := range q.Terms {
		m := similarMatch(w, pg)
		var df int
		var err error
		if pg {
			err = t.queryRow(`SELECT COUNT(*) FROM (SELECT 1 FROM reports WHERE search @@ to_tsquery('simple', $1) LIMIT $2) s`,
				pgx.QueryExecModeExec, m, vmt.SimilarDFCap).Scan(&df)
		} else {
			err = t.queryRow(`SELECT COUNT(*) FROM (SELECT 1 FROM reports_fts WHERE reports_fts MATCH $1 LIMIT $2)`, m, vmt.SimilarDFCap).Scan(&df)
		}
		if err != nil {
			return nil, st, wrap("similar reports: count "+w, err)
		}
		st.DF[w] = df
		if df > 0 && df < vmt.SimilarDFCap {
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

// similarMatch is one term in the engine's syntax: a word of five letters
// or more also as a prefix, so that "overflow" finds "overflows".
func similarMatch(w string, pg bool) string {
	prefix := len(w) >= 5
	switch {
	case pg && prefix:
		return w + ":*"
	case pg:
		return w
	case prefix:
		return `"` + w + `"*`
	}
	return `"` + w + `"`
}
