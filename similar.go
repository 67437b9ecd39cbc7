package vmt

import (
	"math"
	"slices"
	"sort"
	"strings"
	"unicode"
)

// Floods: reports to a VMT multiply (Kata's charter speaks of AI-assisted
// reviews), and many restate one already filed or already published. The
// triage view shows, for a report, the reports of its project most like
// it, each with why (PRODUCT.md §2, issue 13). The store finds candidates
// by their words (Tx.SimilarCandidates); which of them are alike, and why,
// is decided here, in RankSimilar.

// Limits of a search for similar reports.
const (
	// MaxSimilarTerms is how many of a report's words the search uses:
	// its rarest, so that one search costs the same whatever the report's
	// length.
	MaxSimilarTerms = 12
	// SimilarCandidates is how many candidates the store returns for
	// ranking here.
	SimilarCandidates = 50
	// SimilarDFCap is the count at which the store stops counting the
	// reports that hold a word: a word held by more says little of which
	// report is alike, and counting further would cost more than the
	// search.
	SimilarDFCap = 500
	// MaxSimilar is how many suggestions are shown.
	MaxSimilar = 5
	// minSimilarity is the score below which a candidate is not shown:
	// it shares words, but not enough to be a likely duplicate.
	minSimilarity = 0.12
)

// SimilarDFLimit is the count of reports at which a word is too common
// to find a report's likes in a store of total reports: one in twenty,
// between 50 and SimilarDFCap. In a small store the words shared by most
// reports would otherwise make the candidates nearly every report.
func SimilarDFLimit(total int) int {
	return min(max(total/20, 50), SimilarDFCap)
}

// SimilarQuery is what the store searches for: the report's project and
// its rarest words, with the CVE ids it carries (each a phrase of its
// parts, as the index holds them).
type SimilarQuery struct {
	ProjectID int64
	Exclude   int64    // the report itself
	Terms     []string // lower-case words, a prefix when Prefix says so
	CVEs      []string
	Limit     int
}

// TermStats is how many reports hold each word (counted up to
// SimilarDFCap) among Total, for weighting rare words above common ones.
type TermStats struct {
	Total int
	DF    map[string]int
}

// Similar is one report like another, with the score and the reasons.
type Similar struct {
	Report  *Report  `json:"report"`
	Score   float64  `json:"score"`
	Reasons []string `json:"reasons"`
	// Advisories are the ids of the published documents of the similar
	// report, set by the application: a report like one already disclosed
	// is most likely a duplicate of that advisory.
	Advisories []string `json:"advisories,omitempty"`
}

// similarStop are words too common in any report to tell two apart.
var similarStop = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`the and for with that this from are was were has have had not but you your our its
		can could may might will would should into onto than then them they their there these those when where which while
		who whom what how why all any each some such only also very more most other over under about after before between
		because being been does did doing done just use used using via per out off own same both few one two three new
		bug issue report reported reporter vulnerability security attacker attack allows allow allowed able user users
		way get gets got make makes made set sets see seen like need needs within without upon please thanks hello
		under embargo private share mention public push repository disclosure date announced agreed ends lasts longer
		days content team people let them management vulnerabilities`) {
		m[w] = true
	}
	return m
}()

// similarWords cuts text into lower-case words of three or more letters
// or digits, not pure numbers, not in similarStop.
func similarWords(text string) []string {
	var out []string
	for _, w := range strings.FieldsFunc(strings.ToLower(text), func(c rune) bool {
		return !unicode.IsLetter(c) && !unicode.IsDigit(c)
	}) {
		if len(w) < 3 || len(w) > 40 || similarStop[w] || strings.IndexFunc(w, unicode.IsLetter) < 0 {
			continue
		}
		out = append(out, w)
	}
	return out
}

// stem folds the common English endings so that "overflows" and
// "overflowing" count as "overflow" in the score of two reports the
// store found by their other words.
func stem(w string) string {
	for _, suf := range []string{"ing", "ies", "ed", "es", "s"} {
		if strings.HasSuffix(w, suf) && len(w)-len(suf) >= 4 {
			w = strings.TrimSuffix(w, suf)
			if suf == "ies" {
				w += "y"
			}
			return w
		}
	}
	return w
}

// similarText is the text of r that says what the report is about: the
// title twice (it is the report's own summary), the description without
// the embargo reminder and the impact description. The components count
// on their own (RankSimilar), not as words as well.
func similarText(r *Report) string {
	desc := strings.TrimPrefix(r.Description, r.Reminder)
	return r.Title + "\n" + r.Title + "\n" + desc + "\n" + r.ImpactDescription
}

