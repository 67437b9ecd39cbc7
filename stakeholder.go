package vmt

import (
	"net/mail"
	"strings"
	"time"
)

// Stakeholder is a downstream organisation told of embargoed reports before
// they are public: a distribution, a cloud operator, a vendor.
type Stakeholder struct {
	ID           int64    `json:"id"`
	Organisation string   `json:"organisation"`
	Contacts     []string `json:"contacts"` // bare addresses the notice goes to
	// PublicKey is the ASCII-armored OpenPGP key notices are encrypted
	// to; empty: notices to this stakeholder are signed only.
	PublicKey   string     `json:"public_key,omitempty"`
	Fingerprint string     `json:"fingerprint,omitempty"`
	KeyExpires  *time.Time `json:"key_expires,omitempty"`
	// Projects names the projects whose notices it receives; empty: all.
	Projects  []string  `json:"projects"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	// KeyWarning says why the key cannot receive a notice now (expired
	// since import); computed when read, never stored.
	KeyWarning string `json:"key_warning,omitempty"`
}

// StakeholderRequest is an application to join the registry, which the VMT
// accepts (the stakeholder is created from it) or declines.
type StakeholderRequest struct {
	ID     int64 `json:"id"`
	UserID int64 `json:"user_id"` // who asked
	// Applicant is the address of who asked, filled when read (people
	// are named by address), never stored.
	Applicant     string       `json:"applicant,omitempty"`
	Organisation  string       `json:"organisation"`
	Contacts      []string     `json:"contacts"`
	PublicKey     string       `json:"public_key,omitempty"`
	Projects      []string     `json:"projects"`
	Rationale     string       `json:"rationale"`
	State         RequestState `json:"state"`
	DecidedBy     int64        `json:"decided_by,omitempty"`
	DecidedAt     *time.Time   `json:"decided_at,omitempty"`
	Note          string       `json:"note,omitempty"` // the VMT's reason, mostly for a decline
	StakeholderID int64        `json:"stakeholder_id,omitempty"`
	CreatedAt     time.Time    `json:"created_at"`
}

// RequestState is where an application stands.
type RequestState string

// The states of an application.
const (
	RequestPending  RequestState = "pending"
	RequestAccepted RequestState = "accepted"
	RequestDeclined RequestState = "declined"
)

// Limits on stakeholder fields.
const (
	MaxOrganisationLen = 200
	MaxContacts        = 20
	MaxPublicKeyBytes  = 64 << 10
	MaxRationaleLen    = 4000
)

// StakeholderInput is a stakeholder or an application as a caller gives it.
type StakeholderInput struct {
	Organisation string   `json:"organisation"`
	Contacts     []string `json:"contacts"`
	PublicKey    string   `json:"public_key"`
	Projects     []string `json:"projects"`
	Rationale    string   `json:"rationale"` // applications only
}

// Validate checks the fields a stakeholder and an application share. The
// key is checked by the service's KeyChecker.
func (in *StakeholderInput) Validate() error {
	if err := CheckLine("organisation", in.Organisation, MaxOrganisationLen, true); err != nil {
		return err
	}
	if err := checkContacts(in.Contacts); err != nil {
		return err
	}
	if len(in.PublicKey) > MaxPublicKeyBytes {
		return &Error{Code: ETOOLARGE, Field: "public_key", Message: "is larger than the limit of " + kib(MaxPublicKeyBytes)}
	}
	if len(in.Projects) > MaxBranches {
		return Invalid("projects", "more than %d projects", MaxBranches)
	}
	return nil
}

func checkContacts(cs []string) error {
	if len(cs) == 0 {
		return Invalid("contacts", "at least one address is required")
	}
	if len(cs) > MaxContacts {
		return Invalid("contacts", "more than %d addresses", MaxContacts)
	}
	seen := map[string]bool{}
	for _, c := range cs {
		a, err := mail.ParseAddress(c)
		// A bare address only: a display name would end up in an SMTP
		// envelope, where it does not belong.
		if err != nil || a.Address != c || a.Name != "" {
			return Invalid("contacts", "%q is not a bare mail address (name@example.org)", c)
		}
		if seen[strings.ToLower(c)] {
			return Invalid("contacts", "%q is listed twice", c)
		}
		seen[strings.ToLower(c)] = true
	}
	return nil
}

// Receives reports whether s is told of the reports of project name.
func (s *Stakeholder) Receives(project string) bool {
	return len(s.Projects) == 0 || contains(s.Projects, project)
}

// DecideInput is the VMT's answer to an application.
type DecideInput struct {
	Note string `json:"note"`
}
