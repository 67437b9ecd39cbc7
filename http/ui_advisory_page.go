package http

import (
	"html/template"
	"slices"
	"strings"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/markdown"
	"github.com/vmtproject/vmt/render"
)

// The parts of a public document's page, read as a reader of GitHub's
// advisories expects them: the severity with its metrics in words, the
// weaknesses named, the versions per branch, the credits with their part,
// the references as links and the text rendered from Markdown (sanitized
// by package markdown).

// affectedRow is one line of the affected table: a component on one
// branch, or the component as a whole when no branch is known.
type affectedRow struct {
	Component string
	Package   string // "Go: github.com/kata-containers/kata-containers", "" for none
	Branch    string
	Affected  string // in words: ">= 3.0.0, < 3.2.1"
	Patched   string // the first fixed version, "" when none is known
	NoFix     bool   // a range with neither a fix nor a last affected version
	Fixes     []string
}

// creditRow is one credit with its part in words.
type creditRow struct {
	Name, Affiliation, Type string
}

// refRow is one reference with its kind in words.
type refRow struct {
	Type, URL string
}

// exportLink is one machine-readable form of the document.
type exportLink struct {
	Name, URL, Title string
}

// documentParts fills the parts of page from its document.
func documentParts(page *advisoryPage) error {
	d := page.Doc
	scores, err := render.Scores(d)
	if err != nil {
		return err
	}
	page.Scores = scores
	page.Severity, page.Score = render.Severity(d)
	for _, id := range d.CWEs {
		page.CWEs = append(page.CWEs, vmt.CWEOf(id))
	}
	page.Description = markdown.Render(d.Description)
	if d.Mitigation != "" {
		page.Mitigation = markdown.Render(d.Mitigation)
	}
	for _, n := range d.Notes {
		page.Notes = append(page.Notes, markdown.Render(n))
	}
	if d.Errata != "" {
		page.Errata = markdown.Render(d.Errata)
	}
	page.Affected = affectedRows(d)
	for _, c := range d.Credits {
		page.Credits = append(page.Credits, creditRow{Name: c.Name, Affiliation: c.Affiliation, Type: render.CreditWords(c.Type)})
	}
	for _, r := range d.References {
		page.References = append(page.References, refRow{Type: refWords(r.Type), URL: r.URL})
	}
	page.Exports = exportLinks(page.Item.Exports)
	return nil
}

// affectedRows are the affected components, a row per branch where the
// document knows its ranges, with the fixes of that branch.
func affectedRows(d *vmt.Advisory) []affectedRow {
	fixes := map[string][]string{}
	for _, p := range d.Patches {
		fixes[p.Branch] = append(fixes[p.Branch], p.URLs...)
	}
	var out []affectedRow
	for _, af := range d.Affected {
		pkg := ""
		if af.Ecosystem != "" {
			pkg = af.Ecosystem + ": " + cmpOr(af.Package, af.Component)
		}
		if len(af.Ranges) == 0 {
			out = append(out, affectedRow{Component: af.Component, Package: pkg, Affected: af.Versions})
			continue
		}
		for _, r := range af.Ranges {
			row := affectedRow{Component: af.Component, Package: pkg, Branch: r.Branch, Patched: r.Fixed, Fixes: fixes[r.Branch]}
			from := ""
			if r.Introduced != "" && r.Introduced != "0" {
				from = ">= " + r.Introduced
			}
			switch {
			case r.Fixed != "":
				row.Affected = joinNonEmpty(from, "< "+r.Fixed)
			case r.LastAffected != "":
				row.Affected = joinNonEmpty(from, "<= "+r.LastAffected)
			default:
				row.Affected, row.NoFix = cmpOr(from, "every version"), true
			}
			out = append(out, row)
		}
	}
	return out
}

// patchedBranches are the branches with fixes that no row of the
// affected table shows, for the list of fixes under it.
func patchedBranches(d *vmt.Advisory, rows []affectedRow) []vmt.Patch {
	var out []vmt.Patch
	for _, p := range d.Patches {
		if !slices.ContainsFunc(rows, func(r affectedRow) bool { return r.Branch == p.Branch && len(r.Fixes) > 0 }) {
			out = append(out, p)
		}
	}
	return out
}

// exportLinks orders the exports: OSV, the CVE records, CSAF.
func exportLinks(m map[string]string) []exportLink {
	out := []exportLink{{"OSV", m["osv"], "OSV JSON, as osv.dev and GitHub read it"}}
	var cves []string
	for k := range m {
		if k == "cve" || strings.HasPrefix(k, "cve:") {
			cves = append(cves, k)
		}
	}
	slices.Sort(cves)
	for _, k := range cves {
		name := "CVE JSON 5 record"
		if id, ok := strings.CutPrefix(k, "cve:"); ok {
			name += " of " + id
		}
		out = append(out, exportLink{name, m[k], "the record as published to the CVE List"})
	}
	return append(out, exportLink{"CSAF 2.0", m["csaf"], "a CSAF security advisory"},
		exportLink{"OSSA YAML", m["ossa"], "the file of an openstack/ossa-style repository"},
		exportLink{"KCSA", m["kcsa"], "the Markdown file of Kata's VMT/KCSA"})
}

// refWords is a reference type as a reader says it: "Fix", "Advisory".
func refWords(t vmt.ReferenceType) string {
	w := strings.ToLower(string(t))
	if w == "" {
		return "Web"
	}
	return strings.ToUpper(w[:1]) + w[1:]
}

func joinNonEmpty(parts ...string) string {
	return strings.Join(slices.DeleteFunc(parts, func(s string) bool { return s == "" }), ", ")
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// documentHTML is the document's text as mailed (the KCSA or KCSN of the
// project's templates), rendered from its Markdown, its headings moved
// two levels down: it sits under the page's own h2, and a page has one
// h1. The tags are those of the sanitized output, so a plain replacement
// is exact.
func documentHTML(text string) template.HTML {
	h := string(markdown.Render(text))
	h = headingShift.Replace(h)
	return template.HTML(h) // sanitized by markdown.Render; only tag names changed
}

var headingShift = strings.NewReplacer(
	"<h1", "<h3", "</h1>", "</h3>", "<h2", "<h4", "</h2>", "</h4>",
	"<h3", "<h5", "</h3>", "</h5>", "<h4", "<h6", "</h4>", "</h6>",
	"<h5", "<h6", "</h5>", "</h6>")
