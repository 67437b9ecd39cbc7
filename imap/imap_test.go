package imap_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/imap"
	"github.com/vmtproject/vmt/imap/imaptest"
)

func message(id, subject string) []byte {
	return []byte(fmt.Sprintf("From: Rita Reporter <rita@example.net>\r\nTo: security@example.org\r\nSubject: %s\r\nMessage-ID: <%s>\r\nDate: Mon, 02 Mar 2026 10:00:00 +0000\r\n\r\nBody of %s.\r\n", subject, id, id))
}

// The mailbox lists the unseen messages, fetches them whole without
// marking them, refuses one over the limit, and marks \Seen only when told.
func TestMailboxOnDovecot(t *testing.T) {
	srv := imaptest.Start(t)
	srv.Deliver(t, message("one@example.net", "First"))
	srv.Deliver(t, message("two@example.net", "Second"))
	ctx := context.Background()
	c := &vmt.IntakeSettings{Enabled: true, Addr: srv.Addr, Security: vmt.IntakePlain, User: srv.User,
		PasswordRef: "env:X", Folder: "INBOX", KeyRef: "env:Y"}
	if _, err := imap.Open(ctx, c, "wrong"); err == nil || !strings.Contains(err.Error(), "login") {
		t.Fatalf("a wrong password: %v, want a login failure", err)
	}
	mb, err := imap.Open(ctx, c, srv.Password)
	if err != nil {
		t.Fatal(err)
	}
	defer mb.Close()
	msgs, err := mb.Unseen(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 2 || msgs[0].MessageID != "one@example.net" || msgs[1].MessageID != "two@example.net" ||
		msgs[0].From != "rita@example.net" || msgs[0].Subject != "First" || msgs[0].Size == 0 || !strings.HasPrefix(msgs[0].Key, "INBOX/") {
		t.Fatalf("unseen: %+v", msgs)
	}
	raw, err := mb.Fetch(ctx, msgs[0].UID, vmt.MaxIntakeMessageBytes)
	if err != nil || !strings.Contains(string(raw), "Body of one@example.net.") || !strings.HasPrefix(string(raw), "From: Rita") {
		t.Fatalf("fetch: %q, %v", raw, err)
	}
	if _, err := mb.Fetch(ctx, msgs[1].UID, 10); err == nil || !strings.Contains(err.Error(), "more than 10") {
		t.Fatalf("fetch over the limit: %v", err)
	}
	if seen := srv.Seen(t); seen["one@example.net"] || seen["two@example.net"] {
		t.Fatalf("a fetch marked a message seen: %v", seen)
	}
	if err := mb.MarkSeen(ctx, msgs[0].UID); err != nil {
		t.Fatal(err)
	}
	if seen := srv.Seen(t); !seen["one@example.net"] || seen["two@example.net"] {
		t.Fatalf("seen after marking one: %v", seen)
	}
	again, err := mb.Unseen(ctx)
	if err != nil || len(again) != 1 || again[0].MessageID != "two@example.net" {
		t.Fatalf("unseen after marking one: %+v, %v", again, err)
	}
}
