package app

import (
	"context"
	"strings"
	"time"

	"github.com/vmtproject/vmt"
)

// An account link (vmt.AccountLink) lets the holder of an account with no
// password set its first one. Two make them: the first start of the
// service, for the administrator it made with a token only
// (FirstSignInLink), and an administrator inviting someone (InviteUser),
// whose link goes by mail and proves the address too. Opening one signs no
// one in by itself: the page sets the password, and the session is then
// signed in through the one sign-in, which asks for every factor the
// account has.

// FirstSignInLink makes a link for the first administrator when no
// administrator can sign in to the pages (none enabled has a password),
// and returns its secret and the account; "" and nil when one can, so
// that a restarted instance prints nothing once it is set up. The links
// made before for that account end: only the newest printed one works.
// It takes no actor: only the operator who starts the service calls it,
// and the link goes to the service's own log.
func (s *Service) FirstSignInLink(ctx context.Context) (string, *vmt.User, error) {
	var secret string
	var admin *vmt.User
	err := s.deps.Store.Update(ctx, func(tx vmt.Tx) error {
		us, err := tx.Users()
		if err != nil {
			return err
		}
		for _, u := range us {
			if u.Role != vmt.RoleAdmin || u.Disabled {
				continue
			}
			if u.PasswordHash != "" {
				return nil // an administrator can sign in
			}
			if admin == nil || u.ID < admin.ID {
				admin = u
			}
		}
		if admin == nil {
			return nil
		}
		var l *vmt.AccountLink
		if secret, l, err = s.makeAccountLink(tx, admin, vmt.LinkFirstAdmin, 0); err != nil {
			return err
		}
		return s.audit(tx, vmt.Anonymous, vmt.AuditUserLinkCreate, 0, 0, subject("user", admin.ID), nil,
			map[string]any{"purpose": l.Purpose, "link_id": l.ID, "expires_at": l.ExpiresAt})
	})
	if err != nil || secret == "" {
		return "", nil, err
	}
	return secret, admin, nil
}

// InviteUser makes an account for in (no password, the address unproven)
// and mails it a link that proves the address and sets a first password.
// Administrators only. An address that has an account with no password
// (an invitation not taken up) gets a new link, which ends the old ones;
// one whose account has a password is ECONFLICT on "email".
func (s *Service) InviteUser(ctx context.Context, a vmt.Actor, in vmt.UserInput) (*vmt.User, *vmt.AccountLink, error) {
	if err := vmt.RequireAdmin(a); err != nil {
		return nil, nil, err
	}
	if in.Password != "" {
		return nil, nil, vmt.Invalid("password", "is set by the person invited, from the link")
	}
	in.EmailProven = false // the link proves it
	fresh, err := s.newUser(in)
	if err != nil {
		return nil, nil, err
	}
	var u *vmt.User
	var l *vmt.AccountLink
	err = s.deps.Store.Update(ctx, func(tx vmt.Tx) error {
		u, err = tx.UserByEmail(fresh.Email)
		switch {
		case vmt.ErrorCode(err) == vmt.ENOTFOUND:
			u = fresh
			if err := tx.CreateUser(u); err != nil {
				return err
			}
			if err := s.audit(tx, a, vmt.AuditUserCreate, 0, 0, subject("user", u.ID), nil, u); err != nil {
				return err
			}
		case err != nil:
			return err
		case u.PasswordHash != "":
			return &vmt.Error{Code: vmt.ECONFLICT, Field: "email", Message: u.Email + " has an account with a password already"}
		case u.Disabled:
			return &vmt.Error{Code: vmt.ECONFLICT, Field: "email", Message: u.Email + " has a disabled account: enable it first"}
		}
		var secret string
		if secret, l, err = s.makeAccountLink(tx, u, vmt.LinkInvite, a.ID()); err != nil {
			return err
		}
		m := vmt.NoticeMail{Recipient: subject("user", u.ID), To: []string{u.Email},
			Subject: "You are invited to the vulnerability management site", Body: s.inviteBody(a, u, secret, l.ExpiresAt)}
		if err := enqueueJSON(tx, "invite:"+itoa(int(l.ID)), vmt.KindInvite, 0, m, l.CreatedAt); err != nil {
			return err
		}
		return s.audit(tx, a, vmt.AuditUserInvite, 0, 0, subject("user", u.ID), nil,
			map[string]any{"email": u.Email, "role": u.Role, "link_id": l.ID, "expires_at": l.ExpiresAt})
	})
	if err != nil {
		return nil, nil, err
	}
	return u, l, nil
}

// makeAccountLink ends u's unused links and makes a new one, in tx,
// returning its secret (which is never stored) and the link.
func (s *Service) makeAccountLink(tx vmt.Tx, u *vmt.User, purpose vmt.AccountLinkPurpose, by int64) (string, *vmt.AccountLink, error) {
	now := s.now()
	if _, err := tx.EndAccountLinks(u.ID, now); err != nil {
		return "", nil, err
	}
	secret := vmt.NewAccountLinkSecret()
	l := &vmt.AccountLink{UserID: u.ID, Email: u.Email, Purpose: purpose, Hash: vmt.HashToken(secret),
		CreatedBy: by, CreatedAt: now, ExpiresAt: now.Add(vmt.AccountLinkTTL)}
	if err := tx.CreateAccountLink(l); err != nil {
		return "", nil, err
	}
	return secret, l, nil
}

