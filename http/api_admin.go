package http

import (
	"net/http"

	"github.com/vmtproject/vmt"
)

// The administrators' outbox and setup checklist (issue 14 item 2).

// outboxQueue is GET /api/v1/outbox?state=failed&after=ID&limit=N: the
// items of every report and none, without their mail bodies.
func (s *Server) outboxQueue(w http.ResponseWriter, r *http.Request) error {
	state, err := vmt.ParseOutboxState("state", r.URL.Query().Get("state"))
	if err != nil {
		return err
	}
	after, err := queryInt(r, "after")
	if err != nil {
		return err
	}
	limit, err := queryInt(r, "limit")
	if err != nil {
		return err
	}
	es, err := s.svc.OutboxQueue(r.Context(), actorFrom(r.Context()), state, int64(after), limit)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, List[vmt.OutboxEntry]{Items: es, Total: len(es)})
}

// retryOutbox is POST /api/v1/outbox/{id}/retry: a failed item is sent
// again at once.
func (s *Server) retryOutbox(w http.ResponseWriter, r *http.Request) error {
	return reportOne(w, r, s.svc.RetryOutbox) // the path's {id} is the item's
}

// setup is GET /api/v1/setup: what the instance lacks before a notice
// can go out.
func (s *Server) setup(w http.ResponseWriter, r *http.Request) error {
	c, err := s.svc.Setup(r.Context(), actorFrom(r.Context()))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, c)
}
