package app

import (
	"context"
	"slices"

	"github.com/vmtproject/vmt"
)

// Directory lists the active users for administrators and VMT coordinators,
// who pick from it whom to subscribe to a report or assign to it.
func (s *Service) Directory(ctx context.Context, a vmt.Actor) ([]*vmt.User, error) {
	if err := vmt.RequireAuth(a); err != nil {
		return nil, err
	}
	if !vmt.IsStaff(a) {
		return nil, vmt.Errorf(vmt.EFORBIDDEN, "only the VMT may list users")
	}
	var all []*vmt.User
	err := s.deps.Store.View(ctx, func(tx vmt.Tx) (err error) { all, err = tx.Users(); return err })
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(all, func(u *vmt.User) bool { return u.Disabled }), nil
}

// UserNames returns how to show the users ids to a signed-in actor: their
// name, and for the VMT their email too. An unknown id, or a user without a
// name seen by someone outside the VMT, reads "user N": addresses are not
// handed to reporters or stakeholders.
func (s *Service) UserNames(ctx context.Context, a vmt.Actor, ids []int64) (map[int64]string, error) {
	out := make(map[int64]string, len(ids))
	if a.User == nil {
		return out, nil
	}
	staff := vmt.IsStaff(a)
	err := s.deps.Store.View(ctx, func(tx vmt.Tx) error {
		for _, id := range ids {
			if _, done := out[id]; done || id == 0 {
				continue
			}
			u, err := tx.User(id)
			if vmt.ErrorCode(err) == vmt.ENOTFOUND {
				continue
			} else if err != nil {
				return err
			}
			out[id] = displayName(u, staff || u.ID == a.ID())
		}
		return nil
	})
	return out, err
}

func displayName(u *vmt.User, withEmail bool) string {
	switch {
	case withEmail && u.Name != "":
		return u.Name + " <" + u.Email + ">"
	case withEmail:
		return u.Email
	case u.Name != "":
		return u.Name
	}
	return "user " + itoa(int(u.ID))
}
