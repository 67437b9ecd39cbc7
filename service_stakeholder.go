package vmt

import (
	"context"
	"strings"
)

// requireVMT lets in an administrator or a VMT member of any project: the
// registry serves every project, and is the VMT's to keep.
func requireVMT(tx Tx, a Actor) error {
	if err := requireAuth(a); err != nil {
		return err
	}
	if a.IsAdmin() {
		return nil
	}
	ps, err := tx.Projects()
	if err != nil {
		return err
	}
	for _, p := range ps {
		if ok, err := vmtOf(tx, a, p.ID); ok || err != nil {
			return err
		}
	}
	return Errorf(EFORBIDDEN, "only the vulnerability management team may manage stakeholders")
}

// checkStakeholder validates in, checks its key with the KeyChecker and
// its projects against the store, and returns the stakeholder it makes.
func (s *Service) checkStakeholder(tx Tx, in StakeholderInput) (*Stakeholder, error) {
	in.Organisation = strings.TrimSpace(in.Organisation)
	if err := in.validate(); err != nil {
		return nil, err
	}
	for _, name := range in.Projects {
		if _, err := tx.ProjectByName(name); ErrorCode(err) == ENOTFOUND {
			return nil, Invalid("projects", "no project is named %q", name)
		} else if err != nil {
			return nil, err
		}
	}
	k := &Stakeholder{Organisation: in.Organisation, Contacts: orEmpty(in.Contacts),
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
func (s *Service) checkKey(armored string) (KeyInfo, error) {
	if s.Disclosure.Keys == nil {
		return KeyInfo{}, Invalid("public_key", "this instance cannot check OpenPGP keys")
	}
	info, err := s.Disclosure.Keys(armored, s.now())
	if err != nil {
		return KeyInfo{}, Invalid("public_key", "%v", err)
	}
	return info, nil
}

// warn sets the key warning of k: a key valid on import may have expired.
func (s *Service) warn(k *Stakeholder) {
	if k.PublicKey == "" || s.Disclosure.Keys == nil {
		return
	}
	if _, err := s.Disclosure.Keys(k.PublicKey, s.now()); err != nil {
		k.KeyWarning = err.Error()
	}
}

// Stakeholders lists the registry, with a warning on every key that can no
// longer receive a notice. The VMT only.
func (s *Service) Stakeholders(ctx context.Context, a Actor) ([]*Stakeholder, error) {
	var out []*Stakeholder
	err := s.Store.View(ctx, func(tx Tx) (err error) {
		if err = requireVMT(tx, a); err != nil {
			return err
		}
		out, err = tx.Stakeholders()
		return err
	})
	for _, k := range out {
		s.warn(k)
	}
	return out, err
}

// Stakeholder returns one entry of the registry. The VMT only.
func (s *Service) Stakeholder(ctx context.Context, a Actor, id int64) (*Stakeholder, error) {
	var k *Stakeholder
	err := s.Store.View(ctx, func(tx Tx) (err error) {
		if err = requireVMT(tx, a); err != nil {
			return err
		}
		k, err = tx.Stakeholder(id)
		return err
	})
	if k != nil {
		s.warn(k)
	}
	return k, err
}

// CreateStakeholder adds a stakeholder to the registry. The VMT only.
func (s *Service) CreateStakeholder(ctx context.Context, a Actor, in StakeholderInput) (*Stakeholder, error) {
	var k *Stakeholder
	err := s.Store.Update(ctx, func(tx Tx) (err error) {
		if err = requireVMT(tx, a); err != nil {
			return err
		}
		if k, err = s.checkStakeholder(tx, in); err != nil {
			return err
		}
		k.CreatedAt, k.UpdatedAt = s.now(), s.now()
		if err := tx.CreateStakeholder(k); err != nil {
			return err
		}
		return s.audit(tx, a, "stakeholder.create", 0, 0, subject("stakeholder", k.ID), nil, stakeholderSummary(k))
	})
	return k, err
}

// UpdateStakeholder replaces a stakeholder's fields. The VMT only.
func (s *Service) UpdateStakeholder(ctx context.Context, a Actor, id int64, in StakeholderInput) (*Stakeholder, error) {
	var k *Stakeholder
	err := s.Store.Update(ctx, func(tx Tx) error {
		if err := requireVMT(tx, a); err != nil {
			return err
		}
		old, err := tx.Stakeholder(id)
		if err != nil {
			return err
		}
		if k, err = s.checkStakeholder(tx, in); err != nil {
			return err
		}
		k.ID, k.CreatedAt, k.UpdatedAt = id, old.CreatedAt, s.now()
		if err := tx.UpdateStakeholder(k); err != nil {
			return err
		}
		return s.auditDiff(tx, a, "stakeholder.update", 0, 0, subject("stakeholder", id),
			stakeholderSummary(old), stakeholderSummary(k))
	})
	return k, err
}

// DeleteStakeholder removes a stakeholder from the registry. The VMT only.
func (s *Service) DeleteStakeholder(ctx context.Context, a Actor, id int64) error {
	return s.Store.Update(ctx, func(tx Tx) error {
		if err := requireVMT(tx, a); err != nil {
			return err
		}
		old, err := tx.Stakeholder(id)
		if err != nil {
			return err
		}
		if err := tx.DeleteStakeholder(id); err != nil {
			return err
		}
		return s.audit(tx, a, "stakeholder.delete", 0, 0, subject("stakeholder", id), stakeholderSummary(old), nil)
	})
}

// stakeholderSummary is what the audit log keeps of a stakeholder: the key
// by its fingerprint, not its text.
func stakeholderSummary(k *Stakeholder) map[string]any {
	return map[string]any{"organisation": k.Organisation, "contacts": k.Contacts,
		"fingerprint": k.Fingerprint, "projects": k.Projects}
}

// RequestStakeholder files an application to join the registry. Anyone
// signed in with a proven address may (EFORBIDDEN otherwise); the key is checked now, so that the VMT reviews a usable
// one.
func (s *Service) RequestStakeholder(ctx context.Context, a Actor, in StakeholderInput) (*StakeholderRequest, error) {
	if err := requireAuth(a); err != nil {
		return nil, err
	}
	// The VMT judges an application by who sends it, and an accepted one
	// makes the account the stakeholder's (ToldStakeholder): the address
	// it is judged by must be the applicant's (HoldsAddress).
	if !HoldsAddress(a.User, a.User.Email) {
		return nil, &Error{Code: EFORBIDDEN, Field: "email", Message: "confirm your address " + a.User.Email + " first (the link we mailed to it, or a new one from your account page)"}
	}
	in.Rationale = strings.TrimSpace(in.Rationale)
	if err := checkText("rationale", in.Rationale, MaxRationaleLen, true); err != nil {
		return nil, err
	}
	var r *StakeholderRequest
	err := s.Store.Update(ctx, func(tx Tx) error {
		k, err := s.checkStakeholder(tx, in)
		if err != nil {
			return err
		}
		r = &StakeholderRequest{UserID: a.User.ID, Organisation: k.Organisation, Contacts: k.Contacts,
			PublicKey: k.PublicKey, Projects: k.Projects, Rationale: in.Rationale, State: RequestPending,
			CreatedAt: s.now()}
		if err := tx.CreateStakeholderRequest(r); err != nil {
			return err
		}
		return s.audit(tx, a, "stakeholder_request.create", 0, 0, subject("stakeholder_request", r.ID), nil,
			map[string]any{"organisation": r.Organisation, "contacts": r.Contacts, "rationale": r.Rationale})
	})
	return r, err
}

// isVMT reports whether a is of the VMT, for reads that show more to it.
func isVMT(tx Tx, a Actor) (bool, error) {
	err := requireVMT(tx, a)
	switch ErrorCode(err) {
	case "":
		return true, nil
	case EFORBIDDEN, EUNAUTHENTICATED:
		return false, nil
	}
	return false, err
}

// StakeholderRequests lists applications: every one to the VMT, one's own
// to anyone else.
func (s *Service) StakeholderRequests(ctx context.Context, a Actor) ([]*StakeholderRequest, error) {
	if err := requireAuth(a); err != nil {
		return nil, err
	}
	var out []*StakeholderRequest
	err := s.Store.View(ctx, func(tx Tx) error {
		vmt, err := isVMT(tx, a)
		if err != nil {
			return err
		}
		uid := a.User.ID
		if vmt {
			uid = 0
		}
		out, err = tx.StakeholderRequests(uid)
		return err
	})
	return out, err
}

// StakeholderRequest returns one application to the VMT or to whoever
// filed it; to anyone else it does not exist.
func (s *Service) StakeholderRequest(ctx context.Context, a Actor, id int64) (*StakeholderRequest, error) {
	if err := requireAuth(a); err != nil {
		return nil, err
	}
	var r *StakeholderRequest
	err := s.Store.View(ctx, func(tx Tx) error {
		var err error
		if r, err = tx.StakeholderRequest(id); err != nil {
			return err
		}
		if r.UserID == a.User.ID {
			return nil
		}
		if ok, err := isVMT(tx, a); err != nil || !ok {
			r = nil
			return errOr(err, NotFound("stakeholder request"))
		}
		return nil
	})
	return r, err
}

func errOr(err, other error) error {
	if err != nil {
		return err
	}
	return other
}

// DecideInput is the VMT's answer to an application.
type DecideInput struct {
	Note string `json:"note"`
}

// AcceptStakeholder creates the stakeholder an application asks for, its
// key checked again (it may have expired while pending). The VMT only.
func (s *Service) AcceptStakeholder(ctx context.Context, a Actor, id int64, in DecideInput) (*StakeholderRequest, error) {
	return s.decide(ctx, a, id, in, RequestAccepted, func(tx Tx, r *StakeholderRequest) error {
		k, err := s.checkStakeholder(tx, StakeholderInput{Organisation: r.Organisation, Contacts: r.Contacts,
			PublicKey: r.PublicKey, Projects: r.Projects})
		if err != nil {
			return err
		}
		k.CreatedAt, k.UpdatedAt = s.now(), s.now()
		if err := tx.CreateStakeholder(k); err != nil {
			return err
		}
		r.StakeholderID = k.ID
		return s.audit(tx, a, "stakeholder.create", 0, 0, subject("stakeholder", k.ID), nil, stakeholderSummary(k))
	})
}

// DeclineStakeholder refuses an application, with a note. The VMT only.
func (s *Service) DeclineStakeholder(ctx context.Context, a Actor, id int64, in DecideInput) (*StakeholderRequest, error) {
	return s.decide(ctx, a, id, in, RequestDeclined, func(Tx, *StakeholderRequest) error { return nil })
}

func (s *Service) decide(ctx context.Context, a Actor, id int64, in DecideInput, to RequestState, fn func(Tx, *StakeholderRequest) error) (*StakeholderRequest, error) {
	in.Note = strings.TrimSpace(in.Note)
	if err := checkText("note", in.Note, MaxReasonLen, false); err != nil {
		return nil, err
	}
	var r *StakeholderRequest
	err := s.Store.Update(ctx, func(tx Tx) error {
		if err := requireVMT(tx, a); err != nil {
			return err
		}
		var err error
		if r, err = tx.StakeholderRequest(id); err != nil {
			return err
		}
		if r.State != RequestPending {
			return &Error{Code: ECONFLICT, Field: "state", Message: "the request is already " + string(r.State)}
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
			map[string]any{"state": RequestPending}, map[string]any{"state": to, "note": r.Note, "stakeholder_id": r.StakeholderID})
	})
	return r, err
}
