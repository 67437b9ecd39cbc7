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

// KataVendor is the vendor of every KCSA.
const KataVendor = "Kata Containers"

// Kata Containers Security Advisories (KCSA-CVE-2020-2023.md in
// kata-containers/community VMT/KCSA) are Markdown files holding what is
// meant to be YAML in the OSSA layout, but none of the published ones is
// YAML as written: keys spelt `CVE-ID:`, `reviews:` indented by one space,
// values that start with a backtick (a YAML reserved character), prose
// continued at column 0 and holding ": ", Markdown code fences, and
// fields written as separate list items. ImportKCSA fixes them line by
// line before parsing, and says what it fixed.

// kcsaFile is the YAML of a KCSA once fixed.
type kcsaFile struct {
	Date        string      `yaml:"announcement-date"`
	ID          string      `yaml:"id"`
	Title       string      `yaml:"title"`
	Description string      `yaml:"description"`
	Affected    []yaml.Node `yaml:"affected-components"`
	Potentially []yaml.Node `yaml:"potentially-affected-components"`
	// Vulns are read as an OSSA's: the published KCSAs give only the
	// cve-id, ExportKCSA also the vectors and CWEs.
	Vulns     []vulnerability `yaml:"vulnerabilities"`
	Reporters []yaml.Node     `yaml:"reporters"`
	Issues    struct {
		Links   []yaml.Node `yaml:"links"`
		Reviews []string    `yaml:"reviews"` // a KCSA with no fix says so here
	} `yaml:"issues"`
	Reviews   yaml.Node `yaml:"reviews"`
	Reproduce []string  `yaml:"reproduce"`
	Notes     []string  `yaml:"notes"`
}

// ImportKCSA parses one KCSA file into a published advisory. Its id
// (KCSA-CVE-2020-2023) is not of the form PREFIX-YYYY-NNN: it is kept as
// an alias and the advisory is left unnumbered for the caller to number.
// fixes lists what was changed in the file to read it, with line numbers.
func ImportKCSA(b []byte) (a *vmt.Advisory, fixes []string, err error) {
	if len(b) > MaxInput {
		return nil, nil, fmt.Errorf("kcsa: the file has %d bytes, more than the %d allowed", len(b), MaxInput)
	}
	fixed, fixes := FixKCSA(string(b))
	var f kcsaFile
	if err := decodeYAML([]byte(fixed), &f); err != nil {
		return nil, fixes, fmt.Errorf("kcsa: %w", err)
	}
	a, err = f.advisory(&fixes)
	if err != nil {
		return nil, fixes, fmt.Errorf("kcsa %s: %w", f.ID, err)
	}
	if _, err := cvss.Scores(a); err != nil {
		return nil, fixes, fmt.Errorf("kcsa %s: %w", f.ID, err)
	}
	return a, fixes, nil
}

var (
	kcsaTopKeyRE = regexp.MustCompile(`^([A-Za-z][A-Za-z-]*):[ \t]*(.*)$`)
	kcsaItemRE   = regexp.MustCompile(`^( *)- ?(.*)$`)
	// kcsaValueRE is a line with a value that YAML would misread: after
	// "key: " or "- ", one starting with a backtick (reserved) or a
	// Markdown link "[text](url)" (a flow sequence to YAML).
	kcsaValueRE = regexp.MustCompile("^(\\s*(?:- )?[A-Za-z][A-Za-z -]*: |\\s*- )([`\\[].*)$")
	codeSpanRE  = regexp.MustCompile("^`([^`]*)`$")
)

// kcsaProse are the keys whose value is Markdown prose, not YAML: a
// scalar (title, description) or a list of paragraphs (reproduce, notes).
var kcsaProse = map[string]bool{"title": false, "description": false, "reproduce": true, "notes": true}

