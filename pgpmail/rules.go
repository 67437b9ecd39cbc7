package pgpmail

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
)

// ListRules are what a mailing list demands of a notice sent to it.
type ListRules struct {
	Name    string // for messages: "linux-distros"
	Encrypt bool   // signed and encrypted to the list's key, or signed only
	// SubjectPrefix must open the subject, such as "[vs]".
	SubjectPrefix string
	// MaxLead is the longest time before the disclosure that the list
	// accepts a notice (14 days for linux-distros); zero for no limit.
	MaxLead time.Duration
}

// LinuxDistros are the rules of the linux-distros list: signed and
// encrypted, "[vs]" first in the subject, at most 14 days before
// disclosure. Its attachment names, [A-Za-z0-9._-] only, are what
// Message.Validate requires of every notice.
func LinuxDistros() ListRules {
	return ListRules{Name: "linux-distros", Encrypt: true, SubjectPrefix: "[vs]", MaxLead: 14 * 24 * time.Hour}
}

// PrivateList are the rules of a private embargo-notice list: signed.
func PrivateList(name string) ListRules { return ListRules{Name: name} }

// Check reports why m cannot go to the list for a disclosure at the
// given instant, sent at m.Date.
func (r ListRules) Check(m *Message, disclosure time.Time) error {
	if err := m.Validate(); err != nil {
		return err
	}
	if !strings.HasPrefix(m.Subject, r.SubjectPrefix) {
		return fmt.Errorf("%s: the subject must start with %q", r.Name, r.SubjectPrefix)
	}
	lead := disclosure.Sub(m.Date)
	switch {
	case lead <= 0:
		return fmt.Errorf("%s: the disclosure (%s) is not after the notice (%s)", r.Name, utc(disclosure), utc(m.Date))
	case r.MaxLead > 0 && lead > r.MaxLead:
		return fmt.Errorf("%s: the list takes notices at most %s before disclosure; %s is %s after %s",
			r.Name, days(r.MaxLead), utc(disclosure), days(lead), utc(m.Date))
	}
	return nil
}

// Build checks m against the rules and returns the mail for the list:
// signed, or signed and encrypted to keys when the list wants it.
func (r ListRules) Build(m *Message, s *Signer, keys []*PublicKey, disclosure time.Time) ([]byte, error) {
	if err := r.Check(m, disclosure); err != nil {
		return nil, err
	}
	if !r.Encrypt {
		return Signed(m, s)
	}
	if len(keys) == 0 {
		return nil, fmt.Errorf("%s: the list wants encrypted notices and has no key", r.Name)
	}
	return SignedEncrypted(m, s, keys)
}

func utc(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") }

func days(d time.Duration) string {
	if d%(24*time.Hour) == 0 {
		return fmt.Sprintf("%d days", d/(24*time.Hour))
	}
	return fmt.Sprintf("%.1f days", d.Hours()/24)
}

var (
	cveID    = regexp.MustCompile(`^CVE-\d{4}-\d{4,}$`)
	unsafeCh = regexp.MustCompile(`[^a-z0-9._]+`)
)

// PatchName names a patch attachment from the CVE, the branch and the
// component, as in cve-2026-12345-stable-2.1-agent.patch: lower case,
// and any run of characters outside [a-z0-9._] (such as the slash of
// "stable/2.1") becomes one "-", so the name passes the lists' rules.
func PatchName(cve, branch, component string) (string, error) {
	if !cveID.MatchString(cve) {
		return "", fmt.Errorf("patch name: %q is not a CVE ID such as CVE-2026-12345", cve)
	}
	b, c := slug(branch), slug(component)
	if b == "" || c == "" {
		return "", errors.New("patch name: the branch and the component must have letters or digits")
	}
	return strings.ToLower(cve) + "-" + b + "-" + c + ".patch", nil
}

// slug keeps what a file name may hold; dots at the ends go too, so no
// name starts with a dot or ends with "..".
func slug(s string) string {
	return strings.Trim(unsafeCh.ReplaceAllString(strings.ToLower(s), "-"), "-.")
}
