package vmt

import (
	"context"
	"strings"
)

// SessionActor returns the actor of a web session that signed in as user
// id. A user deleted or disabled since is EUNAUTHENTICATED, so that
// disabling an account ends its sessions at their next request.
func (s *Service) SessionActor(ctx context.Context, id int64) (Actor, error) {
	var u *User
	err := s.Store.ViewOne(ctx, func(tx Tx) (err error) { u, err = tx.User(id); return err })
	if ErrorCode(err) == ENOTFOUND || err == nil && u.Disabled {
		return Anonymous, Errorf(EUNAUTHENTICATED, "your session has ended; sign in again")
	}
	if err != nil {
		return Anonymous, err
	}
	return Actor{User: u}, nil
}

// RegisterInput is what a reporter without an account gives.
type RegisterInput struct {
	Email    string
	Name     string
	Password string
}

// RegisterReporter creates a reporter account for someone who files a
// report without one. An email that has an account is ECONFLICT on the
// field "email": the caller signs in instead. The address starts unproven
// and a link that proves it is mailed (SendEmailProof).
func (s *Service) RegisterReporter(ctx context.Context, in RegisterInput) (Actor, error) {
	u, err := s.newReporter(in)
	if err != nil {
		return Anonymous, err
	}
	a := Actor{User: u}
	if err := s.Store.Update(ctx, func(tx Tx) error { return s.register(tx, a) }); err != nil {
		return Anonymous, err
	}
	return a, nil
}

// RegisterReporterWithReport creates a reporter account and files its
// first report in one transaction, so that a report refused (invalid
// fields, unknown project, none named) leaves no account behind. An email
// that has an account is ECONFLICT on "email", checked after the report.
func (s *Service) RegisterReporterWithReport(ctx context.Context, reg RegisterInput, in ReportInput) (Actor, *ReportView, error) {
	r, err := s.newReport(in)
	if err != nil {
		return Anonymous, nil, err
	}
	u, err := s.newReporter(reg)
	if err != nil {
		return Anonymous, nil, err
	}
	a := Actor{User: u}
	var v *ReportView
	err = s.Store.Update(ctx, func(tx Tx) error {
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
		v, err = s.view(tx, r, Access{Authenticated: true, Reporter: true}, true)
		return err
	})
	if err != nil {
		return Anonymous, nil, err
	}
	return a, v, nil
}

// newReporter is the reporter account in describes, checked; it needs a
// password, the one factor it can sign in with.
func (s *Service) newReporter(in RegisterInput) (*User, error) {
	if strings.TrimSpace(in.Password) == "" {
		return nil, Invalid("password", "is required")
	}
	return s.newUser(UserInput{Email: in.Email, Name: in.Name, Role: RoleReporter, Password: in.Password})
}

// register stores the new reporter a, who is the actor of their own sign-up.
func (s *Service) register(tx Tx, a Actor) error {
	if err := tx.CreateUser(a.User); err != nil {
		return err
	}
	// The new reporter is the actor of their own sign-up.
	if err := s.audit(tx, a, "user.register", 0, 0, subject("user", a.User.ID), nil, a.User); err != nil {
		return err
	}
	// Anyone can type any address here: it carries no rights until the
	// link mailed to it is opened (service_email_proof.go).
	_, err := s.mailEmailProof(tx, a, a.User)
	return err
}

// RecordSecondFactor audits that the actor turned their second factor on or
// off. The secret itself is never audited. EFORBIDDEN for a role that is
// not offered one.
func (s *Service) RecordSecondFactor(ctx context.Context, a Actor, enabled bool) error {
	if err := requireAuth(a); err != nil {
		return err
	}
	if !SecondFactorOffered(a.User.Role) {
		return Errorf(EFORBIDDEN, "two-factor sign-in is offered to the VMT, reviewers, the committee and administrators")
	}
	return s.Store.Update(ctx, func(tx Tx) error {
		return s.audit(tx, a, "user.second_factor", 0, 0, subject("user", a.ID()), nil, map[string]any{"enabled": enabled})
	})
}

// RecordSignIn audits that the actor signed in to the web pages, how
// (password, password+code, registration) and from which address, so that
// the log answers who was signed in when a report leaked.
func (s *Service) RecordSignIn(ctx context.Context, a Actor, how, from string) error {
	if err := requireAuth(a); err != nil {
		return err
	}
	return s.Store.Update(ctx, func(tx Tx) error {
		return s.audit(tx, a, "user.sign_in", 0, 0, subject("user", a.ID()), nil, map[string]any{"how": how, "from": from})
	})
}

// RecordSignOutEverywhere audits that the actor ended all of their
// sessions, and how many there were.
func (s *Service) RecordSignOutEverywhere(ctx context.Context, a Actor, sessions int64) error {
	if err := requireAuth(a); err != nil {
		return err
	}
	return s.Store.Update(ctx, func(tx Tx) error {
		return s.audit(tx, a, "user.sign_out_everywhere", 0, 0, subject("user", a.ID()), nil, map[string]any{"sessions": sessions})
	})
}
