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

// previewNotice answers what sending the notice now would send, each
// mail as the worker builds it, without sending: GET, or POST with the
// send's own body ({"override_reason": "..."}) to preview that choice.
// The report's VMT only; a report the caller may not see is 404.
func (s *Server) previewNotice(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	in := vmt.NoticeInput{OverrideReason: r.URL.Query().Get("override_reason")}
	if r.Method == http.MethodPost {
		if err := decodeOptional(r, &in); err != nil {
			return err
		}
	}
	p, err := s.svc.PreviewNotice(r.Context(), actorFrom(r.Context()), id, in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, p)
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
