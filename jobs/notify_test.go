package jobs_test

import (
	"bytes"
	"context"
	"io"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/armor"
	"github.com/emersion/go-message"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/app"
	"github.com/vmtproject/vmt/gitrepo"
	"github.com/vmtproject/vmt/smtp/smtptest"
	"github.com/vmtproject/vmt/sqldb/sqldbtest"
)

// notifyWorld is a world whose people hold keys or not, and a record of
// the notifications already checked.
type notifyWorld struct {
	*world
	keys map[string]*openpgp.Entity // by address: the recipient's secret key
	seen map[string]bool            // outbox keys already checked
}

// setKey stores e's public key on a's account, and keeps e to decrypt.
func (n *notifyWorld) setKey(a vmt.Actor, e *openpgp.Entity) {
	k := string(armored(n.t, e, false))
	_, err := n.svc.UpdateUser(context.Background(), a, a.ID(), vmt.UserPatch{OpenPGPKey: &k})
	must(n.t, err)
	n.keys[a.User.Email] = e
}

// told runs the worker and checks the notifications of report id enqueued
// since the last call against want: by address, "content" (encrypted to
// the recipient's key, the title and what must be said in it) or "link"
// (the number and the link only). Every mail is checked over SMTP: its
// Message-ID is the one derived from its outbox key, it threads under
// the report's root id, it carries List-Unsubscribe, and a private
// report's title is nowhere outside the encryption.
func (n *notifyWorld) told(step string, r *vmt.Report, says string, want map[string]string) {
	t := n.t.(*testing.T)
	t.Helper()
	ctx := context.Background()
	items, err := n.svc.Outbox(ctx, n.admin, r.ID)
	must(t, err)
	var fresh []*vmt.OutboxItem
	for _, o := range items {
		if (o.Kind == vmt.KindNotification || o.Kind == vmt.KindNotificationLink) && !n.seen[o.Key] {
			n.seen[o.Key] = true
			fresh = append(fresh, o)
		}
	}
	before := len(n.srv.Messages())
	if _, err := n.worker(n.svc).Deliver(ctx); err != nil {
		t.Fatalf("%s: deliver: %v", step, err)
	}
	byID := map[string]smtptest.Message{}
	for _, m := range n.srv.Messages()[before:] {
		h := header(t, m.Data)
		byID[h.Get("Message-Id")] = m
	}
	got := map[string]string{}
	root := "<" + vmt.ThreadRoot(r.ID) + "@example.org>"
	link := site.BaseURL + "/reports/" + itoa(r.ID)
	for _, o := range fresh {
		id := n.mailer.MessageID(o.Key)
		m, ok := byID[id]
		if !ok {
			t.Errorf("%s: no mail with Message-ID %s (outbox %s)", step, id, o.Key)
			continue
		}
		if len(m.To) != 1 {
			t.Errorf("%s: %s went to %v, want one person", step, o.Key, m.To)
			continue
		}
		to := m.To[0]
		h, parts := rawParts(t, m.Data)
		if h.Get("In-Reply-To") != root || h.Get("References") != root {
			t.Errorf("%s: to %s: In-Reply-To %q, References %q, want %s", step, to, h.Get("In-Reply-To"), h.Get("References"), root)
		}
		if u := h.Get("List-Unsubscribe"); u != "<"+site.BaseURL+vmt.NotificationsPath+">" {
			t.Errorf("%s: to %s: List-Unsubscribe %q", step, to, u)
		}
		outer := string(parts[0])
		if mt, _, _ := h.ContentType(); mt == "multipart/encrypted" {
			outer = h.Get("Subject")
		} else {
			outer += h.Get("Subject")
		}
		if r.Visibility == vmt.Private && strings.Contains(outer, r.Title) {
			t.Errorf("%s: to %s: the private title is outside the encryption", step, to)
		}
		encrypted := false
		if mt, _, _ := h.ContentType(); mt == "multipart/encrypted" {
			encrypted = true
		}
		switch o.Kind {
		case vmt.KindNotification:
			got[to] = strings.TrimSpace(got[to] + " content")
			if !encrypted && r.Visibility == vmt.Private {
				t.Errorf("%s: to %s: a private report's content in clear", step, to)
				continue
			}
			text := n.decrypt(to, parts[1])
			if !strings.Contains(text, r.Title) || !strings.Contains(text, says) || !strings.Contains(text, link) {
				t.Errorf("%s: to %s: decrypted text lacks the title, %q or the link:\n%s", step, to, says, text)
			}
		case vmt.KindNotificationLink:
			// The number and the link alone: signed, and encrypted too
			// when the person has a key.
			got[to] = strings.TrimSpace(got[to] + " link")
			var text string
			if encrypted {
				text = n.decrypt(to, parts[1])
			} else {
				text = textOf(t, parts[0])
				if sig := bodyOf(t, parts[1]); !bytes.Contains(sig, []byte("BEGIN PGP SIGNATURE")) {
					t.Errorf("%s: to %s: not signed", step, to)
				}
			}
			wantText := "report #" + itoa(r.ID) + " needs you: " + link + "\n\nYou set what you receive at " + site.BaseURL + vmt.NotificationsPath + "\n"
			if text != wantText {
				t.Errorf("%s: to %s: link-only text\n%q\nwant\n%q", step, to, text, wantText)
			}
		}
	}
	if len(got) != len(want) {
		t.Errorf("%s: told %v, want %v", step, got, want)
		return
	}
	for to, mode := range want {
		if got[to] != mode {
			t.Errorf("%s: told %v, want %v", step, got, want)
			return
		}
	}
}

