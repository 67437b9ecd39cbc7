package app

import (
	"context"
	"strings"

	"github.com/vmtproject/vmt"
)

func (s *Service) newUser(in vmt.UserInput) (*vmt.User, error) {
	email, err := vmt.NormalizeEmail("email", in.Email)
	if err != nil {
		return nil, err
	}
	if _, err := vmt.ParseRole("role", string(in.Role)); err != nil {
		return nil, err
	}
	u := &vmt.User{Email: email, Name: strings.TrimSpace(in.Name), Role: in.Role, CreatedAt: s.now()}
	if in.EmailProven {
		at := u.CreatedAt
		u.EmailVerifiedAt = &at
	}
	if err := vmt.CheckText("name", u.Name, vmt.MaxNameLen, false); err != nil {
		return nil, err
	}
	if strings.ContainsAny(u.Name, "\r\n") {
		return nil, vmt.Invalid("name", "must be one line")
	}
	if in.Password != "" {
		if err := s.setPassword(u, in.Password); err != nil {
			return nil, err
		}
	}
	return u, nil
}

// checkCurrentPassword refuses a password change whose current password is
// missing or wrong. A user without a password (tokens only) sets a first one
// freely.
func (s *Service) checkCurrentPassword(u *vmt.User, current *string) error {
	if u.PasswordHash == "" {
		return nil
	}
	if current == nil || *current == "" {
		return vmt.Invalid("current_password", "is required to change your password")
	}
	ok, err := s.deps.Hasher.Verify(u.PasswordHash, *current)
	if err != nil {
		return err
	}
	if !ok {
		return vmt.Invalid("current_password", "is wrong")
	}
	return nil
}

func (s *Service) setPassword(u *vmt.User, pw string) error {
	if err := vmt.CheckPassword("password", pw); err != nil {
		return err
	}
	h, err := s.deps.Hasher.Hash(pw)
	if err != nil {
		return err
	}
	u.PasswordHash = h
	return nil
}

// CreateUser adds a user. Administrators only. The address is unproven
// unless in.EmailProven (see email_proof.go for why).
func (s *Service) CreateUser(ctx context.Context, a vmt.Actor, in vmt.UserInput) (*vmt.User, error) {
	if err := vmt.RequireAdmin(a); err != nil {
		return nil, err
	}
	u, err := s.newUser(in)
	if err != nil {
		return nil, err
	}
	err = s.deps.Store.Update(ctx, func(tx vmt.Tx) error {
		if err := tx.CreateUser(u); err != nil {
			return err
		}
		return s.audit(tx, a, vmt.AuditUserCreate, 0, 0, subject("user", u.ID), nil, u)
	})
	return u, err
}

// Users lists every user. Administrators only.
func (s *Service) Users(ctx context.Context, a vmt.Actor) ([]*vmt.User, error) {
	if err := vmt.RequireAdmin(a); err != nil {
		return nil, err
	}
	var out []*vmt.User
	err := s.deps.Store.View(ctx, func(tx vmt.Tx) (err error) { out, err = tx.Users(); return err })
	return out, err
}

// User returns one user to an administrator or to the user themselves.
func (s *Service) User(ctx context.Context, a vmt.Actor, id int64) (*vmt.User, error) {
	if err := vmt.RequireAuth(a); err != nil {
		return nil, err
	}
	if !a.IsAdmin() && a.ID() != id {
		return nil, vmt.NotFound("user")
	}
	var u *vmt.User
	err := s.deps.Store.View(ctx, func(tx vmt.Tx) (err error) { u, err = tx.User(id); return err })
	return u, err
}

