package app

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/vmtproject/vmt"
)

// loadReport returns report id and the actor's access to it, or ENOTFOUND
// when the report is absent or hidden from the actor, or the error of
// Access.Require when act is not the actor's to do.
func (s *Service) loadReport(tx vmt.Tx, a vmt.Actor, id int64, act vmt.Action) (*vmt.Report, vmt.Access, error) {
	r, g, err := tx.ReportFor(id, a.ID())
	if err != nil {
		return nil, vmt.Access{}, err
	}
	acc := vmt.AccessOf(a, r, g)
	if err := acc.Require(act, r); err != nil {
		return nil, acc, err
	}
	return r, acc, nil
}

// view is r as one with acc sees it (redact); one asks for the details
// of the view of a single report (WithheldIn, for the VMT). It reads tx
// only when r has never-disclose marks.
func (s *Service) view(tx vmt.Tx, r *vmt.Report, acc vmt.Access, one bool) (*vmt.ReportView, error) {
	w, err := withheldOf(tx, r)
	if err != nil {
		return nil, err
	}
	return s.viewWith(tx, r, acc, w, one)
}

// viewWith is view with what r's marks withhold already read.
func (s *Service) viewWith(tx vmt.Tx, r *vmt.Report, acc vmt.Access, w vmt.Withheld, one bool) (*vmt.ReportView, error) {
	var err error
	v := &vmt.ReportView{Report: vmt.Redact(r, acc, w), NextStatuses: []vmt.Status{}}
	if acc.SeesWithheld() {
		v.Withheld = w
	}
	if acc.Can(vmt.ActionCoordinate, r) {
		v.NextStatuses = vmt.NextStatuses(r.Status)
		if one {
			if v.WithheldIn, err = storedIn(tx, r, w); err != nil {
				return nil, err
			}
		}
	}
	return v, nil
}

// projectFor resolves the project a new report goes to.
func projectFor(tx vmt.Tx, name string) (*vmt.Project, error) {
	if name != "" {
		p, err := tx.ProjectByName(name)
		if vmt.ErrorCode(err) == vmt.ENOTFOUND {
			return nil, vmt.Invalid("project", "no project is named %q", name)
		}
		return p, err
	}
	ps, err := tx.Projects()
	if err != nil {
		return nil, err
	}
	if len(ps) != 1 {
		return nil, vmt.Invalid("project", "name the project (this instance has %d)", len(ps))
	}
	return ps[0], nil
}

// CreateReport files a private report by a signed-in actor, with the embargo
// reminder prefixed to its description.
func (s *Service) CreateReport(ctx context.Context, a vmt.Actor, in vmt.ReportInput) (*vmt.ReportView, error) {
	if err := vmt.RequireAuth(a); err != nil {
		return nil, err
	}
	r, err := s.newReport(in)
	if err != nil {
		return nil, err
	}
	var v *vmt.ReportView
	err = s.deps.Store.Update(ctx, func(tx vmt.Tx) error {
		if err := s.fileReport(tx, a, r, in.Project); err != nil {
			return err
		}
		v, err = s.view(tx, r, vmt.Access{Authenticated: true, Reporter: true, Admin: a.IsAdmin()}, true)
		return err
	})
	if err != nil {
		return nil, err
	}
	return v, nil
}

// CheckReport refuses, as CreateReport would, a report that could not be
// filed: invalid fields, an unknown project, or none named where the
// instance has several. It stores nothing, so that a form can be checked
// before anyone is signed in for it.
func (s *Service) CheckReport(ctx context.Context, in vmt.ReportInput) error {
	if _, err := s.newReport(in); err != nil {
		return err
	}
	return s.deps.Store.ViewOne(ctx, func(tx vmt.Tx) error {
		_, err := projectFor(tx, in.Project)
		return err
	})
}

// newReport is the report in describes, checked, with the embargo reminder;
// the reporter and the project are set when it is filed.
func (s *Service) newReport(in vmt.ReportInput) (*vmt.Report, error) {
	now := s.now()
	record, err := in.Record()
	if err != nil {
		return nil, err
	}
	r := &vmt.Report{
		Title: strings.TrimSpace(in.Title), Description: in.Description,
		Visibility: vmt.Private, Status: vmt.StatusNew, Affected: record,
		Credit: in.Credit, CVEs: []string{},
		ReporterTerms: in.ReporterTerms, NeverDisclose: orEmpty(in.NeverDisclose),
		CreatedAt: now, UpdatedAt: now,
	}
	if err := r.Validate(); err != nil {
		return nil, err
	}
	vmt.AddReminder(r)
	return r, nil
}

// intakeBound refuses a report from a reporter who filed
// Deps.ReportsPerDay in the last day (duplicate.go): a flood from one
// sender waits, and says so, rather than filling the VMT's queue. The
// project's own members and administrators are not bounded.
func (s *Service) intakeBound(tx vmt.Tx, a vmt.Actor, p *vmt.Project) error {
	if s.deps.ReportsPerDay <= 0 || a.User.Role == vmt.RoleAdmin {
		return nil
	}
	if _, err := tx.Member(p.ID, a.ID()); err == nil {
		return nil
	} else if vmt.ErrorCode(err) != vmt.ENOTFOUND {
		return err
	}
	n, err := tx.ReportsFiledSince(a.ID(), s.now().Add(-24*time.Hour))
	if err != nil {
		return err
	}
	return vmt.CheckIntake(n, s.deps.ReportsPerDay)
}

