package jobs_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/imap"
	"github.com/vmtproject/vmt/imap/imaptest"
	"github.com/vmtproject/vmt/jobs"
	"github.com/vmtproject/vmt/sqldb/sqldbtest"
)

func show(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// gpgAt runs gpg at the keys' time: the world's clock is earlier than
// today, and a key or signature made after it would not be valid yet.
func (g *gnupg) gpgAt(stdin []byte, args ...string) (int, []byte, []string) {
	return g.run(stdin, append([]string{"--faked-system-time", keysMade.Format("20060102T150405") + "!", "--trust-model", "always"}, args...)...)
}

// reporterMail is a report as a GnuPG user sends it: PGP/MIME (RFC 3156),
// the text, a proof of concept and the sender's key, signed and encrypted
// to the intake key by gpg.
func reporterMail(t *testing.T, g *gnupg, id, subject string, poc []byte, key []byte) []byte {
	t.Helper()
	inner := "Content-Type: multipart/mixed; boundary=\"inner\"\r\n\r\n" +
		"--inner\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nThe agent overflows its buffer on a long name.\r\nSee the attached proof.\r\n" +
		"--inner\r\nContent-Type: text/x-csrc\r\nContent-Disposition: attachment; filename=\"../poc exploit.c\"\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
		base64.StdEncoding.EncodeToString(poc) + "\r\n" +
		"--inner\r\nContent-Type: application/pgp-keys\r\nContent-Disposition: attachment; filename=\"key.asc\"\r\n\r\n" + string(key) + "\r\n" +
		"--inner--\r\n"
	code, cipher, _ := g.gpgAt([]byte(inner), "--armor", "--encrypt", "--sign", "-u", "rita@example.net", "-r", "intake@example.org")
	if code != 0 {
		t.Fatalf("gpg --encrypt --sign: exit %d", code)
	}
	return []byte("From: Rita Reporter <rita@example.net>\r\nTo: security@example.org\r\nSubject: " + subject + "\r\n" +
		"Message-ID: <" + id + ">\r\nDate: Mon, 02 Mar 2026 09:00:00 +0000\r\nMIME-Version: 1.0\r\n" +
		"Content-Type: multipart/encrypted; protocol=\"application/pgp-encrypted\"; boundary=\"outer\"\r\n\r\n" +
		"--outer\r\nContent-Type: application/pgp-encrypted\r\n\r\nVersion: 1\r\n" +
		"--outer\r\nContent-Type: application/octet-stream\r\n\r\n" + string(cipher) + "\r\n--outer--\r\n")
}

// End to end with a real Dovecot, GnuPG and SMTP server: an encrypted
// report mailed to the intake mailbox becomes a private report with its
// attachment and recorded signature; the reply decrypts with the
// reporter's key in gpg and its one-time link sets a password, signs in
// and proves the address; a second round and two instances at once file
// nothing twice; a malformed message is kept, listed for the VMT and
// left unseen.
func TestIntakeEndToEnd(t *testing.T) {
	for _, engine := range sqldbtest.Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			w := newWorld(t, engine)
			srv := imaptest.Start(t)
			g := newGnuPG(t)

			// The project's intake key, in a file the server reads.
			intakeKey := newEntity(t, "Intake")
			dir := t.TempDir()
			keyFile, pwFile := filepath.Join(dir, "intake.asc"), filepath.Join(dir, "imap-password")
			must(t, os.WriteFile(keyFile, armored(t, intakeKey, true), 0o600))
			must(t, os.WriteFile(pwFile, []byte(srv.Password+"\n"), 0o600))
			set := vmt.IntakeSettings{Enabled: true, Addr: srv.Addr, Security: vmt.IntakePlain, User: srv.User,
				PasswordRef: "file:" + pwFile, Folder: "INBOX", KeyRef: "file:" + keyFile}
			if _, err := w.svc.SetIntakeSettings(ctx, w.coord, "p", set); vmt.ErrorCode(err) != vmt.EFORBIDDEN {
				t.Fatalf("the VMT set where the server reads its secrets: %v", err)
			}
			_, err := w.svc.SetIntakeSettings(ctx, w.admin, "p", set)
			must(t, err)

			// The reporter's key, made by gpg, which also knows the
			// intake key and the VMT's.
			if code, _, _ := g.gpgAt(nil, "--quick-gen-key", "Rita Reporter <rita@example.net>", "future-default", "default", "never"); code != 0 {
				t.Fatal("gpg --quick-gen-key failed")
			}
			_, ritaKey, _ := g.run(nil, "--armor", "--export", "rita@example.net")
			_, fpr, _ := g.run(nil, "--with-colons", "--fingerprint", "rita@example.net")
			ritaFpr := regexp.MustCompile(`(?m)^fpr:+([0-9A-F]{40}):`).FindSubmatch(fpr)[1]
			g.run(armored(t, intakeKey, false), "--import")
			g.run(armored(t, w.signer, false), "--import")

			poc := []byte("int main(void) { char b[8]; strcpy(b, \"AAAAAAAAAAAAAAAA\"); }\n")
			srv.Deliver(t, reporterMail(t, g, "report-1@example.net", "Buffer overflow in the agent", poc, ritaKey))
			// Malformed: encrypted, but not to any key we hold (the
			// ciphertext is garbage).
			srv.Deliver(t, []byte("From: x@example.net\r\nSubject: broken\r\nMessage-ID: <bad-1@example.net>\r\nMIME-Version: 1.0\r\n"+
				"Content-Type: multipart/encrypted; protocol=\"application/pgp-encrypted\"; boundary=\"b\"\r\n\r\n"+
				"--b\r\nContent-Type: application/pgp-encrypted\r\n\r\nVersion: 1\r\n--b\r\nContent-Type: application/octet-stream\r\n\r\n"+
				"-----BEGIN PGP MESSAGE-----\r\n\r\nbm90IGEgbWVzc2FnZQ==\r\n-----END PGP MESSAGE-----\r\n--b--\r\n"))

			// Too large for this intake's limit: kept, never fetched.
			srv.Deliver(t, []byte("From: big@example.net\r\nSubject: huge\r\nMessage-ID: <big-1@example.net>\r\n\r\n"+
				strings.Repeat("A long line of a very large report that nobody should have to fetch.\r\n", 3000)))

			in := &jobs.Intake{Service: w.svc, Open: imap.Open, Log: sqldbtest.Logger(t), MaxBytes: 100 << 10}
			n, err := in.Round(ctx)
			must(t, err)
			if n != 1 {
				t.Fatalf("first round filed %d, want 1", n)
			}
			if seen := srv.Seen(t); !seen["report-1@example.net"] || seen["bad-1@example.net"] || seen["big-1@example.net"] {
				t.Fatalf("seen after the first round: %v (want the report's, not the broken or the large one)", seen)
			}

			// The report: private, its title, text and attachment, the
			// reporter a new account with the address unproven.
			var rec *vmt.IntakeRecord
			var r *vmt.Report
			var rita *vmt.User
			var atts []*vmt.ReportAttachment
			must(t, w.store.View(ctx, func(tx vmt.Tx) (err error) {
				if rec, err = tx.IntakeRecord(w.project.ID, "report-1@example.net"); err != nil {
					return err
				}
				if r, err = tx.Report(rec.ReportID); err != nil {
					return err
				}
				if rita, err = tx.User(r.ReporterID); err != nil {
					return err
				}
				atts, err = tx.ReportAttachments(r.ID)
				return err
			}))
			if r.Visibility != vmt.Private || r.Title != "Buffer overflow in the agent" || !strings.Contains(r.Description, "The agent overflows its buffer") ||
				!strings.Contains(r.Description, "good signature by "+string(ritaFpr)) || r.Reminder == "" {
				t.Errorf("report: %+v", r)
			}
			if rita.Email != "rita@example.net" || rita.EmailVerifiedAt != nil || rita.PasswordHash != "" || rita.Role != vmt.RoleReporter {
				t.Errorf("reporter: %+v", rita)
			}
			if !rec.Encrypted || rec.Signature.State != vmt.SigValid || rec.Signature.Fingerprint != string(ritaFpr) {
				t.Errorf("intake record: %+v, want encrypted and a valid signature by %s", rec, ritaFpr)
			}
			if len(atts) != 1 || atts[0].Name != "poc_exploit.c" || atts[0].ContentType != "text/x-csrc" || !bytes.Equal(atts[0].Data, poc) {
				t.Errorf("attachments: %+v", atts)
			}
			// Read through the service: the VMT sees the attachment, a
			// stranger does not.
			if got, err := w.svc.ReportAttachments(ctx, w.coord, r.ID); err != nil || len(got) != 1 {
				t.Errorf("the VMT's attachments: %v, %v", got, err)
			}
			stranger, err := w.svc.CreateUser(ctx, w.admin, vmt.UserInput{Email: "eve@example.org", Role: vmt.RoleReporter})
			must(t, err)
			if _, err := w.svc.ReportAttachments(ctx, vmt.Actor{User: stranger}, r.ID); err == nil {
				t.Error("a stranger read a private report's attachments")
			}

			// The failure, listed for the VMT only.
			fs, err := w.svc.IntakeFailures(ctx, w.coord, "p")
			must(t, err)
			failures := map[string]*vmt.IntakeFailure{}
			for _, f := range fs {
				failures[f.Key] = f
			}
			if bad, big := failures["bad-1@example.net"], failures["big-1@example.net"]; len(fs) != 2 || bad == nil || big == nil ||
				bad.Attempts != 1 || !strings.Contains(bad.Reason, "decrypt") || bad.From != "x@example.net" || bad.Subject != "broken" ||
				!strings.Contains(big.Reason, "more than the limit of 102400") || big.Size <= 100<<10 {
				t.Fatalf("failures: %s", show(fs))
			}
			if _, err := w.svc.IntakeFailures(ctx, vmt.Actor{User: stranger}, "p"); vmt.ErrorCode(err) != vmt.EFORBIDDEN {
				t.Errorf("a stranger listed the failures: %v", err)
			}

			// A second round (a restart) files nothing again; the
			// broken message is tried again and stays unseen.
			if n, err := in.Round(ctx); err != nil || n != 0 {
				t.Fatalf("second round: filed %d, %v", n, err)
			}
			fs, _ = w.svc.IntakeFailures(ctx, w.coord, "p")
			if len(fs) != 2 || fs[0].Attempts != 2 || fs[1].Attempts != 2 {
				t.Errorf("failures after the second round: %s", show(fs))
			}

			// Two instances, each on its own store handle, at once, on
			// a new message: filed once.
			srv.Deliver(t, reporterMail(t, g, "report-2@example.net", "Second finding", poc, ritaKey))
			var wg sync.WaitGroup
			total := make([]int, 2)
			for i := range 2 {
				other := &jobs.Intake{Service: w.service(w.open()), Open: imap.Open, Log: sqldbtest.Logger(t), MaxBytes: 100 << 10}
				wg.Add(1)
				go func() {
					defer wg.Done()
					n, err := other.Round(ctx)
					if err != nil {
						t.Errorf("instance %d: %v", i, err)
					}
					total[i] = n
				}()
			}
			wg.Wait()
			if total[0]+total[1] != 1 {
				t.Errorf("two instances filed %v, want 1 in all", total)
			}
			var count int
			must(t, w.store.View(ctx, func(tx vmt.Tx) error {
				rs, _, err := tx.Reports(vmt.ReportFilter{Viewer: vmt.Viewer{Admin: true}, ReporterID: rita.ID, Limit: 100})
				count = len(rs)
				return err
			}))
			if count != 2 {
				t.Errorf("rita has %d reports, want 2", count)
			}

			// The replies go out; the first decrypts with Rita's key in
			// gpg, signed by the VMT, with the link and the reminder.
			_, err = w.worker(w.svc).Deliver(ctx)
			must(t, err)
			// Rita has a reply for each report, each decrypting with
			// her key; each new one made a new link and ended the one
			// before (only the newest works, as for invitations).
			var texts []string
			for _, m := range w.srv.Messages() {
				if len(m.To) != 1 || m.To[0] != "rita@example.net" {
					continue
				}
				if !bytes.Contains(m.Data, []byte("multipart/encrypted")) {
					t.Fatalf("a reply is not encrypted:\n%s", m.Data)
				}
				block := regexp.MustCompile(`(?s)-----BEGIN PGP MESSAGE-----.*?-----END PGP MESSAGE-----`).Find(m.Data)
				code, plain, status := g.run(block, "--decrypt")
				if code != 0 || !has(status, "DECRYPTION_OKAY") || !has(status, "GOODSIG") {
					t.Fatalf("gpg --decrypt of a reply: exit %d, %v", code, status)
				}
				texts = append(texts, textOf(t, plain))
			}
			if len(texts) != 2 {
				t.Fatalf("%d replies to rita, want 2", len(texts))
			}
			text := texts[0]
			if !strings.Contains(text, fmt.Sprintf("report #%d", r.ID)) || !strings.Contains(text, fmt.Sprintf("/reports/%d", r.ID)) ||
				!strings.Contains(text, "Buffer overflow in the agent") || !strings.Contains(text, strings.TrimSpace(r.Reminder)) || !strings.Contains(text, "/projects/p/policy") {
				t.Errorf("reply text lacks the number, the link, the title or the reminder:\n%s", text)
			}
			linkRE := regexp.MustCompile(`token=(vmtl_[a-z0-9]+)`)
			first, token := linkRE.FindStringSubmatch(text), linkRE.FindStringSubmatch(texts[1])
			if first == nil || token == nil {
				t.Fatalf("no one-time link in the replies:\n%s", texts)
			}
			if _, err := w.svc.SetPasswordByLink(ctx, first[1], "a long enough password"); vmt.ErrorCode(err) != vmt.EINVALID {
				t.Errorf("the link of the first reply still works after the second: %v", err)
			}

			// The link sets a password and signs Rita in, proving the
			// address; she sees her report. It works once.
			a, err := w.svc.SetPasswordByLink(ctx, token[1], "a long enough password")
			must(t, err)
			if a.User.ID != rita.ID || a.User.EmailVerifiedAt == nil {
				t.Errorf("after the link: %+v, want rita with her address proven", a.User)
			}
			if v, err := w.svc.Report(ctx, a, r.ID); err != nil || v.Title != r.Title {
				t.Errorf("rita reads her report: %v", err)
			}
			if _, err := w.svc.SetPasswordByLink(ctx, token[1], "another long password"); vmt.ErrorCode(err) != vmt.EINVALID {
				t.Errorf("the link worked twice: %v", err)
			}
		})
	}
}
