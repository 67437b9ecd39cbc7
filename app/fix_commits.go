package app

import "github.com/vmtproject/vmt"

// withFixCommits returns a copy of the public document d with where its
// report's fixes landed (vmt.Advisory.Repository and FixCommits), for
// the OSV export's GIT range: the project's repository, when one is
// configured, and the commit each branch's fix was merged as. Only a
// public document whose report is public gets them, so that no commit of
// a fix still under embargo is ever handed out; d as it is otherwise.
func (s *Service) withFixCommits(tx vmt.Tx, d *vmt.Advisory) (*vmt.Advisory, error) {
	if d == nil || !d.Public() || d.ReportID == 0 || len(s.deps.Repositories) == 0 {
		return d, nil
	}
	r, err := tx.Report(d.ReportID)
	if err != nil {
		return nil, err
	}
	if r.Visibility == vmt.Private {
		return d, nil
	}
	p, err := tx.Project(r.ProjectID)
	if err != nil {
		return nil, err
	}
	repo := s.deps.Repositories[p.Name]
	if repo == "" {
		return d, nil
	}
	fixes, err := tx.Fixes(r.ID)
	if err != nil {
		return nil, err
	}
	commits := vmt.MergedFixCommits(p, fixes)
	if len(commits) == 0 {
		return d, nil
	}
	c := *d
	c.Repository, c.FixCommits = repo, commits
	return &c, nil
}
