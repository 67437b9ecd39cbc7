package vmt

import (
	"slices"
	"strings"
	"testing"
)

// TestClassOutcomes is VMT.md's taxonomy table: KCSA for A, KCSN for B1-B3,
// "Potential" for C1, C2 and D, and no document for E, Y and Z.
func TestClassOutcomes(t *testing.T) {
	want := []struct {
		class   Class
		outcome Outcome
	}{
		{"A", OutcomeAdvisory},
		{"B1", OutcomeNote},
		{"B2", OutcomeNote},
		{"B3", OutcomeNote},
		{"C1", OutcomePotential},
		{"C2", OutcomePotential},
		{"D", OutcomePotential},
		{"E", OutcomeNone},
		{"Y", OutcomeNone},
		{"Z", OutcomeNone},
	}
	if len(Taxonomy) != len(want) {
		t.Fatalf("Taxonomy has %d classes, want %d", len(Taxonomy), len(want))
	}
	for i, w := range want {
		if Taxonomy[i].Class != w.class {
			t.Errorf("Taxonomy[%d] = %s, want %s (the process's order)", i, Taxonomy[i].Class, w.class)
		}
		if got := w.class.Outcome(); got != w.outcome {
			t.Errorf("%s.Outcome() = %q, want %q", w.class, got, w.outcome)
		}
		info, ok := w.class.Info()
		if !ok || info.Class != w.class || info.Outcome != w.outcome || info.Description == "" {
			t.Errorf("%s.Info() = %+v, %v", w.class, info, ok)
		}
	}
}

func TestClassUnknownOrUnset(t *testing.T) {
	for _, c := range []Class{"", "F", "a", "b1", "B", "B4", " A"} {
		if got := c.Outcome(); got != "" {
			t.Errorf("Class(%q).Outcome() = %q, want empty", c, got)
		}
		if _, ok := c.Info(); ok {
			t.Errorf("Class(%q).Info() ok, want not found", c)
		}
	}
}

func TestParseClass(t *testing.T) {
	for _, info := range Taxonomy {
		got, err := ParseClass("class", string(info.Class))
		if err != nil || got != info.Class {
			t.Errorf("ParseClass(%q) = %q, %v", info.Class, got, err)
		}
	}
	if got, err := ParseClass("class", ""); err != nil || got != "" {
		t.Errorf(`ParseClass("") = %q, %v; want unclassified, nil`, got, err)
	}
	for _, s := range []string{"F", "a", "b2", "B", "B4", "C3", " A", "A ", "AA", "Class A"} {
		got, err := ParseClass("class", s)
		if got != "" {
			t.Errorf("ParseClass(%q) = %q, want empty", s, got)
		}
		e := asError(t, err, EINVALID)
		if e.Field != "class" || !strings.Contains(e.Message, "unknown class") {
			t.Errorf("ParseClass(%q): field %q message %q", s, e.Field, e.Message)
		}
	}
	if _, err := ParseClass("kind", "X"); ErrorField(err) != "kind" {
		t.Errorf("ParseClass names field %q, want kind", ErrorField(err))
	}
}

// TestClassesInGuards checks the guard names quote the taxonomy correctly.
func TestClassesInGuards(t *testing.T) {
	var notes, notePotential []string
	for _, c := range Taxonomy {
		switch c.Outcome {
		case OutcomeNote:
			notes = append(notes, string(c.Class))
			notePotential = append(notePotential, string(c.Class))
		case OutcomePotential:
			notePotential = append(notePotential, string(c.Class))
		}
	}
	if !slices.Equal(notes, []string{"B1", "B2", "B3"}) {
		t.Errorf("note classes %v", notes)
	}
	if !strings.HasSuffix(classMayWarrantNote.Name, strings.Join(notePotential, ", ")) {
		t.Errorf("guard %q does not list %v", classMayWarrantNote.Name, notePotential)
	}
	if !strings.Contains(classNote.Name, strings.Join(notes, ", ")) {
		t.Errorf("guard %q does not list %v", classNote.Name, notes)
	}
}
