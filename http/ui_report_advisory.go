package http

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/render"
)

// The advisory step of a report's page, for its VMT only: draft the
// document from the report, edit what needs judgment, see the KCSA or
// KCSN as it will read, and move it (embargo, publish, errata, withdraw);
// and the CVE step (the request mail and form ready to copy; for a
// project that is a CNA, reserve an id and publish the record). Everyone
// else gets no section: a draft shows nothing of itself to them.

// advisorySection is the data of part_report_advisory.html.
type advisorySection struct {
	ReportID int64
	Kind     vmt.AdvisoryKind // what the report's class leads to; "" none
	Doc      *vmt.Advisory    // the report's current document; nil: none yet
	Form     advisoryForm     // the edit form's values
	// Errors are the refusals of the last save, by form field; the
	// field "" is a refusal that names no field of the form.
	Errors   map[string]string
	Scores   []render.SeverityData // of the saved vectors
	Preview  render.Doc
	PrevErr  string // why the preview cannot be written
	Numbered bool   // the preview carries the document's own id
	// Differs are the fields of a document not yet public that say other
	// than the report's record now makes of them (a person's edit).
	Differs []vmt.FieldDiff
	CVE     cveStep
	// templates are the project's document templates, read once for the
	// preview and the CVE request mail (a report's documents are of its
	// project); templatesErr why they could not be read.
	templates    map[string]string
	templatesErr error
}

// advisoryForm is the edit form: one text per field, lists one per line.
type advisoryForm struct {
	Title, Summary, Description, Mitigation string
	Affected                                string // "component: versions" per line
	CVSS                                    string // one vector per line
	References                              string // "TYPE URL" per line
	CWEs                                    string // separated by commas
	Change                                  string // what an erratum corrects
}

// cveStep is the CVE part of the section.
type cveStep struct {
	Private   bool
	Mail      render.Doc
	MailErr   string
	Form      string // the request form's fields, once asked for
	FormErr   string
	FormField string // the input the form's refusal names
	OtherType string
	Attack    string
	Type      string   // the vulnerability type chosen
	Impact    []string // the impacts checked
	Key       string
	// Requester is whose address and stored OpenPGP key a private
	// report's form carries (the coordinator's, else the viewer's); nil
	// when neither stored a usable key, and the form asks for one.
	Requester *vmt.User
	Attacks   []string
	Types     []string // the form's vulnerability types
	Impacts   []string // the form's impact checkboxes
	// Notice is "Notify CVE about a publication", for a published
	// document with CVE ids.
	Notice  string
	CNA     bool     // the project reserves and publishes through CVE Services
	Publish []string // the CVE ids of the published document, whose records can be published
}

// advisoryFailure carries a refused save back into the page, so that the
// form keeps what was typed and the refusal stands next to its field.
type advisoryFailure struct {
	form url.Values
	err  error
}

type advisoryFailureKey struct{}

// cveFormKey marks a request for the CVE request form's text.
type cveFormKey struct{}

// advisorySection reads the section; nil for a viewer who does not
// coordinate the report, or a report whose class leads to no document.
func (s *Server) advisorySection(r *http.Request, p *reportPage) (*advisorySection, error) {
	if !p.Coordinate {
		return nil, nil
	}
	ctx, a := r.Context(), actorFrom(r.Context())
	kind, _ := vmt.KindFor(p.R.Class)
	docs, err := s.svc.ReportAdvisories(ctx, a, p.R.ID)
	if err != nil {
		return nil, err
	}
	sec := &advisorySection{ReportID: p.R.ID, Kind: kind, Doc: currentDocument(docs), Errors: map[string]string{}}
	if sec.Kind == "" && sec.Doc == nil {
		return nil, nil
	}
	sec.templates, sec.templatesErr = s.svc.DocumentTemplates(ctx, p.R.ProjectID)
	if d := sec.Doc; d != nil {
		sec.Form = formOf(d)
		s.preview(r, p, sec)
		if sec.Differs, err = s.svc.AdvisoryRecordDiff(ctx, a, d.RecordID); err != nil {
			return nil, err
		}
	}
	if f, ok := ctx.Value(advisoryFailureKey{}).(*advisoryFailure); ok {
		sec.Form = formFrom(f.form)
		sec.Errors[formField(vmt.ErrorField(f.err))] = vmt.ErrorMessage(f.err)
	}
	s.cveStep(r, p, sec)
	return sec, nil
}

