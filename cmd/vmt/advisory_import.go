package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/vmtproject/vmt"
	vmthttp "github.com/vmtproject/vmt/http"
	"github.com/vmtproject/vmt/ossa"
	"github.com/vmtproject/vmt/osv"
)

func init() {
	advisoryGroup.add(&command{name: "import", summary: "import published OSSA, OSV, GHSA and KCSA files into the server (--local: convert them only)", run: advisoryImport})
}

const importUsage = "advisory import --project NAME [--prefix PREFIX] [--dry-run] FILE... | advisory import --local [--prefix PREFIX] [--out DIR] FILE..."

// advisoryImport sends a project's earlier published advisories to the
// server, or with --local converts them into advisory documents. Every
// file is read first (.yaml: OSSA, .json: OSV or GHSA, .md: a Kata KCSA),
// and the report says of each what became of it and what could not be
// kept or had to be fixed to read it.
func advisoryImport(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "advisory import", "--project NAME [--prefix PREFIX] [--dry-run] FILE... (.yaml: OSSA, .json: OSV/GHSA, .md: KCSA)")
	var af apiFlags
	af.register(fs)
	project := fs.String("project", "", "the project whose history the files are (required unless --local)")
	prefix := fs.String("prefix", "", "number records whose id is not PREFIX-YYYY-NNN (GHSA-…, KCSA-CVE-…) as PREFIX-YEAR-NNN (default: the project's advisory prefix)")
	dryRun := fs.Bool("dry-run", false, "say what the import would do, storing nothing")
	local := fs.Bool("local", false, "convert the files into advisory documents here, sending nothing")
	outDir := fs.String("out", "", "with --local: write each advisory to DIR/ID.json instead of standard output")
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
	if *local || *outDir != "" {
		return importLocal(e, pos, *prefix, *outDir)
	}
	if *project == "" {
		return usagef("--project is required (or --local to convert the files only)")
	}
	files := make([]importedFile, 0, len(pos))
	for _, p := range pos {
		f, err := importFile(e, p)
		var ve *vmt.Error
		if err != nil && !(errors.As(err, &ve) && ve.Code == vmt.EINVALID) && !isParseError(err) {
			return err // a file that cannot be read at all stops everything
		}
		if err != nil {
			f.Outcome, f.Reason = vmt.ImportRefused, err.Error()
		}
		files = append(files, f)
	}
	c, err := af.client(e)
	if err != nil {
		return err
	}
	if err := sendImports(ctx, e.stderr, c, *project, *prefix, *dryRun, files); err != nil {
		return err
	}
	return importReport(e, &af, *dryRun, files)
}

// importLocal is the import of earlier versions: the files become
// advisory documents here, and nothing is written unless all of them
// import: one document on standard output for one file, a JSON array for
// several, or a file per advisory (ID.json) under dir.
func importLocal(e *env, pos []string, prefix, dir string) error {
	var as []*vmt.Advisory
	numbers := map[int]int{}
	for _, p := range pos {
		f, err := importFile(e, p)
		if err != nil {
			return err
		}
		if err := number(f.advisory, prefix, numbers, p); err != nil {
			return err
		}
		as = append(as, f.advisory)
	}
	return writeImports(e, as, dir)
}

// importedFile is one file: what it read into, and its line of the report.
type importedFile struct {
	vmt.ImportResult
	Fixed    []string `json:"fixed,omitempty"`    // what was corrected to read it (a KCSA's known mistakes)
	NotKept  []string `json:"not_kept,omitempty"` // fields of an OSV/GHSA record an export will not give back
	advisory *vmt.Advisory
}

// parseError marks a file that was read but is not a document of its
// format: refused in the report, like an invalid one.
type parseError struct{ err error }

func (p parseError) Error() string { return p.err.Error() }
func (p parseError) Unwrap() error { return p.err }

func isParseError(err error) bool { var p parseError; return errors.As(err, &p) }

