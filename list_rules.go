package vmt

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
)

// ListRules are what a mailing list demands of a notice sent to it. They
// are written here once: the service addresses and schedules the notice
// by them, and the mailer (package pgpmail) checks and builds the mail by
// them.
type ListRules struct {
	Name    string // for messages: "linux-distros"
	Encrypt bool   // signed and encrypted to the list's key, or signed only
	// SubjectPrefix must open the subject, such as "[vs]".
	SubjectPrefix string
	// MaxLeadDays is the longest time before the disclosure that the list
	// accepts a notice (14 days for linux-distros); zero for no limit.
	MaxLeadDays int
}

// LinuxDistrosRules are the rules of the linux-distros list: signed and
// encrypted, "[vs]" first in the subject, at most 14 days before the
// disclosure. Its attachment names, [A-Za-z0-9._-] only, are what
// PatchName makes and the mailer requires of every notice.
var LinuxDistrosRules = ListRules{Name: ListLinuxDistros, Encrypt: true, SubjectPrefix: "[vs]", MaxLeadDays: 14}

// Demands returns the rules of l: the linux-distros list's, or a private
// list's (signed, no prefix, no lead limit) named after it.
func (l NoticeList) Demands() ListRules {
	if l.Rules == ListLinuxDistros {
		return LinuxDistrosRules
	}
	return ListRules{Name: l.Name}
}

// Subject returns s with the list's prefix first, added once.
func (r ListRules) Subject(s string) string {
	if r.SubjectPrefix == "" || strings.HasPrefix(s, r.SubjectPrefix) {
		return s
	}
	return r.SubjectPrefix + " " + s
}

// MaxLead is MaxLeadDays as a duration; zero for no limit.
func (r ListRules) MaxLead() time.Duration { return time.Duration(r.MaxLeadDays) * 24 * time.Hour }

// Earliest returns when the list first accepts a notice of a disclosure
// at disclosure: now, or later for a list with a lead limit.
func (r ListRules) Earliest(disclosure, now time.Time) time.Time {
	if r.MaxLeadDays > 0 {
		if from := disclosure.AddDate(0, 0, -r.MaxLeadDays); from.After(now) {
			return from
		}
	}
	return now
}

// BeyondMaximum reports whether a disclosure at at, decided at now, would
// pass the project's hard maximum embargo.
func (d *DisclosureSettings) BeyondMaximum(at, now time.Time) bool {
	return at.After(now.AddDate(0, 0, d.MaxEmbargoDays))
}

var (
	patchCVE    = regexp.MustCompile(`^CVE-\d{4}-\d{4,}$`)
	patchUnsafe = regexp.MustCompile(`[^a-z0-9._]+`)
)

// PatchName names a patch attachment from the CVE, the branch and the
// component, as in cve-2026-12345-stable-2.1-agent.patch: lower case, and
// any run of characters outside [a-z0-9._] (such as the slash of
// "stable/2.1") becomes one "-", so the name passes the lists' rules.
func PatchName(cve, branch, component string) (string, error) {
	if !patchCVE.MatchString(cve) {
		return "", fmt.Errorf("patch name: %q is not a CVE ID such as CVE-2026-12345", cve)
	}
	b, c := patchSlug(branch), patchSlug(component)
	if b == "" || c == "" {
		return "", errors.New("patch name: the branch and the component must have letters or digits")
	}
	return strings.ToLower(cve) + "-" + b + "-" + c + ".patch", nil
}

// FixFileName names the file of fix f of report reportID when it is
// served: PatchFileName with the fix's version in place of the component
// (cve-2026-12345-stable-3.2-v2.patch).
func FixFileName(cves []string, reportID int64, f *Fix) string {
	return PatchFileName(cves, reportID, f.Branch, "v"+itoa(f.Version))
}

// PatchFileName is the one rule every patch file of a report is named by,
// served or attached to a notice: PatchName from the report's first CVE,
// the branch and part (a component, or a fix version). Before a CVE is
// assigned, or when the first is not a CVE ID, "vmt-N" (the report's
// number) takes its place: vmt-7-stable-3.2-agent.patch. Such a name
// still keeps to [a-z0-9._-], starts with a letter and has the branch
// slugged as PatchName does; a part with no letter or digit becomes
// "patch".
func PatchFileName(cves []string, reportID int64, branch, part string) string {
	if patchSlug(part) == "" {
		part = "patch"
	}
	if len(cves) > 0 {
		if name, err := PatchName(cves[0], branch, part); err == nil {
			return name
		}
	}
	b := patchSlug(branch)
	if b == "" {
		b = "branch"
	}
	return "vmt-" + itoa(int(reportID)) + "-" + b + "-" + patchSlug(part) + ".patch"
}

// PatchComponent is the component part of the name of a report's patch
// attached to its notice: the report's components, slugged and joined by
// "-" (agent, or agent-runtime for two), or the project's name when the
// report names none, so that the name still says what it patches.
func PatchComponent(components []string, project string) string {
	var parts []string
	for _, c := range components {
		if s := patchSlug(c); s != "" && !slices.Contains(parts, s) {
			parts = append(parts, s)
		}
	}
	if len(parts) == 0 {
		return project
	}
	return strings.Join(parts, "-")
}

// patchSlug keeps what a file name may hold; dots at the ends go too, so
// no name starts with a dot or ends with "..".
func patchSlug(s string) string {
	return strings.Trim(patchUnsafe.ReplaceAllString(strings.ToLower(s), "-"), "-.")
}
