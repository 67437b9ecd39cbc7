package vmt

import (
	"errors"
	"fmt"
	"regexp"
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
// served: PatchName with the fix's version in place of the component
// (cve-2026-12345-stable-3.2-v2.patch), and "report-N" in place of the
// CVE before one is assigned.
func FixFileName(cves []string, reportID int64, f *Fix) string {
	part := "v" + itoa(f.Version)
	if len(cves) > 0 {
		if name, err := PatchName(cves[0], f.Branch, part); err == nil {
			return name
		}
	}
	return "report-" + itoa(int(reportID)) + "-" + patchSlug(f.Branch) + "-" + part + ".patch"
}

// patchSlug keeps what a file name may hold; dots at the ends go too, so
// no name starts with a dot or ends with "..".
func patchSlug(s string) string {
	return strings.Trim(patchUnsafe.ReplaceAllString(strings.ToLower(s), "-"), "-.")
}