// decrypt opens an encrypted part with the key of to, checks the VMT's
// signature inside, and returns the text.
func (n *notifyWorld) decrypt(to string, part []byte) string {
	t := n.t.(*testing.T)
	e := n.keys[to]
	if e == nil {
		t.Fatalf("a mail to %s is encrypted, and %s has no key", to, to)
	}
	blk, err := armor.Decode(bytes.NewReader(bodyOf(t, part)))
	must(t, err)
	md, err := openpgp.ReadMessage(blk.Body, openpgp.EntityList{e, n.signer}, nil, nil)
	if err != nil {
		t.Fatalf("decrypting the mail to %s with its key: %v", to, err)
	}
	entity, err := io.ReadAll(md.UnverifiedBody)
	must(t, err)
	if !md.IsSigned || md.SignatureError != nil || md.SignedBy == nil || md.SignedBy.PublicKey.KeyId != n.signer.PrimaryKey.KeyId {
		t.Errorf("the mail to %s is not signed by the VMT inside: %v", to, md.SignatureError)
	}
	return textOf(t, entity)
}

func header(t testing.TB, data []byte) message.Header {
	e, err := message.Read(bytes.NewReader(data))
	must(t, err)
	return e.Header
}

// quiet turns every notification of a off, for a test that counts other
// mails.
func (w *world) quiet(a vmt.Actor) {
	off := map[vmt.NotifyKind]bool{}
	for _, k := range vmt.NotifyKinds() {
		off[k] = false
	}
	_, err := w.svc.SetNotificationSettings(context.Background(), a, vmt.NotificationSettings{Kinds: off})
	must(w.t, err)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// Every kind of notification, with a real relay and the worker: who is
// told (never the actor, and not who turned the kind off), that a private
// report's content reaches only those with a key of their own and only
// encrypted to it (and decrypts with that key), that everyone else gets
// the number and the link alone, and the threading and unsubscribe
// headers of each mail.
func TestNotifications(t *testing.T) {
	for _, engine := range sqldbtest.Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			n := &notifyWorld{world: newWorld(t, engine), keys: map[string]*openpgp.Entity{}, seen: map[string]bool{}}
			up, series := upstreamRepo(t)
			checker := &gitrepo.Checker{Dir: filepath.Join(t.TempDir(), "mirrors"), Sources: map[string]string{"p": up}}
			n.setDeps(func(d *app.Deps) {
				d.Checker = checker
				d.Publication.BaseURL = site.BaseURL
			})
			n.setKey(n.coord, newEntity(t, "Coord"))
			vmt2 := n.member("vmt2@example.org", vmt.MemberVMT) // no key
			rev := n.reviewer()
			n.setKey(rev, newEntity(t, "Rev"))
			u, err := n.svc.CreateUser(ctx, n.admin, vmt.UserInput{Email: "rev2@example.org", Role: vmt.RoleReviewer})
			must(t, err)
			must(t, n.svc.SetMember(ctx, n.admin, vmt.Member{ProjectID: n.project.ID, UserID: u.ID, Role: vmt.MemberReviewer}))
			rev2 := vmt.Actor{User: u} // no key, and no comments
			com := n.member("com@example.org", vmt.MemberCommittee)
			n.setKey(com, newEntity(t, "Com"))
			u, err = n.svc.CreateUser(ctx, n.admin, vmt.UserInput{Email: "rep@example.org", Role: vmt.RoleReporter})
			must(t, err)
			rep := vmt.Actor{User: u}
			n.setKey(rep, newEntity(t, "Rep"))

			off := map[vmt.NotifyKind]bool{vmt.NotifyComment: false}
			set, err := n.svc.SetNotificationSettings(ctx, rev2, vmt.NotificationSettings{Kinds: off})
			must(t, err)
			if set.Kinds[vmt.NotifyComment] || !set.Kinds[vmt.NotifyPatchReview] {
				t.Fatalf("settings as stored: %+v", set)
			}
			if got, err := n.svc.NotificationSettings(ctx, rev2); err != nil || !maps(got.Kinds, set.Kinds) {
				t.Fatalf("settings read back: %+v, %v", got, err)
			}

			v, err := n.svc.CreateReport(ctx, rep, vmt.ReportInput{Project: "p", Title: "Overflow in the agent",
				Description: "The agent overflows its buffer on a long header.", Components: []string{"agent"}})
			must(t, err)
			r := v.Report
			// The VMT: the coordinator (keyed), vmt2 (no key); the
			// administrator, a member too, turned new reports off.
			n.told("new report", r, "overflows its buffer", map[string]string{"coord@example.org": "content", "vmt2@example.org": "link"})

			_, err = n.svc.Assign(ctx, n.coord, r.ID, vmt2.ID())
			must(t, err)
			n.told("assigned", r, "overflows its buffer", map[string]string{"vmt2@example.org": "link"})

			_, err = n.svc.Classify(ctx, n.coord, r.ID, "A")
			must(t, err)
			n.told("classified", r, "", map[string]string{})
			_, err = n.svc.Transition(ctx, n.coord, r.ID, vmt.TransitionInput{To: vmt.StatusConfirmed})
			must(t, err)
			// The reviewers are subscribed by the move, and told of it
			// and of the status; the coordinator (vmt2) and the reporter
			// of the status.
			n.told("confirmed", r, "", map[string]string{"rev@example.org": "content content", "rev2@example.org": "link link",
				"rep@example.org": "content", "vmt2@example.org": "link"})

			_, err = n.svc.AddComment(ctx, rep, r.ID, "A reproducer: send 70000 bytes.")
			must(t, err)
			n.told("comment", r, "70000 bytes", map[string]string{"vmt2@example.org": "link", "rev@example.org": "content"})

			impact := "A guest can overflow the agent's buffer and run code on the host."
			_, err = n.svc.UpdateReport(ctx, n.coord, r.ID, vmt.ReportPatch{ImpactDescription: &impact})
			must(t, err)
			n.told("approval requested", r, "run code on the host", map[string]string{"rep@example.org": "content", "com@example.org": "content"})

			_, err = n.svc.ApproveImpact(ctx, com, r.ID)
			must(t, err)
			n.told("approval given", r, "committee approved", map[string]string{"vmt2@example.org": "link", "rep@example.org": "content"})

			_, err = n.svc.AttachFix(ctx, rep, r.ID, vmt.FixInput{Branch: "master", Series: series})
			must(t, err)
			n.told("patch to review", r, "agent: check the length", map[string]string{"rev@example.org": "content", "rev2@example.org": "link"})

			// The reporter turns comments off, and hears of none.
			_, err = n.svc.SetNotificationSettings(ctx, rep, vmt.NotificationSettings{Kinds: off})
			must(t, err)
			_, err = n.svc.AddComment(ctx, n.coord, r.ID, "Thanks, reproduced.")
			must(t, err)
			n.told("comment after opt-out", r, "reproduced", map[string]string{"vmt2@example.org": "link", "rev@example.org": "content",
				"com@example.org": "content"}) // the committee is subscribed since the impact description
		})
	}
}

