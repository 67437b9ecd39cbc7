package http

import (
	"html/template"
	"net/http"
	"time"

	"github.com/pquerna/otp"

	"github.com/vmtproject/vmt"
)

// keyTOTPPending holds, during enrolment, the otpauth:// URL of the secret
// shown to the user until they confirm it with a code.
const keyTOTPPending = "totp_pending"

// twoFactorPage is the data of the two-factor page.
type twoFactorPage struct {
	Enabled bool
	Secret  string
	QR      template.URL
	Error   string
}

// offered returns the signed-in actor if their role is offered a second
// factor.
func offered(r *http.Request) (vmt.Actor, error) {
	a := actorFrom(r.Context())
	if a.User == nil {
		return a, vmt.Errorf(vmt.EUNAUTHENTICATED, "sign in first")
	}
	if !vmt.SecondFactorOffered(a.User.Role) {
		return a, vmt.Errorf(vmt.EFORBIDDEN, "two-factor sign-in is offered to the VMT, reviewers, the committee and administrators")
	}
	return a, nil
}

func (s *Server) twoFactorPage(w http.ResponseWriter, r *http.Request) error {
	a, err := offered(r)
	if err != nil {
		return err
	}
	f, err := s.ui.factors.SecondFactor(r.Context(), a.ID())
	if err != nil {
		return err
	}
	p := &twoFactorPage{Enabled: f.Enabled}
	if !f.Enabled {
		if err := s.pendingKey(r, a, p); err != nil {
			return err
		}
	}
	return s.render(w, r, http.StatusOK, "account_2fa", "Two-factor sign-in", p)
}

// pendingKey fills p with the secret being enrolled, making one if none is.
func (s *Server) pendingKey(r *http.Request, a vmt.Actor, p *twoFactorPage) error {
	m := s.ui.sessions.manager(r)
	var key *otp.Key
	var err error
	if u := m.GetString(r.Context(), keyTOTPPending); u != "" {
		key, err = otp.NewKeyFromURL(u)
	} else if key, err = newTOTPKey(a.User.Email); err == nil {
		m.Put(r.Context(), keyTOTPPending, key.URL())
	}
	if err != nil {
		return err
	}
	p.Secret = key.Secret()
	p.QR, err = qrDataURI(key)
	return err
}

// twoFactorEnable turns the second factor on once the user proves, with a
// code, that their app holds the secret.
func (s *Server) twoFactorEnable(w http.ResponseWriter, r *http.Request) error {
	a, err := offered(r)
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	m := s.ui.sessions.manager(r)
	key, err := otp.NewKeyFromURL(m.GetString(r.Context(), keyTOTPPending))
	if err != nil {
		return vmt.Errorf(vmt.ECONFLICT, "the enrolment has expired; start again")
	}
	step, ok := checkCode(key.Secret(), r.PostForm.Get("code"), time.Now())
	if !ok {
		p := &twoFactorPage{Error: "That code is not right. Check the time on your device and try the current code."}
		if err := s.pendingKey(r, a, p); err != nil {
			return err
		}
		return s.render(w, r, http.StatusBadRequest, "account_2fa", "Two-factor sign-in", p)
	}
	if err := s.ui.factors.SetSecondFactor(r.Context(), a.ID(), vmt.SecondFactor{Secret: key.Secret(), Enabled: true, LastStep: step}); err != nil {
		return err
	}
	m.Remove(r.Context(), keyTOTPPending)
	if err := s.svc.RecordSecondFactor(r.Context(), a, true); err != nil {
		return err
	}
	// The account's other sessions, signed in without a code, end at their
	// next request (sessionActor); this one has just shown the code.
	if err := s.signIn(r, enrolled(a)); err != nil {
		return err
	}
	s.flash(r, "Two-factor sign-in is on: you will be asked for a code at each sign-in.", false)
	return redirect(w, r, "/account/two-factor")
}

// twoFactorDisable turns the second factor off, given a current code, so
// that a session left open is not enough to remove it.
func (s *Server) twoFactorDisable(w http.ResponseWriter, r *http.Request) error {
	a, err := offered(r)
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	if err := s.verifyCode(r, a.ID(), r.PostForm.Get("code")); err != nil {
		s.flash(r, "Not done: "+vmt.ErrorMessage(err), true)
		return redirect(w, r, "/account/two-factor")
	}
	if err := s.ui.factors.SetSecondFactor(r.Context(), a.ID(), vmt.SecondFactor{}); err != nil {
		return err
	}
	if err := s.svc.RecordSecondFactor(r.Context(), a, false); err != nil {
		return err
	}
	s.flash(r, "Two-factor sign-in is off.", false)
	return redirect(w, r, "/account/two-factor")
}

// verifyCode checks a code of user uid's second factor, limited like
// passwords, and uses it up.
func (s *Server) verifyCode(r *http.Request, uid int64, code string) error {
	key := "code:" + itoa64(uid)
	if !s.ui.loginAccount.allowed(key) {
		return vmt.Errorf(vmt.ERATELIMIT, "too many wrong codes; wait a few minutes and try again")
	}
	f, err := s.ui.factors.SecondFactor(r.Context(), uid)
	if err != nil {
		return err
	}
	bad := vmt.Errorf(vmt.EUNAUTHENTICATED, "that code is not right, or was used already")
	step, ok := checkCode(f.Secret, code, time.Now())
	if !f.Enabled || !ok {
		s.ui.loginAccount.fail(key)
		return bad
	}
	fresh, err := s.ui.factors.UseSecondFactorStep(r.Context(), uid, step)
	if err != nil {
		return err
	}
	if !fresh {
		s.ui.loginAccount.fail(key)
		return bad
	}
	return nil
}
