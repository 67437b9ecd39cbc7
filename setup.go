package vmt

// SetupChecklist is what an instance still lacks before a notice can go
// out (issue 14): the administrator's first page and `vmt setup` show it,
// each missing entry with what to run to mend it.
type SetupChecklist struct {
	// Ready is true when every entry is done.
	Ready bool        `json:"ready"`
	Items []SetupItem `json:"items"`
}

// SetupItem is one entry of the checklist. Project names the project of
// a per-project entry (branches, repository); empty for the instance's.
type SetupItem struct {
	Check   string `json:"check"` // one of the Setup* names
	Project string `json:"project,omitempty"`
	Title   string `json:"title"`
	Done    bool   `json:"done"`
	// Detail says what is there, or what is missing.
	Detail string `json:"detail"`
	// Fix is the command that mends a missing entry; empty when done.
	Fix string `json:"fix,omitempty"`
}

// The checks of the setup checklist.
const (
	SetupSigningKey   = "signing_key"
	SetupRelay        = "relay"
	SetupStakeholders = "stakeholders"
	SetupBranches     = "branches"
	SetupRepository   = "repository"
)

// DefaultBranches are the branches a project has until someone sets
// them: the first start makes its project with these, which may not be
// the project's (Kata's development branch is master, not main).
var DefaultBranches = []string{"main"}

// RepositoryKnower is a FixChecker that can say which projects it has a
// git repository of (gitrepo.Checker, from `vmt serve --repo`).
type RepositoryKnower interface {
	HasRepository(project string) bool
}
