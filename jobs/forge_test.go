package jobs_test

import (
	"context"
	"strings"
	"testing"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/app"
	"github.com/vmtproject/vmt/github"
	"github.com/vmtproject/vmt/github/githubtest"
	"github.com/vmtproject/vmt/jobs"
	"github.com/vmtproject/vmt/sqldb/sqldbtest"
)

// forgeWorld is a world whose service keeps project p's GitHub repository
// in step, against the stand-in.
type forgeWorld struct {
	*world
	gs  *githubtest.Server
	svc *app.Service
	wk  *jobs.Worker
}

func newForgeWorld(t *testing.T, engine string) *forgeWorld {
	w := newWorld(t, engine)
	gs := githubtest.New(t, "kata-containers", "kata-containers")
	env := map[string]string{"GH_TOKEN": gs.Token, "GH_HOOK": "hook-secret"}
	d := w.svc.Deps()
	d.Forge = &github.Forge{Getenv: func(k string) string { return env[k] }}
	svc := app.Must(app.New(d))
	wk := w.worker(svc)
	wk.Handlers = map[string]jobs.Handler{vmt.KindForge: jobs.Forge(svc)}
	return &forgeWorld{world: w, gs: gs, svc: svc, wk: wk}
}

func (f *forgeWorld) settings() vmt.ForgeSettings {
	return vmt.ForgeSettings{Enabled: true, Owner: f.gs.Owner, Repo: f.gs.Repo, TokenRef: "env:GH_TOKEN",
		WebhookSecretRef: "env:GH_HOOK", Endpoint: f.gs.URL}
}

// deliver runs the worker's delivery until nothing is left to send.
func (f *forgeWorld) deliver() {
	f.t.Helper()
	for range 5 {
		n, err := f.wk.Deliver(context.Background())
		must(f.t, err)
		if n == 0 {
			return
		}
	}
}

// hook sends a maintainer's label change as GitHub would deliver it.
func (f *forgeWorld) hook(id string, body []byte) (*vmt.ForgeWebhookResult, error) {
	return f.svc.ForgeWebhook(context.Background(), "p", vmt.ForgeDelivery{ID: id, Event: "issues",
		Signature: githubtest.Sign("hook-secret", body), Body: body})
}

// retryDone delivers every forge item, each done already, once more, as a
// retry after a lost answer would, and checks that nothing changes on
// GitHub.
func (f *forgeWorld) retryDone() {
	f.t.Helper()
	changes := len(f.gs.Changes())
	for _, o := range f.forgeItems() {
		if o.State != vmt.OutboxDone {
			f.t.Errorf("item %s is %s: %s", o.Key, o.State, o.LastError)
		}
		if err := f.svc.DeliverForge(context.Background(), o); err != nil {
			f.t.Errorf("retry of %s: %v", o.Key, err)
		}
	}
	if n := len(f.gs.Changes()); n != changes {
		f.t.Errorf("the retries made %d changes on GitHub", n-changes)
	}
}

func (f *forgeWorld) forgeItems() []*vmt.OutboxItem {
	var out []*vmt.OutboxItem
	must(f.t, f.store.View(context.Background(), func(tx vmt.Tx) error {
		items, err := tx.OutboxItems(0)
		for _, o := range items {
			if o.Kind == vmt.KindForge {
				out = append(out, o)
			}
		}
		return err
	}))
	return out
}

