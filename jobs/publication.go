package jobs

import (
	"errors"
	"strings"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/render"
)

// PublicationHooks returns the domain's publication hooks: the site's URL and
// the announcement of a published document, its KCSA or KCSN text
// (render.Document, with the project's own templates), signed by the
// site's team.
func (s Site) PublicationHooks() vmt.PublicationHooks {
	base := strings.TrimRight(s.BaseURL, "/")
	return vmt.PublicationHooks{BaseURL: base, Contact: s.Contact, Render: func(_ *vmt.Project, d *vmt.Advisory, templates map[string]string) (string, string, error) {
		doc, err := render.Document(d, s.Team, base, templates)
		var missing *render.MissingFieldError
		if errors.As(err, &missing) {
			field := missing.DocField()
			return "", "", vmt.Invalid(field, "the %s template needs the document's %s (its %s), which is empty: fill it in first",
				missing.Template, field, missing.Field)
		}
		return doc.Subject, doc.Body, err
	}}
}
