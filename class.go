package vmt

// Class is a class of the incident report taxonomy. The empty class means
// "not classified yet".
type Class string

// Outcome is what a class leads to.
type Outcome string

// The outcomes of the taxonomy.
const (
	OutcomeAdvisory  Outcome = "advisory"  // a security advisory (KCSA)
	OutcomeNote      Outcome = "note"      // a security note (KCSN)
	OutcomePotential Outcome = "potential" // a potential issue; no document
	OutcomeNone      Outcome = "none"      // nothing to publish
)

// ClassInfo describes one class.
type ClassInfo struct {
	Class       Class   `json:"class"`
	Outcome     Outcome `json:"outcome"`
	Description string  `json:"description"`
}

// Taxonomy is the classification table of the process, in its order.
var Taxonomy = []ClassInfo{
	{"A", OutcomeAdvisory, "A vulnerability to be fixed in master and all supported releases"},
	{"B1", OutcomeNote, "A vulnerability that can only be fixed in master; a note for stable branches (e.g. an insecure default)"},
	{"B2", OutcomeNote, "A vulnerability without a complete fix yet; a note for all versions (e.g. a design weakness)"},
	{"B3", OutcomeNote, "A vulnerability in experimental or debugging features not meant for production"},
	{"C1", OutcomePotential, "Not considered a practical vulnerability"},
	{"C2", OutcomePotential, "A vulnerability, but not in supported code of the project (e.g. in a dependency)"},
	{"D", OutcomePotential, "Not a vulnerability, a bug with some security implications (e.g. a hardening opportunity)"},
	{"E", OutcomeNone, "Neither a vulnerability nor a hardening opportunity"},
	{"Y", OutcomeNone, "A vulnerability found only in a development release"},
	{"Z", OutcomeNone, "Due process failed"},
}

// Info returns the taxonomy entry of c and whether c is a known class.
func (c Class) Info() (ClassInfo, bool) {
	for _, i := range Taxonomy {
		if i.Class == c {
			return i, true
		}
	}
	return ClassInfo{}, false
}

// Outcome returns the outcome of c, or "" when c is unclassified or unknown.
func (c Class) Outcome() Outcome {
	i, _ := c.Info()
	return i.Outcome
}

// ParseClass returns the class named s ("" for unclassified) or EINVALID.
func ParseClass(field, s string) (Class, error) {
	if s == "" {
		return "", nil
	}
	c := Class(s)
	if _, ok := c.Info(); !ok {
		return "", Invalid(field, "unknown class %q (want one of A, B1, B2, B3, C1, C2, D, E, Y, Z)", s)
	}
	return c, nil
}
