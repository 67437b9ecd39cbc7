package githubtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3filter"
)

// Advisory is a repository security advisory as the stand-in keeps it.
type Advisory struct {
	GHSA, State          string
	Summary, Description string
	Severity, CVSS, CVE  string
	CWEs                 []string
	Vulnerabilities      []Vulnerability
	Credits              []Credit
	Author               string // the login of who filed it
	AuthorID             int64
	AuthorEmail          string
	// CVERequested says a CVE id was asked for (GitHub's CNA assigns it
	// later: AssignCVE).
	CVERequested bool
	// Collaborators are the logins of its collaborating users.
	Collaborators []string
	// Fork is the name of its temporary private fork (of the same
	// owner), "" before one is made; Forks counts the forks made.
	Fork  string
	Forks int
	// Pushed are the series pushed to the fork, by base...head.
	Pushed map[string]string
	// States is every state the advisory was in, in order.
	States []string
}

// Vulnerability is one package an advisory names.
type Vulnerability struct{ Ecosystem, Name, VulnerableRange, Patched string }

// Credit is someone an advisory credits.
type Credit struct{ Login, Type string }

// AddReport files a private vulnerability report: an advisory in triage
// by author. It returns its GHSA id.
func (s *Server) AddReport(a Advisory) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	a.GHSA, a.State, a.States = s.nextGHSA(), "triage", []string{"triage"}
	s.advisories[a.GHSA] = &a
	return a.GHSA
}

// nextGHSA returns a new id of GitHub's form.
func (s *Server) nextGHSA() string {
	n := len(s.advisories) + 1
	return fmt.Sprintf("GHSA-%04d-%04d-%04d", n, n*7%10000, n*13%10000)
}

// Advisory returns a copy of advisory ghsa, or nil.
func (s *Server) Advisory(ghsa string) *Advisory {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.advisories[ghsa]
	if a == nil {
		return nil
	}
	c := *a
	c.CWEs, c.Vulnerabilities, c.Credits, c.States = slices.Clone(a.CWEs), slices.Clone(a.Vulnerabilities), slices.Clone(a.Credits), slices.Clone(a.States)
	c.Collaborators = slices.Clone(a.Collaborators)
	return &c
}

