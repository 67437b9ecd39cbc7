package http

import (
	"net/http"

	"github.com/vmtproject/vmt"
)

func (s *Server) health(w http.ResponseWriter, r *http.Request) error {
	if err := s.svc.Ping(r.Context()); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
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
