package vmt

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Withheld is what a report's never-disclose marks keep from everyone the
// access policy does not let see it (Access.Withhold): the values the marks
// name, found in every text shown and replaced there, whenever the text
// was written. It is computed from the report each time something is
// shown, so a mark set after a text was drafted holds for that text too.
//
// What each mark withholds:
//   - credit: the report's credit text, and each name in it;
//   - reporter_identity: the reporter's account (its id, name and address)
//     and, since the credit names the reporter, everything credit withholds;
//   - reporter_terms: the reporter's terms and requested date, and the
//     terms' text where a phrase of it was copied.
//
// The zero Withheld withholds nothing.
type Withheld struct {
	marks  []string
	values []*regexp.Regexp // what names the withheld, longest value first
	raw    []string         // the values, for Contains
}

// WithheldText stands in a text for a value the reporter withheld.
const WithheldText = "[withheld]"

// minTermsLen is the shortest terms text searched for in other texts: a
// shorter one ("none", "30 days") is words that occur anywhere, and
// replacing them would deface the texts while hiding nothing.
const minTermsLen = 16

// WithheldOf returns what r's marks withhold. reporter is the reporter's
// account; it is needed only when the identity is marked (nil: the
// account's name and address are not known, and only the credit and the
// id are withheld).
func WithheldOf(r *Report, reporter *User) Withheld {
	w := Withheld{marks: slices.Clone(r.NeverDisclose)}
	if len(w.marks) == 0 {
		return Withheld{}
	}
	var vals []string
	if w.Credit() {
		vals = append(vals, creditValues(r.Credit)...)
	}
	if w.Identity() && reporter != nil {
		vals = append(vals, reporter.Name, reporter.Email)
	}
	if w.Has("reporter_terms") && utf8.RuneCountInString(strings.TrimSpace(r.ReporterTerms)) >= minTermsLen {
		vals = append(vals, r.ReporterTerms)
	}
	w.setValues(vals)
	return w
}

// creditValues are the credit text whole, each person it lists as
// written ("Jane Doe (Acme)") and each name alone ("Jane Doe"); the
// affiliation alone is not withheld: it is often the vendor's or another
// common name, and without the person it names no one.
func creditValues(credit string) []string {
	out := []string{credit}
	for part := range strings.SplitSeq(credit, ",") {
		part = strings.TrimSpace(part)
		out = append(out, part)
		if i := strings.LastIndex(part, " ("); i > 0 && strings.HasSuffix(part, ")") {
			out = append(out, part[:i])
		}
	}
	return out
}

// setValues keeps the distinct values of at least two characters, longest
// first so that "Jane Doe (Acme)" is replaced before "Jane Doe", each as a
// pattern that matches it case-insensitively across any run of spaces or
// line breaks between its words.
func (w *Withheld) setValues(vals []string) {
	seen := map[string]bool{}
	for _, v := range vals {
		v = strings.Join(strings.Fields(v), " ")
		if utf8.RuneCountInString(v) < 2 || seen[strings.ToLower(v)] {
			continue
		}
		seen[strings.ToLower(v)] = true
		w.raw = append(w.raw, v)
	}
	slices.SortStableFunc(w.raw, func(a, b string) int { return len(b) - len(a) })
	for _, v := range w.raw {
		words := strings.Fields(v)
		for i, x := range words {
			words[i] = regexp.QuoteMeta(x)
		}
		w.values = append(w.values, regexp.MustCompile(`(?i)`+strings.Join(words, `\s+`)))
	}
}

// Has reports whether the reporter marked field never to disclose.
func (w Withheld) Has(field string) bool { return contains(w.marks, field) }

// Identity reports whether the reporter's identity is withheld.
func (w Withheld) Identity() bool { return w.Has("reporter_identity") }

// Credit reports whether the credit is withheld: marked itself, or
// through the identity it names.
func (w Withheld) Credit() bool { return w.Has("credit") || w.Identity() }

// Empty reports whether nothing is withheld.
func (w Withheld) Empty() bool { return len(w.marks) == 0 }

// Text returns s with every withheld value replaced by WithheldText. A
// value counts only as a whole word or phrase: "Bob" is replaced in "by
// Bob." but not in "Bobby".
func (w Withheld) Text(s string) string {
	for _, re := range w.values {
		s = replaceWords(re, s)
	}
	return s
}

// Contains reports whether s holds a withheld value (as Text would find it).
func (w Withheld) Contains(s string) bool { return w.Text(s) != s }