// currentDocument is the one the section works on: the latest that is not
// withdrawn, else the latest.
func currentDocument(docs []*vmt.Advisory) *vmt.Advisory {
	var cur *vmt.Advisory
	for _, d := range docs {
		switch {
		case cur == nil:
			cur = d
		case (d.State == vmt.AdvisoryWithdrawn) != (cur.State == vmt.AdvisoryWithdrawn):
			if cur.State == vmt.AdvisoryWithdrawn {
				cur = d
			}
		case d.RecordID > cur.RecordID:
			cur = d
		}
	}
	return cur
}

// preview writes the KCSA or KCSN as it will read, with the project's
// own template when it has one; a draft has no number yet, so the
// preview shows the one its prefix would take as 000. It shows what will
// be published: without what the reporter's marks withhold.
func (s *Server) preview(r *http.Request, p *reportPage, sec *advisorySection) {
	d := *p.R.Withheld.Advisory(sec.Doc)
	if data, err := render.AdvisoryFrom(&d, d.Vendor); err == nil {
		sec.Scores = data.Severity
	} else {
		sec.Errors[formField(vmt.ErrorField(err))] = vmt.ErrorMessage(err)
	}
	sec.Numbered = !d.ID.IsZero()
	if d.ID.IsZero() && p.Project != nil {
		d.ID = vmt.NewAdvisoryID(p.Project.Prefix(d.Kind), time.Now().Year(), 0)
	}
	if d.Published == nil {
		now := time.Now()
		d.Published = &now
	}
	err := sec.templatesErr
	if err == nil {
		sec.Preview, err = documentText(&d, s.baseURL(r), sec.templates)
	}
	if err != nil {
		sec.PrevErr = err.Error()
	}
}

// cveStep fills the CVE part: the request mail from the project's
// template (private or public variant), the form's fields when asked for,
// and what CVE Services offers a CNA.
func (s *Server) cveStep(r *http.Request, p *reportPage, sec *advisorySection) {
	ctx, a := r.Context(), actorFrom(r.Context())
	c := &sec.CVE
	// The request and the form go to the CVE program: they withhold what
	// the reporter marked, as every publication does.
	withheld := p.R.Withheld
	c.Private = p.R.Visibility == vmt.Private
	c.Attacks, c.Types, c.Impacts = render.AttackTypes, render.VulnerabilityTypes, render.Impacts
	vendor := vmt.VendorName(p.Project)
	refs := s.cveReferences(r, p.R.ID, sec.Doc)
	coordinator := a.User.Name
	if coordinator == "" {
		coordinator = a.User.Email
	}
	name := render.CVERequestPublic
	if c.Private {
		name = render.CVERequestPrivate
	}
	if p.R.ImpactDescription == "" {
		c.MailErr = "The request quotes the impact description: draft it first."
	} else if err := sec.templatesErr; err != nil {
		c.MailErr = err.Error()
	} else if set, err := render.NewSet(overridesOf(sec.templates)); err != nil {
		c.MailErr = err.Error()
	} else if c.Mail, err = set.Render(name, render.CVERequestData{Project: vendor, Components: p.R.Components(),
		Description: strings.TrimSpace(withheld.Text(p.R.ImpactDescription)), References: refs, Coordinator: coordinator,
		Team: vendor + " Vulnerability Management Team"}); err != nil {
		c.MailErr = err.Error()
	}
	if c.Private {
		// Without a stored key the form asks for one: nothing is lost.
		if u, err := s.svc.CVERequester(ctx, a, p.R.ID); err == nil && u != nil {
			c.Requester = u
		}
	}
	if in, ok := ctx.Value(cveFormKey{}).(url.Values); ok {
		ch := CVEFormChoices{Type: in.Get("type"), OtherType: strings.TrimSpace(in.Get("other_type")),
			Attack: in.Get("attack_type"), Impact: in["impact"], Key: in.Get("openpgp_key")}
		c.OtherType, c.Attack, c.Key, c.Type, c.Impact = ch.OtherType, ch.Attack, ch.Key, ch.Type, ch.Impact
		if c.Requester != nil {
			c.Key = c.Requester.OpenPGPKey
		}
		var err error
		if c.Form, err = cveFormText(a, p.R, vendor, c.Requester, sec.Doc, refs, ch); err != nil {
			// A template's missing field is no vmt.Error: its own
			// message names the field.
			c.FormErr, c.FormField = err.Error(), vmt.ErrorField(err)
			if vmt.ErrorCode(err) == vmt.EINVALID {
				c.FormErr = vmt.ErrorMessage(err)
			}
		}
	}
	if p.Project != nil {
		if cna, err := s.svc.CNASettingsOf(ctx, a, p.Project.Name); err == nil {
			c.CNA = cna.Enabled
		}
	}
	if d := sec.Doc; d != nil && d.State == vmt.AdvisoryPublished && len(d.CVEs) > 0 {
		if c.CNA {
			c.Publish = d.CVEs
		}
		if f, err := render.PublicationForm(withheld.Advisory(d), a.User.Email, s.baseURL(r)+"/advisories/"+d.ID.String()); err == nil {
			c.Notice, _ = f.Text()
		}
	}
}

