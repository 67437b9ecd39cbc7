package http

import (
	"net/http"

	"github.com/vmtproject/vmt"
)

// sendNotice sends the downstream notification of a report: the mails are
// enqueued, the worker of `vmt serve` delivers them.
// sendNotice takes no body, or {"override_reason": "..."} to set the
// reporter's requested date aside.
func (s *Server) sendNotice(w http.ResponseWriter, r *http.Request) error {
	if r.ContentLength == 0 {
		return reportAction(s, func(r *http.Request, id int64, _ empty) (any, error) {
			return s.svc.SendNotice(r.Context(), actorFrom(r.Context()), id)
		})(w, r)
	}
	return reportAction(s, func(r *http.Request, id int64, in vmt.NoticeInput) (any, error) {
		return s.svc.SendNoticeWith(r.Context(), actorFrom(r.Context()), id, in)
	})(w, r)
}

func (s *Server) outbox(w http.ResponseWriter, r *http.Request) error {
	return reportList(w, r, s.svc.Outbox)
}

func (s *Server) getDisclosureSettings(w http.ResponseWriter, r *http.Request) error {
	d, err := s.svc.DisclosureSettingsOf(r.Context(), actorFrom(r.Context()), r.PathValue("name"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, d)
}

func (s *Server) setDisclosureSettings(w http.ResponseWriter, r *http.Request) error {
	var in vmt.DisclosureSettings
	if err := decode(r, &in); err != nil {
		return err
	}
	d, err := s.svc.SetDisclosureSettings(r.Context(), actorFrom(r.Context()), r.PathValue("name"), in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, d)
}
