// Package githubtest is a stand-in for GitHub's REST API in tests: one
// repository's labels, issues and comments, served as GitHub's published
// description (github/testdata) says. Every request it receives and every
// answer it gives are validated against that description with
// getkin/kin-openapi; a request the description does not allow fails the
// test that made it, and is answered 400.
package githubtest

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

// Call is one request the stand-in answered.
type Call struct {
	Operation string // the description's operationId: "issues/set-labels"
	Method    string
	Path      string
	Status    int
	Body      string // the request's, as sent
}

// Label is a label of the repository.
type Label struct{ Name, Color, Description string }

// Issue is an issue of the repository as the stand-in keeps it.
type Issue struct {
	Labels   []string
	Comments []string
	// Title and Body are those of an issue opened through the API
	// (hour.go).
	Title, Body string
}

// Server is the stand-in. Its fields are read and changed under Lock.
type Server struct {
	URL         string // the API's base URL, ending in "/"
	Owner, Repo string
	// Token is the fine-grained token it accepts; AppID, InstallationID
	// and AppKey the GitHub App whose JWT it accepts for an installation
	// token (a token it then accepts too).
	Token          string
	AppID          int64
	InstallationID int64
	AppKey         *rsa.PublicKey

	t      testing.TB
	srv    *httptest.Server
	router routers.Router
	mu     sync.Mutex
	labels map[string]Label // by lower-case name
	issues map[int]*Issue
	calls  []Call
	tokens []string // installation tokens handed out
	// failNext answers the next call of an operation with this status.
	failNext map[string]int
	pulls    map[int]*Pull // hour.go
	// advisories are the repository's security advisories (advisories.go).
	advisories map[string]*Advisory
}

// New starts a stand-in for owner/repo, closed with the test.
func New(t testing.TB, owner, repo string) *Server {
	t.Helper()
	d, err := Description()
	if err != nil {
		t.Fatalf("githubtest: the description: %v", err)
	}
	s := &Server{Owner: owner, Repo: repo, Token: "github_pat_test", t: t,
		labels: map[string]Label{}, issues: map[int]*Issue{}, failNext: map[string]int{},
		pulls: map[int]*Pull{}, advisories: map[string]*Advisory{}}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.srv.Close)
	s.URL = s.srv.URL + "/"
	// The router matches the servers' URLs: this one, not api.github.com.
	local := *d
	local.Servers = openapi3.Servers{{URL: s.srv.URL}}
	if s.router, err = gorillamux.NewRouter(&local); err != nil {
		t.Fatalf("githubtest: router: %v", err)
	}
	return s
}

// AddIssue makes issue number exist, with labels.
func (s *Server) AddIssue(number int, labels ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.issues[number] = &Issue{Labels: slices.Clone(labels)}
}

// AddLabel makes a repository label exist.
func (s *Server) AddLabel(l Label) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.labels[strings.ToLower(l.Name)] = l
}

// Labels returns the repository's labels, by lower-case name.
func (s *Server) Labels() map[string]Label {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string]Label{}
	for k, v := range s.labels {
		out[k] = v
	}
	return out
}

// Issue returns a copy of issue number, or nil.
func (s *Server) Issue(number int) *Issue {
	s.mu.Lock()
	defer s.mu.Unlock()
	i := s.issues[number]
	if i == nil {
		return nil
	}
	return &Issue{Labels: slices.Clone(i.Labels), Comments: slices.Clone(i.Comments), Title: i.Title, Body: i.Body}
}

// Calls returns the calls answered so far.
func (s *Server) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.calls)
}

// Changes returns the calls so far that change something (not GET), less
// the installation tokens asked for.
func (s *Server) Changes() []Call {
	var out []Call
	for _, c := range s.Calls() {
		if c.Method != http.MethodGet && c.Operation != "apps/create-installation-access-token" {
			out = append(out, c)
		}
	}
	return out
}

// FailNext answers the next call of operation with status (a 5xx: GitHub
// down for a moment).
func (s *Server) FailNext(operation string, status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failNext[operation] = status
}

// answer is what an operation returns.
type answer struct {
	status int
	body   any // JSON, or a rawBody
}

