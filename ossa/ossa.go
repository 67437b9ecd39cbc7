// Package ossa imports OpenStack Security Advisories, the YAML files of
// the openstack/ossa repository (OSSA-YYYY-NNN.yaml), into advisories, so
// that a team can bring its published history into vmt.
//
// The files have no schema; the fields read are those every file of the
// repository uses: date, id, title, description, affected-products,
// vulnerabilities (cve-id, CVSS 2 impact assessment, CWE classification,
// note), reporters, issues, reviews, and the optional reference, notes,
// errata and errata_history.
package ossa

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/cvss"
)

// Vendor is the vendor of every OSSA.
const Vendor = "OpenStack"

// file is the YAML document.
type file struct {
	Date          string          `yaml:"date"`
	ID            string          `yaml:"id"`
	Title         string          `yaml:"title"`
	Description   string          `yaml:"description"`
	Reference     string          `yaml:"reference"`
	Affected      []product       `yaml:"affected-products"`
	Vulns         []vulnerability `yaml:"vulnerabilities"`
	Reporters     []reporter      `yaml:"reporters"`
	Issues        issues          `yaml:"issues"`
	Reviews       yaml.Node       `yaml:"reviews"` // a mapping whose order is the branches' order
	Notes         []string        `yaml:"notes"`
	Errata        string          `yaml:"errata"`
	ErrataHistory []string        `yaml:"errata_history"`
	Type          string          `yaml:"type"`
}

type product struct {
	Product string `yaml:"product"`
	Version string `yaml:"version"`
}

type vulnerability struct {
	CVEID  string `yaml:"cve-id"`
	Note   string `yaml:"note"`
	Impact struct {
		Source     string `yaml:"source"`
		Rating     string `yaml:"rating"`
		Assessment struct {
			Type   string  `yaml:"type"`
			Score  float64 `yaml:"score"`
			Detail string  `yaml:"detail"`
		} `yaml:"assessment"`
	} `yaml:"impact-assessment"`
	Classification struct {
		Source string `yaml:"source"`
		Type   string `yaml:"type"`
		Detail string `yaml:"detail"`
	} `yaml:"classification"`
}

type reporter struct {
	Name        string    `yaml:"name"`
	Affiliation string    `yaml:"affiliation"`
	Reported    yaml.Node `yaml:"reported"` // a list or a single id; not used
}

type issues struct {
	Links []string `yaml:"links"`
	Type  string   `yaml:"type"`
}

// Import parses one OSSA YAML file into a published advisory. Unknown
// keys are refused (a misspelt key would otherwise lose data silently),
// and the result must validate; errors name the file's id and the field.
func Import(b []byte) (*vmt.Advisory, error) {
	var f file
	if err := decodeYAML(b, &f); err != nil {
		return nil, fmt.Errorf("ossa: %w", err)
	}
	a, err := f.advisory()
	if err != nil {
		return nil, fmt.Errorf("ossa %s: %w", f.ID, err)
	}
	if err := cvss.Check(a); err != nil {
		return nil, fmt.Errorf("ossa %s: %w", f.ID, err)
	}
	return a, nil
}

func (f *file) advisory() (*vmt.Advisory, error) {
	id, err := vmt.ParseAdvisoryID(f.ID)
	if err != nil {
		return nil, err
	}
	pub, err := time.Parse(time.DateOnly, f.Date)
	if err != nil {
		return nil, vmt.Invalid("date", "%q is not a date (YYYY-MM-DD)", f.Date)
	}
	a := &vmt.Advisory{
		ID: id, Kind: vmt.KindAdvisory, State: vmt.AdvisoryPublished, Vendor: Vendor,
		Title: oneLine(f.Title), Description: strings.TrimSpace(f.Description),
		Notes: trimAll(f.Notes), Errata: strings.TrimSpace(oneLine(f.Errata)), Published: &pub,
	}
	for _, p := range f.Affected {
		a.Affected = append(a.Affected, affected(p))
	}
	f.readVulnerabilities(a)
	for _, r := range f.Reporters {
		a.Credits = append(a.Credits, credit(r))
	}
	for _, u := range links(a, "reference", f.Reference) {
		a.References = append(a.References, vmt.Reference{Type: "ADVISORY", URL: u})
	}
	for _, l := range f.Issues.Links {
		for _, u := range links(a, "issue", l) {
			a.References = append(a.References, vmt.Reference{Type: "REPORT", URL: u})
		}
	}
	if err := f.readReviews(a); err != nil {
		return nil, err
	}
	if err := f.readHistory(a); err != nil {
		return nil, err
	}
	return a, nil
}

var (
	cveInTextRE = regexp.MustCompile(`^(CVE-[0-9]{4}-[0-9]{4,19})\b\s*(.*)$`)
	cweRE       = regexp.MustCompile(`^CWE-[1-9][0-9]*$`)
	urlRE       = regexp.MustCompile(`https?://\S+`)
)

