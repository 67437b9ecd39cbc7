package http

import (
	"net/http"
	"strings"

	"github.com/vmtproject/vmt"
)

// loginForm is the data of the sign-in page.
type loginForm struct {
	Email, Next, Error, Notice string
}

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) error {
	f := loginForm{Next: safeNext(r.URL.Query().Get("next"))}
	if r.URL.Query().Get("signed_out") == "everywhere" {
		f.Notice = "You are signed out on every device."
	}
	return s.render(w, r, http.StatusOK, "login", "Sign in", f)
}

// login checks the email and password, limited per client address and per
// account, and starts a fresh session.
func (s *Server) login(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	f := loginForm{Email: strings.TrimSpace(r.PostForm.Get("email")), Next: safeNext(r.PostForm.Get("next"))}
	a, err := s.checkLogin(r, f.Email, r.PostForm.Get("password"))
	switch vmt.ErrorCode(err) {
	case "":
	case vmt.EUNAUTHENTICATED:
		f.Error = vmt.ErrorMessage(err)
		return s.render(w, r, http.StatusUnauthorized, "login", "Sign in", f)
	default:
		return err
	}
	if done, err := s.secondStep(w, r, a, f.Next); done || err != nil {
		return err
	}
	if err := s.signIn(r, a, "password"); err != nil {
		return err
	}
	next := f.Next
	if next == "" {
		next = "/reports"
	}
	return redirect(w, r, next)
}

// checkLogin is Service.Login behind the limits on failed attempts.
func (s *Server) checkLogin(r *http.Request, email, password string) (vmt.Actor, error) {
	ip, account := clientIP(r), strings.ToLower(email)
	if !s.ui.loginIP.allowed(ip) || !s.ui.loginAccount.allowed(account) {
		return vmt.Anonymous, vmt.Errorf(vmt.ERATELIMIT, "too many failed sign-in attempts; wait a few minutes and try again")
	}
	a, err := s.svc.Login(r.Context(), email, password)
	if vmt.ErrorCode(err) == vmt.EUNAUTHENTICATED {
		s.ui.loginIP.fail(ip)
		s.ui.loginAccount.fail(account)
	}
	return a, err
}

// safeNext keeps a return path only if it stays on this site: a path, not
// "//host" or "/\host", which browsers read as another site.
func safeNext(p string) string {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.HasPrefix(p, "/\\") || strings.ContainsAny(p, "\r\n") {
		return ""
	}
	return p
}
