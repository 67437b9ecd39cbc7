package http

import (
	"net/http"

	"github.com/vmtproject/vmt"
)

// accountPage is the data of account.html: the signed-in user's own
// settings. Key is the text of the key form (the stored key, or what was
// typed when it was refused); KeyError the refusal.
type accountPage struct {
	User     *vmt.User
	Key      string
	KeyError string
}

// accountPageView shows the account page with the stored key.
func (s *Server) accountPageView(w http.ResponseWriter, r *http.Request) error {
	a := actorFrom(r.Context())
	if a.User == nil {
		return vmt.Errorf(vmt.EUNAUTHENTICATED, "sign in first")
	}
	u, err := s.svc.User(r.Context(), a, a.ID())
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "account", "Your account", &accountPage{User: u, Key: u.OpenPGPKey})
}

// accountKey sets or removes (an empty text, or the remove button) the
// user's OpenPGP key, which the CVE request form of an embargoed report
// carries. A refused key is shown again with the refusal next to it.
func (s *Server) accountKey(w http.ResponseWriter, r *http.Request) error {
	a := actorFrom(r.Context())
	if a.User == nil {
		return vmt.Errorf(vmt.EUNAUTHENTICATED, "sign in first")
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	key := r.PostForm.Get("openpgp_key")
	if r.PostForm.Get("remove") != "" {
		key = ""
	}
	u, err := s.svc.UpdateUser(r.Context(), a, a.ID(), vmt.UserPatch{OpenPGPKey: &key})
	if vmt.ErrorField(err) == "openpgp_key" {
		cur, rerr := s.svc.User(r.Context(), a, a.ID())
		if rerr != nil {
			return rerr
		}
		return s.render(w, r, http.StatusBadRequest, "account", "Your account",
			&accountPage{User: cur, Key: key, KeyError: vmt.ErrorMessage(err)})
	}
	if err != nil {
		return err
	}
	if u.OpenPGPKey == "" {
		s.flash(r, "Your OpenPGP key is removed.", false)
	} else {
		s.flash(r, "Your OpenPGP key "+u.OpenPGPFingerprint+" is saved.", false)
	}
	return redirect(w, r, "/account")
}
