package jobs_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/app"
	"github.com/vmtproject/vmt/render"
)

// TestNoticeUsesProjectTemplate: a project's own downstream notification
// is what its stakeholders get, subject and body.
func TestNoticeUsesProjectTemplate(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t, "sqlite")
	w.setDeps(func(d *app.Deps) { d.Texts = render.Hooks() })
	w.stakeholder("Distro", false)
	own := "{{define \"subject\"}}[P pre-{{.Prefix}}] {{join .CVEs \", \"}}{{end}}Our own notice.\n\n{{.Description}}\n\nUntil {{.Disclosure}}.\n"
	if _, err := w.svc.SetProjectTemplate(ctx, w.coord, "p", "downstream-notification", own); err != nil {
		t.Fatal(err)
	}
	r := w.readyReport("Overflow")
	if _, err := w.svc.SendNotice(ctx, w.coord, r.ID); err != nil {
		t.Fatal(err)
	}
	items, err := w.svc.Outbox(ctx, w.coord, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, it := range items {
		if it.Kind != vmt.KindNotice {
			continue
		}
		n++
		var m vmt.NoticeMail
		if err := json.Unmarshal(it.Payload, &m); err != nil {
			t.Fatal(err)
		}
		if m.Subject != "[P pre-PSA] CVE-2026-1234" || !strings.HasPrefix(m.Body, "Our own notice.\n\nA guest can overflow the agent's buffer") {
			t.Errorf("notice: %q\n%s", m.Subject, m.Body)
		}
	}
	if n != 1 {
		t.Errorf("%d notices enqueued, want 1", n)
	}
}
