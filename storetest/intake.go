package storetest

import (
	"bytes"
	"testing"

	"github.com/vmtproject/vmt"
)

// testIntake: settings are stored whole and replaced, only the enabled
// ones are listed; a message is recorded once per project (the second
// record is ECONFLICT, another project's is not); a failure is kept once
// per key, counting its attempts, and removed by key; a report's
// attachments come back with their bytes, in order.
func testIntake(t *testing.T, st vmt.Store) {
	var p, q *vmt.Project
	var r *vmt.Report
	update(t, st, func(tx vmt.Tx) error {
		u := mkUser(t, tx, "rita@example.org", vmt.RoleReporter)
		p, q = mkProject(t, tx, "p"), mkProject(t, tx, "q")
		r = mkReport(t, tx, p.ID, u.ID, vmt.Private, t0)
		return nil
	})
	on := &vmt.IntakeSettings{ProjectID: p.ID, Enabled: true, Addr: "imap.example.org:993", Security: vmt.IntakeTLS,
		User: "security", PasswordRef: "env:PW", Folder: "INBOX", KeyRef: "file:/etc/key.asc", PassphraseRef: "env:PP"}
	off := &vmt.IntakeSettings{ProjectID: q.ID, Folder: "INBOX"}
	update(t, st, func(tx vmt.Tx) error {
		_, err := tx.IntakeSettings(p.ID)
		wantCode(t, "IntakeSettings(none)", err, vmt.ENOTFOUND)
		must(t, tx.SetIntakeSettings(&vmt.IntakeSettings{ProjectID: p.ID, Folder: "Old"}))
		must(t, tx.SetIntakeSettings(on))
		must(t, tx.SetIntakeSettings(off))
		return nil
	})
	rec := &vmt.IntakeRecord{ProjectID: p.ID, MessageID: "m1@example.org", ReportID: r.ID, From: "rita@example.org", Encrypted: true,
		Signature: vmt.IntakeSignature{State: vmt.SigValid, Fingerprint: "ABCD", KeyID: "0123456789ABCDEF"}, FiledAt: at(1)}
	update(t, st, func(tx vmt.Tx) error {
		must(t, tx.CreateIntakeRecord(rec))
		wantCode(t, "CreateIntakeRecord(again)", tx.CreateIntakeRecord(&vmt.IntakeRecord{ProjectID: p.ID, MessageID: "m1@example.org",
			ReportID: r.ID, From: "x@example.org", Signature: vmt.IntakeSignature{State: vmt.SigNone}, FiledAt: at(2)}), vmt.ECONFLICT)
		// The same Message-ID sent to another project is its own.
		must(t, tx.CreateIntakeRecord(&vmt.IntakeRecord{ProjectID: q.ID, MessageID: "m1@example.org", ReportID: r.ID,
			From: "rita@example.org", Signature: vmt.IntakeSignature{State: vmt.SigNone}, FiledAt: at(2)}))
		f := &vmt.IntakeFailure{ProjectID: p.ID, Key: "bad@example.org", From: "x@example.org", Subject: "s", Size: 10, Reason: "first", LastAt: at(3)}
		must(t, tx.RecordIntakeFailure(f))
		if f.ID == 0 || f.Attempts != 1 || !f.FirstAt.Equal(at(3)) {
			t.Errorf("first failure: %+v", f)
		}
		g := &vmt.IntakeFailure{ProjectID: p.ID, Key: "bad@example.org", From: "x@example.org", Subject: "s", Size: 10, Reason: "second", LastAt: at(4)}
		must(t, tx.RecordIntakeFailure(g))
		if g.ID != f.ID || g.Attempts != 2 || !g.FirstAt.Equal(at(3)) || !g.LastAt.Equal(at(4)) || g.Reason != "second" {
			t.Errorf("second attempt: %+v", g)
		}
		must(t, tx.RecordIntakeFailure(&vmt.IntakeFailure{ProjectID: p.ID, Key: "gone@example.org", Reason: "r", LastAt: at(5)}))
		must(t, tx.DeleteIntakeFailure(p.ID, "gone@example.org"))
		must(t, tx.DeleteIntakeFailure(p.ID, "never@example.org"))
		for _, a := range []*vmt.ReportAttachment{
			{ReportID: r.ID, Name: "poc.c", ContentType: "text/x-csrc", Data: []byte("int main;"), CreatedAt: at(6)},
			{ReportID: r.ID, Name: "bin", ContentType: "application/octet-stream", Data: []byte{0, 1, 2, 255}, CreatedAt: at(6)},
		} {
			must(t, tx.AddReportAttachment(a))
			if a.ID == 0 || a.Size != int64(len(a.Data)) {
				t.Errorf("attachment not set: %+v", a)
			}
		}
		return nil
	})
	view(t, st, func(tx vmt.Tx) error {
		got, err := tx.IntakeSettings(p.ID)
		must(t, err)
		same(t, "IntakeSettings", got, on)
		en, err := tx.EnabledIntakes()
		must(t, err)
		if len(en) != 1 || en[0].ProjectID != p.ID {
			t.Errorf("EnabledIntakes: %v", show(en))
		}
		gr, err := tx.IntakeRecord(p.ID, "m1@example.org")
		must(t, err)
		same(t, "IntakeRecord", gr, rec)
		_, err = tx.IntakeRecord(p.ID, "m2@example.org")
		wantCode(t, "IntakeRecord(unknown)", err, vmt.ENOTFOUND)
		fs, err := tx.IntakeFailures(p.ID)
		must(t, err)
		if len(fs) != 1 || fs[0].Key != "bad@example.org" || fs[0].Attempts != 2 {
			t.Errorf("IntakeFailures: %v", show(fs))
		}
		if fs, _ := tx.IntakeFailures(q.ID); len(fs) != 0 {
			t.Errorf("another project's failures: %v", show(fs))
		}
		as, err := tx.ReportAttachments(r.ID)
		must(t, err)
		if len(as) != 2 || as[0].Name != "poc.c" || !bytes.Equal(as[1].Data, []byte{0, 1, 2, 255}) || as[1].Size != 4 || !as[0].CreatedAt.Equal(at(6)) {
			t.Errorf("ReportAttachments: %v", show(as))
		}
		return nil
	})
}
