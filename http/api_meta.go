package http

import (
	"context"
	"net/http"

	"github.com/vmtproject/vmt"
)

// Health is the answer of /api/v1/health: the server is alive and reads
// its store (else an error answer), and whether the store takes writes,
// with the cause when it does not.
type Health struct {
	Status   string `json:"status"` // "ok"
	Writable bool   `json:"writable"`
	Cause    string `json:"cause,omitempty"`
}

// health says whether the server is alive: it answers 200 as long as it
// reads its store, even when writes fail (a full disk), and says so in
// the answer. healthReady is for load balancers: 503 (store_unavailable,
// naming the cause) unless the store also takes writes.
func (s *Server) health(w http.ResponseWriter, r *http.Request) error {
	if err := s.svc.Ping(r.Context()); err != nil {
		return err
	}
	h := Health{Status: "ok", Writable: true}
	if err := s.storeReady(r.Context()); err != nil {
		h.Writable, h.Cause = false, vmt.ErrorMessage(err)
	}
	return writeJSON(w, http.StatusOK, h)
}

func (s *Server) healthReady(w http.ResponseWriter, r *http.Request) error {
	if err := s.svc.Ping(r.Context()); err != nil {
		return err
	}
	if err := s.storeReady(r.Context()); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, Health{Status: "ok", Writable: true})
}

// readyStore is a store that can say whether it takes writes now
// (sqldb.DB.Ready).
type readyStore interface {
	Ready(ctx context.Context) error
}

// storeReady is the store's Ready, nil for a store without one.
func (s *Server) storeReady(ctx context.Context) error {
	if st, ok := s.svc.Deps().Store.(readyStore); ok {
		return st.Ready(ctx)
	}
	return nil
}

// transitionDoc is a row of the transition table as clients read it.
type transitionDoc struct {
	From        vmt.Status `json:"from"`
	To          vmt.Status `json:"to"`
	Guards      []string   `json:"guards"`
	MakesPublic bool       `json:"makes_public"`
	Why         string     `json:"why"`
}

// statuses serves the statuses and the transition table, so that clients
// show the same moves the server enforces.
func (s *Server) statuses(w http.ResponseWriter, r *http.Request) error {
	ts := make([]transitionDoc, 0, len(vmt.Transitions))
	for _, t := range vmt.Transitions {
		d := transitionDoc{From: t.From, To: t.To, Guards: []string{}, MakesPublic: t.MakesPublic, Why: t.Why}
		for _, g := range t.Guards {
			d.Guards = append(d.Guards, g.Name)
		}
		ts = append(ts, d)
	}
	return writeJSON(w, http.StatusOK, map[string]any{"statuses": vmt.Statuses, "transitions": ts})
}

func (s *Server) classes(w http.ResponseWriter, r *http.Request) error {
	return writeJSON(w, http.StatusOK, List[vmt.ClassInfo]{Items: vmt.Taxonomy, Total: len(vmt.Taxonomy)})
}
