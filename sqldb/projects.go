package sqldb

import "github.com/vmtproject/vmt"

const projectCols = `id, name, advisory_prefix, note_prefix, branches, created_at`

func scanProject(s scanner) (*vmt.Project, error) {
	p := &vmt.Project{}
	err := s.Scan(&p.ID, &p.Name, &p.AdvisoryPrefix, &p.NotePrefix, listCol{&p.Branches}, timeCol{&p.CreatedAt})
	return p, err
}

// CreateProject stores p and sets its id. ECONFLICT if the name is taken.
func (t *tx) CreateProject(p *vmt.Project) error {
	id, err := t.insert("create project",
		&vmt.Error{Code: vmt.ECONFLICT, Field: "name", Message: "a project with this name exists"},
		`INSERT INTO projects (name, advisory_prefix, note_prefix, branches, created_at)
		VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING id`,
		p.Name, p.AdvisoryPrefix, p.NotePrefix, jsonList(p.Branches), micros(p.CreatedAt))
	if err != nil {
		return err
	}
	p.ID = id
	return nil
}

// Project returns project id, or ENOTFOUND.
func (t *tx) Project(id int64) (*vmt.Project, error) {
	p, err := scanProject(t.queryRow(`SELECT `+projectCols+` FROM projects WHERE id = $1`, id))
	if err := one("get project", "project", err); err != nil {
		return nil, err
	}
	return p, nil
}

// ProjectByName returns the project with this name, or ENOTFOUND.
func (t *tx) ProjectByName(name string) (*vmt.Project, error) {
	p, err := scanProject(t.queryRow(`SELECT `+projectCols+` FROM projects WHERE name = $1`, name))
	if err := one("get project by name", "project", err); err != nil {
		return nil, err
	}
	return p, nil
}

// Projects returns every project by name.
func (t *tx) Projects() ([]*vmt.Project, error) {
	ps, err := list(t, scanProject, `SELECT `+projectCols+` FROM projects ORDER BY name`)
	if err != nil {
		return nil, wrap("list projects", err)
	}
	return ps, nil
}

// UpdateProject stores the prefixes and branches of p; the name is its key
// and stays. ENOTFOUND if p is not stored.
func (t *tx) UpdateProject(p *vmt.Project) error {
	res, err := t.exec(`UPDATE projects SET advisory_prefix = $2, note_prefix = $3, branches = $4 WHERE id = $1`,
		p.ID, p.AdvisoryPrefix, p.NotePrefix, jsonList(p.Branches))
	return affected("update project", "project", res, err)
}

// SetMember gives m.UserID the role m.Role in m.ProjectID, replacing any
// role they had there.
func (t *tx) SetMember(m vmt.Member) error {
	_, err := t.exec(`INSERT INTO project_members (project_id, user_id, role) VALUES ($1, $2, $3)
		ON CONFLICT (project_id, user_id) DO UPDATE SET role = excluded.role`,
		m.ProjectID, m.UserID, m.Role)
	if err != nil {
		return wrap("set member", err)
	}
	return nil
}

// RemoveMember takes a user out of a project; ENOTFOUND if not a member.
func (t *tx) RemoveMember(projectID, userID int64) error {
	res, err := t.exec(`DELETE FROM project_members WHERE project_id = $1 AND user_id = $2`, projectID, userID)
	return affected("remove member", "member", res, err)
}

func scanMember(s scanner) (vmt.Member, error) {
	var m vmt.Member
	err := s.Scan(&m.ProjectID, &m.UserID, &m.Role)
	return m, err
}

// Members returns the members of a project by user id.
func (t *tx) Members(projectID int64) ([]vmt.Member, error) {
	ms, err := list(t, scanMember, `SELECT project_id, user_id, role FROM project_members
		WHERE project_id = $1 ORDER BY user_id`, projectID)
	if err != nil {
		return nil, wrap("list members", err)
	}
	return ms, nil
}

// Member returns a user's membership of a project, or ENOTFOUND.
func (t *tx) Member(projectID, userID int64) (*vmt.Member, error) {
	m, err := scanMember(t.queryRow(`SELECT project_id, user_id, role FROM project_members
		WHERE project_id = $1 AND user_id = $2`, projectID, userID))
	if err := one("get member", "member", err); err != nil {
		return nil, err
	}
	return &m, nil
}
