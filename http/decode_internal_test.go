package http

import "testing"

// TestCanonicalID lists what is an id and what is not: only the one
// decimal spelling of a positive int64.
func TestCanonicalID(t *testing.T) {
	for s, want := range map[string]int64{
		"1": 1, "73": 73, "9223372036854775807": 9223372036854775807,
		"": 0, "0": 0, "073": 0, "+73": 0, "-73": 0, " 73": 0, "73 ": 0, "0x49": 0, "73.0": 0, "7e1": 0,
		"9223372036854775808": 0, "99999999999999999999": 0, "٧٣": 0, "７３": 0, "73\x00": 0,
	} {
		got, ok := canonicalID(s)
		if got != want || ok != (want != 0) {
			t.Errorf("canonicalID(%q) = %d, %v; want %d", s, got, ok, want)
		}
	}
}
