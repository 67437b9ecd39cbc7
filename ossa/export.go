package ossa

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/vmtproject/vmt"
)

// Writing advisories back as the project's own files (issue 15, item 5):
// a project that keeps its advisories in a git repository (OpenStack's
// openstack/ossa, Kata's VMT/KCSA) can keep doing so, and a re-import of
// the files written here gives the same advisory, so that it changes
// nothing. Each writer writes only what its reader reads; what the layout
// has no place for is named by Unkept, never dropped silently.

// outFile is the OSSA layout in the order the published files use.
type outFile struct {
	Date          string      `yaml:"date"`
	ID            string      `yaml:"id"`
	Title         string      `yaml:"title"`
	Description   string      `yaml:"description"`
	Reference     string      `yaml:"reference,omitempty"`
	Errata        string      `yaml:"errata,omitempty"`
	Affected      []product   `yaml:"affected-products"`
	Vulns         []outVuln   `yaml:"vulnerabilities,omitempty"`
	Reporters     []outCredit `yaml:"reporters,omitempty"`
	Issues        *outIssues  `yaml:"issues,omitempty"`
	Reviews       *yaml.Node  `yaml:"reviews,omitempty"`
	Notes         []string    `yaml:"notes,omitempty"`
	ErrataHistory []string    `yaml:"errata_history,omitempty"`
}

type outVuln struct {
	CVEID          string         `yaml:"cve-id,omitempty"`
	Impact         *outImpact     `yaml:"impact-assessment,omitempty"`
	Classification *outClassified `yaml:"classification,omitempty"`
}

type outImpact struct {
	Assessment struct {
		Type   string `yaml:"type"`
		Detail string `yaml:"detail"`
	} `yaml:"assessment"`
}

type outClassified struct {
	Type   string `yaml:"type"`
	Detail string `yaml:"detail"`
}

type outCredit struct {
	Name        string `yaml:"name"`
	Affiliation string `yaml:"affiliation,omitempty"`
}

type outIssues struct {
	Links []string `yaml:"links"`
}

// Export writes a as an OSSA YAML file, the layout Import reads. The
// advisory needs an id of the form PREFIX-YYYY-NNN and a publication
// date (an embargoed document is written as it will be published).
func Export(a *vmt.Advisory) ([]byte, error) {
	if a.ID.IsZero() {
		return nil, fmt.Errorf("ossa: %w", vmt.Invalid("id", "the advisory has no id yet (an OSSA file is named by it)"))
	}
	if a.Published == nil {
		return nil, fmt.Errorf("ossa %s: %w", a.ID, vmt.Invalid("published", "is required: an OSSA file is dated"))
	}
	f := outFile{
		Date: a.Published.UTC().Format(time.DateOnly), ID: a.ID.String(),
		Title: a.Title, Description: a.Description, Errata: a.Errata,
		Notes: a.Notes,
	}
	var refs []string
	for _, r := range a.References {
		switch r.Type {
		case "ADVISORY":
			refs = append(refs, r.URL)
		case "REPORT":
			if f.Issues == nil {
				f.Issues = &outIssues{}
			}
			f.Issues.Links = append(f.Issues.Links, r.URL)
		}
	}
	// One reference field: several are written "a, b", which the reader
	// splits back into as many references.
	f.Reference = strings.Join(refs, ", ")
	for _, af := range a.Affected {
		f.Affected = append(f.Affected, product{Product: af.Component, Version: af.Versions})
	}
	f.Vulns = vulnerabilities(a)
	for _, c := range a.Credits {
		f.Reporters = append(f.Reporters, outCredit{Name: c.Name, Affiliation: c.Affiliation})
	}
	f.Reviews = reviews(a.Patches)
	for i := len(a.Revisions) - 1; i >= 0; i-- { // newest first, as the files have it
		r := a.Revisions[i]
		f.ErrataHistory = append(f.ErrataHistory, r.Date.UTC().Format(time.DateOnly)+" - "+r.Summary)
	}
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(&f); err != nil {
		return nil, fmt.Errorf("ossa %s: %w", a.ID, err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("ossa %s: %w", a.ID, err)
	}
	return b.Bytes(), nil
}

// vulnerabilities writes one entry per CVE, the vectors and CWEs given to
// the entries in order (the reader collects them all, whichever entry
// holds them), with entries without an id for those left over.
func vulnerabilities(a *vmt.Advisory) []outVuln {
	n := max(len(a.CVEs), len(a.CVSS), len(a.CWEs))
	out := make([]outVuln, n)
	for i := range out {
		if i < len(a.CVEs) {
			out[i].CVEID = a.CVEs[i]
		}
		if i < len(a.CVSS) {
			out[i].Impact = &outImpact{}
			out[i].Impact.Assessment.Type = vectorType(a.CVSS[i])
			out[i].Impact.Assessment.Detail = a.CVSS[i]
		}
		if i < len(a.CWEs) {
			out[i].Classification = &outClassified{Type: "CWE", Detail: a.CWEs[i]}
		}
	}
	return out
}

// vectorType is the assessment type of a vector: the OSSAs' CVSS2 for a
// bare (version 2) vector, CVSS3 or CVSS4 for the prefixed ones.
func vectorType(v string) string {
	switch {
	case strings.HasPrefix(v, "CVSS:3"):
		return "CVSS3"
	case strings.HasPrefix(v, "CVSS:4"):
		return "CVSS4"
	}
	return "CVSS2"
}

// reviews writes the patches as the ordered mapping branch: [URLs].
func reviews(ps []vmt.Patch) *yaml.Node {
	if len(ps) == 0 {
		return nil
	}
	n := &yaml.Node{Kind: yaml.MappingNode}
	for _, p := range ps {
		seq := &yaml.Node{Kind: yaml.SequenceNode}
		for _, u := range p.URLs {
			seq.Content = append(seq.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: u})
		}
		n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: p.Branch}, seq)
	}
	return n
}