// fileReport stores r, reported by a, in the project named project.
func (s *Service) fileReport(tx vmt.Tx, a vmt.Actor, r *vmt.Report, project string) error {
	p, err := projectFor(tx, project)
	if err != nil {
		return err
	}
	r.ReporterID, r.ProjectID = a.User.ID, p.ID
	if err := s.intakeBound(tx, a, p); err != nil {
		return err
	}
	if err := s.projectReminder(tx, p, r); err != nil {
		return err
	}
	if err := tx.CreateReport(r); err != nil {
		return err
	}
	if err := s.audit(tx, a, vmt.AuditReportCreate, p.ID, r.ID, subject("report", r.ID), nil, r); err != nil {
		return err
	}
	return s.notify(tx, a, vmt.NotifyNewReport, r, notifyOf{Ref: "created", Text: r.Description})
}

// Report returns report id as a sees it.
func (s *Service) Report(ctx context.Context, a vmt.Actor, id int64) (*vmt.ReportView, error) {
	// The read is kept a moment (credcache.go); access is decided
	// afresh on every request, from it and the actor.
	k := reportKey{id, a.ID()}
	wc, counted := s.raw.(writeCounter)
	var writes uint64
	if counted {
		writes = wc.Writes()
	}
	read, gen := s.reports.get(k)
	if read != nil && (!counted || read.writes != writes) {
		read = nil
	}
	if read == nil {
		read = &reportRead{writes: writes}
		err := s.deps.Store.ViewOne(ctx, func(tx vmt.Tx) (err error) {
			var rr *vmt.Report
			rr, read.g, err = tx.ReportFor(id, a.ID())
			if err == nil {
				read.r = *rr
			}
			return err
		})
		if err != nil {
			return nil, err
		}
		if counted {
			s.reports.put(k, read, gen)
		}
	}
	r := &read.r
	acc := vmt.AccessOf(a, r, read.g)
	if err := acc.Require(vmt.ActionView, r); err != nil {
		return nil, err
	}
	var v *vmt.ReportView
	var err error
	if len(r.NeverDisclose) == 0 {
		// Nothing is withheld: the view reads nothing more, and the
		// report stays one statement.
		v, err = s.view(nil, r, acc, true)
	} else {
		err = s.deps.Store.View(ctx, func(tx vmt.Tx) (err error) {
			v, err = s.view(tx, r, acc, true)
			return err
		})
	}
	if err != nil {
		return nil, err
	}
	// A public report's issue and pull requests, when this instance has a
	// forge (forge_hour.go): public links, read for the view of one.
	if v.Forge, err = s.reportForge(ctx, r); err != nil {
		return nil, err
	}
	return v, nil
}

// Reports lists the reports a may see that match f, and their count.
func (s *Service) Reports(ctx context.Context, a vmt.Actor, f vmt.ReportFilter) ([]*vmt.ReportView, int, error) {
	var err error
	if f.Limit, f.Offset, err = clampPage(f.Limit, f.Offset); err != nil {
		return nil, 0, err
	}
	if err = vmt.CheckQuery(f.Query); err != nil {
		return nil, 0, err
	}
	f.Viewer = a.Viewer()
	var out []*vmt.ReportView
	var total int
	err = s.deps.Store.View(ctx, func(tx vmt.Tx) error {
		rs, n, err := tx.Reports(f)
		if err != nil {
			return err
		}
		total = n
		out = make([]*vmt.ReportView, 0, len(rs))
		roles := map[int64]vmt.MemberRole{} // the actor's role per project, looked up once
		for _, r := range rs {
			g, err := s.listGrants(tx, a, r, roles)
			if err != nil {
				return err
			}
			acc := vmt.AccessOf(a, r, g)
			if !acc.CanView(r) {
				// The store's filter and the policy disagree: refuse to
				// answer rather than show a report the policy hides.
				return vmt.Errorf(vmt.EINTERNAL, "report list filter disagrees with policy on report %d", r.ID)
			}
			w, err := withheldOf(tx, r)
			if err != nil {
				return err
			}
			if f.Query != "" && acc.Withhold(w).Searched(f.Query) {
				// Found by what is withheld from the actor: finding it
				// would say the value is in it.
				total--
				continue
			}
			v, err := s.viewWith(tx, r, acc, w, false)
			if err != nil {
				return err
			}
			out = append(out, v)
		}
		return nil
	})
	return out, total, err
}