// FixKCSA returns the text of a KCSA made YAML, and what it changed. The
// prose fields become YAML literal blocks, so that their Markdown (code
// spans, fences, "e.g.: ") is kept as written; in the other fields the
// known mistakes are corrected.
func FixKCSA(s string) (string, []string) {
	lines := strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
	var out, fixes []string
	fix := func(line int, format string, args ...any) {
		fixes = append(fixes, fmt.Sprintf("line %d: ", line+1)+fmt.Sprintf(format, args...))
	}
	for i := 0; i < len(lines); {
		l := lines[i]
		if strings.TrimSpace(l) == "reviews:" && strings.HasPrefix(l, " ") && !strings.HasPrefix(l, "  ") {
			fix(i, "\" reviews:\" read as the top-level key \"reviews:\" (a leading space)")
			l = "reviews:"
		}
		m := kcsaTopKeyRE.FindStringSubmatch(l)
		if m == nil {
			out = append(out, fixLine(i, l, fix))
			i++
			continue
		}
		key := m[1]
		if k := strings.ToLower(key); k != key {
			fix(i, "key %q read as %q", key, k)
			key = k
		}
		// The section runs to the next line at column 0 that is a key.
		end := i + 1
		for end < len(lines) && !kcsaTopKeyRE.MatchString(lines[end]) && !(strings.TrimSpace(lines[end]) == "reviews:" && strings.HasPrefix(lines[end], " ") && !strings.HasPrefix(lines[end], "  ")) {
			end++
		}
		list, prose := kcsaProse[key]
		switch {
		case prose && !list:
			out = append(out, proseScalar(key, m[2], lines[i+1:end], i, fix)...)
		case prose && list:
			out = append(out, proseList(key, lines[i+1:end], i, fix)...)
		default:
			out = append(out, key+": "+m[2])
			for j := i + 1; j < end; j++ {
				out = append(out, fixLine(j, lines[j], fix))
			}
		}
		i = end
	}
	return strings.Join(out, "\n"), fixes
}

// fixLine corrects one line of a YAML field: a "CVE-ID:" key, and a value
// starting with a backtick or a Markdown link, which is quoted (or, when
// it is one code span, unwrapped).
func fixLine(i int, l string, fix func(int, string, ...any)) string {
	if strings.Contains(l, "CVE-ID:") {
		fix(i, "key \"CVE-ID:\" read as \"cve-id:\"")
		l = strings.Replace(l, "CVE-ID:", "cve-id:", 1)
	}
	m := kcsaValueRE.FindStringSubmatch(l)
	if m == nil {
		return l
	}
	v := strings.TrimSpace(m[2])
	if c := codeSpanRE.FindStringSubmatch(v); c != nil {
		fix(i, "backticks removed from %s", v)
		return m[1] + yamlQuote(c[1])
	}
	fix(i, "value %s quoted (it starts with %q)", v, v[:1])
	return m[1] + yamlQuote(v)
}

func yamlQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// proseScalar writes key's text, the rest of its line and the lines after
// it, as a literal block. A value that is one quoted line is left to YAML.
func proseScalar(key, first string, rest []string, at int, fix func(int, string, ...any)) []string {
	text := []string{strings.TrimSpace(first)}
	for _, r := range rest {
		text = append(text, strings.TrimSpace(r))
	}
	text = trimBlank(text)
	if len(text) == 1 && isQuoted(text[0]) {
		return []string{key + ": " + text[0]}
	}
	if len(text) > 1 || strings.HasPrefix(text[0], "`") || strings.Contains(text[0], ": ") {
		fix(at, "%s read as text (%d lines of Markdown, not YAML)", key, len(text))
	}
	out := []string{key + ": |-"}
	for _, t := range text {
		out = append(out, "  "+t)
	}
	return append(out, "")
}

