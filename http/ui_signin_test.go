package http_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/vmtproject/vmt"
	vmthttp "github.com/vmtproject/vmt/http"
)

// withTOTP turns on a second factor for a and returns its secret.
func (e *env) withTOTP(a vmt.Actor) string {
	e.t.Helper()
	key, err := totp.Generate(totp.GenerateOpts{Issuer: "vmt", AccountName: a.User.Email})
	if err != nil {
		e.t.Fatal(err)
	}
	st := e.svc.Deps().Store.(vmt.SecondFactorStore)
	if err := st.SetSecondFactor(context.Background(), a.ID(), vmt.SecondFactor{Secret: key.Secret(), Enabled: true}); err != nil {
		e.t.Fatal(err)
	}
	return key.Secret()
}

// embargoedFor files a private report and subscribes each of subs to it,
// and returns its page's path.
func (e *env) embargoedFor(subs ...vmt.Actor) string {
	e.t.Helper()
	ctx := context.Background()
	v, err := e.svc.CreateReport(ctx, e.admin, vmt.ReportInput{Title: "Embargoed guest escape", Description: "Embargoed steps."})
	if err != nil {
		e.t.Fatal(err)
	}
	for _, a := range subs {
		if _, err := e.svc.Subscribe(ctx, e.admin, v.ID, a.ID()); err != nil {
			e.t.Fatal(err)
		}
	}
	return "/reports/" + itoa(v.ID)
}

// signIns lists the users audited as signed in to the web pages.
func (e *env) signIns() []int64 {
	e.t.Helper()
	var out []int64
	for after := int64(0); ; {
		evs, err := e.svc.AuditEvents(context.Background(), e.admin, after, 500)
		if err != nil {
			e.t.Fatal(err)
		}
		if len(evs) == 0 {
			return out
		}
		for _, ev := range evs {
			if ev.Action == "user.sign_in" {
				out = append(out, ev.ActorID)
			}
			after = ev.Seq
		}
	}
}

// reportCount is how many reports the instance holds.
func (e *env) reportCount() int {
	e.t.Helper()
	_, n, err := e.svc.Reports(context.Background(), e.admin, vmt.ReportFilter{})
	if err != nil {
		e.t.Fatal(err)
	}
	return n
}

