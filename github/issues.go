package github

import (
	"context"
	"strings"
	"time"

	gh "github.com/google/go-github/v88/github"

	"github.com/vmtproject/vmt"
)

// maxIssuePages bounds the look for an issue by its marker: 10 pages of
// 100 issues updated since the disclosure hour.
const maxIssuePages = 10

// OpenIssue returns the issue carrying marker, or opens it. The look
// lists the repository's issues updated since since (an issue vmt opened
// then has been updated since): the list is read from the repository
// itself, unlike search, whose index lags, so an issue opened by an
// attempt whose answer was lost is found by the retry.
func (g *Forge) OpenIssue(ctx context.Context, f *vmt.ForgeSettings, marker string, since time.Time, title, body string) (*vmt.ForgeIssue, error) {
	c, err := g.client(f)
	if err != nil {
		return nil, err
	}
	m := commentMarker(marker)
	opt := &gh.IssueListByRepoOptions{State: "all", Sort: "created", Direction: "desc",
		ListOptions: gh.ListOptions{PerPage: 100}}
	if !since.IsZero() {
		opt.Since = since.Add(-time.Minute).UTC()
	}
	for range maxIssuePages {
		is, resp, err := c.Issues.ListByRepo(ctx, f.Owner, f.Repo, opt)
		if err != nil {
			return nil, classify("look for the issue "+marker, err)
		}
		for _, i := range is {
			if !i.IsPullRequest() && strings.Contains(i.GetBody(), m) {
				return &vmt.ForgeIssue{ProjectID: f.ProjectID, Number: i.GetNumber(), URL: i.GetHTMLURL()}, nil
			}
		}
		if resp.NextPage == 0 {
			break
		}
		opt.ListOptions.Page = resp.NextPage
	}
	text := body + "\n\n" + m
	i, _, err := c.Issues.Create(ctx, f.Owner, f.Repo, &gh.IssueRequest{Title: &title, Body: &text})
	if err != nil {
		return nil, classify("open the issue "+marker, err)
	}
	return &vmt.ForgeIssue{ProjectID: f.ProjectID, Number: i.GetNumber(), URL: i.GetHTMLURL()}, nil
}