// A stakeholder's access request tells the report's VMT, and its answer,
// declined or granted, tells the stakeholder: a decline with the number
// and link only (the account may not read the report), a grant with the
// content encrypted to the account's key.
func TestNotificationsOfAccess(t *testing.T) {
	for _, engine := range sqldbtest.Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			n := &notifyWorld{world: newWorld(t, engine), keys: map[string]*openpgp.Entity{}, seen: map[string]bool{}}
			n.setDeps(func(d *app.Deps) { d.Publication.BaseURL = site.BaseURL })
			n.setKey(n.coord, newEntity(t, "Coord"))
			n.member("vmt2@example.org", vmt.MemberVMT)
			distro := n.stakeholder("Distro", true)
			r := n.readyReport("Overflow in the agent")
			_, err := n.svc.SendNotice(ctx, n.coord, r.ID)
			must(t, err)
			u, err := n.svc.CreateUser(ctx, n.admin, vmt.UserInput{Email: "distro@distro.example", Role: vmt.RoleStakeholder, EmailProven: true})
			must(t, err)
			sa := vmt.Actor{User: u}
			n.setKey(sa, distro)
			// The report was filed by the coordinator: the rest of the VMT
			// heard of it.
			n.told("notice", r, "", map[string]string{"vmt2@example.org": "link"})

			_, err = n.svc.RequestAccess(ctx, sa, r.ID, "We ship the agent.")
			must(t, err)
			n.told("access request", r, "We ship the agent.", map[string]string{"coord@example.org": "content", "vmt2@example.org": "link", "admin@example.org": "link"})

			_, err = n.svc.DeclineAccess(ctx, n.coord, r.ID, sa.ID(), "not yet")
			must(t, err)
			n.told("declined", r, "", map[string]string{"distro@distro.example": "link"})

			n.clock.Add(vmt.AccessRetryAfter + time.Minute)
			_, err = n.svc.RequestAccess(ctx, sa, r.ID, "Again, please.")
			must(t, err)
			n.told("asked again", r, "Again, please.", map[string]string{"coord@example.org": "content", "vmt2@example.org": "link", "admin@example.org": "link"})
			_, err = n.svc.GrantStakeholder(ctx, n.coord, r.ID, vmt.GrantInput{UserID: sa.ID()})
			must(t, err)
			n.told("granted", r, "was granted", map[string]string{"distro@distro.example": "content"})
		})
	}
}