// Advisories returns the ids of the repository's advisories, in order.
func (s *Server) Advisories() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for k := range s.advisories {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// AssignCVE gives advisory ghsa its CVE id, as GitHub's CNA does some
// time after the request.
func (s *Server) AssignCVE(ghsa, cve string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.advisories[ghsa].CVE = cve
}

// moves are the state changes GitHub allows through the API: a report is
// accepted (draft) or closed, a draft published or closed, a closed one
// reopened as a draft. A published advisory stays published.
var moves = map[string][]string{"triage": {"draft", "closed"}, "draft": {"published", "closed"}, "closed": {"draft"}}

func (s *Server) operateAdvisory(op string, r *http.Request, params map[string]string, body []byte) answer {
	switch op {
	case "security-advisories/list-repository-advisories":
		out := []any{}
		state := r.URL.Query().Get("state")
		for _, k := range s.sortedGHSA() {
			if a := s.advisories[k]; state == "" || a.State == state {
				out = append(out, s.advisoryValue(a))
			}
		}
		return answer{http.StatusOK, out}
	case "security-advisories/create-repository-advisory":
		a := &Advisory{GHSA: s.nextGHSA(), State: "draft", States: []string{"draft"}}
		if err := a.apply(body); err != nil {
			return answer{http.StatusUnprocessableEntity, validationFailed(err.Error())}
		}
		s.advisories[a.GHSA] = a
		return answer{http.StatusCreated, s.advisoryValue(a)}
	}
	a := s.advisories[params["ghsa_id"]]
	if a == nil {
		return answer{http.StatusNotFound, basicError("Not Found")}
	}
	switch op {
	case "security-advisories/get-repository-advisory":
		return answer{http.StatusOK, s.advisoryValue(a)}
	case "security-advisories/update-repository-advisory":
		var in struct {
			State *string `json:"state"`
		}
		_ = json.Unmarshal(body, &in)
		if in.State != nil && *in.State != a.State {
			if !slices.Contains(moves[a.State], *in.State) {
				return answer{http.StatusUnprocessableEntity, validationFailed("a " + a.State + " advisory cannot be made " + *in.State)}
			}
		}
		if err := a.apply(body); err != nil {
			return answer{http.StatusUnprocessableEntity, validationFailed(err.Error())}
		}
		if in.State != nil && *in.State != a.State {
			a.State = *in.State
			a.States = append(a.States, a.State)
		}
		return answer{http.StatusOK, s.advisoryValue(a)}
	case "security-advisories/create-fork":
		if a.State == "published" || a.State == "withdrawn" {
			return answer{http.StatusUnprocessableEntity, validationFailed("a published advisory has no temporary fork")}
		}
		if a.Fork == "" {
			a.Fork, a.Forks = s.Repo+"-"+strings.ToLower(a.GHSA), a.Forks+1
		}
		return answer{http.StatusAccepted, s.value("full-repository", s.forkOver(a))}
	case "security-advisories/create-repository-advisory-cve-request":
		if a.CVE != "" || a.CVERequested || a.State == "published" || a.State == "closed" {
			return answer{http.StatusUnprocessableEntity, validationFailed("a CVE cannot be requested for this advisory")}
		}
		a.CVERequested = true
		return answer{http.StatusAccepted, map[string]any{}}
	}
	s.t.Errorf("githubtest: the stand-in does not serve %s", op)
	return answer{http.StatusNotFound, basicError("Not Found")}
}

func (s *Server) sortedGHSA() []string {
	var out []string
	for k := range s.advisories {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// apply sets the fields a create or an update body gives.
func (a *Advisory) apply(body []byte) error {
	var in map[string]json.RawMessage
	if err := json.Unmarshal(body, &in); err != nil {
		return err
	}
	str := func(k string, dst *string) {
		if v, ok := in[k]; ok {
			var x *string
			_ = json.Unmarshal(v, &x)
			*dst = ""
			if x != nil {
				*dst = *x
			}
		}
	}
	str("summary", &a.Summary)
	str("description", &a.Description)
	str("cve_id", &a.CVE)
	_, sev := in["severity"]
	_, vec := in["cvss_vector_string"]
	if sev && vec && string(in["severity"]) != "null" && string(in["cvss_vector_string"]) != "null" {
		return fmt.Errorf("give the severity or the CVSS vector, not both")
	}
	if vec {
		str("cvss_vector_string", &a.CVSS)
		if a.CVSS != "" {
			a.Severity = ""
		}
	}
	if sev {
		str("severity", &a.Severity)
		if a.Severity != "" {
			a.CVSS = ""
		}
	}
	if v, ok := in["cwe_ids"]; ok {
		a.CWEs = nil
		_ = json.Unmarshal(v, &a.CWEs)
	}
	if v, ok := in["collaborating_users"]; ok {
		a.Collaborators = nil
		_ = json.Unmarshal(v, &a.Collaborators)
	}
	if v, ok := in["credits"]; ok {
		var cs []struct{ Login, Type string }
		_ = json.Unmarshal(v, &cs)
		a.Credits = nil
		for _, c := range cs {
			a.Credits = append(a.Credits, Credit(c))
		}
	}
	if v, ok := in["vulnerabilities"]; ok {
		var vs []struct {
			Package struct {
				Ecosystem string
				Name      *string
			}
			VulnerableRange *string `json:"vulnerable_version_range"`
			Patched         *string `json:"patched_versions"`
		}
		_ = json.Unmarshal(v, &vs)
		a.Vulnerabilities = nil
		deref := func(p *string) string {
			if p == nil {
				return ""
			}
			return *p
		}
		for _, x := range vs {
			a.Vulnerabilities = append(a.Vulnerabilities, Vulnerability{Ecosystem: x.Package.Ecosystem,
				Name: deref(x.Package.Name), VulnerableRange: deref(x.VulnerableRange), Patched: deref(x.Patched)})
		}
	}
	return nil
}

func orNull(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// advisoryValue is a as GitHub answers it.
func (s *Server) advisoryValue(a *Advisory) map[string]any {
	vulns := []any{}
	for _, v := range a.Vulnerabilities {
		vulns = append(vulns, map[string]any{"package": map[string]any{"ecosystem": v.Ecosystem, "name": orNull(v.Name)},
			"vulnerable_version_range": orNull(v.VulnerableRange), "patched_versions": orNull(v.Patched), "vulnerable_functions": []any{}})
	}
	cwes, cweIDs := []any{}, []any{}
	for _, c := range a.CWEs {
		cwes = append(cwes, map[string]any{"cwe_id": c, "name": c})
		cweIDs = append(cweIDs, c)
	}
	credits := []any{}
	for _, c := range a.Credits {
		credits = append(credits, map[string]any{"login": c.Login, "type": c.Type})
	}
	collab := []any{}
	for i, l := range a.Collaborators {
		collab = append(collab, s.value("simple-user", map[string]any{"login": l, "id": 1000 + i}))
	}
	ids := []any{map[string]any{"type": "GHSA", "value": a.GHSA}}
	if a.CVE != "" {
		ids = append(ids, map[string]any{"type": "CVE", "value": a.CVE})
	}
	web := "https://github.com/" + s.Owner + "/" + s.Repo + "/security/advisories/" + a.GHSA
	over := map[string]any{"ghsa_id": a.GHSA, "cve_id": orNull(a.CVE), "url": s.URL + "repos/" + s.Owner + "/" + s.Repo + "/security-advisories/" + a.GHSA,
		"html_url": web, "summary": a.Summary, "description": orNull(a.Description), "severity": orNull(a.Severity),
		"state": a.State, "identifiers": ids, "vulnerabilities": vulns, "cwes": cwes, "cwe_ids": cweIDs, "credits": credits,
		"credits_detailed": []any{}, "collaborating_users": collab, "collaborating_teams": []any{}}
	over["private_fork"] = nil
	if a.Fork != "" {
		over["private_fork"] = s.value("simple-repository", s.forkOver(a))
	}
	if a.CVSS != "" {
		over["cvss"] = map[string]any{"vector_string": a.CVSS, "score": 5.0}
	}
	if a.Author != "" {
		over["author.login"] = a.Author
		over["author.id"] = a.AuthorID
		over["author.email"] = orNull(a.AuthorEmail)
		over["submission"] = map[string]any{"accepted": a.State != "triage"}
	}
	return s.value("repository-advisory", over)
}

// forkOver are the fields of a's fork as GitHub answers a repository.
func (s *Server) forkOver(a *Advisory) map[string]any {
	return map[string]any{"name": a.Fork, "full_name": s.Owner + "/" + a.Fork, "private": true,
		"owner.login": s.Owner, "html_url": "https://github.com/" + s.Owner + "/" + a.Fork,
		"url": s.URL + "repos/" + s.Owner + "/" + a.Fork}
}

// PushToFork makes branch head of advisory ghsa's fork hold the commits
// whose series (git format-patch's mbox) is patch, on top of base: the
// comparison base...head answers it.
func (s *Server) PushToFork(ghsa, base, head, patch string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.advisories[ghsa]
	if a.Fork == "" {
		s.t.Fatalf("githubtest: %s has no fork to push to", ghsa)
	}
	if a.Pushed == nil {
		a.Pushed = map[string]string{}
	}
	a.Pushed[base+"..."+head] = patch
}

// compare answers a comparison on an advisory's fork, with the patch
// media type (the only one vmt asks).
func (s *Server) compare(r *http.Request, params map[string]string) answer {
	if params["owner"] == s.Owner {
		for _, a := range s.advisories {
			if a.Fork == "" || a.Fork != params["repo"] {
				continue
			}
			if r.Header.Get("Accept") != "application/vnd.github.patch" {
				s.t.Errorf("githubtest: a comparison asked as %q, not as a patch", r.Header.Get("Accept"))
			}
			if p, ok := a.Pushed[params["basehead"]]; ok {
				return answer{http.StatusOK, rawBody{[]byte(p), "application/vnd.github.patch"}}
			}
		}
	}
	return answer{http.StatusNotFound, basicError("Not Found")}
}

// A comparison's patch is text: validated as the description's string.
func init() {
	openapi3filter.RegisterBodyDecoder("application/vnd.github.patch", openapi3filter.PlainBodyDecoder)
}
