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

// EnabledForges returns the enabled forge settings of every project, for
// the round that brings private reports in (which acts for no one). With
// no forge client here, none.
func (s *Service) EnabledForges(ctx context.Context) ([]*vmt.ForgeSettings, error) {
	if s.advisories() == nil {
		return nil, nil
	}
	var out []*vmt.ForgeSettings
	err := s.deps.Store.View(ctx, func(tx vmt.Tx) error {
		ps, err := tx.Projects()
		if err != nil {
			return err
		}
		for _, p := range ps {
			f, err := s.forgeOf(tx, p.ID)
			if err != nil {
				return err
			}
			if f != nil {
				out = append(out, f)
			}
		}
		return nil
	})
	return out, err
}

// ForgeIntakeResult is what a round of one repository did.
type ForgeIntakeResult struct {
	Filed  []int64  // the reports filed
	Failed []string // the advisories that could not be filed, with why
	// CVEs are the ids GitHub's CNA assigned that were recorded on
	// their reports.
	CVEs []string
}

// ForgeIntake brings in the repository's advisories in triage that are
// not in yet, each as a private report (BringInAdvisory). An advisory
// that cannot be filed is named in Failed and tried again next round; the
// error returned is GitHub's or the store's.
func (s *Service) ForgeIntake(ctx context.Context, f *vmt.ForgeSettings) (*ForgeIntakeResult, error) {
	fa := s.advisories()
	if fa == nil {
		return &ForgeIntakeResult{}, nil
	}
	as, err := fa.TriageAdvisories(ctx, f)
	if err != nil {
		return nil, err
	}
	res := &ForgeIntakeResult{}
	for i := range as {
		id, filed, err := s.BringInAdvisory(ctx, f.ProjectID, &as[i])
		switch code := vmt.ErrorCode(err); {
		case code == vmt.EINVALID || code == vmt.ETOOLARGE || code == vmt.EFORBIDDEN:
			res.Failed = append(res.Failed, as[i].GHSA+": "+vmt.ErrorMessage(err))
		case err != nil:
			return res, err
		case filed:
			res.Filed = append(res.Filed, id)
		}
	}
	var cna *vmt.CNASettings
	if err := s.deps.Store.ViewOne(ctx, func(tx vmt.Tx) (err error) {
		cna, err = cnaSettings(tx, f.ProjectID)
		return err
	}); err != nil {
		return res, err
	}
	if cna.ShortName != vmt.GitHubCNA {
		return res, nil
	}
	all, err := fa.Advisories(ctx, f)
	if err != nil {
		return res, err
	}
	for _, a := range all {
		if a.CVE == "" {
			continue
		}
		if ok, err := s.recordForgeCVE(ctx, f.ProjectID, a.GHSA, a.CVE); err != nil {
			return res, err
		} else if ok {
			res.CVEs = append(res.CVEs, a.CVE)
		}
	}
	return res, nil
}

// recordForgeCVE records cve, which GitHub's CNA assigned to advisory
// ghsa, on the report followed in it, if that report asked for a CVE and
// does not have it: retitled, audited as report.cve_reserve (by the
// system), and said in a comment by its coordinator, as a reservation
// through CVE Services is. It reports whether it recorded it.
func (s *Service) recordForgeCVE(ctx context.Context, projectID int64, ghsa, cve string) (bool, error) {
	done := false
	err := s.deps.Store.Update(ctx, func(tx vmt.Tx) error {
		l, err := tx.ForgeAdvisoryByGHSA(projectID, ghsa)
		if vmt.ErrorCode(err) == vmt.ENOTFOUND {
			return nil
		} else if err != nil {
			return err
		}
		r, err := tx.Report(l.ReportID)
		if err != nil || r.CVERequestedAt == nil || slices.Contains(r.CVEs, cve) {
			return err
		}
		before := *r
		cves := append(slices.Clone(r.CVEs), cve)
		if err := vmt.CheckCVEs(cves); err != nil {
			return err
		}
		r.Title, r.CVEs, r.UpdatedAt = vmt.Retitle(r.Title, r.CVEs, cves), cves, s.now()
		if err := r.Validate(); err != nil {
			return err
		}
		if err := tx.UpdateReport(r); err != nil {
			return err
		}
		if r.CoordinatorID != 0 {
			u, err := tx.User(r.CoordinatorID)
			if err != nil {
				return err
			}
			if err := s.postCVEComment(tx, vmt.Actor{User: u}, r, before.CVEs); err != nil {
				return err
			}
		}
		done = true
		return s.auditDiff(tx, vmt.Actor{}, vmt.AuditReportCVEReserve, r.ProjectID, r.ID, subject("report", r.ID), &before, r)
	})
	return done, err
}

