package ossa

import (
	"fmt"
	"strings"
	"time"

	"github.com/vmtproject/vmt"
)

// ExportKCSA writes a as a KCSA file in the layout of Kata's published
// ones (VMT/KCSA/KCSA-CVE-….md), written so that ImportKCSA reads it
// without a fix: keys in lower case, every scalar value quoted, the prose
// fields (title, description, notes) as the published files write them,
// indented so that no line of theirs reads as a key. The id written is
// the one the advisory was published under (kcsaID), so that a
// re-import finds it.
func ExportKCSA(a *vmt.Advisory) ([]byte, error) {
	id := kcsaID(a)
	if id == "" {
		return nil, fmt.Errorf("kcsa: %w", vmt.Invalid("id", "the advisory has no id yet (a KCSA file is named by it)"))
	}
	if a.Published == nil {
		return nil, fmt.Errorf("kcsa %s: %w", id, vmt.Invalid("published", "is required: a KCSA is dated"))
	}
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	w("announcement-date: %s\n\nid: %s\n\n", a.Published.UTC().Format(time.DateOnly), yamlQuote(id))
	w("title: %s\n\n", a.Title)
	w("description: %s\n\n", indentProse(a.Description, "  "))
	w("affected-components:\n\n")
	for _, af := range a.Affected {
		w("  - components: %s\n    version: %s\n", yamlQuote(af.Component), yamlQuote(af.Versions))
	}
	if vs := vulnerabilities(a); len(vs) > 0 {
		w("\nvulnerabilities:\n\n")
		for _, v := range vs {
			w("  - cve-id: %s\n", yamlQuote(v.CVEID))
			if v.Impact != nil {
				w("    impact-assessment:\n      assessment:\n        type: %s\n        detail: %s\n",
					v.Impact.Assessment.Type, yamlQuote(v.Impact.Assessment.Detail))
			}
			if v.Classification != nil {
				w("    classification:\n      type: CWE\n      detail: %s\n", yamlQuote(v.Classification.Detail))
			}
		}
	}
	if len(a.Credits) > 0 {
		w("\nreporters:\n\n")
		for _, c := range a.Credits {
			w("  - name: %s\n", yamlQuote(c.Name))
			if c.Affiliation != "" {
				w("    affiliation: %s\n", yamlQuote(c.Affiliation))
			}
		}
	}
	var links []string
	for _, r := range a.References {
		if r.Type == "REPORT" {
			links = append(links, r.URL)
		}
	}
	if len(links) > 0 {
		w("\nissues:\n\n  links:\n")
		for _, l := range links {
			w("    - %s\n", yamlQuote(l))
		}
	}
	if len(a.Patches) > 0 {
		w("\nreviews:\n\n")
		for _, p := range a.Patches {
			w("  %s:\n", yamlQuote(p.Branch))
			for _, u := range p.URLs {
				w("    - %s\n", yamlQuote(u))
			}
		}
	}
	if len(a.Notes) > 0 {
		w("\nnotes:\n")
		for _, n := range a.Notes {
			w("  - %s\n", indentProse(n, "    "))
		}
	}
	return []byte(b.String()), nil
}

// kcsaID is the id of a's file: the first alias that is a Kata id of
// its own kind (KCSA-CVE-2020-2023, which the server keeps as an alias
// of the number it gives the document on import), else a's id.
func kcsaID(a *vmt.Advisory) string {
	for _, al := range a.Aliases {
		if _, err := vmt.ParseAdvisoryID(al); err != nil && strings.HasPrefix(al, "KCSA-") {
			return al
		}
	}
	return a.OriginalID()
}

// indentProse writes s with its lines after the first indented by pad,
// blank lines left empty.
func indentProse(s, pad string) string {
	lines := strings.Split(s, "\n")
	for i := 1; i < len(lines); i++ {
		if strings.TrimSpace(lines[i]) != "" {
			lines[i] = pad + lines[i]
		} else {
			lines[i] = ""
		}
	}
	return strings.Join(lines, "\n")
}

// kcsaUnkept says why each field a KCSA file may not keep is not kept.
var kcsaUnkept = map[string]string{
	"id":                "a KCSA is named by the id it was published under (its alias), the id given here is not written",
	"kind":              "a KCSA file is an advisory: a note reads back as an advisory",
	"state":             "a KCSA file is a published advisory",
	"vendor":            "every KCSA is Kata Containers'",
	"aliases":           "the file's id is the only other id it holds",
	"summary":           "the layout has no summary",
	"mitigation":        "the layout has no mitigation",
	"affected":          "a component is its name and version text; the ranges are read again from the text, ecosystem, package and PURL have no field",
	"credits":           "reporters have a name and an affiliation only: the credit type reads back as REPORTER, contacts are not kept",
	"references":        "only the issue links (REPORT) have a field",
	"published":         "the announcement date is a day, without its time",
	"modified":          "the layout has no modification date",
	"withdrawn":         "the layout has no withdrawal",
	"revisions":         "the layout has no revision history",
	"errata":            "the layout has no errata",
	"database_specific": "the layout has no database-specific data",
	"title":             "the title is read as one line",
	"description":       "the description is Markdown read line by line, each line without its indentation",
	"notes":             "each note is Markdown read without trailing space",
	"patches":           "a review is one URL per line, of a branch not named \"type\"",
}

// UnkeptKCSA lists the fields of a that its KCSA file does not keep, by
// writing the file and reading it back.
func UnkeptKCSA(a *vmt.Advisory) ([]Unkept, error) {
	b, err := ExportKCSA(a)
	if err != nil {
		return nil, err
	}
	back, _, err := ImportKCSA(b)
	if err != nil {
		return nil, fmt.Errorf("kcsa %s: the file written does not read back: %w", kcsaID(a), err)
	}
	return unkept(a, back, kcsaUnkept)
}
