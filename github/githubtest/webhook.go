package githubtest

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"slices"
	"strings"
)

// Relabel is a maintainer changing an issue's labels on GitHub: it adds
// (action "labeled") or removes ("unlabeled") label on issue number, and
// returns the "issues" webhook delivery GitHub would send, checked
// against the description's webhook schema.
func (s *Server) Relabel(number int, action, label, login string) []byte {
	s.t.Helper()
	s.mu.Lock()
	issue := s.issues[number]
	if issue == nil {
		s.mu.Unlock()
		s.t.Fatalf("githubtest: no issue %d", number)
	}
	switch action {
	case "labeled":
		if !slices.ContainsFunc(issue.Labels, func(l string) bool { return strings.EqualFold(l, label) }) {
			issue.Labels = append(issue.Labels, label)
		}
	case "unlabeled":
		issue.Labels = slices.DeleteFunc(issue.Labels, func(l string) bool { return strings.EqualFold(l, label) })
	default:
		s.t.Fatalf("githubtest: action %q", action)
	}
	s.mu.Unlock()
	v, err := Value("webhook-issues-"+action, map[string]any{
		"action":                 action,
		"issue.number":           number,
		"issue.state":            "open",
		"label.name":             label,
		"label.color":            "ededed",
		"repository.name":        s.Repo,
		"repository.full_name":   s.Owner + "/" + s.Repo,
		"repository.owner.login": s.Owner,
		"sender.login":           login,
	})
	if err != nil {
		s.t.Fatal(err)
	}
	b, err := json.Marshal(v)
	if err != nil {
		s.t.Fatal(err)
	}
	return b
}

// Sign returns the X-Hub-Signature-256 of body under secret.
func Sign(secret string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}
