package jobs

import (
	"errors"
	"strings"
	"unicode"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/render"
)

// PublicationHooks returns the domain's publication hooks: the site's URL and
// the announcement of a published document, its KCSA or KCSN text
// (render.Document, with the project's own templates), signed by the
// site's team.
func (s Site) PublicationHooks() vmt.PublicationHooks {
	base := strings.TrimRight(s.BaseURL, "/")
	return vmt.PublicationHooks{BaseURL: base, Render: func(_ *vmt.Project, d *vmt.Advisory, templates map[string]string) (string, string, error) {
		doc, err := render.Document(d, s.Team, base, templates)
		var missing *render.MissingFieldError
		if errors.As(err, &missing) {
			field, ok := docField[missing.Field]
			if !ok {
				field = snake(missing.Field)
			}
			return "", "", vmt.Invalid(field, "the %s template needs the document's %s (its %s), which is empty: fill it in first",
				missing.Template, field, missing.Field)
		}
		return doc.Subject, doc.Body, err
	}}
}

// docField names the document's field behind a template field whose
// name differs (render.NoteFrom, render.AdvisoryFrom).
var docField = map[string]string{
	"Actions": "mitigation", "Discussion": "description", "Authors": "credits",
	"Severity": "cvss", "Components": "affected", "Date": "published",
}

// snake writes a template's field name (Summary, ReportURL) as the
// document's JSON field (summary, report_url).
func snake(field string) string {
	var b strings.Builder
	rs := []rune(field)
	for i, r := range rs {
		if unicode.IsUpper(r) {
			if i > 0 && (unicode.IsLower(rs[i-1]) || i+1 < len(rs) && unicode.IsLower(rs[i+1])) {
				b.WriteByte('_')
			}
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}
