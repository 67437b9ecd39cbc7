package vmt

import (
	"slices"
	"strings"
	"testing"
)

func withheldReport(marks ...string) (*Report, *User) {
	r := &Report{ID: 7, ReporterID: 3, Title: "Escape found by Jane Doe", Description: "I am Jane Doe, jane@example.org.",
		Credit: "Jane Doe (Acme), John Roe", ReporterTerms: "No disclosure before the summit of 2027",
		ImpactDescription: "Description:\nFound by Jane\n  Doe.\nCredit: Jane Doe (Acme)\n", NeverDisclose: marks}
	return r, &User{ID: 3, Name: "Janet Q. Doe", Email: "jane@example.org"}
}

func TestWithheldText(t *testing.T) {
	r, u := withheldReport("reporter_identity")
	w := WithheldOf(r, u)
	for _, c := range []struct{ in, want string }{
		{"Thanks to Jane Doe.", "Thanks to [withheld]."},
		{"thanks to JANE DOE", "thanks to [withheld]"},
		{"by Jane\n   Doe", "by [withheld]"},
		{"Jane Doe (Acme) found it", "[withheld] found it"},
		{"Jane Does it", "Jane Does it"}, // not the word
		{"MaryJane Doe", "MaryJane Doe"}, // not the word
		{"John Roe and Jane Doe", "[withheld] and [withheld]"},
		{"mail jane@example.org", "mail [withheld]"},
		{"Janet Q. Doe wrote", "[withheld] wrote"}, // the account's name
		{"Acme ships it", "Acme ships it"},         // an affiliation alone names no one
		{"", ""},
	} {
		if got := w.Text(c.in); got != c.want {
			t.Errorf("Text(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestWithheldOfMarks(t *testing.T) {
	for _, c := range []struct {
		marks         []string
		hidden, shown []string
	}{
		{nil, nil, []string{"Jane Doe", "jane@example.org", "summit of 2027"}},
		{[]string{"credit"}, []string{"Jane Doe", "John Roe"}, []string{"Janet Q. Doe", "jane@example.org", "summit of 2027"}},
		{[]string{"reporter_identity"}, []string{"Jane Doe", "Janet Q. Doe", "jane@example.org"}, []string{"summit of 2027"}},
		{[]string{"reporter_terms"}, []string{"No disclosure before the summit of 2027"}, []string{"Jane Doe"}},
	} {
		r, u := withheldReport(c.marks...)
		w := WithheldOf(r, u)
		for _, s := range c.hidden {
			if !w.Contains("x " + s + " x") {
				t.Errorf("%v: %q is not withheld", c.marks, s)
			}
		}
		for _, s := range c.shown {
			if w.Contains("x " + s + " x") {
				t.Errorf("%v: %q is withheld", c.marks, s)
			}
		}
	}
	// A short terms text is words found anywhere: only the field is withheld.
	r, _ := withheldReport("reporter_terms")
	r.ReporterTerms = "none"
	if w := WithheldOf(r, nil); w.Text("Mitigation: none") != "Mitigation: none" || w.Report(r).ReporterTerms != "" {
		t.Errorf("short terms: text %q, field %q", w.Text("Mitigation: none"), w.Report(r).ReporterTerms)
	}
}

func TestWithheldReportAndDocument(t *testing.T) {
	r, u := withheldReport("credit")
	w := WithheldOf(r, u)
	got := w.Report(r)
	if got.Credit != "" || strings.Contains(got.Title+got.Description+got.ImpactDescription, "Jane") || got.ReporterID != 3 {
		t.Errorf("report %+v", got)
	}
	if r.Credit == "" || !strings.Contains(r.ImpactDescription, "Jane") {
		t.Errorf("the stored report was changed")
	}
	d := &Advisory{ID: NewAdvisoryID("KCSA", 2026, 1), Kind: KindAdvisory, Title: "T", Description: "Found by Jane Doe.",
		Credits: []Credit{{Name: "J. D.", Type: CreditReporter}, {Name: "Someone", Type: CreditFinder},
			{Name: "Jane Doe", Type: CreditAnalyst}, {Name: "Kata VMT", Type: CreditCoordinator}},
		Revisions: []Revision{{Number: 2, Summary: "Credit Jane Doe"}}}
	pd := w.Advisory(d)
	if len(pd.Credits) != 1 || pd.Credits[0].Name != "Kata VMT" || pd.Description != "Found by [withheld]." || pd.Revisions[0].Summary != "Credit [withheld]" {
		t.Errorf("document %+v", pd)
	}
	if len(d.Credits) != 4 || d.Revisions[0].Summary != "Credit Jane Doe" {
		t.Errorf("the stored document was changed")
	}
	cs := []*Comment{{ID: 4, AuthorID: 3, Body: "ok"}, {ID: 5, AuthorID: 9, Body: "thanks Jane Doe"}}
	in := w.StoredIn(r, cs, []*Advisory{d, {RecordID: 8, Kind: KindNote, Title: "Jane Doe"}})
	want := []string{"title", "description", "impact_description", "comment 5", "advisory KCSA-2026-001 description",
		"advisory KCSA-2026-001 credits", "draft note 8 title"}
	if !slices.Equal(in, want) {
		t.Errorf("StoredIn = %q, want %q", in, want)
	}
	if (Withheld{}).StoredIn(r, cs, nil) != nil || (Withheld{}).Advisory(d) != d || (Withheld{}).Report(r) != r {
		t.Errorf("the zero Withheld withholds")
	}
}

// TestSeesWithheld: only the VMT, administrators and the reporter see
// what a reporter's marks withhold; subscribers and the public do not.
func TestSeesWithheld(t *testing.T) {
	r, u := withheldReport("reporter_identity")
	w := WithheldOf(r, u)
	for _, c := range []struct {
		name string
		acc  Access
		sees bool
	}{
		{"anonymous", Access{}, false},
		{"published", Published, false},
		{"subscriber", Access{Authenticated: true, Subscribed: true}, false},
		{"signed in", Access{Authenticated: true}, false},
		{"reporter", Access{Authenticated: true, Reporter: true}, true},
		{"coordinator", Access{Authenticated: true, Coordinator: true}, true},
		{"admin", Access{Authenticated: true, Admin: true}, true},
	} {
		if got := c.acc.SeesWithheld(); got != c.sees {
			t.Errorf("%s: SeesWithheld = %v", c.name, got)
		}
		if got := c.acc.Withhold(w).Empty(); got != c.sees {
			t.Errorf("%s: Withhold empty = %v", c.name, got)
		}
	}
}

func TestWithheldSearched(t *testing.T) {
	r, u := withheldReport("credit")
	w := WithheldOf(r, u)
	for q, want := range map[string]bool{"Doe": true, "jan": true, "Jane Doe escape": true, "Roe's": true,
		"Acme": true, "Janet": true, // the whole credit names it; a stem
		"escape": false, "mount": false, "a": false, "": false} {
		if got := w.Searched(q); got != want {
			t.Errorf("Searched(%q) = %v, want %v", q, got, want)
		}
	}
	if (Withheld{}).Searched("Doe") {
		t.Errorf("the zero Withheld withholds a search")
	}
}
