package http

import (
	"io"
	"net/http"

	"github.com/vmtproject/vmt"
)

// forgeRoutes are the routes of a project's GitHub repository (issue 16):
// its settings (administrators set them), the issue a public report is
// followed in, and the webhook GitHub delivers label changes to, which
// carries no credentials but its signature (X-Hub-Signature-256).
func (s *Server) forgeRoutes() {
	m := s.mux
	m.Handle("GET /api/v1/projects/{name}/forge", s.api(s.getForgeSettings))
	m.Handle("PUT /api/v1/projects/{name}/forge", s.api(s.setForgeSettings))
	m.Handle("POST /api/v1/projects/{name}/forge/webhook", s.api(s.forgeWebhook))
	m.Handle("POST /api/v1/reports/{id}/forge-issue", s.api(s.linkForgeIssue))
}

func (s *Server) getForgeSettings(w http.ResponseWriter, r *http.Request) error {
	f, err := s.svc.ForgeSettingsOf(r.Context(), actorFrom(r.Context()), r.PathValue("name"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, f)
}

func (s *Server) setForgeSettings(w http.ResponseWriter, r *http.Request) error {
	var in vmt.ForgeSettings
	if err := decode(r, &in); err != nil {
		return err
	}
	f, err := s.svc.SetForgeSettings(r.Context(), actorFrom(r.Context()), r.PathValue("name"), in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, f)
}

// ForgeIssueInput names the issue of the project's repository a public
// report is followed in.
type ForgeIssueInput struct {
	Number int `json:"number"`
}

func (s *Server) linkForgeIssue(w http.ResponseWriter, r *http.Request) error {
	return reportAction(s, func(r *http.Request, id int64, in ForgeIssueInput) (any, error) {
		return s.svc.LinkForgeIssue(r.Context(), actorFrom(r.Context()), id, in.Number)
	})(w, r)
}

// forgeWebhook reads a delivery, bounded, and hands it to the service,
// which checks its signature before anything else.
func (s *Server) forgeWebhook(w http.ResponseWriter, r *http.Request) error {
	body, err := io.ReadAll(io.LimitReader(r.Body, vmt.MaxForgeDeliveryBytes+1))
	if err != nil {
		return err
	}
	if len(body) > vmt.MaxForgeDeliveryBytes {
		return vmt.Errorf(vmt.ETOOLARGE, "the delivery is too large")
	}
	res, err := s.svc.ForgeWebhook(r.Context(), r.PathValue("name"), vmt.ForgeDelivery{
		ID: r.Header.Get("X-GitHub-Delivery"), Event: r.Header.Get("X-GitHub-Event"),
		Signature: r.Header.Get("X-Hub-Signature-256"), Body: body})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, res)
}
