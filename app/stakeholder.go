package app

import (
	"context"
	"fmt"
	"strings"

	"github.com/vmtproject/vmt"
)

// registryAccess is what a is to the stakeholder registry: its
// ProjectAccess to every project (see RegistryAccess for the rule).
func registryAccess(tx vmt.Tx, a vmt.Actor) (vmt.RegistryAccess, error) {
	ra := vmt.RegistryAccess{Authenticated: a.User != nil, Admin: a.IsAdmin(), Projects: map[string]vmt.ProjectAccess{}}
	ps, err := tx.Projects()
	if err != nil {
		return ra, err
	}
	for _, p := range ps {
		if ra.Projects[p.Name], err = projectAccess(tx, a, p.ID); err != nil {
			return ra, err
		}
	}
	return ra, nil
}

// checkStakeholder validates in, checks its key with the KeyChecker and
// its projects against the store, and returns the stakeholder it makes.
func (s *Service) checkStakeholder(tx vmt.Tx, in vmt.StakeholderInput) (*vmt.Stakeholder, error) {
	in.Organisation = strings.TrimSpace(in.Organisation)
	if err := in.Validate(); err != nil {
		return nil, err
	}
	for _, name := range in.Projects {
		if _, err := tx.ProjectByName(name); vmt.ErrorCode(err) == vmt.ENOTFOUND {
			return nil, vmt.Invalid("projects", "no project is named %q", name)
		} else if err != nil {
			return nil, err
		}
	}
	k := &vmt.Stakeholder{Organisation: in.Organisation, Contacts: orEmpty(in.Contacts),
		PublicKey: strings.TrimSpace(in.PublicKey), Projects: orEmpty(in.Projects)}
	if k.PublicKey != "" {
		info, err := s.checkKey(k.PublicKey)
		if err != nil {
			return nil, err
		}
		k.Fingerprint, k.KeyExpires = info.Fingerprint, info.Expires
	}
	return k, nil
}

// checkKey reads an armored key with the KeyChecker; a refusal names the
// field.
func (s *Service) checkKey(armored string) (vmt.KeyInfo, error) {
	if s.deps.Disclosure.Keys == nil {
		return vmt.KeyInfo{}, vmt.Invalid("public_key", "this instance cannot check OpenPGP keys")
	}
	info, err := s.deps.Disclosure.Keys(armored, s.now())
	if err != nil {
		return vmt.KeyInfo{}, vmt.Invalid("public_key", "%v", err)
	}
	return info, nil
}

// warn sets the key warning of k: a key valid on import may have expired.
func (s *Service) warn(k *vmt.Stakeholder) {
	if k.PublicKey == "" || s.deps.Disclosure.Keys == nil {
		return
	}
	if _, err := s.deps.Disclosure.Keys(k.PublicKey, s.now()); err != nil {
		k.KeyWarning = err.Error()
	}
}

