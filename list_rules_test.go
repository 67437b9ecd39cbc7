package vmt

import (
	"regexp"
	"strings"
	"testing"
	"time"
)

// attachmentName is the linux-distros rule for attachment names, as the
// mailer checks it.
var attachmentName = regexp.MustCompile(`^[A-Za-z0-9._-]+$`)

func TestPatchName(t *testing.T) {
	for _, c := range []struct{ cve, branch, component, want string }{
		{"CVE-2026-12345", "stable-2.1", "agent", "cve-2026-12345-stable-2.1-agent.patch"},
		{"CVE-2026-12345", "stable/2.1", "Agent", "cve-2026-12345-stable-2.1-agent.patch"},
		{"CVE-2026-123456", "main", "runtime-rs", "cve-2026-123456-main-runtime-rs.patch"},
		{"CVE-2026-12345", "../../etc", "a b", "cve-2026-12345-etc-a-b.patch"},
	} {
		got, err := PatchName(c.cve, c.branch, c.component)
		if err != nil || got != c.want {
			t.Errorf("PatchName(%q, %q, %q) = %q, %v; want %q", c.cve, c.branch, c.component, got, err, c.want)
		}
		if !attachmentName.MatchString(got) || strings.HasPrefix(got, ".") {
			t.Errorf("%q breaks the attachment name rule", got)
		}
	}
	for _, c := range []struct{ cve, branch, component, want string }{
		{"cve-2026-12345", "main", "agent", "is not a CVE ID"},
		{"CVE-26-1", "main", "agent", "is not a CVE ID"},
		{"CVE-2026-12345", "///", "agent", "must have letters or digits"},
		{"CVE-2026-12345", "main", "", "must have letters or digits"},
	} {
		if _, err := PatchName(c.cve, c.branch, c.component); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("PatchName(%q, %q, %q) error = %v, want %q", c.cve, c.branch, c.component, err, c.want)
		}
	}
}

func TestFixFileName(t *testing.T) {
	for _, c := range []struct {
		cves []string
		f    Fix
		want string
	}{
		{[]string{"CVE-2026-12345"}, Fix{Branch: "stable-3.2", Version: 2}, "cve-2026-12345-stable-3.2-v2.patch"},
		{nil, Fix{Branch: "stable/3.2", Version: 1}, "vmt-7-stable-3.2-v1.patch"},
		{[]string{"not-a-cve"}, Fix{Branch: "main", Version: 3}, "vmt-7-main-v3.patch"},
	} {
		if got := FixFileName(c.cves, 7, &c.f); got != c.want || !attachmentName.MatchString(got) {
			t.Errorf("FixFileName(%v, 7, %s v%d) = %q, want %q", c.cves, c.f.Branch, c.f.Version, got, c.want)
		}
	}
}

func TestListRules(t *testing.T) {
	disclosure := time.Date(2026, 12, 20, 0, 0, 0, 0, time.UTC)
	now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	ld := NoticeList{Name: "distros", Rules: ListLinuxDistros}.Demands()
	private := NoticeList{Name: "embargo", Rules: ListPrivate}.Demands()
	if got := ld.Subject("Notice"); got != "[vs] Notice" {
		t.Errorf("linux-distros subject %q", got)
	}
	if got := ld.Subject("[vs] Notice"); got != "[vs] Notice" {
		t.Errorf("linux-distros subject prefixed twice: %q", got)
	}
	if got := private.Subject("Notice"); got != "Notice" || private.Name != "embargo" || private.Encrypt {
		t.Errorf("private list: %+v, subject %q", private, got)
	}
	if got := ld.Earliest(disclosure, now); !got.Equal(disclosure.AddDate(0, 0, -14)) {
		t.Errorf("linux-distros earliest %s", got)
	}
	if got := private.Earliest(disclosure, now); !got.Equal(now) {
		t.Errorf("private list earliest %s", got)
	}
	set := DefaultDisclosureSettings(1)
	set.MaxEmbargoDays = 19
	if set.BeyondMaximum(disclosure, now) != false || set.BeyondMaximum(disclosure.Add(time.Microsecond), now) != true {
		t.Errorf("the maximum of 19 days from %s: %s is the last instant inside it", now, disclosure)
	}
}

// One naming rule for every patch file of a report: the first CVE, or
// "vmt-N" before one; the branch and the part slugged; never a leading
// dot or a character the lists refuse.
func TestPatchFileName(t *testing.T) {
	for _, c := range []struct {
		cves               []string
		branch, part, want string
	}{
		{[]string{"CVE-2026-12345", "CVE-2026-12346"}, "stable-3.2", "agent", "cve-2026-12345-stable-3.2-agent.patch"},
		{nil, "stable/3.2", "agent", "vmt-123-stable-3.2-agent.patch"},
		{[]string{"GHSA-xxxx"}, "main", "runtime-rs", "vmt-123-main-runtime-rs.patch"},
		{nil, "///", "...", "vmt-123-branch-patch.patch"},
		{[]string{"CVE-2026-12345"}, ".hidden", "Agent Runtime", "cve-2026-12345-hidden-agent-runtime.patch"},
	} {
		got := PatchFileName(c.cves, 123, c.branch, c.part)
		if got != c.want || !attachmentName.MatchString(got) || strings.HasPrefix(got, ".") {
			t.Errorf("PatchFileName(%v, 123, %q, %q) = %q, want %q", c.cves, c.branch, c.part, got, c.want)
		}
	}
	for _, c := range []struct {
		components []string
		want       string
	}{
		{[]string{"agent"}, "agent"},
		{[]string{"runtime", "Agent", "runtime"}, "runtime-agent"},
		{nil, "kata-containers"},
		{[]string{"///"}, "kata-containers"},
	} {
		if got := PatchComponent(c.components, "kata-containers"); got != c.want {
			t.Errorf("PatchComponent(%v) = %q, want %q", c.components, got, c.want)
		}
	}
}
