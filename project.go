package vmt

import (
	"regexp"
	"time"
)

// Project is one piece of software whose vulnerabilities are managed here.
type Project struct {
	ID             int64     `json:"id"`
	Name           string    `json:"name"`
	AdvisoryPrefix string    `json:"advisory_prefix"` // e.g. KCSA
	NotePrefix     string    `json:"note_prefix"`     // e.g. KCSN
	Branches       []string  `json:"branches"`        // master first, then supported stable branches
	CreatedAt      time.Time `json:"created_at"`
}

// Member is a user's part in a project.
type Member struct {
	ProjectID int64      `json:"project_id"`
	UserID    int64      `json:"user_id"`
	Role      MemberRole `json:"role"`
}

// Limits on project fields.
const (
	MaxBranches      = 50
	MaxBranchNameLen = 100
)

var (
	projectNameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,62}$`)
	prefixRE      = regexp.MustCompile(`^[A-Z][A-Z0-9]{1,9}$`)
	// BranchPattern accepts the git branch names a project would support; it
	// excludes "..", a leading "-" or "/", and anything a shell or a path
	// would read specially.
	BranchPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._/-]*$`)
)

// Validate checks every field of p and returns the first fault.
func (p *Project) Validate() error {
	if !projectNameRE.MatchString(p.Name) {
		return Invalid("name", "%q is not a project name (lower-case letters, digits and '-', at most 63)", p.Name)
	}
	if !prefixRE.MatchString(p.AdvisoryPrefix) {
		return Invalid("advisory_prefix", "%q is not a prefix (2 to 10 capital letters or digits, e.g. KCSA)", p.AdvisoryPrefix)
	}
	if !prefixRE.MatchString(p.NotePrefix) {
		return Invalid("note_prefix", "%q is not a prefix (2 to 10 capital letters or digits, e.g. KCSN)", p.NotePrefix)
	}
	if p.AdvisoryPrefix == p.NotePrefix {
		return Invalid("note_prefix", "must differ from the advisory prefix")
	}
	return validateBranches(p.Branches)
}

func validateBranches(bs []string) error {
	if len(bs) == 0 {
		return Invalid("branches", "at least one branch is required (the development branch)")
	}
	if len(bs) > MaxBranches {
		return Invalid("branches", "more than %d branches", MaxBranches)
	}
	seen := make(map[string]bool, len(bs))
	for _, b := range bs {
		if len(b) > MaxBranchNameLen || !BranchPattern.MatchString(b) || ContainsDotDot(b) {
			return Invalid("branches", "%q is not a branch name", b)
		}
		if seen[b] {
			return Invalid("branches", "%q is listed twice", b)
		}
		seen[b] = true
	}
	return nil
}

// ContainsDotDot reports whether s holds "..", which no branch or path
// name may (git refuses it, and it could climb out of a directory).
func ContainsDotDot(s string) bool {
	for i := 0; i+1 < len(s); i++ {
		if s[i] == '.' && s[i+1] == '.' {
			return true
		}
	}
	return false
}

// ProjectPatch changes a project; nil fields stay as they are.
type ProjectPatch struct {
	AdvisoryPrefix *string   `json:"advisory_prefix"`
	NotePrefix     *string   `json:"note_prefix"`
	Branches       *[]string `json:"branches"`
}
