package http

import (
	"net/http"

	"github.com/vmtproject/vmt"
)

// waiveFix records a coordinator's waiver: {"branch" ("" or absent: the
// whole report), "reason"}.
func (s *Server) waiveFix(w http.ResponseWriter, r *http.Request) error {
	return reportCreate(func(r *http.Request, id int64, in vmt.WaiverInput) (any, error) {
		return s.svc.WaiveFix(r.Context(), actorFrom(r.Context()), id, in)
	})(w, r)
}

// preApproval answers where a report stands with the pre-approval rule:
// its waivers, the branches still missing an approved fix, and its held
// disclosure if the hour came.
func (s *Server) preApproval(w http.ResponseWriter, r *http.Request) error {
	return reportOne(w, r, s.svc.PreApprovalOf)
}
