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
	// Notifications are the kinds of mail with whether each is on, in
	// the order of vmt.NotifyKinds; Digest the daily digest choice.
	Notifications []notificationChoice
	Digest        bool
	// GitHubLogins are the account's GitHub logins; GitHubLogin the text
	// of the login form, GitHubError its refusal.
	GitHubLogins []string
	GitHubLogin  string
	GitHubError  string
}

// notificationChoice is one kind of notification on the account page.
type notificationChoice struct {
	Kind  vmt.NotifyKind
	Label string
	On    bool
}

// withNotifications adds what a receives to the page.
func (s *Server) withNotifications(r *http.Request, a vmt.Actor, p *accountPage) (*accountPage, error) {
	set, err := s.svc.NotificationSettings(r.Context(), a)
	if err != nil {
		return nil, err
	}
	for _, k := range vmt.NotifyKinds() {
		p.Notifications = append(p.Notifications, notificationChoice{Kind: k, Label: k.Label(), On: set.Kinds[k]})
	}
	p.Digest = set.Digest
	if p.GitHubLogins, err = s.svc.OwnForgeLogins(r.Context(), a); err != nil {
		return nil, err
	}
	if p.GitHubLogin == "" && len(p.GitHubLogins) > 0 {
		p.GitHubLogin = p.GitHubLogins[0]
	}
	return p, nil
}

// accountGitHubLogin sets (or, empty or with the remove button, takes
// off) the account's GitHub login: a report the account is let in to has
// it as a collaborator on its draft advisory. A refused login is shown
// again with the refusal next to it.
func (s *Server) accountGitHubLogin(w http.ResponseWriter, r *http.Request) error {
	a := actorFrom(r.Context())
	if a.User == nil {
		return vmt.Errorf(vmt.EUNAUTHENTICATED, "sign in first")
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	login := r.PostForm.Get("github_login")
	if r.PostForm.Get("remove") != "" {
		login = ""
	}
	ls, err := s.svc.SetOwnForgeLogin(r.Context(), a, login) // administrators only
	if code := vmt.ErrorCode(err); code == vmt.EINVALID || code == vmt.ECONFLICT {
		u, uerr := s.svc.User(r.Context(), a, a.ID())
		if uerr != nil {
			return uerr
		}
		p, nerr := s.withNotifications(r, a, &accountPage{User: u, Key: u.OpenPGPKey, GitHubLogin: login, GitHubError: vmt.ErrorMessage(err)})
		if nerr != nil {
			return nerr
		}
		return s.render(w, r, http.StatusBadRequest, "account", "Your account", p)
	}
	if err != nil {
		return err
	}
	if len(ls) == 0 {
		s.flash(r, "Your GitHub login is taken off.", false)
	} else {
		s.flash(r, "Your GitHub login @"+ls[0]+" is saved.", false)
	}
	return redirect(w, r, "/account#github-login")
}

// accountNotifications stores the kinds of mail the person receives: a
// checkbox per kind, checked for on.
func (s *Server) accountNotifications(w http.ResponseWriter, r *http.Request) error {
	a := actorFrom(r.Context())
	if a.User == nil {
		return vmt.Errorf(vmt.EUNAUTHENTICATED, "sign in first")
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	in := vmt.NotificationSettings{Kinds: map[vmt.NotifyKind]bool{}, Digest: r.PostForm.Get("digest") != ""}
	for _, k := range vmt.NotifyKinds() {
		in.Kinds[k] = r.PostForm.Get("notify_"+string(k)) != ""
	}
	if _, err := s.svc.SetNotificationSettings(r.Context(), a, in); err != nil {
		return err
	}
	s.flash(r, "Your notification settings are saved.", false)
	return redirect(w, r, "/account#notifications")
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
	p, err := s.withNotifications(r, a, &accountPage{User: u, Key: u.OpenPGPKey})
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "account", "Your account", p)
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
		p, nerr := s.withNotifications(r, a, &accountPage{User: cur, Key: key, KeyError: vmt.ErrorMessage(err)})
		if nerr != nil {
			return nerr
		}
		return s.render(w, r, http.StatusBadRequest, "account", "Your account", p)
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
