package vmt

import (
	"context"
	"slices"
)

// isStaff reports whether a runs the process: administrators and VMT
// coordinators, who need to know who is who to let people in.
func isStaff(a Actor) bool {
	return a.User != nil && (a.User.Role == RoleAdmin || a.User.Role == RoleVMT)
}

// Directory lists the active users for administrators and VMT coordinators,
// who pick from it whom to subscribe to a report or assign to it.
func (s *Service) Directory(ctx context.Context, a Actor) ([]*User, error) {
	if err := requireAuth(a); err != nil {
		return nil, err
	}
	if !isStaff(a) {
		return nil, Errorf(EFORBIDDEN, "only the VMT may list users")
	}
	var all []*User
	err := s.Store.View(ctx, func(tx Tx) (err error) { all, err = tx.Users(); return err })
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(all, func(u *User) bool { return u.Disabled }), nil
}

// UserNames returns how to show the users ids to a signed-in actor: their
// name, and for the VMT their email too. An unknown id, or a user without a
// name seen by someone outside the VMT, reads "user N": addresses are not
// handed to reporters or stakeholders.
func (s *Service) UserNames(ctx context.Context, a Actor, ids []int64) (map[int64]string, error) {
	out := make(map[int64]string, len(ids))
	if a.User == nil {
		return out, nil
	}
	staff := isStaff(a)
	err := s.Store.View(ctx, func(tx Tx) error {
		for _, id := range ids {
			if _, done := out[id]; done || id == 0 {
				continue
			}
			u, err := tx.User(id)
			if ErrorCode(err) == ENOTFOUND {
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

func displayName(u *User, withEmail bool) string {
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