// A notification is enqueued in the transaction of its event: when the
// transaction rolls back after the use case told people (here a report
// filed a second time under an idempotency key already recorded, which
// the store refuses after the use case ran, before the commit), no one is
// told.
func TestNotificationsOnlyOfWhatCommits(t *testing.T) {
	ctx := context.Background()
	n := &notifyWorld{world: newWorld(t, sqldbtest.Engines()[0]), keys: map[string]*openpgp.Entity{}, seen: map[string]bool{}}
	n.member("vmt2@example.org", vmt.MemberVMT)
	count := func() int {
		var all []*vmt.OutboxItem
		must(t, n.store.View(ctx, func(tx vmt.Tx) (err error) { all, err = tx.OutboxItems(0); return err }))
		return len(all)
	}
	in := vmt.ReportInput{Project: "p", Title: "Overflow", Description: "It overflows.", Components: []string{"agent"}}
	claim := func() context.Context {
		return vmt.WithIdempotencyClaim(ctx, &vmt.IdempotencyClaim{Request: vmt.IdempotentRequest{ActorID: n.coord.ID(), Key: "k1",
			Fingerprint: "f", Route: "POST /api/v1/reports", CreatedAt: n.clock.Now()}})
	}
	if _, err := n.svc.CreateReport(claim(), n.coord, in); err != nil {
		t.Fatal(err)
	}
	if got := count(); got != 1 {
		t.Fatalf("%d items after the report, want the one to vmt2", got)
	}
	if _, err := n.svc.CreateReport(claim(), n.coord, in); err != vmt.ErrIdempotencyKeyTaken {
		t.Fatalf("the second report under the key: %v, want ErrIdempotencyKeyTaken", err)
	}
	if got := count(); got != 1 {
		t.Errorf("%d items after a rolled back report, want still 1", got)
	}
}

