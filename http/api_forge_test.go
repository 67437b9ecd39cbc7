package http_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/app"
	"github.com/vmtproject/vmt/github"
	"github.com/vmtproject/vmt/github/githubtest"
	vmthttp "github.com/vmtproject/vmt/http"
	"github.com/vmtproject/vmt/render"
	"github.com/vmtproject/vmt/sqldb/sqldbtest"
)

// The webhook route: a delivery is taken only with the project's
// signature, applied once however often GitHub sends it, and answers
// what it did.
func TestForgeWebhookRoute(t *testing.T) {
	forEachEngine(t, func(t *testing.T, engine string) {
		gs := githubtest.New(t, "o", "r")
		env := map[string]string{"GH": gs.Token, "HOOK": "s3cret"}
		log := slog.New(slog.NewTextHandler(io.Discard, nil))
		if testing.Verbose() {
			log = slog.New(slog.NewTextHandler(os.Stderr, nil))
		}
		svc := app.Must(app.New(app.Deps{Store: sqldbtest.Open(t, engine), Hasher: testHasher, Now: time.Now, Log: log,
			Texts: render.Hooks(), Forge: &github.Forge{Getenv: func(k string) string { return env[k] }}}))
		ctx := context.Background()
		secret, err := svc.Bootstrap(ctx, vmt.BootstrapInput{AdminEmail: "admin@example.org",
			Project: vmt.Project{Name: "p", AdvisoryPrefix: "PSA", NotePrefix: "PSN", Branches: []string{"main"}}})
		if err != nil {
			t.Fatal(err)
		}
		admin, _ := svc.Authenticate(ctx, secret)
		srv := httptest.NewServer(vmthttp.NewServer(svc, log))
		t.Cleanup(srv.Close)
		c := &vmthttp.Client{BaseURL: srv.URL, Token: secret}
		if _, err := c.SetForgeSettings(ctx, "p", vmt.ForgeSettings{Enabled: true, Owner: "o", Repo: "r", TokenRef: "env:GH",
			WebhookSecretRef: "env:HOOK", Endpoint: gs.URL}); err != nil {
			t.Fatal(err)
		}
		r, err := svc.CreateReport(ctx, admin, vmt.ReportInput{Project: "p", Title: "t", Description: "d"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Assign(ctx, admin, r.ID, admin.ID()); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.MakePublic(ctx, admin, r.ID, "open"); err != nil {
			t.Fatal(err)
		}
		gs.AddIssue(5, "New")
		if _, err := c.LinkForgeIssue(ctx, r.ID, 5); err != nil {
			t.Fatal(err)
		}
		body := gs.Relabel(5, "labeled", "Incomplete", "maintainer")
		send := func(id, sig string) (int, vmt.ForgeWebhookResult) {
			req, _ := http.NewRequest("POST", srv.URL+"/api/v1/projects/p/forge/webhook", strings.NewReader(string(body)))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("X-GitHub-Event", "issues")
			req.Header.Set("X-GitHub-Delivery", id)
			req.Header.Set("X-Hub-Signature-256", sig)
			resp, err := srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var res vmt.ForgeWebhookResult
			b, _ := io.ReadAll(resp.Body)
			_ = json.Unmarshal(b, &res)
			if resp.StatusCode == 500 {
				t.Log(string(b))
			}
			return resp.StatusCode, res
		}
		if code, _ := send("a", ""); code != http.StatusUnauthorized {
			t.Errorf("unsigned: %d", code)
		}
		if code, _ := send("a", githubtest.Sign("guess", body)); code != http.StatusUnauthorized {
			t.Errorf("signed with another secret: %d", code)
		}
		if code, res := send("a", githubtest.Sign("s3cret", body)); code != 200 || res.Outcome != "applied" || res.ReportID != r.ID {
			t.Errorf("signed: %d %+v", code, res)
		}
		if code, res := send("a", githubtest.Sign("s3cret", body)); code != 200 || res.Outcome != "duplicate" {
			t.Errorf("again: %d %+v", code, res)
		}
		if v, err := svc.Report(ctx, admin, r.ID); err != nil || v.Status != vmt.StatusIncomplete {
			t.Errorf("the report after the webhook: %v", err)
		}
	})
}