// rawBody is an answer sent as is with its media type (the patch of a
// comparison), not as JSON.
type rawBody struct {
	b     []byte
	ctype string
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	full := r.Clone(context.Background())
	full.URL.Scheme, full.URL.Host = "http", r.Host
	full.Body = io.NopCloser(bytes.NewReader(body))
	route, params, err := s.router.FindRoute(full)
	if err != nil {
		s.t.Errorf("githubtest: %s %s is not in GitHub's description: %v", r.Method, r.URL.Path, err)
		http.Error(w, "not in the description", http.StatusNotFound)
		return
	}
	in := &openapi3filter.RequestValidationInput{Request: full, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}}
	if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil {
		s.t.Errorf("githubtest: %s %s: a request the description does not allow: %v", r.Method, r.URL.Path, err)
		s.write(w, in, route, answer{http.StatusUnprocessableEntity, validationFailed(err.Error())})
		return
	}
	for k, v := range params {
		if u, err := url.PathUnescape(v); err == nil {
			params[k] = u
		}
	}
	op := route.Operation.OperationID
	s.mu.Lock()
	a := s.operate(op, r, params, body)
	s.calls = append(s.calls, Call{Operation: op, Method: r.Method, Path: r.URL.Path, Status: a.status, Body: string(body)})
	s.mu.Unlock()
	s.write(w, in, route, a)
}

// write checks the answer against the description and sends it.
func (s *Server) write(w http.ResponseWriter, in *openapi3filter.RequestValidationInput, route *routers.Route, a answer) {
	b, err := json.Marshal(a.body)
	if _, ok := a.body.(rawBody); err != nil && !ok {
		s.t.Errorf("githubtest: marshal: %v", err)
	}
	h := http.Header{"Content-Type": {"application/json; charset=utf-8"}}
	if raw, ok := a.body.(rawBody); ok {
		b, h = raw.b, http.Header{"Content-Type": {raw.ctype}}
	}
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: a.status, Header: h,
		Body: io.NopCloser(bytes.NewReader(b)), Options: &openapi3filter.Options{IncludeResponseStatus: true}}
	if a.status < 500 {
		if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
			s.t.Errorf("githubtest: %s answered what the description does not allow: %v", route.Operation.OperationID, err)
		}
	}
	for k, v := range h {
		w.Header()[k] = v
	}
	w.WriteHeader(a.status)
	_, _ = w.Write(b)
}

func (s *Server) operate(op string, r *http.Request, params map[string]string, body []byte) answer {
	if st, ok := s.failNext[op]; ok {
		delete(s.failNext, op)
		return answer{st, map[string]any{"message": "the stand-in fails this call"}}
	}
	if op == "apps/create-installation-access-token" {
		return s.installationToken(r, params)
	}
	if !s.authorized(r) {
		return answer{http.StatusUnauthorized, basicError("Bad credentials")}
	}
	if op == "repos/compare-commits-with-basehead" { // advisories.go
		return s.compare(r, params)
	}
	if params["owner"] != s.Owner || params["repo"] != s.Repo {
		return answer{http.StatusNotFound, basicError("Not Found")}
	}
	switch op {
	case "issues/get-label":
		l, ok := s.labels[strings.ToLower(params["name"])]
		if !ok {
			return answer{http.StatusNotFound, basicError("Not Found")}
		}
		return answer{http.StatusOK, s.label(l)}
	case "issues/create-label":
		return s.createLabel(body)
	}
	if a, ok := s.operateHour(op, r, params, body); ok { // hour.go
		return a
	}
	if strings.HasPrefix(op, "security-advisories/") {
		return s.operateAdvisory(op, r, params, body)
	}
	n, _ := strconv.Atoi(params["issue_number"])
	issue := s.issues[n]
	if issue == nil {
		return answer{http.StatusNotFound, basicError("Not Found")}
	}
	switch op {
	case "issues/list-labels-on-issue":
		return answer{http.StatusOK, s.issueLabels(issue)}
	case "issues/set-labels":
		return s.setLabels(issue, body)
	case "issues/list-comments":
		out := []any{}
		for i, c := range issue.Comments {
			out = append(out, s.comment(n, i, c))
		}
		return answer{http.StatusOK, out}
	case "issues/create-comment":
		var in struct{ Body string }
		_ = json.Unmarshal(body, &in)
		issue.Comments = append(issue.Comments, in.Body)
		return answer{http.StatusCreated, s.comment(n, len(issue.Comments)-1, in.Body)}
	}
	s.t.Errorf("githubtest: the stand-in does not serve %s", op)
	return answer{http.StatusNotFound, basicError("Not Found")}
}

