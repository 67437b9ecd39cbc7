package http_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/vmtproject/vmt"
)

// approveOnPage approves the impact description through the report page's
// button as the person signed in to b, and checks what the page says.
func approveOnPage(t *testing.T, b *browser, path, want string) {
	t.Helper()
	p := b.get(path)
	form := p.doc.Find(`form[action="` + path + `/impact/approve"]`)
	if form.Length() != 1 || p.doc.Find("#approve-impact").Length() != 1 {
		t.Fatalf("no approve button on %s: %s", path, p.doc.Find("#impact-review").Text())
	}
	p = b.post(path+"/impact/approve", nil)
	if msg := p.doc.Find(".flash").Text(); !strings.Contains(msg, want) {
		t.Errorf("after approving: flash %q error %q, want %q", msg, p.doc.Find(".error").Text(), want)
	}
	if p.doc.Find("#approve-impact").Length() != 0 {
		t.Error("the approve button is still offered after approving")
	}
}

// TestUIImpactReview: the coordinator drafts the impact description from
// the template on the page; the reporter and a committee member see the
// approvals and the button, others do not; a new text takes the approvals
// back.
func TestUIImpactReview(t *testing.T) {
	forEachEngine(t, func(t *testing.T, engine string) {
		e := newEnv(t, engine)
		ctx := context.Background()
		coord, b := e.signedIn("coord@example.org", vmt.RoleVMT)
		if err := e.svc.SetMember(ctx, e.admin, vmt.Member{ProjectID: e.proj.ID, UserID: coord.ID(), Role: vmt.MemberVMT}); err != nil {
			t.Fatal(err)
		}
		rep, repB := e.signedIn("rep@example.org", vmt.RoleReporter)
		rv, err := e.svc.CreateReport(ctx, rep, vmt.ReportInput{Title: "Escape via virtio-fs", Description: "A guest escapes.",
			Components: []string{"runtime"}, AffectedVersions: "<3.2.1", Credit: "Rep Orter"})
		if err != nil {
			t.Fatal(err)
		}
		path := "/reports/" + itoa(rv.ID)
		if repB.get(path).doc.Find("#approve-impact").Length() != 0 {
			t.Error("approval offered before there is a text")
		}
		// The impact description is the step after the confirmation:
		// the page offers to draft it from then on.
		if b.get(path).doc.Find("#draft-impact").Length() != 0 {
			t.Error("drafting the impact description is offered before the report is confirmed")
		}
		if _, err := e.svc.Transition(ctx, coord, rv.ID, vmt.TransitionInput{To: vmt.StatusConfirmed}); err != nil {
			t.Fatal(err)
		}
		p := b.post(path+"/impact/draft", nil)
		if text := p.doc.Find("#impact_description").Text(); !strings.Contains(text, "Rep Orter") || !strings.Contains(text, "A guest escapes.") {
			t.Errorf("drafted text: %q (%s)", text, p.doc.Find(".error").Text())
		}
		if p.doc.Find("#approve-impact").Length() != 0 {
			t.Error("the coordinator is offered the approval")
		}
		if !strings.Contains(p.doc.Find("#draft-impact").Text(), "replaces") {
			t.Errorf("redraft button: %q", p.doc.Find("#draft-impact").Text())
		}
		stake, stakeB := e.signedIn("dist@example.org", vmt.RoleStakeholder)
		b.post(path+"/subscribe", url.Values{"user_id": {itoa(stake.ID())}})
		if sp := stakeB.get(path); sp.doc.Find("#approve-impact").Length() != 0 || sp.doc.Find("#impact-review").Length() != 0 {
			t.Error("a stakeholder is shown the review or offered the approval")
		}
		if refused := stakeB.post(path+"/impact/approve", nil); !strings.Contains(refused.doc.Find(".error").Text(), "only the reporter and the architecture committee") {
			t.Errorf("a stakeholder's approval: %q", refused.doc.Find(".error").Text())
		}
		approveOnPage(t, repB, path, "still to approve: the architecture committee")
		if got := repB.get(path).doc.Find("#approval-reporter").AttrOr("data-approved", ""); got != "yes" {
			t.Errorf("reporter approval shown as %q", got)
		}
		b.post(path+"/impact", url.Values{"impact_description": {"A guest escapes to the host."}})
		if got := repB.get(path).doc.Find("#approval-reporter").AttrOr("data-approved", ""); got != "no" {
			t.Errorf("after a new text the reporter's approval shows %q, want taken back", got)
		}
		if repB.get(path).doc.Find("#approve-impact").Length() != 1 {
			t.Error("the reporter is not offered the approval of the new text")
		}
	})
}

// TestUIIncompleteMessageUsesProjectTemplate: the incomplete-reception
// message posted from the page is the project's own when it has one.
func TestUIIncompleteMessageUsesProjectTemplate(t *testing.T) {
	e := newEnv(t, "sqlite")
	ctx := context.Background()
	coord, b := e.signedIn("coord@example.org", vmt.RoleVMT)
	if err := e.svc.SetMember(ctx, e.admin, vmt.Member{ProjectID: e.proj.ID, UserID: coord.ID(), Role: vmt.MemberVMT}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.SetProjectTemplate(ctx, coord, "kata-containers", "reception-incomplete", "The {{.Project}} VMT needs more details before it can decide."); err != nil {
		t.Fatal(err)
	}
	rep, _ := e.user("rep@example.org", vmt.RoleReporter)
	rv, err := e.svc.CreateReport(ctx, rep, vmt.ReportInput{Title: "Escape", Description: "Details."})
	if err != nil {
		t.Fatal(err)
	}
	p := b.post("/reports/"+itoa(rv.ID)+"/incomplete-message", nil)
	if got := p.doc.Find(".comment").Text(); !strings.Contains(got, "The kata-containers VMT needs more details before it can decide.") {
		t.Errorf("comments: %q (%s)", got, p.doc.Find(".error").Text())
	}
}
