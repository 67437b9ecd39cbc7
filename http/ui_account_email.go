package http

import (
	"net/http"

	"github.com/vmtproject/vmt"
)

// emailProofPage is the data of account_email.html: the link's secret,
// carried into the confirm form, and the refusal of a confirm.
type emailProofPage struct {
	User  *vmt.User
	Token string
	Error string
}

// emailProofView is where the mailed link lands (vmt.EmailProofPath). It
// changes nothing: a GET is what mail scanners and link previews send, and
// the address is proven by the signed-in owner pressing the button, which
// POSTs to emailProofConfirm. A visitor not signed in is sent to sign in
// first and comes back here.
func (s *Server) emailProofView(w http.ResponseWriter, r *http.Request) error {
	a := actorFrom(r.Context())
	if a.User == nil {
		return vmt.Errorf(vmt.EUNAUTHENTICATED, "sign in to the account the link was sent for")
	}
	return s.render(w, r, http.StatusOK, "account_email", "Confirm your address",
		&emailProofPage{User: a.User, Token: r.URL.Query().Get("token")})
}

// emailProofConfirm proves the signed-in account's address with the
// link's secret. A refused link is shown again with why (expired, used,
// for another account or address, not one we sent); nothing changes.
func (s *Server) emailProofConfirm(w http.ResponseWriter, r *http.Request) error {
	a := actorFrom(r.Context())
	if a.User == nil {
		return vmt.Errorf(vmt.EUNAUTHENTICATED, "sign in to the account the link was sent for")
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	token := r.PostForm.Get("token")
	u, err := s.svc.ProveEmail(r.Context(), a, token)
	if vmt.ErrorField(err) == "token" {
		return s.render(w, r, http.StatusBadRequest, "account_email", "Confirm your address",
			&emailProofPage{User: a.User, Token: token, Error: vmt.ErrorMessage(err)})
	}
	if err != nil {
		return err
	}
	s.flash(r, "Your address "+u.Email+" is confirmed.", false)
	return redirect(w, r, "/account")
}

// emailProofSend mails the signed-in account a new link.
func (s *Server) emailProofSend(w http.ResponseWriter, r *http.Request) error {
	a := actorFrom(r.Context())
	if a.User == nil {
		return vmt.Errorf(vmt.EUNAUTHENTICATED, "sign in first")
	}
	if _, err := s.svc.SendEmailProof(r.Context(), a); vmt.ErrorCode(err) == vmt.ECONFLICT {
		s.flash(r, vmt.ErrorMessage(err), true)
		return redirect(w, r, "/account")
	} else if err != nil {
		return err
	}
	s.flash(r, "A link is on its way to "+a.User.Email+": open it while signed in to this account.", false)
	return redirect(w, r, "/account")
}
