package render

import (
	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/cvss"
)

// Score is one scored CVSS vector of a document with its metrics in
// words, for the public page (http, which reads vectors only through
// here).
type Score struct {
	Version string        // "3.1"
	Vector  string        // as the document keeps it
	Score   float64       // base score
	Rating  string        // CRITICAL, HIGH, MEDIUM, LOW or NONE
	Metrics []cvss.Metric // in the vector's order
}

// Scores scores every vector of d, in order, with its metrics. A bad
// vector is EINVALID naming it (cvss.Scores).
func Scores(d *vmt.Advisory) ([]Score, error) {
	ss, err := cvss.Scores(d)
	if err != nil {
		return nil, err
	}
	out := make([]Score, 0, len(ss))
	for _, s := range ss {
		ms, err := cvss.Metrics(s.Vector)
		if err != nil {
			return nil, err
		}
		out = append(out, Score{Version: s.Version, Vector: s.Vector, Score: s.Score, Rating: s.Severity, Metrics: ms})
	}
	return out, nil
}

// Severity is the rating of a document: that of its highest score, and
// the score; "" and 0 for a document without a vector (or with a bad one,
// which the service refuses to store).
func Severity(d *vmt.Advisory) (string, float64) {
	ss, err := cvss.Scores(d)
	if err != nil || len(ss) == 0 {
		return "", 0
	}
	best := ss[0]
	for _, s := range ss[1:] {
		if s.Score > best.Score {
			best = s
		}
	}
	return best.Severity, best.Score
}

// CreditWords is a credit type as a reader says it: "Finder",
// "Remediation developer".
func CreditWords(t vmt.CreditType) string {
	w := creditWords(t)
	if w == "" {
		return ""
	}
	return string(w[0]-'a'+'A') + w[1:]
}
