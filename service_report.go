package vmt

import (
	"context"
	"slices"
	"strings"
)

// ReportInput is what a reporter sends.
type ReportInput struct {
	Project          string   `json:"project"` // name; empty means the only project
	Title            string   `json:"title"`
	Description      string   `json:"description"`
	Components       []string `json:"components"`
	AffectedVersions string   `json:"affected_versions"`
	Credit           string   `json:"credit"`
	ReporterTerms    string   `json:"reporter_terms"`
	NeverDisclose    []string `json:"never_disclose"`
}

// ReportView is a report as one actor sees it: fields the reporter asked to
// keep undisclosed are blanked for anyone outside the VMT and the reporter,
// and the moves the actor may make are listed.
type ReportView struct {
	*Report
	NextStatuses []Status `json:"next_statuses"`
	// WithheldIn names, for the report's VMT, the stored texts that hold
	// a value the reporter's marks withhold (Withheld.StoredIn), so that
	// they can edit them; every output withholds the value meanwhile. It
	// is filled on the view of one report, not in lists.
	WithheldIn []string `json:"withheld_in,omitempty"`
	// Withheld is what the marks withhold, for those who see it (the VMT,
	// the reporter) to apply to what they send out: previews of the
	// documents, the CVE request. It is empty for everyone else, whose
	// view is already without it, and never leaves the server.
	Withheld Withheld `json:"-"`
}

// accessOf is what a is to r, given the store's grants for the pair.
func accessOf(a Actor, r *Report, g Grants) Access {
	if a.User == nil {
		return Access{}
	}
	return Access{
		Authenticated: true,
		Admin:         a.IsAdmin(),
		Coordinator:   g.MemberRole == MemberVMT,
		Reporter:      r.ReporterID == a.User.ID,
		Subscribed:    g.Subscribed,
		Reviewer:      g.MemberRole == MemberReviewer,
	}
}

// loadReport returns report id and the actor's access to it, or ENOTFOUND
// when the report is absent or hidden from the actor, or the error of
// Access.Require when act is not the actor's to do.
func (s *Service) loadReport(tx Tx, a Actor, id int64, act Action) (*Report, Access, error) {
	r, g, err := tx.ReportFor(id, a.ID())
	if err != nil {
		return nil, Access{}, err
	}
	acc := accessOf(a, r, g)
	if err := acc.Require(act, r); err != nil {
		return nil, acc, err
	}
	return r, acc, nil
}

// view is r as one with acc sees it (redact); one asks for the details
// of the view of a single report (WithheldIn, for the VMT). It reads tx
// only when r has never-disclose marks.
func (s *Service) view(tx Tx, r *Report, acc Access, one bool) (*ReportView, error) {
	w, err := withheldOf(tx, r)
	if err != nil {
		return nil, err
	}
	return s.viewWith(tx, r, acc, w, one)
}

// viewWith is view with what r's marks withhold already read.
func (s *Service) viewWith(tx Tx, r *Report, acc Access, w Withheld, one bool) (*ReportView, error) {
	var err error
	v := &ReportView{Report: redact(r, acc, w), NextStatuses: []Status{}}
	if acc.SeesWithheld() {
		v.Withheld = w
	}
	if acc.Can(ActionCoordinate, r) {
		v.NextStatuses = NextStatuses(r.Status)
		if one {
			if v.WithheldIn, err = storedIn(tx, r, w); err != nil {
				return nil, err
			}
		}
	}
	return v, nil
}

// redact returns r as seen by someone with acc: the VMT and the reporter see
// everything; others do not see what the reporter marked never to disclose
// (w), in any field or text.
func redact(r *Report, acc Access, w Withheld) *Report {
	if acc.SeesWithheld() || w.Empty() && r.TermsOverride == nil {
		return r
	}
	c := *acc.Withhold(w).Report(r)
	// Why the VMT set the reporter's date aside is between them.
	c.TermsOverride = nil
	return &c
}

// projectFor resolves the project a new report goes to.
func projectFor(tx Tx, name string) (*Project, error) {
	if name != "" {
		p, err := tx.ProjectByName(name)
		if ErrorCode(err) == ENOTFOUND {
			return nil, Invalid("project", "no project is named %q", name)
		}
		return p, err
	}
	ps, err := tx.Projects()
	if err != nil {
		return nil, err
	}
	if len(ps) != 1 {
		return nil, Invalid("project", "name the project (this instance has %d)", len(ps))
	}
	return ps[0], nil
}

