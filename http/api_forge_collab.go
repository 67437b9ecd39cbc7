package http

import (
	"net/http"
)

// forgeLogins is the body of GET and PUT /api/v1/me/github-login: the
// GitHub logins of the caller's account. PUT takes one login ("" takes
// them off); GET answers all, the intake of a report filed on GitHub may
// have linked more than one.
type forgeLogins struct {
	Login  string   `json:"github_login"`
	Logins []string `json:"github_logins"`
}

// ownForgeLogins answers the caller's GitHub logins.
func (s *Server) ownForgeLogins(w http.ResponseWriter, r *http.Request) error {
	ls, err := s.svc.OwnForgeLogins(r.Context(), actorFrom(r.Context()))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, logins(ls))
}

// setOwnForgeLogin sets the caller's GitHub login: 409 when another
// account has it.
func (s *Server) setOwnForgeLogin(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Login string `json:"github_login"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	ls, err := s.svc.SetOwnForgeLogin(r.Context(), actorFrom(r.Context()), in.Login)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, logins(ls))
}

// setUserForgeLogin sets an account's GitHub login: its owner or an
// administrator; 404 to others.
func (s *Server) setUserForgeLogin(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in struct {
		Login string `json:"github_login"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	ls, err := s.svc.SetForgeLogin(r.Context(), actorFrom(r.Context()), id, in.Login)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, logins(ls))
}

func logins(ls []string) forgeLogins {
	out := forgeLogins{Logins: ls}
	if out.Logins == nil {
		out.Logins = []string{}
	}
	if len(ls) > 0 {
		out.Login = ls[0]
	}
	return out
}
