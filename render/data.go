package render

import (
	"embed"
	"fmt"
	"reflect"
	"strings"
)

// Name names a kind of text.
type Name string

// The eight templates of the process, in its order.
const (
	ReceptionIncomplete Name = "reception-incomplete"    // comment on an unconfirmed report
	EmbargoReminder     Name = "embargo-reminder"        // prefixed to a private report
	ImpactDescription   Name = "impact-description"      // $DESCRIPTION, reviewed by the reporter and the committee
	CVERequestPrivate   Name = "cve-request-private"     // mail to a CNA, signed and encrypted
	CVERequestPublic    Name = "cve-request-public"      // mail to oss-security, signed
	Notification        Name = "downstream-notification" // [pre-KCSA] to the stakeholders
	AdvisoryDoc         Name = "kcsa"                    // the security advisory
	NoteDoc             Name = "kcsn"                    // the security note
)

// The CVE form's texts, fixed by the form: not overridable.
const (
	cveFormRequest     Name = "cve-form-request"
	cveFormPublication Name = "cve-form-publication"
)

// Names lists the eight overridable templates.
var Names = []Name{ReceptionIncomplete, EmbargoReminder, ImpactDescription, CVERequestPrivate,
	CVERequestPublic, Notification, AdvisoryDoc, NoteDoc}

// IncompleteData fills the reception incomplete message.
type IncompleteData struct {
	Project string // "Kata Containers"
}

// ReminderData fills the embargo reminder.
type ReminderData struct {
	Project string
	Days    int    // the longest an embargo may last
	Until   string // the day it ends at the latest, YYYY-MM-DD
}

// ImpactData fills the impact description ($DESCRIPTION).
type ImpactData struct {
	Title            string
	Credit           string // $CREDIT
	Components       []string
	AffectedVersions string
	Description      string
	Mitigation       string `render:"optional"`
}

// CVERequestData fills the CVE request mails.
type CVERequestData struct {
	Project     string   // the vendor, "Kata Containers"
	Components  []string // $COMPONENTS
	Description string   // the approved impact description
	References  []string // public reports and patches (public request)
	Coordinator string   // $VMT_COORDINATOR_NAME
	Team        string   // "Kata Containers Vulnerability Management Team"
}

// NotificationData fills the downstream stakeholder notification.
type NotificationData struct {
	Prefix      string   // the advisory prefix, KCSA: the subject says [pre-KCSA]
	Project     string   // "Kata Containers"
	Components  []string // $COMPONENTS
	CVEs        []string // $CVE
	Description string   // $DESCRIPTION
	Disclosure  string   // "2026-03-04, 0000 UTC"
	Patches     []string `render:"optional"` // attachment names, one per branch
	// Unpatched are the supported branches no approved patch is attached
	// for (a coordinator waived it): the notice names them.
	Unpatched   []string `render:"optional"`
	ReportURL   string   // the private report
	AccessURL   string   // where a stakeholder asks to read the report: ReportURL + "/access"
	Coordinator string
	Team        string
}

// AdvisoryData fills the advisory (KCSA).
type AdvisoryData struct {
	ID          string // KCSA-2026-001
	Title       string // without the CVE suffix, which the subject adds
	Date        string // YYYY-MM-DD
	Project     string
	CVEs        []string       `render:"optional"`
	Components  []string       // $COMPONENTS
	Affected    []AffectedData // each with its $AFFECTED_VERSIONS
	Description string
	Mitigation  string         `render:"optional"`
	Credits     []CreditData   `render:"optional"`
	Severity    []SeverityData `render:"optional"`
	CWEs        []string       `render:"optional"`
	References  []RefData      `render:"optional"`
	Patches     []PatchData    `render:"optional"`
	Notes       []string       `render:"optional"`
	Errata      string         `render:"optional"`
	Revisions   []RevisionData `render:"optional"`
	Team        string
}

// NoteData fills the security note (KCSN).
type NoteData struct {
	ID          string
	Title       string
	Date        string
	Project     string
	Summary     string
	Affected    []AffectedData
	Discussion  string         // the description
	Actions     string         // what to do: the mitigation
	Authors     []string       // credits, as "name (affiliation)"
	URL         string         `render:"optional"` // this note, once published
	ReportURL   string         `render:"optional"`
	MailingList string         `render:"optional"`
	CVEs        []string       `render:"optional"`
	References  []RefData      `render:"optional"`
	Revisions   []RevisionData `render:"optional"`
}

// AffectedData is one affected component.
type AffectedData struct {
	Component string
	Versions  string
}

