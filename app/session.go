package app

import (
	"context"
	"strings"

	"github.com/vmtproject/vmt"
)

// SessionActor returns the actor of a web session that signed in as user
// id. A user deleted or disabled since is EUNAUTHENTICATED, so that
// disabling an account ends its sessions at their next request.
func (s *Service) SessionActor(ctx context.Context, id int64) (vmt.Actor, error) {
	var u *vmt.User
	err := s.deps.Store.ViewOne(ctx, func(tx vmt.Tx) (err error) { u, err = tx.User(id); return err })
	if vmt.ErrorCode(err) == vmt.ENOTFOUND || err == nil && u.Disabled {
		return vmt.Anonymous, vmt.Errorf(vmt.EUNAUTHENTICATED, "your session has ended; sign in again")
	}
	if err != nil {
		return vmt.Anonymous, err
	}
	return vmt.Actor{User: u}, nil
}

// RegisterReporter creates a reporter account for someone who files a
// report without one. An email that has an account is ECONFLICT on the
// field "email": the caller signs in instead. The address starts unproven
// and a link that proves it is mailed (SendEmailProof).
func (s *Service) RegisterReporter(ctx context.Context, in vmt.RegisterInput) (vmt.Actor, error) {
	u, err := s.newReporter(in)
	if err != nil {
		return vmt.Anonymous, err
	}
	a := vmt.Actor{User: u}
	if err := s.deps.Store.Update(ctx, func(tx vmt.Tx) error { return s.register(tx, a) }); err != nil {
		return vmt.Anonymous, err
	}
	return a, nil
}

// RegisterReporterWithReport creates a reporter account and files its
// first report in one transaction, so that a report refused (invalid
// fields, unknown project, none named) leaves no account behind. An email
// that has an account is ECONFLICT on "email", checked after the report.
func (s *Service) RegisterReporterWithReport(ctx context.Context, reg vmt.RegisterInput, in vmt.ReportInput) (vmt.Actor, *vmt.ReportView, error) {
	r, err := s.newReport(in)
	if err != nil {
		return vmt.Anonymous, nil, err
	}
	u, err := s.newReporter(reg)
	if err != nil {
		return vmt.Anonymous, nil, err
	}
	a := vmt.Actor{User: u}
	var v *vmt.ReportView
	err = s.deps.Store.Update(ctx, func(tx vmt.Tx) error {
		// The project first: a refused report must not tell whether the
		// email has an account.
		if _, err := projectFor(tx, in.Project); err != nil {
			return err
		}
		if err := s.register(tx, a); err != nil {
			return err
		}
		if err := s.fileReport(tx, a, r, in.Project); err != nil {
			return err
		}
		v, err = s.view(tx, r, vmt.Access{Authenticated: true, Reporter: true}, true)
		return err
	})
	if err != nil {
		return vmt.Anonymous, nil, err
	}
	return a, v, nil
}

// newReporter is the reporter account in describes, checked; it needs a
// password, the one factor it can sign in with.
func (s *Service) newReporter(in vmt.RegisterInput) (*vmt.User, error) {
	if strings.TrimSpace(in.Password) == "" {
		return nil, vmt.Invalid("password", "is required")
	}
	return s.newUser(vmt.UserInput{Email: in.Email, Name: in.Name, Role: vmt.RoleReporter, Password: in.Password})
}

// register stores the new reporter a, who is the actor of their own sign-up.
func (s *Service) register(tx vmt.Tx, a vmt.Actor) error {
	if err := tx.CreateUser(a.User); err != nil {
		return err
	}
	// The new reporter is the actor of their own sign-up.
	if err := s.audit(tx, a, vmt.AuditUserRegister, 0, 0, subject("user", a.User.ID), nil, a.User); err != nil {
		return err
	}
	// Anyone can type any address here: it carries no rights until the
	// link mailed to it is opened (email_proof.go).
	_, err := s.mailEmailProof(tx, a, a.User)
	return err
}

// RecordSecondFactor audits that the actor turned their second factor on or
// off. The secret itself is never audited. EFORBIDDEN for a role that is
// not offered one.
func (s *Service) RecordSecondFactor(ctx context.Context, a vmt.Actor, enabled bool) error {
	if err := vmt.RequireAuth(a); err != nil {
		return err
	}
	if !vmt.SecondFactorOffered(a.User.Role) {
		return vmt.Errorf(vmt.EFORBIDDEN, "two-factor sign-in is offered to the VMT, reviewers, the committee and administrators")
	}
	return s.deps.Store.Update(ctx, func(tx vmt.Tx) error {
		return s.audit(tx, a, vmt.AuditUserSecondFactor, 0, 0, subject("user", a.ID()), nil, map[string]any{"enabled": enabled})
	})
}

// RecordSignIn audits that the actor signed in to the web pages, how
// (password, password+code, registration) and from which address, so that
// the log answers who was signed in when a report leaked.
func (s *Service) RecordSignIn(ctx context.Context, a vmt.Actor, how, from string) error {
	if err := vmt.RequireAuth(a); err != nil {
		return err
	}
	return s.deps.Store.Update(ctx, func(tx vmt.Tx) error {
		return s.audit(tx, a, vmt.AuditUserSignIn, 0, 0, subject("user", a.ID()), nil, map[string]any{"how": how, "from": from})
	})
}

// RecordSignOutEverywhere audits that the actor ended all of their
// sessions, and how many there were.
func (s *Service) RecordSignOutEverywhere(ctx context.Context, a vmt.Actor, sessions int64) error {
	if err := vmt.RequireAuth(a); err != nil {
		return err
	}
	return s.deps.Store.Update(ctx, func(tx vmt.Tx) error {
		return s.audit(tx, a, vmt.AuditUserSignOutEverywhere, 0, 0, subject("user", a.ID()), nil, map[string]any{"sessions": sessions})
	})
}