// Stakeholders lists the entries of the registry the actor may read (those
// serving a project whose VMT they are; every one to an administrator),
// with a warning on every key that can no longer receive a notice.
// EFORBIDDEN to whoever is of no project's VMT.
func (s *Service) Stakeholders(ctx context.Context, a vmt.Actor) ([]*vmt.Stakeholder, error) {
	out := []*vmt.Stakeholder{}
	err := s.deps.Store.View(ctx, func(tx vmt.Tx) error {
		ra, err := registryAccess(tx, a)
		if err != nil {
			return err
		}
		if err := ra.RequireKeeper(); err != nil {
			return err
		}
		ks, err := tx.Stakeholders()
		if err != nil {
			return err
		}
		for _, k := range ks {
			if ra.CanRead(k.Projects) {
				out = append(out, k)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, k := range out {
		s.warn(k)
	}
	return out, nil
}

// Stakeholder returns one entry of the registry, to whoever may read it;
// an entry of another project's registry is ENOTFOUND, like a missing one.
func (s *Service) Stakeholder(ctx context.Context, a vmt.Actor, id int64) (*vmt.Stakeholder, error) {
	var k *vmt.Stakeholder
	err := s.deps.Store.View(ctx, func(tx vmt.Tx) (err error) {
		k, _, err = readableStakeholder(tx, a, id)
		return err
	})
	if err != nil {
		return nil, err
	}
	if k != nil {
		s.warn(k)
	}
	return k, err
}

// readableStakeholder returns entry id and the actor's access to the
// registry when the actor may read it; ENOTFOUND when it is missing or
// of another project's registry, after RequireKeeper's refusals.
func readableStakeholder(tx vmt.Tx, a vmt.Actor, id int64) (*vmt.Stakeholder, vmt.RegistryAccess, error) {
	ra, err := registryAccess(tx, a)
	if err != nil {
		return nil, ra, err
	}
	if err := ra.RequireKeeper(); err != nil {
		return nil, ra, err
	}
	k, err := tx.Stakeholder(id)
	if err != nil {
		return nil, ra, err
	}
	if err := ra.RequireRead("stakeholder", k.Projects); err != nil {
		return nil, ra, err
	}
	return k, ra, nil
}

// CreateStakeholder adds a stakeholder to the registry: the VMT of every
// project it serves, or an administrator (RegistryAccess).
func (s *Service) CreateStakeholder(ctx context.Context, a vmt.Actor, in vmt.StakeholderInput) (*vmt.Stakeholder, error) {
	var k *vmt.Stakeholder
	err := s.deps.Store.Update(ctx, func(tx vmt.Tx) (err error) {
		ra, err := registryAccess(tx, a)
		if err != nil {
			return err
		}
		if err := ra.RequireKeeper(); err != nil {
			return err
		}
		if k, err = s.checkStakeholder(tx, in); err != nil {
			return err
		}
		if err := ra.RequireWrite("stakeholder", k.Projects); err != nil {
			return err
		}
		k.CreatedAt, k.UpdatedAt = s.now(), s.now()
		if err := tx.CreateStakeholder(k); err != nil {
			return err
		}
		return s.audit(tx, a, vmt.AuditStakeholderCreate, 0, 0, subject("stakeholder", k.ID), nil, stakeholderSummary(k))
	})
	return k, err
}

// UpdateStakeholder replaces a stakeholder's fields: the VMT of every
// project it serves before and after, or an administrator
// (RegistryAccess). An entry the actor may not read is ENOTFOUND. What its
// accounts held through it and no longer may (a contact or a project
// taken out) ends with the change (endLapsed).
func (s *Service) UpdateStakeholder(ctx context.Context, a vmt.Actor, id int64, in vmt.StakeholderInput) (*vmt.Stakeholder, error) {
	var k *vmt.Stakeholder
	err := s.deps.Store.Update(ctx, func(tx vmt.Tx) error {
		old, ra, err := readableStakeholder(tx, a, id)
		if err != nil {
			return err
		}
		if k, err = s.checkStakeholder(tx, in); err != nil {
			return err
		}
		if err := ra.RequireWrite("stakeholder", old.Projects, k.Projects); err != nil {
			return err
		}
		k.ID, k.CreatedAt, k.UpdatedAt = id, old.CreatedAt, s.now()
		if err := tx.UpdateStakeholder(k); err != nil {
			return err
		}
		if err := s.auditDiff(tx, a, vmt.AuditStakeholderUpdate, 0, 0, subject("stakeholder", id),
			stakeholderSummary(old), stakeholderSummary(k)); err != nil {
			return err
		}
		return s.endLapsed(tx, a, old, k)
	})
	return k, err
}

// DeleteStakeholder removes a stakeholder from the registry: the VMT of
// every project it serves, or an administrator (RegistryAccess). In the
// same transaction every grant its accounts hold through it is revoked and
// every access request they have pending is closed, each audited
// (endLapsed): an organisation out of the registry keeps nothing it had
// as a stakeholder.
func (s *Service) DeleteStakeholder(ctx context.Context, a vmt.Actor, id int64) error {
	return s.deps.Store.Update(ctx, func(tx vmt.Tx) error {
		old, ra, err := readableStakeholder(tx, a, id)
		if err != nil {
			return err
		}
		if err := ra.RequireWrite("stakeholder", old.Projects); err != nil {
			return err
		}
		if err := tx.DeleteStakeholder(id); err != nil {
			return err
		}
		if err := s.audit(tx, a, vmt.AuditStakeholderDelete, 0, 0, subject("stakeholder", id), stakeholderSummary(old), nil); err != nil {
			return err
		}
		return s.endLapsed(tx, a, old, nil)
	})
}

// stakeholderSummary is what the audit log keeps of a stakeholder: the key
// by its fingerprint, not its text.
func stakeholderSummary(k *vmt.Stakeholder) map[string]any {
	return map[string]any{"organisation": k.Organisation, "contacts": k.Contacts,
		"fingerprint": k.Fingerprint, "projects": k.Projects}
}

// RequestStakeholder files an application to join the registry. Anyone
// signed in with a proven address may (EFORBIDDEN otherwise); the key is checked now, so that the VMT reviews a usable
// one.
func (s *Service) RequestStakeholder(ctx context.Context, a vmt.Actor, in vmt.StakeholderInput) (*vmt.StakeholderRequest, error) {
	if err := vmt.RequireAuth(a); err != nil {
		return nil, err
	}
	// The VMT judges an application by who sends it, and an accepted one
	// makes the account the stakeholder's (ToldStakeholder): the address
	// it is judged by must be the applicant's (HoldsAddress).
	if !vmt.HoldsAddress(a.User, a.User.Email) {
		return nil, &vmt.Error{Code: vmt.EFORBIDDEN, Field: "email", Message: "confirm your address " + a.User.Email + " first (the link we mailed to it, or a new one from your account page)"}
	}
	in.Rationale = strings.TrimSpace(in.Rationale)
	if err := vmt.CheckText("rationale", in.Rationale, vmt.MaxRationaleLen, true); err != nil {
		return nil, err
	}
	var r *vmt.StakeholderRequest
	err := s.deps.Store.Update(ctx, func(tx vmt.Tx) error {
		k, err := s.checkStakeholder(tx, in)
		if err != nil {
			return err
		}
		r = &vmt.StakeholderRequest{UserID: a.User.ID, Organisation: k.Organisation, Contacts: k.Contacts,
			PublicKey: k.PublicKey, Projects: k.Projects, Rationale: in.Rationale, State: vmt.RequestPending,
			CreatedAt: s.now()}
		if err := tx.CreateStakeholderRequest(r); err != nil {
			return err
		}
		return s.audit(tx, a, vmt.AuditStakeholderRequestCreate, 0, 0, subject("stakeholder_request", r.ID), nil,
			map[string]any{"organisation": r.Organisation, "contacts": r.Contacts, "rationale": r.Rationale})
	})
	return r, err
}

// StakeholderRequests lists applications: to a project's VMT those naming
// a project whose VMT it is (every one to an administrator), as
// RegistryAccess.CanRead; one's own to anyone.
func (s *Service) StakeholderRequests(ctx context.Context, a vmt.Actor) ([]*vmt.StakeholderRequest, error) {
	if err := vmt.RequireAuth(a); err != nil {
		return nil, err
	}
	out := []*vmt.StakeholderRequest{}
	err := s.deps.Store.View(ctx, func(tx vmt.Tx) error {
		ra, err := registryAccess(tx, a)
		if err != nil {
			return err
		}
		uid := a.User.ID
		if ra.Keeper() {
			uid = 0
		}
		rs, err := tx.StakeholderRequests(uid)
		if err != nil {
			return err
		}
		for _, r := range rs {
			if r.UserID == a.User.ID || ra.CanRead(r.Projects) {
				out = append(out, r)
			}
		}
		return nameApplicants(tx, out)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// StakeholderRequest returns one application to whoever filed it or may
// read it (RegistryAccess); to anyone else it does not exist.
func (s *Service) StakeholderRequest(ctx context.Context, a vmt.Actor, id int64) (*vmt.StakeholderRequest, error) {
	if err := vmt.RequireAuth(a); err != nil {
		return nil, err
	}
	var r *vmt.StakeholderRequest
	err := s.deps.Store.View(ctx, func(tx vmt.Tx) error {
		var err error
		if r, err = tx.StakeholderRequest(id); err != nil {
			return err
		}
		if r.UserID != a.User.ID {
			ra, err := registryAccess(tx, a)
			if err != nil || !ra.CanRead(r.Projects) {
				r = nil
				return errOr(err, vmt.NotFound("stakeholder request"))
			}
		}
		return nameApplicants(tx, []*vmt.StakeholderRequest{r})
	})
	return r, err
}

// nameApplicants sets the Applicant of each application read: who asked,
// by address, for the VMT that decides and the applicant's own view.
func nameApplicants(tx vmt.Tx, rs []*vmt.StakeholderRequest) error {
	seen := map[int64]string{}
	for _, r := range rs {
		addr, ok := seen[r.UserID]
		if !ok {
			u, err := tx.User(r.UserID)
			if err != nil && vmt.ErrorCode(err) != vmt.ENOTFOUND {
				return fmt.Errorf("applicant of request %d: %w", r.ID, err)
			}
			if u != nil {
				addr = u.Email
			}
			seen[r.UserID] = addr
		}
		r.Applicant = addr
	}
	return nil
}

func errOr(err, other error) error {
	if err != nil {
		return err
	}
	return other
}

// AcceptStakeholder creates the stakeholder an application asks for, its
// key checked again (it may have expired while pending): the VMT of every
// project it names, or an administrator (RegistryAccess).
func (s *Service) AcceptStakeholder(ctx context.Context, a vmt.Actor, id int64, in vmt.DecideInput) (*vmt.StakeholderRequest, error) {
	return s.decide(ctx, a, id, in, vmt.RequestAccepted, func(tx vmt.Tx, r *vmt.StakeholderRequest) error {
		k, err := s.checkStakeholder(tx, vmt.StakeholderInput{Organisation: r.Organisation, Contacts: r.Contacts,
			PublicKey: r.PublicKey, Projects: r.Projects})
		if err != nil {
			return err
		}
		k.CreatedAt, k.UpdatedAt = s.now(), s.now()
		if err := tx.CreateStakeholder(k); err != nil {
			return err
		}
		r.StakeholderID = k.ID
		return s.audit(tx, a, vmt.AuditStakeholderCreate, 0, 0, subject("stakeholder", k.ID), nil, stakeholderSummary(k))
	})
}

// DeclineStakeholder refuses an application, with a note: the VMT of
// every project it names, or an administrator (RegistryAccess).
func (s *Service) DeclineStakeholder(ctx context.Context, a vmt.Actor, id int64, in vmt.DecideInput) (*vmt.StakeholderRequest, error) {
	return s.decide(ctx, a, id, in, vmt.RequestDeclined, func(vmt.Tx, *vmt.StakeholderRequest) error { return nil })
}

func (s *Service) decide(ctx context.Context, a vmt.Actor, id int64, in vmt.DecideInput, to vmt.RequestState, fn func(vmt.Tx, *vmt.StakeholderRequest) error) (*vmt.StakeholderRequest, error) {
	in.Note = strings.TrimSpace(in.Note)
	if err := vmt.CheckText("note", in.Note, vmt.MaxReasonLen, false); err != nil {
		return nil, err
	}
	var r *vmt.StakeholderRequest
	err := s.deps.Store.Update(ctx, func(tx vmt.Tx) error {
		ra, err := registryAccess(tx, a)
		if err != nil {
			return err
		}
		if err := ra.RequireKeeper(); err != nil {
			return err
		}
		if r, err = tx.StakeholderRequest(id); err != nil {
			return err
		}
		if err := ra.RequireRead("stakeholder request", r.Projects); err != nil {
			return err
		}
		if err := ra.RequireWrite("stakeholder request", r.Projects); err != nil {
			return err
		}
		if r.State != vmt.RequestPending {
			return &vmt.Error{Code: vmt.ECONFLICT, Field: "state", Message: "the request is already " + string(r.State)}
		}
		if err := fn(tx, r); err != nil {
			return err
		}
		t := s.now()
		r.State, r.DecidedBy, r.DecidedAt, r.Note = to, a.User.ID, &t, in.Note
		if err := tx.UpdateStakeholderRequest(r); err != nil {
			return err
		}
		return s.audit(tx, a, "stakeholder_request."+string(to), 0, 0, subject("stakeholder_request", r.ID),
			map[string]any{"state": vmt.RequestPending}, map[string]any{"state": to, "note": r.Note, "stakeholder_id": r.StakeholderID})
	})
	return r, err
}
