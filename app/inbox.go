package app

import (
	"context"

	"github.com/vmtproject/vmt"
)

// Inbox returns what waits on the actor and what they wait on (vmt.InboxOf
// decides whose step each is): read from every open report they may see,
// its approvals and its fixes, with the titles as they may read them.
func (s *Service) Inbox(ctx context.Context, a vmt.Actor) (vmt.Inbox, error) {
	if err := vmt.RequireAuth(a); err != nil {
		return vmt.Inbox{}, err
	}
	var in vmt.Inbox
	err := s.deps.Store.View(ctx, func(tx vmt.Tx) error {
		var facts []vmt.InboxFacts
		roles := map[int64]vmt.MemberRole{}
		projects := map[int64]string{}
		for offset := 0; ; offset += vmt.MaxPageSize {
			rs, total, err := tx.Reports(vmt.ReportFilter{Viewer: a.Viewer(), Limit: vmt.MaxPageSize, Offset: offset})
			if err != nil {
				return err
			}
			for _, r := range rs {
				if r.Status.Closed() {
					continue
				}
				f, err := s.inboxFacts(tx, a, r, roles, projects)
				if err != nil {
					return err
				}
				facts = append(facts, f)
			}
			if offset+len(rs) >= total || len(rs) == 0 {
				break
			}
		}
		in = vmt.InboxOf(facts)
		return nil
	})
	return in, err
}

// inboxFacts reads what the inbox needs of r for a.
func (s *Service) inboxFacts(tx vmt.Tx, a vmt.Actor, r *vmt.Report, roles map[int64]vmt.MemberRole, projects map[int64]string) (vmt.InboxFacts, error) {
	g, err := s.listGrants(tx, a, r, roles)
	if err != nil {
		return vmt.InboxFacts{}, err
	}
	if _, ok := projects[r.ProjectID]; !ok {
		p, err := tx.Project(r.ProjectID)
		if err != nil {
			return vmt.InboxFacts{}, err
		}
		projects[r.ProjectID] = p.Name
	}
	acc := vmt.AccessOf(a, r, g)
	w, err := withheldOf(tx, r)
	if err != nil {
		return vmt.InboxFacts{}, err
	}
	shown := *r
	shown.Title = acc.Withhold(w).Text(r.Title)
	f := vmt.InboxFacts{Report: &shown, Project: projects[r.ProjectID],
		Reporter:    r.ReporterID == a.ID(),
		Coordinator: r.CoordinatorID == a.ID(),
		VMT:         g.MemberRole == vmt.MemberVMT,
		Committee:   g.MemberRole == vmt.MemberCommittee || a.User.Role == vmt.RoleCommittee,
		Reviewer:    g.MemberRole == vmt.MemberReviewer,
	}
	if f.Subscribed, err = tx.Subscribed(r.ID, a.ID()); err != nil {
		return vmt.InboxFacts{}, err
	}
	if err := reportFacts(tx, r, &f); err != nil {
		return vmt.InboxFacts{}, err
	}
	return f, nil
}

// reportFacts fills in what f needs of r itself, whoever asks: the
// approvals of its impact description and the branches whose latest fix
// waits for review.
func reportFacts(tx vmt.Tx, r *vmt.Report, f *vmt.InboxFacts) error {
	if r.ImpactDescription != "" {
		st, err := impactState(tx, r)
		if err != nil {
			return err
		}
		f.ReporterApproved, f.CommitteeApproved = st.Reporter != nil, st.Committee != nil
	}
	fixes, err := tx.Fixes(r.ID)
	if err != nil {
		return err
	}
	latest := map[string]*vmt.Fix{}
	var branches []string
	for _, x := range fixes { // by branch, then version
		if latest[x.Branch] == nil {
			branches = append(branches, x.Branch)
		}
		latest[x.Branch] = x
	}
	for _, b := range branches {
		if latest[b].Review == vmt.ReviewPending {
			f.PendingReview = append(f.PendingReview, b)
		}
	}
	return nil
}

// Process returns where report id stands in the process and whom it waits
// on, as its page shows it: the same facts and the same rule as the inbox
// (vmt.ProcessOf, vmt.InboxOf), for whoever may see the report.
func (s *Service) Process(ctx context.Context, a vmt.Actor, id int64) (vmt.Process, error) {
	var p vmt.Process
	err := s.deps.Store.View(ctx, func(tx vmt.Tx) error {
		r, _, err := s.loadReport(tx, a, id, vmt.ActionView)
		if err != nil {
			return err
		}
		f := vmt.InboxFacts{Report: r}
		if err := reportFacts(tx, r, &f); err != nil {
			return err
		}
		p = vmt.ProcessOf(f)
		return nil
	})
	return p, err
}
