package http_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/app"
	vmthttp "github.com/vmtproject/vmt/http"
	"github.com/vmtproject/vmt/password"
	"github.com/vmtproject/vmt/sqldb"
	"github.com/vmtproject/vmt/sqldb/sqldbtest"
)

// clientFixture is a real API server on a fresh SQLite store, and a client
// of it holding the bootstrapped administrator's token.
type clientFixture struct {
	t     *testing.T
	srv   *httptest.Server
	admin *vmthttp.Client
}

func newClientFixture(t *testing.T) *clientFixture {
	t.Helper()
	log := sqldbtest.Logger(t)
	svc := app.Must(app.New(app.Deps{
		Store:  sqldbtest.Open(t, sqldb.SQLite),
		Hasher: password.Hasher{P: password.Default},
		Now:    time.Now,
		Log:    log,
	}))
	secret, err := svc.Bootstrap(t.Context(), vmt.BootstrapInput{
		AdminEmail: "admin@example.org",
		Project:    vmt.Project{Name: "kata-containers", AdvisoryPrefix: "KCSA", NotePrefix: "KCSN", Branches: []string{"main"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(vmthttp.NewServer(svc, log))
	t.Cleanup(srv.Close)
	return &clientFixture{t: t, srv: srv, admin: &vmthttp.Client{BaseURL: srv.URL + "/", Token: secret}}
}

// newUser makes a user with a token through the API and returns its client.
func (f *clientFixture) newUser(email string, role vmt.Role) (*vmt.User, *vmthttp.Client) {
	f.t.Helper()
	u, err := f.admin.CreateUser(f.t.Context(), vmt.UserInput{Email: email, Name: "U " + email, Role: role})
	if err != nil {
		f.t.Fatal(err)
	}
	tok, err := f.admin.CreateToken(f.t.Context(), u.ID, "test")
	if err != nil {
		f.t.Fatal(err)
	}
	return u, &vmthttp.Client{BaseURL: f.srv.URL, Token: tok.Secret}
}

// checked returns a function that fails the test on err and otherwise
// returns v, so that a call's two results can be checked in one line:
// checked(c.Me(ctx))(t).
func checked[T any](v T, err error) func(*testing.T) T {
	return func(t *testing.T) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

func TestClientReportLifecycle(t *testing.T) {
	f := newClientFixture(t)
	ctx := t.Context()
	admin := checked(f.admin.Me(ctx))(t)
	rep, rc := f.newUser("reporter@example.org", vmt.RoleReporter)
	rev, _ := f.newUser("reviewer@example.org", vmt.RoleReviewer)

	v := checked(rc.CreateReport(ctx, vmt.ReportInput{Title: "Guest escape", Description: "Details.", Components: []string{"runtime"}}))(t)
	if v.ReporterID != rep.ID || v.Status != vmt.StatusNew || v.Visibility != vmt.Private {
		t.Fatalf("created %+v", v.Report)
	}
	if !strings.HasPrefix(v.Description, vmt.EmbargoReminder()) || !strings.HasSuffix(v.Description, "Details.") {
		t.Errorf("description = %q, want the embargo reminder then the text", v.Description)
	}
	if got := checked(rc.Report(ctx, v.ID))(t); got.Title != "Guest escape" || len(got.NextStatuses) != 0 {
		t.Errorf("reporter sees %q with moves %v, want no moves", got.Title, got.NextStatuses)
	}

	v = checked(f.admin.Classify(ctx, v.ID, "A"))(t)
	v = checked(f.admin.Transition(ctx, v.ID, vmt.TransitionInput{To: vmt.StatusConfirmed}))(t)
	v = checked(f.admin.Assign(ctx, v.ID, admin.ID))(t)
	v = checked(f.admin.UpdateReport(ctx, v.ID, vmt.ReportPatch{CVEs: &[]string{"CVE-2026-1234"}, ImpactDescription: ptr("Guests escape.")}))(t)
	if v.Class != "A" || v.Status != vmt.StatusConfirmed || v.CoordinatorID != admin.ID || v.Title != "Guest escape (CVE-2026-1234)" {
		t.Fatalf("after triage: class %q status %q coordinator %d title %q", v.Class, v.Status, v.CoordinatorID, v.Title)
	}
	if !slices.Contains(v.NextStatuses, vmt.StatusTriaged) {
		t.Errorf("next statuses %v lack triaged", v.NextStatuses)
	}
	v = checked(f.admin.RecordCVERequest(ctx, v.ID))(t)
	if v.CVERequestedAt == nil {
		t.Error("cve_requested_at not set")
	}
	if _, err := f.admin.RecordCVERequest(ctx, v.ID); vmt.ErrorCode(err) != vmt.ECONFLICT {
		t.Errorf("second CVE request: %v, want conflict", err)
	}

	s := checked(f.admin.Subscribe(ctx, v.ID, rev.ID))(t)
	if s.UserID != rev.ID || s.GrantedBy != admin.ID {
		t.Errorf("subscription %+v", s)
	}
	if subs := checked(rc.Subscriptions(ctx, v.ID))(t); len(subs) != 1 || subs[0].UserID != rev.ID {
		t.Errorf("subscriptions %+v", subs)
	}
	if err := f.admin.Unsubscribe(ctx, v.ID, rev.ID); err != nil {
		t.Fatal(err)
	}
	if subs := checked(f.admin.Subscriptions(ctx, v.ID))(t); len(subs) != 0 {
		t.Errorf("after unsubscribe: %+v", subs)
	}

	// The recorded CVE went into a comment; then the reporter's.
	c := checked(rc.AddComment(ctx, v.ID, "Any news?"))(t)
	if cs := checked(f.admin.Comments(ctx, v.ID))(t); len(cs) != 2 || !strings.HasPrefix(cs[0].Body, "CVE assigned: ") ||
		cs[1].ID != c.ID || cs[1].Body != "Any news?" || cs[1].AuthorID != rep.ID {
		t.Errorf("comments %+v", cs)
	}

	ev := checked(f.admin.ReportAudit(ctx, v.ID))(t)
	var actions []string
	for _, e := range ev {
		actions = append(actions, e.Action)
	}
	want := []string{"report.create", "report.classify", "report.transition", "report.assign", "comment.add", "report.update",
		"report.cve_request", "subscription.add", "subscription.remove", "comment.add"}
	if !slices.Equal(actions, want) {
		t.Errorf("report audit actions\n got %v\nwant %v", actions, want)
	}
	ex := checked(rc.Extent(ctx, v.ID))(t)
	if !slices.ContainsFunc(ex, func(x vmt.ExtentEntry) bool { return x.Reason == vmt.ExtentReporter && x.UserID == rep.ID }) ||
		!slices.ContainsFunc(ex, func(x vmt.ExtentEntry) bool {
			return x.Reason == vmt.ExtentSubscribed && x.UserID == rev.ID && x.Until != nil
		}) {
		t.Errorf("extent %+v lacks the reporter or the ended subscription", ex)
	}

	l := checked(f.admin.Reports(ctx, vmthttp.ReportQuery{Status: vmt.StatusConfirmed, Class: "A", Project: "kata-containers"}))(t)
	if l.Total != 1 || len(l.Items) != 1 || l.Items[0].ID != v.ID {
		t.Errorf("filtered list %+v", l)
	}
	if l := checked(f.admin.Reports(ctx, vmthttp.ReportQuery{Status: vmt.StatusNew}))(t); l.Total != 0 || l.Items == nil {
		t.Errorf("list of new reports: %+v, want empty non-nil items", l)
	}

	v = checked(f.admin.MakePublic(ctx, v.ID, "it leaked"))(t)
	if v.Visibility != vmt.Public || strings.Contains(v.Description, "under embargo") {
		t.Errorf("after publicize: %s, %q", v.Visibility, v.Description)
	}
	if _, err := f.admin.MakePublic(ctx, v.ID, "again"); vmt.ErrorCode(err) != vmt.ECONFLICT {
		t.Errorf("publicize twice: %v, want conflict", err)
	}
}

// ptr returns a pointer to v, for patches.
func ptr[T any](v T) *T { return &v }

func TestClientUsersTokensProjects(t *testing.T) {
	f := newClientFixture(t)
	ctx := t.Context()
	u, uc := f.newUser("Alice@Example.org", vmt.RoleVMT)
	if u.Email != "alice@example.org" || u.Role != vmt.RoleVMT {
		t.Errorf("created %+v", u)
	}
	if me := checked(uc.Me(ctx))(t); me.ID != u.ID {
		t.Errorf("me = %d, want %d", me.ID, u.ID)
	}
	if us := checked(f.admin.Users(ctx))(t); len(us) != 2 || us[1].Email != "alice@example.org" {
		t.Errorf("users %+v", us)
	}
	if got := checked(uc.UpdateUser(ctx, u.ID, vmt.UserPatch{Name: ptr("Alice")}))(t); got.Name != "Alice" {
		t.Errorf("renamed to %q", got.Name)
	}
	if got := checked(f.admin.User(ctx, u.ID))(t); got.Name != "Alice" {
		t.Errorf("user name %q", got.Name)
	}

	nt := checked(uc.CreateToken(ctx, u.ID, "laptop"))(t)
	if !strings.HasPrefix(nt.Secret, vmt.TokenPrefix) || nt.Name != "laptop" || nt.UserID != u.ID {
		t.Errorf("new token %+v", nt)
	}
	if ts := checked(uc.Tokens(ctx, u.ID))(t); len(ts) != 2 || ts[1].ID != nt.ID {
		t.Errorf("tokens %+v", ts)
	}
	second := &vmthttp.Client{BaseURL: f.srv.URL, Token: nt.Secret}
	checked(second.Me(ctx))(t)
	if err := uc.DeleteToken(ctx, u.ID, nt.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := second.Me(ctx); vmt.ErrorCode(err) != vmt.EUNAUTHENTICATED {
		t.Errorf("revoked token: %v, want unauthenticated", err)
	}

	p := checked(f.admin.CreateProject(ctx, vmt.Project{Name: "guest-kernel", AdvisoryPrefix: "GKSA", NotePrefix: "GKSN", Branches: []string{"main"}}))(t)
	if ps := checked(uc.Projects(ctx))(t); len(ps) != 2 || !slices.ContainsFunc(ps, func(q *vmt.Project) bool { return q.ID == p.ID }) {
		t.Errorf("projects %+v", ps)
	}
	p = checked(f.admin.UpdateProject(ctx, p.Name, vmt.ProjectPatch{Branches: &[]string{"main", "stable-1"}}))(t)
	if got := checked(uc.Project(ctx, "guest-kernel"))(t); !slices.Equal(got.Branches, []string{"main", "stable-1"}) || got.ID != p.ID {
		t.Errorf("project %+v", got)
	}
	m := checked(f.admin.SetMember(ctx, p.Name, u.ID, vmt.MemberVMT))(t)
	if m.ProjectID != p.ID || m.UserID != u.ID || m.Role != vmt.MemberVMT {
		t.Errorf("member %+v", m)
	}
	if ms := checked(uc.Members(ctx, p.Name))(t); len(ms) != 1 || ms[0].UserID != u.ID {
		t.Errorf("members %+v", ms)
	}
	if err := f.admin.RemoveMember(ctx, p.Name, u.ID); err != nil {
		t.Fatal(err)
	}
	if ms := checked(uc.Members(ctx, p.Name))(t); len(ms) != 0 {
		t.Errorf("members after removal %+v", ms)
	}
}

func TestClientMeta(t *testing.T) {
	f := newClientFixture(t)
	ctx := t.Context()
	anon := &vmthttp.Client{BaseURL: f.srv.URL}
	if err := anon.Health(ctx); err != nil {
		t.Fatal(err)
	}
	st := checked(anon.Statuses(ctx))(t)
	if len(st.Statuses) != len(vmt.Statuses) || st.Statuses[8].Label != "Won't Fix" || len(st.Transitions) != len(vmt.Transitions) {
		t.Errorf("statuses %+v", st)
	}
	if tr := st.Transitions[1]; tr.From != vmt.StatusNew || tr.To != vmt.StatusConfirmed || len(tr.Guards) == 0 {
		t.Errorf("transition %+v", tr)
	}
	if cs := checked(anon.Classes(ctx))(t); len(cs) != len(vmt.Taxonomy) || cs[0].Class != "A" {
		t.Errorf("classes %+v", cs)
	}
	evs := checked(f.admin.AuditEvents(ctx, 0, 2))(t)
	if len(evs) != 2 || evs[0].Seq != 1 || evs[0].Action != "user.create" || evs[1].PrevHash != evs[0].Hash {
		t.Errorf("audit events %+v", evs)
	}
	if evs := checked(f.admin.AuditEvents(ctx, 2, 0))(t); len(evs) == 0 || evs[0].Seq != 3 {
		t.Errorf("audit events after 2: %+v", evs)
	}
}

// TestClientErrors checks that an error answer reaches the caller as the
// server's *vmt.Error.
func TestClientErrors(t *testing.T) {
	f := newClientFixture(t)
	ctx := t.Context()
	_, rc := f.newUser("reporter@example.org", vmt.RoleReporter)
	_, other := f.newUser("other@example.org", vmt.RoleReporter)
	v := checked(rc.CreateReport(ctx, vmt.ReportInput{Title: "Private", Description: "x"}))(t)
	bad := &vmthttp.Client{BaseURL: f.srv.URL, Token: "vmt_nottherealtoken"}
	tests := []struct {
		name  string
		call  func() error
		want  vmt.Error
		field string
	}{
		{"missing report", func() error { _, err := f.admin.Report(ctx, 999); return err },
			vmt.Error{Code: vmt.ENOTFOUND, Message: "report not found"}, ""},
		{"private report of another", func() error { _, err := other.Report(ctx, v.ID); return err },
			vmt.Error{Code: vmt.ENOTFOUND, Message: "report not found"}, ""},
		{"invalid input", func() error { _, err := rc.CreateReport(ctx, vmt.ReportInput{Description: "x"}); return err },
			vmt.Error{Code: vmt.EINVALID, Field: "title", Message: "is required"}, ""},
		{"bad token", func() error { _, err := bad.Me(ctx); return err },
			vmt.Error{Code: vmt.EUNAUTHENTICATED, Message: "invalid token"}, ""},
		{"not an admin", func() error { _, err := rc.Users(ctx); return err },
			vmt.Error{Code: vmt.EFORBIDDEN, Message: "only an administrator may do this"}, ""},
		{"illegal transition", func() error {
			_, err := f.admin.Transition(ctx, v.ID, vmt.TransitionInput{To: vmt.StatusFixReleased})
			return err
		}, vmt.Error{Code: vmt.ECONFLICT, Field: "status"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			var ve *vmt.Error
			if !errors.As(err, &ve) {
				t.Fatalf("error %v (%T), want a *vmt.Error", err, err)
			}
			if ve.Code != tt.want.Code || ve.Field != tt.want.Field || tt.want.Message != "" && ve.Message != tt.want.Message {
				t.Errorf("got %+v, want %+v", *ve, tt.want)
			}
			if ve.Message == "" {
				t.Error("empty message")
			}
		})
	}
}

// TestClientTransport checks what the client sends and how it reads
// answers that are not the API's, against a fake server.
func TestClientTransport(t *testing.T) {
	var got *http.Request
	var gotBody string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r
		b, _ := io.ReadAll(r.Body)
		gotBody = string(b)
		switch r.URL.EscapedPath() {
		case "/api/v1/reports/7/cve-request":
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, `{"id":7,"title":"t","next_statuses":["in_progress"]}`)
		case "/api/v1/projects/a%2Fb":
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, `{"id":1,"name":"a/b"}`)
		case "/api/v1/me":
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(http.StatusBadGateway)
			io.WriteString(w, "<h1>bad gateway</h1>")
		case "/api/v1/users":
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(`{"items":[`))
			chunk := []byte(strings.Repeat(`{"id":1},`, 1<<12))
			for n := 0; n <= vmthttp.MaxResponseBytes; n += len(chunk) {
				w.Write(chunk)
			}
		}
	}))
	defer srv.Close()
	c := &vmthttp.Client{BaseURL: srv.URL, Token: "vmt_secret"}
	ctx := t.Context()

	v, err := c.RecordCVERequest(ctx, 7)
	if err != nil || v.ID != 7 || v.NextStatuses[0] != vmt.StatusInProgress {
		t.Fatalf("RecordCVERequest = %+v, %v", v, err)
	}
	if got.Method != "POST" || got.Header.Get("Authorization") != "Bearer vmt_secret" ||
		got.Header.Get("Content-Type") != "application/json" || gotBody != "{}" {
		t.Errorf("sent %s %s auth %q type %q body %q", got.Method, got.URL, got.Header.Get("Authorization"), got.Header.Get("Content-Type"), gotBody)
	}
	if p, err := c.Project(ctx, "a/b"); err != nil || p.Name != "a/b" {
		t.Errorf("Project(a/b) = %+v, %v; the name must be escaped as one path segment", p, err)
	}

	_, err = c.Me(ctx)
	var se *vmthttp.StatusError
	if !errors.As(err, &se) || se.StatusCode != http.StatusBadGateway || !strings.Contains(err.Error(), "502 Bad Gateway") {
		t.Errorf("non-JSON error answer: %v, want a StatusError naming 502 Bad Gateway", err)
	}

	if _, err := c.Users(ctx); err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("oversized answer: %v, want a size error", err)
	}

	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := c.Report(cctx, 1); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: %v", err)
	}
}