// SimilarTerms returns the words of r a search for its likes is made of,
// most frequent in r first, at most 2*MaxSimilarTerms: the store keeps
// the MaxSimilarTerms rarest of them in the project (TermStats).
func SimilarTerms(r *Report) []string {
	count := map[string]int{}
	var order []string
	for _, w := range similarWords(similarText(r)) {
		if count[w] == 0 {
			order = append(order, w)
		}
		count[w]++
	}
	sort.SliceStable(order, func(i, j int) bool { return count[order[i]] > count[order[j]] })
	return order[:min(len(order), 2*MaxSimilarTerms)]
}

// weights is the TF-IDF vector of a report's text, over stems.
func weights(r *Report, idf func(string) float64) map[string]float64 {
	v := map[string]float64{}
	for _, w := range similarWords(similarText(r)) {
		v[stem(w)]++
	}
	norm := 0.0
	for w, tf := range v {
		x := (1 + math.Log(tf)) * idf(w)
		v[w] = x
		norm += x * x
	}
	norm = math.Sqrt(norm)
	for w := range v {
		if norm > 0 {
			v[w] /= norm
		}
	}
	return v
}

// RankSimilar scores each candidate against r and returns the likely
// duplicates, best first, at most MaxSimilar. The score is the cosine of
// the two texts' TF-IDF vectors (a word rare in the project weighs more),
// plus a share for each CVE id and component both carry; each reason says
// which of these made it.
//
// paths are the files the reports' patches touch, by report id
// (PatchPaths), when r has a patch attached: a candidate whose patches
// touch the same files gains up to a half, by the share of files both
// touch.
func RankSimilar(r *Report, cands []*Report, st TermStats, paths map[int64][]string) []Similar {
	idf := func(w string) float64 {
		df := 0
		for t, n := range st.DF {
			if stem(t) == w {
				df = max(df, n)
			}
		}
		return math.Log(1 + float64(max(st.Total, 1))/float64(1+df))
	}
	base := weights(r, idf)
	var out []Similar
	for _, c := range cands {
		if c.ID == r.ID {
			continue
		}
		v := weights(c, idf)
		type shared struct {
			w string
			x float64
		}
		var common []shared
		score := 0.0
		for w, x := range base {
			if y, ok := v[w]; ok {
				score += x * y
				common = append(common, shared{w, x * y})
			}
		}
		var reasons []string
		if len(common) > 0 {
			sort.Slice(common, func(i, j int) bool {
				return common[i].x > common[j].x || common[i].x == common[j].x && common[i].w < common[j].w
			})
			var ws []string
			for _, s := range common[:min(len(common), 5)] {
				ws = append(ws, s.w)
			}
			reasons = append(reasons, "words in common: "+strings.Join(ws, ", "))
		}
		for _, id := range r.CVEs {
			if slices.Contains(c.CVEs, id) {
				score += 1
				reasons = append(reasons, "both carry "+id)
			}
		}
		if mine, theirs := paths[r.ID], paths[c.ID]; len(mine) > 0 && len(theirs) > 0 {
			var both []string
			for _, p := range mine {
				if slices.Contains(theirs, p) {
					both = append(both, p)
				}
			}
			if len(both) > 0 {
				score += 0.5 * float64(len(both)) / float64(len(mine)+len(theirs)-len(both))
				reasons = append(reasons, "patches touch the same files: "+strings.Join(both[:min(len(both), 5)], ", "))
			}
		}
		for _, comp := range r.Components() {
			if slices.Contains(c.Components(), comp) {
				score += 0.1
				reasons = append(reasons, "same component: "+comp)
			}
		}
		if score >= minSimilarity {
			out = append(out, Similar{Report: c, Score: math.Round(score*1000) / 1000, Reasons: reasons})
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		return out[i].Score > out[j].Score || out[i].Score == out[j].Score && out[i].Report.ID < out[j].Report.ID
	})
	return out[:min(len(out), MaxSimilar)]
}

// PatchPaths returns the files a patch series touches, sorted, from its
// "diff --git a/P b/P" lines: the series was checked when attached (a
// FixChecker applied it), so only the names are read here.
func PatchPaths(series string) []string {
	var out []string
	for _, line := range strings.Split(series, "\n") {
		rest, ok := strings.CutPrefix(line, "diff --git a/")
		if !ok {
			continue
		}
		if i := strings.LastIndex(rest, " b/"); i >= 0 {
			if p := rest[i+len(" b/"):]; p != "" && !slices.Contains(out, p) {
				out = append(out, p)
			}
		}
	}
	slices.Sort(out)
	return out
}
