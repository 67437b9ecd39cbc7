package render

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/cvss"
)

// cveSuffixRE matches the " (CVE-…)" a retitled report carries; the
// subject adds the CVE ids itself.
var cveSuffixRE = regexp.MustCompile(`\s*\((CVE-[0-9]{4}-[0-9]+(,\s*)?)+\)$`)

// Document renders a published document with a project's own templates
// (name to text, as vmt.ProjectTemplate keeps them) over the defaults: a
// KCSA for an advisory, a KCSN for a note, with links to its page and its
// report on the site at base. team signs an advisory; "" names the vendor's
// team.
func Document(d *vmt.Advisory, team, base string, templates map[string]string) (Doc, error) {
	overrides := make(map[Name]string, len(templates))
	for n, t := range templates {
		overrides[Name(n)] = t
	}
	set, err := NewSet(overrides)
	if err != nil {
		return Doc{}, err
	}
	if d.Kind == vmt.KindNote {
		l := NoteLinks{URL: base + "/advisories/" + d.ID.String()}
		if d.ReportID != 0 {
			l.ReportURL = fmt.Sprintf("%s/reports/%d", base, d.ReportID)
		}
		return set.Render(NoteDoc, NoteFrom(d, l))
	}
	if team == "" {
		team = d.Vendor + " Vulnerability Management Team"
	}
	data, err := AdvisoryFrom(d, team)
	if err != nil {
		return Doc{}, err
	}
	return set.Render(AdvisoryDoc, data)
}

// AdvisoryFrom fills the KCSA data from an advisory. A bad CVSS vector is
// EINVALID naming it. team signs the document ("Kata Containers
// Vulnerability Management Team").
func AdvisoryFrom(a *vmt.Advisory, team string) (AdvisoryData, error) {
	scores, err := cvss.Scores(a)
	if err != nil {
		return AdvisoryData{}, err
	}
	d := AdvisoryData{
		ID: a.ID.String(), Title: cveSuffixRE.ReplaceAllString(a.Title, ""), Date: date(a.Published),
		Project: a.Vendor, CVEs: a.CVEs, Components: a.ComponentNames(), Affected: affectedData(a), Description: a.Description,
		Mitigation: a.Mitigation, CWEs: a.CWEs, Notes: a.Notes, Errata: a.Errata, Team: team,
		References: refData(a), Revisions: revisionData(a),
	}
	for _, s := range scores {
		d.Severity = append(d.Severity, SeverityData{Version: s.Version, Vector: s.Vector, Score: fmt.Sprintf("%.1f", s.Score), Rating: s.Severity})
	}
	for _, c := range a.Credits {
		d.Credits = append(d.Credits, CreditData{Name: c.Name, Affiliation: c.Affiliation, Type: creditWords(c.Type)})
	}
	for _, p := range a.Patches {
		d.Patches = append(d.Patches, PatchData{Branch: p.Branch, URLs: p.URLs})
	}
	return d, nil
}

// NoteLinks are the links of a note that the advisory does not hold.
type NoteLinks struct {
	URL, ReportURL, MailingList string
}

// NoteFrom fills the KCSN data from a note.
func NoteFrom(a *vmt.Advisory, l NoteLinks) NoteData {
	d := NoteData{
		ID: a.ID.String(), Title: cveSuffixRE.ReplaceAllString(a.Title, ""), Date: date(a.Published),
		Project: a.Vendor, Summary: a.Summary, Affected: affectedData(a), Discussion: a.Description,
		Actions: a.Mitigation, URL: l.URL, ReportURL: l.ReportURL, MailingList: l.MailingList,
		CVEs: a.CVEs, References: refData(a), Revisions: revisionData(a),
	}
	for _, c := range a.Credits {
		d.Authors = append(d.Authors, CreditText(c))
	}
	return d
}

// ImpactFrom fills the impact description from an advisory draft.
func ImpactFrom(a *vmt.Advisory) ImpactData {
	var credits []string
	for _, c := range a.Credits {
		credits = append(credits, CreditText(c))
	}
	return ImpactData{Title: cveSuffixRE.ReplaceAllString(a.Title, ""), Credit: strings.Join(credits, ", "),
		Components: a.ComponentNames(), AffectedVersions: AffectedVersions(a), Description: a.Description,
		Mitigation: a.Mitigation}
}

// AffectedVersions writes $AFFECTED_VERSIONS: the versions alone for one
// component, "component: versions; …" for several.
func AffectedVersions(a *vmt.Advisory) string {
	if len(a.Affected) == 1 {
		return a.Affected[0].Versions
	}
	parts := make([]string, len(a.Affected))
	for i, af := range a.Affected {
		parts[i] = af.Component + ": " + af.Versions
	}
	return strings.Join(parts, "; ")
}

// CreditText writes a credit as "name (affiliation)".
func CreditText(c vmt.Credit) string {
	if c.Affiliation != "" {
		return c.Name + " (" + c.Affiliation + ")"
	}
	return c.Name
}

// DisclosureText writes a disclosure time as the notice shows it, in UTC:
// "2026-03-04, 0000 UTC".
func DisclosureText(t time.Time) string { return t.UTC().Format("2006-01-02, 1504 UTC") }

func affectedData(a *vmt.Advisory) []AffectedData {
	out := make([]AffectedData, len(a.Affected))
	for i, af := range a.Affected {
		out[i] = AffectedData{Component: af.Component, Versions: af.Versions}
	}
	return out
}

func refData(a *vmt.Advisory) []RefData {
	var out []RefData
	for _, r := range a.References {
		out = append(out, RefData{Type: strings.ToLower(string(r.Type)), URL: r.URL})
	}
	return out
}

func revisionData(a *vmt.Advisory) []RevisionData {
	var out []RevisionData
	for _, r := range a.Revisions {
		out = append(out, RevisionData{Number: r.Number, Date: r.Date.UTC().Format(time.DateOnly), Summary: r.Summary})
	}
	return out
}

func creditWords(t vmt.CreditType) string {
	return strings.ReplaceAll(strings.ToLower(string(t)), "_", " ")
}

func date(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.UTC().Format(time.DateOnly)
}
