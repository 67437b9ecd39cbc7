package http

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/vmtproject/vmt"
)

// proof is what the requests of one sign-in have shown of an account: its
// password (or, for an account made by this request, the password it was
// just given), and whether the code of its second factor was checked too.
// Only checkLogin, pendingCodeProof, registered, linked and enrolled make one, so that a
// handler cannot sign anyone in from an actor it merely looked up.
type proof struct {
	actor vmt.Actor
	how   string // for the audit: "password", "password and code", "registration"
	code  bool   // the code of the account's second factor was checked
}

// enrolled is the proof of the account whose session (signed in) has just
// confirmed a new second factor with its code: the session is signed in
// again through signIn, so that it holds the factor it just added.
func enrolled(a vmt.Actor) proof { return proof{actor: a, how: "enrolment", code: true} }

// registered is the proof of an account this request made, with the
// password the form gave it: its only factor.
func registered(a vmt.Actor) proof { return proof{actor: a, how: "registration"} }

// linked is the proof of an account whose first password this request
// set from a one-time link (vmt.AccountLink): that password, its only
// factor so far. An account that has a second factor as well still goes
// through the code step (signIn).
func linked(a vmt.Actor) proof { return proof{actor: a, how: "one-time link"} }

// errCodeDue is signIn's answer to a proof without the code of an account
// that has a second factor. The caller sends the user through the code
// step (startCodeStep) or refuses; nothing was signed in.
var errCodeDue = vmt.Errorf(vmt.EUNAUTHENTICATED, "this account signs in with a code from its authenticator app as well as its password")

// signIn is the only way a web session becomes signed in, whatever the
// path (sign-in form, code step, report form, any later link or
// invitation). It requires every factor the account has, read from the
// store here rather than trusted from the caller: an account with a second
// factor and a proof without its code is errCodeDue, the session left as
// it was. Otherwise the session gets a fresh token, so that a token planted
// before sign-in (session fixation) is worth nothing after it, and the
// sign-in is audited.
func (s *Server) signIn(r *http.Request, p proof) error {
	if p.actor.User == nil {
		return vmt.Errorf(vmt.EUNAUTHENTICATED, "sign in first")
	}
	f, err := s.ui.factors.SecondFactor(r.Context(), p.actor.ID())
	if err != nil {
		return fmt.Errorf("reading the second factor of user %d: %w", p.actor.ID(), err)
	}
	if f.Enabled && !p.code {
		return errCodeDue
	}
	m := s.ui.sessions.manager(r)
	if err := m.RenewToken(r.Context()); err != nil {
		return fmt.Errorf("renewing the session token: %w", err)
	}
	m.Remove(r.Context(), keyPendingUser)
	m.Remove(r.Context(), keyPendingAt)
	m.Put(r.Context(), keyUserID, p.actor.ID())
	m.Put(r.Context(), keyCode, p.code)
	m.Put(r.Context(), keySince, time.Now().UnixMicro())
	return s.svc.RecordSignIn(r.Context(), p.actor, p.how, clientIP(r))
}

// checkLogin is Service.Login behind the limits on failed attempts: per
// client address, and per account from that address. The account's limit
// is not global, so that failures sent from one address cannot lock its
// owner out of signing in from another.
func (s *Server) checkLogin(r *http.Request, email, password string) (proof, error) {
	ip := clientIP(r)
	account := accountFrom(email, ip)
	if !s.ui.loginIP.allowed(ip) || !s.ui.loginAccount.allowed(account) {
		return proof{}, vmt.Errorf(vmt.ERATELIMIT, "too many failed sign-in attempts; wait a few minutes and try again")
	}
	a, err := s.svc.Login(r.Context(), email, password)
	if vmt.ErrorCode(err) == vmt.EUNAUTHENTICATED {
		s.ui.loginIP.fail(ip)
		s.ui.loginAccount.fail(account)
	}
	if err != nil {
		return proof{}, err
	}
	return proof{actor: a, how: "password"}, nil
}

// accountFrom is the key of the per-account limit: the account as typed
// (case aside) and the address it was typed from.
func accountFrom(email, ip string) string {
	return strings.ToLower(strings.TrimSpace(email)) + "\x00" + ip
}

// startCodeStep puts the session in the state between the password and
// the code, for p's account, and sends the browser to the code page. Only
// a proof of the password starts it.
func (s *Server) startCodeStep(w http.ResponseWriter, r *http.Request, p proof, next string) error {
	m := s.ui.sessions.manager(r)
	if err := m.RenewToken(r.Context()); err != nil {
		return fmt.Errorf("renewing the session token: %w", err)
	}
	m.Put(r.Context(), keyPendingUser, p.actor.ID())
	m.Put(r.Context(), keyPendingAt, time.Now().Unix())
	return redirect(w, r, "/login/code?next="+urlQueryEscape(next))
}

// pendingCodeProof checks code against the second factor of the account
// whose password this session proved in the last few minutes, and returns
// the proof of both. No session in that state is EUNAUTHENTICATED.
func (s *Server) pendingCodeProof(r *http.Request, code string) (proof, error) {
	uid := s.pendingUser(r)
	if uid == 0 {
		return proof{}, vmt.Errorf(vmt.EUNAUTHENTICATED, "sign in with your password first")
	}
	if err := s.verifyCode(r, uid, code); err != nil {
		return proof{}, err
	}
	a, err := s.svc.SessionActor(r.Context(), uid)
	if err != nil {
		return proof{}, err
	}
	return proof{actor: a, how: "password and code", code: true}, nil
}