// BringInAdvisory files advisory a of project projectID's repository as a
// private report, once: its GHSA id is stored with the report in the same
// transaction under a unique key, so that a second round, or a second
// instance, finds it in. It returns the report and whether it filed it.
// The reporter is the account the advisory's author's GitHub login is
// linked to; else the account of the author's public address (as a mail
// from it would be filed), else a new reporter account under the author's
// GitHub no-reply address; the login is then linked to it.
func (s *Service) BringInAdvisory(ctx context.Context, projectID int64, a *vmt.ForgeAdvisory) (int64, bool, error) {
	if a.GHSA == "" || len(a.GHSA) > 100 {
		return 0, false, vmt.Invalid("ghsa_id", "an advisory has an id")
	}
	var id int64
	filed := false
	err := s.deps.Store.Update(ctx, func(tx vmt.Tx) error {
		if l, err := tx.ForgeAdvisoryByGHSA(projectID, a.GHSA); err == nil {
			id = l.ReportID
			return nil
		} else if vmt.ErrorCode(err) != vmt.ENOTFOUND {
			return err
		}
		p, err := tx.Project(projectID)
		if err != nil {
			return err
		}
		u, err := s.forgeReporter(tx, a)
		if err != nil {
			return err
		}
		now := s.now()
		title := clip(cleanLine(a.Summary), vmt.MaxTitleLen)
		if strings.TrimSpace(title) == "" {
			title = "Report on GitHub by @" + loginOf(a.Reporter)
		}
		body := cleanText(a.Description)
		if limit := vmt.MaxDescriptionBytes - 4096; len(body) > limit {
			body = clipBytes(body, limit) + "\n\n(The text goes on in the advisory on GitHub.)"
		}
		if strings.TrimSpace(body) == "" {
			body = "(The report had no text.)"
		}
		r := &vmt.Report{Title: title, Description: ghsaProvenance(a) + body, Visibility: vmt.Private, Status: vmt.StatusNew,
			Affected: ghsaAffected(a), CVEs: []string{}, NeverDisclose: []string{}, CreatedAt: now, UpdatedAt: now}
		if err := r.Validate(); err != nil {
			return err
		}
		vmt.AddReminder(r)
		actor := vmt.Actor{User: u}
		if err := s.fileReport(tx, actor, r, p.Name); err != nil {
			return err
		}
		l := &vmt.ForgeAdvisoryLink{ReportID: r.ID, ProjectID: projectID, GHSA: a.GHSA, Login: loginOf(a.Reporter),
			URL: a.URL, LinkedAt: now}
		if err := tx.AddForgeAdvisoryLink(l); err != nil {
			return err
		}
		if err := s.audit(tx, actor, vmt.AuditReportIntake, p.ID, r.ID, subject("report", r.ID), nil,
			map[string]any{"ghsa_id": a.GHSA, "login": l.Login, "url": a.URL}); err != nil {
			return err
		}
		id, filed = r.ID, true
		return nil
	})
	if vmt.ErrorCode(err) == vmt.ECONFLICT {
		// Another instance brought it in meanwhile.
		err = s.deps.Store.ViewOne(ctx, func(tx vmt.Tx) error {
			l, err := tx.ForgeAdvisoryByGHSA(projectID, a.GHSA)
			if err == nil {
				id, filed = l.ReportID, false
			}
			return err
		})
	}
	return id, filed, err
}

// forgeReporter is the account an advisory by a.Reporter is filed for.
func (s *Service) forgeReporter(tx vmt.Tx, a *vmt.ForgeAdvisory) (*vmt.User, error) {
	login := loginOf(a.Reporter)
	if login == "" || login != a.Reporter {
		return nil, vmt.Invalid("author", "the advisory has no author with a GitHub login")
	}
	if id, err := tx.ForgeLoginUser(login); err == nil {
		u, err := tx.User(id)
		if err != nil {
			return nil, err
		}
		if u.Disabled {
			return nil, vmt.Invalid("author", "@%s is linked to a disabled account: the VMT files this report by hand", login)
		}
		return u, nil
	} else if vmt.ErrorCode(err) != vmt.ENOTFOUND {
		return nil, err
	}
	var u *vmt.User
	if addr, err := vmt.NormalizeEmail("email", a.ReporterEmail); err == nil {
		// GitHub shows only a verified address as a profile's.
		if u, err = s.intakeReporter(tx, addr, login); err != nil && vmt.ErrorCode(err) != vmt.EINVALID {
			return nil, err
		}
	}
	if u == nil {
		addr := fmt.Sprintf("%d+%s@users.noreply.github.com", a.ReporterID, strings.ToLower(login))
		var err error
		if u, err = s.intakeReporter(tx, addr, login); err != nil {
			return nil, err
		}
	}
	return u, tx.SetForgeLogin(login, u.ID)
}

