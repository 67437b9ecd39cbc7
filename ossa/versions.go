package ossa

import (
	"regexp"
	"strings"

	"github.com/vmtproject/vmt"
)

// constraintRE is one constraint of the VMT version syntax: >=17.0.0,
// <26.1.7, <=2014.2.3, ==16.0.0.
var constraintRE = regexp.MustCompile(`^(>=|<=|<|==)([0-9][0-9A-Za-z.+-]*)$`)

// affected reads a product entry. Versions in the VMT syntax
// (">=17.0.0 <26.1.7, >=27.0.0 <29.0.6", "<15.0.1, ==16.0.0") also become
// ranges; prose ("Grizzly and later", "up to 2014.1.3") stays prose.
func affected(p product) vmt.Affected {
	af := vmt.Affected{Component: oneLine(p.Product), Versions: oneLine(p.Version)}
	if af.Versions == "" {
		af.Versions = "unspecified"
	}
	af.Ranges, af.Enumerated = parseVersions(af.Versions)
	return af
}

// parseVersions parses comma-separated clauses, each "[>=A] <B", "[>=A]
// <=B" or "==V". Anything else, including a clause with a lower bound
// alone (its reading would be a guess), leaves the whole field as prose.
func parseVersions(s string) ([]vmt.VersionRange, []string) {
	var ranges []vmt.VersionRange
	var exact []string
	for _, clause := range strings.Split(s, ",") {
		r, eq, ok := parseClause(strings.Fields(clause))
		if !ok {
			return nil, nil
		}
		if eq != "" {
			exact = append(exact, eq)
		} else {
			ranges = append(ranges, r)
		}
	}
	return ranges, exact
}

func parseClause(parts []string) (r vmt.VersionRange, eq string, ok bool) {
	if len(parts) == 0 || len(parts) > 2 {
		return r, "", false
	}
	var ops []string
	for _, p := range parts {
		m := constraintRE.FindStringSubmatch(p)
		if m == nil {
			return r, "", false
		}
		ops = append(ops, m[1])
		switch m[1] {
		case ">=":
			r.Introduced = m[2]
		case "<":
			r.Fixed = m[2]
		case "<=":
			r.LastAffected = m[2]
		case "==":
			eq = m[2]
		}
	}
	switch strings.Join(ops, " ") {
	case "==":
		return vmt.VersionRange{}, eq, true
	case "<", "<=":
		r.Introduced = "0"
		return r, "", true
	case ">= <", ">= <=":
		return r, "", true
	}
	return vmt.VersionRange{}, "", false
}
