package http

import (
	"errors"
	"net/http"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/app"
)

// welcomeForm is the data of welcome.html: whose account the link opens,
// the link's secret carried into the form, and what was refused.
type welcomeForm struct {
	Holder     *app.AccountLinkHolder
	Token      string
	Error      string
	ErrorField string // "token" (the link) or "password"
	MinLen     int
}

// welcomePage is where a one-time account link lands (the first
// administrator's, an invitation's). It changes nothing: a GET is what
// mail scanners and link previews send; the password form POSTs to
// welcome. A link that cannot be used says why, with no form.
func (s *Server) welcomePage(w http.ResponseWriter, r *http.Request) error {
	// The secret is in this page's address: no request it makes (the
	// style sheet, a link followed) carries it on in a Referer.
	w.Header().Set("Referrer-Policy", "no-referrer")
	f := welcomeForm{Token: r.URL.Query().Get("token"), MinLen: vmt.MinPasswordLen}
	h, err := s.svc.CheckAccountLink(r.Context(), f.Token)
	if vmt.ErrorField(err) == "token" {
		f.Error, f.ErrorField, f.Token = vmt.ErrorMessage(err), "token", ""
		return s.render(w, r, http.StatusBadRequest, "welcome", "Set your password", f)
	} else if err != nil {
		return err
	}
	f.Holder = h
	return s.render(w, r, http.StatusOK, "welcome", "Set your password", f)
}

// welcome sets the account's first password from the link, then signs
// the session in through signIn, which asks for every factor the account
// has: one with a second factor goes on to the code step. The link is
// used up only when the password is taken; a refused password shows the
// form again with the link still good.
func (s *Server) welcome(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	f := welcomeForm{Token: r.PostForm.Get("token"), MinLen: vmt.MinPasswordLen}
	pw := r.PostForm.Get("password")
	refuse := func(err error) error {
		f.Error, f.ErrorField = vmt.ErrorMessage(err), vmt.ErrorField(err)
		if f.ErrorField == "token" {
			f.Token, f.Holder = "", nil
		}
		return s.render(w, r, http.StatusBadRequest, "welcome", "Set your password", f)
	}
	h, err := s.svc.CheckAccountLink(r.Context(), f.Token)
	if vmt.ErrorField(err) == "token" {
		return refuse(err)
	} else if err != nil {
		return err
	}
	f.Holder = h
	if pw != r.PostForm.Get("password_again") {
		return refuse(vmt.Invalid("password", "the two passwords differ"))
	}
	a, err := s.svc.SetPasswordByLink(r.Context(), f.Token, pw)
	if vmt.ErrorCode(err) == vmt.EINVALID {
		return refuse(err)
	} else if err != nil {
		return err
	}
	p := linked(a)
	err = s.signIn(r, p)
	if errors.Is(err, errCodeDue) {
		return s.startCodeStep(w, r, p, landing(""))
	} else if err != nil {
		return err
	}
	s.flash(r, "Your password is set and you are signed in as "+a.User.Email+".", false)
	return redirect(w, r, landing(""))
}
