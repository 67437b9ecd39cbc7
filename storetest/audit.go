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

// verify checks the chain from the store's log and head and returns its length.
func verify(t *testing.T, st vmt.Store) int64 {
	t.Helper()
	head, err := st.AuditHead(t.Context())
	must(t, err)
	n, err := vmt.VerifyChain(st.AuditLog(t.Context()), head)
	if err != nil {
		t.Fatalf("VerifyChain: %v", err)
	}
	if head.Seq != n {
		t.Errorf("head at %d, log has %d events", head.Seq, n)
	}
	return n
}

func testAuditEmpty(t *testing.T, st vmt.Store) {
	head, err := st.AuditHead(t.Context())
	must(t, err)
	if head.Seq != 0 || head.Hash != vmt.GenesisHash {
		t.Errorf("AuditHead of an empty log = %d %q, want 0 and the genesis hash", head.Seq, head.Hash)
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

	for i, e := range []*vmt.AuditEvent{e1, e2, e3} {
		prev := vmt.GenesisHash
		if i > 0 {
			prev = []*vmt.AuditEvent{e1, e2, e3}[i-1].Hash
		}
		if e.Seq != int64(i+1) || e.PrevHash != prev || e.Hash != vmt.ChainHash(e, prev) {
			t.Errorf("event %d sealed as seq %d prev %.8s hash %.8s", i+1, e.Seq, e.PrevHash, e.Hash)
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
	same(t, "AuditLog", auditLog(t, st), want)
	head, err := st.AuditHead(t.Context())
	must(t, err)
	if head.Seq != 3 || head.Hash != e3.Hash {
		t.Errorf("AuditHead = %d %.8s, want 3 %.8s", head.Seq, head.Hash, e3.Hash)
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
	for e, err := range st.AuditLog(t.Context()) {
		must(t, err)
		n++
		if e.Seq != int64(n) {
			t.Fatalf("event %d has seq %d", n, e.Seq)
		}
		if n == 10 {
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
		{"newest first", vmt.AuditFilter{NewestFirst: true, Limit: 3}, []int64{9, 8, 7}},
		{"newest first, before", vmt.AuditFilter{NewestFirst: true, BeforeSeq: 7, Limit: 2}, []int64{6, 5}},
		{"newest first, actor", vmt.AuditFilter{NewestFirst: true, ActorID: 8}, []int64{8, 3}},
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

// testAuditConcurrent runs Updates from several goroutines, each appending
// two events: the chain must verify, with seqs 1..N, and each Update's
// events must be adjacent.
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
