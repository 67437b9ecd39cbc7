package http

import (
	"strings"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/csaf"
	"github.com/vmtproject/vmt/cve5"
	"github.com/vmtproject/vmt/ossa"
	"github.com/vmtproject/vmt/osv"
)

// exportFormats maps a format name to its media type.
var exportFormats = map[string]string{
	"osv":  "application/json",
	"cve":  "application/json",
	"csaf": "application/json",
	// The project's own files (issue 15): OpenStack's OSSA YAML and
	// Kata's KCSA Markdown, which import back unchanged.
	"ossa": "application/yaml; charset=utf-8",
	"kcsa": "text/markdown; charset=utf-8",
}

// fileSuffixes are the public URLs of the file exports beside the
// document's page: /advisories/{id}.yaml and /advisories/{id}.md.
var fileSuffixes = map[string]string{".yaml": "ossa", ".md": "kcsa"}

// exportAdvisory writes a public document in format with the export
// packages the CLI uses: osv, cve (the record of cve, or of its only CVE)
// or csaf, or the project's files ossa and kcsa. pub names the publisher; base is the site's URL, the CSAF
// namespace when the project set none. embargoed says d is the preview
// of an embargoed document (app.AdvisoryForExport), which the CSAF
// labels TLP AMBER with its planned release date.
func exportAdvisory(d *vmt.Advisory, format, cve string, pub *vmt.Publisher, base string, embargoed bool) ([]byte, error) {
	switch format {
	case "osv":
		return osv.Export(d)
	case "csaf":
		ns := pub.CSAFNamespace
		if ns == "" {
			ns = strings.TrimRight(base, "/")
		}
		if ns == "" {
			return nil, vmt.Invalid("csaf_namespace", "set the project's CSAF namespace (its publication settings): this site has no URL configured")
		}
		o := csaf.Options{Namespace: ns, Embargoed: embargoed}
		if d.Vendor == "" {
			o.Publisher = pub.Vendor // CSAF needs a vendor; the project is one
		}
		return csaf.Export(d, o)
	case "ossa":
		return ossa.Export(d)
	case "kcsa":
		return ossa.ExportKCSA(d)
	case "cve":
		if pub.CVEOrgID == "" {
			return nil, vmt.Errorf(vmt.ECONFLICT, "the project has no CNA organisation id (org_id of its CNA settings: vmt project cna set PROJECT --org-id UUID): there is no CVE record to write")
		}
		if cve == "" {
			switch len(d.CVEs) {
			case 0:
				return nil, vmt.Invalid("cve", "%s has no CVE id: there is no CVE record to write", d.ID)
			case 1:
				cve = d.CVEs[0]
			default:
				return nil, vmt.Invalid("cve", "%s has %d CVE ids: choose one with cve=", d.ID, len(d.CVEs))
			}
		}
		r, err := cve5.FromAdvisory(d, cve, cve5.Options{OrgID: pub.CVEOrgID, ShortName: pub.CVEShortName})
		if err != nil {
			return nil, err
		}
		return cve5.Marshal(r)
	}
	return nil, vmt.Invalid("format", "%q is not osv, cve, csaf, ossa or kcsa", format)
}

// exportsOf is the one list of the exports a public document has, by name
// ("osv", "csaf", "cve", or "cve:CVE-…" for each CVE of a document with
// several), with their URLs under docURL. The indexes list exactly these
// and advisoryExport serves only these, so an export the index lists
// always exists: CSAF always (a document without a vendor names its
// project's, the namespace falls back to the site's URL), a CVE record
// when the project names its CNA and the published document has CVEs.
//
// The OSSA YAML and the KCSA file are there always too: every public
// document has an id and a publication date, all they need.
func exportsOf(d *vmt.Advisory, pub *vmt.Publisher, docURL string) map[string]string {
	out := map[string]string{"osv": docURL + "/osv.json", "csaf": docURL + "/csaf.json",
		"ossa": docURL + ".yaml", "kcsa": docURL + ".md"}
	if pub.CVEOrgID == "" || d.State != vmt.AdvisoryPublished {
		return out
	}
	switch len(d.CVEs) {
	case 0:
	case 1:
		out["cve"] = docURL + "/cve.json"
	default:
		for _, c := range d.CVEs {
			out["cve:"+c] = docURL + "/cve.json?cve=" + c
		}
	}
	return out
}

// exportKey is the name in exportsOf of a request for format with the
// query's cve ("" if none).
func exportKey(d *vmt.Advisory, format, cve string) string {
	switch {
	case format != "cve" || cve == "":
		return format
	case len(d.CVEs) > 1:
		return "cve:" + cve
	case len(d.CVEs) == 1 && d.CVEs[0] == cve:
		return "cve"
	}
	return ""
}
