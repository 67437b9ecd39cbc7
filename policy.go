package vmt

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
	Reviewer      bool // a core security reviewer of the report's project
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
	ActionAttachFix   Action = "attach_fix"  // attach a patch series or a pull request link
	ActionReviewFix   Action = "review_fix"  // pre-approve a fix, or ask for changes
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
	case ActionAttachFix:
		// Whoever works on the report: its VMT, its reporter and the
		// people subscribed to it.
		return staff || a.Reporter || a.Subscribed
	case ActionReviewFix:
		return staff || a.Reviewer
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
	case ActionAttachFix:
		return "attach a fix to this report"
	case ActionReviewFix:
		return "review the fixes of this report (only the project's core reviewers may)"
	}
	return string(act) + " this report"
}
