package jobs

import (
	"strconv"
	"strings"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/render"
)

// PublicationHooks returns the domain's publication hooks: the site's URL and
// the announcement of a published document, its KCSA or KCSN text as the
// default templates write it, signed by the site's team.
func (s Site) PublicationHooks() vmt.PublicationHooks {
	base := strings.TrimRight(s.BaseURL, "/")
	return vmt.PublicationHooks{BaseURL: base, Render: func(_ *vmt.Project, d *vmt.Advisory, templates map[string]string) (string, string, error) {
		doc, err := advisoryText(d, s.Team, base, templates)
		return doc.Subject, doc.Body, err
	}}
}

// advisoryText renders a published document, with the project's own
// templates: a KCSA for an advisory, a KCSN for a note, with links to its page and its report on the site at
// base. team signs it ("" names the vendor's team).
func advisoryText(d *vmt.Advisory, team, base string, templates map[string]string) (render.Doc, error) {
	overrides := make(map[render.Name]string, len(templates))
	for n, t := range templates {
		overrides[render.Name(n)] = t
	}
	set, err := render.NewSet(overrides)
	if err != nil {
		return render.Doc{}, err
	}
	if team == "" {
		team = d.Vendor + " Vulnerability Management Team"
	}
	if d.Kind == vmt.KindNote {
		l := render.NoteLinks{URL: base + "/advisories/" + d.ID.String()}
		if d.ReportID != 0 {
			l.ReportURL = base + "/reports/" + strconv.FormatInt(d.ReportID, 10)
		}
		return set.Render(render.NoteDoc, render.NoteFrom(d, l))
	}
	data, err := render.AdvisoryFrom(d, team)
	if err != nil {
		return render.Doc{}, err
	}
	return set.Render(render.AdvisoryDoc, data)
}
