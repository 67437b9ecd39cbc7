package ossa

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/cvss"
)

// FuzzImport: whatever the bytes, Import never panics, and what it
// accepts is a valid advisory with valid CVSS vectors. Seeds are a few
// real OSSAs; CI runs the seeds, `go test -fuzz FuzzImport ./ossa` more.
func FuzzImport(f *testing.F) {
	for _, id := range []string{"OSSA-2014-001", "OSSA-2014-039", "OSSA-2016-009", "OSSA-2025-001", "OSSA-2026-012"} {
		b, err := os.ReadFile(filepath.Join("..", "testdata", "ossa", "ossa", id+".yaml"))
		if err != nil {
			f.Fatal(err) // the seeds are in the repository: missing is a failure
		}
		f.Add(b)
	}
	f.Add([]byte("id: OSSA-2026-001\ndate: 2026-01-01\n"))
	f.Add([]byte("reviews: [1, 2]\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		a, err := Import(b)
		if err != nil {
			return
		}
		if err := cvss.Check(a); err != nil {
			t.Fatalf("accepted an invalid advisory: %v", err)
		}
		if a.State != vmt.AdvisoryPublished {
			t.Fatalf("state %s", a.State)
		}
	})
}

// FuzzImportKCSA: whatever the bytes, the KCSA reader and its line fixes
// never panic, and what it accepts validates once numbered. Seeds are the
// published KCSAs and the template.
func FuzzImportKCSA(f *testing.F) {
	seeds, err := filepath.Glob(filepath.Join("..", "testdata", "kata", "VMT", "KCSA", "KCSA-*.md"))
	if err != nil || len(seeds) == 0 {
		f.Fatalf("no KCSA seeds: %v", err)
	}
	for _, p := range append(seeds, filepath.Join("..", "testdata", "kata", "VMT", "templates", "KCSA.md")) {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(" reviews:\nnotes:\n- `x`\n```\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		a, _, err := ImportKCSA(b)
		if err != nil {
			return
		}
		c := *a
		if c.ID.IsZero() {
			c.ID = vmt.NewAdvisoryID("KCSA", 2020, 1)
		}
		if err := cvss.Check(&c); err != nil {
			t.Fatalf("accepted an invalid advisory: %v", err)
		}
	})
}
