package gitrepo

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/mail"
	"strings"
)

// Committer is the committer of the commits vmt makes from patches; the
// author is each patch's own.
const Committer = "vmt <vmt@localhost>"

// PushSeries makes the series into commits on the tip of branch, the way
// git am would, and pushes the last one to remote as refs/heads/target,
// ready for review at disclosure. It returns the pushed commit: the same
// one for the same series on the same tip, since the committer date is the
// patch's date, so that pushing twice changes nothing. The commits
// are made in a temporary index and object directory: the mirror's refs and
// objects do not change. remote is an https:// or file:// URL or an
// absolute path; a patch that no longer applies is an EINVALID error with
// git's reason, as in Check. auth, when set, is sent to an https remote
// (see HTTPAuth).
func (r *Repo) PushSeries(ctx context.Context, branch string, s *Series, remote, target string, auth HTTPAuth) (string, error) {
	if err := validSource(remote); err != nil {
		return "", err
	}
	authEnv, err := auth.environ(remote)
	if err != nil {
		return "", err
	}
	if err := ValidBranch(target); err != nil {
		return "", err
	}
	tip, err := r.Tip(ctx, branch)
	if err != nil {
		return "", err
	}
	g, done, err := r.scratch("vmt-push-")
	if err != nil {
		return "", fmt.Errorf("push to %s: %w", target, err)
	}
	defer done()
	head, err := commitSeries(ctx, g, tip, branch, s)
	if err != nil {
		return "", err
	}
	// Forced: a retry after the branch's tip moved replaces the target
	// rather than fail on a non-fast-forward; with the same tip it pushes
	// the very same commits (their dates come from the patches).
	p := g
	p.env = append(append([]string(nil), g.env...), authEnv...)
	if _, err := p.run(ctx, nil, "push", "--quiet", "--", remote, "+"+head+":refs/heads/"+target); err != nil {
		return "", fmt.Errorf("push %s to %s: %w", target, remote, err)
	}
	return head, nil
}

// HTTPAuth is what git sends to push over HTTPS: Basic credentials, for
// the remote alone. The zero value sends none.
type HTTPAuth struct {
	User, Password string
}

// environ passes a's header to git for remote only, through the
// environment rather than the command line (which other users of the
// machine can read), and keeps git from following a redirect with it.
func (a HTTPAuth) environ(remote string) ([]string, error) {
	if a.User == "" && a.Password == "" {
		return nil, nil
	}
	if !strings.HasPrefix(remote, "https://") {
		return nil, fmt.Errorf("push to %q: credentials go over https only", remote)
	}
	if strings.ContainsAny(a.User+a.Password, "\x00\r\n") {
		return nil, fmt.Errorf("push to %q: the credentials hold a line break", remote)
	}
	basic := base64.StdEncoding.EncodeToString([]byte(a.User + ":" + a.Password))
	return []string{
		"GIT_CONFIG_COUNT=2",
		"GIT_CONFIG_KEY_0=http." + remote + ".extraHeader", "GIT_CONFIG_VALUE_0=Authorization: Basic " + basic,
		"GIT_CONFIG_KEY_1=http.followRedirects", "GIT_CONFIG_VALUE_1=false",
	}, nil
}

// commitSeries applies each patch to the temporary index and commits it on
// top of the previous one, starting from tip.
func commitSeries(ctx context.Context, g runner, tip, branch string, s *Series) (string, error) {
	head := tip
	err := applySeries(ctx, g, tip, branch, s, "commit series", func(i int, p Patch) error {
		tree, err := g.run(ctx, nil, "write-tree")
		if err != nil {
			return fmt.Errorf("commit patch %d: %w", i+1, err)
		}
		c := g
		c.env = append(append([]string(nil), g.env...), identity(p)...)
		out, err := c.run(ctx, strings.NewReader(fullMessage(p)), "commit-tree", strings.TrimSpace(string(tree)), "-p", head)
		if err != nil {
			return fmt.Errorf("commit patch %d: %w", i+1, err)
		}
		head = strings.TrimSpace(string(out))
		return nil
	})
	if err != nil {
		return "", err
	}
	return head, nil
}

// identity is the author of a patch and vmt as committer, for commit-tree.
func identity(p Patch) []string {
	name, email := p.Author, ""
	if a, err := mail.ParseAddress(p.Author); err == nil {
		name, email = a.Name, a.Address
	}
	cn, ce, _ := strings.Cut(strings.TrimSuffix(Committer, ">"), " <")
	return []string{
		"GIT_AUTHOR_NAME=" + name, "GIT_AUTHOR_EMAIL=" + email, "GIT_AUTHOR_DATE=" + p.Date.Format("2006-01-02T15:04:05Z07:00"),
		"GIT_COMMITTER_NAME=" + cn, "GIT_COMMITTER_EMAIL=" + ce, "GIT_COMMITTER_DATE=" + p.Date.Format("2006-01-02T15:04:05Z07:00"),
	}
}

// fullMessage is the subject and body of a patch as one commit message.
func fullMessage(p Patch) string {
	if p.Message == "" {
		return p.Subject + "\n"
	}
	return p.Subject + "\n\n" + p.Message + "\n"
}
