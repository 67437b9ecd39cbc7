package http

import (
	"errors"
	"net/http"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/render"
)

// cveForm answers the "Request a CVE ID" form of a report filled from the
// record, as the report page fills it (cveFormText): the requester's
// address and stored key, the embargo note while private, the components,
// versions, description, credit and references are the server's; the body
// carries only the choices (CVEFormChoices). The report's VMT only; to others
// the report does not exist or the action is forbidden, as on the page.
func (s *Server) cveForm(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return vmt.NotFound("report")
	}
	var ch CVEFormChoices
	if err := decode(r, &ch); err != nil {
		return err
	}
	ctx, a := r.Context(), actorFrom(r.Context())
	requester, err := s.svc.CVERequester(ctx, a, id) // the VMT's check
	if err != nil {
		return err
	}
	v, err := s.svc.Report(ctx, a, id)
	if err != nil {
		return err
	}
	if v.Visibility != vmt.Private {
		requester = nil // a public report's form carries no key
	}
	vendor := ""
	if ps, err := s.svc.Projects(ctx, a); err == nil {
		for _, p := range ps {
			if p.ID == v.ProjectID {
				vendor = vmt.VendorName(p)
			}
		}
	}
	docs, err := s.svc.ReportAdvisories(ctx, a, id)
	if err != nil {
		return err
	}
	var doc *vmt.Advisory
	for _, d := range docs {
		if d.State != vmt.AdvisoryWithdrawn {
			doc = v.Withheld.Advisory(d)
		}
	}
	text, err := cveFormText(a, v, vendor, requester, doc, s.cveReferences(r, id, doc), ch)
	var missing *render.MissingFieldError
	if errors.As(err, &missing) {
		return vmt.Invalid("report", "the form needs the report's %s, which is empty: %v", missing.Field, err)
	}
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, CVEForm{Text: text})
}

// CVEForm is the filled "Request a CVE ID" form, ready to copy.
type CVEForm struct {
	Text string `json:"text"`
}
