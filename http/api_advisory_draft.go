package http

import (
	"context"
	"net/http"
	"strconv"

	"github.com/vmtproject/vmt"
)

// draftAdvisoryFromReport drafts the report's document from the report
// (vmt.DraftFromReport); the request has no body.
func (s *Server) draftAdvisoryFromReport(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	d, err := s.svc.DraftAdvisoryFromReport(r.Context(), actorFrom(r.Context()), id)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/advisories/"+strconv.FormatInt(d.RecordID, 10))
	return writeJSON(w, http.StatusCreated, d)
}

// DraftAdvisoryFromReport drafts a report's document from the report.
func (c *Client) DraftAdvisoryFromReport(ctx context.Context, reportID int64) (*vmt.Advisory, error) {
	return send[vmt.Advisory](ctx, c, http.MethodPost, reportPath(reportID, "/advisories/draft-from-report"), struct{}{})
}
