package vmt

import (
	"context"
	"slices"
	"time"
)

// CNASettingsOf returns a project's CVE Services settings (disabled until
// it sets them). Its VMT and administrators.
func (s *Service) CNASettingsOf(ctx context.Context, a Actor, project string) (*CNASettings, error) {
	var c *CNASettings
	err := s.Store.View(ctx, func(tx Tx) error {
		p, err := s.cnaProject(tx, a, project)
		if err != nil {
			return err
		}
		c, err = cnaSettings(tx, p.ID)
		return err
	})
	return c, err
}

func cnaSettings(tx Tx, projectID int64) (*CNASettings, error) {
	c, err := tx.CNASettings(projectID)
	if ErrorCode(err) == ENOTFOUND {
		return &CNASettings{ProjectID: projectID}, nil
	}
	return c, err
}

// SetCNASettings replaces a project's CVE Services settings. The settings
// hold where the API key is read, never the key, so the audit event may
// show them whole. Its VMT and administrators.
func (s *Service) SetCNASettings(ctx context.Context, a Actor, project string, in CNASettings) (*CNASettings, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	err := s.Store.Update(ctx, func(tx Tx) error {
		p, err := s.cnaProject(tx, a, project)
		if err != nil {
			return err
		}
		old, err := cnaSettings(tx, p.ID)
		if err != nil {
			return err
		}
		in.ProjectID = p.ID
		if err := tx.SetCNASettings(&in); err != nil {
			return err
		}
		return s.auditDiff(tx, a, "project.cna", p.ID, 0, subject("project", p.ID), old, &in)
	})
	if err != nil {
		return nil, err
	}
	return &in, nil
}

func (s *Service) cnaProject(tx Tx, a Actor, project string) (*Project, error) {
	p, err := s.projectVMT(tx, a, project)
	if ErrorCode(err) == EFORBIDDEN {
		return nil, Errorf(EFORBIDDEN, "only the project's VMT may manage its CVE Services settings")
	}
	return p, err
}

// cna returns the enabled CVE Services settings of a project, or EINVALID
// saying it is not a CNA here.
func (s *Service) cna(tx Tx, p *Project) (*CNASettings, error) {
	c, err := cnaSettings(tx, p.ID)
	if err != nil {
		return nil, err
	}
	if !c.Enabled {
		return nil, Invalid("project", "project %s is not a CNA here: set and enable its CVE Services settings first", p.Name)
	}
	if s.CVE == nil {
		return nil, Errorf(EINVALID, "this instance has no CVE Services client")
	}
	return c, nil
}

// ReserveCVE reserves a CVE id of the current year through CVE Services
// for a report of a project that is a CNA, and records it on the report,
// which retitles it "$TITLE ($CVE)" (audited as report.cve_reserve). The
// reservation is made outside the transaction, as it waits on the
// network; should recording it fail, the id stays reserved with the CNA
// and the error names it, so it can be recorded by hand. The report's VMT.
func (s *Service) ReserveCVE(ctx context.Context, a Actor, reportID int64) (*ReportView, error) {
	var c *CNASettings
	err := s.Store.View(ctx, func(tx Tx) error {
		r, _, err := s.loadReport(tx, a, reportID, ActionCoordinate)
		if err != nil {
			return err
		}
		p, err := tx.Project(r.ProjectID)
		if err != nil {
			return err
		}
		c, err = s.cna(tx, p)
		return err
	})
	if err != nil {
		return nil, err
	}
	id, err := s.CVE.Reserve(ctx, c, s.now().Year())
	if err != nil {
		return nil, err
	}
	v, err := s.change(ctx, a, reportID, ActionCoordinate, "report.cve_reserve", func(_ Tx, r *Report, _ Access) error {
		cves := append(slices.Clone(r.CVEs), id)
		if err := checkCVEs(cves); err != nil {
			return err
		}
		r.Title = retitle(r.Title, r.CVEs, cves)
		r.CVEs = cves
		return nil
	})
	if err != nil {
		if s.Log != nil {
			s.Log.Error("a reserved CVE id could not be recorded", "report", reportID, "cve", id, "err", err)
		}
		return nil, Errorf(ErrorCode(err), "%s was reserved but not recorded on the report: %v", id, err)
	}
	return v, nil
}

// CVEPublication is the outcome of publishing an advisory's CVE record.
type CVEPublication struct {
	AdvisoryID string    `json:"advisory_id"`
	CVE        string    `json:"cve"`
	Updated    bool      `json:"updated"` // a record published before was replaced
	At         time.Time `json:"at"`
}

// PublishCVE publishes, through CVE Services, the CVE record of a published
// advisory (cve: one of its CVEs, "" when it has exactly one), and audits
// it as advisory.cve_publish. Only a published advisory of a project that
// is a CNA; the report's VMT.
func (s *Service) PublishCVE(ctx context.Context, a Actor, recordID int64, cve string) (*CVEPublication, error) {
	var (
		d *Advisory
		c *CNASettings
	)
	err := s.Store.View(ctx, func(tx Tx) (err error) {
		if d, err = s.loadAdvisory(tx, a, recordID, ActionCoordinate); err != nil {
			return err
		}
		if d.State != AdvisoryPublished {
			return &Error{Code: ECONFLICT, Field: "state", Message: "only a published advisory has a CVE record to publish"}
		}
		p, err := tx.Project(d.ProjectID)
		if err != nil {
			return err
		}
		c, err = s.cna(tx, p)
		return err
	})
	if err != nil {
		return nil, err
	}
	if cve, err = pickCVE(d, cve); err != nil {
		return nil, err
	}
	updated, err := s.CVE.Publish(ctx, c, cve, d)
	if err != nil {
		return nil, err
	}
	res := &CVEPublication{AdvisoryID: d.ID.String(), CVE: cve, Updated: updated, At: s.now()}
	err = s.Store.Update(ctx, func(tx Tx) error {
		return s.audit(tx, a, "advisory.cve_publish", d.ProjectID, d.ReportID, "advisory:"+itoa(int(d.RecordID)), nil, res)
	})
	return res, err
}

func pickCVE(d *Advisory, cve string) (string, error) {
	switch {
	case cve == "" && len(d.CVEs) == 1:
		return d.CVEs[0], nil
	case cve == "" && len(d.CVEs) == 0:
		return "", Invalid("cves", "%s has no CVE id", d.ID)
	case cve == "":
		return "", Invalid("cve", "%s has several CVE ids; name one", d.ID)
	case !slices.Contains(d.CVEs, cve):
		return "", Invalid("cve", "%s does not list %s", d.ID, cve)
	}
	return cve, nil
}
