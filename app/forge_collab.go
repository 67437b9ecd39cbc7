package app

import (
	"context"
	"crypto/rand"
	"slices"
	"strings"

	"github.com/vmtproject/vmt"
)

// Private collaboration on GitHub (issue 16, item 5): the subscribers of
// a report (those let in to it) whose account has a GitHub login are the
// collaborators of its repository advisory, added when let in and removed
// when their access ends. A draft advisory and its collaborators are
// private to the repository's maintainers: no call here makes anything
// public. A login is linked to an account by the intake of a report filed
// on GitHub, or set by the account's owner or an administrator
// (SetForgeLogin). The coordinator has GitHub make the advisory's
// temporary private fork (CreateForgeFork), and a branch pushed there is
// taken in as a patch series (FixFromFork).

// subscribersChanged queues the sync of r's advisory collaborators, when
// r has a repository advisory: every writer of a subscription calls it.
// The item reads the subscribers as they are at delivery.
func (s *Service) subscribersChanged(tx vmt.Tx, r *vmt.Report) error {
	return s.collaboratorsChanged(tx, r, nil)
}

// collaboratorsChanged is subscribersChanged, the logins gone taken off
// too unless a subscriber has them.
func (s *Service) collaboratorsChanged(tx vmt.Tx, r *vmt.Report, gone []string) error {
	if s.advisories() == nil {
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
	return s.queueCollaborators(tx, r, gone)
}

// queueCollaborators queues the sync of r's advisory collaborators. The
// item reads the subscriptions at delivery, so each change needs its own
// item: a subscription ended and granted again within one clock tick
// (a stopped clock in tests) would otherwise find the earlier key. The
// key carries a random part; it is written in the transaction of the
// change, once.
func (s *Service) queueCollaborators(tx vmt.Tx, r *vmt.Report, gone []string) error {
	req := vmt.ForgeRequest{Op: vmt.ForgeAdvisoryCollaborators, ProjectID: r.ProjectID, ReportID: r.ID, Gone: gone}
	key := "forge:ghsa-collab:" + itoa(int(r.ID)) + ":" + stamp(s.now()) + ":" + rand.Text()[:10]
	return enqueueJSON(tx, key, vmt.KindForge, r.ID, req, s.now())
}

// advisoryCollaborators returns the logins of r's subscribers who may see
// it (want), and of the accounts linked to one of have that may not
// (removed): GitHub's other collaborators, unknown to vmt or still let
// in, are left as they are.
func (s *Service) advisoryCollaborators(tx vmt.Tx, r *vmt.Report, have []string) (want, removed []string, err error) {
	sees := func(uid int64) (bool, error) {
		u, err := tx.User(uid)
		if vmt.ErrorCode(err) == vmt.ENOTFOUND {
			return false, nil
		} else if err != nil {
			return false, err
		}
		if u.Disabled {
			return false, nil
		}
		rr, g, err := tx.ReportFor(r.ID, uid)
		if err != nil {
			return false, err
		}
		return vmt.AccessOf(vmt.Actor{User: u}, rr, g).Can(vmt.ActionView, rr), nil
	}
	subs, err := tx.Subscriptions(r.ID)
	if err != nil {
		return nil, nil, err
	}
	want = []string{}
	for _, sub := range subs {
		ok, err := sees(sub.UserID)
		if err != nil {
			return nil, nil, err
		}
		if !ok {
			continue
		}
		ls, err := tx.UserForgeLogins(sub.UserID)
		if err != nil {
			return nil, nil, err
		}
		want = append(want, ls...)
	}
	for _, l := range have {
		uid, err := tx.ForgeLoginUser(l)
		if vmt.ErrorCode(err) == vmt.ENOTFOUND {
			continue
		} else if err != nil {
			return nil, nil, err
		}
		if ok, err := sees(uid); err != nil {
			return nil, nil, err
		} else if !ok {
			removed = append(removed, l)
		}
	}
	return want, removed, nil
}

// syncCollaborators carries out a collaborators item for r, whose
// advisory is link's.
func (s *Service) syncCollaborators(ctx context.Context, fa vmt.ForgeAdvisories, f *vmt.ForgeSettings, r *vmt.Report, link *vmt.ForgeAdvisoryLink, gone []string) error {
	if link == nil {
		return vmt.Invalid("report_id", "report %d has no advisory on GitHub", r.ID)
	}
	have, err := fa.Advisory(ctx, f, link.GHSA)
	if err != nil {
		return err
	}
	if have.State == vmt.GHSAPublished || have.State == vmt.GHSAWithdrawn {
		return nil // collaboration is over once the advisory is out
	}
	var want, removed []string
	err = s.deps.Store.View(ctx, func(tx vmt.Tx) (err error) {
		want, removed, err = s.advisoryCollaborators(tx, r, have.Collaborators)
		return err
	})
	if err != nil {
		return err
	}
	next := vmt.CollaboratorsOf(have.Collaborators, want, append(removed, gone...))
	if vmt.SameLabels(next, have.Collaborators) {
		return nil
	}
	_, err = fa.SetAdvisoryCollaborators(ctx, f, link.GHSA, next)
	return err
}

// SetOwnForgeLogin is SetForgeLogin of the actor's own account: an
// administrator's alone (see there).
func (s *Service) SetOwnForgeLogin(ctx context.Context, a vmt.Actor, login string) ([]string, error) {
	return s.SetForgeLogin(ctx, a, a.ID(), login)
}

// SetForgeLogin makes login the GitHub login of account userID ("" takes
// it off): the account then becomes a collaborator on the advisories of
// the reports it is subscribed to. Audited; ECONFLICT when another account
// has the login. A login carries rights on GitHub (it reads embargoed
// advisories), and vmt cannot prove that a login is its holder's: so it is
// never taken on the account holder's word. An administrator, who knows
// it to be theirs, links it (EFORBIDDEN to the holder, ENOTFOUND to
// others); the intake of a report filed on GitHub links its author's,
// which GitHub attests.
func (s *Service) SetForgeLogin(ctx context.Context, a vmt.Actor, userID int64, login string) ([]string, error) {
	if err := s.selfOrAdmin(a, userID); err != nil {
		return nil, err
	}
	if !a.IsAdmin() {
		return nil, vmt.Errorf(vmt.EFORBIDDEN, "a GitHub login lets its holder read embargoed advisories on GitHub, "+
			"and vmt cannot prove that it is yours: ask an administrator to link it")
	}
	login = strings.TrimPrefix(strings.TrimSpace(login), "@")
	if login != "" && (loginOf(login) != login || len(login) > 39) {
		return nil, vmt.Invalid("github_login", "%q is not a GitHub login", login)
	}
	var out []string
	err := s.deps.Store.Update(ctx, func(tx vmt.Tx) error {
		if _, err := tx.User(userID); err != nil {
			return err
		}
		old, err := tx.UserForgeLogins(userID)
		if err != nil {
			return err
		}
		if err := tx.SetUserForgeLogin(userID, login); err != nil {
			return err
		}
		if out, err = tx.UserForgeLogins(userID); err != nil || slices.Equal(old, out) {
			return err
		}
		if err := s.loginChanged(tx, userID, old); err != nil {
			return err
		}
		return s.audit(tx, a, vmt.AuditUserForgeLogin, 0, 0, subject("user", userID),
			map[string]any{"github_logins": old}, map[string]any{"github_logins": out})
	})
	return out, err
}

// loginChanged queues the sync of the collaborators of each private
// report account uid is subscribed to: its new login joins them, its old
// ones leave.
func (s *Service) loginChanged(tx vmt.Tx, uid int64, old []string) error {
	if s.advisories() == nil {
		return nil
	}
	for off := 0; ; off += vmt.MaxPageSize {
		rs, _, err := tx.Reports(vmt.ReportFilter{Viewer: vmt.Viewer{UserID: uid}, Visibility: vmt.Private,
			Limit: vmt.MaxPageSize, Offset: off})
		if err != nil {
			return err
		}
		for _, r := range rs {
			if on, err := tx.Subscribed(r.ID, uid); err != nil {
				return err
			} else if on {
				if err := s.collaboratorsChanged(tx, r, old); err != nil {
					return err
				}
			}
		}
		if len(rs) < vmt.MaxPageSize {
			return nil
		}
	}
}

// OwnForgeLogins returns the GitHub logins of the actor's account.
func (s *Service) OwnForgeLogins(ctx context.Context, a vmt.Actor) ([]string, error) {
	if err := vmt.RequireAuth(a); err != nil {
		return nil, err
	}
	var out []string
	err := s.deps.Store.View(ctx, func(tx vmt.Tx) (err error) {
		out, err = tx.UserForgeLogins(a.ID())
		return err
	})
	return out, err
}

// CreateForgeFork asks for the temporary private fork of report id's
// repository advisory (a draft is made for the report if it has none),
// where those let in work on the fix under embargo; the report's VMT.
// The fork is made once: the first ask queues it, audited, and every ask
// answers the fork once GitHub has made it (a read of the advisory).
func (s *Service) CreateForgeFork(ctx context.Context, a vmt.Actor, id int64) (*vmt.ForgeForkState, error) {
	fa := s.advisories()
	out := &vmt.ForgeForkState{ReportID: id}
	var f *vmt.ForgeSettings
	err := s.deps.Store.Update(ctx, func(tx vmt.Tx) error {
		r, _, err := s.loadReport(tx, a, id, vmt.ActionCoordinate)
		if err != nil {
			return err
		}
		if f, err = s.forgeOf(tx, r.ProjectID); err != nil {
			return err
		}
		if f == nil || fa == nil {
			return vmt.Invalid("project", "the report's project has no GitHub repository set up here")
		}
		if l, err := tx.ForgeAdvisoryLink(r.ID); err == nil {
			out.GHSA = l.GHSA
		} else if vmt.ErrorCode(err) != vmt.ENOTFOUND {
			return err
		}
		req := vmt.ForgeRequest{Op: vmt.ForgeCreateFork, ProjectID: r.ProjectID, ReportID: r.ID}
		err = enqueueJSON(tx, "forge:ghsa-fork:"+itoa(int(r.ID)), vmt.KindForge, r.ID, req, s.now())
		if vmt.ErrorCode(err) == vmt.ECONFLICT {
			return nil // asked before
		} else if err != nil {
			return err
		}
		out.Queued = true
		return s.audit(tx, a, vmt.AuditReportForgeFork, r.ProjectID, r.ID, subject("report", r.ID), nil,
			map[string]any{"ghsa_id": out.GHSA})
	})
	if err != nil || out.GHSA == "" {
		return out, err
	}
	have, err := fa.Advisory(ctx, f, out.GHSA)
	if err != nil {
		return nil, err
	}
	out.Fork = have.Fork
	return out, nil
}

// FixFromFork takes the commits pushed to ref of the report's temporary
// private fork, from branch up, in as branch's patch series: read from
// GitHub as a series and filed through the same check as an upload
// (AttachFix), by one who may attach a fix. The fork is private: reading
// it discloses nothing.
func (s *Service) FixFromFork(ctx context.Context, a vmt.Actor, reportID int64, branch, ref string) (*vmt.Fix, error) {
	if len(ref) > vmt.MaxBranchNameLen || !vmt.BranchPattern.MatchString(ref) || vmt.ContainsDotDot(ref) {
		return nil, vmt.Invalid("ref", "%q is not a branch name", ref)
	}
	fa := s.advisories()
	var f *vmt.ForgeSettings
	var link *vmt.ForgeAdvisoryLink
	probe := &vmt.Fix{Branch: branch, Series: "-"}
	if err := probe.Validate(); err != nil {
		return nil, err
	}
	err := s.deps.Store.View(ctx, func(tx vmt.Tx) error {
		if _, err := s.fixTarget(tx, a, reportID, probe); err != nil {
			return err
		}
		r, err := tx.Report(reportID)
		if err != nil {
			return err
		}
		if f, err = s.forgeOf(tx, r.ProjectID); err != nil {
			return err
		}
		if f == nil || fa == nil {
			return vmt.Invalid("project", "the report's project has no GitHub repository set up here")
		}
		if link, err = tx.ForgeAdvisoryLink(r.ID); vmt.ErrorCode(err) == vmt.ENOTFOUND {
			return vmt.Invalid("report_id", "the report has no advisory on GitHub, so no fork: ask for one first (github-fork)")
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	have, err := fa.Advisory(ctx, f, link.GHSA)
	if err != nil {
		return nil, err
	}
	if have.Fork == nil {
		return nil, vmt.Invalid("report_id", "the advisory %s has no fork yet: ask for one (github-fork), or wait for GitHub to make it", link.GHSA)
	}
	series, err := fa.ForkPatches(ctx, f, have.Fork, branch, ref, vmt.MaxFixSeriesBytes)
	if vmt.ErrorCode(err) == vmt.EINVALID {
		return nil, vmt.Invalid("ref", "the fork %s has no %s to compare with %s", have.Fork.URL, ref, branch)
	} else if err != nil {
		return nil, err
	}
	if len(series) == 0 {
		return nil, vmt.Invalid("ref", "%s of the fork adds no commit to %s", ref, branch)
	}
	return s.AttachFix(ctx, a, reportID, vmt.FixInput{Branch: branch, Series: string(series)})
}
