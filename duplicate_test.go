package vmt

import "testing"

// The credit a duplicate's reporter gains on the original is what they
// asked to be credited as, else their name, and nothing when they asked
// that their credit or identity never be disclosed: the original's credit
// is published.
func TestDuplicateCredit(t *testing.T) {
	named := &User{Name: "Dana Dup"}
	for _, c := range []struct {
		name string
		dup  Report
		user *User
		want string
	}{
		{"their credit", Report{ID: 7, Credit: "Dana (Dup Labs)"}, named, "Dana (Dup Labs) (also found it, report #7)"},
		{"their name", Report{ID: 7}, named, "Dana Dup (also found it, report #7)"},
		{"neither", Report{ID: 7}, &User{}, ""},
		{"credit withheld", Report{ID: 7, Credit: "Dana", NeverDisclose: []string{"credit"}}, named, ""},
		{"identity withheld", Report{ID: 7, NeverDisclose: []string{"reporter_identity"}}, named, ""},
	} {
		if got := DuplicateCredit(&c.dup, c.user); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
	if got := WithCredit("A", "B"); got != "A\nB" {
		t.Errorf("WithCredit = %q", got)
	}
	if got := WithCredit("A\nB", "B"); got != "A\nB" {
		t.Errorf("WithCredit twice = %q", got)
	}
}