// CreditData is one credited person.
type CreditData struct {
	Name        string
	Affiliation string `render:"optional"`
	Type        string // in words: "finder", "remediation developer"
}

// SeverityData is one scored CVSS vector.
type SeverityData struct {
	Version string
	Vector  string
	Score   string // "6.5"
	Rating  string // MEDIUM
}

// RefData is a link.
type RefData struct {
	Type string // in words
	URL  string
}

// PatchData is the fixes of one branch.
type PatchData struct {
	Branch string
	URLs   []string
}

// RevisionData is one version of a document.
type RevisionData struct {
	Number  int
	Date    string
	Summary string
}

// kind ties a name to its data type and a full sample of it.
type kind struct {
	typ    reflect.Type
	mail   bool
	sample func() any
}

var kinds = map[Name]kind{
	ReceptionIncomplete: {reflect.TypeFor[IncompleteData](), false, func() any { return sampleIncomplete() }},
	EmbargoReminder:     {reflect.TypeFor[ReminderData](), false, func() any { return sampleReminder() }},
	ImpactDescription:   {reflect.TypeFor[ImpactData](), false, func() any { return sampleImpact() }},
	CVERequestPrivate:   {reflect.TypeFor[CVERequestData](), true, func() any { return sampleCVERequest() }},
	CVERequestPublic:    {reflect.TypeFor[CVERequestData](), true, func() any { return sampleCVERequest() }},
	Notification:        {reflect.TypeFor[NotificationData](), true, func() any { return sampleNotification() }},
	AdvisoryDoc:         {reflect.TypeFor[AdvisoryData](), true, func() any { return sampleAdvisory() }},
	NoteDoc:             {reflect.TypeFor[NoteData](), true, func() any { return sampleNote() }},
	cveFormRequest:      {reflect.TypeFor[CVERequestForm](), false, func() any { return sampleCVEForm() }},
	cveFormPublication:  {reflect.TypeFor[CVEPublicationForm](), false, func() any { return samplePublicationForm() }},
}

//go:embed templates/*.tmpl
var defaultFS embed.FS

// DefaultText returns the text of the embedded default template name.
func DefaultText(name Name) (string, error) {
	b, err := defaultFS.ReadFile("templates/" + string(name) + ".tmpl")
	if err != nil {
		return "", fmt.Errorf("render: no default template %q", name)
	}
	return string(b), nil
}

// defaults holds the parsed embedded templates; a default that fails its
// own checks is a bug caught by the first test run.
var defaults = func() map[Name]*Template {
	m := map[Name]*Template{}
	for name := range kinds {
		text, err := DefaultText(name)
		if err != nil {
			panic(err)
		}
		t, err := Parse(name, text)
		if err != nil {
			panic(err)
		}
		m[name] = t
	}
	return m
}()

// Default returns the embedded template name (nil for an unknown name).
func Default(name Name) *Template { return defaults[name] }

// Set is the templates of one project: the defaults, with the project's
// overrides in their place.
type Set struct{ m map[Name]*Template }

// NewSet checks every override (Parse) and returns the set; an unknown name
// or a bad template is an error naming it, and nothing is half-loaded.
func NewSet(overrides map[Name]string) (*Set, error) {
	return Defaults().with(overrides, "")
}

// with returns s with overrides in place of its own templates; whose (when
// not empty) opens the error of a template that does not parse.
func (s *Set) with(overrides map[Name]string, whose string) (*Set, error) {
	if len(overrides) == 0 {
		return s, nil
	}
	out := &Set{m: make(map[Name]*Template, len(s.m))}
	for n, t := range s.m {
		out.m[n] = t
	}
	for n, text := range overrides {
		if !isOverridable(n) {
			return nil, fmt.Errorf("render: %q cannot be overridden (templates: %s)", n, namesList())
		}
		t, err := Parse(n, text)
		if err != nil {
			if whose != "" {
				err = fmt.Errorf("%s: %w", whose, err)
			}
			return nil, err
		}
		out.m[n] = t
	}
	return out, nil
}

// Render renders the template name of the set with data.
func (s *Set) Render(name Name, data any) (Doc, error) {
	t, ok := s.m[name]
	if !ok {
		return Doc{}, fmt.Errorf("render: unknown template %q (want one of %s)", name, namesList())
	}
	return t.Execute(data)
}

func isOverridable(n Name) bool {
	for _, x := range Names {
		if x == n {
			return true
		}
	}
	return false
}

func namesList() string {
	s := make([]string, len(Names))
	for i, n := range Names {
		s[i] = string(n)
	}
	return strings.Join(s, ", ")
}
