package app

import (
	"context"
	"strings"
	"time"

	"github.com/vmtproject/vmt"
)

// Who starts proven (the rule of HoldsAddress applies to every account):
//
//   - An account made through the report form (RegisterReporter) starts
//     unproven: anyone can type any address there. The link is mailed at
//     once, in the transaction that makes the account.
//   - An account made by an administrator (CreateUser) starts unproven
//     too, unless the administrator says the address is proven
//     (UserInput.EmailProven): the administrator states the address, and
//     may have it from a source they trust (a stakeholder's own mail), but
//     a typo must not give a stranger's rights to whoever owns the typo.
//   - The bootstrap administrator is proven: the operator who starts the
//     instance is its first owner, and no one else can be vouched by them.
//   - Accounts that existed before the rule were marked proven by migration
//     00015 (its comment says why).

// SendEmailProof mails the actor a new link that proves their address,
// through the outbox. ECONFLICT when the address is proven already or when
// the last link is younger than EmailProofResendAfter. Audited as
// vmt.AuditUserEmailProofSent.
func (s *Service) SendEmailProof(ctx context.Context, a vmt.Actor) (*vmt.EmailProof, error) {
	if err := vmt.RequireAuth(a); err != nil {
		return nil, err
	}
	var p *vmt.EmailProof
	err := s.deps.Store.Update(ctx, func(tx vmt.Tx) error {
		u, err := tx.User(a.ID())
		if err != nil {
			return err
		}
		if u.EmailVerifiedAt != nil {
			return &vmt.Error{Code: vmt.ECONFLICT, Field: "email", Message: "your address " + u.Email + " is proven already"}
		}
		last, err := tx.LatestEmailProof(u.ID)
		if err != nil && vmt.ErrorCode(err) != vmt.ENOTFOUND {
			return err
		}
		if next := s.now().Add(-vmt.EmailProofResendAfter); last != nil && last.CreatedAt.After(next) {
			return &vmt.Error{Code: vmt.ECONFLICT, Field: "email", Message: "a link was sent to " + u.Email + " less than a minute ago: wait for it, or ask again in a minute"}
		}
		p, err = s.mailEmailProof(tx, a, u)
		return err
	})
	return p, err
}

// ProveEmail marks the actor's address proven by the secret of a link that
// was mailed to it. The actor must be the account the link was made for
// and still have the address it was sent to, and the link must be unused
// and unexpired (CheckEmailProof); every refusal is EINVALID on "token"
// and changes nothing. Audited as vmt.AuditUserEmailProven.
func (s *Service) ProveEmail(ctx context.Context, a vmt.Actor, secret string) (*vmt.User, error) {
	if err := vmt.RequireAuth(a); err != nil {
		return nil, err
	}
	secret = strings.TrimSpace(secret)
	if secret == "" {
		return nil, vmt.Invalid("token", "is required: open the link from the mail")
	}
	var u *vmt.User
	err := s.deps.Store.Update(ctx, func(tx vmt.Tx) (err error) {
		if u, err = tx.User(a.ID()); err != nil {
			return err
		}
		p, err := tx.EmailProofByHash(vmt.HashToken(secret))
		if err != nil && vmt.ErrorCode(err) != vmt.ENOTFOUND {
			return err
		}
		now := s.now()
		if err := vmt.CheckEmailProof(p, u, now); err != nil {
			return err
		}
		if err := tx.UseEmailProof(p.ID, now); err != nil {
			return err
		}
		before := *u
		// A second link opened after the first keeps the first time: the
		// address has been the owner's since then.
		if u.EmailVerifiedAt == nil {
			u.EmailVerifiedAt = &now
		}
		if err := tx.UpdateUser(u); err != nil {
			return err
		}
		return s.audit(tx, a, vmt.AuditUserEmailProven, 0, 0, subject("user", u.ID),
			map[string]any{"email": before.Email, "email_verified_at": before.EmailVerifiedAt},
			map[string]any{"email": u.Email, "email_verified_at": u.EmailVerifiedAt, "proof_id": p.ID})
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// mailEmailProof makes a link for u's address and enqueues its mail, in
// tx. The secret is in the mail only (and so in the outbox item until it is
// delivered, in the same store as everything the link could reach); the
// proof keeps its hash.
func (s *Service) mailEmailProof(tx vmt.Tx, a vmt.Actor, u *vmt.User) (*vmt.EmailProof, error) {
	now := s.now()
	secret := vmt.NewEmailProofSecret()
	p := &vmt.EmailProof{UserID: u.ID, Email: u.Email, Hash: vmt.HashToken(secret), CreatedAt: now, ExpiresAt: now.Add(vmt.EmailProofTTL)}
	if err := tx.CreateEmailProof(p); err != nil {
		return nil, err
	}
	m := vmt.NoticeMail{Recipient: subject("user", u.ID), To: []string{u.Email},
		Subject: "Confirm your address for the vulnerability management site", Body: s.emailProofBody(u, secret, p.ExpiresAt)}
	if err := enqueueJSON(tx, "email_proof:"+itoa(int(p.ID)), vmt.KindEmailProof, 0, m, now); err != nil {
		return nil, err
	}
	return p, s.audit(tx, a, vmt.AuditUserEmailProofSent, 0, 0, subject("user", u.ID), nil,
		map[string]any{"email": u.Email, "proof_id": p.ID, "expires_at": p.ExpiresAt})
}

// emailProofBody is the text of the mail. It says what the link does and
// that it needs the account's sign-in, so that someone who did not make
// the account knows to ignore it: opening it signed in as another account
// (or not at all) proves nothing.
func (s *Service) emailProofBody(u *vmt.User, secret string, expires time.Time) string {
	var b strings.Builder
	b.WriteString("Someone made an account with the address " + u.Email + " on the vulnerability\n")
	b.WriteString("management site. To confirm that the address is yours, sign in to that\n")
	b.WriteString("account and open this link:\n\n")
	b.WriteString("  " + vmt.EmailProofLink(s.deps.Publication.BaseURL, secret) + "\n\n")
	b.WriteString("It works once, until " + expires.UTC().Format("2006-01-02 15:04 UTC") + ". Until the address is\n")
	b.WriteString("confirmed, the account gets nothing that was given to the address (such as\n")
	b.WriteString("a downstream stakeholder's access to embargoed reports).\n\n")
	b.WriteString("If you did not make this account, ignore this mail and do not open the link.\n")
	return b.String()
}
