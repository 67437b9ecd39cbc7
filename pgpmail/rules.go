package pgpmail

import (
	"fmt"
	"strings"
	"time"
)

// ListRules are what a mailing list demands of a notice sent to it. The
// rules of each list are the domain's (vmt.ListRules); these are what the
// mail is checked and built by.
type ListRules struct {
	Name    string // for messages: "linux-distros"
	Encrypt bool   // signed and encrypted to the list's key, or signed only
	// SubjectPrefix must open the subject, such as "[vs]".
	SubjectPrefix string
	// MaxLead is the longest time before the disclosure that the list
	// accepts a notice (14 days for linux-distros); zero for no limit.
	MaxLead time.Duration
}

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
