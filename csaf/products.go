package csaf

import (
	"fmt"
	"strings"

	gocsaf "github.com/gocsaf/csaf/v3/csaf"

	"github.com/vmtproject/vmt"
)

// products records the product ids the tree gave each affected component:
// those affected, and the fixed versions with the patches of their branch.
type products struct {
	affected []gocsaf.ProductID
	fixed    []fixedProduct
}

type fixedProduct struct {
	id      gocsaf.ProductID
	version string
	branch  string
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
		var leaves gocsaf.Branches
		leaf := func(cat gocsaf.BranchCategory, name string, id gocsaf.ProductID) {
			fpn := &gocsaf.FullProductName{Name: ptr(vendor + " " + af.Component + " " + name), ProductID: &id}
			if af.PURL != "" {
				purl := gocsaf.PURL(af.PURL)
				fpn.ProductIdentificationHelper = &gocsaf.ProductIdentificationHelper{PURL: &purl}
			}
			leaves = append(leaves, &gocsaf.Branch{Category: &cat, Name: ptr(name), Product: fpn})
		}
		for _, r := range affectedRanges(af) {
			id := next()
			p.affected = append(p.affected, id)
			leaf(gocsaf.CSAFBranchCategoryProductVersionRange, r, id)
		}
		for _, v := range af.Enumerated {
			id := next()
			p.affected = append(p.affected, id)
			leaf(gocsaf.CSAFBranchCategoryProductVersion, v, id)
		}
		seen := map[string]bool{}
		for _, r := range af.Ranges {
			if r.Fixed == "" || seen[r.Fixed] {
				continue
			}
			seen[r.Fixed] = true
			id := next()
			p.fixed = append(p.fixed, fixedProduct{id: id, version: r.Fixed, branch: r.Branch})
			leaf(gocsaf.CSAFBranchCategoryProductVersion, r.Fixed, id)
		}
		comps = append(comps, &gocsaf.Branch{Category: ptr(gocsaf.CSAFBranchCategoryProductName), Name: ptr(af.Component), Branches: leaves})
	}
	vendorBranch := &gocsaf.Branch{Category: ptr(gocsaf.CSAFBranchCategoryVendor), Name: ptr(vendor), Branches: comps}
	return &gocsaf.ProductTree{Branches: gocsaf.Branches{vendorBranch}}, p
}

// affectedRanges writes each range in the vers notation
// (vers:generic/>=3.3.0|<3.3.2); a component with no ranges or versions
// keeps its affected versions as written.
func affectedRanges(af vmt.Affected) []string {
	scheme := "generic"
	if af.Ecosystem == "Go" || af.Ecosystem == "npm" || af.Ecosystem == "crates.io" {
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
