package vmt

import "testing"

// TestInvisible is the character rule of text.go, case by case.
func TestInvisible(t *testing.T) {
	for _, tc := range []struct {
		name string
		s    string
		want bool
	}{
		{"plain", "Guest escape via virtio-fs", false},
		{"accents and scripts", "Élodie Ærøskøbing 日本語 مرحبا", false},
		{"RLO", "a\u202eb", true}, {"LRE", "a\u202ab", true}, {"FSI", "a\u2068b", true}, {"PDI", "a\u2069b", true},
		{"LRM", "a\u200eb", true}, {"ALM", "a\u061cb", true},
		{"ZWSP", "a\u200bb", true}, {"WJ", "a\u2060b", true}, {"BOM", "\ufeffab", true}, {"SHY", "pass\u00adword", true},
		{"ZWJ in an ASCII word", "pass\u200dword", true}, {"ZWNJ at the end", "ab\u200c", true},
		{"ZWJ next to a space", "👩 \u200d💻", true}, {"two joiners", "👩\u200d\u200d💻", true},
		{"ZWJ emoji", "👩\u200d💻", false}, {"ZWJ family", "👨\u200d👩\u200d👧", false},
		{"ZWNJ in Persian", "می\u200cخواهم", false}, {"ZWJ in Devanagari", "क्\u200dष", false},
		{"flag of England", "🏴\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f", false},
		{"lone tag", "a\U000e0041", true},
		{"line separator", "a\u2028b", true}, {"Hangul filler", "a\u3164b", true}, {"blank Braille", "a\u2800b", true},
		{"variation selector", "❤\ufe0f", false},
	} {
		if _, got := firstInvisible(tc.s); got != tc.want {
			t.Errorf("%s: %q invisible %v, want %v", tc.name, tc.s, got, tc.want)
		}
		if shown := ShowInvisible(tc.s); (shown != tc.s) != tc.want {
			t.Errorf("%s: ShowInvisible(%q) = %q", tc.name, tc.s, shown)
		}
	}
	if got := ShowInvisible("x\u202ey\xff"); got != "x<U+202E>y\xff" {
		t.Errorf("ShowInvisible keeps other bytes as written: %q", got)
	}
}