// inviteBody is the text of the invitation: who invited whom, as what,
// and that the link works once.
func (s *Service) inviteBody(a vmt.Actor, u *vmt.User, secret string, expires time.Time) string {
	by := a.User.Email
	if a.User.Name != "" {
		by = a.User.Name + " <" + a.User.Email + ">"
	}
	var b strings.Builder
	b.WriteString(by + " invited you (" + u.Email + ") to the vulnerability management\n")
	b.WriteString("site, with the role " + string(u.Role) + ". To take up the invitation, open this link\n")
	b.WriteString("and choose a password:\n\n")
	b.WriteString("  " + vmt.AccountLinkURL(s.deps.Publication.BaseURL, secret) + "\n\n")
	b.WriteString("It works once, until " + expires.UTC().Format("2006-01-02 15:04 UTC") + ". Opening it also confirms\n")
	b.WriteString("that this address is yours.\n\n")
	b.WriteString("If you did not expect this mail, ignore it: without the link no one can use\n")
	b.WriteString("the account.\n")
	return b.String()
}

// AccountLinkHolder is what the page of a link shows before the password
// is chosen: whose account it opens and until when.
type AccountLinkHolder struct {
	Email     string
	Name      string
	Role      vmt.Role
	Purpose   vmt.AccountLinkPurpose
	ExpiresAt time.Time
}

// CheckAccountLink says whether secret is a link that can set a first
// password now, and for whom. Every refusal is EINVALID on "token".
func (s *Service) CheckAccountLink(ctx context.Context, secret string) (*AccountLinkHolder, error) {
	var h *AccountLinkHolder
	err := s.deps.Store.View(ctx, func(tx vmt.Tx) error {
		l, u, err := s.accountLink(tx, secret)
		if err != nil {
			return err
		}
		h = &AccountLinkHolder{Email: u.Email, Name: u.Name, Role: u.Role, Purpose: l.Purpose, ExpiresAt: l.ExpiresAt}
		return nil
	})
	return h, err
}

// SetPasswordByLink uses the link of secret: it sets the account's first
// password (the server's limits, vmt.CheckPassword) and, for an
// invitation, marks the address proven, in one transaction that uses the
// link up. It returns the account's actor, which the caller signs in
// through its one sign-in (every factor). A refused link or password
// changes nothing, and the link stays good for a second try.
func (s *Service) SetPasswordByLink(ctx context.Context, secret, password string) (vmt.Actor, error) {
	if err := vmt.CheckPassword("password", password); err != nil {
		return vmt.Anonymous, err
	}
	h, err := s.deps.Hasher.Hash(password)
	if err != nil {
		return vmt.Anonymous, err
	}
	var u *vmt.User
	err = s.deps.Store.Update(ctx, func(tx vmt.Tx) error {
		var l *vmt.AccountLink
		if l, u, err = s.accountLink(tx, secret); err != nil {
			return err
		}
		now := s.now()
		if err := tx.UseAccountLink(l.ID, now); err != nil {
			return err
		}
		before := u.EmailVerifiedAt
		u.PasswordHash = h
		proven := (l.Purpose == vmt.LinkInvite || l.Purpose == vmt.LinkIntake) && u.EmailVerifiedAt == nil
		if proven {
			u.EmailVerifiedAt = &now
		}
		if err := tx.UpdateUser(u); err != nil {
			return err
		}
		// The new user is the actor: the link stood for them.
		a := vmt.Actor{User: u}
		if err := s.audit(tx, a, vmt.AuditUserPassword, 0, 0, subject("user", u.ID), nil,
			map[string]any{"changed": true, "by": "link", "link_id": l.ID, "purpose": l.Purpose}); err != nil {
			return err
		}
		if !proven {
			return nil
		}
		return s.audit(tx, a, vmt.AuditUserEmailProven, 0, 0, subject("user", u.ID),
			map[string]any{"email": u.Email, "email_verified_at": before},
			map[string]any{"email": u.Email, "email_verified_at": u.EmailVerifiedAt, "link_id": l.ID})
	})
	if err != nil {
		return vmt.Anonymous, err
	}
	return vmt.Actor{User: u}, nil
}

// accountLink reads the link of secret and its account and checks that
// it can set a first password now.
func (s *Service) accountLink(tx vmt.Tx, secret string) (*vmt.AccountLink, *vmt.User, error) {
	secret = strings.TrimSpace(secret)
	if !strings.HasPrefix(secret, vmt.AccountLinkPrefix) || len(secret) > 100 {
		return nil, nil, vmt.CheckAccountLink(nil, nil, s.now())
	}
	l, err := tx.AccountLinkByHash(vmt.HashToken(secret))
	if vmt.ErrorCode(err) == vmt.ENOTFOUND {
		return nil, nil, vmt.CheckAccountLink(nil, nil, s.now())
	} else if err != nil {
		return nil, nil, err
	}
	u, err := tx.User(l.UserID)
	if vmt.ErrorCode(err) == vmt.ENOTFOUND {
		u = nil
	} else if err != nil {
		return nil, nil, err
	}
	if err := vmt.CheckAccountLink(l, u, s.now()); err != nil {
		return nil, nil, err
	}
	return l, u, nil
}
