package jobs_test

import (
	"context"
	"fmt"
	"testing"

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
