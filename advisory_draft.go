package vmt

import (
	"fmt"
	"strings"
	"unicode"
)

// DraftFacts are what a report's document is drafted from.
type DraftFacts struct {
	Report  *Report
	Project *Project
	Fixes   []*Fix // every version of every branch, as the store gives them
	// ReportURL is the report's page: a REPORT reference, which becomes
	// readable to all when the report is made public, as the document is.
	ReportURL string
}

// DraftFromReport derives the document of a report from what the report
// already holds, so that nothing is typed twice: the kind from its class,
// the title (without the CVE suffix the document adds itself), the
// affected components and versions, the description from the impact
// description, the credit (unless the reporter asked that it, or their
// identity, never be disclosed), the CVE ids, and per branch the links of
// the latest fix. What needs judgment (summary, mitigation, CVSS, more
// references) is left for the coordinator. A class that leads to no
// document is ECONFLICT; a report with no impact description, or with components but no
// affected versions, is EINVALID naming the report's field.
func DraftFromReport(f DraftFacts) (Advisory, error) {
	r := f.Report
	kind, ok := KindFor(r.Class)
	if !ok {
		return Advisory{}, Errorf(ECONFLICT, "the report's class (%s) leads to no advisory or note; classify it first", orDash(string(r.Class)))
	}
	if strings.TrimSpace(r.ImpactDescription) == "" {
		return Advisory{}, Invalid("impact_description", "the document's description is the impact description: draft it first")
	}
	d := Advisory{Kind: kind, State: AdvisoryDraft, ProjectID: r.ProjectID, ReportID: r.ID,
		Vendor: VendorName(f.Project), Title: Retitle(r.Title, r.CVEs, nil),
		CVEs: append([]string(nil), r.CVEs...)}
	d.Description, d.Mitigation = ImpactSections(r.ImpactDescription)
	if len(d.CVEs) == 0 {
		d.CVEs = nil
	}
	for i, e := range r.Affected {
		if e.Versions == "" {
			return Advisory{}, Invalid(fmt.Sprintf("affected[%d].versions", i), "the report does not say which versions of %s are affected: set them on the report first", orDash(e.Component))
		}
		af := e.Affected()
		if af.Component == "" && f.Project != nil {
			// The project as a whole: the document names the vendor's product.
			af.Component = f.Project.Name
		}
		d.Affected = append(d.Affected, af)
	}
	if !contains(r.NeverDisclose, "credit") && !contains(r.NeverDisclose, "reporter_identity") {
		d.Credits = creditsOf(r.Credit)
	}
	d.Patches = patchesOf(f.Fixes, f.Project)
	if f.ReportURL != "" {
		d.References = []Reference{{Type: "REPORT", URL: f.ReportURL}}
	}
	return d, nil
}

// VendorName writes a project's name as a vendor: "kata-containers" is
// "Kata Containers".
func VendorName(p *Project) string {
	if p == nil {
		return ""
	}
	words := strings.Split(p.Name, "-")
	for i, w := range words {
		if w != "" {
			rs := []rune(w)
			rs[0] = unicode.ToUpper(rs[0])
			words[i] = string(rs)
		}
	}
	return strings.Join(words, " ")
}

// creditsOf reads the report's credit, "Jane Doe (Acme), John Roe", as
// the reporters it names, each with their affiliation in brackets.
func creditsOf(s string) []Credit {
	var out []Credit
	for part := range strings.SplitSeq(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		c := Credit{Name: part, Type: CreditReporter}
		if i := strings.LastIndex(part, " ("); i > 0 && strings.HasSuffix(part, ")") {
			c.Name, c.Affiliation = strings.TrimSpace(part[:i]), strings.TrimSpace(part[i+2:len(part)-1])
		}
		if len(c.Name) > MaxShortFieldLen || len(c.Affiliation) > MaxShortFieldLen {
			// Too long to be a name: the coordinator writes it.
			continue
		}
		out = append(out, c)
	}
	return out
}

// patchesOf lists, per branch in the project's order, the link of the
// latest fix version that has one (a pull request); a series of patches
// has no public link until it is merged, so its branch is left for the
// coordinator.
func patchesOf(fixes []*Fix, p *Project) []Patch {
	latest := map[string]*Fix{}
	for _, fx := range fixes {
		if fx.URL == "" {
			continue
		}
		if cur := latest[fx.Branch]; cur == nil || fx.Version > cur.Version {
			latest[fx.Branch] = fx
		}
	}
	var order []string
	if p != nil {
		order = append(order, p.Branches...)
	}
	for _, fx := range fixes {
		if !contains(order, fx.Branch) {
			order = append(order, fx.Branch)
		}
	}
	var out []Patch
	for _, b := range order {
		if fx := latest[b]; fx != nil {
			out = append(out, Patch{Branch: b, URLs: []string{fx.URL}})
		}
	}
	return out
}

// ImpactSections returns the description and the mitigation an impact
// description holds under its "Description:" and "Mitigation:" headings
// (as the shipped template writes them; the heading lines of the facts
// above, "Title: …", carry their value on the same line and are left
// out). A text without a "Description:" heading, as a project's own
// template may write it, is the description whole.
func ImpactSections(text string) (description, mitigation string) {
	var desc, mit []string
	var cur *[]string
	found := false
	for line := range strings.SplitSeq(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		switch strings.TrimSpace(line) {
		case "Description:":
			cur, found = &desc, true
			continue
		case "Mitigation:":
			cur = &mit
			continue
		}
		if cur != nil {
			*cur = append(*cur, line)
		}
	}
	if !found {
		return strings.TrimSpace(text), strings.TrimSpace(strings.Join(mit, "\n"))
	}
	return strings.TrimSpace(strings.Join(desc, "\n")), strings.TrimSpace(strings.Join(mit, "\n"))
}

// OrDraft names an advisory in a sentence: its id, or "a draft" before
// it has one.
func OrDraft(d *Advisory) string {
	if d.ID.IsZero() {
		return "a draft"
	}
	return d.ID.String()
}