// StatusCounts counts the reports a may see that match f, by status (f's
// own status filter aside), for the labels of a dashboard. A plain filter
// is one statement; a search keeps the bounded count of Reports per status
// (see MaxSearchMatches).
func (s *Service) StatusCounts(ctx context.Context, a vmt.Actor, f vmt.ReportFilter) (map[vmt.Status]int, error) {
	if err := vmt.CheckQuery(f.Query); err != nil {
		return nil, err
	}
	if strings.TrimSpace(f.Query) != "" {
		out := map[vmt.Status]int{}
		for _, st := range vmt.Statuses {
			cf := f
			cf.Status, cf.Limit, cf.Offset = st.Status, 1, 0
			_, n, err := s.Reports(ctx, a, cf)
			if err != nil {
				return nil, err
			}
			if n > 0 {
				out[st.Status] = n
			}
		}
		return out, nil
	}
	f.Viewer = a.Viewer()
	var out map[vmt.Status]int
	err := s.deps.Store.View(ctx, func(tx vmt.Tx) (err error) { out, err = tx.CountByStatus(f); return err })
	return out, err
}

// listGrants returns the grants of a to r for a list: the project role is
// looked up once per project, the subscription only when nothing else lets
// a see r, so that a page costs a few queries rather than two per report.
func (s *Service) listGrants(tx vmt.Tx, a vmt.Actor, r *vmt.Report, roles map[int64]vmt.MemberRole) (vmt.Grants, error) {
	var g vmt.Grants
	if a.User == nil {
		return g, nil
	}
	role, ok := roles[r.ProjectID]
	if !ok {
		m, err := tx.Member(r.ProjectID, a.User.ID)
		switch vmt.ErrorCode(err) {
		case "":
			role = m.Role
		case vmt.ENOTFOUND:
		default:
			return g, err
		}
		roles[r.ProjectID] = role
	}
	g.MemberRole = role
	if !vmt.AccessOf(a, r, g).CanView(r) {
		var err error
		if g.Subscribed, err = tx.Subscribed(r.ID, a.User.ID); err != nil {
			return g, err
		}
	}
	return g, nil
}

// change loads report id for act, lets fn change it, validates, stores it
// and records the change as one audit event.
func (s *Service) change(ctx context.Context, a vmt.Actor, id int64, act vmt.Action, action string, fn func(tx vmt.Tx, r *vmt.Report, acc vmt.Access) error) (*vmt.ReportView, error) {
	var v *vmt.ReportView
	err := s.deps.Store.Update(ctx, func(tx vmt.Tx) error {
		r, acc, err := s.loadReport(tx, a, id, act)
		if err != nil {
			return err
		}
		before := *r
		if err := fn(tx, r, acc); err != nil {
			return err
		}
		if err := r.Validate(); err != nil {
			return err
		}
		if err := s.followRecord(tx, a, &before, r); err != nil {
			return err
		}
		r.UpdatedAt = s.now()
		if err := tx.UpdateReport(r); err != nil {
			return err
		}
		if v, err = s.view(tx, r, acc, true); err != nil {
			return err
		}
		if err := s.auditDiff(tx, a, action, r.ProjectID, r.ID, subject("report", r.ID), &before, r); err != nil {
			return err
		}
		return s.notifyChange(tx, a, &before, r)
	})
	return v, err
}

// notifyChange tells of what a change of r did that asks something of
// someone: a new coordinator, a new status.
func (s *Service) notifyChange(tx vmt.Tx, a vmt.Actor, before, r *vmt.Report) error {
	if r.CoordinatorID != 0 && r.CoordinatorID != before.CoordinatorID {
		u, err := tx.User(r.CoordinatorID)
		if err != nil {
			return err
		}
		ref := "coordinator:" + itoa(int(u.ID)) + ":" + r.UpdatedAt.UTC().Format("20060102T150405.000000Z")
		if err := s.notify(tx, a, vmt.NotifyAssigned, r, notifyOf{Ref: ref, Person: u, Text: r.Description}); err != nil {
			return err
		}
	}
	at := r.UpdatedAt.UTC().Format("20060102T150405.000000Z")
	switch {
	case r.Status != before.Status && closedWithoutDocument(r.Status):
		return nil // the closing comment told it (postClosed)
	case r.Status != before.Status:
		return s.notify(tx, a, vmt.NotifyStatusChange, r, notifyOf{Ref: "status:" + string(r.Status) + ":" + at,
			Text: statusChangeText(before.Status, r, before.Visibility == vmt.Private && r.Visibility == vmt.Public)})
	case before.Visibility == vmt.Private && r.Visibility == vmt.Public:
		// The embargo ended, at its date or early: those who follow the
		// report hear that it is public now.
		return s.notify(tx, a, vmt.NotifyDisclosed, r, notifyOf{Ref: "disclosed:" + at,
			Text: "The embargo ended on " + r.UpdatedAt.UTC().Format("2006-01-02 15:04 UTC") + ": the report is public."})
	}
	return nil
}

// statusChangeText says that r moved from status from, and that it is
// public now if the move made it so.
func statusChangeText(from vmt.Status, r *vmt.Report, madePublic bool) string {
	text := "The status changed from " + from.Label() + " to " + r.Status.Label() + "."
	if madePublic {
		text += " The report is public now."
	}
	return text
}

func orEmpty[T any](xs []T) []T {
	if xs == nil {
		return []T{}
	}
	return slices.Clone(xs)
}
