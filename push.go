package vmt

// PushResult is what a push did.
type PushResult struct {
	Target string `json:"target"`
	Commit string `json:"commit"`
	// PullRequest is the forge outbox item that opens the pull request
	// of the pushed branch (forge_hour.go), when the project has a forge.
	PullRequest string `json:"pull_request,omitempty"`
}