// The labels follow a public report through its transitions, both ways;
// an embargoed report makes no call at all; a retry of every item changes
// nothing on GitHub.
func TestForgeLabels(t *testing.T) {
	for _, engine := range sqldbtest.Engines() {
		t.Run(engine, func(t *testing.T) {
			f := newForgeWorld(t, engine)
			ctx := context.Background()
			if _, err := f.svc.SetForgeSettings(ctx, f.coord, "p", f.settings()); vmt.ErrorCode(err) != vmt.EFORBIDDEN {
				t.Fatalf("the coordinator sets the forge: %v, want EFORBIDDEN", err)
			}
			_, err := f.svc.SetForgeSettings(ctx, f.admin, "p", f.settings())
			must(t, err)
			f.deliver()
			if n := len(f.gs.Labels()); n != len(vmt.Statuses) {
				t.Fatalf("%d labels on the repository, want the %d statuses", n, len(vmt.Statuses))
			}

			// An embargoed report: no issue, and nothing goes to GitHub.
			secret, err := f.svc.CreateReport(ctx, f.coord, vmt.ReportInput{Project: "p", Title: "Embargoed", Description: "d"})
			must(t, err)
			calls := len(f.gs.Calls())
			if _, err := f.svc.LinkForgeIssue(ctx, f.coord, secret.ID, 41); vmt.ErrorCode(err) != vmt.EINVALID {
				t.Errorf("an issue for an embargoed report: %v, want EINVALID", err)
			}
			_, err = f.svc.Transition(ctx, f.coord, secret.ID, vmt.TransitionInput{To: vmt.StatusConfirmed})
			must(t, err)
			f.deliver()
			if n := len(f.gs.Calls()); n != calls {
				t.Errorf("%d calls to GitHub for an embargoed report", n-calls)
			}

			// A public report followed in issue 42.
			r, err := f.svc.CreateReport(ctx, f.coord, vmt.ReportInput{Project: "p", Title: "Public", Description: "d"})
			must(t, err)
			_, err = f.svc.MakePublic(ctx, f.coord, r.ID, "better solved in the open")
			must(t, err)
			_, err = f.svc.Assign(ctx, f.coord, r.ID, f.coord.ID())
			must(t, err)
			f.gs.AddIssue(42, "bug")
			if _, err := f.svc.LinkForgeIssue(ctx, f.admin, secret.ID, 42); vmt.ErrorCode(err) != vmt.EINVALID {
				t.Errorf("still embargoed: %v", err)
			}
			i, err := f.svc.LinkForgeIssue(ctx, f.coord, r.ID, 42)
			must(t, err)
			if !strings.HasSuffix(i.URL, "/kata-containers/kata-containers/issues/42") {
				t.Errorf("issue URL %s", i.URL)
			}
			f.deliver()
			wantLabels(t, f.gs, 42, "bug", "New")
			_, err = f.svc.Transition(ctx, f.coord, r.ID, vmt.TransitionInput{To: vmt.StatusConfirmed})
			must(t, err)
			f.deliver()
			wantLabels(t, f.gs, 42, "bug", "Confirmed")

			// A maintainer sets Incomplete on GitHub: the report moves.
			res, err := f.hook("d-1", f.gs.Relabel(42, "labeled", "Incomplete", "maintainer"))
			must(t, err)
			if res.Outcome != "applied" || reportStatus(t, f, r.ID) != vmt.StatusIncomplete {
				t.Fatalf("accepted label: %+v, report %s", res, reportStatus(t, f, r.ID))
			}
			f.deliver()
			wantLabels(t, f.gs, 42, "bug", "Incomplete")
			// GitHub delivers it again: nothing more.
			items := len(f.forgeItems())
			if res, err := f.hook("d-1", f.gs.Relabel(42, "labeled", "Incomplete", "maintainer")); err != nil || res.Outcome != "duplicate" {
				t.Errorf("redelivery: %+v, %v", res, err)
			}
			if n := len(f.forgeItems()); n != items {
				t.Errorf("a redelivery queued %d items", n-items)
			}

			// Triaged from Incomplete is not a move of the process: put
			// back, with a comment saying why.
			res, err = f.hook("d-2", f.gs.Relabel(42, "labeled", "Triaged", "maintainer"))
			must(t, err)
			if res.Outcome != "refused" || reportStatus(t, f, r.ID) != vmt.StatusIncomplete {
				t.Fatalf("refused label: %+v", res)
			}
			f.deliver()
			wantLabels(t, f.gs, 42, "bug", "Incomplete")
			cs := f.gs.Issue(42).Comments
			if len(cs) != 1 || !strings.Contains(cs[0], "@maintainer vmt put the status label back") || !strings.Contains(cs[0], "cannot go from Incomplete to Triaged") {
				t.Errorf("comments %q", cs)
			}
			// Removing the status label: put back too.
			res, err = f.hook("d-3", f.gs.Relabel(42, "unlabeled", "Incomplete", "maintainer"))
			must(t, err)
			f.deliver()
			if res.Outcome != "refused" {
				t.Errorf("unlabeled: %+v", res)
			}
			wantLabels(t, f.gs, 42, "bug", "Incomplete")
			// A label that names no status is none of vmt's business.
			if res, err := f.hook("d-4", f.gs.Relabel(42, "labeled", "area/runtime", "maintainer")); err != nil || res.Outcome != "ignored" {
				t.Errorf("another label: %+v, %v", res, err)
			}

			// Every item again, as a retry would: nothing changes on GitHub.
			changes := len(f.gs.Changes())
			for _, o := range f.forgeItems() {
				if o.State != vmt.OutboxDone {
					t.Errorf("item %s is %s: %s", o.Key, o.State, o.LastError)
				}
				if err := f.svc.DeliverForge(ctx, o); err != nil {
					t.Errorf("retry of %s: %v", o.Key, err)
				}
			}
			if n := len(f.gs.Changes()); n != changes {
				t.Errorf("the retries made %d changes on GitHub", n-changes)
			}
			// Last, as it leaves a label on the stand-in: a delivery signed with another secret is refused.
			body := f.gs.Relabel(42, "labeled", "Invalid", "mallory")
			_, err = f.svc.ForgeWebhook(ctx, "p", vmt.ForgeDelivery{ID: "d-5", Event: "issues",
				Signature: githubtest.Sign("guess", body), Body: body})
			if vmt.ErrorCode(err) != vmt.EUNAUTHENTICATED {
				t.Errorf("a forged delivery: %v", err)
			}
			if reportStatus(t, f, r.ID) != vmt.StatusIncomplete {
				t.Error("a forged delivery moved the report")
			}
			// The embargoed report queued nothing at all.
			for _, o := range f.forgeItems() {
				if o.ReportID == secret.ID {
					t.Errorf("item %s for an embargoed report", o.Key)
				}
			}
		})
	}
}