// readVulnerabilities takes the CVE ids, the CVSS 2 vectors, the CWEs and
// the notes. A CVE id with words after it ("CVE-2016-0737 (client to
// proxy)") keeps the words as a note; a placeholder ("CVE-2026-pending")
// is kept as a note rather than as an id.
func (f *file) readVulnerabilities(a *vmt.Advisory) {
	for _, v := range f.Vulns {
		id := strings.TrimSpace(v.CVEID)
		if m := cveInTextRE.FindStringSubmatch(id); m != nil {
			a.CVEs = appendNew(a.CVEs, m[1])
			if m[2] != "" {
				a.Notes = append(a.Notes, m[1]+": "+m[2])
			}
		} else if id != "" {
			a.Notes = append(a.Notes, "CVE id as published: "+id)
		}
		if v.Note != "" {
			a.Notes = append(a.Notes, strings.TrimSpace(v.Note))
		}
		readAssessment(a, v)
	}
}

// readAssessment takes a vulnerability's vector and CWE. The published
// OSSAs have CVSS2 only; CVSS3 and CVSS4 are what Export writes for the
// prefixed vectors (CVSS:3.1/…, CVSS:4.0/…) of vmt's own advisories.
func readAssessment(a *vmt.Advisory, v vulnerability) {
	switch v.Impact.Assessment.Type {
	case "CVSS2", "CVSS3", "CVSS4":
		if d := strings.TrimSpace(v.Impact.Assessment.Detail); d != "" {
			a.CVSS = appendNew(a.CVSS, d)
		}
	}
	if d := strings.TrimSpace(v.Classification.Detail); v.Classification.Type == "CWE" && cweRE.MatchString(d) {
		a.CWEs = appendNew(a.CWEs, d)
	}
}

func credit(r reporter) vmt.Credit {
	c := vmt.Credit{Name: oneLine(r.Name), Affiliation: oneLine(r.Affiliation), Type: vmt.CreditReporter}
	if strings.EqualFold(c.Affiliation, "UNKNOWN") {
		c.Affiliation = ""
	}
	return c
}

// readReviews turns the reviews mapping (branch: [URLs], and an optional
// "type: gerrit") into patches, in the file's order. An entry that is a
// sentence around a URL ("Patch attached to https://…") gives the URL,
// and the sentence is kept as a note.
func (f *file) readReviews(a *vmt.Advisory) error {
	n := &f.Reviews
	if n.Kind == 0 {
		return nil
	}
	if n.Kind != yaml.MappingNode {
		return vmt.Invalid("reviews", "is not a mapping of branch to review URLs (line %d)", n.Line)
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		branch, val := n.Content[i].Value, n.Content[i+1]
		if branch == "type" {
			continue
		}
		var urls []string
		if err := val.Decode(&urls); err != nil {
			return vmt.Invalid("reviews", "branch %q: %v (line %d)", branch, err, val.Line)
		}
		p := vmt.Patch{Branch: branch}
		for _, u := range urls {
			p.URLs = append(p.URLs, links(a, branch, u)...)
		}
		a.Patches = append(a.Patches, p)
	}
	return nil
}

// links returns the URLs of an entry that should be one URL. Some files
// give several ("https://a, https://b") or a URL with words ("https://…
// - original", "Patch attached to https://…"): the URLs are taken and the
// entry as written is kept as a note, so that nothing is lost. An entry
// with no URL at all is returned as is, for validation to refuse by name.
func links(a *vmt.Advisory, what, s string) []string {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	if !strings.ContainsAny(s, " \t\n,") {
		return []string{s}
	}
	var out []string
	for _, u := range urlRE.FindAllString(s, -1) {
		out = append(out, strings.TrimRight(u, ",.;)"))
	}
	if len(out) == 0 {
		return []string{s}
	}
	if rest := strings.Trim(urlRE.ReplaceAllString(s, ""), " ,;-"); rest != "" {
		a.Notes = append(a.Notes, what+": "+oneLine(s))
	}
	return out
}

// readHistory turns errata_history ("2014-12-10 - Errata 1", newest
// first) into revisions numbered from the original version.
func (f *file) readHistory(a *vmt.Advisory) error {
	for i := len(f.ErrataHistory) - 1; i >= 0; i-- {
		h := f.ErrataHistory[i]
		date, summary, ok := strings.Cut(h, " - ")
		d, err := time.Parse(time.DateOnly, strings.TrimSpace(date))
		if !ok || err != nil {
			return vmt.Invalid("errata_history", "%q is not \"YYYY-MM-DD - summary\"", h)
		}
		a.Revisions = append(a.Revisions, vmt.Revision{Number: len(a.Revisions) + 1, Date: d, Summary: strings.TrimSpace(summary)})
	}
	if n := len(a.Revisions); n > 0 {
		last := a.Revisions[n-1].Date
		a.Modified = &last
	}
	return nil
}

// oneLine joins the lines of a folded YAML scalar.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func trimAll(xs []string) []string {
	var out []string
	for _, x := range xs {
		out = append(out, strings.TrimSpace(x))
	}
	return out
}

func appendNew(xs []string, x string) []string {
	for _, y := range xs {
		if y == x {
			return xs
		}
	}
	return append(xs, x)
}
