package http

import (
	"net/http"

	"github.com/vmtproject/vmt"
)

// impactSection is the review of the impact description on a report's
// page: who has approved the current text, and what the viewer may do.
type impactSection struct {
	State *vmt.ImpactState
	// Approve is set for the reporter and members of the architecture
	// committee who have not approved this text yet.
	Approve bool
	Draft   bool // the viewer may draft the text from the template
}

// impactSection reads the approvals for the report's page; none for a
// viewer who neither coordinates nor approves (nothing to show).
func (s *Server) impactSection(r *http.Request, p *reportPage) (*impactSection, error) {
	st, err := s.svc.Impact(r.Context(), actorFrom(r.Context()), p.R.ID)
	if err != nil {
		return nil, err
	}
	if !p.Coordinate && st.YourCapacity == "" {
		return nil, nil
	}
	sec := &impactSection{State: st, Draft: p.Coordinate}
	if st.Text != "" {
		sec.Approve = (st.YourCapacity == vmt.ApproverReporter && st.Reporter == nil) ||
			(st.YourCapacity == vmt.ApproverCommittee && st.Committee == nil)
	}
	return sec, nil
}

// reportImpactDraft drafts the impact description from the project's
// template; replace=1 overwrites the text the report has.
func (s *Server) reportImpactDraft(w http.ResponseWriter, r *http.Request) error {
	return s.reportAction(func(r *http.Request, a vmt.Actor, id int64) (string, error) {
		_, err := s.svc.DraftImpact(r.Context(), a, id, r.PostForm.Get("replace") == "1")
		return "The impact description is drafted from the template; edit it, then ask for the approvals.", err
	})(w, r)
}

// reportImpactApprove records the viewer's approval; the service decides
// in what capacity, from who they are.
func (s *Server) reportImpactApprove(w http.ResponseWriter, r *http.Request) error {
	return s.reportAction(func(r *http.Request, a vmt.Actor, id int64) (string, error) {
		st, err := s.svc.ApproveImpact(r.Context(), a, id)
		if err != nil {
			return "", err
		}
		if who := st.Missing(); who != "" {
			return "Your approval is recorded; still to approve: " + who + ".", nil
		}
		return "Your approval is recorded; the impact description is approved, and the report moves to Triaged.", nil
	})(w, r)
}
