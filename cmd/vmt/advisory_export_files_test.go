package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/sqldb/sqldbtest"
)

// TestExportFilesReimport: the 183 OSSAs and 7 KCSAs imported into a
// server, `vmt advisory export --format ossa --out DIR --project` writes
// one file per published advisory, and `--format kcsa --out DIR ID...`
// the KCSAs under their KCSA-CVE names; imported again, the OSSAs and
// KCSAs are unchanged. A KCSA written as OSSA YAML is not: OSSA YAML
// keeps no vendor (every OSSA is OpenStack's) nor alias, which the
// import says by name.
func TestExportFilesReimport(t *testing.T) {
	ossaFiles, _, _, kcsaFiles := historyFiles(t)
	engine := sqldbtest.Engines()[0]
	_, u := importServer(t, engine)
	if rep, r := runImport(t, u, slices.Concat(ossaFiles, kcsaFiles)...); rep.counts()[vmt.ImportImported] != 190 {
		t.Fatalf("import: %v, stderr %q", rep.counts(), r.stderr)
	}

	dir := t.TempDir()
	if r := u.vmt("", "advisory", "export", "--format", "ossa", "--out", dir, "--project", "kata-containers"); r.code != 0 {
		t.Fatalf("export ossa: exit %d: %s", r.code, r.stderr)
	}
	yamls, _ := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if len(yamls) != 190 {
		t.Fatalf("export ossa wrote %d files, want 190", len(yamls))
	}
	rep, r := runImport(t, u, yamls...)
	for _, f := range rep.Files {
		kata := strings.HasPrefix(filepath.Base(f.File), "KCSA-")
		switch {
		case !kata && f.Outcome != vmt.ImportUnchanged:
			t.Errorf("%s: %s: %s", f.File, f.Outcome, f.Reason)
		case kata && (f.Outcome != vmt.ImportRefused || !strings.Contains(f.Reason, "differs in aliases, vendor")):
			t.Errorf("%s (a KCSA as OSSA YAML): %s: %s", f.File, f.Outcome, f.Reason)
		}
	}
	if c := rep.counts(); c[vmt.ImportUnchanged] != 183 || c[vmt.ImportRefused] != 7 {
		t.Errorf("re-import of the OSSA files: %v (stderr %q)", c, r.stderr)
	}

	kdir := t.TempDir()
	var ids []string
	for _, f := range rep.Files {
		if strings.HasPrefix(filepath.Base(f.File), "KCSA-") {
			ids = append(ids, strings.TrimSuffix(filepath.Base(f.File), ".yaml"))
		}
	}
	if r := u.vmt("", append([]string{"advisory", "export", "--format", "kcsa", "--out", kdir}, ids...)...); r.code != 0 {
		t.Fatalf("export kcsa: exit %d: %s", r.code, r.stderr)
	}
	mds, _ := filepath.Glob(filepath.Join(kdir, "*.md"))
	var names []string
	for _, m := range mds {
		names = append(names, filepath.Base(m))
	}
	var want []string
	for _, k := range kcsaFiles {
		want = append(want, filepath.Base(k))
	}
	if !slices.Equal(names, want) {
		t.Errorf("export kcsa wrote %v, want %v", names, want)
	}
	rep, _ = runImport(t, u, mds...)
	if c := rep.counts(); c[vmt.ImportUnchanged] != 7 {
		t.Errorf("re-import of the KCSA files: %+v", rep.Files)
	}

	// One advisory goes to standard output; several need --out; a
	// project and ids together, or neither, are refused.
	r = u.vmt("", "advisory", "export", "--format", "ossa", "OSSA-2014-039")
	if want, err := os.ReadFile(filepath.Join(dir, "OSSA-2014-039.yaml")); r.code != 0 || err != nil || r.stdout != string(want) {
		t.Errorf("export to stdout: exit %d %v: %.300s", r.code, err, r.stdout)
	}
	for _, args := range [][]string{{"OSSA-2014-039", "OSSA-2014-040"}, {"--project", "kata-containers", "OSSA-2014-039"}, {}} {
		if r := u.vmt("", append([]string{"advisory", "export", "--format", "kcsa"}, args...)...); r.code == 0 {
			t.Errorf("export %v: exit 0, want a usage error", args)
		}
	}
}
