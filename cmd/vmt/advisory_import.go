package main

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/ossa"
	"github.com/vmtproject/vmt/osv"
)

func init() {
	advisoryGroup.add(&command{name: "import", summary: "read OSSA YAML and OSV JSON files into advisory documents", run: advisoryImport})
}

const importUsage = "advisory import [--prefix PREFIX] [--out DIR] FILE..."

// advisoryImport reads every file first and writes nothing unless all of
// them import: one advisory document on standard output for one file, a
// JSON array for several, or a file per advisory (ID.json) under --out.
func advisoryImport(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "advisory import", "[--prefix PREFIX] [--out DIR] FILE... (.yaml: OSSA, .json: OSV)")
	prefix := fs.String("prefix", "", "number records whose id is not PREFIX-YYYY-NNN (GHSA-…) as PREFIX-YEAR-NNN, in the order given")
	outDir := fs.String("out", "", "write each advisory to DIR/ID.json instead of standard output")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return usagef("usage: vmt %s", importUsage)
	}
	if *prefix != "" {
		if _, err := vmt.ParseAdvisoryID(*prefix + "-2000-001"); err != nil {
			return vmt.Invalid("prefix", "%q is not a prefix (2 to 10 capital letters or digits)", *prefix)
		}
	}
	var as []*vmt.Advisory
	numbers := map[int]int{}
	for _, p := range pos {
		a, err := importFile(e, p)
		if err != nil {
			return err
		}
		if err := number(a, *prefix, numbers, p); err != nil {
			return err
		}
		as = append(as, a)
	}
	return writeImports(e, as, *outDir)
}

func importFile(e *env, path string) (*vmt.Advisory, error) {
	parse := map[string]func([]byte) (*vmt.Advisory, error){".yaml": ossa.Import, ".yml": ossa.Import, ".json": osv.Import}[strings.ToLower(filepath.Ext(path))]
	if parse == nil {
		return nil, usagef("%s: name an OSSA file .yaml or an OSV file .json", path)
	}
	b, err := readFile(e, path, limitDocument)
	if err != nil {
		return nil, err
	}
	a, err := parse(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return a, nil
}

// number gives an unnumbered public advisory the next PREFIX-YEAR-NNN of
// its publication year.
func number(a *vmt.Advisory, prefix string, numbers map[int]int, path string) error {
	if !a.ID.IsZero() || !a.Public() {
		return nil
	}
	if prefix == "" {
		return vmt.Invalid(path, "%s has no id of the form PREFIX-YYYY-NNN; pass --prefix to number it", strings.Join(a.Aliases, ", "))
	}
	y := a.Published.Year()
	numbers[y]++
	a.ID = vmt.NewAdvisoryID(prefix, y, numbers[y])
	return a.Validate()
}

func writeImports(e *env, as []*vmt.Advisory, dir string) error {
	if dir == "" {
		var v any = as
		if len(as) == 1 {
			v = as[0]
		}
		b, err := json.MarshalIndent(v, "", "  ")
		if err != nil {
			return err
		}
		return writeOutput(e, "", append(b, '\n'))
	}
	for _, a := range as {
		if a.ID.IsZero() {
			return vmt.Invalid("out", "a draft without an id cannot be named in %s", dir)
		}
	}
	for _, a := range as {
		b, err := ossa.Marshal(a)
		if err != nil {
			return err
		}
		if err := writeOutput(e, filepath.Join(dir, a.ID.String()+".json"), b); err != nil {
			return err
		}
		fmt.Fprintf(e.stderr, "%s\n", filepath.Join(dir, a.ID.String()+".json"))
	}
	return nil
}