// TestUIReportFormNeedsSecondFactor: the report form, given the email and
// password of an account with a second factor, neither signs the session
// in nor files the report as that account; the form comes back, kept,
// saying to sign in first. Signed in with the code, the same account reads
// the report and files through the form.
func TestUIReportFormNeedsSecondFactor(t *testing.T) {
	forEachEngine(t, func(t *testing.T, engine string) {
		e := newEnv(t, engine)
		rev, _ := e.user("reviewer@example.org", vmt.RoleReviewer)
		e.withPassword(rev)
		secret := e.withTOTP(rev)
		path := e.embargoedFor(rev)
		before := e.reportCount()

		b := e.browser()
		p := b.post("/report", url.Values{"email": {rev.User.Email}, "password": {testPassword},
			"title": {"Kept title of a second report"}, "description": {"Kept description."}})
		if p.status != http.StatusBadRequest || !strings.Contains(p.doc.Find(".error").Text(), "sign in first") {
			t.Errorf("report form with a TOTP account's password: %d at %s, error %q", p.status, p.url, p.doc.Find(".error").Text())
		}
		if v, _ := p.doc.Find("#title").Attr("value"); v != "Kept title of a second report" || p.doc.Find("#description").Text() != "Kept description." {
			t.Errorf("the refused form lost the report: title %q, description %q", v, p.doc.Find("#description").Text())
		}
		if got := b.get(path); got.status == http.StatusOK && got.url.Path == path {
			t.Fatalf("the password alone, through the report form, opened the embargoed report")
		} else if got.status != http.StatusNotFound && got.url.Path != "/login" {
			t.Errorf("embargoed report after the refused form: %d at %s, want 404 or the sign-in page", got.status, got.url)
		}
		if got := b.get("/api/v1/reports/" + strings.TrimPrefix(path, "/reports/")); got.status != http.StatusNotFound {
			t.Errorf("API answer to the same browser: %d, want 404", got.status)
		}
		if n := e.reportCount(); n != before {
			t.Errorf("%d reports after the refused form, want %d", n, before)
		}
		if ids := e.signIns(); slices.Contains(ids, rev.ID()) {
			t.Errorf("a sign-in of the TOTP account was audited: %v", ids)
		}

		// With the code, the same account is in, and files as itself.
		if p := b.post("/login", url.Values{"email": {rev.User.Email}, "password": {testPassword}}); p.url.Path != "/login/code" {
			t.Fatalf("password step went to %s", p.url)
		}
		code, err := totp.GenerateCode(secret, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if p := b.post("/login/code", url.Values{"code": {code}}); p.url.Path != "/" {
			t.Fatalf("code step: %d at %s: %s", p.status, p.url, p.doc.Find(".error").Text())
		}
		if got := b.get(path); got.status != http.StatusOK || got.url.Path != path {
			t.Errorf("signed in with the code, the subscribed report: %d at %s", got.status, got.url)
		}
		// The API takes tokens only: a web session, even a full one, is
		// no credential there, so it has no sign-in to skip a factor of.
		if got := b.get("/api/v1/reports/" + strings.TrimPrefix(path, "/reports/")); got.status != http.StatusNotFound {
			t.Errorf("API answer to a signed-in browser without a token: %d, want 404", got.status)
		}
		if p := b.post("/report", url.Values{"title": {"Filed signed in"}, "description": {"x"}}); p.status != http.StatusOK || !strings.HasPrefix(p.url.Path, "/reports/") {
			t.Errorf("report form signed in: %d at %s: %s", p.status, p.url, p.doc.Find(".error").Text())
		}
	})
}

// wildcard matches a path wildcard of a route pattern.
var wildcard = regexp.MustCompile(`\{[^}]*\}`)

// drivePath fills the wildcards of a route's path: the project's name,
// else the id of the report (a reachable id for every {id}).
func drivePath(pattern, project, id string) (method, path string) {
	method, path, ok := strings.Cut(pattern, " ")
	if !ok {
		method, path = "", pattern
	}
	path = wildcard.ReplaceAllStringFunc(path, func(w string) string {
		switch w {
		case "{$}":
			return ""
		case "{name}":
			return project
		}
		return id
	})
	return method, path
}

// TestSignInRoutesNeedEveryFactor walks every route the server registered
// (read from its route table, so a route added later is walked too), for
// every method it answers, with a form carrying an account's email and
// password and every field the report form needs. An account without a
// second factor is signed in by some of them (at least the sign-in form
// and the report form, listed in the log): this shows the walk reaches
// sign-in. An account with a second factor must be signed in by none,
// whether the session is fresh or half way (password given, code due).
func TestSignInRoutesNeedEveryFactor(t *testing.T) {
	forEachEngine(t, func(t *testing.T, engine string) {
		e := newEnv(t, engine)
		plain, _ := e.user("plain@example.org", vmt.RoleReviewer)
		e.withPassword(plain)
		totpUser, _ := e.user("totp@example.org", vmt.RoleReviewer)
		e.withPassword(totpUser)
		e.withTOTP(totpUser)
		path := e.embargoedFor(plain, totpUser)
		id := strings.TrimPrefix(path, "/reports/")
		routes := vmthttp.Routes(e.h.(*vmthttp.Server))
		if len(routes) < 50 {
			t.Fatalf("only %d routes registered: %v", len(routes), routes)
		}
		form := func(a vmt.Actor) url.Values {
			return url.Values{"email": {a.User.Email}, "password": {testPassword}, "code": {"000000"},
				"name": {"N"}, "project": {e.proj.Name}, "title": {"Drive"}, "description": {"Drive."}, "next": {path}}
		}
		// drive sends one route a's credentials from b, as a form, as
		// JSON and (for GET) in the query, then reports whether b's
		// session is signed in: it reads the report both may read.
		drive := func(b *browser, pattern string, a vmt.Actor) bool {
			method, p := drivePath(pattern, e.proj.Name, id)
			methods := []string{method}
			if method == "" {
				methods = []string{"GET", "POST"}
			}
			fields := map[string]string{}
			for k, v := range form(a) {
				fields[k] = v[0]
			}
			js, err := json.Marshal(fields)
			if err != nil {
				t.Fatal(err)
			}
			bodies := map[string]string{"application/x-www-form-urlencoded": form(a).Encode(), "application/json": string(js)}
			in := false
			for _, m := range methods {
				target := p
				if m == "GET" || m == "HEAD" {
					target += "?" + form(a).Encode()
				}
				for ctype, body := range bodies {
					req, err := http.NewRequest(m, b.base+target, strings.NewReader(body))
					if err != nil {
						t.Fatal(err)
					}
					req.Header.Set("Content-Type", ctype)
					req.Header.Set("Origin", b.base)
					b.do(req)
					got := b.get(path)
					in = in || got.status == http.StatusOK && got.url.Path == path
				}
			}
			return in
		}
		var signsIn []string
		for _, pattern := range routes {
			if drive(e.browser(), pattern, plain) {
				signsIn = append(signsIn, pattern)
			}
			if drive(e.browser(), pattern, totpUser) {
				t.Errorf("%s signed in an account with a second factor without its code", pattern)
			}
			half := e.browser()
			if p := half.post("/login", url.Values{"email": {totpUser.User.Email}, "password": {testPassword}}); p.url.Path != "/login/code" {
				t.Fatalf("password step went to %s", p.url)
			}
			if drive(half, pattern, totpUser) {
				t.Errorf("%s signed in a session half way (code due) without the code", pattern)
			}
		}
		t.Logf("%d routes walked; these sign in an account without a second factor: %v", len(routes), signsIn)
		for _, want := range []string{"POST /login", "POST /report"} {
			if !slices.Contains(signsIn, want) {
				t.Errorf("the walk did not sign in through %s: it would not see a route that skips the code", want)
			}
		}
		if ids := e.signIns(); slices.Contains(ids, totpUser.ID()) || !slices.Contains(ids, plain.ID()) {
			t.Errorf("sign-ins audited of %v: want %d (no second factor), not %d", ids, plain.ID(), totpUser.ID())
		}
	})
}

// TestUIReportFormRefusedLeavesNothing: a report form refused for its
// project (unknown, or not named where there are several) or its fields
// makes no account and signs no session in, for a newcomer and for an
// existing account alike; and files no report.
func TestUIReportFormRefusedLeavesNothing(t *testing.T) {
	forEachEngine(t, func(t *testing.T, engine string) {
		e := newEnv(t, engine)
		ctx := context.Background()
		old, _ := e.user("old@example.org", vmt.RoleReporter)
		e.withPassword(old)
		if _, err := e.svc.CreateProject(ctx, e.admin, vmt.Project{Name: "second", AdvisoryPrefix: "SCSA", NotePrefix: "SCSN", Branches: []string{"main"}}); err != nil {
			t.Fatal(err)
		}
		cases := []struct {
			name, project, title, field string
		}{
			{"unknown project", "no-such-project", "T", "project"},
			{"project not named", "", "T", "project"},
			{"no title", e.proj.Name, "", "title"},
		}
		for _, c := range cases {
			for _, email := range []string{"new@example.org", old.User.Email} {
				b := e.browser()
				p := b.post("/report", url.Values{"email": {email}, "password": {testPassword}, "name": {"N"},
					"project": {c.project}, "title": {c.title}, "description": {"D"}})
				if p.status != http.StatusBadRequest || !strings.HasPrefix(p.doc.Find(".error").Text(), c.field+":") {
					t.Errorf("%s, %s: %d, error %q, want 400 on %s", c.name, email, p.status, p.doc.Find(".error").Text(), c.field)
				}
				if got := b.get("/account"); got.url.Path != "/login" {
					t.Errorf("%s, %s: the refused form signed the session in (/account at %s)", c.name, email, got.url)
				}
			}
		}
		users, err := e.svc.Users(ctx, e.admin)
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range users {
			if u.Email == "new@example.org" {
				t.Errorf("a refused form made the account %d", u.ID)
			}
		}
		if ids := e.signIns(); len(ids) != 0 {
			t.Errorf("refused forms audited sign-ins of %v", ids)
		}
		if n := e.reportCount(); n != 0 {
			t.Errorf("refused forms filed %d reports", n)
		}
	})
}

// TestUISecondFactorEndsOtherSessions: a session signed in with the
// password alone ends when its account turns a second factor on from
// another session, since it no longer holds every factor the account has;
// the session that turned it on (and showed the code) stays signed in.
func TestUISecondFactorEndsOtherSessions(t *testing.T) {
	forEachEngine(t, func(t *testing.T, engine string) {
		e := newEnv(t, engine)
		a, other := e.signedIn("coord@example.org", vmt.RoleVMT)
		path := e.embargoedFor(a)
		b := e.browser()
		b.login(a.User.Email)
		secret := b.get("/account/two-factor").doc.Find("#totp-secret").Text()
		code, err := totp.GenerateCode(secret, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if p := b.post("/account/two-factor/enable", url.Values{"code": {code}}); !strings.Contains(p.doc.Find("#two-factor-state").Text(), "on") {
			t.Fatalf("enrolling: %d %q %s", p.status, p.doc.Find("#two-factor-state").Text(), p.doc.Find(".error").Text())
		}
		if p := b.get(path); p.status != http.StatusOK || p.url.Path != path {
			t.Errorf("the enrolling session, after enrolment: %d at %s", p.status, p.url)
		}
		if p := other.get(path); p.status == http.StatusOK && p.url.Path == path {
			t.Errorf("a session signed in with the password alone still reads the embargoed report after the second factor was turned on")
		}
		if p := other.get("/account"); p.url.Path != "/login" {
			t.Errorf("the password-only session is still signed in: /account at %s", p.url)
		}
	})
}
