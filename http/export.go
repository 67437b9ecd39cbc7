package http

import (
	"strings"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/csaf"
	"github.com/vmtproject/vmt/cve5"
	"github.com/vmtproject/vmt/osv"
)

// exportFormats maps a format name to its media type.
var exportFormats = map[string]string{
	"osv":  "application/json",
	"cve":  "application/json",
	"csaf": "application/json",
}

// exportAdvisory writes a public document in format with the export
// packages the CLI uses: osv, cve (the record of cve, or of its only CVE)
// or csaf. pub names the publisher; base is the site's URL, the CSAF
// namespace when the project set none.
func exportAdvisory(d *vmt.Advisory, format, cve string, pub *vmt.Publisher, base string) ([]byte, error) {
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
		return csaf.Export(d, csaf.Options{Namespace: ns})
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
	return nil, vmt.Invalid("format", "%q is not osv, cve or csaf", format)
}