// CreateReport files a private report by a signed-in actor, with the embargo
// reminder prefixed to its description.
func (s *Service) CreateReport(ctx context.Context, a Actor, in ReportInput) (*ReportView, error) {
	if err := requireAuth(a); err != nil {
		return nil, err
	}
	r, err := s.newReport(in)
	if err != nil {
		return nil, err
	}
	var v *ReportView
	err = s.Store.Update(ctx, func(tx Tx) error {
		if err := s.fileReport(tx, a, r, in.Project); err != nil {
			return err
		}
		v, err = s.view(tx, r, Access{Authenticated: true, Reporter: true, Admin: a.IsAdmin()}, true)
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
func (s *Service) CheckReport(ctx context.Context, in ReportInput) error {
	if _, err := s.newReport(in); err != nil {
		return err
	}
	return s.Store.ViewOne(ctx, func(tx Tx) error {
		_, err := projectFor(tx, in.Project)
		return err
	})
}

// newReport is the report in describes, checked, with the embargo reminder;
// the reporter and the project are set when it is filed.
func (s *Service) newReport(in ReportInput) (*Report, error) {
	now := s.now()
	r := &Report{
		Title: strings.TrimSpace(in.Title), Description: in.Description,
		Visibility: Private, Status: StatusNew, Components: orEmpty(in.Components),
		AffectedVersions: in.AffectedVersions, Credit: in.Credit, CVEs: []string{},
		ReporterTerms: in.ReporterTerms, NeverDisclose: orEmpty(in.NeverDisclose),
		CreatedAt: now, UpdatedAt: now,
	}
	if err := r.Validate(); err != nil {
		return nil, err
	}
	addReminder(r)
	return r, nil
}

// fileReport stores r, reported by a, in the project named project.
func (s *Service) fileReport(tx Tx, a Actor, r *Report, project string) error {
	p, err := projectFor(tx, project)
	if err != nil {
		return err
	}
	r.ReporterID, r.ProjectID = a.User.ID, p.ID
	if err := s.projectReminder(tx, p, r); err != nil {
		return err
	}
	if err := tx.CreateReport(r); err != nil {
		return err
	}
	return s.audit(tx, a, "report.create", p.ID, r.ID, subject("report", r.ID), nil, r)
}

// Report returns report id as a sees it.
func (s *Service) Report(ctx context.Context, a Actor, id int64) (*ReportView, error) {
	var (
		r   *Report
		acc Access
	)
	err := s.Store.ViewOne(ctx, func(tx Tx) (err error) {
		r, acc, err = s.loadReport(tx, a, id, ActionView)
		return err
	})
	if err != nil {
		return nil, err
	}
	if len(r.NeverDisclose) == 0 {
		// Nothing is withheld: the view reads nothing more, and the
		// report stays one statement.
		return s.view(nil, r, acc, true)
	}
	var v *ReportView
	err = s.Store.View(ctx, func(tx Tx) (err error) {
		v, err = s.view(tx, r, acc, true)
		return err
	})
	return v, err
}

// Reports lists the reports a may see that match f, and their count.
func (s *Service) Reports(ctx context.Context, a Actor, f ReportFilter) ([]*ReportView, int, error) {
	var err error
	if f.Limit, f.Offset, err = clampPage(f.Limit, f.Offset); err != nil {
		return nil, 0, err
	}
	if err = checkQuery(f.Query); err != nil {
		return nil, 0, err
	}
	f.Viewer = a.Viewer()
	var out []*ReportView
	var total int
	err = s.Store.View(ctx, func(tx Tx) error {
		rs, n, err := tx.Reports(f)
		if err != nil {
			return err
		}
		total = n
		out = make([]*ReportView, 0, len(rs))
		roles := map[int64]MemberRole{} // the actor's role per project, looked up once
		for _, r := range rs {
			g, err := s.listGrants(tx, a, r, roles)
			if err != nil {
				return err
			}
			acc := accessOf(a, r, g)
			if !acc.CanView(r) {
				// The store's filter and the policy disagree: refuse to
				// answer rather than show a report the policy hides.
				return Errorf(EINTERNAL, "report list filter disagrees with policy on report %d", r.ID)
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
func (s *Service) StatusCounts(ctx context.Context, a Actor, f ReportFilter) (map[Status]int, error) {
	if err := checkQuery(f.Query); err != nil {
		return nil, err
	}
	if strings.TrimSpace(f.Query) != "" {
		out := map[Status]int{}
		for _, st := range Statuses {
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
	var out map[Status]int
	err := s.Store.View(ctx, func(tx Tx) (err error) { out, err = tx.CountByStatus(f); return err })
	return out, err
}

// listGrants returns the grants of a to r for a list: the project role is
// looked up once per project, the subscription only when nothing else lets
// a see r, so that a page costs a few queries rather than two per report.
func (s *Service) listGrants(tx Tx, a Actor, r *Report, roles map[int64]MemberRole) (Grants, error) {
	var g Grants
	if a.User == nil {
		return g, nil
	}
	role, ok := roles[r.ProjectID]
	if !ok {
		m, err := tx.Member(r.ProjectID, a.User.ID)
		switch ErrorCode(err) {
		case "":
			role = m.Role
		case ENOTFOUND:
		default:
			return g, err
		}
		roles[r.ProjectID] = role
	}
	g.MemberRole = role
	if !accessOf(a, r, g).CanView(r) {
		var err error
		if g.Subscribed, err = tx.Subscribed(r.ID, a.User.ID); err != nil {
			return g, err
		}
	}
	return g, nil
}

// change loads report id for act, lets fn change it, validates, stores it
// and records the change as one audit event.
func (s *Service) change(ctx context.Context, a Actor, id int64, act Action, action string, fn func(tx Tx, r *Report, acc Access) error) (*ReportView, error) {
	var v *ReportView
	err := s.Store.Update(ctx, func(tx Tx) error {
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
		r.UpdatedAt = s.now()
		if err := tx.UpdateReport(r); err != nil {
			return err
		}
		if v, err = s.view(tx, r, acc, true); err != nil {
			return err
		}
		return s.auditDiff(tx, a, action, r.ProjectID, r.ID, subject("report", r.ID), &before, r)
	})
	return v, err
}

func orEmpty[T any](xs []T) []T {
	if xs == nil {
		return []T{}
	}
	return slices.Clone(xs)
}
