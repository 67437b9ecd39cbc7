package githubtest

import (
	"encoding/json"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// The disclosure hour's calls: the repository's issues listed and opened,
// its pull requests listed, opened and read. Issues and pull requests
// share one numbering, as on GitHub.

// Pull is a pull request of the repository as the stand-in keeps it.
type Pull struct {
	Number      int
	Head, Base  string
	Title, Body string
	Merged      bool
	MergeCommit string
}

// Pulls returns copies of the pull requests, by number.
func (s *Server) Pulls() []Pull {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Pull
	for _, p := range s.pulls {
		out = append(out, *p)
	}
	slices.SortFunc(out, func(a, b Pull) int { return a.Number - b.Number })
	return out
}

// Issues returns the numbers of the issues, in order.
func (s *Server) Issues() []int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sortedIssues()
}

// Merge marks pull request number merged as commit, as a maintainer's
// merge on GitHub would.
func (s *Server) Merge(number int, commit string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p := s.pulls[number]; p != nil {
		p.Merged, p.MergeCommit = true, commit
	}
}

func (s *Server) nextNumber() int {
	n := 0
	for k := range s.issues {
		n = max(n, k)
	}
	for k := range s.pulls {
		n = max(n, k)
	}
	return n + 1
}

// operateHour answers the hour's operations; ok is false for any other.
func (s *Server) operateHour(op string, r *http.Request, params map[string]string, body []byte) (answer, bool) {
	switch op {
	case "issues/list-for-repo":
		out := []any{}
		for _, n := range slices.Backward(s.sortedIssues()) {
			out = append(out, s.issue(n, s.issues[n]))
		}
		return answer{http.StatusOK, out}, true
	case "issues/create":
		var in struct{ Title, Body string }
		_ = json.Unmarshal(body, &in)
		n := s.nextNumber()
		s.issues[n] = &Issue{Title: in.Title, Body: in.Body}
		return answer{http.StatusCreated, s.issue(n, s.issues[n])}, true
	case "pulls/list":
		q := r.URL.Query()
		out := []any{}
		for _, p := range s.sortedPulls() {
			if h := q.Get("head"); h != "" && h != s.Owner+":"+p.Head {
				continue
			}
			if b := q.Get("base"); b != "" && b != p.Base {
				continue
			}
			if st := q.Get("state"); st != "all" && (st == "closed") != p.Merged {
				continue
			}
			out = append(out, s.pull(p, "pull-request-simple"))
		}
		return answer{http.StatusOK, out}, true
	case "pulls/create":
		var in struct{ Title, Head, Base, Body string }
		_ = json.Unmarshal(body, &in)
		if strings.Contains(in.Head, ":") || in.Base == "" {
			return answer{http.StatusUnprocessableEntity, validationFailed("invalid")}, true
		}
		for _, p := range s.pulls {
			if p.Head == in.Head && p.Base == in.Base && !p.Merged {
				s.t.Errorf("githubtest: a second pull request from %s into %s", in.Head, in.Base)
				return answer{http.StatusUnprocessableEntity, validationFailed("already_exists")}, true
			}
		}
		p := &Pull{Number: s.nextNumber(), Head: in.Head, Base: in.Base, Title: in.Title, Body: in.Body}
		s.pulls[p.Number] = p
		return answer{http.StatusCreated, s.pull(p, "pull-request")}, true
	case "pulls/get":
		n, _ := strconv.Atoi(params["pull_number"])
		p := s.pulls[n]
		if p == nil {
			return answer{http.StatusNotFound, basicError("Not Found")}, true
		}
		return answer{http.StatusOK, s.pull(p, "pull-request")}, true
	}
	return answer{}, false
}

func (s *Server) sortedIssues() []int { return slices.Sorted(maps.Keys(s.issues)) }

func (s *Server) sortedPulls() []*Pull {
	var out []*Pull
	for _, n := range slices.Sorted(maps.Keys(s.pulls)) {
		out = append(out, s.pulls[n])
	}
	return out
}

func (s *Server) web() string { return "https://github.com/" + s.Owner + "/" + s.Repo }

func (s *Server) issue(n int, i *Issue) map[string]any {
	title := i.Title
	if title == "" {
		title = "issue " + strconv.Itoa(n)
	}
	return s.value("issue", map[string]any{"number": n, "title": title, "body": i.Body, "state": "open",
		"html_url": s.web() + "/issues/" + strconv.Itoa(n)})
}

func (s *Server) pull(p *Pull, schema string) map[string]any {
	state := "open"
	over := map[string]any{"number": p.Number, "title": p.Title, "body": p.Body,
		"html_url": s.web() + "/pull/" + strconv.Itoa(p.Number),
		"head.ref": p.Head, "head.label": s.Owner + ":" + p.Head, "base.ref": p.Base, "base.label": s.Owner + ":" + p.Base}
	if p.Merged {
		state = "closed"
		over["merge_commit_sha"] = p.MergeCommit
		over["merged_at"] = "2026-12-04T20:00:00Z"
		over["closed_at"] = "2026-12-04T20:00:00Z"
	}
	over["state"] = state
	if schema == "pull-request" {
		over["merged"] = p.Merged
	}
	return s.value(schema, over)
}