// CVEFormChoices are what the coordinator chooses in the CVE request form;
// the rest comes from the record.
type CVEFormChoices struct {
	Type      string   `json:"type,omitempty"` // from the form's list; "" is Other or Unknown
	OtherType string   `json:"other_type,omitempty"`
	Attack    string   `json:"attack_type,omitempty"` // "" follows the CVSS vector
	Impact    []string `json:"impact,omitempty"`
	// Key is the requester's armored OpenPGP key, for a private report
	// when no account of the report's coordinators stores one.
	Key string `json:"openpgp_key,omitempty"`
}

// cveFormText fills the "Request a CVE ID" form of report v, as the
// viewer a sees it (without what the reporter's marks withhold), from the
// record: requester (CVERequester: the address and stored key of the
// coordinator, else of a; nil: a, with ch.Key), the embargo from v's
// visibility, components, versions, the impact prose, credit, refs, and
// the CVSS of doc. The page and the API both fill it here.
func cveFormText(a vmt.Actor, v *vmt.ReportView, vendor string, requester *vmt.User, doc *vmt.Advisory, refs []string, ch CVEFormChoices) (string, error) {
	withheld := v.Withheld
	email, key := a.User.Email, ch.Key
	if requester != nil {
		email, key = requester.Email, requester.OpenPGPKey
	}
	credit := v.Credit
	if withheld.Credit() {
		credit = "withheld at the reporter's request"
	}
	form, err := render.RequestForm(render.CVERequestInput{Email: email, OpenPGPKey: key, Private: v.Visibility == vmt.Private,
		VulnerabilityType: ch.Type, OtherType: ch.OtherType, Vendor: vendor, Components: v.Components(),
		AffectedVersions: withheld.Text(v.AffectedVersions()), AttackType: ch.Attack, Impact: ch.Impact,
		ImpactProse: impactProse(withheld.Text(v.ImpactDescription)), Credit: credit, References: refs, CVSS: docCVSS(doc)})
	if err != nil {
		return "", err
	}
	return form.Text()
}

// cveReferences are the links a CVE request gives: the report (the
// process has its URL given even while it is private: it opens once the
// report is disclosed) and the public fix links.
func (s *Server) cveReferences(r *http.Request, reportID int64, d *vmt.Advisory) []string {
	refs := []string{fmt.Sprintf("%s/reports/%d", s.baseURL(r), reportID)}
	if d != nil {
		for _, pt := range d.Patches {
			refs = append(refs, pt.URLs...)
		}
	} else if fixes, err := s.svc.Fixes(r.Context(), actorFrom(r.Context()), reportID); err == nil {
		for _, f := range fixes {
			if f.URL != "" && !slices.Contains(refs, f.URL) {
				refs = append(refs, f.URL)
			}
		}
	}
	return refs
}

func overridesOf(templates map[string]string) map[render.Name]string {
	out := make(map[render.Name]string, len(templates))
	for n, t := range templates {
		out[render.Name(n)] = t
	}
	return out
}

// formOf writes a document into the edit form.
func formOf(d *vmt.Advisory) advisoryForm {
	f := advisoryForm{Title: d.Title, Summary: d.Summary, Description: d.Description, Mitigation: d.Mitigation,
		CVSS: strings.Join(d.CVSS, "\n"), CWEs: strings.Join(d.CWEs, ", ")}
	var b strings.Builder
	for _, af := range d.Affected {
		fmt.Fprintf(&b, "%s: %s\n", af.Component, af.Versions)
	}
	f.Affected = b.String()
	b.Reset()
	for _, ref := range d.References {
		fmt.Fprintf(&b, "%s %s\n", ref.Type, ref.URL)
	}
	f.References = b.String()
	return f
}

func formFrom(v url.Values) advisoryForm {
	return advisoryForm{Title: v.Get("title"), Summary: v.Get("summary"), Description: v.Get("description"),
		Mitigation: v.Get("mitigation"), Affected: v.Get("affected"), CVSS: v.Get("cvss"),
		References: v.Get("references"), CWEs: v.Get("cwes"), Change: v.Get("change")}
}