func maps(a, b map[vmt.NotifyKind]bool) bool {
	ka, kb := make([]string, 0, len(a)), make([]string, 0, len(b))
	for k, v := range a {
		if v {
			ka = append(ka, string(k))
		}
	}
	for k, v := range b {
		if v {
			kb = append(kb, string(k))
		}
	}
	slices.Sort(ka)
	slices.Sort(kb)
	return len(a) == len(b) && slices.Equal(ka, kb)
}

// A person who takes the daily digest gets no mail per event: the worker
// sends one mail once the oldest event has waited a day, naming each
// report by number, kind of event and link (encrypted to their key) or by
// number and link only (without a key), never a title; then nothing
// until new events.
func TestNotificationDigest(t *testing.T) {
	for _, engine := range sqldbtest.Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			n := &notifyWorld{world: newWorld(t, engine), keys: map[string]*openpgp.Entity{}, seen: map[string]bool{}}
			n.setDeps(func(d *app.Deps) { d.Publication.BaseURL = site.BaseURL })
			keyed := n.member("keyed@example.org", vmt.MemberVMT)
			n.setKey(keyed, newEntity(t, "Keyed"))
			plain := n.member("plain@example.org", vmt.MemberVMT)
			for _, a := range []vmt.Actor{keyed, plain} {
				_, err := n.svc.SetNotificationSettings(ctx, a, vmt.NotificationSettings{Digest: true})
				must(t, err)
			}
			u, err := n.svc.CreateUser(ctx, n.admin, vmt.UserInput{Email: "rep@example.org", Role: vmt.RoleReporter})
			must(t, err)
			rep := vmt.Actor{User: u}
			var rs []*vmt.ReportView
			for _, title := range []string{"Overflow in the agent", "Escape through the shim"} {
				v, err := n.svc.CreateReport(ctx, rep, vmt.ReportInput{Project: "p", Title: title, Description: "It breaks.", Components: []string{"agent"}})
				must(t, err)
				rs = append(rs, v)
				// The coordinator takes each mail; the digest takers none.
				n.told("filed "+title, v.Report, "It breaks.", map[string]string{"coord@example.org": "link"})
			}
			digests := func() []*vmt.OutboxItem {
				var out []*vmt.OutboxItem
				must(t, n.store.View(ctx, func(tx vmt.Tx) error {
					all, err := tx.OutboxItems(0)
					for _, o := range all {
						if strings.HasPrefix(o.Key, "digest:") {
							out = append(out, o)
						}
					}
					return err
				}))
				return out
			}
			must(t, n.worker(n.svc).Watch(ctx))
			if d := digests(); len(d) != 0 {
				t.Fatalf("%d digests before a day passed", len(d))
			}
			n.clock.Add(vmt.DigestPeriod)
			must(t, n.worker(n.svc).Watch(ctx))
			d := digests()
			if len(d) != 2 {
				t.Fatalf("%d digests after a day, want one each", len(d))
			}
			before := len(n.srv.Messages())
			_, err = n.worker(n.svc).Deliver(ctx)
			must(t, err)
			byID := map[string]smtptest.Message{}
			for _, m := range n.srv.Messages()[before:] {
				h := header(t, m.Data)
				byID[h.Get("Message-Id")] = m
			}
			tt := t
			for _, o := range d {
				m, ok := byID[n.mailer.MessageID(o.Key)]
				if !ok || len(m.To) != 1 {
					t.Fatalf("digest %s: not delivered under its Message-ID", o.Key)
				}
				h, parts := rawParts(tt, m.Data)
				if h.Get("List-Unsubscribe") != "<"+site.BaseURL+vmt.NotificationsPath+">" {
					t.Errorf("digest to %s: List-Unsubscribe %q", m.To[0], h.Get("List-Unsubscribe"))
				}
				var text string
				var lines []string
				switch m.To[0] {
				case "keyed@example.org":
					text = n.decrypt(m.To[0], parts[1])
					for _, v := range rs {
						lines = append(lines, "report #"+itoa(v.ID)+": new report: "+site.BaseURL+"/reports/"+itoa(v.ID))
					}
				case "plain@example.org":
					if mt, _, _ := h.ContentType(); mt != "multipart/signed" {
						t.Errorf("the digest to a person without a key is %s", mt)
					}
					text = textOf(tt, parts[0])
					for _, v := range rs {
						lines = append(lines, "report #"+itoa(v.ID)+" needs you: "+site.BaseURL+"/reports/"+itoa(v.ID))
					}
				default:
					t.Fatalf("a digest to %v", m.To)
				}
				for _, l := range lines {
					if !strings.Contains(text, "  "+l+"\n") {
						t.Errorf("digest to %s lacks %q:\n%s", m.To[0], l, text)
					}
				}
				for _, v := range rs {
					if strings.Contains(string(m.Data)+text, v.Title) {
						t.Errorf("digest to %s names the title %q", m.To[0], v.Title)
					}
				}
			}
			n.clock.Add(vmt.DigestPeriod)
			must(t, n.worker(n.svc).Watch(ctx))
			if got := digests(); len(got) != 2 {
				t.Errorf("%d digests after another day without events, want still 2", len(got))
			}
		})
	}
}

