package http

import (
	"net/http"
	"strings"
	"time"

	"github.com/vmtproject/vmt"
)

func (s *Server) me(w http.ResponseWriter, r *http.Request) error {
	a := actorFrom(r.Context())
	if a.User == nil {
		return vmt.Errorf(vmt.EUNAUTHENTICATED, "sign in first")
	}
	return writeJSON(w, http.StatusOK, a.User)
}

// listUsers lists every account (administrators), or with ?email= finds
// the one of an address (the VMT too: UserByEmail).
func (s *Server) listUsers(w http.ResponseWriter, r *http.Request) error {
	if email := r.URL.Query().Get("email"); email != "" {
		if err := vmt.CheckText("email", email, vmt.MaxEmailLen, true); err != nil {
			return err
		}
		u, err := s.svc.UserByEmail(r.Context(), actorFrom(r.Context()), email)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, List[*vmt.User]{Items: []*vmt.User{u}, Total: 1})
	}
	us, err := s.svc.Users(r.Context(), actorFrom(r.Context()))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, List[*vmt.User]{Items: us, Total: len(us)})
}

func (s *Server) createUser(w http.ResponseWriter, r *http.Request) error {
	var in vmt.UserInput
	if err := decode(r, &in); err != nil {
		return err
	}
	u, err := s.svc.CreateUser(r.Context(), actorFrom(r.Context()), in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, u)
}

func (s *Server) getUser(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	u, err := s.svc.User(r.Context(), actorFrom(r.Context()), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, u)
}

func (s *Server) updateUser(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var p vmt.UserPatch
	if err := decode(r, &p); err != nil {
		return err
	}
	u, err := s.svc.UpdateUser(r.Context(), actorFrom(r.Context()), id, p)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, u)
}

func (s *Server) listTokens(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	ts, err := s.svc.Tokens(r.Context(), actorFrom(r.Context()), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, List[*vmt.Token]{Items: ts, Total: len(ts)})
}

func (s *Server) createToken(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in struct {
		Name string `json:"name"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	t, err := s.svc.CreateToken(r.Context(), actorFrom(r.Context()), id, in.Name)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, t)
}

func (s *Server) deleteToken(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	tid, err := pathID(r, "token")
	if err != nil {
		return err
	}
	if err := s.svc.DeleteToken(r.Context(), actorFrom(r.Context()), id, tid); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) audit(w http.ResponseWriter, r *http.Request) error {
	after, err := queryInt(r, "after")
	if err != nil {
		return err
	}
	limit, err := queryInt(r, "limit")
	if err != nil {
		return err
	}
	report, err := queryInt(r, "report")
	if err != nil {
		return err
	}
	actor, err := queryInt(r, "actor")
	if err != nil {
		return err
	}
	f := vmt.AuditFilter{AfterSeq: int64(after), Limit: limit, ReportID: int64(report), ActorID: int64(actor)}
	// action is repeatable, or comma-separated: ?action=a&action=b.
	for _, v := range r.URL.Query()["action"] {
		for _, a := range strings.Split(v, ",") {
			if a = strings.TrimSpace(a); a != "" {
				f.Actions = append(f.Actions, a)
			}
		}
	}
	if v := r.URL.Query().Get("since"); v != "" {
		if f.Since, err = time.Parse(time.RFC3339, v); err != nil {
			return vmt.Invalid("since", "%q is not an RFC 3339 time (2026-12-01T00:00:00Z)", v)
		}
	}
	evs, err := s.svc.AuditSearch(r.Context(), actorFrom(r.Context()), f)
	if err != nil {
		return err
	}
	if evs == nil {
		evs = []*vmt.AuditEvent{}
	}
	return writeJSON(w, http.StatusOK, List[*vmt.AuditEvent]{Items: evs, Total: len(evs)})
}

// sendEmailProof mails the caller a new link that proves their address:
// 202, since the mail leaves with the outbox. 409 when the address is
// proven already or a link was just sent.
func (s *Server) sendEmailProof(w http.ResponseWriter, r *http.Request) error {
	p, err := s.svc.SendEmailProof(r.Context(), actorFrom(r.Context()))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusAccepted, p)
}

// emailProofInput is the body of POST /api/v1/me/email-proof/confirm: the
// secret of the mailed link (its "token" parameter).
type emailProofInput struct {
	Token string `json:"token"`
}

// confirmEmailProof proves the caller's address with a link's secret and
// answers the user. 400 naming "token" when the link is refused.
func (s *Server) confirmEmailProof(w http.ResponseWriter, r *http.Request) error {
	if actorFrom(r.Context()).User == nil {
		return vmt.Errorf(vmt.EUNAUTHENTICATED, "sign in first")
	}
	var in emailProofInput
	if err := decode(r, &in); err != nil {
		return err
	}
	u, err := s.svc.ProveEmail(r.Context(), actorFrom(r.Context()), in.Token)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, u)
}

// inviteUser makes an account (administrators) and mails it a one-time
// link that proves the address and sets a first password: 201, the mail
// leaving with the outbox. An address whose account has a password is
// 409; one whose invitation was not taken up gets a new link.
func (s *Server) inviteUser(w http.ResponseWriter, r *http.Request) error {
	var in vmt.UserInput
	if err := decode(r, &in); err != nil {
		return err
	}
	u, l, err := s.svc.InviteUser(r.Context(), actorFrom(r.Context()), in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, Invitation{User: u, Link: l})
}
