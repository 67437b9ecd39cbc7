package vmt

import (
	"strings"
)

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

// ProjectAccess is what an actor is to one project: the rule for the
// project's own settings and its part of the stakeholder registry, as
// Access is the rule for one report. Every setting of a project is its
// VMT's and the administrators'; the service computes it for every read and
// every write of one (Service.projectVMT, RegistryAccess).
type ProjectAccess struct {
	Authenticated bool
	Admin         bool
	VMT           bool // a VMT member of the project
}

// ProjectAction is something done to a project's settings.
type ProjectAction string

// The actions on a project.
const (
	ProjectDisclosure  ProjectAction = "disclosure"  // the disclosure policy and the notice lists
	ProjectPublication ProjectAction = "publication" // where the advisories are announced
	ProjectTemplates   ProjectAction = "templates"   // the project's own templates
	ProjectCNA         ProjectAction = "cna"         // the CVE Services settings
	ProjectRegistry    ProjectAction = "registry"    // its stakeholder entries and the applications naming it
	ProjectIntake      ProjectAction = "intake"      // the intake mailbox and the messages it could not read
	ProjectImport      ProjectAction = "import"      // bringing its earlier published advisories in
	ProjectForge       ProjectAction = "forge"       // its GitHub repository (set by administrators only)
)

// Can reports whether the actor may do act to the project.
func (p ProjectAccess) Can(act ProjectAction) bool {
	switch act {
	case ProjectDisclosure, ProjectPublication, ProjectTemplates, ProjectCNA, ProjectRegistry, ProjectIntake, ProjectImport, ProjectForge:
		return p.Admin || p.VMT
	}
	return false
}

// Require returns nil if the actor may do act to the project;
// EUNAUTHENTICATED for an anonymous visitor, EFORBIDDEN for anyone else.
// Projects are public knowledge, so a refusal does not hide one.
func (p ProjectAccess) Require(act ProjectAction) error {
	switch {
	case p.Can(act):
		return nil
	case !p.Authenticated:
		return Errorf(EUNAUTHENTICATED, "sign in first")
	}
	return Errorf(EFORBIDDEN, "only the project's VMT may %s", act.phrase())
}

// phrase says what act does, for refusal messages.
func (act ProjectAction) phrase() string {
	switch act {
	case ProjectDisclosure:
		return "change its disclosure settings"
	case ProjectPublication:
		return "change its publication settings"
	case ProjectTemplates:
		return "manage its templates"
	case ProjectCNA:
		return "manage its CVE Services settings"
	case ProjectRegistry:
		return "manage its stakeholders"
	case ProjectIntake:
		return "manage its intake mailbox"
	case ProjectImport:
		return "import its advisories"
	case ProjectForge:
		return "see its GitHub repository settings"
	}
	return "change its " + string(act) + " settings"
}

// RegistryAccess is what an actor is to the stakeholder registry: its
// ProjectAccess to each project of the instance, by name. The registry of
// a project is that project's setting (ProjectRegistry), so an entry or an
// application is governed by the projects it serves: those it names, or
// every project of the instance when it names none (it then receives
// every project's notices, those of projects made later too).
//
//   - Reading an entry or an application (its contacts, key, rationale):
//     an administrator, or the VMT of at least one project it serves. That
//     VMT's notices go to those contacts, so it must see them. To the VMT
//     of another project the entry does not exist (ENOTFOUND): it is
//     absent from its list, and neither its contacts nor its key are shown.
//   - Writing one (creating it, changing any field, deleting it, accepting
//     or declining an application): an administrator, or the VMT of EVERY
//     project it serves, before and after the change. Otherwise the VMT of
//     one project of a shared entry could change where another project's
//     embargoed notices go, or name its own project in another project's
//     entry to read it. A shared entry is therefore kept by an
//     administrator or by someone of the VMT of all its projects; one that
//     names no project, by an administrator or the VMT of every project.
//
// Anyone signed in may apply; the applicant reads their own application.
type RegistryAccess struct {
	Authenticated bool
	Admin         bool
	Projects      map[string]ProjectAccess // every project of the instance
}

// serves returns the projects an entry naming names serves.
func (r RegistryAccess) serves(names []string) []string {
	if len(names) > 0 {
		return names
	}
	all := make([]string, 0, len(r.Projects))
	for n := range r.Projects {
		all = append(all, n)
	}
	return all
}

// keeps reports whether the actor keeps project name's registry.
func (r RegistryAccess) keeps(name string) bool {
	return r.Admin || r.Projects[name].Can(ProjectRegistry)
}

// Keeper reports whether the actor keeps the registry of any project: who
// may use the registry's routes at all.
func (r RegistryAccess) Keeper() bool {
	if r.Admin {
		return true
	}
	for n := range r.Projects {
		if r.keeps(n) {
			return true
		}
	}
	return false
}

// CanRead reports whether the actor may see an entry or application naming
// projects.
func (r RegistryAccess) CanRead(projects []string) bool {
	if r.Admin {
		return true
	}
	for _, n := range r.serves(projects) {
		if r.keeps(n) {
			return true
		}
	}
	return false
}