// Without forge settings, a service with a Forge queues nothing for it.
func TestForgeNotConfigured(t *testing.T) {
	f := newForgeWorld(t, "sqlite")
	ctx := context.Background()
	r, err := f.svc.CreateReport(ctx, f.coord, vmt.ReportInput{Project: "p", Title: "Public", Description: "d"})
	must(t, err)
	_, err = f.svc.MakePublic(ctx, f.coord, r.ID, "open")
	must(t, err)
	_, err = f.svc.Transition(ctx, f.coord, r.ID, vmt.TransitionInput{To: vmt.StatusConfirmed})
	must(t, err)
	if _, err := f.svc.LinkForgeIssue(ctx, f.coord, r.ID, 1); vmt.ErrorCode(err) != vmt.EINVALID {
		t.Errorf("an issue without a forge: %v", err)
	}
	if items := f.forgeItems(); len(items) != 0 {
		t.Errorf("%d forge items without a forge", len(items))
	}
	if _, err := f.svc.ForgeWebhook(ctx, "p", vmt.ForgeDelivery{ID: "x", Event: "issues"}); vmt.ErrorCode(err) != vmt.ENOTFOUND {
		t.Errorf("a webhook without a forge: %v", err)
	}
	if n := len(f.gs.Calls()); n != 0 {
		t.Errorf("%d calls to GitHub", n)
	}
}

func wantLabels(t *testing.T, gs *githubtest.Server, number int, want ...string) {
	t.Helper()
	if got := gs.Issue(number).Labels; !vmt.SameLabels(got, want) {
		t.Errorf("issue %d has labels %v, want %v", number, got, want)
	}
}

func reportStatus(t *testing.T, f *forgeWorld, id int64) vmt.Status {
	t.Helper()
	return report(t, f.world, id).Status
}

// The push at the hour goes with the forge's credentials to the project's
// own repository only: none for another remote, none once the forge is
// disabled, none for a project without one.
func TestForgePushCredential(t *testing.T) {
	for _, engine := range sqldbtest.Engines() {
		t.Run(engine, func(t *testing.T) {
			f := newForgeWorld(t, engine)
			ctx := context.Background()
			repo := "https://" + strings.TrimPrefix(f.gs.URL, "http://") + f.gs.Owner + "/" + f.gs.Repo + ".git"
			if _, _, ok, err := f.svc.ForgePushCredential(ctx, "p", repo); ok || err != nil {
				t.Errorf("credentials before the forge is set up: %v, %v", ok, err)
			}
			_, err := f.svc.SetForgeSettings(ctx, f.admin, "p", f.settings())
			must(t, err)
			user, pass, ok, err := f.svc.ForgePushCredential(ctx, "p", repo)
			if err != nil || !ok || user != "x-access-token" || pass != f.gs.Token {
				t.Errorf("the repository's credentials = %q, %q, %v, %v", user, pass, ok, err)
			}
			for _, remote := range []string{"https://mirror.example/" + f.gs.Repo + ".git", "/srv/review.git"} {
				if _, pass, ok, err := f.svc.ForgePushCredential(ctx, "p", remote); ok || pass != "" || err != nil {
					t.Errorf("credentials for %s: %v, %v", remote, ok, err)
				}
			}
			if _, _, _, err := f.svc.ForgePushCredential(ctx, "nope", repo); vmt.ErrorCode(err) != vmt.ENOTFOUND {
				t.Errorf("an unknown project: %v", err)
			}
			off := f.settings()
			off.Enabled = false
			_, err = f.svc.SetForgeSettings(ctx, f.admin, "p", off)
			must(t, err)
			if _, _, ok, err := f.svc.ForgePushCredential(ctx, "p", repo); ok || err != nil {
				t.Errorf("credentials with the forge disabled: %v, %v", ok, err)
			}
		})
	}
}
