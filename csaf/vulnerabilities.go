package csaf

import (
	"fmt"
	"strings"

	gocsaf "github.com/gocsaf/csaf/v3/csaf"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/cvss"
)

// vulnerabilities returns one entry per CVE of a, or a single entry
// without a CVE when it has none.
func vulnerabilities(a *vmt.Advisory, p *products) (gocsaf.Vulnerabilities, error) {
	scores, other, err := scores(a, p)
	if err != nil {
		return nil, err
	}
	cves := a.CVEs
	if len(cves) == 0 {
		cves = []string{""}
	}
	var out gocsaf.Vulnerabilities
	for _, c := range cves {
		v := &gocsaf.Vulnerability{
			Title:         ptr(a.Title),
			Notes:         vulnerabilityNotes(a, other),
			ProductStatus: status(p),
			Remediations:  remediations(a, p),
			Scores:        scores,
			References:    references(patchRefs(a)),
			ReleaseDate:   ptr(stamp(*a.Published)),
		}
		if c != "" {
			cve := gocsaf.CVE(c)
			v.CVE = &cve
		}
		out = append(out, v)
	}
	return out, nil
}

func vulnerabilityNotes(a *vmt.Advisory, other []string) gocsaf.Notes {
	ns := gocsaf.Notes{note(gocsaf.CSAFNoteCategoryDescription, "Description", a.Description)}
	if len(a.CWEs) > 0 {
		// CSAF 2.0 names one CWE with its catalogue name, which we do not
		// keep; the ids are given as text instead.
		ns = append(ns, note(gocsaf.CSAFNoteCategoryOther, "Weaknesses", strings.Join(a.CWEs, ", ")))
	}
	if len(other) > 0 {
		// CSAF 2.0 scores know CVSS 2 and 3 only.
		ns = append(ns, note(gocsaf.CSAFNoteCategoryOther, "CVSS 4.0", strings.Join(other, "\n")))
	}
	return ns
}

func status(p *products) *gocsaf.ProductStatus {
	s := &gocsaf.ProductStatus{}
	if len(p.affected) > 0 {
		s.KnownAffected = productList(p.affected)
	}
	if len(p.fixed) > 0 {
		ids := make([]gocsaf.ProductID, len(p.fixed))
		for i, f := range p.fixed {
			ids[i] = f.id
		}
		s.Fixed = productList(ids)
	}
	return s
}

// remediations: a vendor fix for each fixed version, pointing at the
// patches of its branch; a vendor fix for the affected products of each
// branch with patches (every affected product when the record does not
// say which range a branch is), with the patch URLs; and the mitigation
// as a workaround for every affected product.
func remediations(a *vmt.Advisory, p *products) gocsaf.Remediations {
	var out gocsaf.Remediations
	for _, f := range p.fixed {
		r := &gocsaf.Remediation{Category: ptr(gocsaf.CSAFRemediationCategoryVendorFix),
			Details: ptr("Upgrade to " + f.version + " or later."), ProductIds: productList([]gocsaf.ProductID{f.id})}
		if pt, ok := patchOf(a, f.branch); ok {
			r.URL = ptr(pt.URLs[0])
		}
		out = append(out, r)
	}
	for _, pt := range a.Patches {
		if len(pt.URLs) == 0 {
			continue
		}
		ids := rangesOn(p, pt.Branch)
		if len(ids) == 0 {
			continue
		}
		out = append(out, &gocsaf.Remediation{Category: ptr(gocsaf.CSAFRemediationCategoryVendorFix),
			Details: ptr("Apply the patches of " + pt.Branch + ": " + strings.Join(pt.URLs, " ")),
			URL:     ptr(pt.URLs[0]), ProductIds: productList(ids)})
	}
	if m := strings.TrimSpace(a.Mitigation); m != "" && len(p.affected) > 0 {
		out = append(out, &gocsaf.Remediation{Category: ptr(gocsaf.CSAFRemediationCategoryWorkaround),
			Details: ptr(m), ProductIds: productList(p.affected)})
	}
	return out
}

// rangesOn lists the affected products on branch: those whose range names
// it, or every affected product when no range names any branch.
func rangesOn(p *products, branch string) []gocsaf.ProductID {
	var on []gocsaf.ProductID
	named := false
	for _, r := range p.ranges {
		named = named || r.branch != ""
		if r.branch == branch {
			on = append(on, r.id)
		}
	}
	if !named {
		return p.affected
	}
	return on
}

// patchOf is the patches of branch; with no branch given, the advisory's
// only patch set when it has one.
func patchOf(a *vmt.Advisory, branch string) (vmt.Patch, bool) {
	for _, pt := range a.Patches {
		if branch != "" && pt.Branch == branch && len(pt.URLs) > 0 {
			return pt, true
		}
	}
	if branch == "" && len(a.Patches) == 1 && len(a.Patches[0].URLs) > 0 {
		return a.Patches[0], true
	}
	return vmt.Patch{}, false
}

func patchRefs(a *vmt.Advisory) []vmt.Reference {
	var out []vmt.Reference
	for _, p := range a.Patches {
		for _, u := range p.URLs {
			out = append(out, vmt.Reference{Type: "FIX", URL: u})
		}
	}
	return out
}

// scores returns the CVSS 2 and 3 scores, for every affected product, and
// the CVSS 4.0 vectors that CSAF 2.0 cannot carry.
func scores(a *vmt.Advisory, p *products) (gocsaf.Scores, []string, error) {
	ss, err := cvss.Scores(a)
	if err != nil {
		return nil, nil, err
	}
	var out gocsaf.Scores
	var other []string
	for _, s := range ss {
		if len(p.affected) == 0 {
			break
		}
		score := s.Score
		switch s.Version {
		case cvss.V40:
			other = append(other, fmt.Sprintf("%s (base score %.1f, %s)", s.Vector, s.Score, s.Severity))
		case cvss.V2:
			v, vec := gocsaf.CVSSVersion20, gocsaf.CVSS2VectorString(s.Vector)
			out = append(out, &gocsaf.Score{Products: productList(p.affected),
				CVSS2: &gocsaf.CVSS2{Version: &v, VectorString: &vec, BaseScore: &score}})
		default:
			v, vec, sev := gocsaf.CVSSVersion3(s.Version), gocsaf.CVSS3VectorString(s.Vector), gocsaf.CVSS3Severity(s.Severity)
			out = append(out, &gocsaf.Score{Products: productList(p.affected),
				CVSS3: &gocsaf.CVSS3{Version: &v, VectorString: &vec, BaseScore: &score, BaseSeverity: &sev}})
		}
	}
	return out, other, nil
}

func productList(ids []gocsaf.ProductID) *gocsaf.Products {
	ps := make(gocsaf.Products, len(ids))
	for i := range ids {
		ps[i] = &ids[i]
	}
	return &ps
}
