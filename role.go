package vmt

// Role is the kind of account a user has. Roles say what a user is; what a user
// may see of a private report depends also on project membership and on
// subscriptions (see policy.go).
type Role string

// The roles of the process.
const (
	RoleAdmin       Role = "admin"       // runs the instance: users, projects, tokens
	RoleVMT         Role = "vmt"         // coordinator of the vulnerability management team
	RoleReviewer    Role = "reviewer"    // core security reviewer
	RoleCommittee   Role = "committee"   // architecture committee
	RoleReporter    Role = "reporter"    // sends reports
	RoleStakeholder Role = "stakeholder" // downstream stakeholder
)

// Roles lists every role in a stable order.
var Roles = []Role{RoleAdmin, RoleVMT, RoleReviewer, RoleCommittee, RoleReporter, RoleStakeholder}

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	for _, x := range Roles {
		if r == x {
			return true
		}
	}
	return false
}

// ParseRole returns the role named s or an EINVALID error for field.
func ParseRole(field, s string) (Role, error) {
	r := Role(s)
	if !r.Valid() {
		return "", Invalid(field, "unknown role %q (want one of admin, vmt, reviewer, committee, reporter, stakeholder)", s)
	}
	return r, nil
}

// MemberRole is the part a user plays in one project.
type MemberRole string

// The project roles. Only MemberVMT grants access to the project's private
// reports; reviewers and the committee are let in one report at a time, by
// subscription, as the process wants.
const (
	MemberVMT       MemberRole = "vmt"
	MemberReviewer  MemberRole = "reviewer"
	MemberCommittee MemberRole = "committee"
)

// ParseMemberRole returns the project role named s or an EINVALID error.
func ParseMemberRole(field, s string) (MemberRole, error) {
	switch r := MemberRole(s); r {
	case MemberVMT, MemberReviewer, MemberCommittee:
		return r, nil
	}
	return "", Invalid(field, "unknown project role %q (want vmt, reviewer or committee)", s)
}
