package gitrepo

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/vmtproject/vmt"
)

// FuzzParseSeries: the parser never panics; it refuses with an EINVALID or
// ETOOLARGE *vmt.Error, or accepts a series whose every name is safe, whose
// diffs come from the input, and whose diffs parse again to the same files
// and identities. The same input always gets the same answer.
func FuzzParseSeries(f *testing.F) {
	fx := newFixture(f)
	good := fx.up.formatPatch("master..topic~1")
	f.Add(fx.series)
	f.Add(good)
	for _, h := range hostile(good) {
		if len(h.patch) < 64<<10 {
			f.Add(h.patch)
		}
	}
	f.Add(mbox("diff --git \"a/\\303\\251 x\" \"b/\\303\\251 x\"\nnew file mode 100755\n--- /dev/null\n+++ \"b/\\303\\251 x\"\n@@ -0,0 +1,2 @@\n+a\n+b\n\\ No newline at end of file\n"))
	f.Add(mbox("diff --git a/old b/new\nsimilarity index 90%\nrename from old\nrename to new\n"))
	lim := Limits{MaxBytes: 1 << 16, MaxPatches: 8, MaxFiles: 16, MaxHunkLines: 256}
	f.Fuzz(func(t *testing.T, data string) {
		s, err := ParseSeries([]byte(data), lim)
		s2, err2 := ParseSeries([]byte(data), lim)
		if !reflect.DeepEqual(s, s2) || (err == nil) != (err2 == nil) || err != nil && err.Error() != err2.Error() {
			t.Fatalf("two parses differ: %v / %v", err, err2)
		}
		if err != nil {
			var e *vmt.Error
			if s != nil || !errors.As(err, &e) || e.Code != vmt.EINVALID && e.Code != vmt.ETOOLARGE {
				t.Fatalf("refusal %v (%T) with series %v", err, err, s)
			}
			return
		}
		for _, p := range s.Patches {
			checkAccepted(t, data, p, lim)
		}
	})
}

func checkAccepted(t *testing.T, data string, p Patch, lim Limits) {
	t.Helper()
	if !strings.Contains(data, p.Diff) || len(p.Files) == 0 {
		t.Fatalf("accepted a patch whose diff %q is not from the input, or has no file", p.Diff)
	}
	for _, f := range p.Files {
		if err := checkFile(f); err != nil {
			t.Fatalf("accepted an unsafe file: %v", err)
		}
	}
	again, err := ParseSeries([]byte(mbox(p.Diff)), lim)
	if err != nil || len(again.Patches) != 1 {
		t.Fatalf("an accepted diff is refused on its own: %v", err)
	}
	if !reflect.DeepEqual(again.Patches[0].Files, p.Files) || !reflect.DeepEqual(again.Patches[0].ID, p.ID) {
		t.Fatalf("an accepted diff parses to other files or identity on its own")
	}
}

// mbox wraps a diff in the mail git format-patch would write around it.
func mbox(diff string) string {
	return "From " + strings.Repeat("0", 40) + " Mon Sep 17 00:00:00 2001\nFrom: A <a@example.org>\nDate: Thu, 1 Jan 2026 00:00:00 +0000\nSubject: [PATCH] x\n\n---\n" + diff
}
