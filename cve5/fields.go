package cve5

import (
	"strings"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/cvss"
)

// collections are the package collections of the ecosystems we know, for
// collectionURL.
var collections = map[string]string{
	"Go": "https://pkg.go.dev", "PyPI": "https://pypi.org", "npm": "https://www.npmjs.com",
	"crates.io": "https://crates.io", "Maven": "https://repo.maven.apache.org/maven2",
	"RubyGems": "https://rubygems.org", "NuGet": "https://www.nuget.org", "Packagist": "https://packagist.org",
}

// semver are the ecosystems whose versions compare as SemVer.
var semver = map[string]bool{"Go": true, "npm": true, "crates.io": true}

func products(a *vmt.Advisory) []Product {
	vendor := a.Vendor
	if vendor == "" {
		vendor = "n/a"
	}
	out := make([]Product, 0, len(a.Affected))
	for _, af := range a.Affected {
		p := Product{Vendor: vendor, Product: truncate(af.Component, 2048)}
		if u, ok := collections[af.Ecosystem]; ok {
			p.CollectionURL, p.PackageName = u, af.Package
			if p.PackageName == "" {
				p.PackageName = af.Component
			}
		}
		p.Versions, p.DefaultStatus = versions(af)
		out = append(out, p)
	}
	return out
}

// versions turns ranges into CVE version entries: from the version
// introduced, lessThan the fixed one or lessThanOrEqual the last affected
// ("*" when not fixed yet), status affected, and every other version
// unaffected. An entry without ranges stored is parsed from its text; only
// a text that is not in the VMT syntax (prose from an import) is written
// as it is, and then the status of the other versions is unknown.
func versions(af vmt.Affected) ([]Version, string) {
	ranges, exact := af.Ranges, af.Enumerated
	if len(ranges) == 0 && len(exact) == 0 {
		if v, err := vmt.ParseVersions("versions", af.Versions); err == nil {
			ranges, exact = v.Ranges, v.Exact
		}
	}
	vt := "custom"
	if semver[af.Ecosystem] && vmt.AllSemVer(ranges, exact) {
		vt = "semver"
	}
	var out []Version
	seen := map[Version]bool{}
	add := func(v Version) {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	for _, r := range ranges {
		v := Version{Version: r.Introduced, Status: "affected", VersionType: vt}
		if v.Version == "" {
			v.Version = "0"
		}
		switch {
		case r.Fixed != "":
			v.LessThan = r.Fixed
		case r.LastAffected != "":
			v.LessThanOrEqual = r.LastAffected
		default:
			v.LessThanOrEqual = "*" // not fixed yet
		}
		add(v)
	}
	for _, e := range exact {
		add(Version{Version: truncate(e, maxVersion), Status: "affected", VersionType: vt})
	}
	if len(out) > 0 {
		return out, "unaffected"
	}
	return []Version{{Version: truncate(af.Versions, maxVersion), Status: "affected"}}, "unknown"
}

func problemTypes(a *vmt.Advisory) []ProblemType {
	if len(a.CWEs) == 0 {
		return nil
	}
	ds := make([]ProblemDescription, len(a.CWEs))
	for i, c := range a.CWEs {
		ds[i] = ProblemDescription{Lang: "en", Description: c, CWEID: c, Type: "CWE"}
	}
	return []ProblemType{{Descriptions: ds}}
}

func metrics(a *vmt.Advisory) ([]Metric, error) {
	scores, err := cvss.Scores(a)
	if err != nil {
		return nil, err
	}
	var out []Metric
	for _, s := range scores {
		c := &CVSS{Version: s.Version, VectorString: s.Vector, BaseScore: s.Score, BaseSeverity: s.Severity}
		m := Metric{Format: "CVSS"}
		switch s.Version {
		case cvss.V40:
			m.CVSSV40 = c
		case cvss.V31:
			m.CVSSV31 = c
		case cvss.V30:
			m.CVSSV30 = c
		case cvss.V2:
			c.BaseSeverity = "" // not part of CVSS 2
			m.CVSSV20 = c
		}
		out = append(out, m)
	}
	return out, nil
}

// referenceTags maps our reference types to CVE's reference tags.
var referenceTags = map[vmt.ReferenceType]string{
	"ADVISORY": "vendor-advisory", "REPORT": "issue-tracking", "FIX": "patch",
	"ARTICLE": "technical-description", "PACKAGE": "product", "EVIDENCE": "exploit",
	"DISCUSSION": "related", "DETECTION": "related",
}

func references(a *vmt.Advisory) []Reference {
	var out []Reference
	seen := map[string]bool{}
	add := func(t vmt.ReferenceType, u string) {
		if seen[u] {
			return
		}
		seen[u] = true
		r := Reference{URL: u}
		if tag, ok := referenceTags[t]; ok {
			r.Tags = []string{tag}
		}
		out = append(out, r)
	}
	for _, r := range a.References {
		add(r.Type, r.URL)
	}
	for _, p := range a.Patches {
		for _, u := range p.URLs {
			add("FIX", u)
		}
	}
	return out
}

func credits(a *vmt.Advisory) []Credit {
	var out []Credit
	seen := map[Credit]bool{}
	for _, c := range a.Credits {
		v := c.Name
		if c.Affiliation != "" {
			v += " (" + c.Affiliation + ")"
		}
		cr := Credit{Lang: "en", Value: v, Type: strings.ReplaceAll(strings.ToLower(string(c.Type)), "_", " ")}
		if !seen[cr] {
			seen[cr] = true
			out = append(out, cr)
		}
	}
	return out
}
