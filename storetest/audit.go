package storetest

import (
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/vmtproject/vmt"
)

func event(action string, projectID, reportID int64, before, after string) *vmt.AuditEvent {
	e := &vmt.AuditEvent{At: t0, ActorID: 7, Action: action, ProjectID: projectID, ReportID: reportID,
		Subject: fmt.Sprintf("report:%d", reportID)}
	if before != "" {
		e.Before = json.RawMessage(before)
	}
	if after != "" {
		e.After = json.RawMessage(after)
	}
	return e
}

// later returns e, made d after t0.
func later(e *vmt.AuditEvent, d time.Duration) *vmt.AuditEvent {
	e.At = t0.Add(d)
	return e
}

// by returns e, done by user actor.
func by(e *vmt.AuditEvent, actor int64) *vmt.AuditEvent {
	e.ActorID = actor
	return e
}

// appendEvents appends es in one transaction.
func appendEvents(t *testing.T, st vmt.Store, es ...*vmt.AuditEvent) {
	t.Helper()
	update(t, st, func(tx vmt.Tx) error {
		for _, e := range es {
			must(t, tx.AppendAudit(e))
		}
		return nil
	})
}

// auditLog collects st.AuditLog.
func auditLog(t *testing.T, st vmt.Store) []*vmt.AuditEvent {
	t.Helper()
	out := []*vmt.AuditEvent{}
	for e, err := range st.AuditLog(t.Context()) {
		must(t, err)
		out = append(out, e)
	}
	return out
}

// verify checks the chains from the store's log and heads and returns
// the log's length.
func verify(t *testing.T, st vmt.Store) int64 {
	t.Helper()
	heads, err := st.AuditHeads(t.Context())
	must(t, err)
	n, err := vmt.VerifyChain(st.AuditLog(t.Context()), heads)
	if err != nil {
		t.Fatalf("VerifyChain: %v", err)
	}
	var sum int64
	for _, h := range heads {
		sum += h.Pos
	}
	if sum != n {
		t.Errorf("heads hold %d events, log has %d", sum, n)
	}
	return n
}

func testAuditEmpty(t *testing.T, st vmt.Store) {
	heads, err := st.AuditHeads(t.Context())
	must(t, err)
	// Chain 0, closed, and the chains new events go to.
	same(t, "chain heads", len(heads), 17)
	for i, h := range heads {
		if h.Chain != i || h.Pos != 0 || h.Hash != vmt.GenesisHash {
			t.Errorf("head %d of an empty log = %+v, want chain %d at 0 with the genesis hash", i, h, i)
		}
	}
	same(t, "AuditLog of an empty log", auditLog(t, st), []*vmt.AuditEvent{})
	same(t, "chain length", verify(t, st), int64(0))
	view(t, st, func(tx vmt.Tx) error {
		es, err := tx.AuditEvents(vmt.AuditFilter{})
		must(t, err)
		same(t, "AuditEvents of an empty log", es, []*vmt.AuditEvent{})
		return nil
	})
}

