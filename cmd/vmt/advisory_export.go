package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/csaf"
	"github.com/vmtproject/vmt/cve5"
	"github.com/vmtproject/vmt/ossa"
	"github.com/vmtproject/vmt/osv"
)

func init() {
	advisoryGroup.add(&command{name: "export", summary: "write a published advisory as OSV, a CVE JSON 5 record or CSAF 2.0", run: advisoryExport})
}

const exportUsage = "advisory export --format osv|cve|csaf [--cve ID --org-id UUID --short-name NAME] [--namespace URL --publisher NAME] [-o FILE] ADVISORY.json\n" +
	"   or: vmt advisory export --id RECORD --format osv|cve|csaf|ossa|kcsa [--cve ID] [-o FILE]   (from the server)\n" +
	"   or: vmt advisory export --format ossa|kcsa [--out DIR] (--project NAME | ID...)   (published ones, one file each)"

func advisoryExport(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "advisory export", "--format osv|cve|csaf [flags] ADVISORY.json (- for standard input)")
	format := fs.String("format", "", "osv, cve or csaf; ossa or kcsa for the project's own files")
	dir := fs.String("out", "", "ossa, kcsa: the directory to write one file per advisory to (default: standard output, one advisory)")
	project := fs.String("project", "", "ossa, kcsa: every published advisory of this project (when no ID is given)")
	out := fs.String("o", "", "write to this file instead of standard output")
	cve := fs.String("cve", "", "cve: the CVE id to write the record of (needed when the advisory has several)")
	orgID := fs.String("org-id", "", "cve: the CNA's organisation UUID")
	short := fs.String("short-name", "", "cve: the CNA's short name")
	ns := fs.String("namespace", "", "csaf: the publisher's URL")
	pub := fs.String("publisher", "", "csaf: the publisher's name (default: the advisory's vendor)")
	record := fs.Int64("id", 0, "export the advisory with this record id from the server, as the project's settings name its publisher")
	var af apiFlags
	af.registerConn(fs)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if isSet(fs, "id") {
		return exportFromServer(ctx, e, fs, &af, pos, *record, *format, *cve, *out)
	}
	if *format == "ossa" || *format == "kcsa" {
		return exportFiles(ctx, e, &af, *format, *dir, *project, pos)
	}
	if *dir != "" || *project != "" {
		return usagef("--out and --project are for --format ossa or kcsa")
	}
	if err := wantArgs(pos, 1, exportUsage); err != nil {
		return err
	}
	a, err := readAdvisory(e, pos[0])
	if err != nil {
		return err
	}
	var b []byte
	switch *format {
	case "osv":
		b, err = osv.Export(a)
	case "cve":
		b, err = exportCVE(a, *cve, cve5.Options{OrgID: *orgID, ShortName: *short})
	case "csaf":
		b, err = csaf.Export(a, csaf.Options{Namespace: *ns, Publisher: *pub})
	default:
		return usagef("--format must be osv, cve, csaf, ossa or kcsa, not %q", *format)
	}
	if err != nil {
		return err
	}
	return writeOutput(e, *out, b)
}

// exportCVE writes the record of id, or of the advisory's only CVE.
func exportCVE(a *vmt.Advisory, id string, o cve5.Options) ([]byte, error) {
	if id == "" {
		switch len(a.CVEs) {
		case 0:
			if err := a.CheckExportable(); err != nil {
				return nil, err
			}
			return nil, vmt.Invalid("cves", "%s has no CVE id: there is no CVE record to write", a.ID)
		case 1:
			id = a.CVEs[0]
		default:
			return nil, usagef("%s has %d CVE ids: choose one with --cve", a.ID, len(a.CVEs))
		}
	}
	r, err := cve5.FromAdvisory(a, id, o)
	if err != nil {
		return nil, err
	}
	return cve5.Marshal(r)
}

// exportFromServer writes the server's export of a document: the same
// export code, with the publisher of the project's settings.
func exportFromServer(ctx context.Context, e *env, fs *flag.FlagSet, af *apiFlags, pos []string, record int64, format, cve, out string) error {
	if len(pos) != 0 {
		return usagef("--id exports from the server: give no ADVISORY.json")
	}
	for _, f := range []string{"org-id", "short-name", "namespace", "publisher"} {
		if isSet(fs, f) {
			return usagef("--%s is for files; the server names the publisher from the project's publication settings", f)
		}
	}
	if record <= 0 {
		return usagef("--id must be a record id (see vmt advisory list REPORT)")
	}
	c, err := af.client(e)
	if err != nil {
		return err
	}
	b, err := c.ExportAdvisory(ctx, record, format, cve)
	if err != nil {
		return err
	}
	return writeOutput(e, out, b)
}

// exportFiles writes published advisories as the project's own files,
// OSSA YAML or KCSA Markdown, as the server serves them at their public
// URLs: the advisories ids name, or every published one of project. With
// --out, one file per advisory in dir, named as the project's repository
// names them (OSSA-2014-039.yaml, KCSA-CVE-2020-2023.md); without, the
// one advisory to standard output.
func exportFiles(ctx context.Context, e *env, af *apiFlags, format, dir, project string, ids []string) error {
	switch {
	case len(ids) > 0 && project != "":
		return usagef("give advisory ids or --project, not both")
	case len(ids) == 0 && project == "":
		return usagef("give advisory ids (OSSA-2014-039) or --project NAME for all its published ones")
	}
	c, err := af.client(e)
	if err != nil {
		return err
	}
	if project != "" {
		if ids, err = c.PublishedIDs(ctx, project); err != nil {
			return err
		}
		if len(ids) == 0 {
			return vmt.Invalid("project", "%s has no published advisory", project)
		}
	}
	if dir == "" && len(ids) > 1 {
		return usagef("%d advisories: write them to a directory with --out DIR", len(ids))
	}
	if dir != "" {
		if st, err := os.Stat(dir); err != nil || !st.IsDir() {
			return vmt.Invalid("out", "%q is not a directory", dir)
		}
	}
	for _, id := range ids {
		b, err := c.AdvisoryFile(ctx, id, format)
		if err != nil {
			return fmt.Errorf("%s: %w", id, err)
		}
		if dir == "" {
			return writeOutput(e, "", b)
		}
		name, err := fileName(format, b)
		if err != nil {
			return fmt.Errorf("%s: %w", id, err)
		}
		if err := writeOutput(e, filepath.Join(dir, name), b); err != nil {
			return err
		}
		fmt.Fprintf(e.stderr, "%s: %s\n", id, filepath.Join(dir, name))
	}
	return nil
}

// fileName names a served file by the id it holds, read back as a
// re-import would: the id an OSSA is published under, the KCSA-CVE-… id
// of a KCSA.
func fileName(format string, b []byte) (string, error) {
	if format == "ossa" {
		a, err := ossa.Import(b)
		if err != nil {
			return "", err
		}
		return a.ID.String() + ".yaml", nil
	}
	a, _, err := ossa.ImportKCSA(b)
	if err != nil {
		return "", err
	}
	id := a.OriginalID()
	if id == "" || strings.ContainsAny(id, "/\\") || strings.HasPrefix(id, ".") {
		return "", vmt.Invalid("id", "%q cannot name a file", id)
	}
	return id + ".md", nil
}
