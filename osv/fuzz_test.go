package osv

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/vmtproject/vmt"
)

// FuzzImport: whatever the bytes, Import never panics; what it accepts
// validates, and exports again when it is public and numbered.
func FuzzImport(f *testing.F) {
	for _, name := range []string{"ghsa/GHSA-6978-vg2j-cc9q.json", "ghsa/GHSA-35c4-f3rq-f9g3.json", "ghsa/govulndb-kata/GO-2026-4517.json"} {
		b, err := os.ReadFile(filepath.Join("..", "testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"id":"x_KCSA-2026-001","modified":"2026-01-01T00:00:00Z","published":"2026-01-01T00:00:00Z","summary":"s","affected":[{"ranges":[{"type":"SEMVER","events":[{"fixed":"1"}]}]}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		a, err := Import(b)
		if err != nil {
			return
		}
		if err := ValidateUnnumbered(a); err != nil {
			t.Fatalf("accepted an invalid advisory: %v", err)
		}
		if a.Public() && !a.ID.IsZero() {
			if _, err := Export(a); err != nil && vmt.ErrorCode(err) == vmt.EINTERNAL {
				t.Fatalf("export of an accepted record: %v", err)
			}
		}
	})
}
