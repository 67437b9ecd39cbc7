package app

import (
	"context"
	"encoding/json"
	"slices"

	"github.com/vmtproject/vmt"
)

// CNASettingsOf returns a project's CVE Services settings (disabled until
// it sets them). Its VMT and administrators.
func (s *Service) CNASettingsOf(ctx context.Context, a vmt.Actor, project string) (*vmt.CNASettings, error) {
	var c *vmt.CNASettings
	err := s.deps.Store.View(ctx, func(tx vmt.Tx) error {
		p, err := s.projectVMT(tx, a, project, vmt.ProjectCNA)
		if err != nil {
			return err
		}
		c, err = cnaSettings(tx, p.ID)
		return err
	})
	return c, err
}

func cnaSettings(tx vmt.Tx, projectID int64) (*vmt.CNASettings, error) {
	c, err := tx.CNASettings(projectID)
	if vmt.ErrorCode(err) == vmt.ENOTFOUND {
		return &vmt.CNASettings{ProjectID: projectID}, nil
	}
	return c, err
}

// SetCNASettings replaces a project's CVE Services settings. The settings
// hold where the API key is read, never the key, so the audit event may
// show them whole. Its VMT and administrators.
func (s *Service) SetCNASettings(ctx context.Context, a vmt.Actor, project string, in vmt.CNASettings) (*vmt.CNASettings, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	err := s.deps.Store.Update(ctx, func(tx vmt.Tx) error {
		p, err := s.projectVMT(tx, a, project, vmt.ProjectCNA)
		if err != nil {
			return err
		}
		old, err := cnaSettings(tx, p.ID)
		if err != nil {
			return err
		}
		// Where the server reads a secret, and where it sends it, are the
		// server's administrator's to choose: a project's VMT who could
		// set them could have any variable or file of the server sent to
		// a host of their own as "the key".
		if !a.IsAdmin() {
			switch {
			case in.APIKeyRef != old.APIKeyRef:
				return &vmt.Error{Code: vmt.EFORBIDDEN, Field: "api_key_ref", Message: "only an administrator may set where the server reads the API key"}
			case in.Endpoint != old.Endpoint:
				return &vmt.Error{Code: vmt.EFORBIDDEN, Field: "endpoint", Message: "only an administrator may set the CVE Services endpoint, where the key is sent"}
			}
		}
		in.ProjectID = p.ID
		if err := tx.SetCNASettings(&in); err != nil {
			return err
		}
		return s.auditDiff(tx, a, vmt.AuditProjectCNA, p.ID, 0, subject("project", p.ID), old, &in)
	})
	if err != nil {
		return nil, err
	}
	return &in, nil
}

// cna returns the enabled CVE Services settings of a project, or EINVALID
// saying it is not a CNA here.
func (s *Service) cna(tx vmt.Tx, p *vmt.Project) (*vmt.CNASettings, error) {
	c, err := cnaSettings(tx, p.ID)
	if err != nil {
		return nil, err
	}
	if !c.Enabled {
		return nil, vmt.Invalid("project", "project %s is not a CNA here: set and enable its CVE Services settings first", p.Name)
	}
	if s.deps.CVE == nil {
		return nil, vmt.Errorf(vmt.EINVALID, "this instance has no CVE Services client")
	}
	return c, nil
}

