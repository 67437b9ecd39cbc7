package render

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/vmtproject/vmt/schematest"
)

// published pairs a published template of Kata or OpenStack with ours and
// says what each of its placeholders reads as in our sample.
type published struct {
	file  string
	ours  Name
	data  any
	subst map[string]string
}

var (
	kataSubst = map[string]string{
		"$TITLE": "Guest can read host files through a crafted virtio-fs mount", "$CREDIT": "Ada Lovelace",
		"$CREDIT_AFFILIATION": "Example Corp", "$COMPONENTS": "runtime, agent",
		"$AFFECTED_VERSIONS": "<3.2.1, >=3.3.0 <3.3.2", "$CVE": "CVE-2026-12345", "$NUM": "2026-001",
		"$DESCRIPTION":          sampleImpact().Description,
		"$DESCRIPTION_CONTENT":  sampleImpact().Description,
		"$VMT_COORDINATOR_NAME": "Alice Coordinator",
		"$COMPONENT":            "github.com/kata-containers/kata-containers",
		"$ISSUE_NR":             "issues/9999", "$PR_NUMBER": "pull/10001",
		// OpenStack's names for the same fields.
		"$PROJECT": "runtime, agent", "$DISCLOSURE": "2026-03-04", "$BUG": "https://vmt.example.org/reports/42",
		"$NINETY_DAYS": "2026-06-02",
	}
	placeholderRE = regexp.MustCompile(`\$[A-Z_]+`)
	subjectRE     = regexp.MustCompile(`Subject:\S*\s+(.+)`)
)

func kataDir(t *testing.T) string { return filepath.Join(schematest.DataDir(t), "kata/VMT/templates") }

// TestCarriesThePublishedFields: every placeholder of the published
// templates is filled in our text, and their subjects read the same.
func TestCarriesThePublishedFields(t *testing.T) {
	dir := schematest.DataDir(t)
	tests := []published{
		{"kata/VMT/templates/KCSA.md", AdvisoryDoc, sampleAdvisory(), kataSubst},
		{"kata/VMT/templates/impact-description.md", ImpactDescription, sampleImpact(), kataSubst},
		{"kata/VMT/templates/downstream-stakeholder-notification.md", Notification, sampleNotification(), kataSubst},
		{"kata/VMT/templates/cve-request-email-private.md", CVERequestPrivate, sampleCVERequest(), kataSubst},
		{"kata/VMT/templates/cve-request-email-public.md", CVERequestPublic, sampleCVERequest(), kataSubst},
		{"kata/VMT/templates/reception-embargo-reminder.md", EmbargoReminder, sampleReminder(), kataSubst},
		{"kata/VMT/templates/reception-incomplete-message.md", ReceptionIncomplete, sampleIncomplete(), kataSubst},
		{"ossa/templates/impact-description.txt", ImpactDescription, sampleImpact(), kataSubst},
		{"ossa/templates/downstream-stakeholders-notification-email.txt", Notification, sampleNotification(), kataSubst},
		{"ossa/templates/reception-embargo-reminder.txt", EmbargoReminder, sampleReminder(), kataSubst},
	}
	for _, tt := range tests {
		t.Run(filepath.Base(tt.file), func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join(dir, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			text := string(b)
			d, err := Default(tt.ours).Execute(tt.data)
			if err != nil {
				t.Fatal(err)
			}
			ours := d.Subject + "\n" + d.Body
			for _, p := range placeholderRE.FindAllString(text, -1) {
				want, ok := tt.subst[p]
				if !ok {
					t.Errorf("published placeholder %s has no counterpart", p)
					continue
				}
				if !strings.Contains(ours, want) {
					t.Errorf("%s (%q) is missing from our %s:\n%s", p, want, tt.ours, ours)
				}
			}
			if m := subjectRE.FindStringSubmatch(text); m != nil {
				want := publishedSubject(m[1], tt.subst)
				if d.Subject != want {
					t.Errorf("subject %q, the published template makes %q", d.Subject, want)
				}
			}
		})
	}
}

// publishedSubject fills a published subject line, without its Markdown
// escapes and quotes.
func publishedSubject(s string, subst map[string]string) string {
	s = strings.NewReplacer(`\[`, "[", `\]`, "]", "`", "", "*", "").Replace(strings.TrimSpace(s))
	for _, p := range placeholderRE.FindAllString(s, -1) {
		s = strings.Replace(s, p, subst[p], 1)
	}
	return s
}

// TestNoteHasThePublishedSections: the KCSN carries each section of the
// published note template.
func TestNoteHasThePublishedSections(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(kataDir(t), "KCSN.md"))
	if err != nil {
		t.Fatal(err)
	}
	ours := map[string]string{
		"Summary": "## Summary", "Affected Services / Software": "## Affected components and releases",
		"Discussion": "## Discussion", "Recommended Actions": "## Recommended actions",
		"Contacts / References": "## Contacts and references",
		"Author":                "Authors:", "This KCSN": "This note:", "Original Launchpad Bug": "Original report:",
		"Mailing List": "Mailing list:", "CVE": "CVE:",
	}
	d, err := Default(NoteDoc).Execute(sampleNote())
	if err != nil {
		t.Fatal(err)
	}
	headings := regexp.MustCompile(`(?m)^### (.+) ###$|^([A-Za-z ]+?) ?: `).FindAllStringSubmatch(string(b), -1)
	if len(headings) < 8 {
		t.Fatalf("found only %d sections in the published template", len(headings))
	}
	for _, h := range headings {
		name := h[1] + h[2]
		want, ok := ours[name]
		if !ok {
			t.Errorf("published section %q has no counterpart", name)
			continue
		}
		if !strings.Contains(d.Body, want) {
			t.Errorf("section %q (%q) missing:\n%s", name, want, d.Body)
		}
	}
}

// TestOwnWording: our defaults share no line of the published templates
// beyond field labels, so the wording is ours.
func TestOwnWording(t *testing.T) {
	var theirs []string
	for _, dir := range []string{kataDir(t), filepath.Join(schematest.DataDir(t), "ossa/templates")} {
		files, _ := filepath.Glob(filepath.Join(dir, "*"))
		for _, f := range files {
			b, _ := os.ReadFile(f)
			for _, l := range strings.Split(string(b), "\n") {
				if l = strings.TrimSpace(l); len(l) > 40 {
					theirs = append(theirs, l)
				}
			}
		}
	}
	for _, name := range Names {
		text, _ := DefaultText(name)
		for _, l := range theirs {
			if strings.Contains(text, l) {
				t.Errorf("%s copies the published line %q", name, l)
			}
		}
	}
}
