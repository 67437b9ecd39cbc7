package github

import (
	"context"
	"strconv"

	gh "github.com/google/go-github/v88/github"

	"github.com/vmtproject/vmt"
)

// OpenPullRequest returns the pull request from head into base, in any
// state, or opens it. head is a branch of the repository itself (the push
// remote is the project's repository): it is looked up as owner:head.
func (g *Forge) OpenPullRequest(ctx context.Context, f *vmt.ForgeSettings, head, base, title, body string) (*vmt.ForgePullRequest, error) {
	c, err := g.client(f)
	if err != nil {
		return nil, err
	}
	prs, _, err := c.PullRequests.List(ctx, f.Owner, f.Repo, &gh.PullRequestListOptions{State: "all",
		Head: f.Owner + ":" + head, Base: base, ListOptions: gh.ListOptions{PerPage: 100}})
	if err != nil {
		return nil, classify("look for the pull request of "+head, err)
	}
	for _, pr := range prs {
		if pr.GetHead().GetRef() == head && pr.GetBase().GetRef() == base {
			return pullRequest(f, pr), nil
		}
	}
	pr, _, err := c.PullRequests.Create(ctx, f.Owner, f.Repo, &gh.NewPullRequest{Title: &title, Head: &head,
		Base: &base, Body: &body, MaintainerCanModify: gh.Ptr(true)})
	if err != nil {
		return nil, classify("open the pull request of "+head, err)
	}
	return pullRequest(f, pr), nil
}

func pullRequest(f *vmt.ForgeSettings, pr *gh.PullRequest) *vmt.ForgePullRequest {
	return &vmt.ForgePullRequest{ProjectID: f.ProjectID, Branch: pr.GetBase().GetRef(), Head: pr.GetHead().GetRef(),
		Number: pr.GetNumber(), URL: pr.GetHTMLURL()}
}

// PullRequestMerge reads whether pull request number is merged, and its
// merge commit.
func (g *Forge) PullRequestMerge(ctx context.Context, f *vmt.ForgeSettings, number int) (bool, string, error) {
	c, err := g.client(f)
	if err != nil {
		return false, "", err
	}
	pr, _, err := c.PullRequests.Get(ctx, f.Owner, f.Repo, number)
	if err != nil {
		return false, "", classify("read pull request "+strconv.Itoa(number), err)
	}
	if !pr.GetMerged() {
		return false, "", nil
	}
	return true, pr.GetMergeCommitSHA(), nil
}