// proseList writes each item of a list of paragraphs as a literal block:
// an item is a "- " at the indentation of the first, and runs to the
// next; its lines keep their indentation relative to the item's text.
func proseList(key string, rest []string, at int, fix func(int, string, ...any)) []string {
	out := []string{key + ":"}
	indent := -1
	var items [][]string
	for _, r := range rest {
		if m := kcsaItemRE.FindStringSubmatch(r); m != nil && (indent < 0 || len(m[1]) == indent) {
			indent = len(m[1])
			items = append(items, []string{m[2]})
			continue
		}
		if len(items) == 0 {
			continue // blank lines before the first item
		}
		cur := &items[len(items)-1]
		// Dedent by the item's text column where the line has that much
		// indentation; a line at column 0 (a code fence) stays at 0.
		pad := min(indent+2, len(r)-len(strings.TrimLeft(r, " ")))
		*cur = append(*cur, r[pad:])
	}
	for _, it := range items {
		it = trimBlank(it)
		if len(it) == 1 && isQuoted(it[0]) {
			out = append(out, "  - "+it[0])
			continue
		}
		out = append(out, "  - |-")
		for _, t := range it {
			if t == "" {
				out = append(out, "")
			} else {
				out = append(out, "    "+strings.TrimRight(t, " \t"))
			}
		}
	}
	if len(items) > 0 {
		fix(at, "%s read as text (%d items of Markdown, not YAML)", key, len(items))
	}
	return append(out, "")
}

func isQuoted(s string) bool {
	return len(s) >= 2 && (s[0] == '\'' && s[len(s)-1] == '\'' || s[0] == '"' && s[len(s)-1] == '"')
}

func trimBlank(xs []string) []string {
	for len(xs) > 0 && strings.TrimSpace(xs[0]) == "" {
		xs = xs[1:]
	}
	for len(xs) > 0 && strings.TrimSpace(xs[len(xs)-1]) == "" {
		xs = xs[:len(xs)-1]
	}
	return xs
}

var cveAnyRE = regexp.MustCompile(`CVE-[0-9]{4}-[0-9]{4,19}`)

func (f *kcsaFile) advisory(fixes *[]string) (*vmt.Advisory, error) {
	pub, err := time.Parse(time.DateOnly, strings.TrimSpace(f.Date))
	if err != nil {
		return nil, vmt.Invalid("announcement-date", "%q is not a date (YYYY-MM-DD)", f.Date)
	}
	id := strings.TrimSpace(f.ID)
	if id == "" {
		return nil, vmt.Invalid("id", "is missing")
	}
	a := &vmt.Advisory{Kind: vmt.KindAdvisory, State: vmt.AdvisoryPublished, Vendor: KataVendor,
		Title: oneLine(f.Title), Description: strings.TrimSpace(f.Description), Published: &pub}
	if p, err := vmt.ParseAdvisoryID(id); err == nil {
		a.ID = p
	} else {
		a.Aliases = []string{id}
	}
	products, potential := f.Affected, false
	if len(products) == 0 && len(f.Potentially) > 0 {
		products, potential = f.Potentially, true
		*fixes = append(*fixes, "potentially-affected-components read as affected-components, \"potentially\" kept in the versions")
	}
	af, err := kcsaProducts(products, fixes)
	if err != nil {
		return nil, err
	}
	for _, p := range af {
		x := affected(product{Product: p.Product, Version: p.Version})
		if potential {
			x.Versions = "potentially " + x.Versions
			x.Ranges, x.Enumerated = nil, nil
		}
		a.Affected = append(a.Affected, x)
	}
	for _, v := range f.Vulns {
		// "[CVE-2020-27151](https://cve.mitre.org/…)" gives the id too.
		if c := cveAnyRE.FindString(v.CVEID); c != "" {
			a.CVEs = appendNew(a.CVEs, c)
		} else if strings.TrimSpace(v.CVEID) != "" {
			a.Notes = append(a.Notes, "CVE id as published: "+strings.TrimSpace(v.CVEID))
		}
		readAssessment(a, v)
	}
	rs, err := kcsaReporters(f.Reporters, fixes)
	if err != nil {
		return nil, err
	}
	a.Credits = rs
	for _, n := range f.Issues.Links {
		label, u, err := linkItem(n)
		if err != nil {
			return nil, err
		}
		for _, x := range links(a, "issue", u) {
			a.References = append(a.References, vmt.Reference{Type: "REPORT", URL: x})
		}
		if label != "" {
			a.Notes = append(a.Notes, "issue "+label+": "+u)
		}
	}
	for _, r := range f.Issues.Reviews {
		a.Notes = append(a.Notes, "reviews: "+oneLine(r))
	}
	o := file{Reviews: f.Reviews}
	if err := o.readReviews(a); err != nil {
		return nil, err
	}
	for _, r := range f.Reproduce {
		a.Notes = append(a.Notes, "How to reproduce: "+strings.TrimSpace(r))
	}
	a.Notes = append(a.Notes, trimAll(f.Notes)...)
	if err := validateUnnumbered(a); err != nil {
		return nil, err
	}
	return a, nil
}