// ReserveCVE reserves a CVE id of the current year through CVE Services
// for a report of a project that is a CNA, and records it on the report,
// which retitles it "$TITLE ($CVE)" (audited as report.cve_reserve). The
// reservation is made outside the transaction, as it waits on the
// network; should recording it fail, the id stays reserved with the CNA
// and the error names it, so it can be recorded by hand. The report's VMT.
func (s *Service) ReserveCVE(ctx context.Context, a vmt.Actor, reportID int64) (*vmt.ReportView, error) {
	var c *vmt.CNASettings
	err := s.deps.Store.View(ctx, func(tx vmt.Tx) error {
		r, _, err := s.loadReport(tx, a, reportID, vmt.ActionCoordinate)
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
	id, err := s.deps.CVE.Reserve(ctx, c, s.now().Year())
	if err != nil {
		return nil, err
	}
	v, err := s.change(ctx, a, reportID, vmt.ActionCoordinate, vmt.AuditReportCVEReserve, func(tx vmt.Tx, r *vmt.Report, _ vmt.Access) error {
		cves := append(slices.Clone(r.CVEs), id)
		if err := vmt.CheckCVEs(cves); err != nil {
			return err
		}
		r.Title = vmt.Retitle(r.Title, r.CVEs, cves)
		before := r.CVEs
		r.CVEs = cves
		return s.postCVEComment(tx, a, r, before)
	})
	if err != nil {
		if s.deps.Log != nil {
			s.deps.Log.Error("a reserved CVE id could not be recorded", "report", reportID, "cve", id, "err", err)
		}
		return nil, vmt.Errorf(vmt.ErrorCode(err), "%s was reserved but not recorded on the report: %v", id, err)
	}
	return v, nil
}

// PublishCVE queues the publication, through CVE Services, of the CVE
// record of a published advisory (cve: one of its CVEs, "" when it has
// exactly one), as an outbox item keyed by advisory, CVE and revision: the
// worker publishes it, retrying while the service cannot be reached, and
// audits advisory.cve_publish. The record is written first (CVEServices'
// Check), so what the service would refuse for its content is refused
// now. ECONFLICT when this revision is queued already. Only a published
// advisory of a project that is a CNA; the report's VMT.
func (s *Service) PublishCVE(ctx context.Context, a vmt.Actor, recordID int64, cve string) (*vmt.CVEPublication, error) {
	var res *vmt.CVEPublication
	err := s.deps.Store.Update(ctx, func(tx vmt.Tx) error {
		d, err := s.loadAdvisory(tx, a, recordID, vmt.ActionCoordinate)
		if err != nil {
			return err
		}
		if d.State != vmt.AdvisoryPublished {
			return &vmt.Error{Code: vmt.ECONFLICT, Field: "state", Message: "only a published advisory has a CVE record to publish"}
		}
		p, err := tx.Project(d.ProjectID)
		if err != nil {
			return err
		}
		c, err := s.cna(tx, p)
		if err != nil {
			return err
		}
		if cve, err = pickCVE(d, cve); err != nil {
			return err
		}
		pub, err := publishedOne(tx, d)
		if err != nil {
			return err
		}
		if err := s.deps.CVE.Check(c, cve, pub); err != nil {
			return err
		}
		now := s.now()
		req := vmt.CVEPublishRequest{AdvisoryID: d.RecordID, CVE: cve, Revision: len(d.Revisions)}
		key := "cve-publish:" + itoa(int(d.RecordID)) + ":" + cve + ":" + itoa(req.Revision)
		if err := enqueueJSON(tx, key, vmt.KindCVEPublish, d.ReportID, req, now); vmt.ErrorCode(err) == vmt.ECONFLICT {
			return &vmt.Error{Code: vmt.ECONFLICT, Field: "cve", Message: "the record of " + cve + " for this revision is queued or published already"}
		} else if err != nil {
			return err
		}
		res = &vmt.CVEPublication{AdvisoryID: d.ID.String(), CVE: cve, Revision: req.Revision, OutboxKey: key, QueuedAt: now}
		return s.audit(tx, a, vmt.AuditAdvisoryCVEPublishQueued, d.ProjectID, d.ReportID, "advisory:"+itoa(int(d.RecordID)), nil, res)
	})
	return res, err
}

// DeliverCVEPublication carries out a KindCVEPublish item, as the system:
// it publishes the record of the advisory as it stands and audits
// advisory.cve_publish (created or updated). An advisory no longer
// published, a project no longer a CNA, or a refusal of the service for
// the request is EINVALID or ENOTFOUND, which no retry cures; a service
// that cannot be reached is worth a retry.
func (s *Service) DeliverCVEPublication(ctx context.Context, o *vmt.OutboxItem) error {
	var req vmt.CVEPublishRequest
	if err := json.Unmarshal(o.Payload, &req); err != nil {
		return vmt.Invalid("payload", "CVE publication item %s: %v", o.Key, err)
	}
	var (
		d *vmt.Advisory
		c *vmt.CNASettings
	)
	err := s.deps.Store.View(ctx, func(tx vmt.Tx) (err error) {
		if d, err = tx.Advisory(req.AdvisoryID); err != nil {
			return err
		}
		// The record is a publication: it withholds what the reporter
		// marked, as it stands when it goes out.
		if d, err = publishedOne(tx, d); err != nil {
			return err
		}
		if d.State != vmt.AdvisoryPublished || !slices.Contains(d.CVEs, req.CVE) {
			return vmt.Invalid("advisory", "%s no longer publishes %s", d.ID, req.CVE)
		}
		p, err := tx.Project(d.ProjectID)
		if err != nil {
			return err
		}
		c, err = s.cna(tx, p)
		return err
	})
	if err != nil {
		return err
	}
	updated, err := s.deps.CVE.Publish(ctx, c, req.CVE, d)
	if err != nil {
		return err
	}
	return s.deps.Store.Update(ctx, func(tx vmt.Tx) error {
		return s.audit(tx, vmt.Anonymous, vmt.AuditAdvisoryCVEPublish, d.ProjectID, d.ReportID, "advisory:"+itoa(int(d.RecordID)), nil,
			map[string]any{"cve": req.CVE, "revision": req.Revision, "updated": updated})
	})
}

func pickCVE(d *vmt.Advisory, cve string) (string, error) {
	switch {
	case cve == "" && len(d.CVEs) == 1:
		return d.CVEs[0], nil
	case cve == "" && len(d.CVEs) == 0:
		return "", vmt.Invalid("cves", "%s has no CVE id", d.ID)
	case cve == "":
		return "", vmt.Invalid("cve", "%s has several CVE ids; name one", d.ID)
	case !slices.Contains(d.CVEs, cve):
		return "", vmt.Invalid("cve", "%s does not list %s", d.ID, cve)
	}
	return cve, nil
}
