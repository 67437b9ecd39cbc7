package app

import (
	"context"
	"encoding/json"
	"slices"

	"github.com/vmtproject/vmt"
)

// CreateProject adds a project. Administrators only.
func (s *Service) CreateProject(ctx context.Context, a vmt.Actor, p vmt.Project) (*vmt.Project, error) {
	if err := vmt.RequireAdmin(a); err != nil {
		return nil, err
	}
	p.Branches = slices.Clone(p.Branches)
	p.CreatedAt = s.now()
	if err := p.Validate(); err != nil {
		return nil, err
	}
	err := s.deps.Store.Update(ctx, func(tx vmt.Tx) error {
		if err := checkPrefixesFree(tx, &p); err != nil {
			return err
		}
		if err := tx.CreateProject(&p); err != nil {
			return err
		}
		return s.audit(tx, a, vmt.AuditProjectCreate, p.ID, 0, subject("project", p.ID), nil, &p)
	})
	return &p, err
}

// UpdateProject changes a project. Administrators only. The name is the
// project's key in URLs and stays.
func (s *Service) UpdateProject(ctx context.Context, a vmt.Actor, id int64, pp vmt.ProjectPatch) (*vmt.Project, error) {
	if err := vmt.RequireAdmin(a); err != nil {
		return nil, err
	}
	var p *vmt.Project
	err := s.deps.Store.Update(ctx, func(tx vmt.Tx) (err error) {
		if p, err = tx.Project(id); err != nil {
			return err
		}
		before := *p
		setString(&p.AdvisoryPrefix, pp.AdvisoryPrefix)
		setString(&p.NotePrefix, pp.NotePrefix)
		setSlice(&p.Branches, pp.Branches)
		if err := p.Validate(); err != nil {
			return err
		}
		if err := checkPrefixesFree(tx, p); err != nil {
			return err
		}
		if err := tx.UpdateProject(p); err != nil {
			return err
		}
		b, af := vmt.AuditDiff(&before, p)
		if pp.Branches != nil {
			// Branches given are recorded even unchanged: setting them to
			// what they are confirms them (the setup checklist reads it
			// for a project that supports only the default main).
			b, af = withField(b, "branches", before.Branches), withField(af, "branches", p.Branches)
		}
		return tx.AppendAudit(&vmt.AuditEvent{At: s.now(), ActorID: a.ID(), Action: vmt.AuditProjectUpdate,
			ProjectID: p.ID, Subject: subject("project", p.ID), Before: b, After: af})
	})
	return p, err
}

// Projects lists every project. Projects are public knowledge.
func (s *Service) Projects(ctx context.Context, a vmt.Actor) ([]*vmt.Project, error) {
	var out []*vmt.Project
	err := s.deps.Store.View(ctx, func(tx vmt.Tx) (err error) { out, err = tx.Projects(); return err })
	return out, err
}

// Project returns a project by name.
func (s *Service) Project(ctx context.Context, a vmt.Actor, name string) (*vmt.Project, error) {
	var p *vmt.Project
	err := s.deps.Store.View(ctx, func(tx vmt.Tx) (err error) { p, err = tx.ProjectByName(name); return err })
	return p, err
}

// Members lists the members of a project, for signed-in users.
func (s *Service) Members(ctx context.Context, a vmt.Actor, projectID int64) ([]vmt.Member, error) {
	if err := vmt.RequireAuth(a); err != nil {
		return nil, err
	}
	var out []vmt.Member
	err := s.deps.Store.View(ctx, func(tx vmt.Tx) error {
		if _, err := tx.Project(projectID); err != nil {
			return err
		}
		var err error
		out, err = tx.Members(projectID)
		return err
	})
	return out, err
}

// SetMember gives a user a role in a project. Administrators only.
func (s *Service) SetMember(ctx context.Context, a vmt.Actor, m vmt.Member) error {
	if err := vmt.RequireAdmin(a); err != nil {
		return err
	}
	if _, err := vmt.ParseMemberRole("role", string(m.Role)); err != nil {
		return err
	}
	return s.deps.Store.Update(ctx, func(tx vmt.Tx) error {
		if _, err := tx.Project(m.ProjectID); err != nil {
			return err
		}
		u, err := tx.User(m.UserID)
		if vmt.ErrorCode(err) == vmt.ENOTFOUND {
			return vmt.Invalid("user_id", "no user has id %d", m.UserID)
		} else if err != nil {
			return err
		}
		if !vmt.MemberRoleFits(u.Role, m.Role) {
			return vmt.Invalid("role", "a user with the %s role cannot be a %s member", u.Role, m.Role)
		}
		var before any
		if old, err := tx.Member(m.ProjectID, m.UserID); err == nil {
			before = old
		} else if vmt.ErrorCode(err) != vmt.ENOTFOUND {
			return err
		}
		if err := tx.SetMember(m); err != nil {
			return err
		}
		return s.audit(tx, a, vmt.AuditMemberSet, m.ProjectID, 0, subject("project", m.ProjectID), before, m)
	})
}

// RemoveMember takes a user out of a project. Administrators only.
func (s *Service) RemoveMember(ctx context.Context, a vmt.Actor, projectID, userID int64) error {
	if err := vmt.RequireAdmin(a); err != nil {
		return err
	}
	return s.deps.Store.Update(ctx, func(tx vmt.Tx) error {
		old, err := tx.Member(projectID, userID)
		if err != nil {
			return err
		}
		if err := tx.RemoveMember(projectID, userID); err != nil {
			return err
		}
		return s.audit(tx, a, vmt.AuditMemberRemove, projectID, 0, subject("project", projectID), old, nil)
	})
}

// withField returns the snapshot m with key set to v.
func withField(m json.RawMessage, key string, v any) json.RawMessage {
	f := map[string]any{}
	_ = json.Unmarshal(m, &f)
	f[key] = v
	return vmt.AuditSnapshot(f)
}