func testAuditAppend(t *testing.T, st vmt.Store) {
	// Snapshots come back byte for byte, odd spacing and escapes included:
	// the hashes cover their bytes.
	e1 := event(vmt.AuditReportCreate, 1, 2, "", `{"b":1,  "a" : [1, 2.50],"s":"\u00e9\n"}`)
	e2 := event(vmt.AuditReportUpdate, 1, 2, `{"title":"old"}`, `{"title":"néw ✓"}`)
	e2.At, e2.ActorID = at(1), 0
	e3 := event(vmt.AuditUserCreate, 0, 0, "", "")
	e3.Before, e3.Subject = json.RawMessage{}, "user:3" // empty reads back as nil and hashes the same
	appendEvents(t, st, e1, e2)
	appendEvents(t, st, e3)

	// One transaction's events follow one another in one chain; the next
	// transaction's go on that chain or start another.
	if e1.Chain < 1 || e2.Chain != e1.Chain {
		t.Errorf("one transaction's events in chains %d and %d", e1.Chain, e2.Chain)
	}
	prev3, pos3 := vmt.GenesisHash, int64(1)
	if e3.Chain == e1.Chain {
		prev3, pos3 = e2.Hash, 3
	}
	for i, w := range []struct {
		e    *vmt.AuditEvent
		pos  int64
		prev string
	}{{e1, 1, vmt.GenesisHash}, {e2, 2, e1.Hash}, {e3, pos3, prev3}} {
		e := w.e
		if e.Seq != int64(i+1) || e.ChainSeq != w.pos || e.PrevHash != w.prev || e.Hash != vmt.ChainHash(e, w.prev) {
			t.Errorf("event %d sealed as seq %d position %d prev %.8s hash %.8s", i+1, e.Seq, e.ChainSeq, e.PrevHash, e.Hash)
		}
	}
	e3.Before = nil
	want := []*vmt.AuditEvent{e1, e2, e3}
	view(t, st, func(tx vmt.Tx) error {
		es, err := tx.AuditEvents(vmt.AuditFilter{})
		must(t, err)
		same(t, "AuditEvents", es, want)
		return nil
	})
	if e3.Chain < e1.Chain {
		want = []*vmt.AuditEvent{e3, e1, e2}
	}
	same(t, "AuditLog", auditLog(t, st), want)
	heads, err := st.AuditHeads(t.Context())
	must(t, err)
	if h := heads[e3.Chain]; h.Pos != e3.ChainSeq || h.Hash != e3.Hash {
		t.Errorf("head of chain %d = %d %.8s, want %d %.8s", e3.Chain, h.Pos, h.Hash, e3.ChainSeq, e3.Hash)
	}
	same(t, "chain length", verify(t, st), int64(3))
}

// testAuditLogPages appends more events than a store is likely to read at
// once, and checks AuditLog streams them all and stops when asked.
func testAuditLogPages(t *testing.T, st vmt.Store) {
	const batches, perBatch = 5, 469
	for b := range batches {
		var es []*vmt.AuditEvent
		for i := range perBatch {
			es = append(es, event(vmt.AuditReportUpdate, 1, int64(b*perBatch+i), "", `{"n":1}`))
		}
		appendEvents(t, st, es...)
	}
	same(t, "chain length", verify(t, st), int64(batches*perBatch))
	n := 0
	var last *vmt.AuditEvent
	for e, err := range st.AuditLog(t.Context()) {
		must(t, err)
		n++
		if last != nil && (e.Chain < last.Chain || e.Chain == last.Chain && e.ChainSeq != last.ChainSeq+1) {
			t.Fatalf("event %d (chain %d, %d) after (chain %d, %d)", n, e.Chain, e.ChainSeq, last.Chain, last.ChainSeq)
		}
		if last = e; n == 10 {
			break
		}
	}
	same(t, "events read before break", n, 10)
}

