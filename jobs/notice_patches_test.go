package jobs_test

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/emersion/go-message"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/app"
	"github.com/vmtproject/vmt/gitrepo"
	"github.com/vmtproject/vmt/sqldb/sqldbtest"
)

// threeBranchRepo makes a repository with master, stable-1 and stable-2,
// and two different format-patch series that apply to all three: one for
// master, one for stable-1, so that an attachment holding the wrong
// branch's bytes is seen.
func threeBranchRepo(t *testing.T) (dir, forMaster, forStable string) {
	dir = filepath.Join(t.TempDir(), "up")
	must(t, os.Mkdir(dir, 0o755))
	git := gitRepo(t, dir)
	lines := "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n"
	write := func(content string) { must(t, os.WriteFile(filepath.Join(dir, "agent.go"), []byte(content), 0o644)) }
	git("init", "-q", "-b", "master")
	write(lines)
	git("add", ".")
	git("commit", "-qm", "base")
	git("branch", "stable-1")
	git("branch", "stable-2")
	write(strings.Replace(lines, "6\n", "six\n", 1))
	git("commit", "-qam", "agent: check the length")
	forMaster = git("format-patch", "--stdout", "HEAD~1") + "\n"
	git("reset", "-q", "--hard", "HEAD~1")
	write(strings.Replace(lines, "3\n", "three\n", 1))
	git("commit", "-qam", "agent: check the length (stable)")
	forStable = git("format-patch", "--stdout", "HEAD~1") + "\n"
	git("reset", "-q", "--hard", "HEAD~1")
	return dir, forMaster, forStable
}

// mailPart is one leaf of a decrypted or verified notice entity.
type mailPart struct {
	contentType, filename string
	body                  []byte
}

// leaves walks a MIME entity and returns its leaf parts, decoded.
func leaves(t *testing.T, entity []byte) []mailPart {
	t.Helper()
	e, err := message.Read(bytes.NewReader(entity))
	must(t, err)
	var out []mailPart
	must(t, e.Walk(func(_ []int, p *message.Entity, err error) error {
		if err != nil {
			return err
		}
		mt, _, _ := p.Header.ContentType()
		if strings.HasPrefix(mt, "multipart/") {
			return nil
		}
		_, params, _ := p.Header.ContentDisposition()
		b, err := io.ReadAll(p.Body)
		out = append(out, mailPart{contentType: mt, filename: params["filename"], body: b})
		return err
	}))
	return out
}