// kcsaProducts reads affected-components: mappings of components and
// version, where a file that wrote them as separate list items
// ("- components: x" then "- version: y") has them joined.
func kcsaProducts(ns []yaml.Node, fixes *[]string) ([]product, error) {
	var out []product
	for i := range ns {
		var p struct {
			Components string `yaml:"components"`
			Version    string `yaml:"version"`
		}
		if err := ns[i].Decode(&p); err != nil {
			return nil, vmt.Invalid(fmt.Sprintf("affected-components[%d]", i), "%v (line %d)", err, ns[i].Line)
		}
		if p.Components == "" && p.Version != "" && len(out) > 0 && out[len(out)-1].Version == "" {
			out[len(out)-1].Version = p.Version
			*fixes = append(*fixes, fmt.Sprintf("affected-components[%d]: the version written as its own list item joined to the component before it", i))
			continue
		}
		if p.Components == "" {
			return nil, vmt.Invalid(fmt.Sprintf("affected-components[%d]", i), "has no components (line %d)", ns[i].Line)
		}
		out = append(out, product{Product: p.Components, Version: p.Version})
	}
	return out, nil
}

// kcsaReporters reads reporters, joining "- affiliation:" and "- reported:"
// written as their own list items to the name before them.
func kcsaReporters(ns []yaml.Node, fixes *[]string) ([]vmt.Credit, error) {
	var out []vmt.Credit
	for i := range ns {
		var r struct {
			Name        string    `yaml:"name"`
			Affiliation string    `yaml:"affiliation"`
			Reported    yaml.Node `yaml:"reported"` // not used, as for an OSSA
		}
		if err := ns[i].Decode(&r); err != nil {
			return nil, vmt.Invalid(fmt.Sprintf("reporters[%d]", i), "%v (line %d)", err, ns[i].Line)
		}
		if r.Name == "" && len(out) > 0 {
			if r.Affiliation != "" {
				out[len(out)-1].Affiliation = oneLine(r.Affiliation)
			}
			*fixes = append(*fixes, fmt.Sprintf("reporters[%d]: a field written as its own list item joined to the reporter before it", i))
			continue
		}
		if r.Name == "" {
			return nil, vmt.Invalid(fmt.Sprintf("reporters[%d]", i), "has no name (line %d)", ns[i].Line)
		}
		out = append(out, credit(reporter{Name: r.Name, Affiliation: r.Affiliation}))
	}
	return out, nil
}

// linkItem reads an issue link: a URL, or "label: URL" (a one-key mapping
// to YAML).
func linkItem(n yaml.Node) (label, url string, err error) {
	switch {
	case n.Kind == yaml.ScalarNode:
		return "", n.Value, nil
	case n.Kind == yaml.MappingNode && len(n.Content) == 2 && n.Content[1].Kind == yaml.ScalarNode:
		return n.Content[0].Value, n.Content[1].Value, nil
	}
	return "", "", vmt.Invalid("issues.links", "line %d: is not a URL nor \"label: URL\"", n.Line)
}

// validateUnnumbered is Advisory.Validate for a document that may still
// lack its id, which the caller gives it.
func validateUnnumbered(a *vmt.Advisory) error {
	if !a.ID.IsZero() {
		return a.Validate()
	}
	c := *a
	c.ID = vmt.NewAdvisoryID("UNNUMBERED", 9999, 1)
	return c.Validate()
}
