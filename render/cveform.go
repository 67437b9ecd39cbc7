package render

import (
	"fmt"
	"net/mail"
	"slices"
	"strings"
	"time"

	"github.com/vmtproject/vmt"
)

// The values of the CVE request form that the process names.
const (
	RequestCVEID        = "Request a CVE ID"
	NotifyPublication   = "Notify CVE about a publication"
	OtherOrUnknown      = "Other or Unknown"
	ContextDependent    = "Context-dependent"
	EmbargoNote         = "This report is currently under embargo and no disclosure date has been scheduled at this time."
	pgpPublicKeyArmored = "-----BEGIN PGP PUBLIC KEY BLOCK-----"
)

// VulnerabilityTypes are the choices of the form's drop-down of the
// required section; AttackTypes and Impacts those of its optional one.
var (
	VulnerabilityTypes = []string{"Buffer Overflow", "Cross Site Request Forgery (CSRF)", "Cross Site Scripting (XSS)",
		"Directory Traversal", "Incorrect Access Control", "Insecure Permissions", "Integer Overflow",
		"Missing SSL Certificate Validation", "SQL Injection", "XML External Entity (XXE)", OtherOrUnknown}
	AttackTypes = []string{ContextDependent, "Local", "Physical", "Remote", "Other"}
	Impacts     = []string{"Code Execution", "Denial of Service", "Escalation of Privileges", "Information Disclosure", "Other"}
)

// CVERequestForm is the "Request a CVE ID" form, filled as spec/VMT.md
// says, field by field.
type CVERequestForm struct {
	RequestType string // Request a CVE ID
	Email       string // the requester's: the coordinator's
	OpenPGPKey  string `render:"optional"` // the coordinator's key, for an embargoed report
	// Required section.
	NotCNACovered     bool   `render:"optional"` // the product is not covered by a CNA: checked
	NoPriorCVE        bool   `render:"optional"` // no CVE id was assigned before: checked
	VulnerabilityType string // from the drop-down, or Other or Unknown
	OtherType         string `render:"optional"` // the free-form type with Other or Unknown
	Vendor            string
	Product           string // $COMPONENTS
	Version           string // $AFFECTED_VERSIONS
	// Optional section.
	Confirmed          string   // has the vendor confirmed it: Yes
	AttackType         string   // often Context-dependent
	Impact             []string `render:"optional"`
	AffectedComponents string   `render:"optional"`
	AttackVectors      string   `render:"optional"`
	Description        string   // the impact description's prose, first sentence left out
	Credits            string   // $CREDIT
	References         []string // the report, and the public pull requests
	AdditionalInfo     string   `render:"optional"` // the embargo note while private
}

// CVERequestInput is what the form is filled from.
type CVERequestInput struct {
	Email              string
	OpenPGPKey         string // required when Private
	Private            bool
	VulnerabilityType  string // "" means Other or Unknown, with OtherType
	OtherType          string
	Vendor             string
	Components         []string
	AffectedVersions   string
	AttackType         string // "" means Context-dependent
	Impact             []string
	AffectedComponents string
	AttackVectors      string
	ImpactProse        string // the description paragraph of the impact description
	Credit             string
	References         []string
	// CVSS are the document's vectors, where it has them: the attack
	// type and vector follow from the first one's attack vector (AV)
	// when they are not given.
	CVSS []string
}