// sendImports sends the documents that were read in requests within the
// server's limits, and fills in each file's result.
func sendImports(ctx context.Context, stderr io.Writer, c *vmthttp.Client, project, prefix string, dryRun bool, files []importedFile) error {
	var batch []int
	size, requests := 0, 0
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		requests++
		req := vmt.ImportRequest{DryRun: dryRun, Prefix: prefix}
		for _, i := range batch {
			req.Documents = append(req.Documents, vmt.ImportDocument{File: files[i].File, Advisory: *files[i].advisory})
		}
		rep, err := c.ImportAdvisories(ctx, project, req)
		if err != nil {
			return err
		}
		if len(rep.Results) != len(batch) {
			return fmt.Errorf("the server answered %d results for %d advisories", len(rep.Results), len(batch))
		}
		for k, i := range batch {
			files[i].ImportResult = rep.Results[k]
		}
		batch, size = batch[:0], 0
		return nil
	}
	// Room for the request's own fields around the documents.
	const room = vmthttp.MaxImportBodyBytes - 4096
	for i := range files {
		if files[i].advisory == nil {
			continue
		}
		b, err := json.Marshal(vmt.ImportDocument{File: files[i].File, Advisory: *files[i].advisory})
		if err != nil {
			return err
		}
		if len(b) > room {
			files[i].Outcome, files[i].Reason = vmt.ImportRefused, fmt.Sprintf("%s: the advisory is %d bytes as JSON, more than the %d of a request", files[i].File, len(b), room)
			continue
		}
		if size+len(b)+1 > room || len(batch) == vmt.MaxImportDocuments {
			if err := flush(); err != nil {
				return err
			}
		}
		batch, size = append(batch, i), size+len(b)+1
	}
	if err := flush(); err != nil {
		return err
	}
	if dryRun && requests > 1 {
		// Each request is its own transaction, rolled back: a later one
		// does not see what an earlier one would have stored.
		fmt.Fprintf(stderr, "vmt: the dry run took %d requests: the numbers given to unnumbered records in each after the first do not count those of the ones before\n", requests)
	}
	return nil
}

// importReport prints a line per file, then the counts; --json prints
// the files' results. A refused file makes the command fail, once every
// file has been reported on.
func importReport(e *env, af *apiFlags, dryRun bool, files []importedFile) error {
	counts := map[vmt.ImportOutcome]int{}
	for _, f := range files {
		counts[f.Outcome]++
	}
	if af.json {
		if err := emitJSON(e.stdout, struct {
			DryRun bool           `json:"dry_run,omitempty"`
			Files  []importedFile `json:"files"`
		}{dryRun, files}); err != nil {
			return err
		}
	} else {
		for _, f := range files {
			outcome := string(f.Outcome)
			if dryRun && f.Outcome == vmt.ImportImported {
				outcome = "would import"
			}
			line := fmt.Sprintf("%-12s %s", outcome, f.File)
			if f.ID != "" {
				line += "  " + f.ID
			}
			if f.OriginalID != "" && f.OriginalID != f.ID {
				line += " (was " + f.OriginalID + ")"
			}
			if f.Reason != "" {
				// The reason names the file for --json; once is enough here.
				line += ": " + strings.TrimPrefix(f.Reason, f.File+": ")
			}
			fmt.Fprintln(e.stdout, line)
			for _, x := range f.Fixed {
				fmt.Fprintf(e.stdout, "    fixed: %s\n", x)
			}
			for _, x := range f.NotKept {
				fmt.Fprintf(e.stdout, "    not kept: %s\n", x)
			}
		}
		verb := "imported"
		if dryRun {
			verb = "would import (dry run, nothing stored)"
		}
		fmt.Fprintf(e.stdout, "%d files: %d %s, %d unchanged, %d refused\n", len(files), counts[vmt.ImportImported], verb, counts[vmt.ImportUnchanged], counts[vmt.ImportRefused])
	}
	if n := counts[vmt.ImportRefused]; n > 0 {
		return vmt.Invalid("FILE", "%d of %d files refused (see the report)", n, len(files))
	}
	return nil
}

// importFile reads one file by its extension. An error that is the
// file's content (not of its format, or not a valid advisory) is EINVALID
// or a parseError naming the file; any other (unreadable, too large, an
// unknown extension) is returned as it is.
func importFile(e *env, path string) (importedFile, error) {
	f := importedFile{ImportResult: vmt.ImportResult{File: path}}
	ext := strings.ToLower(filepath.Ext(path))
	if ext != ".yaml" && ext != ".yml" && ext != ".json" && ext != ".md" {
		return f, usagef("%s: name an OSSA file .yaml, an OSV or GHSA file .json or a KCSA file .md", path)
	}
	b, err := readFile(e, path, limitDocument)
	if err != nil {
		return f, err
	}
	var a *vmt.Advisory
	switch ext {
	case ".yaml", ".yml":
		a, err = ossa.Import(b)
	case ".md":
		a, f.Fixed, err = ossa.ImportKCSA(b)
	case ".json":
		if a, err = osv.Import(b); err == nil && a.Public() {
			var nk []string
			if nk, err = osv.NotKept(b, a); err == nil {
				f.NotKept = osv.DescribeLosses(nk)
			}
		}
	}
	if err != nil {
		return f, parseError{fmt.Errorf("%s: %w", path, err)}
	}
	f.advisory, f.OriginalID = a, a.OriginalID()
	return f, nil
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
