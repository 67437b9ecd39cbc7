package vmt

import (
	"bufio"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// modulePath reads the module path from go.mod.
func modulePath(t *testing.T) string {
	t.Helper()
	f, err := os.Open("go.mod")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(sc.Text()), "module "); ok {
			return strings.Trim(strings.TrimSpace(rest), `"`)
		}
	}
	t.Fatal("go.mod names no module")
	return ""
}

// TestDomainImportsOnlyStandardLibrary is STYLE.md's habit 1: the domain
// package imports nothing of the project and no outside module.
func TestDomainImportsOnlyStandardLibrary(t *testing.T) {
	mod := modulePath(t)
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), name, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		if f.Name.Name != "vmt" {
			t.Errorf("%s is package %s, want vmt", name, f.Name.Name)
		}
		checked++
		for _, imp := range f.Imports {
			path, err := strconv.Unquote(imp.Path.Value)
			if err != nil {
				t.Fatal(err)
			}
			first, _, _ := strings.Cut(path, "/")
			if strings.Contains(first, ".") || path == mod || strings.HasPrefix(path, mod+"/") || path == "C" {
				t.Errorf("%s imports %q; the domain package may import only the standard library", name, path)
			}
		}
	}
	if checked < 10 {
		t.Fatalf("checked only %d files; is the test running in the repository root?", checked)
	}
}