func replaceWords(re *regexp.Regexp, s string) string {
	var b strings.Builder
	last := 0
	for _, m := range re.FindAllStringIndex(s, -1) {
		if !boundary(s, m[0], m[1]) {
			continue
		}
		b.WriteString(s[last:m[0]])
		b.WriteString(WithheldText)
		last = m[1]
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// boundary reports whether s[i:j] is not part of a longer word.
func boundary(s string, i, j int) bool {
	before, _ := utf8.DecodeLastRuneInString(s[:i])
	after, _ := utf8.DecodeRuneInString(s[j:])
	word := func(c rune) bool { return unicode.IsLetter(c) || unicode.IsDigit(c) }
	return (i == 0 || !word(before)) && (j == len(s) || !word(after))
}

// Report returns r without what is withheld: the marked fields blanked
// and every text cleared of the withheld values. r itself is unchanged.
func (w Withheld) Report(r *Report) *Report {
	if w.Empty() {
		return r
	}
	c := *r
	if w.Identity() {
		c.ReporterID = 0
	}
	if w.Credit() {
		c.Credit = ""
	}
	if w.Has("reporter_terms") {
		c.ReporterTerms, c.RequestedDisclosureAt = "", nil
	}
	c.Title, c.Description, c.Reminder = w.Text(c.Title), w.Text(c.Description), w.Text(c.Reminder)
	c.ImpactDescription = w.Text(c.ImpactDescription)
	c.Affected = make([]AffectedEntry, len(r.Affected))
	for i, e := range r.Affected {
		e.Versions = w.Text(e.Versions)
		c.Affected[i] = e
	}
	return &c
}

// Comments returns cs without what is withheld: texts cleared, and the
// reporter's comments without their author when the identity is withheld.
func (w Withheld) Comments(reporterID int64, cs []*Comment) []*Comment {
	if w.Empty() {
		return cs
	}
	out := make([]*Comment, len(cs))
	for i, c := range cs {
		cc := *c
		cc.Body = w.Text(c.Body)
		if w.Identity() && c.AuthorID == reporterID {
			cc.AuthorID = 0
		}
		out[i] = &cc
	}
	return out
}

// Impact returns st without what is withheld: its text cleared and the
// reporter's approval without their account when the identity is withheld.
func (w Withheld) Impact(st *ImpactState) *ImpactState {
	if w.Empty() || st == nil {
		return st
	}
	c := *st
	c.Text = w.Text(st.Text)
	if st.Reporter != nil && w.Identity() {
		ap := *st.Reporter
		ap.UserID = 0
		c.Reporter = &ap
	}
	return &c
}

// Advisory returns d as it may be shown or exported: the credits of the
// reporter (type REPORTER or FINDER) dropped when the credit is withheld,
// any credit naming a withheld value dropped, and every text cleared. d
// itself is unchanged.
func (w Withheld) Advisory(d *Advisory) *Advisory {
	if w.Empty() || d == nil {
		return d
	}
	c := *d
	c.Title, c.Summary, c.Description, c.Mitigation, c.Errata = w.Text(d.Title), w.Text(d.Summary), w.Text(d.Description), w.Text(d.Mitigation), w.Text(d.Errata)
	c.Notes = w.texts(d.Notes)
	c.Credits = nil
	for _, cr := range d.Credits {
		if !w.names(cr) {
			c.Credits = append(c.Credits, cr)
		}
	}
	c.Affected = slices.Clone(d.Affected)
	for i := range c.Affected {
		c.Affected[i].Versions = w.Text(c.Affected[i].Versions)
	}
	c.Revisions = slices.Clone(d.Revisions)
	for i := range c.Revisions {
		c.Revisions[i].Summary = w.Text(c.Revisions[i].Summary)
	}
	return &c
}

// names reports whether cr credits what is withheld.
func (w Withheld) names(cr Credit) bool {
	if w.Credit() && (cr.Type == CreditReporter || cr.Type == CreditFinder) {
		return true
	}
	return w.Contains(cr.Name) || slices.ContainsFunc(cr.Contact, w.Contains)
}

func (w Withheld) texts(ss []string) []string {
	if ss == nil {
		return nil
	}
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = w.Text(s)
	}
	return out
}

// StoredIn lists the stored texts of a report, its comments and its
// documents that hold a withheld value (or, for a document, a credit the
// marks withhold), for the VMT to edit: output hides them meanwhile, but
// the stored text still holds them. Each is named as a person reads it:
// "impact_description", "comment 12", "advisory KCSA-2026-001 credits".
func (w Withheld) StoredIn(r *Report, cs []*Comment, docs []*Advisory) []string {
	if w.Empty() {
		return nil
	}
	var out []string
	for _, f := range []struct {
		name, text string
	}{{"title", r.Title}, {"description", r.Description}, {"affected", r.AffectedVersions()}, {"impact_description", r.ImpactDescription}} {
		if w.Contains(f.text) {
			out = append(out, f.name)
		}
	}
	for _, c := range cs {
		if w.Contains(c.Body) {
			out = append(out, "comment "+itoa(int(c.ID)))
		}
	}
	for _, d := range docs {
		out = append(out, w.storedInDoc(d)...)
	}
	return out
}

func (w Withheld) storedInDoc(d *Advisory) []string {
	label := string(d.Kind) + " " + OrDraft(d)
	if d.ID.IsZero() {
		label = "draft " + string(d.Kind) + " " + itoa(int(d.RecordID))
	}
	var out []string
	for _, f := range []struct {
		name, text string
	}{{"title", d.Title}, {"summary", d.Summary}, {"description", d.Description}, {"mitigation", d.Mitigation},
		{"errata", d.Errata}, {"notes", strings.Join(d.Notes, "\n")}} {
		if w.Contains(f.text) {
			out = append(out, label+" "+f.name)
		}
	}
	if slices.ContainsFunc(d.Credits, w.names) {
		out = append(out, label+" credits")
	}
	return out
}

// Searched reports whether the search query q could match a withheld
// value: a word of q that begins a word of a value, or that a word of a
// value begins (the stores match prefixes and stems). A report found by
// such a query is left out of the results of those from whom the value
// is withheld, or finding it would tell them the value is in it; it may
// leave out a report that also matched elsewhere, which hides nothing.
func (w Withheld) Searched(q string) bool {
	var vals []string
	for _, v := range w.raw {
		vals = append(vals, searchWords(v)...)
	}
	for _, qw := range searchWords(q) {
		if utf8.RuneCountInString(qw) < 2 {
			continue
		}
		for _, vw := range vals {
			if strings.HasPrefix(vw, qw) || strings.HasPrefix(qw, vw) && utf8.RuneCountInString(vw) >= 3 {
				return true
			}
		}
	}
	return false
}

// searchWords cuts s into lower-case words as the stores' search does.
func searchWords(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(c rune) bool {
		return !unicode.IsLetter(c) && !unicode.IsDigit(c) && !unicode.IsMark(c)
	})
}