// CanWrite reports whether the actor may write an entry or decide an
// application naming projects.
func (r RegistryAccess) CanWrite(projects []string) bool {
	if r.Admin {
		return true
	}
	ns := r.serves(projects)
	for _, n := range ns {
		if !r.keeps(n) {
			return false
		}
	}
	return len(ns) > 0 // an instance without projects: nothing to keep
}

// RequireKeeper returns nil if the actor may use the registry at all;
// EUNAUTHENTICATED for an anonymous visitor, EFORBIDDEN for anyone else.
func (r RegistryAccess) RequireKeeper() error {
	switch {
	case r.Keeper():
		return nil
	case !r.Authenticated:
		return Errorf(EUNAUTHENTICATED, "sign in first")
	}
	return Errorf(EFORBIDDEN, "only a project's VMT may manage its stakeholders")
}

// RequireRead returns nil if the actor may see something of what naming
// projects; ENOTFOUND (what) when it is hidden from them, after
// RequireKeeper's refusals.
func (r RegistryAccess) RequireRead(what string, projects []string) error {
	if err := r.RequireKeeper(); err != nil {
		return err
	}
	if !r.CanRead(projects) {
		return NotFound(what)
	}
	return nil
}

// RequireWrite returns nil if the actor may write something of what naming
// each of the project lists given (an entry before and after a change);
// after RequireKeeper's refusals, EFORBIDDEN when one of them serves a
// project the actor does not keep. A caller changing a stored entry checks
// RequireRead first, so that a hidden one stays ENOTFOUND.
func (r RegistryAccess) RequireWrite(what string, projects ...[]string) error {
	if err := r.RequireKeeper(); err != nil {
		return err
	}
	for _, ps := range projects {
		if !r.CanWrite(ps) {
			return Errorf(EFORBIDDEN, "only the VMT of every project this %s serves may change it (%s)", what, r.describe(ps))
		}
	}
	return nil
}

// describe names the projects an entry naming projects serves, for a
// refusal.
func (r RegistryAccess) describe(projects []string) string {
	if len(projects) == 0 {
		return "it names none, so it serves every project"
	}
	return "it serves " + strings.Join(projects, ", ")
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
		if !k.Receives(project) {
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

// SeesWithheld reports whether the actor sees what the reporter marked
// never to disclose: the report's VMT, administrators and the reporter
// themselves. Everyone else (subscribers, the committee, stakeholders,
// the public) gets every text and export without it.
func (a Access) SeesWithheld() bool { return a.Admin || a.Coordinator || a.Reporter }

// Withhold returns what must be withheld from the actor of w, a report's
// never-disclose marks: nothing for those who see it, w for the others.
func (a Access) Withhold(w Withheld) Withheld {
	if a.SeesWithheld() {
		return Withheld{}
	}
	return w
}

// Published is the access of what leaves the system (a public page, a
// feed, an export, an announcement, a notice, a CVE record): no one's, so
// that it withholds whatever the reporter marked, whoever asks for it.
var Published = Access{}

// RequireAuth refuses an actor who has not signed in (EUNAUTHENTICATED).
func RequireAuth(a Actor) error {
	if a.User == nil {
		return Errorf(EUNAUTHENTICATED, "sign in first")
	}
	return nil
}

// RequireAdmin refuses an actor who is not a signed-in administrator
// (EUNAUTHENTICATED, or EFORBIDDEN).
func RequireAdmin(a Actor) error {
	if err := RequireAuth(a); err != nil {
		return err
	}
	if !a.IsAdmin() {
		return Errorf(EFORBIDDEN, "only an administrator may do this")
	}
	return nil
}

// UnpublishedVisible reports whether one with acc may see the documents
// of r that are not published: those who could see r were it private. A
// report made public before its advisory (it leaked, say) does not make
// the draft or the embargoed text anyone's.
func UnpublishedVisible(acc Access, r *Report) bool {
	hidden := *r
	hidden.Visibility = Private
	return acc.CanView(&hidden)
}

// IsStaff reports whether a runs the process: administrators and VMT
// coordinators, who need to know who is who to let people in.
func IsStaff(a Actor) bool {
	return a.User != nil && (a.User.Role == RoleAdmin || a.User.Role == RoleVMT)
}

// MemberRoleFits says which account roles may take a project role: the
// VMT's access to every private report is not handed to a reporter or a
// stakeholder account by mistake.
func MemberRoleFits(u Role, m MemberRole) bool {
	switch m {
	case MemberVMT:
		return u == RoleVMT || u == RoleAdmin
	case MemberReviewer:
		return u == RoleReviewer || u == RoleVMT || u == RoleAdmin
	case MemberCommittee:
		return u == RoleCommittee || u == RoleAdmin
	}
	return false
}

// AccessOf is what a is to r, given the store's grants for the pair.
func AccessOf(a Actor, r *Report, g Grants) Access {
	if a.User == nil {
		return Access{}
	}
	return Access{
		Authenticated: true,
		Admin:         a.IsAdmin(),
		Coordinator:   g.MemberRole == MemberVMT,
		Reporter:      r.ReporterID == a.User.ID,
		Subscribed:    g.Subscribed,
		Reviewer:      g.MemberRole == MemberReviewer,
	}
}