// Unkept is a field of an advisory that a file format cannot hold: the
// advisory read back from the file lacks it or says it otherwise.
type Unkept struct {
	Field string // the advisory's JSON field: "credits", "vendor"
	Why   string
}

// ossaUnkept says why each field an OSSA file may not keep is not kept.
var ossaUnkept = map[string]string{
	"kind":              "an OSSA file is an advisory: a note reads back as an advisory",
	"state":             "an OSSA file is a published advisory",
	"vendor":            "every OSSA is OpenStack's",
	"aliases":           "the layout has no field for other ids",
	"summary":           "the layout has no summary",
	"mitigation":        "the layout has no mitigation",
	"affected":          "a product is its name and version text; the ranges are read again from the text, ecosystem, package and PURL have no field",
	"credits":           "reporters have a name and an affiliation only: the credit type reads back as REPORTER, contacts are not kept",
	"references":        "only the advisory reference and the issue links have fields (ADVISORY then REPORT)",
	"published":         "the date is a day, without its time",
	"modified":          "the modification date is the date of the last errata_history entry",
	"withdrawn":         "the layout has no withdrawal",
	"revisions":         "errata_history entries are a day and a summary, numbered from 1 on reading",
	"database_specific": "the layout has no database-specific data",
	"title":             "the title is read as one line",
	"errata":            "the errata is read as one line",
	"description":       "the description is read without surrounding space",
	"notes":             "each note is read without surrounding space",
	"patches":           "a review is one URL per line, of a branch not named \"type\"",
}

// UnkeptOSSA lists the fields of a that its OSSA file does not keep, by
// writing the file and reading it back: what the list names is exactly
// what a re-import would change.
func UnkeptOSSA(a *vmt.Advisory) ([]Unkept, error) {
	b, err := Export(a)
	if err != nil {
		return nil, err
	}
	back, err := Import(b)
	if err != nil {
		return nil, fmt.Errorf("ossa %s: the file written does not read back: %w", a.ID, err)
	}
	return unkept(a, back, ossaUnkept)
}

// unkept names the fields in which a and back differ, with why.
func unkept(a, back *vmt.Advisory, why map[string]string) ([]Unkept, error) {
	fields, err := vmt.AdvisoryFieldsDiffer(a, back)
	if err != nil {
		return nil, err
	}
	var out []Unkept
	for _, f := range fields {
		w, ok := why[f]
		if !ok {
			w = "not read back as written"
		}
		out = append(out, Unkept{Field: f, Why: w})
	}
	return out, nil
}