// applyForm returns d with the form's fields; what the form does not
// hold (credits, CVEs, patches, an affected component's ranges) stays.
func applyForm(d *vmt.Advisory, v url.Values) (vmt.Advisory, error) {
	out := *d
	out.Title, out.Summary = strings.TrimSpace(v.Get("title")), strings.TrimSpace(v.Get("summary"))
	out.Description, out.Mitigation = strings.TrimSpace(v.Get("description")), strings.TrimSpace(v.Get("mitigation"))
	out.Affected = nil
	for i, line := range lines(v.Get("affected")) {
		comp, versions, ok := strings.Cut(line, ":")
		comp, versions = strings.TrimSpace(comp), strings.TrimSpace(versions)
		if !ok || comp == "" || versions == "" {
			return out, vmt.Invalid(fmt.Sprintf("affected[%d]", i), "line %d, %q: write \"component: versions\"", i+1, line)
		}
		af := vmt.Affected{Component: comp, Versions: versions}
		for _, old := range d.Affected {
			if old.Component == comp {
				af = old
				af.Versions = versions
			}
		}
		out.Affected = append(out.Affected, af)
	}
	out.CVSS = lines(v.Get("cvss"))
	out.References = nil
	for i, line := range lines(v.Get("references")) {
		typ, u, ok := strings.Cut(line, " ")
		if !ok {
			typ, u = "WEB", line
		}
		if !strings.Contains(typ, ":") {
			typ = strings.ToUpper(typ)
		} else {
			// A bare URL: its scheme's colon is no type.
			typ, u = "WEB", line
		}
		if u = strings.TrimSpace(u); u == "" {
			return out, vmt.Invalid(fmt.Sprintf("references[%d]", i), "line %d: write \"TYPE URL\"", i+1)
		}
		out.References = append(out.References, vmt.Reference{Type: vmt.ReferenceType(typ), URL: u})
	}
	out.CWEs = nil
	for c := range strings.SplitSeq(v.Get("cwes"), ",") {
		if c = strings.TrimSpace(c); c != "" {
			out.CWEs = append(out.CWEs, c)
		}
	}
	return out, nil
}

func lines(s string) []string {
	var out []string
	for l := range strings.SplitSeq(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// formField is the form input a service field names: "cvss[1]" is the
// vectors' box, "affected[0].versions" the affected box.
func formField(f string) string {
	if i := strings.IndexAny(f, "[."); i >= 0 {
		f = f[:i]
	}
	switch f {
	case "title", "summary", "description", "mitigation", "affected", "cvss", "references", "cwes", "change", "reason":
		return f
	}
	return ""
}

// reportAdvisoryDraft drafts the document from the report.
func (s *Server) reportAdvisoryDraft(w http.ResponseWriter, r *http.Request) error {
	return s.reportAction(func(r *http.Request, a vmt.Actor, id int64) (string, error) {
		d, err := s.svc.DraftAdvisoryFromReport(r.Context(), a, id)
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("The %s is drafted from the report; write its summary, mitigation and CVSS vectors.", kindWord(d.Kind)), nil
	})(w, r)
}

// advisoryAction is a form about the report's document {doc}. A refusal
// that names a field of the edit form shows the page again, with what was
// typed and the refusal next to the field (422); other refusals come
// back as the page's message, as for any action on the report.
func (s *Server) advisoryAction(fn func(r *http.Request, a vmt.Actor, d *vmt.Advisory) (string, error)) handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := pathID(r, "id")
		if err != nil {
			return vmt.NotFound("report")
		}
		docID, err := pathID(r, "doc")
		if err != nil {
			return vmt.NotFound("advisory")
		}
		if err := parseForm(w, r); err != nil {
			return err
		}
		ctx, a := r.Context(), actorFrom(r.Context())
		d, err := s.svc.Advisory(ctx, a, docID)
		if err != nil {
			return err
		}
		if d.ReportID != id {
			return vmt.NotFound("advisory")
		}
		msg, err := fn(r, a, d)
		if vmt.ErrorCode(err) == vmt.EINVALID && formField(vmt.ErrorField(err)) != "" {
			r = r.WithContext(context.WithValue(ctx, advisoryFailureKey{}, &advisoryFailure{form: r.PostForm, err: err}))
			return s.reportPageStatus(w, r, http.StatusUnprocessableEntity)
		}
		return s.actionDone(w, r, "/reports/"+strconv.FormatInt(id, 10)+"#advisory", msg, err)
	}
}