// RequestForm fills the form from in and checks it: the mail address, the
// OpenPGP key of a private report, the choices, the references. Errors are
// EINVALID naming the input field.
func RequestForm(in CVERequestInput) (*CVERequestForm, error) {
	if err := checkMail("email", in.Email); err != nil {
		return nil, err
	}
	f := &CVERequestForm{RequestType: RequestCVEID, Email: in.Email, NotCNACovered: true, NoPriorCVE: true,
		VulnerabilityType: in.VulnerabilityType, OtherType: in.OtherType, Vendor: in.Vendor,
		Product: strings.Join(in.Components, ", "), Version: in.AffectedVersions, Confirmed: "Yes",
		AttackType: in.AttackType, Impact: in.Impact, AffectedComponents: in.AffectedComponents,
		AttackVectors: in.AttackVectors, Description: suggestedDescription(in.ImpactProse),
		Credits: in.Credit, References: in.References}
	if in.Private {
		if !strings.Contains(in.OpenPGPKey, pgpPublicKeyArmored) {
			return nil, vmt.Invalid("openpgp_key", "an embargoed report needs the coordinator's armored OpenPGP public key")
		}
		f.OpenPGPKey, f.AdditionalInfo = strings.TrimSpace(in.OpenPGPKey), EmbargoNote
	}
	if f.VulnerabilityType == "" {
		f.VulnerabilityType = OtherOrUnknown
	}
	if !slices.Contains(VulnerabilityTypes, f.VulnerabilityType) {
		return nil, vmt.Invalid("type", "%q is not one of the form's types: %s", f.VulnerabilityType, strings.Join(VulnerabilityTypes, ", "))
	}
	if f.VulnerabilityType == OtherOrUnknown && f.OtherType == "" {
		return nil, vmt.Invalid("other_type", "give the vulnerability type in words when none of the list fits")
	}
	if f.AffectedComponents == "" {
		// The record's components are the best the process has for
		// "attempt to fill in the affected components".
		f.AffectedComponents = f.Product
	}
	if at, vector := fromCVSS(in.CVSS); at != "" {
		if f.AttackType == "" {
			f.AttackType = at
		}
		if f.AttackVectors == "" {
			f.AttackVectors = vector
		}
	}
	if f.AttackType == "" {
		f.AttackType = ContextDependent
	}
	if !slices.Contains(AttackTypes, f.AttackType) {
		return nil, vmt.Invalid("attack_type", "%q is not one of %s", f.AttackType, strings.Join(AttackTypes, ", "))
	}
	for _, i := range f.Impact {
		if !slices.Contains(Impacts, i) {
			return nil, vmt.Invalid("impact", "%q is not one of %s", i, strings.Join(Impacts, ", "))
		}
	}
	for i, r := range f.References {
		if err := vmt.CheckURL(fmt.Sprintf("references[%d]", i), r); err != nil {
			return nil, err
		}
	}
	return f, nil
}

// fromCVSS reads the attack type and the words for the attack vector
// from the first CVSS vector's AV metric ("" when there is none).
func fromCVSS(vectors []string) (attackType, vector string) {
	if len(vectors) == 0 {
		return "", ""
	}
	for _, m := range strings.Split(vectors[0], "/") {
		switch m {
		case "AV:N":
			return "Remote", "network (CVSS " + m + ")"
		case "AV:A":
			return "Remote", "adjacent network (CVSS " + m + ")"
		case "AV:L":
			return "Local", "local access (CVSS " + m + ")"
		case "AV:P":
			return "Physical", "physical access (CVSS " + m + ")"
		}
	}
	return "", ""
}

// Text renders the form as a list of its fields, ready to copy. A field
// the form requires that is empty is a *MissingFieldError naming it.
func (f *CVERequestForm) Text() (string, error) {
	d, err := defaults[cveFormRequest].Execute(f)
	return d.Body, err
}

// CVEPublicationForm is the "Notify CVE about a publication" form.
type CVEPublicationForm struct {
	RequestType   string // Notify CVE about a publication
	Email         string // the coordinator's
	AdvisoryURL   string // the advisory as published
	CVEs          []string
	DatePublished string // YYYY-MM-DD
}

// PublicationForm fills the notice for a published advisory. A draft or
// embargoed advisory is refused (ECONFLICT); one without a CVE, a bad mail
// address or a bad URL is EINVALID naming the field.
func PublicationForm(a *vmt.Advisory, email, advisoryURL string) (*CVEPublicationForm, error) {
	if err := a.CheckExportable(); err != nil {
		return nil, err
	}
	if len(a.CVEs) == 0 {
		return nil, vmt.Invalid("cves", "%s has no CVE id to notify about", a.ID)
	}
	if err := checkMail("email", email); err != nil {
		return nil, err
	}
	if err := vmt.CheckURL("advisory_url", advisoryURL); err != nil {
		return nil, err
	}
	return &CVEPublicationForm{RequestType: NotifyPublication, Email: email, AdvisoryURL: advisoryURL,
		CVEs: a.CVEs, DatePublished: a.Published.UTC().Format(time.DateOnly)}, nil
}

// Text renders the notice as a list of its fields, ready to copy.
func (f *CVEPublicationForm) Text() (string, error) {
	d, err := defaults[cveFormPublication].Execute(f)
	return d.Body, err
}

func checkMail(field, s string) error {
	if a, err := mail.ParseAddress(s); err != nil || a.Address != s {
		return vmt.Invalid(field, "%q is not a mail address", s)
	}
	return nil
}

// suggestedDescription leaves out the first sentence, which repeats the
// reporter and the component given in other fields, as the process says;
// a single sentence is kept.
func suggestedDescription(prose string) string {
	prose = strings.Join(strings.Fields(prose), " ")
	if i := strings.Index(prose, ". "); i >= 0 && i+2 < len(prose) {
		return prose[i+2:]
	}
	return prose
}
