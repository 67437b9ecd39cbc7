package cvss

import (
	"fmt"
	"strings"
)

// Metric is one metric of a vector in words, as a reader of an advisory
// expects them ("Attack vector: Network"), with its abbreviations.
type Metric struct {
	Key, Name   string // "AV", "Attack vector"
	Code, Value string // "N", "Network"
}

// metricWords names the metrics and their values, per version family:
// the base metrics of each version, and the threat, temporal and
// environmental ones a vector may carry. A metric missing here is shown
// by its abbreviations, never dropped.
var metricWords = map[string]map[string]struct {
	name   string
	values map[string]string
}{
	"3": {
		"AV": {"Attack vector", map[string]string{"N": "Network", "A": "Adjacent", "L": "Local", "P": "Physical"}},
		"AC": {"Attack complexity", map[string]string{"L": "Low", "H": "High"}},
		"PR": {"Privileges required", map[string]string{"N": "None", "L": "Low", "H": "High"}},
		"UI": {"User interaction", map[string]string{"N": "None", "R": "Required"}},
		"S":  {"Scope", map[string]string{"U": "Unchanged", "C": "Changed"}},
		"C":  {"Confidentiality", map[string]string{"N": "None", "L": "Low", "H": "High"}},
		"I":  {"Integrity", map[string]string{"N": "None", "L": "Low", "H": "High"}},
		"A":  {"Availability", map[string]string{"N": "None", "L": "Low", "H": "High"}},
		"E":  {"Exploit code maturity", map[string]string{"X": "Not defined", "U": "Unproven", "P": "Proof of concept", "F": "Functional", "H": "High"}},
		"RL": {"Remediation level", map[string]string{"X": "Not defined", "O": "Official fix", "T": "Temporary fix", "W": "Workaround", "U": "Unavailable"}},
		"RC": {"Report confidence", map[string]string{"X": "Not defined", "U": "Unknown", "R": "Reasonable", "C": "Confirmed"}},
	},
	"4": {
		"AV": {"Attack vector", map[string]string{"N": "Network", "A": "Adjacent", "L": "Local", "P": "Physical"}},
		"AC": {"Attack complexity", map[string]string{"L": "Low", "H": "High"}},
		"AT": {"Attack requirements", map[string]string{"N": "None", "P": "Present"}},
		"PR": {"Privileges required", map[string]string{"N": "None", "L": "Low", "H": "High"}},
		"UI": {"User interaction", map[string]string{"N": "None", "P": "Passive", "A": "Active"}},
		"VC": {"Confidentiality (vulnerable system)", map[string]string{"N": "None", "L": "Low", "H": "High"}},
		"VI": {"Integrity (vulnerable system)", map[string]string{"N": "None", "L": "Low", "H": "High"}},
		"VA": {"Availability (vulnerable system)", map[string]string{"N": "None", "L": "Low", "H": "High"}},
		"SC": {"Confidentiality (subsequent systems)", map[string]string{"N": "None", "L": "Low", "H": "High"}},
		"SI": {"Integrity (subsequent systems)", map[string]string{"N": "None", "L": "Low", "H": "High", "S": "Safety"}},
		"SA": {"Availability (subsequent systems)", map[string]string{"N": "None", "L": "Low", "H": "High", "S": "Safety"}},
		"E":  {"Exploit maturity", map[string]string{"X": "Not defined", "A": "Attacked", "P": "Proof of concept", "U": "Unreported"}},
	},
	"2": {
		"AV": {"Access vector", map[string]string{"N": "Network", "A": "Adjacent network", "L": "Local"}},
		"AC": {"Access complexity", map[string]string{"L": "Low", "M": "Medium", "H": "High"}},
		"Au": {"Authentication", map[string]string{"N": "None", "S": "Single", "M": "Multiple"}},
		"C":  {"Confidentiality", map[string]string{"N": "None", "P": "Partial", "C": "Complete"}},
		"I":  {"Integrity", map[string]string{"N": "None", "P": "Partial", "C": "Complete"}},
		"A":  {"Availability", map[string]string{"N": "None", "P": "Partial", "C": "Complete"}},
	},
}

// Metrics spells out the metrics of a vector, in its order. The vector
// must parse (Parse): one that does not is the error Parse gives.
func Metrics(vector string) ([]Metric, error) {
	s, err := Parse(vector)
	if err != nil {
		return nil, err
	}
	family := s.Version[:1]
	body := vector
	if family != "2" {
		body = vector[strings.Index(vector, "/")+1:]
	}
	words := metricWords[family]
	var out []Metric
	for _, part := range strings.Split(body, "/") {
		k, v, ok := strings.Cut(part, ":")
		if !ok {
			return nil, fmt.Errorf("CVSS vector %q: %q is not METRIC:VALUE", vector, part)
		}
		m := Metric{Key: k, Name: k, Code: v, Value: v}
		if w, known := words[k]; known {
			m.Name = w.name
			if val, known := w.values[v]; known {
				m.Value = val
			}
		}
		out = append(out, m)
	}
	return out, nil
}
