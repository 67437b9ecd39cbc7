package jobs_test

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/app"
	"github.com/vmtproject/vmt/gitrepo"
	"github.com/vmtproject/vmt/jobs"
)

// An outbox item of a kind that is not mail, on an instance without its
// handler (a push on a `vmt serve` started without --push-remote), is not
// sent as a mail, which would fail it for want of a recipient and lose it:
// it waits, retried with backoff, and an instance with the handler
// delivers it.
func TestItemWithoutHandlerWaitsForOne(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t, "sqlite")
	up, series := upstreamRepo(t)
	remote := filepath.Join(t.TempDir(), "review.git")
	gitRepo(t, t.TempDir())("init", "-q", "--bare", remote)
	checker := &gitrepo.Checker{Dir: filepath.Join(t.TempDir(), "mirrors"), Sources: map[string]string{"p": up}}
	w.setDeps(func(d *app.Deps) {
		d.Checker = checker
		d.Pusher = &gitrepo.Pusher{Checker: checker, Remotes: map[string]string{"p": remote}}
	})
	rev := w.reviewer()
	r := w.inProgress("Overflow")
	_, err := w.svc.Subscribe(ctx, w.coord, r.ID, rev.ID())
	must(t, err)
	f, err := w.svc.AttachFix(ctx, w.coord, r.ID, vmt.FixInput{Branch: "master", Series: series})
	must(t, err)
	_, err = w.svc.ReviewFix(ctx, rev, f.ID, vmt.ReviewInput{Review: vmt.ReviewApproved})
	must(t, err)
	_, err = w.svc.MakePublic(ctx, w.coord, r.ID, "posted on a public list by mistake")
	must(t, err)
	if items := pushes(t, w, r.ID); len(items) != 1 {
		t.Fatalf("push items: %+v", items)
	}

	// An instance with a relay and no push handler.
	mailOnly := w.worker(w.svc)
	if got := mailOnly.Kinds(); slices.Contains(got, vmt.KindPush) || !slices.Contains(got, vmt.KindNotice) {
		t.Errorf("kinds of a worker with a relay and no handler: %v", got)
	}
	for round := 1; round <= 2; round++ {
		if _, err := mailOnly.Deliver(ctx); err != nil {
			t.Fatal(err)
		}
		items := pushes(t, w, r.ID)
		if len(items) != 1 || items[0].State != vmt.OutboxPending || items[0].Attempts != round ||
			!strings.Contains(items[0].LastError, "no handler for outbox kind push on this instance: start vmt serve with --push-remote") {
			t.Fatalf("push item after round %d without its handler: %+v", round, items)
		}
		if !items[0].NextAttempt.After(w.clock.Now()) {
			t.Errorf("round %d: retried at %v, not after a backoff from %v", round, items[0].NextAttempt, w.clock.Now())
		}
		w.clock.Add(time.Minute) // past the worker's backoff (at most 10s)
	}
	if refs := gitRepo(t, remote)("for-each-ref"); refs != "" {
		t.Errorf("pushed without a handler: %q", refs)
	}

	withPush := w.worker(w.svc)
	withPush.Handlers = map[string]jobs.Handler{vmt.KindPush: jobs.Push(w.svc)}
	if got := withPush.Kinds(); !slices.Contains(got, vmt.KindPush) {
		t.Errorf("kinds of a worker with the push handler: %v", got)
	}
	if n, err := withPush.Deliver(ctx); err != nil || n != 1 {
		t.Fatalf("delivery by a worker with the handler: %d, %v", n, err)
	}
	if items := pushes(t, w, r.ID); len(items) != 1 || items[0].State != vmt.OutboxDone {
		t.Fatalf("push item after a worker with the handler ran: %+v", items)
	}
	if refs := gitRepo(t, remote)("for-each-ref", "--format=%(refname)"); refs != "refs/heads/vmt/CVE-2026-1234/master" {
		t.Errorf("the remote holds %q", refs)
	}
}

// The mail kinds are the ones the worker sends through its relay; the
// others need a handler.
func TestIsMailKind(t *testing.T) {
	for _, k := range []string{vmt.KindNotice, vmt.KindPublicationMail, vmt.KindReminder, vmt.KindEscalation} {
		if !vmt.IsMailKind(k) {
			t.Errorf("%s is not a mail kind", k)
		}
	}
	for _, k := range []string{vmt.KindPush, vmt.KindWebhook, vmt.KindCVEPublish, "unknown"} {
		if vmt.IsMailKind(k) {
			t.Errorf("%s is a mail kind", k)
		}
	}
}
