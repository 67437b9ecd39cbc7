package app

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/vmtproject/vmt"
)

// The repository's security advisories (issue 16, items 3 and 4). A
// private vulnerability report filed on GitHub (an advisory in triage) is
// brought in once as a private report; accepting or closing the report
// moves the advisory to draft or closed; at disclosure vmt's published
// advisory fills the repository advisory, which is then published; a
// project whose CNA is GitHub asks for its CVE through the advisory. Each
// change on GitHub is a KindForge item. A draft, triage or closed advisory
// is private to the repository's maintainers: only the publication waits
// for the report to be public.

// advisories returns the forge client's advisories, or nil when this
// instance has none.
func (s *Service) advisories() vmt.ForgeAdvisories {
	fa, _ := s.deps.Forge.(vmt.ForgeAdvisories)
	return fa
}

// forgeAdvisoryStatusChanged queues the state r's repository advisory
// takes in r's new status (move calls it at every transition): draft when
// accepted, closed when closed. Neither is public.
func (s *Service) forgeAdvisoryStatusChanged(tx vmt.Tx, r *vmt.Report) error {
	state, ok := vmt.GHSAStateOf(r.Status)
	if !ok || s.advisories() == nil {
		return nil
	}
	f, err := s.forgeOf(tx, r.ProjectID)
	if err != nil || f == nil {
		return err
	}
	if _, err := tx.ForgeAdvisoryLink(r.ID); vmt.ErrorCode(err) == vmt.ENOTFOUND {
		return nil
	} else if err != nil {
		return err
	}
	req := vmt.ForgeRequest{Op: vmt.ForgeAdvisoryState, ProjectID: r.ProjectID, ReportID: r.ID, State: state}
	key := "forge:ghsa-state:" + itoa(int(r.ID)) + ":" + state + ":" + stamp(s.now())
	return ignoreConflict(enqueueJSON(tx, key, vmt.KindForge, r.ID, req, s.now()))
}

// queueForgePublish queues the repository advisory of the published (or
// corrected) document d, of a public report: announce calls it. Keyed by
// document and revision, as the announcements are.
func (s *Service) queueForgePublish(tx vmt.Tx, d *vmt.Advisory, event string, now interface{ UnixMicro() int64 }) error {
	if event != "published" && event != "errata" || d.ReportID == 0 || s.advisories() == nil {
		return nil
	}
	f, err := s.forgeOf(tx, d.ProjectID)
	if err != nil || f == nil {
		return err
	}
	req := vmt.ForgeRequest{Op: vmt.ForgePublishAdvisory, ProjectID: d.ProjectID, ReportID: d.ReportID, AdvisoryID: d.RecordID}
	key := fmt.Sprintf("forge:ghsa-publish:%d:%d", d.RecordID, nextRevision(d)-1)
	return ignoreConflict(enqueueJSON(tx, key, vmt.KindForge, d.ReportID, req, s.now()))
}

// RequestForgeCVE asks GitHub's CNA for report id's CVE, through its
// repository advisory (a draft is made for it if it has none), for a
// project whose CNA settings name GitHub. It records the request, as
// RecordCVERequest does (a Triaged report moves on to In Progress), and
// queues the call; GitHub's CNA assigns the id later, on the advisory.
// The report's VMT.
func (s *Service) RequestForgeCVE(ctx context.Context, a vmt.Actor, id int64) (*vmt.ReportView, error) {
	return s.change(ctx, a, id, vmt.ActionCoordinate, vmt.AuditReportCVERequest, func(tx vmt.Tx, r *vmt.Report, _ vmt.Access) error {
		c, err := cnaSettings(tx, r.ProjectID)
		if err != nil {
			return err
		}
		if c.ShortName != vmt.GitHubCNA {
			return vmt.Invalid("cna", "the project's CNA is not GitHub (%s): request the CVE from its CNA", vmt.GitHubCNA)
		}
		f, err := s.forgeOf(tx, r.ProjectID)
		if err != nil {
			return err
		}
		if f == nil || s.advisories() == nil {
			return vmt.Invalid("project", "the report's project has no GitHub repository set up here")
		}
		if err := s.noteCVERequest(tx, a, r); err != nil {
			return err
		}
		req := vmt.ForgeRequest{Op: vmt.ForgeRequestCVE, ProjectID: r.ProjectID, ReportID: r.ID}
		return enqueueJSON(tx, "forge:ghsa-cve:"+itoa(int(r.ID)), vmt.KindForge, r.ID, req, *r.CVERequestedAt)
	})
}

// advisoryMarker is the hidden line by which the repository advisory of
// a report is found again.
func advisoryMarker(reportID int64) string { return "report:" + itoa(int(reportID)) }

