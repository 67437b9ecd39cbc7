package vmt

import (
	"reflect"
	"testing"
)

func TestNormalizeAffected(t *testing.T) {
	tests := []struct {
		name  string
		in    []AffectedEntry
		want  []AffectedEntry
		field string // the field of the EINVALID; "" for none
	}{
		{"written as String writes it", []AffectedEntry{{Component: " agent ", Versions: "<= 3.2.0 and 3.3.0-dev"}},
			[]AffectedEntry{{Component: "agent", Versions: "<=3.2.0, ==3.3.0-dev"}}, ""},
		{"versions not known yet", []AffectedEntry{{Component: "agent", Versions: "  "}}, []AffectedEntry{{Component: "agent"}}, ""},
		{"the project as a whole", []AffectedEntry{{Versions: "all"}}, []AffectedEntry{{Versions: "all"}}, ""},
		{"a package", []AffectedEntry{{Component: "runtime", Ecosystem: "Go", Package: "github.com/k/k/src/runtime", Versions: "<3.2.1"}},
			[]AffectedEntry{{Component: "runtime", Ecosystem: "Go", Package: "github.com/k/k/src/runtime", Versions: "<3.2.1"}}, ""},
		{"prose", []AffectedEntry{{Component: "agent", Versions: "up to 3.2"}}, nil, "affected[0].versions"},
		{"unnamed beside named", []AffectedEntry{{Component: "agent", Versions: "<1"}, {Versions: "<2"}}, nil, "affected[1].component"},
		{"twice", []AffectedEntry{{Component: "agent"}, {Component: "agent"}}, nil, "affected[1].component"},
		{"bad name", []AffectedEntry{{Component: "../etc"}}, nil, "affected[0].component"},
		{"half a package", []AffectedEntry{{Component: "agent", Package: "x"}}, nil, "affected[0].package"},
	}
	for _, tt := range tests {
		got, err := NormalizeAffected("affected", tt.in)
		if tt.field != "" {
			if ErrorCode(err) != EINVALID || ErrorField(err) != tt.field {
				t.Errorf("%s: %+v, %v; want EINVALID on %s", tt.name, got, err, tt.field)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: %+v, %v; want %+v", tt.name, got, err, tt.want)
		}
	}
}

// TestApplyAffected: the simple form of a change keeps what it does not
// name, and the record is one value, changed once.
func TestApplyAffected(t *testing.T) {
	base := func() *Report {
		return &Report{Affected: []AffectedEntry{{Component: "agent", Versions: "<3.2.1"}, {Component: "runtime", Versions: "<3.2.1"}}}
	}
	strs := func(s ...string) *[]string { return &s }
	str := func(s string) *string { return &s }
	tests := []struct {
		name  string
		patch ReportPatch
		want  []AffectedEntry
		field string
	}{
		{"versions of every entry", ReportPatch{AffectedVersions: str("3.3.0-dev")},
			[]AffectedEntry{{Component: "agent", Versions: "==3.3.0-dev"}, {Component: "runtime", Versions: "==3.3.0-dev"}}, ""},
		{"a component added gets the shared versions", ReportPatch{Components: strs("agent", "shim")},
			[]AffectedEntry{{Component: "agent", Versions: "<3.2.1"}, {Component: "shim", Versions: "<3.2.1"}}, ""},
		{"the whole record", ReportPatch{Affected: &[]AffectedEntry{{Component: "agent", Versions: ">=3.0.0 <3.2.1"}}},
			[]AffectedEntry{{Component: "agent", Versions: ">=3.0.0 <3.2.1"}}, ""},
		{"both forms", ReportPatch{Affected: &[]AffectedEntry{}, AffectedVersions: str("<1")}, nil, "affected"},
		{"bad versions", ReportPatch{AffectedVersions: str("soon")}, nil, "affected_versions"},
		{"bad component", ReportPatch{Components: strs("a b")}, nil, "components"},
	}
	for _, tt := range tests {
		r := base()
		err := tt.patch.ApplyAffected(r)
		if tt.field != "" {
			if ErrorCode(err) != EINVALID || ErrorField(err) != tt.field || !reflect.DeepEqual(r.Affected, base().Affected) {
				t.Errorf("%s: %v, record %+v; want EINVALID on %s and the record as it was", tt.name, err, r.Affected, tt.field)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(r.Affected, tt.want) {
			t.Errorf("%s: %+v, %v; want %+v", tt.name, r.Affected, err, tt.want)
		}
	}
	r := &Report{Affected: []AffectedEntry{{Component: "agent", Versions: "<3.2.1"}, {Component: "runtime", Versions: "<3.2.0"}}}
	if got := r.AffectedVersions(); got != "agent: <3.2.1; runtime: <3.2.0" {
		t.Errorf("versions of two components: %q", got)
	}
	if err := (&ReportPatch{Components: strs("runtime", "shim")}).ApplyAffected(r); err != nil ||
		!reflect.DeepEqual(r.Affected, []AffectedEntry{{Component: "runtime", Versions: "<3.2.0"}, {Component: "shim"}}) {
		t.Errorf("components changed where the versions differ: %+v, %v", r.Affected, err)
	}
}
