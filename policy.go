package vmt

import "strings"

// Actor is whoever makes a request. A nil User is an anonymous visitor.
type Actor struct {
	User *User
}

// Anonymous is the actor of a request without credentials.
var Anonymous = Actor{}

// ID returns the actor's user id, 0 for anonymous.
func (a Actor) ID() int64 {
	if a.User == nil {
		return 0
	}
	return a.User.ID
}

// IsAdmin reports whether the actor is an administrator.
func (a Actor) IsAdmin() bool { return a.User != nil && a.User.Role == RoleAdmin }

// Viewer is the actor as the store needs it to filter lists: the same rule as
// Access.CanView, written in the store's query language.
type Viewer struct {
	UserID int64 // 0: anonymous
	Admin  bool
}

// Viewer returns the list filter for a.
func (a Actor) Viewer() Viewer { return Viewer{UserID: a.ID(), Admin: a.IsAdmin()} }

// Access is what an actor is to one report. It is the single place where the
// rules of who may do what to a report are written; the service computes it
// for every read and every write.
type Access struct {
	Authenticated bool
	Admin         bool
	Coordinator   bool // a VMT member of the report's project
	Reporter      bool
	Subscribed    bool
}

// Action is something done to a report.
type Action string

// The actions on a report.
const (
	ActionView        Action = "view"
	ActionComment     Action = "comment"
	ActionEdit        Action = "edit"        // title, description, components, versions, credit, CVEs, impact
	ActionEditTerms   Action = "edit_terms"  // the reporter's disclosure terms and never-disclose marks
	ActionCoordinate  Action = "coordinate"  // transition, classify, assign, subscribe others, record a CVE request, make public
	ActionUnsubscribe Action = "unsubscribe" // drop one's own subscription
	ActionReadAudit   Action = "read_audit"  // the audit events of the report
	ActionReadExtent  Action = "read_extent" // who knows, since when
)

// CanView reports whether the actor may see r at all. A report the actor may
// not see does not exist for them: ENOTFOUND, never EFORBIDDEN.
func (a Access) CanView(r *Report) bool {
	return r.Visibility == Public || a.Admin || a.Coordinator || a.Reporter || a.Subscribed
}

// Can reports whether the actor may do act to r.
func (a Access) Can(act Action, r *Report) bool {
	if !a.CanView(r) {
		return false
	}
	staff := a.Admin || a.Coordinator
	switch act {
	case ActionView:
		return true
	case ActionComment:
		return a.Authenticated
	case ActionEdit, ActionCoordinate, ActionReadAudit:
		return staff
	case ActionEditTerms, ActionReadExtent:
		return staff || a.Reporter
	case ActionUnsubscribe:
		return staff || a.Subscribed
	}
	return false
}

// Require returns nil if the actor may do act to r; otherwise ENOTFOUND when
// r is hidden from them, EUNAUTHENTICATED for an anonymous visitor, and
// EFORBIDDEN for anyone else.
func (a Access) Require(act Action, r *Report) error {
	switch {
	case !a.CanView(r):
		return NotFound("report")
	case a.Can(act, r):
		return nil
	case !a.Authenticated:
		return Errorf(EUNAUTHENTICATED, "sign in to %s", act.phrase())
	default:
		return Errorf(EFORBIDDEN, "you may not %s", act.phrase())
	}
}

// phrase says what act does, for refusal messages.
func (act Action) phrase() string {
	switch act {
	case ActionView:
		return "see this report"
	case ActionComment:
		return "comment on this report"
	case ActionEdit:
		return "edit this report"
	case ActionEditTerms:
		return "change the disclosure terms of this report"
	case ActionCoordinate:
		return "coordinate this report (only its VMT may)"
	case ActionUnsubscribe:
		return "change the subscriptions of this report"
	case ActionReadAudit:
		return "read the audit log of this report"
	case ActionReadExtent:
		return "read who knows of this report"
	}
	return string(act) + " this report"
}

// HoldsAddress reports whether account u may claim what is given to the
// mail address addr: its address is addr and its owner has proven it by
// the link mailed to it (User.EmailVerifiedAt). It is the one rule by
// which an address carries rights: an account's address is only what its
// maker typed until then, and the report form lets anyone make an account
// with any address, so an unproven address must get nothing that its real
// owner was given (a stakeholder's contact, a notice recipient).
func HoldsAddress(u *User, addr string) bool {
	return u != nil && !u.Disabled && u.EmailVerifiedAt != nil && addr != "" && strings.EqualFold(u.Email, addr)
}

// ToldStakeholder returns the stakeholder through which account u was told
// of a report of project by the report's notice, or nil. The stakeholder
// must be one the notice addressed (told, the recipients recorded when it
// was sent, not today's registry: an organisation or a contact added
// since was not told), still in the registry (ks) and receiving project's
// notices (an organisation removed since keeps no rights), and u must
// belong to it: either u holds (HoldsAddress) an address that is one of
// its contacts today and one the notice was sent to, or the VMT accepted
// u's own application to it (accepted: stakeholder ids), a decision on
// the account, not on an address.
func ToldStakeholder(u *User, project string, ks []*Stakeholder, accepted map[int64]bool, told []NoticeRecipient) *Stakeholder {
	if u == nil || u.Disabled {
		return nil
	}
	for _, k := range ks {
		if !k.receives(project) {
			continue
		}
		for _, t := range told {
			if t.StakeholderID != k.ID {
				continue
			}
			if accepted[k.ID] {
				return k
			}
			for _, addr := range t.Addresses {
				if containsFold(k.Contacts, addr) && HoldsAddress(u, addr) {
					return k
				}
			}
		}
	}
	return nil
}
