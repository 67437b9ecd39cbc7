package vmt

// PushResult is what a push did.
type PushResult struct {
	Target      string `json:"target"`
	Commit      string `json:"commit"`
	PullRequest string `json:"pull_request,omitempty"`
}
