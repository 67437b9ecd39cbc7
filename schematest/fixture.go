package schematest

import (
	"time"

	"github.com/vmtproject/vmt"
)

// Advisory returns a complete published advisory, the same in every
// export's tests so that their golden files describe one document.
func Advisory() *vmt.Advisory {
	pub := time.Date(2026, 3, 4, 0, 0, 0, 0, time.UTC)
	mod := time.Date(2026, 3, 6, 12, 0, 0, 0, time.UTC)
	return &vmt.Advisory{
		ID: vmt.NewAdvisoryID("KCSA", 2026, 1), Kind: vmt.KindAdvisory, State: vmt.AdvisoryPublished,
		ReportID: 42, Vendor: "Kata Containers",
		Title:       "Guest can read host files through a crafted virtio-fs mount (CVE-2026-12345)",
		Summary:     "A guest can read arbitrary files of the host",
		Description: "A process in a Kata Containers guest can craft a virtio-fs mount request that escapes the shared\ndirectory, letting it read any file the virtiofsd process can read on the host.",
		Mitigation:  "Use a block device for the container rootfs instead of virtio-fs until the fix is deployed.",
		Affected: []vmt.Affected{
			{Component: "runtime", Ecosystem: "Go", Package: "github.com/kata-containers/kata-containers/src/runtime",
				Versions: "<3.2.1, >=3.3.0 <3.3.2",
				Ranges: []vmt.VersionRange{{Branch: "stable-3.2", Introduced: "0", Fixed: "3.2.1"},
					{Branch: "main", Introduced: "3.3.0", Fixed: "3.3.2"}}},
			{Component: "agent", Versions: "All versions before 3.3.2"},
		},
		Credits: []vmt.Credit{
			{Name: "Ada Lovelace", Affiliation: "Example Corp", Contact: []string{"mailto:ada@example.org"}, Type: vmt.CreditFinder},
			{Name: "Grace Hopper", Type: vmt.CreditRemediationDeveloper},
		},
		CVEs: []string{"CVE-2026-12345"},
		CWEs: []string{"CWE-22"},
		CVSS: []string{"CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:C/C:H/I:N/A:N",
			"CVSS:4.0/AV:L/AC:L/AT:N/PR:L/UI:N/VC:H/VI:N/VA:N/SC:H/SI:N/SA:N"},
		References: []vmt.Reference{
			{Type: "REPORT", URL: "https://github.com/kata-containers/kata-containers/issues/9999"},
			{Type: "ADVISORY", URL: "https://github.com/kata-containers/kata-containers/security/advisories/GHSA-aaaa-bbbb-cccc"},
		},
		Patches: []vmt.Patch{
			{Branch: "main", URLs: []string{"https://github.com/kata-containers/kata-containers/pull/10001"}},
			{Branch: "stable-3.2", URLs: []string{"https://github.com/kata-containers/kata-containers/pull/10002"}},
		},
		Notes:     []string{"Kata Containers 3.1 is no longer supported and received no fix."},
		Errata:    "The first version named the wrong fixed release for the stable-3.2 branch.",
		Revisions: []vmt.Revision{{Number: 1, Date: pub, Summary: "Original version"}, {Number: 2, Date: mod.Truncate(24 * time.Hour), Summary: "Errata 1: fixed release of stable-3.2"}},
		Published: &pub,
		Modified:  &mod,
	}
}
