package jobs_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/vmtproject/vmt"
)

// BenchmarkNoticeWorker1000 is the whole path of a notice to 1,000 keyed
// stakeholders on SQLite: SendNotice (date, template, 1,000 outbox rows in
// one transaction) and the worker's delivery (sign, encrypt to each key,
// SMTP with STARTTLS and AUTH, each row marked done and audited). The
// pgpmail benchmark puts the signing and encryption beside gpg's.
func BenchmarkNoticeWorker1000(b *testing.B) {
	w := newWorld(b, "sqlite")
	ctx := context.Background()
	for i := range 1000 {
		e := newEntity(b, fmt.Sprintf("Org%04d", i))
		_, err := w.svc.CreateStakeholder(ctx, w.coord, vmt.StakeholderInput{Organisation: fmt.Sprintf("Org%04d", i),
			Contacts: []string{fmt.Sprintf("sec%04d@org.example", i)}, PublicKey: string(armored(b, e, false))})
		must(b, err)
	}
	wk := w.worker(w.svc)
	wk.Batch = 100
	b.ResetTimer()
	for n := 0; b.Loop(); n++ {
		b.StopTimer()
		r := w.readyReport(fmt.Sprintf("Report %d", n))
		b.StartTimer()
		if _, err := w.svc.SendNotice(ctx, w.coord, r.ID); err != nil {
			b.Fatal(err)
		}
		sent, err := wk.Deliver(ctx)
		if err != nil || sent != 1000 {
			b.Fatalf("delivered %d, %v", sent, err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N)/1000, "ms/mail")
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