// How a case ends tells its people once each: a report closed as Invalid
// is one mail to its reporter, with the coordinator's reason, not one for
// the move and one for the closing comment; a report made public at its
// hour tells its reporter, coordinator and subscribers, though no one
// acted; the timers' reminder follows the coordinator's settings (off:
// no mail; the digest: kept for it).
func TestNotificationsOfTheEnd(t *testing.T) {
	for _, engine := range sqldbtest.Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			n := &notifyWorld{world: newWorld(t, engine), keys: map[string]*openpgp.Entity{}, seen: map[string]bool{}}
			n.setDeps(func(d *app.Deps) { d.Publication.BaseURL = site.BaseURL })
			n.setKey(n.coord, newEntity(t, "Coord"))
			u, err := n.svc.CreateUser(ctx, n.admin, vmt.UserInput{Email: "rep@example.org", Role: vmt.RoleReporter})
			must(t, err)
			rep := vmt.Actor{User: u}
			n.setKey(rep, newEntity(t, "Rep"))

			v, err := n.svc.CreateReport(ctx, rep, vmt.ReportInput{Project: "p", Title: "The agent logs a warning",
				Description: "A warning in the log.", Components: []string{"agent"}})
			must(t, err)
			n.told("filed", v.Report, "A warning in the log.", map[string]string{"coord@example.org": "content"})
			_, err = n.svc.Classify(ctx, n.coord, v.ID, "E")
			must(t, err)
			_, err = n.svc.Transition(ctx, n.coord, v.ID, vmt.TransitionInput{To: vmt.StatusInvalid, Reason: "a warning is not a vulnerability"})
			must(t, err)
			closed, err := n.svc.Report(ctx, n.coord, v.ID)
			must(t, err)
			n.told("closed as Invalid", closed.Report, "a warning is not a vulnerability", map[string]string{"rep@example.org": "content"})

			r := n.readyReport("Overflow in the agent")
			n.told("ready", r, "", map[string]string{})
			_, err = n.svc.Subscribe(ctx, n.coord, r.ID, rep.ID())
			must(t, err)
			n.told("subscribed", r, "you were subscribed", map[string]string{"rep@example.org": "content"})
			n.stakeholder("Distro", true)
			_, err = n.svc.SendNotice(ctx, n.coord, r.ID)
			must(t, err)
			n.told("noticed", r, "to Fix committed", map[string]string{"rep@example.org": "content"})
			got, err := n.svc.Report(ctx, n.coord, r.ID)
			must(t, err)
			n.clock.Add(got.DisclosureAt.Sub(n.clock.Now()) + time.Second)
			if k, err := n.worker(n.svc).Disclose(ctx); err != nil || k != 1 {
				t.Fatalf("at the hour: %d disclosed, %v", k, err)
			}
			public, err := n.svc.Report(ctx, n.coord, r.ID)
			must(t, err)
			// The coordinator filed it, and is told too: the hour is no
			// one's action.
			n.told("made public at the hour", public.Report, "the report is public",
				map[string]string{"rep@example.org": "content", "coord@example.org": "content"})

			// The timers: the coordinator turns reminders off, then takes
			// the digest.
			set, err := n.svc.DisclosureSettingsOf(ctx, n.coord, "p")
			must(t, err)
			set.Timers = vmt.StageTimers{LimitDays: map[vmt.Status]int{vmt.StatusNew: 2}, EscalateAfterDays: 30}
			_, err = n.svc.SetDisclosureSettings(ctx, n.coord, "p", *set)
			must(t, err)
			_, err = n.svc.SetNotificationSettings(ctx, n.coord, vmt.NotificationSettings{Kinds: map[vmt.NotifyKind]bool{vmt.NotifyReminder: false}})
			must(t, err)
			late, err := n.svc.CreateReport(ctx, rep, vmt.ReportInput{Project: "p", Title: "Slow triage", Description: "It waits.", Components: []string{"agent"}})
			must(t, err)
			_, err = n.svc.Assign(ctx, n.coord, late.ID, n.coord.ID())
			must(t, err)
			n.clock.Add(49 * time.Hour)
			must(t, n.worker(n.svc).Watch(ctx))
			items, err := n.svc.Outbox(ctx, n.admin, late.ID)
			must(t, err)
			for _, o := range items {
				if o.Kind == vmt.KindReminder {
					t.Errorf("a reminder to a coordinator who turned them off: %s", o.Key)
				}
			}
			if evs := n.events("report.stage_reminder"); len(evs) != 1 || !strings.Contains(string(evs[0].After), "turned reminders off") {
				t.Errorf("the reminder no one takes is not audited as undelivered: %d events", len(evs))
			}

			_, err = n.svc.SetNotificationSettings(ctx, n.coord, vmt.NotificationSettings{Digest: true})
			must(t, err)
			later, err := n.svc.CreateReport(ctx, rep, vmt.ReportInput{Project: "p", Title: "Slower triage", Description: "It waits.", Components: []string{"agent"}})
			must(t, err)
			_, err = n.svc.Assign(ctx, n.coord, later.ID, n.coord.ID())
			must(t, err)
			n.clock.Add(49 * time.Hour)
			must(t, n.worker(n.svc).Watch(ctx))
			// The reminder is kept with the report's filing for the digest,
			// which is due in the same round: the filing waited a day.
			var digests []string
			must(t, n.store.View(ctx, func(tx vmt.Tx) error {
				all, err := tx.OutboxItems(0)
				for _, o := range all {
					if strings.HasPrefix(o.Key, "digest:"+itoa(n.coord.ID())+":") {
						digests = append(digests, string(o.Payload))
					}
				}
				return err
			}))
			reminded := "report #" + itoa(later.ID) + ": stage timer reminder: " + site.BaseURL + "/reports/" + itoa(later.ID)
			if len(digests) != 1 || !strings.Contains(digests[0], reminded) {
				t.Errorf("the coordinator's digests %q, want one naming %q", digests, reminded)
			}
			items, err = n.svc.Outbox(ctx, n.admin, later.ID)
			must(t, err)
			for _, o := range items {
				if o.Kind == vmt.KindReminder {
					t.Errorf("a reminder mailed to a coordinator who takes the digest: %s", o.Key)
				}
			}
		})
	}
}
