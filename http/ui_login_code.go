package http

import (
	"net/http"
	"strconv"
	"time"

	"github.com/vmtproject/vmt"
)

// Keys of a sign-in half done: the password was right, the code is due.
const (
	keyPendingUser = "pending_uid"
	keyPendingAt   = "pending_at"
)

// pendingFor is how long the code may follow the password.
const pendingFor = 5 * time.Minute

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }

// pendingUser returns the user whose password was checked in this session
// in the last few minutes, or 0.
func (s *Server) pendingUser(r *http.Request) int64 {
	m := s.ui.sessions.manager(r)
	at := time.Unix(m.GetInt64(r.Context(), keyPendingAt), 0)
	if time.Since(at) > pendingFor {
		return 0
	}
	return m.GetInt64(r.Context(), keyPendingUser)
}

func (s *Server) loginCodePage(w http.ResponseWriter, r *http.Request) error {
	if s.pendingUser(r) == 0 {
		return redirect(w, r, "/login")
	}
	return s.render(w, r, http.StatusOK, "login_code", "Sign-in code", loginForm{Next: safeNext(r.URL.Query().Get("next"))})
}

// loginCode finishes a sign-in with the code of the second factor.
func (s *Server) loginCode(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	if s.pendingUser(r) == 0 {
		return redirect(w, r, "/login")
	}
	f := loginForm{Next: safeNext(r.PostForm.Get("next"))}
	p, err := s.pendingCodeProof(r, r.PostForm.Get("code"))
	if vmt.ErrorCode(err) == vmt.EUNAUTHENTICATED {
		f.Error = vmt.ErrorMessage(err)
		return s.render(w, r, http.StatusUnauthorized, "login_code", "Sign-in code", f)
	} else if err != nil {
		return err
	}
	if err := s.signIn(r, p); err != nil {
		return err
	}
	return redirect(w, r, landing(f.Next))
}
