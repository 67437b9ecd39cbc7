package render

// Full samples of every data type: each field set, so that checking a
// template against its sample finds references to fields that do not
// exist. The golden tests render them too.

func sampleIncomplete() IncompleteData { return IncompleteData{Project: "Kata Containers"} }

func sampleReminder() ReminderData {
	return ReminderData{Project: "Kata Containers", Days: 90, Until: "2026-06-02"}
}

func sampleImpact() ImpactData {
	return ImpactData{
		Title:            "Guest can read host files through a crafted virtio-fs mount",
		Credit:           "Ada Lovelace (Example Corp)",
		Components:       []string{"runtime", "agent"},
		AffectedVersions: "<3.2.1, >=3.3.0 <3.3.2",
		Description: "Ada Lovelace (Example Corp) reported a vulnerability in the virtio-fs shared directory. " +
			"By crafting a mount request, a process in the guest may read any file virtiofsd can read on the host. " +
			"Only deployments that share the container rootfs through virtio-fs are affected.",
		Mitigation: "Use a block device for the container rootfs until the fix is deployed.",
	}
}

func sampleCVERequest() CVERequestData {
	return CVERequestData{
		Project:    "Kata Containers",
		Components: []string{"runtime", "agent"}, Description: sampleImpact().Description,
		References:  []string{"https://github.com/kata-containers/kata-containers/issues/9999"},
		Coordinator: "Alice Coordinator", Team: "Kata Containers Vulnerability Management Team",
	}
}

func sampleNotification() NotificationData {
	return NotificationData{
		Prefix: "KCSA", Project: "Kata Containers", Components: []string{"runtime", "agent"},
		CVEs: []string{"CVE-2026-12345"}, Description: sampleImpact().Description,
		Disclosure: "2026-03-04, 0000 UTC",
		Patches:    []string{"cve-2026-12345-main-runtime-agent.patch", "cve-2026-12345-stable-3.2-runtime-agent.patch"},
		Unpatched:  []string{"stable-3.1"},
		ReportURL:  "https://vmt.example.org/reports/42", AccessURL: "https://vmt.example.org/reports/42/access",
		Coordinator: "Alice Coordinator",
		Team:        "Kata Containers Vulnerability Management Team",
	}
}

func sampleAffected() []AffectedData {
	return []AffectedData{{Component: "runtime", Versions: "<3.2.1, >=3.3.0 <3.3.2"}, {Component: "agent", Versions: "All versions before 3.3.2"}}
}

func sampleRefs() []RefData {
	return []RefData{{Type: "report", URL: "https://github.com/kata-containers/kata-containers/issues/9999"}}
}

func sampleRevisions() []RevisionData {
	return []RevisionData{{Number: 1, Date: "2026-03-04", Summary: "Original version"}, {Number: 2, Date: "2026-03-06", Summary: "Errata 1"}}
}

func sampleAdvisory() AdvisoryData {
	return AdvisoryData{
		ID: "KCSA-2026-001", Title: "Guest can read host files through a crafted virtio-fs mount", Date: "2026-03-04",
		Project: "Kata Containers", CVEs: []string{"CVE-2026-12345"}, Components: []string{"runtime", "agent"}, Affected: sampleAffected(),
		Description: sampleImpact().Description, Mitigation: sampleImpact().Mitigation,
		Credits:    []CreditData{{Name: "Ada Lovelace", Affiliation: "Example Corp", Type: "finder"}},
		Severity:   []SeverityData{{Version: "3.1", Vector: "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:C/C:H/I:N/A:N", Score: "6.5", Rating: "MEDIUM"}},
		CWEs:       []string{"CWE-22"},
		References: sampleRefs(),
		Patches:    []PatchData{{Branch: "main", URLs: []string{"https://github.com/kata-containers/kata-containers/pull/10001"}}},
		Notes:      []string{"Kata Containers 3.1 is no longer supported and received no fix."},
		Errata:     "The first version named the wrong fixed release for stable-3.2.",
		Revisions:  sampleRevisions(),
		Team:       "Kata Containers Vulnerability Management Team",
	}
}

func sampleNote() NoteData {
	return NoteData{
		ID: "KCSN-2026-001", Title: "The debug console is reachable from the guest network", Date: "2026-03-04",
		Project: "Kata Containers", Summary: "When the debug console is enabled, a guest process can open it without authentication.",
		Affected:    []AffectedData{{Component: "agent", Versions: "All versions"}},
		Discussion:  "The agent's debug console is meant for development and listens on a vsock port that guest processes can reach.",
		Actions:     "Keep debug_console_enabled = false in configuration.toml on production hosts.",
		Authors:     []string{"Grace Hopper (Example Corp)"},
		URL:         "https://vmt.example.org/advisories/KCSN-2026-001",
		ReportURL:   "https://vmt.example.org/reports/43",
		MailingList: "kata-dev@lists.katacontainers.io, [Security] tag",
		CVEs:        []string{"CVE-2026-12399"},
		References:  sampleRefs(),
		Revisions:   sampleRevisions()[:1],
	}
}

func sampleCVEForm() CVERequestForm {
	return CVERequestForm{
		RequestType: RequestCVEID, Email: "alice@example.org",
		OpenPGPKey:    pgpPublicKeyArmored + "\n\nmDMEZ…\n-----END PGP PUBLIC KEY BLOCK-----",
		NotCNACovered: true, NoPriorCVE: true, VulnerabilityType: OtherOrUnknown, OtherType: "Path traversal",
		Vendor: "Kata Containers", Product: "runtime, agent", Version: "<3.2.1, >=3.3.0 <3.3.2",
		Confirmed: "Yes", AttackType: ContextDependent, Impact: []string{"Information Disclosure"},
		AffectedComponents: "virtio-fs shared directory", AttackVectors: "A crafted mount request from the guest",
		Description: suggestedDescription(sampleImpact().Description), Credits: "Ada Lovelace (Example Corp)",
		References:     []string{"https://github.com/kata-containers/kata-containers/issues/9999"},
		AdditionalInfo: EmbargoNote,
	}
}

func samplePublicationForm() CVEPublicationForm {
	return CVEPublicationForm{RequestType: NotifyPublication, Email: "alice@example.org",
		AdvisoryURL: "https://vmt.example.org/advisories/KCSA-2026-001", CVEs: []string{"CVE-2026-12345"}, DatePublished: "2026-03-04"}
}
