package vmt

import (
	"context"
	"slices"
)

// CreateProject adds a project. Administrators only.
func (s *Service) CreateProject(ctx context.Context, a Actor, p Project) (*Project, error) {
	if err := requireAdmin(a); err != nil {
		return nil, err
	}
	p.Branches = slices.Clone(p.Branches)
	p.CreatedAt = s.now()
	if err := p.Validate(); err != nil {
		return nil, err
	}
	err := s.Store.Update(ctx, func(tx Tx) error {
		if err := checkPrefixesFree(tx, &p); err != nil {
			return err
		}
		if err := tx.CreateProject(&p); err != nil {
			return err
		}
		return s.audit(tx, a, "project.create", p.ID, 0, subject("project", p.ID), nil, &p)
	})
	return &p, err
}

// ProjectPatch changes a project; nil fields stay as they are.
type ProjectPatch struct {
	AdvisoryPrefix *string   `json:"advisory_prefix"`
	NotePrefix     *string   `json:"note_prefix"`
	Branches       *[]string `json:"branches"`
}

// UpdateProject changes a project. Administrators only. The name is the
// project's key in URLs and stays.
func (s *Service) UpdateProject(ctx context.Context, a Actor, id int64, pp ProjectPatch) (*Project, error) {
	if err := requireAdmin(a); err != nil {
		return nil, err
	}
	var p *Project
	err := s.Store.Update(ctx, func(tx Tx) (err error) {
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
		return s.auditDiff(tx, a, "project.update", p.ID, 0, subject("project", p.ID), &before, p)
	})
	return p, err
}

// Projects lists every project. Projects are public knowledge.
func (s *Service) Projects(ctx context.Context, a Actor) ([]*Project, error) {
	var out []*Project
	err := s.Store.View(ctx, func(tx Tx) (err error) { out, err = tx.Projects(); return err })
	return out, err
}

// Project returns a project by name.
func (s *Service) Project(ctx context.Context, a Actor, name string) (*Project, error) {
	var p *Project
	err := s.Store.View(ctx, func(tx Tx) (err error) { p, err = tx.ProjectByName(name); return err })
	return p, err
}

// Members lists the members of a project, for signed-in users.
func (s *Service) Members(ctx context.Context, a Actor, projectID int64) ([]Member, error) {
	if err := requireAuth(a); err != nil {
		return nil, err
	}
	var out []Member
	err := s.Store.View(ctx, func(tx Tx) error {
		if _, err := tx.Project(projectID); err != nil {
			return err
		}
		var err error
		out, err = tx.Members(projectID)
		return err
	})
	return out, err
}

// memberRoleFits says which account roles may take a project role: the
// VMT's access to every private report is not handed to a reporter or a
// stakeholder account by mistake.
func memberRoleFits(u Role, m MemberRole) bool {
	switch m {
	case MemberVMT:
		return u == RoleVMT || u == RoleAdmin
	case MemberReviewer:
		return u == RoleReviewer || u == RoleVMT || u == RoleAdmin
	case MemberCommittee:
		return u == RoleCommittee || u == RoleAdmin
	}
	return false
}

// SetMember gives a user a role in a project. Administrators only.
func (s *Service) SetMember(ctx context.Context, a Actor, m Member) error {
	if err := requireAdmin(a); err != nil {
		return err
	}
	if _, err := ParseMemberRole("role", string(m.Role)); err != nil {
		return err
	}
	return s.Store.Update(ctx, func(tx Tx) error {
		if _, err := tx.Project(m.ProjectID); err != nil {
			return err
		}
		u, err := tx.User(m.UserID)
		if ErrorCode(err) == ENOTFOUND {
			return Invalid("user_id", "no user has id %d", m.UserID)
		} else if err != nil {
			return err
		}
		if !memberRoleFits(u.Role, m.Role) {
			return Invalid("role", "a user with the %s role cannot be a %s member", u.Role, m.Role)
		}
		var before any
		if old, err := tx.Member(m.ProjectID, m.UserID); err == nil {
			before = old
		} else if ErrorCode(err) != ENOTFOUND {
			return err
		}
		if err := tx.SetMember(m); err != nil {
			return err
		}
		return s.audit(tx, a, "member.set", m.ProjectID, 0, subject("project", m.ProjectID), before, m)
	})
}

// RemoveMember takes a user out of a project. Administrators only.
func (s *Service) RemoveMember(ctx context.Context, a Actor, projectID, userID int64) error {
	if err := requireAdmin(a); err != nil {
		return err
	}
	return s.Store.Update(ctx, func(tx Tx) error {
		old, err := tx.Member(projectID, userID)
		if err != nil {
			return err
		}
		if err := tx.RemoveMember(projectID, userID); err != nil {
			return err
		}
		return s.audit(tx, a, "member.remove", projectID, 0, subject("project", projectID), old, nil)
	})
}
