package app

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/vmtproject/vmt"
)

// Private vulnerability reports in (issue 16, item 3): each round reads
// the repository advisories in triage of every project with its GitHub
// repository set up and files those not in yet as private reports; for a
// project whose CNA is GitHub it also records on their reports the CVE ids
// GitHub's CNA assigned.

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