// deliverForgeAdvisory carries out an advisory item. A publication is
// EINVALID without a call unless the report is public and the document
// published.
func (s *Service) deliverForgeAdvisory(ctx context.Context, o *vmt.OutboxItem, req *vmt.ForgeRequest) error {
	fa := s.advisories()
	if fa == nil {
		return vmt.Errorf(vmt.EINTERNAL, "this instance's forge client has no advisories")
	}
	var f *vmt.ForgeSettings
	var r *vmt.Report
	var link *vmt.ForgeAdvisoryLink
	var doc *vmt.Advisory
	var project string
	err := s.deps.Store.View(ctx, func(tx vmt.Tx) (err error) {
		if f, err = forgeSettings(tx, req.ProjectID); err != nil {
			return err
		}
		if !f.Enabled {
			return vmt.Invalid("project_id", "project %d no longer has a GitHub repository enabled", req.ProjectID)
		}
		if r, err = tx.Report(req.ReportID); err != nil {
			return err
		}
		if r.ProjectID != req.ProjectID {
			return vmt.Invalid("report_id", "report %d is not of project %d", r.ID, req.ProjectID)
		}
		p, err := tx.Project(r.ProjectID)
		if err != nil {
			return err
		}
		project = p.Name
		if link, err = tx.ForgeAdvisoryLink(r.ID); vmt.ErrorCode(err) == vmt.ENOTFOUND {
			link, err = nil, nil
		}
		if err != nil || req.Op != vmt.ForgePublishAdvisory {
			return err
		}
		if r.Visibility != vmt.Public {
			return vmt.Invalid("report_id", "report %d is embargoed: its advisory is not published before the disclosure", r.ID)
		}
		d, err := tx.Advisory(req.AdvisoryID)
		if err != nil {
			return err
		}
		if d.ReportID != r.ID || d.State != vmt.AdvisoryPublished {
			return vmt.Invalid("advisory_record_id", "document %d is not a published document of report %d", d.RecordID, r.ID)
		}
		doc, err = publishedOne(tx, d)
		return err
	})
	if err != nil {
		return err
	}
	switch req.Op {
	case vmt.ForgeAdvisoryState:
		if link == nil {
			return vmt.Invalid("report_id", "report %d has no advisory on GitHub", r.ID)
		}
		// A published advisory is vmt's last word on it: an accept or a
		// close delivered late (or again) leaves it so.
		have, err := fa.Advisory(ctx, f, link.GHSA)
		if err != nil || have.State == vmt.GHSAPublished || have.State == vmt.GHSAWithdrawn {
			return err
		}
		_, err = fa.SetAdvisoryState(ctx, f, link.GHSA, req.State)
		return err
	case vmt.ForgePublishAdvisory:
		in := s.forgeDoc(doc, link)
		ghsa := ""
		if link != nil {
			ghsa = link.GHSA
		} else if ghsa, err = s.ensureForgeAdvisory(ctx, fa, f, r, nil, in); err != nil {
			return err
		}
		// The link is stored: the published text carries no marker.
		if _, _, err := fa.WriteAdvisory(ctx, f, ghsa, "", in); err != nil {
			return err
		}
		have, err := fa.Advisory(ctx, f, ghsa)
		if err != nil {
			return err
		}
		if have.State == vmt.GHSATriage || have.State == vmt.GHSAClosed {
			if _, err := fa.SetAdvisoryState(ctx, f, ghsa, vmt.GHSADraft); err != nil {
				return err
			}
		}
		_, err = fa.SetAdvisoryState(ctx, f, ghsa, vmt.GHSAPublished)
		return err
	case vmt.ForgeAdvisoryCollaborators: // forge_collab.go
		return s.syncCollaborators(ctx, fa, f, r, link, req.Gone)
	case vmt.ForgeRequestCVE, vmt.ForgeCreateFork:
		in := &vmt.ForgeAdvisory{Summary: r.Title, Packages: reportPackages(r, project),
			Description: fmt.Sprintf("Report #%d in vmt. vmt fills this advisory from its own at the disclosure.", r.ID)}
		var ghsa string
		if link != nil {
			ghsa = link.GHSA // the reporter's advisory, left as they wrote it
		} else if ghsa, err = s.ensureForgeAdvisory(ctx, fa, f, r, nil, in); err != nil {
			return err
		}
		if req.Op == vmt.ForgeCreateFork { // forge_collab.go
			_, _, err = fa.CreateFork(ctx, f, ghsa)
			return err
		}
		_, err = fa.RequestCVE(ctx, f, ghsa)
		return err
	}
	return vmt.Invalid("op", "unknown forge operation %q", req.Op)
}

// ensureForgeAdvisory makes the report's advisory say what in says: the
// one it is linked to, else the one carrying its marker (created by an
// earlier try whose link was not stored), else a new draft, which is then
// linked. It returns the advisory's id.
func (s *Service) ensureForgeAdvisory(ctx context.Context, fa vmt.ForgeAdvisories, f *vmt.ForgeSettings, r *vmt.Report, link *vmt.ForgeAdvisoryLink, in *vmt.ForgeAdvisory) (string, error) {
	marker := advisoryMarker(r.ID)
	ghsa := ""
	if link != nil {
		ghsa = link.GHSA
	} else {
		var err error
		if ghsa, err = fa.FindAdvisory(ctx, f, marker); err != nil {
			return "", err
		}
	}
	id, u, err := fa.WriteAdvisory(ctx, f, ghsa, marker, in)
	if err != nil || link != nil {
		return id, err
	}
	err = s.deps.Store.Update(ctx, func(tx vmt.Tx) error {
		err := tx.AddForgeAdvisoryLink(&vmt.ForgeAdvisoryLink{ReportID: r.ID, ProjectID: r.ProjectID,
			GHSA: id, URL: u, LinkedAt: s.now()})
		if err != nil {
			return ignoreConflict(err)
		}
		// Those let in already become its collaborators.
		return s.queueCollaborators(tx, r, nil)
	})
	return id, err
}

