package jobs_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/vmtproject/vmt"
)

// gpgSample is how many recipients the gpg loop beside the benchmark signs
// and encrypts to: one gpg process each, so its cost a recipient does not
// depend on how many, and a sample keeps the run short.
const gpgSample = 200

// BenchmarkNoticeWorker1000 is the whole path of a notice to 1,000 keyed
// stakeholders, on each engine: SendNotice (date, template, the keys
// checked, 1,000 outbox rows in one transaction) and the worker's delivery
// (each key parsed and checked, sign, encrypt to it, SMTP with STARTTLS and
// AUTH, each row marked done and audited). Beside it, in the same run, the
// gpg binary signs and encrypts the notice's text to the stakeholders' keys
// one process per recipient, as a coordinator's script would (gpg does no
// MIME, no delivery and no bookkeeping, which favours gpg); both are
// printed in ms a recipient.
//
//	go test -run '^$' -bench NoticeWorker1000 -benchtime 1x ./jobs/
func BenchmarkNoticeWorker1000(b *testing.B) {
	for _, engine := range []string{"sqlite", "postgres"} {
		b.Run(engine, func(b *testing.B) { benchNoticeWorker(b, engine) })
	}
}

func benchNoticeWorker(b *testing.B, engine string) {
	const recipients = 1000
	w := newWorld(b, engine)
	ctx := context.Background()
	ents := make([]*openpgp.Entity, recipients)
	for i := range recipients {
		ents[i] = newEntity(b, fmt.Sprintf("Org%04d", i))
		_, err := w.svc.CreateStakeholder(ctx, w.coord, vmt.StakeholderInput{Organisation: fmt.Sprintf("Org%04d", i),
			Contacts: []string{fmt.Sprintf("sec%04d@org.example", i)}, PublicKey: string(armored(b, ents[i], false))})
		must(b, err)
	}
	wk := w.worker(w.svc)
	wk.Batch = 100
	var vmtTime time.Duration
	b.ResetTimer()
	for n := 0; b.Loop(); n++ {
		b.StopTimer()
		r := w.readyReport(fmt.Sprintf("Report %d", n))
		b.StartTimer()
		start := time.Now()
		if _, err := w.svc.SendNotice(ctx, w.coord, r.ID); err != nil {
			b.Fatal(err)
		}
		sent, err := wk.Deliver(ctx)
		if err != nil || sent != recipients {
			b.Fatalf("delivered %d, %v", sent, err)
		}
		vmtTime += time.Since(start)
	}
	b.StopTimer()
	gpgTime := gpgLoop(b, w.signer, ents[:gpgSample], w.srv.Messages()[0].Data)
	vmtMS := float64(vmtTime.Microseconds()) / 1000 / float64(b.N*recipients)
	gpgMS := float64(gpgTime.Microseconds()) / 1000 / gpgSample
	b.ReportMetric(vmtMS, "vmt-ms/recipient")
	b.ReportMetric(gpgMS, "gpg-ms/recipient")
	b.ReportMetric(gpgMS/vmtMS, "speedup")
	b.ReportMetric(0, "ns/op")
}

// gpgLoop signs with signer and encrypts text to each of to with the gpg
// binary, one process a recipient, and returns the time the loop took.
func gpgLoop(b *testing.B, signer *openpgp.Entity, to []*openpgp.Entity, text []byte) time.Duration {
	g := newGnuPG(b)
	var keys bytes.Buffer
	for _, e := range to {
		keys.Write(armored(b, e, false))
		keys.WriteString("\n")
	}
	for _, in := range [][]byte{armored(b, signer, true), keys.Bytes()} {
		if code, _, _ := g.run(in, "--import"); code != 0 {
			b.Fatalf("gpg --import: exit %d", code)
		}
	}
	signerFpr := fmt.Sprintf("%X", signer.PrimaryKey.Fingerprint)
	start := time.Now()
	for _, e := range to {
		code, out, _ := g.run(text, "--trust-model", "always", "--local-user", signerFpr,
			"--recipient", fmt.Sprintf("%X", e.PrimaryKey.Fingerprint), "--armor", "--sign", "--encrypt")
		if code != 0 || !bytes.HasPrefix(out, []byte("-----BEGIN PGP MESSAGE-----")) {
			b.Fatalf("gpg --sign --encrypt: exit %d, wrote %q", code, out[:min(len(out), 40)])
		}
	}
	return time.Since(start)
}

// BenchmarkNoticeMailWithPatches builds one notice mail to a keyed
// stakeholder with two 64 KiB patch series attached (the signed entity is
// a multipart/mixed, encrypted to the key), and beside it, in the same
// run, the anchor: the same mail with no attachment, as notices were
// before they carried their patches. What the patches cost each mail is
// the difference.
//
//	go test -run '^$' -bench NoticeMailWithPatches ./jobs/
func BenchmarkNoticeMailWithPatches(b *testing.B) {
	w := newWorld(b, "sqlite")
	key := newEntity(b, "Distro")
	series := make([]byte, 64<<10)
	for i := range series {
		series[i] = "+- abcdefghij\n"[i%14]
	}
	mailOf := func(attached []vmt.NoticeAttachment) *vmt.OutboxItem {
		m := vmt.NoticeMail{ReportID: 1, Recipient: "stakeholder:1", To: []string{"sec@distro.example"}, PublicKey: string(armored(b, key, false)),
			Subject: "[pre-PSA] Vulnerability in p agent (CVE-2026-1234)", Body: strings.Repeat("The notice text.\n", 60),
			Disclosure: w.clock.Now().Add(72 * time.Hour), Attachments: attached}
		p, err := json.Marshal(m)
		must(b, err)
		return &vmt.OutboxItem{Key: "notice:1:stakeholder:1", Kind: vmt.KindNotice, Payload: p}
	}
	r := &vmt.Report{ID: 1, CVEs: []string{"CVE-2026-1234"}}
	with := mailOf([]vmt.NoticeAttachment{
		vmt.NewNoticeAttachment(r, &vmt.Fix{ID: 1, Branch: "master"}, "agent", series),
		vmt.NewNoticeAttachment(r, &vmt.Fix{ID: 2, Branch: "stable-1"}, "agent", series),
	})
	without := mailOf(nil)
	var withTime, withoutTime time.Duration
	var withBytes, withoutBytes int
	for b.Loop() {
		start := time.Now()
		out, _, err := w.mailer.Build(with, w.clock.Now())
		must(b, err)
		withTime += time.Since(start)
		withBytes = len(out)
		start = time.Now()
		out, _, err = w.mailer.Build(without, w.clock.Now())
		must(b, err)
		withoutTime += time.Since(start)
		withoutBytes = len(out)
	}
	n := float64(b.N)
	b.ReportMetric(withTime.Seconds()*1000/n, "ms/mail-with-patches")
	b.ReportMetric(withoutTime.Seconds()*1000/n, "ms/mail-text-only")
	b.ReportMetric(float64(withBytes)/1024, "KiB/mail-with-patches")
	b.ReportMetric(float64(withoutBytes)/1024, "KiB/mail-text-only")
}