func (s *Server) reportAdvisorySave(w http.ResponseWriter, r *http.Request) error {
	return s.advisoryAction(func(r *http.Request, a vmt.Actor, d *vmt.Advisory) (string, error) {
		doc, err := applyForm(d, r.PostForm)
		if err != nil {
			return "", err
		}
		if _, err := s.svc.UpdateAdvisory(r.Context(), a, d.RecordID, doc); err != nil {
			return "", err
		}
		return "The " + kindWord(d.Kind) + " is saved.", nil
	})(w, r)
}

func (s *Server) reportAdvisoryEmbargo(w http.ResponseWriter, r *http.Request) error {
	return s.advisoryAction(func(r *http.Request, a vmt.Actor, d *vmt.Advisory) (string, error) {
		out, err := s.svc.EmbargoAdvisory(r.Context(), a, d.RecordID)
		if err != nil {
			return "", err
		}
		return out.ID.String() + " is final and embargoed until the disclosure.", nil
	})(w, r)
}

func (s *Server) reportAdvisoryPublish(w http.ResponseWriter, r *http.Request) error {
	return s.advisoryAction(func(r *http.Request, a vmt.Actor, d *vmt.Advisory) (string, error) {
		out, err := s.svc.PublishAdvisory(r.Context(), a, d.RecordID)
		if err != nil {
			return "", err
		}
		return out.ID.String() + " is published.", nil
	})(w, r)
}

func (s *Server) reportAdvisoryErrata(w http.ResponseWriter, r *http.Request) error {
	return s.advisoryAction(func(r *http.Request, a vmt.Actor, d *vmt.Advisory) (string, error) {
		doc, err := applyForm(d, r.PostForm)
		if err != nil {
			return "", err
		}
		out, err := s.svc.AmendAdvisory(r.Context(), a, d.RecordID, doc, r.PostForm.Get("change"))
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("Erratum published: %s is at revision %d.", out.ID, len(out.Revisions)), nil
	})(w, r)
}

func (s *Server) reportAdvisoryWithdraw(w http.ResponseWriter, r *http.Request) error {
	return s.advisoryAction(func(r *http.Request, a vmt.Actor, d *vmt.Advisory) (string, error) {
		out, err := s.svc.WithdrawAdvisory(r.Context(), a, d.RecordID, r.PostForm.Get("reason"))
		if err != nil {
			return "", err
		}
		return out.ID.String() + " is withdrawn.", nil
	})(w, r)
}

func (s *Server) reportAdvisoryCVEPublish(w http.ResponseWriter, r *http.Request) error {
	return s.advisoryAction(func(r *http.Request, a vmt.Actor, d *vmt.Advisory) (string, error) {
		cve := r.PostForm.Get("cve")
		if _, err := s.svc.PublishCVE(r.Context(), a, d.RecordID, cve); err != nil {
			return "", err
		}
		return "The CVE record of " + cve + " is queued for publication through CVE Services.", nil
	})(w, r)
}

// reportCVEReserve reserves a CVE id through CVE Services and records it.
func (s *Server) reportCVEReserve(w http.ResponseWriter, r *http.Request) error {
	return s.reportAction(func(r *http.Request, a vmt.Actor, id int64) (string, error) {
		v, err := s.svc.ReserveCVE(r.Context(), a, id)
		if err != nil {
			return "", err
		}
		return "Reserved " + v.CVEs[len(v.CVEs)-1] + " and recorded it on the report.", nil
	})(w, r)
}

// reportCVEForm shows the page with the CVE request form filled from the
// report and what was typed (the vulnerability type, the attack type, the
// coordinator's key); nothing is stored.
func (s *Server) reportCVEForm(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	r = r.WithContext(context.WithValue(r.Context(), cveFormKey{}, r.PostForm))
	return s.reportPageStatus(w, r, http.StatusOK)
}

func kindWord(k vmt.AdvisoryKind) string {
	if k == vmt.KindNote {
		return "security note"
	}
	return "security advisory"
}

// impactProse is the description paragraph of the impact description,
// which the form's description is suggested from.
func impactProse(text string) string {
	d, _ := vmt.ImpactSections(text)
	return d
}

// docCVSS are the CVSS vectors of the report's document, if it has one.
func docCVSS(d *vmt.Advisory) []string {
	if d == nil {
		return nil
	}
	return d.CVSS
}