// reportPackages names what a report affects as GitHub's packages: its
// entries' packages, else its components, else the project.
func reportPackages(r *vmt.Report, project string) []vmt.ForgePackage {
	var out []vmt.ForgePackage
	for _, e := range r.Affected {
		name := e.Package
		if name == "" {
			name = e.Component
		}
		if name == "" {
			name = project
		}
		out = append(out, vmt.ForgePackage{Ecosystem: vmt.GHSAEcosystem(e.Ecosystem), Name: name})
	}
	if len(out) == 0 {
		out = []vmt.ForgePackage{{Ecosystem: "other", Name: project}}
	}
	return out
}

// forgeDoc is the repository advisory a published document fills: its
// title as the summary; its summary, description and mitigation, and a
// link to it, as the description; one package per affected range, with
// the fixed version as the patched one; its first CVE (an advisory holds
// one); its CWEs; its first CVSS 3 vector (else its first); its credits
// with a GitHub profile as contact, and the reporter of an advisory
// brought in.
func (s *Service) forgeDoc(d *vmt.Advisory, link *vmt.ForgeAdvisoryLink) *vmt.ForgeAdvisory {
	out := &vmt.ForgeAdvisory{Summary: clip(d.Title, 1024), CWEs: slices.Clone(d.CWEs)}
	if out.Summary == "" {
		out.Summary = clip(d.Summary, 1024)
	}
	var b strings.Builder
	if d.Summary != "" && d.Title != "" {
		b.WriteString(d.Summary + "\n\n")
	}
	b.WriteString(strings.TrimSpace(d.Description))
	if m := strings.TrimSpace(d.Mitigation); m != "" {
		b.WriteString("\n\n### Mitigation\n\n" + m)
	}
	if s.deps.Publication.BaseURL != "" && !d.ID.IsZero() {
		fmt.Fprintf(&b, "\n\n### References\n\n- [%s](%s)", d.ID, s.advisoryURL(d))
	}
	out.Description = b.String()
	if len(d.CVEs) > 0 {
		out.CVE = d.CVEs[0]
	}
	for _, v := range d.CVSS {
		if strings.HasPrefix(v, "CVSS:3.") {
			out.CVSS = v
			break
		}
	}
	if out.CVSS == "" && len(d.CVSS) > 0 {
		out.CVSS = d.CVSS[0]
	}
	for _, af := range d.Affected {
		name := af.Package
		if name == "" {
			name = af.Component
		}
		eco := vmt.GHSAEcosystem(af.Ecosystem)
		if len(af.Ranges) == 0 {
			out.Packages = append(out.Packages, vmt.ForgePackage{Ecosystem: eco, Name: name, VulnerableRange: af.Versions})
		}
		for _, rg := range af.Ranges {
			out.Packages = append(out.Packages, vmt.ForgePackage{Ecosystem: eco, Name: name, VulnerableRange: ghsaRange(rg), Patched: rg.Fixed})
		}
	}
	for _, c := range d.Credits {
		if login := githubLogin(c.Contact); login != "" {
			out.Credits = append(out.Credits, vmt.ForgeCredit{Login: login, Type: vmt.GHSACreditType(c.Type)})
		}
	}
	if link != nil && link.Login != "" && !slices.ContainsFunc(out.Credits, func(c vmt.ForgeCredit) bool { return strings.EqualFold(c.Login, link.Login) }) {
		out.Credits = append(out.Credits, vmt.ForgeCredit{Login: link.Login, Type: "reporter"})
	}
	return out
}

// ghsaRange writes a range as GitHub writes vulnerable versions:
// ">= 1.0.0, < 1.2.3".
func ghsaRange(r vmt.VersionRange) string {
	var parts []string
	if r.Introduced != "" && r.Introduced != "0" {
		parts = append(parts, ">= "+r.Introduced)
	}
	switch {
	case r.Fixed != "":
		parts = append(parts, "< "+r.Fixed)
	case r.LastAffected != "":
		parts = append(parts, "<= "+r.LastAffected)
	}
	return strings.Join(parts, ", ")
}

// githubLogin returns the login of a https://github.com/<login> contact.
func githubLogin(contacts []string) string {
	for _, c := range contacts {
		u, err := url.Parse(c)
		if err != nil || u.Scheme != "https" || !strings.EqualFold(u.Host, "github.com") {
			continue
		}
		login := strings.Trim(u.Path, "/")
		if login != "" && loginOf(login) == login {
			return login
		}
	}
	return ""
}