func testAuditFilter(t *testing.T, st vmt.Store) {
	const p1, p2, r1, r2, r3 = 11, 12, 101, 102, 103
	appendEvents(t, st,
		event(vmt.AuditReportCreate, p1, r1, "", `{}`),               // 1
		event(vmt.AuditMemberSet, p1, 0, "", `{"user_id":5}`),        // 2
		by(event(vmt.AuditReportUpdate, p1, r2, `{}`, `{}`), 8),      // 3
		event(vmt.AuditMemberSet, p2, 0, "", `{"user_id":6}`),        // 4
		event(vmt.AuditSubscriptionAdd, p1, r1, "", `{"user_id":6}`), // 5
		event(vmt.AuditMemberRemove, p1, 0, `{"user_id":5}`, ""),     // 6
		// The last three are an hour and a day later (Since).
		later(event(vmt.AuditProjectUpdate, p1, 0, `{}`, `{}`), time.Hour),        // 7
		by(later(event(vmt.AuditReportUpdate, p2, r3, `{}`, `{}`), time.Hour), 8), // 8
		later(event(vmt.AuditUserCreate, 0, 0, "", `{}`), 24*time.Hour),           // 9
	)

	tests := []struct {
		name string
		f    vmt.AuditFilter
		want []int64
	}{
		{"all", vmt.AuditFilter{}, []int64{1, 2, 3, 4, 5, 6, 7, 8, 9}},
		{"report", vmt.AuditFilter{ReportID: r1}, []int64{1, 5}},
		{"report and members", vmt.AuditFilter{ReportID: r1, MembersOf: p1}, []int64{1, 2, 5, 6}},
		{"report and members of p2", vmt.AuditFilter{ReportID: r3, MembersOf: p2}, []int64{4, 8}},
		{"after", vmt.AuditFilter{AfterSeq: 5}, []int64{6, 7, 8, 9}},
		{"limit", vmt.AuditFilter{Limit: 3}, []int64{1, 2, 3}},
		{"after and limit", vmt.AuditFilter{AfterSeq: 2, Limit: 2}, []int64{3, 4}},
		{"after the end", vmt.AuditFilter{AfterSeq: 9}, []int64{}},
		{"report, members, after", vmt.AuditFilter{ReportID: r1, MembersOf: p1, AfterSeq: 2}, []int64{5, 6}},
		{"report, members, limit", vmt.AuditFilter{ReportID: r1, MembersOf: p1, Limit: 3}, []int64{1, 2, 5}},
		{"unknown report", vmt.AuditFilter{ReportID: 999}, []int64{}},
		{"actions", vmt.AuditFilter{Actions: []string{vmt.AuditMemberSet, vmt.AuditReportUpdate}}, []int64{2, 3, 4, 8}},
		{"report and actions", vmt.AuditFilter{ReportID: r1, Actions: []string{vmt.AuditSubscriptionAdd}}, []int64{5}},
		{"actions, after, limit", vmt.AuditFilter{Actions: []string{vmt.AuditMemberSet, vmt.AuditReportUpdate}, AfterSeq: 2, Limit: 2}, []int64{3, 4}},
		{"unknown action", vmt.AuditFilter{Actions: []string{"nope"}}, []int64{}},
		{"since", vmt.AuditFilter{Since: t0.Add(time.Hour)}, []int64{7, 8, 9}},
		{"since, between", vmt.AuditFilter{Since: t0.Add(time.Minute)}, []int64{7, 8, 9}},
		{"since and report", vmt.AuditFilter{Since: t0.Add(time.Hour), ReportID: r3}, []int64{8}},
		{"since the last", vmt.AuditFilter{Since: t0.Add(24 * time.Hour)}, []int64{9}},
		{"actor", vmt.AuditFilter{ActorID: 8}, []int64{3, 8}},
		{"actor and since", vmt.AuditFilter{ActorID: 8, Since: t0.Add(time.Minute)}, []int64{8}},
		{"actor and actions", vmt.AuditFilter{ActorID: 7, Actions: []string{vmt.AuditReportUpdate}}, []int64{}},
		{"unknown actor", vmt.AuditFilter{ActorID: 999}, []int64{}},
		{"before", vmt.AuditFilter{BeforeSeq: 3}, []int64{1, 2}},
		{"latest, before", vmt.AuditFilter{Latest: true, BeforeSeq: 7, Limit: 2}, []int64{5, 6}},
		{"latest, actor", vmt.AuditFilter{Latest: true, ActorID: 8, Limit: 1}, []int64{8}},
		{"after and before", vmt.AuditFilter{AfterSeq: 2, BeforeSeq: 5}, []int64{3, 4}},
	}
	for _, tt := range tests {
		view(t, st, func(tx vmt.Tx) error {
			es, err := tx.AuditEvents(tt.f)
			must(t, err)
			seqs := []int64{}
			for _, e := range es {
				seqs = append(seqs, e.Seq)
			}
			same(t, tt.name, seqs, tt.want)
			return nil
		})
	}
}

