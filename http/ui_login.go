package http

import (
	"errors"
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
// account and address, and signs in through signIn: an account with a
// second factor goes on to the code step.
func (s *Server) login(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	f := loginForm{Email: strings.TrimSpace(r.PostForm.Get("email")), Next: safeNext(r.PostForm.Get("next"))}
	p, err := s.checkLogin(r, f.Email, r.PostForm.Get("password"))
	switch vmt.ErrorCode(err) {
	case "":
	case vmt.EUNAUTHENTICATED:
		f.Error = vmt.ErrorMessage(err)
		return s.render(w, r, http.StatusUnauthorized, "login", "Sign in", f)
	default:
		return err
	}
	err = s.signIn(r, p)
	if errors.Is(err, errCodeDue) {
		return s.startCodeStep(w, r, p, f.Next)
	} else if err != nil {
		return err
	}
	return redirect(w, r, landing(f.Next))
}

// landing is where a sign-in ends: the page asked for (already checked
// by safeNext), else the inbox at "/", since what waits on the person is
// their first page (issue 13).
func landing(next string) string {
	if next == "" {
		return "/"
	}
	return next
}

// safeNext keeps a return path only if it stays on this site: a path, not
// "//host" or "/\host", which browsers read as another site.
func safeNext(p string) string {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.HasPrefix(p, "/\\") || strings.ContainsAny(p, "\r\n") {
		return ""
	}
	return p
}
