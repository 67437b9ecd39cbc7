package csaf

import (
	"fmt"
	"net/url"
	"strings"

	gocsaf "github.com/gocsaf/csaf/v3/csaf"

	"github.com/vmtproject/vmt"
)

// products records the product ids the tree gave each affected component:
// those affected, and the fixed versions with the patches of their branch.
type products struct {
	affected []gocsaf.ProductID
	ranges   []affectedProduct
	fixed    []fixedProduct
}

type fixedProduct struct {
	id      gocsaf.ProductID
	version string
	branch  string
}

// affectedProduct is a range's product and the branch it is on ("" when
// the record does not say).
type affectedProduct struct {
	id     gocsaf.ProductID
	branch string
}

// productTree builds vendor → component → version ranges (affected) and
// fixed versions, numbering products CSAFPID-0001, -0002, …
func productTree(a *vmt.Advisory, vendor string) (*gocsaf.ProductTree, *products) {
	p := &products{}
	n := 0
	next := func() gocsaf.ProductID {
		n++
		return gocsaf.ProductID(fmt.Sprintf("CSAFPID-%04d", n))
	}
	var comps gocsaf.Branches
	for _, af := range a.Affected {
		af = withRanges(af)
		var leaves gocsaf.Branches
		purl := packageURL(af)
		leaf := func(cat gocsaf.BranchCategory, name, version string, id gocsaf.ProductID) {
			fpn := &gocsaf.FullProductName{Name: ptr(vendor + " " + af.Component + " " + name), ProductID: &id}
			if purl != "" {
				// A version, the package's purl at it; a range, the
				// package's (a purl names one version or none).
				u := purl
				if version != "" {
					u += "@" + version
				}
				helper := gocsaf.PURL(u)
				fpn.ProductIdentificationHelper = &gocsaf.ProductIdentificationHelper{PURL: &helper}
			}
			leaves = append(leaves, &gocsaf.Branch{Category: &cat, Name: ptr(name), Product: fpn})
		}
		for i, r := range affectedRanges(af) {
			id := next()
			p.affected = append(p.affected, id)
			ap := affectedProduct{id: id}
			if i < len(af.Ranges) {
				ap.branch = af.Ranges[i].Branch
			}
			p.ranges = append(p.ranges, ap)
			leaf(gocsaf.CSAFBranchCategoryProductVersionRange, r, "", id)
		}
		for _, v := range af.Enumerated {
			id := next()
			p.affected = append(p.affected, id)
			leaf(gocsaf.CSAFBranchCategoryProductVersion, v, v, id)
		}
		seen := map[string]bool{}
		for _, r := range af.Ranges {
			if r.Fixed == "" || seen[r.Fixed] {
				continue
			}
			seen[r.Fixed] = true
			id := next()
			p.fixed = append(p.fixed, fixedProduct{id: id, version: r.Fixed, branch: r.Branch})
			leaf(gocsaf.CSAFBranchCategoryProductVersion, r.Fixed, r.Fixed, id)
		}
		comps = append(comps, &gocsaf.Branch{Category: ptr(gocsaf.CSAFBranchCategoryProductName), Name: ptr(af.Component), Branches: leaves})
	}
	vendorBranch := &gocsaf.Branch{Category: ptr(gocsaf.CSAFBranchCategoryVendor), Name: ptr(vendor), Branches: comps}
	return &gocsaf.ProductTree{Branches: gocsaf.Branches{vendorBranch}}, p
}

// withRanges returns af with its ranges parsed from its text when none
// were stored (vmt.ParseVersions, the one reader of the syntax).
func withRanges(af vmt.Affected) vmt.Affected {
	if len(af.Ranges) > 0 || len(af.Enumerated) > 0 {
		return af
	}
	if v, err := vmt.ParseVersions("versions", af.Versions); err == nil {
		af.Ranges, af.Enumerated = v.Ranges, v.Exact
	}
	return af
}

// purlTypes are the package URL types of the OSV ecosystems we know.
var purlTypes = map[string]string{"Go": "golang", "PyPI": "pypi", "npm": "npm", "crates.io": "cargo",
	"RubyGems": "gem", "NuGet": "nuget", "Packagist": "composer", "Maven": "maven"}

// packageURL is the entry's purl without a version: the one it gives,
// else one made from its ecosystem and package, else "".
func packageURL(af vmt.Affected) string {
	if af.PURL != "" {
		u, _, _ := strings.Cut(af.PURL, "@")
		return u
	}
	t, ok := purlTypes[af.Ecosystem]
	name := af.Package
	if name == "" {
		name = af.Component
	}
	if !ok || name == "" {
		return ""
	}
	switch t {
	case "maven":
		name = strings.Replace(name, ":", "/", 1) // group:artifact
	case "pypi":
		name = strings.ToLower(strings.ReplaceAll(name, "_", "-"))
	}
	var segs []string
	for _, seg := range strings.Split(name, "/") {
		if seg == "" {
			return ""
		}
		segs = append(segs, url.PathEscape(seg))
	}
	return "pkg:" + t + "/" + strings.Join(segs, "/")
}

// affectedRanges writes each range in the vers notation
// (vers:generic/>=3.3.0|<3.3.2, vers:semver/<3.2.1 when every version of
// the entry is SemVer); a component with no ranges or versions keeps its
// affected versions as written.
func affectedRanges(af vmt.Affected) []string {
	scheme := "generic"
	if (af.Ecosystem == "Go" || af.Ecosystem == "npm" || af.Ecosystem == "crates.io") && vmt.AllSemVer(af.Ranges, af.Enumerated) {
		scheme = "semver"
	}
	var out []string
	for _, r := range af.Ranges {
		var cs []string
		if r.Introduced != "" && r.Introduced != "0" {
			cs = append(cs, ">="+r.Introduced)
		}
		switch {
		case r.Fixed != "":
			cs = append(cs, "<"+r.Fixed)
		case r.LastAffected != "":
			cs = append(cs, "<="+r.LastAffected)
		}
		if len(cs) == 0 {
			cs = []string{"*"}
		}
		out = append(out, "vers:"+scheme+"/"+strings.Join(cs, "|"))
	}
	if len(out) == 0 && len(af.Enumerated) == 0 {
		out = append(out, af.Versions)
	}
	return out
}
