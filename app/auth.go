package app

import (
	"context"
	"strings"

	"github.com/vmtproject/vmt"
)

// Authenticate returns the actor a token secret stands for. An unknown or
// revoked token, or a disabled user, is EUNAUTHENTICATED. The answer is
// kept for a moment (credcache.go); a change through this service to the
// account or its tokens ends that at once.
func (s *Service) Authenticate(ctx context.Context, secret string) (vmt.Actor, error) {
	if !strings.HasPrefix(secret, vmt.TokenPrefix) || len(secret) > 100 {
		return vmt.Anonymous, vmt.Errorf(vmt.EUNAUTHENTICATED, "invalid token")
	}
	hash := vmt.HashToken(secret)
	u, gen := s.creds.get(hash)
	if u != nil {
		// Only tokens of enabled accounts are kept (below).
		return vmt.Actor{User: u}, nil
	}
	err := s.deps.Store.ViewOne(ctx, func(tx vmt.Tx) (err error) {
		u, err = tx.UserByToken(hash)
		return err
	})
	if vmt.ErrorCode(err) == vmt.ENOTFOUND || err == nil && u.Disabled {
		return vmt.Anonymous, vmt.Errorf(vmt.EUNAUTHENTICATED, "invalid token")
	}
	if err != nil {
		return vmt.Anonymous, err
	}
	s.creds.put(hash, u, gen)
	return vmt.Actor{User: u}, nil
}

// Login checks an email and password and returns the actor. Wrong email and
// wrong password read the same.
func (s *Service) Login(ctx context.Context, email, password string) (vmt.Actor, error) {
	bad := vmt.Errorf(vmt.EUNAUTHENTICATED, "wrong email or password")
	email, err := vmt.NormalizeEmail("email", email)
	if err != nil || len(password) > vmt.MaxPasswordLen {
		return vmt.Anonymous, bad
	}
	var u *vmt.User
	err = s.deps.Store.View(ctx, func(tx vmt.Tx) (err error) { u, err = tx.UserByEmail(email); return err })
	if vmt.ErrorCode(err) == vmt.ENOTFOUND {
		// Spend the same time as a real check, so that timing does not
		// tell which addresses have accounts.
		_, _ = s.deps.Hasher.Verify(s.dummyHash(), password)
		return vmt.Anonymous, bad
	} else if err != nil {
		return vmt.Anonymous, err
	}
	ok, err := s.deps.Hasher.Verify(u.PasswordHash, password)
	if err != nil || !ok || u.Disabled || u.PasswordHash == "" {
		return vmt.Anonymous, bad
	}
	return vmt.Actor{User: u}, nil
}

func (s *Service) dummyHash() string {
	s.dummyOnce.Do(func() { s.dummy, _ = s.deps.Hasher.Hash("not a password of anyone's") })
	return s.dummy
}

// Bootstrap creates the first administrator, their token and a first project
// with the administrator as its VMT, if the instance has no user yet. It
// returns the token secret, or "" when the instance was set up already.
func (s *Service) Bootstrap(ctx context.Context, in vmt.BootstrapInput) (string, error) {
	secret := in.AdminToken
	if secret == "" {
		secret = vmt.NewTokenSecret()
	} else if !strings.HasPrefix(secret, vmt.TokenPrefix) || len(secret) < len(vmt.TokenPrefix)+20 || len(secret) > 100 {
		return "", vmt.Invalid("VMT_ADMIN_TOKEN", "must start with %q and have 20 to 96 more characters", vmt.TokenPrefix)
	}
	// The operator who starts the instance vouches for their own address.
	u, err := s.newUser(vmt.UserInput{Email: in.AdminEmail, Name: "Administrator", Role: vmt.RoleAdmin, Password: in.AdminPassword, EmailProven: true})
	if err != nil {
		return "", err
	}
	p := in.Project
	p.CreatedAt = s.now()
	if err := p.Validate(); err != nil {
		return "", err
	}
	created := false
	err = s.deps.Store.Update(ctx, func(tx vmt.Tx) error {
		n, err := tx.CountUsers()
		if err != nil || n > 0 {
			return err
		}
		created = true
		sys := vmt.Anonymous
		if err := tx.CreateUser(u); err != nil {
			return err
		}
		if err := s.audit(tx, sys, vmt.AuditUserCreate, 0, 0, subject("user", u.ID), nil, u); err != nil {
			return err
		}
		t := &vmt.Token{UserID: u.ID, Name: "bootstrap", Hash: vmt.HashToken(secret), CreatedAt: s.now()}
		if err := tx.CreateToken(t); err != nil {
			return err
		}
		if err := s.audit(tx, sys, vmt.AuditTokenCreate, 0, 0, subject("user", u.ID), nil, t); err != nil {
			return err
		}
		if err := tx.CreateProject(&p); err != nil {
			return err
		}
		if err := s.audit(tx, sys, vmt.AuditProjectCreate, p.ID, 0, subject("project", p.ID), nil, &p); err != nil {
			return err
		}
		m := vmt.Member{ProjectID: p.ID, UserID: u.ID, Role: vmt.MemberVMT}
		if err := tx.SetMember(m); err != nil {
			return err
		}
		return s.audit(tx, sys, vmt.AuditMemberSet, p.ID, 0, subject("project", p.ID), nil, m)
	})
	if err != nil || !created {
		return "", err
	}
	return secret, nil
}
