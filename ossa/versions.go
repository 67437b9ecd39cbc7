package ossa

import (
	"github.com/vmtproject/vmt"
)

// affected reads a product entry. Versions in the VMT syntax
// (">=17.0.0 <26.1.7, >=27.0.0 <29.0.6", "<15.0.1 and ==16.0.0") also
// become ranges, read by the domain's one parser (vmt.ParseVersions);
// prose ("Grizzly and later", "up to 2014.1.3") stays prose. The text
// stays as the advisory published it.
func affected(p product) vmt.Affected {
	af := vmt.Affected{Component: oneLine(p.Product), Versions: oneLine(p.Version)}
	if af.Versions == "" {
		af.Versions = "unspecified"
	}
	af.Ranges, af.Enumerated = parseVersions(af.Versions)
	return af
}

// parseVersions reads s with vmt.ParseVersions. One reading the syntax
// allows is refused here: a lower bound alone before another clause
// ("<=2014.2.3, >=2015.1.0, <=2015.1.1"), which in the published OSSAs
// is a range split by a stray comma, not "from 2015.1.0 on"; guessing
// would invent affected versions, so the field stays prose. A lower
// bound alone as the last clause is what it says: not fixed yet.
func parseVersions(s string) ([]vmt.VersionRange, []string) {
	v, err := vmt.ParseVersions("version", s)
	if err != nil {
		return nil, nil
	}
	for i, r := range v.Ranges {
		open := r.Fixed == "" && r.LastAffected == "" && r.Introduced != "0"
		if open && (i < len(v.Ranges)-1 || len(v.Exact) > 0) {
			return nil, nil
		}
	}
	return v.Ranges, v.Exact
}
