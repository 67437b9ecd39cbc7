package http

import (
	"html/template"
	"net/http"
	"time"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/markdown"
)

// policyPage is a project's public disclosure policy: its own text when
// its VMT wrote one (DisclosureSettings.PolicyText, sanitized Markdown),
// else our wording, made from its embargo limits. The report form and
// security.txt link here.
type policyPage struct {
	vmt.DisclosurePolicy
	Own      template.HTML // the project's text; empty for the default
	Contact  string        // the VMT's address; "" for none
	KeyURL   string        // the key to encrypt to; "" when the site has none
	FormPath string        // the report form, for this project
}

func (s *Server) policyPage(w http.ResponseWriter, r *http.Request) error {
	pol, err := s.svc.DisclosurePolicyOf(r.Context(), r.PathValue("name"))
	if err != nil {
		return err
	}
	pub := s.svc.Deps().Publication
	page := policyPage{DisclosurePolicy: *pol, Contact: pub.Contact, FormPath: "/report?project=" + urlQueryEscape(pol.Project)}
	if pol.Text != "" {
		page.Own = markdown.Render(pol.Text)
	}
	if pub.Signer != nil {
		page.KeyURL = KeyPath
	}
	b, err := s.renderPublic("policy", "Disclosure policy of "+pol.Project, &page)
	if err != nil {
		return err
	}
	return servePublic(w, r, "text/html; charset=utf-8", time.Time{}, b)
}