// ghsaProvenance is the line that opens a report brought in from GitHub:
// where it came from and what the reporter said of it, for those who
// triage it.
func ghsaProvenance(a *vmt.ForgeAdvisory) string {
	var b strings.Builder
	fmt.Fprintf(&b, "_Reported on GitHub by @%s through private vulnerability reporting, as %s", loginOf(a.Reporter), a.GHSA)
	if u, err := url.Parse(a.URL); err == nil && u.Scheme == "https" {
		fmt.Fprintf(&b, " (%s)", a.URL)
	}
	b.WriteString("._\n\n")
	var facts []string
	if a.Severity != "" {
		facts = append(facts, "severity "+cleanLine(a.Severity))
	}
	if a.CVSS != "" {
		facts = append(facts, "CVSS `"+strings.ReplaceAll(cleanLine(a.CVSS), "`", "")+"`")
	}
	if len(a.CWEs) > 0 {
		facts = append(facts, cleanLine(strings.Join(a.CWEs, ", ")))
	}
	for _, p := range a.Packages {
		s := cleanLine(p.Ecosystem + " " + p.Name)
		if p.VulnerableRange != "" {
			s += " " + cleanLine(p.VulnerableRange)
		}
		if p.Patched != "" {
			s += " (patched " + cleanLine(p.Patched) + ")"
		}
		facts = append(facts, "affects "+strings.TrimSpace(s))
	}
	if len(facts) > 0 {
		b.WriteString("_The reporter says: " + clip(strings.Join(facts, "; "), 2000) + "._\n\n")
	}
	return b.String()
}

// ghsaAffected is the affected record of a report brought in: the first
// package the advisory names in an ecosystem vmt knows, as the project as
// a whole (the component is the VMT's to name), its versions to be
// written. None when it names none.
func ghsaAffected(a *vmt.ForgeAdvisory) []vmt.AffectedEntry {
	for _, p := range a.Packages {
		if eco := vmt.OSVEcosystem(p.Ecosystem); eco != "" && p.Name != "" {
			in := []vmt.AffectedEntry{{Ecosystem: eco, Package: p.Name}}
			if out, err := vmt.NormalizeAffected("affected", in); err == nil {
				return out
			}
		}
	}
	return []vmt.AffectedEntry{}
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
		if r.CVERequestedAt != nil {
			return &vmt.Error{Code: vmt.ECONFLICT, Field: "cve_requested_at", Message: "a CVE request is already recorded"}
		}
		t := s.now()
		r.CVERequestedAt = &t
		req := vmt.ForgeRequest{Op: vmt.ForgeRequestCVE, ProjectID: r.ProjectID, ReportID: r.ID}
		if err := enqueueJSON(tx, "forge:ghsa-cve:"+itoa(int(r.ID)), vmt.KindForge, r.ID, req, t); err != nil {
			return err
		}
		if r.Status == vmt.StatusTriaged {
			return s.move(tx, a, r, vmt.StatusInProgress, "", false)
		}
		return nil
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
		ghsa, err := s.ensureForgeAdvisory(ctx, fa, f, r, link, in)
		if err != nil {
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
	case vmt.ForgeRequestCVE:
		in := &vmt.ForgeAdvisory{Summary: r.Title, Packages: reportPackages(r, project),
			Description: fmt.Sprintf("Report #%d in vmt. vmt fills this advisory from its own at the disclosure.", r.ID)}
		var ghsa string
		if link != nil {
			ghsa = link.GHSA // the reporter's advisory, left as they wrote it
		} else if ghsa, err = s.ensureForgeAdvisory(ctx, fa, f, r, nil, in); err != nil {
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
		return ignoreConflict(tx.AddForgeAdvisoryLink(&vmt.ForgeAdvisoryLink{ReportID: r.ID, ProjectID: r.ProjectID,
			GHSA: id, URL: u, LinkedAt: s.now()}))
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
