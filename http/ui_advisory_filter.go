package http

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/vmtproject/vmt"
)

// indexFilter is what the public index, its feed and its JSON show:
// the documents of a project, of a severity, published in a year; each
// empty for all.
type indexFilter struct {
	Project  string
	Severity string // critical, high, medium, low, or none (no score)
	Year     int
}

// severityNames are the values of ?severity=, from the worst: the CVSS
// ratings, "none" taking the documents without a score too.
var severityNames = []string{"critical", "high", "medium", "low", "none"}

// firstYear is the earliest year ?year= takes: no advisory here is older
// than the CVE program.
const firstYear = 1999

// indexFilterOf reads ?project=, ?severity= and ?year=. A severity or a
// year that is not one is EINVALID naming the parameter and what it
// takes; the project is checked by the service (no such project).
func indexFilterOf(r *http.Request) (indexFilter, error) {
	q := r.URL.Query()
	f := indexFilter{Project: q.Get("project"), Severity: strings.ToLower(strings.TrimSpace(q.Get("severity")))}
	if f.Severity != "" && !slices.Contains(severityNames, f.Severity) {
		return f, vmt.Invalid("severity", "%q is not a severity: use one of %s", q.Get("severity"), strings.Join(severityNames, ", "))
	}
	if y := strings.TrimSpace(q.Get("year")); y != "" {
		n, err := strconv.Atoi(y)
		last := time.Now().UTC().Year()
		if err != nil || n < firstYear || n > last {
			return f, vmt.Invalid("year", "%q is not a year of publication: use a year from %d to %d", y, firstYear, last)
		}
		f.Year = n
	}
	return f, nil
}

// Query is the filter as a query string ("?project=…&severity=…"), ""
// for none, for the feed and the JSON of the same documents.
func (f indexFilter) Query() string {
	q := url.Values{}
	if f.Project != "" {
		q.Set("project", f.Project)
	}
	if f.Severity != "" {
		q.Set("severity", f.Severity)
	}
	if f.Year != 0 {
		q.Set("year", strconv.Itoa(f.Year))
	}
	if len(q) == 0 {
		return ""
	}
	return "?" + q.Encode()
}

// keeps says whether the filter shows it (its project was chosen in the
// store's query already).
func (f indexFilter) keeps(it advisoryItem) bool {
	switch {
	case f.Severity == "none" && it.Severity != "" && it.Severity != "none":
		return false
	case f.Severity != "" && f.Severity != "none" && it.Severity != f.Severity:
		return false
	case f.Year != 0 && it.Published.UTC().Year() != f.Year:
		return false
	}
	return true
}

// filterYears are the years the index form offers, newest first.
func filterYears(now time.Time) []int {
	var ys []int
	for y := now.UTC().Year(); y >= firstYear && len(ys) < 30; y-- {
		ys = append(ys, y)
	}
	return ys
}