func (s *Server) createLabel(body []byte) answer {
	var in struct{ Name, Color, Description string }
	_ = json.Unmarshal(body, &in)
	if _, ok := s.labels[strings.ToLower(in.Name)]; ok {
		return answer{http.StatusUnprocessableEntity, validationFailed("already_exists")}
	}
	l := Label(in)
	s.labels[strings.ToLower(in.Name)] = l
	return answer{http.StatusCreated, s.label(l)}
}

// setLabels replaces an issue's labels, creating those the repository
// lacks, as GitHub does.
func (s *Server) setLabels(issue *Issue, body []byte) answer {
	var names []string
	if err := json.Unmarshal(body, &names); err != nil {
		var in struct{ Labels []string }
		_ = json.Unmarshal(body, &in)
		names = in.Labels
	}
	issue.Labels = issue.Labels[:0]
	for _, n := range names {
		if _, ok := s.labels[strings.ToLower(n)]; !ok {
			s.labels[strings.ToLower(n)] = Label{Name: n, Color: "ededed"}
		}
		issue.Labels = append(issue.Labels, s.labels[strings.ToLower(n)].Name)
	}
	return answer{http.StatusOK, s.issueLabels(issue)}
}

func (s *Server) issueLabels(issue *Issue) []any {
	out := []any{}
	for _, n := range issue.Labels {
		l, ok := s.labels[strings.ToLower(n)]
		if !ok {
			l = Label{Name: n, Color: "ededed"}
		}
		out = append(out, s.label(l))
	}
	return out
}

func (s *Server) label(l Label) map[string]any {
	return s.value("label", map[string]any{"name": l.Name, "color": l.Color, "description": l.Description,
		"url": s.URL + "repos/" + s.Owner + "/" + s.Repo + "/labels/" + l.Name})
}

func (s *Server) comment(issue, i int, body string) map[string]any {
	return s.value("issue-comment", map[string]any{"id": i + 1, "body": body,
		"html_url": "https://github.com/" + s.Owner + "/" + s.Repo + "/issues/" + strconv.Itoa(issue)})
}

func (s *Server) value(name string, over map[string]any) map[string]any {
	v, err := Value(name, over)
	if err != nil {
		s.t.Errorf("%v", err)
	}
	return v
}

func basicError(msg string) map[string]any {
	return map[string]any{"message": msg, "documentation_url": "https://docs.github.com/rest"}
}

func validationFailed(msg string) map[string]any {
	return map[string]any{"message": "Validation Failed", "documentation_url": "https://docs.github.com/rest",
		"errors": []any{map[string]any{"resource": "Label", "code": msg, "field": "name"}}}
}

// authorized accepts the fine-grained token or an installation token.
func (s *Server) authorized(r *http.Request) bool {
	h := r.Header.Get("Authorization")
	for _, p := range []string{"Bearer ", "token "} {
		if tok, ok := strings.CutPrefix(h, p); ok {
			return tok == s.Token || slices.Contains(s.tokens, tok)
		}
	}
	return false
}

// installationToken hands out a token for a JWT signed with the App's
// key whose issuer is the App.
func (s *Server) installationToken(r *http.Request, params map[string]string) answer {
	jwt, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if s.AppKey == nil || !validJWT(jwt, s.AppKey, strconv.FormatInt(s.AppID, 10)) {
		return answer{http.StatusUnauthorized, basicError("A JSON web token could not be decoded")}
	}
	if params["installation_id"] != strconv.FormatInt(s.InstallationID, 10) {
		return answer{http.StatusNotFound, basicError("Not Found")}
	}
	tok := "ghs_test" + strconv.Itoa(len(s.tokens)+1)
	s.tokens = append(s.tokens, tok)
	return answer{http.StatusCreated, s.value("installation-token", map[string]any{"token": tok, "expires_at": "2099-01-01T00:00:00Z"})}
}

// validJWT checks an RS256 JWT's signature and its issuer.
func validJWT(tok string, key *rsa.PublicKey, iss string) bool {
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		return false
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil {
		return false
	}
	sum := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	if rsa.VerifyPKCS1v15(key, crypto.SHA256, sum[:], sig) != nil {
		return false
	}
	claims, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return false
	}
	var c struct {
		Iss any `json:"iss"`
	}
	if json.Unmarshal(claims, &c) != nil {
		return false
	}
	switch v := c.Iss.(type) {
	case string:
		return v == iss
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64) == iss
	}
	return false
}