func TestReportQueryValues(t *testing.T) {
	tests := []struct {
		q    vmthttp.ReportQuery
		want string
	}{
		{vmthttp.ReportQuery{}, ""},
		{vmthttp.ReportQuery{Status: vmt.StatusWontFix, Class: "B1"}, "class=B1&status=wont_fix"},
		{vmthttp.ReportQuery{Project: "kata containers", Visibility: vmt.Public, Limit: 10, Offset: 20},
			"limit=10&offset=20&project=kata+containers&visibility=public"},
		{vmthttp.ReportQuery{CoordinatorID: 3, ReporterID: 4}, "coordinator=3&reporter=4"},
	}
	for _, tt := range tests {
		if got := tt.q.Values().Encode(); got != tt.want {
			t.Errorf("%+v.Values() = %q, want %q", tt.q, got, tt.want)
		}
	}
}

// The address proof through the client: an account an administrator made
// without vouching for it asks for a link (a second at once is refused),
// and a made-up token is refused naming the field.
func TestClientEmailProof(t *testing.T) {
	f := newClientFixture(t)
	ctx := t.Context()
	_, c := f.newUser("new@example.org", vmt.RoleStakeholder)
	p, err := c.SendEmailProof(ctx)
	if err != nil || p.Email != "new@example.org" || p.ExpiresAt.IsZero() {
		t.Fatalf("SendEmailProof: %+v, %v", p, err)
	}
	if _, err := c.SendEmailProof(ctx); vmt.ErrorCode(err) != vmt.ECONFLICT {
		t.Errorf("a second link at once: %v, want ECONFLICT", err)
	}
	if _, err := c.ConfirmEmailProof(ctx, "vmtp_madeup"); vmt.ErrorCode(err) != vmt.EINVALID || vmt.ErrorField(err) != "token" {
		t.Errorf("a made-up token: %v, want EINVALID on token", err)
	}
	if u, err := c.Me(ctx); err != nil || u.EmailVerifiedAt != nil {
		t.Errorf("after the refusal: %+v, %v", u, err)
	}
}
