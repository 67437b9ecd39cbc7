package ossa

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestImportLimits: each limit of the YAML reader refuses a file over it
// with an error that names the limit, and a real OSSA is well within all
// of them.
func TestImportLimits(t *testing.T) {
	real, err := os.ReadFile(filepath.Join("..", "testdata", "ossa", "ossa", "OSSA-2014-039.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	nested := func(n int) string {
		return "id: OSSA-2026-001\nnotes: " + strings.Repeat("[", n) + strings.Repeat("]", n) + "\n"
	}
	// Each level doubles what the last alias stands for.
	laughs := func(levels int) string {
		var b strings.Builder
		b.WriteString("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n")
		for i := 1; i <= levels; i++ {
			prev := "*a" + strconv.Itoa(i-1)
			b.WriteString("a" + strconv.Itoa(i) + ": &a" + strconv.Itoa(i) + " [" + prev + ", " + prev + "]\n")
		}
		return b.String()
	}
	manyAliases := "x: &x 1\nnotes: [" + strings.TrimSuffix(strings.Repeat("*x, ", MaxAliases+1), ", ") + "]\n"
	wide := "notes: [" + strings.TrimSuffix(strings.Repeat("a, ", MaxNodes+1), ", ") + "]\n"
	for _, tc := range []struct {
		name, in, want string
	}{
		{"size", string(real) + "\n" + strings.Repeat("# padding\n", MaxInput/10+1), "more than the 1048576 allowed"},
		{"depth", nested(MaxDepth + 1), "nesting deeper than 32 levels"},
		{"aliases", manyAliases, "more than 64 aliases"},
		{"alias expansion", laughs(20), "expands to more than 100000 nodes"},
		{"nodes", wide, "expands to more than 100000 nodes"},
		{"two documents", string(real) + "\n---\nid: OSSA-2026-002\n", "more than one YAML document (the second starts on line"},
		{"no document", "", "holds no YAML document"},
		{"alias cycle", "a: &a [*a]\n", "refers to a node that contains it"},
		{"unknown key", string(real) + "\nsevrity: high\n", "field sevrity not found"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Import([]byte(tc.in))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one saying %q", err, tc.want)
			}
			if err != nil && !strings.HasPrefix(err.Error(), "ossa") {
				t.Errorf("error %q does not say it is the OSSA reader's", err)
			}
		})
	}
	// Within every limit: a deep but allowed file reads, as does the real one.
	if _, err := Import(real); err != nil {
		t.Errorf("a real OSSA: %v", err)
	}
	if _, err := Import([]byte(nested(MaxDepth - 2))); err != nil && strings.Contains(err.Error(), "nesting") {
		t.Errorf("nesting within the limit refused: %v", err)
	}
}