// UpdateUser changes a user. Administrators may change anything; users may
// change their own name, password and OpenPGP key.
func (s *Service) UpdateUser(ctx context.Context, a vmt.Actor, id int64, p vmt.UserPatch) (*vmt.User, error) {
	if err := vmt.RequireAuth(a); err != nil {
		return nil, err
	}
	if !a.IsAdmin() {
		if a.ID() != id {
			return nil, vmt.NotFound("user")
		}
		if p.Role != nil || p.Disabled != nil {
			return nil, vmt.Errorf(vmt.EFORBIDDEN, "only an administrator may change a role or disable a user")
		}
	}
	if p.Role != nil {
		if _, err := vmt.ParseRole("role", string(*p.Role)); err != nil {
			return nil, err
		}
	}
	var u *vmt.User
	err := s.deps.Store.Update(ctx, func(tx vmt.Tx) (err error) {
		if u, err = tx.User(id); err != nil {
			return err
		}
		before := *u
		if p.Name != nil {
			u.Name = strings.TrimSpace(*p.Name)
			if err := vmt.CheckLine("name", u.Name, vmt.MaxNameLen, false); err != nil {
				return err
			}
		}
		if p.Role != nil {
			u.Role = *p.Role
		}
		if p.Disabled != nil {
			if *p.Disabled && id == a.ID() {
				return vmt.Invalid("disabled", "you cannot disable yourself")
			}
			u.Disabled = *p.Disabled
		}
		if p.Password != nil {
			if !a.IsAdmin() {
				if err := s.checkCurrentPassword(u, p.CurrentPassword); err != nil {
					return err
				}
			}
			if err := s.setPassword(u, *p.Password); err != nil {
				return err
			}
		}
		if p.OpenPGPKey != nil {
			if err := s.setOpenPGPKey(u, *p.OpenPGPKey); err != nil {
				return err
			}
		}
		if err := tx.UpdateUser(u); err != nil {
			return err
		}
		if before.Disabled != u.Disabled || before.Role != u.Role {
			// Access may have ended or begun: the advisories' collaborators
			// follow (forge_collab.go).
			if err := s.loginChanged(tx, id, nil); err != nil {
				return err
			}
		}
		if p.Password != nil {
			// The hash is never audited; that it changed is.
			if err := s.audit(tx, a, vmt.AuditUserPassword, 0, 0, subject("user", id), nil, map[string]any{"changed": true}); err != nil {
				return err
			}
		}
		return s.auditDiff(tx, a, vmt.AuditUserUpdate, 0, 0, subject("user", id), keyless(&before), keyless(u))
	})
	return u, err
}

// CreateToken makes an API token for a user: administrators for anyone,
// users for themselves.
func (s *Service) CreateToken(ctx context.Context, a vmt.Actor, userID int64, name string) (*vmt.NewToken, error) {
	if err := s.selfOrAdmin(a, userID); err != nil {
		return nil, err
	}
	name = strings.TrimSpace(name)
	if err := vmt.CheckLine("name", name, vmt.MaxTokenNameLen, true); err != nil {
		return nil, err
	}
	nt := &vmt.NewToken{Secret: vmt.NewTokenSecret()}
	nt.Token = vmt.Token{UserID: userID, Name: name, Hash: vmt.HashToken(nt.Secret), CreatedAt: s.now()}
	err := s.deps.Store.Update(ctx, func(tx vmt.Tx) error {
		if _, err := tx.User(userID); err != nil {
			return err
		}
		if err := tx.CreateToken(&nt.Token); err != nil {
			return err
		}
		return s.audit(tx, a, vmt.AuditTokenCreate, 0, 0, subject("user", userID), nil, &nt.Token)
	})
	if err != nil {
		return nil, err
	}
	return nt, nil
}

// Tokens lists a user's tokens, without secrets.
func (s *Service) Tokens(ctx context.Context, a vmt.Actor, userID int64) ([]*vmt.Token, error) {
	if err := s.selfOrAdmin(a, userID); err != nil {
		return nil, err
	}
	var out []*vmt.Token
	err := s.deps.Store.View(ctx, func(tx vmt.Tx) (err error) { out, err = tx.Tokens(userID); return err })
	return out, err
}

// DeleteToken revokes a token.
func (s *Service) DeleteToken(ctx context.Context, a vmt.Actor, userID, tokenID int64) error {
	if err := s.selfOrAdmin(a, userID); err != nil {
		return err
	}
	return s.deps.Store.Update(ctx, func(tx vmt.Tx) error {
		if err := tx.DeleteToken(userID, tokenID); err != nil {
			return err
		}
		return s.audit(tx, a, vmt.AuditTokenDelete, 0, 0, subject("user", userID), map[string]any{"token_id": tokenID}, nil)
	})
}

func (s *Service) selfOrAdmin(a vmt.Actor, userID int64) error {
	if err := vmt.RequireAuth(a); err != nil {
		return err
	}
	if !a.IsAdmin() && a.ID() != userID {
		return vmt.NotFound("user")
	}
	return nil
}

// UserByEmail finds the account of an address, for the VMT and
// administrators, who name people by address (the command line's USER
// arguments): an administrator gets the account, a VMT member its id,
// address, name and role only. To anyone else no account exists.
func (s *Service) UserByEmail(ctx context.Context, a vmt.Actor, email string) (*vmt.User, error) {
	if !vmt.IsStaff(a) {
		return nil, vmt.NotFound("user")
	}
	addr, err := vmt.NormalizeEmail("email", email)
	if err != nil {
		return nil, err
	}
	var u *vmt.User
	err = s.deps.Store.View(ctx, func(tx vmt.Tx) (err error) {
		u, err = tx.UserByEmail(addr)
		return err
	})
	if err != nil {
		return nil, err
	}
	if !a.IsAdmin() {
		u = &vmt.User{ID: u.ID, Email: u.Email, Name: u.Name, Role: u.Role, Disabled: u.Disabled, CreatedAt: u.CreatedAt}
	}
	return u, nil
}
