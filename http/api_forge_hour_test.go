package http_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/app"
	"github.com/vmtproject/vmt/github"
	"github.com/vmtproject/vmt/github/githubtest"
)

// GET report shows a public report's issue and pull requests on GitHub to
// whoever sees the report; a private report shows none, to anyone, even
// with links stored for it; an instance without a forge shows none.
func TestReportForgeLinks(t *testing.T) {
	forEachEngine(t, func(t *testing.T, engine string) {
		e := newEnv(t, engine)
		gs := githubtest.New(t, "o", "r")
		env := map[string]string{"GH": gs.Token}
		e.setDeps(func(d *app.Deps) { d.Forge = &github.Forge{Getenv: func(k string) string { return env[k] }} })
		ctx := context.Background()
		_, err := e.svc.SetForgeSettings(ctx, e.admin, "kata-containers", vmt.ForgeSettings{Enabled: true, Owner: "o", Repo: "r",
			TokenRef: "env:GH", Endpoint: gs.URL})
		mustForge(t, err)
		pub, err := e.svc.CreateReport(ctx, e.admin, vmt.ReportInput{Project: "kata-containers", Title: "Public", Description: "d"})
		mustForge(t, err)
		_, err = e.svc.MakePublic(ctx, e.admin, pub.ID, "open")
		mustForge(t, err)
		priv, err := e.svc.CreateReport(ctx, e.admin, vmt.ReportInput{Project: "kata-containers", Title: "Embargoed", Description: "d"})
		mustForge(t, err)
		st := e.svc.Deps().Store
		now := time.Now().UTC().Truncate(time.Microsecond)
		mustForge(t, st.Update(ctx, func(tx vmt.Tx) error {
			for i, id := range []int64{pub.ID, priv.ID} {
				n := 10 * (i + 1)
				if err := tx.SetForgeIssue(&vmt.ForgeIssue{ReportID: id, ProjectID: e.proj.ID, Number: n,
					URL: fmt.Sprintf("https://github.com/o/r/issues/%d", n), LinkedAt: now}); err != nil {
					return err
				}
				if err := tx.SetForgePullRequest(&vmt.ForgePullRequest{ReportID: id, ProjectID: e.proj.ID, Branch: "main",
					Head: "vmt/x/main", Number: n + 1, URL: fmt.Sprintf("https://github.com/o/r/pull/%d", n+1), OpenedAt: now}); err != nil {
					return err
				}
			}
			return nil
		}))
		_, other := e.user("other@example.org", vmt.RoleReporter)
		for who, tok := range map[string]string{"admin": e.token, "another reporter": other} {
			code, body := e.do("GET", fmt.Sprintf("/api/v1/reports/%d", pub.ID), tok, "")
			if code != 200 || !strings.Contains(body, `"forge":{"issue":{`) || !strings.Contains(body, `"url":"https://github.com/o/r/issues/10"`) ||
				!strings.Contains(body, `"url":"https://github.com/o/r/pull/11"`) {
				t.Errorf("%s: public report: %d %s", who, code, body)
			}
		}
		for who, tok := range map[string]string{"admin": e.token, "another reporter": other, "anonymous": ""} {
			code, body := e.do("GET", fmt.Sprintf("/api/v1/reports/%d", priv.ID), tok, "")
			if strings.Contains(body, `"forge"`) || strings.Contains(body, "github.com/o/r") {
				t.Errorf("%s: the private report shows forge links: %d %s", who, code, body)
			}
		}
		e.setDeps(func(d *app.Deps) { d.Forge = nil })
		if _, body := e.do("GET", fmt.Sprintf("/api/v1/reports/%d", pub.ID), e.token, ""); strings.Contains(body, `"forge"`) {
			t.Errorf("without a forge: %s", body)
		}
	})
}

func mustForge(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
