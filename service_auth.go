package vmt

import (
	"context"
	"strings"
)

// Authenticate returns the actor a token secret stands for. An unknown or
// revoked token, or a disabled user, is EUNAUTHENTICATED.
func (s *Service) Authenticate(ctx context.Context, secret string) (Actor, error) {
	if !strings.HasPrefix(secret, TokenPrefix) || len(secret) > 100 {
		return Anonymous, Errorf(EUNAUTHENTICATED, "invalid token")
	}
	var a Actor
	err := s.Store.ViewOne(ctx, func(tx Tx) (err error) {
		a.User, err = tx.UserByToken(HashToken(secret))
		return err
	})
	if ErrorCode(err) == ENOTFOUND || err == nil && a.User.Disabled {
		return Anonymous, Errorf(EUNAUTHENTICATED, "invalid token")
	}
	return a, err
}

// Login checks an email and password and returns the actor. Wrong email and
// wrong password read the same.
func (s *Service) Login(ctx context.Context, email, password string) (Actor, error) {
	bad := Errorf(EUNAUTHENTICATED, "wrong email or password")
	email, err := NormalizeEmail("email", email)
	if err != nil || len(password) > MaxPasswordLen {
		return Anonymous, bad
	}
	var u *User
	err = s.Store.View(ctx, func(tx Tx) (err error) { u, err = tx.UserByEmail(email); return err })
	if ErrorCode(err) == ENOTFOUND {
		// Spend the same time as a real check, so that timing does not
		// tell which addresses have accounts.
		_, _ = s.Hasher.Verify(s.dummyHash(), password)
		return Anonymous, bad
	} else if err != nil {
		return Anonymous, err
	}
	ok, err := s.Hasher.Verify(u.PasswordHash, password)
	if err != nil || !ok || u.Disabled || u.PasswordHash == "" {
		return Anonymous, bad
	}
	return Actor{User: u}, nil
}

func (s *Service) dummyHash() string {
	s.dummyOnce.Do(func() { s.dummy, _ = s.Hasher.Hash("not a password of anyone's") })
	return s.dummy
}

// BootstrapInput sets up an empty instance.
type BootstrapInput struct {
	AdminEmail    string
	AdminPassword string // empty: sign in with the token only
	AdminToken    string // empty: a fresh secret is made
	Project       Project
}

// Bootstrap creates the first administrator, their token and a first project
// with the administrator as its VMT, if the instance has no user yet. It
// returns the token secret, or "" when the instance was set up already.
func (s *Service) Bootstrap(ctx context.Context, in BootstrapInput) (string, error) {
	secret := in.AdminToken
	if secret == "" {
		secret = NewTokenSecret()
	} else if !strings.HasPrefix(secret, TokenPrefix) || len(secret) < len(TokenPrefix)+20 || len(secret) > 100 {
		return "", Invalid("VMT_ADMIN_TOKEN", "must start with %q and have 20 to 96 more characters", TokenPrefix)
	}
	// The operator who starts the instance vouches for their own address.
	u, err := s.newUser(UserInput{Email: in.AdminEmail, Name: "Administrator", Role: RoleAdmin, Password: in.AdminPassword, EmailProven: true})
	if err != nil {
		return "", err
	}
	p := in.Project
	p.CreatedAt = s.now()
	if err := p.Validate(); err != nil {
		return "", err
	}
	created := false
	err = s.Store.Update(ctx, func(tx Tx) error {
		n, err := tx.CountUsers()
		if err != nil || n > 0 {
			return err
		}
		created = true
		sys := Anonymous
		if err := tx.CreateUser(u); err != nil {
			return err
		}
		if err := s.audit(tx, sys, "user.create", 0, 0, subject("user", u.ID), nil, u); err != nil {
			return err
		}
		t := &Token{UserID: u.ID, Name: "bootstrap", Hash: HashToken(secret), CreatedAt: s.now()}
		if err := tx.CreateToken(t); err != nil {
			return err
		}
		if err := s.audit(tx, sys, "token.create", 0, 0, subject("user", u.ID), nil, t); err != nil {
			return err
		}
		if err := tx.CreateProject(&p); err != nil {
			return err
		}
		if err := s.audit(tx, sys, "project.create", p.ID, 0, subject("project", p.ID), nil, &p); err != nil {
			return err
		}
		m := Member{ProjectID: p.ID, UserID: u.ID, Role: MemberVMT}
		if err := tx.SetMember(m); err != nil {
			return err
		}
		return s.audit(tx, sys, "member.set", p.ID, 0, subject("project", p.ID), nil, m)
	})
	if err != nil || !created {
		return "", err
	}
	return secret, nil
}
