package vmt

import (
	"context"
	"strconv"
	"strings"
	"time"
)

// The disclosure hour on the forge (issue 16, item 2): once a report is
// public, its public issue is opened (the CVE, the advisory's summary and
// link) and, for each branch whose fixes were pushed at the hour to
// vmt/<CVE>/<branch>, a pull request against that branch, referencing the
// issue and the advisory. Their links are kept on the report; merge
// tracking reads whether each pull request is merged. Each is a KindForge
// outbox item (ForgeOpenIssue, ForgeOpenPullRequest), and each looks
// before it creates: the issue by a hidden marker in its body, the pull
// request by its head branch, so that a retry never opens a second one.
// Nothing is asked of the forge for a report that is not public: the
// handler of every forge item refuses it (app.Service.DeliverForge).

// ForgeHour is the part of Forge the disclosure hour uses.
type ForgeHour interface {
	// OpenIssue returns the issue whose body carries marker, looked for
	// among the issues updated since since, or opens one with title and
	// body (the marker added, hidden) when there is none.
	OpenIssue(ctx context.Context, f *ForgeSettings, marker string, since time.Time, title, body string) (*ForgeIssue, error)
	// OpenPullRequest returns the pull request from head (a branch of the
	// repository) into base, open or not, or opens one with title and
	// body when there is none.
	OpenPullRequest(ctx context.Context, f *ForgeSettings, head, base, title, body string) (*ForgePullRequest, error)
	// PullRequestMerge says whether pull request number is merged, and
	// as which commit.
	PullRequestMerge(ctx context.Context, f *ForgeSettings, number int) (merged bool, commit string, err error)
	// PushCredential returns the user and password git sends over HTTPS
	// to push the fixes at the hour to remote, when remote is f's own
	// repository on its forge: ok is false for any other remote, and no
	// credential is handed out for it. The password is short-lived where
	// the forge allows it (an App installation's token).
	PushCredential(ctx context.Context, f *ForgeSettings, remote string) (user, password string, ok bool, err error)
}

// ForgePullRequest is the pull request of a public report's fixes for one
// branch: from Head (vmt/<CVE>/<branch>) into Branch.
type ForgePullRequest struct {
	ReportID  int64     `json:"report_id"`
	ProjectID int64     `json:"project_id"`
	Branch    string    `json:"branch"`
	Head      string    `json:"head"`
	Number    int       `json:"number"`
	URL       string    `json:"url"`
	OpenedAt  time.Time `json:"opened_at"`
}

// ReportForge is what a public report has on its project's forge: the
// issue it is followed in and the pull requests of its fixes.
type ReportForge struct {
	Issue        *ForgeIssue         `json:"issue,omitempty"`
	PullRequests []*ForgePullRequest `json:"pull_requests,omitempty"`
}

// ForgeIssueMarker is the hidden marker of report r's public issue: the
// issue is found again by it.
func ForgeIssueMarker(r *Report) string { return "vmt:report:" + strconv.FormatInt(r.ID, 10) }

// ForgeIssueText is the title and body of report r's public issue: the
// CVE (or the report's number) with the advisory's title, its summary and
// the link to its page. d may be nil (no advisory published).
func ForgeIssueText(r *Report, d *Advisory, link string) (title, body string) {
	id := "vmt report " + strconv.FormatInt(r.ID, 10)
	if len(r.CVEs) > 0 {
		id = strings.Join(r.CVEs, ", ")
	}
	what, summary := r.Title, ""
	if d != nil {
		what, summary = d.Title, d.Summary
		if summary == "" {
			summary = d.Title
		}
	}
	title = id + ": " + what
	var b strings.Builder
	if summary != "" {
		b.WriteString(summary + "\n\n")
	}
	if link != "" {
		b.WriteString("Advisory: " + link + "\n")
	}
	b.WriteString("\nThis issue follows the vulnerability; the fixes come as pull requests, one per supported branch.\n")
	return title, b.String()
}

// ForgePullRequestText is the title and body of the pull request of
// report r's fixes for branch, referencing its issue and the advisory.
func ForgePullRequestText(r *Report, branch string, issue *ForgeIssue, link string) (title, body string) {
	id := "vmt report " + strconv.FormatInt(r.ID, 10)
	if len(r.CVEs) > 0 {
		id = strings.Join(r.CVEs, ", ")
	}
	title = "[" + branch + "] " + id + ": " + r.Title
	var b strings.Builder
	b.WriteString("The fix of " + id + " for " + branch + ", as approved under embargo.\n\n")
	if issue != nil {
		b.WriteString("Issue: #" + strconv.Itoa(issue.Number) + "\n")
	}
	if link != "" {
		b.WriteString("Advisory: " + link + "\n")
	}
	return title, b.String()
}
