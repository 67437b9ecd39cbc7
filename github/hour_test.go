package github_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/vmtproject/vmt"
)

// The issue is opened once: a second call finds it by its marker, even
// after an attempt whose answer was lost; another marker opens another.
func TestOpenIssueOnce(t *testing.T) {
	g, f, gs := tokenForge(t)
	ctx := context.Background()
	gs.AddIssue(1, "bug")
	since := time.Now()
	i, err := g.OpenIssue(ctx, f, "vmt:report:7", since, "CVE-2026-1234: Overflow", "The summary.\n\nAdvisory: https://vmt.example/a")
	if err != nil {
		t.Fatal(err)
	}
	if i.Number != 2 || i.URL != "https://github.com/kata-containers/kata-containers/issues/2" {
		t.Errorf("issue %+v", i)
	}
	got := gs.Issue(2)
	if got.Title != "CVE-2026-1234: Overflow" || !strings.Contains(got.Body, "<!-- vmt:vmt:report:7 -->") || !strings.Contains(got.Body, "Advisory: https://vmt.example/a") {
		t.Errorf("the issue on GitHub: %+v", got)
	}
	again, err := g.OpenIssue(ctx, f, "vmt:report:7", since, "other", "other")
	if err != nil || again.Number != 2 {
		t.Fatalf("again: %+v, %v", again, err)
	}
	if n := len(gs.Issues()); n != 2 {
		t.Errorf("%d issues, want 2", n)
	}
	other, err := g.OpenIssue(ctx, f, "vmt:report:8", since, "CVE-2026-9999: other", "b")
	if err != nil || other.Number != 3 {
		t.Fatalf("another report's issue: %+v, %v", other, err)
	}
	gs.FailNext("issues/create", http.StatusBadGateway)
	if _, err := g.OpenIssue(ctx, f, "vmt:report:9", since, "t", "b"); err == nil || vmt.ErrorCode(err) == vmt.EINVALID {
		t.Errorf("GitHub down: %v, want an error worth a retry", err)
	}
}

// The pull request is opened once per head and base, found again by its
// head; its merge is read with its commit.
func TestOpenPullRequestOnceAndMerge(t *testing.T) {
	g, f, gs := tokenForge(t)
	ctx := context.Background()
	pr, err := g.OpenPullRequest(ctx, f, "vmt/CVE-2026-1234/stable-1", "stable-1", "[stable-1] CVE-2026-1234", "Issue: #1")
	if err != nil {
		t.Fatal(err)
	}
	if pr.Number != 1 || pr.Branch != "stable-1" || pr.Head != "vmt/CVE-2026-1234/stable-1" ||
		pr.URL != "https://github.com/kata-containers/kata-containers/pull/1" {
		t.Errorf("pull request %+v", pr)
	}
	again, err := g.OpenPullRequest(ctx, f, "vmt/CVE-2026-1234/stable-1", "stable-1", "x", "y")
	if err != nil || again.Number != 1 {
		t.Fatalf("again: %+v, %v", again, err)
	}
	master, err := g.OpenPullRequest(ctx, f, "vmt/CVE-2026-1234/master", "master", "[master] CVE-2026-1234", "Issue: #1")
	if err != nil || master.Number != 2 {
		t.Fatalf("master: %+v, %v", master, err)
	}
	if merged, _, err := g.PullRequestMerge(ctx, f, 1); err != nil || merged {
		t.Fatalf("before the merge: %v, %v", merged, err)
	}
	sha := strings.Repeat("ab", 20)
	gs.Merge(1, sha)
	merged, commit, err := g.PullRequestMerge(ctx, f, 1)
	if err != nil || !merged || commit != sha {
		t.Fatalf("after the merge: %v %q %v", merged, commit, err)
	}
	// A merged pull request is still found by its head: not opened again.
	if again, err := g.OpenPullRequest(ctx, f, "vmt/CVE-2026-1234/stable-1", "stable-1", "x", "y"); err != nil || again.Number != 1 {
		t.Fatalf("after the merge: %+v, %v", again, err)
	}
	if n := len(gs.Pulls()); n != 2 {
		t.Errorf("%d pull requests, want 2", n)
	}
	if _, _, err := g.PullRequestMerge(ctx, f, 99); vmt.ErrorCode(err) != vmt.EINVALID {
		t.Errorf("no such pull request: %v, want EINVALID", err)
	}
}