// The notice carries its patches: each supported branch's approved series
// is one attachment of the signed (and, for a keyed stakeholder,
// encrypted) entity, named from the CVE, the branch and the component,
// holding the exact bytes approved; the branch a coordinator waived has
// none, and the text says so instead of claiming one. GnuPG decrypts each
// keyed stakeholder's mail with that stakeholder's key only and checks the
// VMT's signature; the signed-only mail verifies over the whole
// multipart. The preview made before the send names the same recipients,
// subjects, attachments and keys as what the SMTP server received.
func TestNoticeCarriesPatches(t *testing.T) {
	for _, engine := range sqldbtest.Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			w := newWorld(t, engine)
			up, forMaster, forStable := threeBranchRepo(t)
			checker := &gitrepo.Checker{Dir: filepath.Join(t.TempDir(), "mirrors"), Sources: map[string]string{"p": up}}
			w.setDeps(func(d *app.Deps) { d.Checker = checker })
			_, err := w.svc.UpdateProject(ctx, w.admin, w.project.ID, vmt.ProjectPatch{Branches: &[]string{"master", "stable-1", "stable-2"}})
			must(t, err)
			rev := w.reviewer()
			w.quiet(rev) // this test counts the notice's mails
			distro, cloud := w.stakeholder("Distro", true), w.stakeholder("Cloud", true)
			w.stakeholder("Edge", false)
			r := w.inProgress("Overflow")
			_, err = w.svc.Subscribe(ctx, w.coord, r.ID, rev.ID())
			must(t, err)
			for branch, series := range map[string]string{"master": forMaster, "stable-1": forStable} {
				f, err := w.svc.AttachFix(ctx, w.coord, r.ID, vmt.FixInput{Branch: branch, Series: series})
				must(t, err)
				_, err = w.svc.ReviewFix(ctx, rev, f.ID, vmt.ReviewInput{Review: vmt.ReviewApproved})
				must(t, err)
			}
			// stable-2 gets a fix that is never approved, and a waiver.
			_, err = w.svc.AttachFix(ctx, w.coord, r.ID, vmt.FixInput{Branch: "stable-2", Series: forMaster})
			must(t, err)
			_, err = w.svc.WaiveFix(ctx, w.coord, r.ID, vmt.WaiverInput{Branch: "stable-2", Reason: "stable-2 ends before the date"})
			must(t, err)

			if _, err := w.svc.PreviewNotice(ctx, vmt.Actor{User: mustUser(t, w, "admin@example.org")}, r.ID+100, vmt.NoticeInput{}); vmt.ErrorCode(err) != vmt.ENOTFOUND {
				t.Errorf("preview of a missing report: %v", err)
			}
			if _, err := w.svc.PreviewNotice(ctx, rev, r.ID, vmt.NoticeInput{}); vmt.ErrorCode(err) != vmt.EFORBIDDEN {
				t.Errorf("preview by a subscribed reviewer: %v, want forbidden", err)
			}
			pv, err := w.svc.PreviewNotice(ctx, w.coord, r.ID, vmt.NoticeInput{})
			must(t, err)
			wantNames := map[string]string{"cve-2026-1234-master-agent.patch": forMaster, "cve-2026-1234-stable-1-agent.patch": forStable}
			if got := pv.Patches.Names(); !slices.Equal(got, []string{"cve-2026-1234-master-agent.patch", "cve-2026-1234-stable-1-agent.patch"}) ||
				!slices.Equal(pv.Patches.Without, []string{"stable-2"}) {
				t.Fatalf("preview patches %v, without %v", got, pv.Patches.Without)
			}
			for _, a := range pv.Patches.Attached {
				if a.Data != nil || a.Bytes != len(wantNames[a.Name]) {
					t.Errorf("preview attachment %s: %d bytes (data %d), want %d and no data", a.Name, a.Bytes, len(a.Data), len(wantNames[a.Name]))
				}
			}
			if len(w.srv.Messages()) != 0 {
				t.Fatal("the preview sent mail")
			}
			if items, err := w.svc.Outbox(ctx, w.coord, r.ID); err != nil || len(items) != 0 {
				t.Fatalf("the preview enqueued %d items, %v", len(items), err)
			}

			res, err := w.svc.SendNotice(ctx, w.coord, r.ID)
			must(t, err)
			if n, err := w.worker(w.svc).Deliver(ctx); err != nil || n != 3 {
				t.Fatalf("delivered %d, %v; want 3", n, err)
			}
			sent := map[string][]byte{}
			for _, m := range w.srv.Messages() {
				sent[strings.Join(m.To, ",")] = m.Data
			}
			var previewed []string
			for _, pm := range pv.Mails {
				previewed = append(previewed, pm.Recipient)
			}
			if !slices.Equal(previewed, res.Recipients) || len(sent) != len(pv.Mails) {
				t.Fatalf("previewed %v, sent to %v (%d mails)", previewed, res.Recipients, len(sent))
			}

			g := newGnuPG(t)
			g.run(armored(t, w.signer, false), "--import")
			keyOf := map[string][]byte{"distro@distro.example": armored(t, distro, true), "cloud@distro.example": armored(t, cloud, true)}
			for _, pm := range pv.Mails {
				to := strings.Join(pm.To, ",")
				data, ok := sent[to]
				if !ok {
					t.Errorf("%s: previewed for %s, nothing sent there", pm.Recipient, to)
					continue
				}
				h, parts := rawParts(t, data)
				if s := h.Get("Subject"); s != pm.Subject {
					t.Errorf("%s: subject %q, previewed %q", to, s, pm.Subject)
				}
				var entity []byte
				if pm.Encrypted {
					if pm.Fingerprint == "" || keyOf[to] == nil {
						t.Fatalf("%s: encrypted to %q", to, pm.Fingerprint)
					}
					// The other stakeholder's key cannot read it.
					for other, k := range keyOf {
						if other != to {
							g.run(k, "--import")
						}
					}
					if code, _, _ := g.run(bodyOf(t, parts[1]), "--decrypt"); code == 0 {
						t.Errorf("%s: decrypted with another stakeholder's key", to)
					}
					g = newGnuPG(t)
					g.run(armored(t, w.signer, false), "--import")
					g.run(keyOf[to], "--import")
					code, out, status := g.run(bodyOf(t, parts[1]), "--decrypt")
					if code != 0 || !has(status, "DECRYPTION_OKAY") || !has(status, "GOODSIG") {
						t.Fatalf("%s: decrypting: exit %d, status %v", to, code, status)
					}
					entity = out
					g = newGnuPG(t)
					g.run(armored(t, w.signer, false), "--import")
				} else {
					if keyOf[to] != nil || pm.Fingerprint != "" {
						t.Errorf("%s: previewed unencrypted with key %q", to, pm.Fingerprint)
					}
					if mt, _, _ := h.ContentType(); mt != "multipart/signed" {
						t.Errorf("%s: %s, previewed signed only", to, mt)
					}
					code, _, status := g.run(parts[0], "--verify", g.file(bodyOf(t, parts[1])), "-")
					if code != 0 || !has(status, "GOODSIG") {
						t.Fatalf("%s: verify exit %d, status %v", to, code, status)
					}
					entity = parts[0]
				}
				// The signed (and encrypted) entity is the whole
				// multipart/mixed: the text and the patches inside it.
				if ent, err := message.Read(bytes.NewReader(entity)); err != nil {
					t.Fatalf("%s: %v", to, err)
				} else if mt, _, _ := ent.Header.ContentType(); mt != "multipart/mixed" {
					t.Errorf("%s: the signed entity is %s, want multipart/mixed", to, mt)
				}
				ls := leaves(t, entity)
				if len(ls) != 3 || ls[0].contentType != "text/plain" {
					t.Fatalf("%s: %d parts, want the text and 2 patches", to, len(ls))
				}
				text := strings.ReplaceAll(string(ls[0].body), "\r\n", "\n")
				if text != pm.Body {
					t.Errorf("%s: the text differs from the preview:\n%s", to, text)
				}
				for _, want := range []string{"  cve-2026-1234-master-agent.patch\n", "  cve-2026-1234-stable-1-agent.patch\n",
					"No approved patch is attached for stable-2.\n"} {
					if !strings.Contains(text, want) {
						t.Errorf("%s: the text lacks %q", to, want)
					}
				}
				var names []string
				for i, p := range ls[1:] {
					names = append(names, p.filename)
					if want, ok := wantNames[p.filename]; !ok || string(p.body) != want || p.contentType != "text/x-diff" {
						t.Errorf("%s: attachment %q (%s) does not hold its branch's approved series", to, p.filename, p.contentType)
					}
					if pm.Attachments[i].Name != p.filename || pm.Attachments[i].Bytes != len(p.body) {
						t.Errorf("%s: attachment %d is %s of %d bytes, previewed %+v", to, i, p.filename, len(p.body), pm.Attachments[i])
					}
				}
				if !slices.Equal(names, pv.Patches.Names()) {
					t.Errorf("%s: attachments %v, previewed %v", to, names, pv.Patches.Names())
				}
			}
		})
	}
}