// testAuditExtentAndLatest checks the filters of the report page: the
// events the disclosure extent reads, as vmt.ExtentReads keeps them, and
// the latest events with their count.
func testAuditExtentAndLatest(t *testing.T, st vmt.Store) {
	const p1, r1 = 11, 101
	public := func(e *vmt.AuditEvent) *vmt.AuditEvent {
		e.After = vmt.AuditSnapshot(map[string]any{"visibility": vmt.Public, "status": "x"})
		return e
	}
	evs := []*vmt.AuditEvent{
		event(vmt.AuditReportCreate, p1, r1, "", `{"visibility":"private"}`),         // kept: an extent action
		event(vmt.AuditCommentAdd, p1, r1, "", `{"body":"visibility public"}`),       // not: a comment
		event(vmt.AuditReportUpdate, p1, r1, `{"a":"1"}`, `{"a":"2"}`),               // not: an edit
		event(vmt.AuditMemberSet, p1, 0, "", `{"user_id":5,"role":"vmt"}`),           // kept, as members-of
		event(vmt.AuditSubscriptionAdd, p1, r1, "", `{"user_id":6}`),                 // kept
		public(event("report.disclose", p1, r1, `{"visibility":"private"}`, "")),     // kept: made public
		event(vmt.AuditReportUpdate, p1, r1, `{"visibility":"public"}`, `{"b":"1"}`), // not: public before, not after
		event(vmt.AuditReportGrantRevoke, p1, r1, `{"user_id":6}`, ""),               // kept
	}
	appendEvents(t, st, evs...)
	view(t, st, func(tx vmt.Tx) error {
		got, err := tx.AuditEvents(vmt.AuditFilter{ReportID: r1, MembersOf: p1, Extent: true})
		must(t, err)
		var want []int64
		for _, e := range evs {
			if vmt.ExtentReads(e) {
				want = append(want, e.Seq)
			}
		}
		same(t, "extent events", seqsOf(got), want)
		same(t, "extent events kept", len(want), 5)

		last, err := tx.AuditEvents(vmt.AuditFilter{ReportID: r1, Limit: 3, Latest: true})
		must(t, err)
		same(t, "latest 3", seqsOf(last), seqsOf([]*vmt.AuditEvent{evs[5], evs[6], evs[7]}))
		n, err := tx.CountAuditEvents(vmt.AuditFilter{ReportID: r1, Limit: 3})
		must(t, err)
		same(t, "count of the report's events", n, 7)
		n, err = tx.CountAuditEvents(vmt.AuditFilter{ReportID: r1, MembersOf: p1, Extent: true})
		must(t, err)
		same(t, "count of the extent's events", n, 5)
		return nil
	})
}

func seqsOf(es []*vmt.AuditEvent) []int64 {
	out := []int64{}
	for _, e := range es {
		out = append(out, e.Seq)
	}
	return out
}

// testAuditConcurrent runs Updates from several goroutines, each appending
// two events: the chains must verify, spread over more than one chain,
// and each Update's events must be adjacent in their chain.
func testAuditConcurrent(t *testing.T, st vmt.Store) {
	const workers, each = 8, 10
	var wg sync.WaitGroup
	errs := make(chan error, workers*each)
	for w := range workers {
		wg.Go(func() {
			for i := range each {
				subject := fmt.Sprintf("user:%d-%d", w, i)
				errs <- st.Update(t.Context(), func(tx vmt.Tx) error {
					u := &vmt.User{Email: fmt.Sprintf("u%d-%d@example.org", w, i), Role: vmt.RoleReporter, CreatedAt: t0}
					if err := tx.CreateUser(u); err != nil {
						return err
					}
					for _, action := range []string{"first", "second"} {
						e := &vmt.AuditEvent{At: t0, Action: action, Subject: subject}
						if err := tx.AppendAudit(e); err != nil {
							return err
						}
					}
					return nil
				})
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		must(t, err)
	}
	same(t, "chain length", verify(t, st), int64(workers*each*2))
	log := auditLog(t, st)
	chains := map[int]bool{}
	for _, e := range log {
		chains[e.Chain] = true
	}
	if len(chains) < 2 {
		t.Errorf("%d transactions appended to %d chain(s), want them spread", workers*each, len(chains))
	}
	for i := 0; i+1 < len(log); i += 2 {
		if log[i].Action != "first" || log[i+1].Action != "second" || log[i].Subject != log[i+1].Subject {
			t.Fatalf("events %d and %d interleave: %s %s, %s %s", log[i].Seq, log[i+1].Seq,
				log[i].Action, log[i].Subject, log[i+1].Action, log[i+1].Subject)
		}
	}
	view(t, st, func(tx vmt.Tx) error {
		n, err := tx.CountUsers()
		must(t, err)
		same(t, "users", n, workers*each)
		return nil
	})
}
