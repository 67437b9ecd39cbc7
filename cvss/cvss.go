// Package cvss parses and scores the CVSS vectors of an advisory with
// github.com/pandatix/go-cvss. The domain keeps vectors as strings (it
// imports no outside module); the service and the exports call this
// package, so a bad vector is refused before it is stored or exported.
package cvss

import (
	"fmt"
	"math"
	"strings"

	gocvss20 "github.com/pandatix/go-cvss/20"
	gocvss30 "github.com/pandatix/go-cvss/30"
	gocvss31 "github.com/pandatix/go-cvss/31"
	gocvss40 "github.com/pandatix/go-cvss/40"

	"github.com/vmtproject/vmt"
)

// The CVSS versions a vector may have.
const (
	V2  = "2.0"
	V30 = "3.0"
	V31 = "3.1"
	V40 = "4.0"
)

// Score is a parsed vector with its base score and severity.
type Score struct {
	Version  string  // V2, V30, V31 or V40
	Vector   string  // as given
	Score    float64 // base score, 0.0 to 10.0
	Severity string  // NONE, LOW, MEDIUM, HIGH or CRITICAL
}

// Parse parses and scores one vector. The version is read from its prefix
// (CVSS:3.1/, CVSS:4.0/, CVSS:3.0/; a bare AV:… is version 2). A vector
// that does not parse is an error that quotes it and says why.
func Parse(vector string) (Score, error) {
	s := Score{Vector: vector}
	var err error
	switch {
	case strings.HasPrefix(vector, "CVSS:4.0/"):
		s.Version = V40
		var v *gocvss40.CVSS40
		if v, err = gocvss40.ParseVector(vector); err == nil {
			s.Score = v.Score()
		}
	case strings.HasPrefix(vector, "CVSS:3.1/"):
		s.Version = V31
		var v *gocvss31.CVSS31
		if v, err = gocvss31.ParseVector(vector); err == nil {
			s.Score = v.BaseScore()
		}
	case strings.HasPrefix(vector, "CVSS:3.0/"):
		s.Version = V30
		var v *gocvss30.CVSS30
		if v, err = gocvss30.ParseVector(vector); err == nil {
			s.Score = v.BaseScore()
		}
	case strings.HasPrefix(vector, "AV:"):
		s.Version = V2
		var v *gocvss20.CVSS20
		if v, err = gocvss20.ParseVector(vector); err == nil {
			s.Score = v.BaseScore()
		}
	default:
		return Score{}, fmt.Errorf("%q is not a CVSS vector: it must start with CVSS:3.1/ or CVSS:4.0/", vector)
	}
	if err != nil {
		return Score{}, fmt.Errorf("CVSS %s vector %q: %w", s.Version, vector, err)
	}
	s.Score = math.Round(s.Score*10) / 10
	s.Severity = Severity(s.Score)
	return s, nil
}

// Severity is the qualitative rating of a score (the scale of CVSS 3 and
// 4; for version 2, whose specification has none, the same bands as NVD's
// reading of it, without CRITICAL).
func Severity(score float64) string {
	switch {
	case score >= 9.0:
		return "CRITICAL"
	case score >= 7.0:
		return "HIGH"
	case score >= 4.0:
		return "MEDIUM"
	case score > 0:
		return "LOW"
	}
	return "NONE"
}

// Scores parses every vector of a, in order. The first bad one is
// EINVALID on the field cvss[i].
func Scores(a *vmt.Advisory) ([]Score, error) {
	out := make([]Score, 0, len(a.CVSS))
	for i, v := range a.CVSS {
		s, err := Parse(v)
		if err != nil {
			return nil, vmt.Invalid(fmt.Sprintf("cvss[%d]", i), "%s", err)
		}
		out = append(out, s)
	}
	return out, nil
}

// Check validates a completely: its fields (Advisory.Validate) and then
// its CVSS vectors, which the domain checks only for their form.
func Check(a *vmt.Advisory) error {
	if err := a.Validate(); err != nil {
		return err
	}
	_, err := Scores(a)
	return err
}
