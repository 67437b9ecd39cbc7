package app_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/vmtproject/vmt"
)

// replyTo returns the bodies of the intake replies to addr, oldest first.
func (e *linkEnv) replyTo(t *testing.T, addr string) []string {
	t.Helper()
	var out []string
	err := e.st.View(context.Background(), func(tx vmt.Tx) error {
		items, err := tx.OutboxItems(0)
		for _, o := range items {
			var m vmt.NoticeMail
			if o.Kind == vmt.KindIntakeReply && json.Unmarshal(o.Payload, &m) == nil && m.To[0] == addr {
				out = append(out, m.Body)
			}
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestFileIntakeReporters: who a mailed report is filed for. A new
// address gets an account with the address unproven and a link; an
// account that proved its address (with a password) is the reporter and
// gets no link; an account with a password that never proved the address
// (anyone can sign up with an address they do not read) and a disabled
// one are refused, for the VMT to file by hand. A second filing of one
// Message-ID stores nothing.
func TestFileIntakeReporters(t *testing.T) {
	ctx := context.Background()
	e := newLinkEnv(t)
	p, err := e.svc.Project(ctx, e.admin, "p")
	if err != nil {
		t.Fatal(err)
	}
	mail := func(id, from string) vmt.IntakeMail {
		return vmt.IntakeMail{MessageID: id, From: from, Subject: "Overflow", Body: "Details.", Signature: vmt.IntakeSignature{State: vmt.SigNone}}
	}
	proven, err := e.svc.CreateUser(ctx, e.admin, vmt.UserInput{Email: "proven@example.org", Role: vmt.RoleReporter, Password: "a long password here", EmailProven: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.CreateUser(ctx, e.admin, vmt.UserInput{Email: "claimed@example.org", Role: vmt.RoleReporter, Password: "a long password here"}); err != nil {
		t.Fatal(err)
	}

	res, err := e.svc.FileIntake(ctx, p.ID, mail("new@x", "New <NEW@example.org>"))
	if err == nil {
		t.Fatalf("a From with a display name was taken as an address: %+v", res)
	}
	res, err = e.svc.FileIntake(ctx, p.ID, mail("new@x", "new@example.org"))
	if err != nil || !res.Filed || res.Reporter.Email != "new@example.org" || res.Reporter.EmailVerifiedAt != nil || res.Reporter.Role != vmt.RoleReporter {
		t.Fatalf("new sender: %+v, %v", res, err)
	}
	if r := e.replyTo(t, "new@example.org"); len(r) != 1 || !strings.Contains(r[0], "token=vmtl_") || !strings.Contains(r[0], "not encrypted") {
		t.Errorf("reply to a new sender: %q", r)
	}
	again, err := e.svc.FileIntake(ctx, p.ID, mail("new@x", "new@example.org"))
	if err != nil || again.Filed || again.ReportID != res.ReportID {
		t.Errorf("filed twice: %+v, %v", again, err)
	}
	if r := e.replyTo(t, "new@example.org"); len(r) != 1 {
		t.Errorf("a second filing replied again: %d replies", len(r))
	}

	res, err = e.svc.FileIntake(ctx, p.ID, mail("proven@x", "proven@example.org"))
	if err != nil || !res.Filed || res.Reporter.ID != proven.ID {
		t.Fatalf("proven sender: %+v, %v", res, err)
	}
	if r := e.replyTo(t, "proven@example.org"); len(r) != 1 || strings.Contains(r[0], "token=") || !strings.Contains(r[0], "Sign in as proven@example.org") {
		t.Errorf("reply to an account with a password: %q", r)
	}

	_, err = e.svc.FileIntake(ctx, p.ID, mail("claimed@x", "claimed@example.org"))
	if vmt.ErrorCode(err) != vmt.EINVALID || vmt.ErrorField(err) != "from" || !strings.Contains(vmt.ErrorMessage(err), "unproven") {
		t.Errorf("an unproven address with a password: %v", err)
	}
	if filed, _ := e.svc.IntakeFiled(ctx, p.ID, "claimed@x"); filed {
		t.Error("a refused mail was recorded as filed")
	}
}

// TestFileIntakeLimits: a text longer than a description is kept whole as
// message.txt; attachments over the limits are refused (the message stays
// a failure); a subject with control characters becomes one clean line,
// and an empty one a title naming the sender.
func TestFileIntakeLimits(t *testing.T) {
	ctx := context.Background()
	e := newLinkEnv(t)
	p, _ := e.svc.Project(ctx, e.admin, "p")
	long := strings.Repeat("All work and no play. ", vmt.MaxDescriptionBytes/10)
	res, err := e.svc.FileIntake(ctx, p.ID, vmt.IntakeMail{MessageID: "long@x", From: "a@example.org", Subject: "Line\r\nInjected: header\x1b[31m",
		Body: long, Signature: vmt.IntakeSignature{State: vmt.SigNone}})
	if err != nil {
		t.Fatal(err)
	}
	v, err := e.svc.Report(ctx, e.admin, res.ReportID)
	if err != nil {
		t.Fatal(err)
	}
	if v.Title != "Line  Injected: header [31m" || !strings.Contains(v.Description, "message.txt") {
		t.Errorf("title %q, description ends %q", v.Title, v.Description[len(v.Description)-80:])
	}
	as, err := e.svc.ReportAttachments(ctx, e.admin, res.ReportID)
	if err != nil || len(as) != 1 || as[0].Name != "message.txt" || string(as[0].Data) != long {
		t.Errorf("the whole text: %d attachments, %v", len(as), err)
	}

	res, err = e.svc.FileIntake(ctx, p.ID, vmt.IntakeMail{MessageID: "empty@x", From: "b@example.org", Body: "x", Signature: vmt.IntakeSignature{State: vmt.SigNone}})
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := e.svc.Report(ctx, e.admin, res.ReportID); v.Title != "Report by mail from b@example.org" {
		t.Errorf("title of a mail without subject: %q", v.Title)
	}

	big := vmt.IntakeMail{MessageID: "big@x", From: "c@example.org", Subject: "s", Body: "x", Signature: vmt.IntakeSignature{State: vmt.SigNone},
		Attachments: []vmt.ReportAttachment{{Name: "core", Data: make([]byte, vmt.MaxReportAttachmentBytes+1)}}}
	if _, err := e.svc.FileIntake(ctx, p.ID, big); vmt.ErrorCode(err) != vmt.EINVALID || vmt.ErrorField(err) != "attachments" {
		t.Errorf("an attachment over the limit: %v", err)
	}
	if filed, _ := e.svc.IntakeFiled(ctx, p.ID, "big@x"); filed {
		t.Error("a refused mail was recorded as filed")
	}
}
