package vmt

import (
	"cmp"
	"encoding/json"
	"errors"
	"iter"
	"slices"
	"strings"
	"testing"
	"time"
)

// testChain returns five events sealed into chain (0: the form of a log
// begun before chains were split; else a chain of today's).
func testChain(chain int) []*AuditEvent {
	at := time.Date(2026, 5, 6, 7, 8, 9, 123456000, time.UTC)
	evs := []*AuditEvent{
		{At: at, ActorID: 0, Action: "user.create", Subject: "user:1", After: json.RawMessage(`{"id":1}`)},
		{At: at.Add(time.Second), ActorID: 1, Action: "project.create", ProjectID: 1, Subject: "project:1", After: json.RawMessage(`{"name":"kata"}`)},
		{At: at.Add(2 * time.Second), ActorID: 2, Action: "report.create", ProjectID: 1, ReportID: 1, Subject: "report:1", After: json.RawMessage(`{"title":"t"}`)},
		{At: at.Add(3 * time.Second), ActorID: 1, Action: "report.update", ProjectID: 1, ReportID: 1, Subject: "report:1",
			Before: json.RawMessage(`{"title":"t"}`), After: json.RawMessage(`{"title":"u"}`)},
		{At: at.Add(4 * time.Second), ActorID: 1, Action: "subscription.remove", ProjectID: 1, ReportID: 1, Subject: "report:1",
			Before: json.RawMessage(`{"user_id":3}`)},
	}
	var pos int64
	prev := GenesisHash
	for i, e := range evs {
		if e.Chain = chain; chain != 0 {
			e.Seq = int64(10*i + chain) // gaps, as a sequence leaves them
		}
		e.Seal(pos, prev)
		pos, prev = e.Pos(), e.Hash
	}
	return evs
}

// headOf is the head of the chain evs ends.
func headOf(evs []*AuditEvent) []ChainHead {
	e := evs[len(evs)-1]
	return []ChainHead{{Chain: e.Chain, Pos: e.Pos(), Hash: e.Hash}}
}

// chainsUnderTest are the two forms of chain, sealed the same way.
var chainsUnderTest = []int{0, 3}

func stream(evs []*AuditEvent) iter.Seq2[*AuditEvent, error] {
	return func(yield func(*AuditEvent, error) bool) {
		for _, e := range evs {
			if !yield(e, nil) {
				return
			}
		}
	}
}

func copyChain(evs []*AuditEvent) []*AuditEvent {
	out := make([]*AuditEvent, len(evs))
	for i, e := range evs {
		c := *e
		out[i] = &c
	}
	return out
}

// wantChainError checks err is a *ChainError at seq whose reason says why.
func wantChainError(t *testing.T, err error, seq int64, reason string) {
	t.Helper()
	var ce *ChainError
	if !errors.As(err, &ce) {
		t.Fatalf("error %v (%T), want *ChainError", err, err)
	}
	if ce.Seq != seq || !strings.Contains(ce.Reason, reason) {
		t.Errorf("ChainError{%d, %q}, want seq %d and a reason containing %q", ce.Seq, ce.Reason, seq, reason)
	}
}

func TestSealedChainVerifies(t *testing.T) {
	for _, chain := range chainsUnderTest {
		evs := testChain(chain)
		for i, e := range evs {
			if e.Pos() != int64(i+1) || e.Chain != chain {
				t.Errorf("chain %d: event %d at chain %d position %d", chain, i, e.Chain, e.Pos())
			}
			if i == 0 && e.PrevHash != GenesisHash || i > 0 && e.PrevHash != evs[i-1].Hash {
				t.Errorf("chain %d: event %d PrevHash %q", chain, e.Seq, e.PrevHash)
			}
			if len(e.Hash) != 64 {
				t.Errorf("chain %d: event %d hash %q is not hex SHA-256", chain, e.Seq, e.Hash)
			}
		}
		n, err := VerifyChain(stream(evs), headOf(evs))
		if err != nil || n != 5 {
			t.Fatalf("chain %d: VerifyChain = %d, %v; want 5, nil", chain, n, err)
		}
		if n, err := VerifyChain(stream(evs), nil); err != nil || n != 5 {
			t.Fatalf("chain %d: VerifyChain without head = %d, %v", chain, n, err)
		}
	}
	if n, err := VerifyChain(stream(nil), nil); err != nil || n != 0 {
		t.Fatalf("VerifyChain of an empty log = %d, %v", n, err)
	}
	if n, err := VerifyChain(stream(nil), []ChainHead{{0, 0, GenesisHash}, {1, 0, GenesisHash}}); err != nil || n != 0 {
		t.Fatalf("VerifyChain of an empty log with genesis heads = %d, %v", n, err)
	}
}

// TestLegacyChainHash pins the hash of chain 0 to the one the log was
// sealed with before chains were split: a store begun then must verify.
func TestLegacyChainHash(t *testing.T) {
	e := &AuditEvent{At: time.Date(2026, 5, 6, 7, 8, 9, 123456000, time.UTC), ActorID: 2, Action: "report.create",
		ProjectID: 1, ReportID: 1, Subject: "report:1", After: json.RawMessage(`{"title":"t"}`)}
	e.Seal(2, strings.Repeat("1", 64))
	if e.Seq != 3 || e.Hash != "610d5d0c3dea67120c1f8d10d49b1b154bd5b69c9f36c7be2a1e0c2fbbd3ce0d" {
		t.Errorf("chain 0 sealed as %d %s, not as before the split", e.Seq, e.Hash)
	}
	// The same event in another chain hashes its chain fields too.
	c := *e
	c.Chain, c.ChainSeq = 1, 3
	if ChainHash(&c, e.PrevHash) == e.Hash {
		t.Error("a chain's hash does not cover the chain fields")
	}
}

// TestManyChains verifies a log of several chains, as a store streams it,
// and the checks that span chains.
func TestManyChains(t *testing.T) {
	a, b, c := testChain(0), testChain(1), testChain(4)
	log := slices.Concat(a, b, c)
	heads := []ChainHead{headOf(a)[0], headOf(b)[0], {2, 0, GenesisHash}, headOf(c)[0]}
	if n, err := VerifyChain(stream(log), heads); err != nil || n != 15 {
		t.Fatalf("VerifyChain = %d, %v; want 15, nil", n, err)
	}
	// Events appended after the heads were read are not checked.
	early := []ChainHead{headOf(a)[0], headOf(b[:2])[0], headOf(c[:4])[0]}
	if n, err := VerifyChain(stream(log), early); err != nil || n != 11 {
		t.Errorf("VerifyChain up to earlier heads = %d, %v; want 11, nil", n, err)
	}
	// An event moved to another chain, where the store sorts it, breaks
	// the chains.
	moved := copyChain(log)
	moved[7].Chain = 4
	slices.SortFunc(moved, func(x, y *AuditEvent) int {
		return cmp.Or(cmp.Compare(x.Chain, y.Chain), cmp.Compare(x.ChainSeq, y.ChainSeq), cmp.Compare(x.Seq, y.Seq))
	})
	var ce *ChainError
	if _, err := VerifyChain(stream(moved), heads); !errors.As(err, &ce) {
		t.Errorf("an event moved to another chain: %v, want a *ChainError", err)
	}
	tests := []struct {
		name   string
		events []*AuditEvent
		heads  []ChainHead
		seq    int64
		reason string
	}{
		{"chains out of order", slices.Concat(b, a), nil, a[0].Seq, "not in chain order"},
		{"a chain split", slices.Concat(b[:2], c, b[2:]), nil, b[2].Seq, "not in chain order"},
		{"a chain without a head", log, heads[:3], c[0].Seq, "has no head"},
		{"an empty chain's head moved", slices.Concat(a, c), heads, 0, "chain ends at position 0 but its head records position 5"},
		{"a chain's tail removed", slices.Concat(a, b[:3], c), heads, 0, "chain ends at position 3 but its head records position 5"},
	}
	for _, tt := range tests {
		_, err := VerifyChain(stream(tt.events), tt.heads)
		if err == nil {
			t.Errorf("%s: log verifies", tt.name)
			continue
		}
		wantChainError(t, err, tt.seq, tt.reason)
	}
}

// TestChangedFieldBreaksChain changes each field of each event in turn.
func TestChangedFieldBreaksChain(t *testing.T) {
	fields := []struct {
		name   string
		change func(e *AuditEvent)
		reason string
	}{
		{"Seq", func(e *AuditEvent) { e.Seq += 100 }, ""},
		{"Chain", func(e *AuditEvent) { e.Chain += 2 }, ""},
		{"ChainSeq", func(e *AuditEvent) { e.ChainSeq += 1 }, ""},
		{"At", func(e *AuditEvent) { e.At = e.At.Add(time.Microsecond) }, "the row was changed"},
		{"ActorID", func(e *AuditEvent) { e.ActorID += 7 }, "the row was changed"},
		{"Action", func(e *AuditEvent) { e.Action += "x" }, "the row was changed"},
		{"ProjectID", func(e *AuditEvent) { e.ProjectID += 1 }, "the row was changed"},
		{"ReportID", func(e *AuditEvent) { e.ReportID += 1 }, "the row was changed"},
		{"Subject", func(e *AuditEvent) { e.Subject = "report:99" }, "the row was changed"},
		{"Before", func(e *AuditEvent) { e.Before = json.RawMessage(`{"title":"forged"}`) }, "the row was changed"},
		{"After", func(e *AuditEvent) { e.After = json.RawMessage(`{"title":"forged"}`) }, "the row was changed"},
		{"PrevHash", func(e *AuditEvent) { e.PrevHash = strings.Repeat("f", 64) }, "previous-hash does not match"},
		{"Hash", func(e *AuditEvent) { e.Hash = strings.Repeat("e", 64) }, "the row was changed"},
	}
	for _, chain := range chainsUnderTest {
		for _, f := range fields {
			for i := range testChain(chain) {
				evs := copyChain(testChain(chain))
				head := headOf(evs)
				f.change(evs[i])
				for _, h := range [][]ChainHead{nil, head} {
					n, err := VerifyChain(stream(evs), h)
					if err == nil {
						t.Errorf("chain %d: %s of event %d verifies", chain, f.name, i+1)
						continue
					}
					if n > int64(i) {
						t.Errorf("chain %d: %s of event %d: %d events checked, want at most %d", chain, f.name, i+1, n, i)
					}
					if f.reason != "" {
						// The error names the event as stored, so it can be found.
						wantChainError(t, err, evs[i].Seq, f.reason)
					}
				}
			}
		}
	}
}

// TestTimeIsHashedAsAnInstant checks the documented precision: the zone of
// the time and anything below a microsecond are not part of the hash.
func TestTimeIsHashedAsAnInstant(t *testing.T) {
	for _, chain := range chainsUnderTest {
		evs := copyChain(testChain(chain))
		evs[2].At = evs[2].At.In(time.FixedZone("CEST", 2*3600)).Add(999 * time.Nanosecond)
		if _, err := VerifyChain(stream(evs), nil); err != nil {
			t.Errorf("chain %d: same instant in another zone: %v", chain, err)
		}
	}
}

func TestRemovedOrReorderedEvents(t *testing.T) {
	for _, chain := range chainsUnderTest {
		evs := testChain(chain)
		head := headOf(evs)
		tests := []struct {
			name   string
			events []*AuditEvent
			heads  []ChainHead
			seq    int64
			reason string
		}{
			{"middle removed", []*AuditEvent{evs[0], evs[1], evs[3], evs[4]}, head, evs[3].Seq, "expected position 3"},
			{"first removed", evs[1:], head, evs[1].Seq, "expected position 1"},
			{"reordered", []*AuditEvent{evs[0], evs[2], evs[1], evs[3], evs[4]}, head, evs[2].Seq, "expected position 2"},
			{"duplicated", []*AuditEvent{evs[0], evs[1], evs[1], evs[2]}, nil, evs[1].Seq, "expected position 3"},
			{"tail truncated", evs[:3], head, 0, "the chain ends at position 3 but its head records position 5"},
			{"all removed", nil, head, 0, "the chain ends at position 0 but its head records position 5"},
			{"head hash differs", evs, []ChainHead{{chain, 5, evs[3].Hash}}, 0, "the chain was rewritten"},
		}
		for _, tt := range tests {
			_, err := VerifyChain(stream(tt.events), tt.heads)
			if err == nil {
				t.Errorf("chain %d: %s: chain verifies", chain, tt.name)
				continue
			}
			wantChainError(t, err, tt.seq, tt.reason)
		}
		// Without a head, a truncated tail is a valid shorter chain: that
		// is what the head is for.
		if n, err := VerifyChain(stream(evs[:3]), nil); err != nil || n != 3 {
			t.Errorf("chain %d: truncated without head = %d, %v; want 3, nil", chain, n, err)
		}
	}
}

// TestResealedChainNeedsTheHead rewrites an event and reseals everything
// after it, as someone with write access to the rows could.
func TestResealedChainNeedsTheHead(t *testing.T) {
	for _, chain := range chainsUnderTest {
		orig := testChain(chain)
		head := headOf(orig)
		evs := copyChain(orig)
		evs[1].After = json.RawMessage(`{"name":"forged"}`)
		for i := 1; i < len(evs); i++ {
			evs[i].Seal(evs[i-1].Pos(), evs[i-1].Hash)
		}
		if _, err := VerifyChain(stream(evs), nil); err != nil {
			t.Fatalf("chain %d: a resealed chain is internally consistent, got %v", chain, err)
		}
		_, err := VerifyChain(stream(evs), head)
		wantChainError(t, err, 0, "the chain was rewritten")
	}
}

func TestReadErrorIsNotAChainError(t *testing.T) {
	evs := testChain(1)
	boom := errors.New("disk on fire")
	events := func(yield func(*AuditEvent, error) bool) {
		if yield(evs[0], nil) {
			yield(nil, boom)
		}
	}
	n, err := VerifyChain(events, nil)
	var ce *ChainError
	if n != 1 || !errors.Is(err, boom) || errors.As(err, &ce) {
		t.Errorf("VerifyChain = %d, %v; want 1 and the read error", n, err)
	}
}

func TestChainErrorText(t *testing.T) {
	if got, want := (&ChainError{Seq: 4, Chain: 2, Pos: 3, Reason: "gone"}).Error(), "audit event 4 (chain 2, position 3): gone"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if got, want := (&ChainError{Chain: 2, Pos: 6, Reason: "gone"}).Error(), "audit chain 2, position 6: gone"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}

func TestChainHashDependsOnPrev(t *testing.T) {
	e := testChain(1)[0]
	if ChainHash(e, GenesisHash) == ChainHash(e, strings.Repeat("1", 64)) {
		t.Error("the hash does not cover the previous hash")
	}
	if ChainHash(e, GenesisHash) != e.Hash {
		t.Error("ChainHash disagrees with Seal")
	}
}

func TestDiff(t *testing.T) {
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	before := Report{ID: 1, Title: "t", Class: "A", Affected: []AffectedEntry{{Component: "agent"}}, CVEs: []string{}, CreatedAt: at}
	tests := []struct {
		name          string
		change        func(r *Report)
		before, after string
	}{
		{"nothing", func(r *Report) {}, `{}`, `{}`},
		{"title", func(r *Report) { r.Title = "u" }, `{"title":"t"}`, `{"title":"u"}`},
		{"two fields", func(r *Report) { r.Title, r.Status = "u", StatusTriaged },
			`{"status":"","title":"t"}`, `{"status":"triaged","title":"u"}`},
		{"slice", func(r *Report) { r.Affected = append(r.Affected, AffectedEntry{Component: "runtime"}) },
			`{"affected":[{"component":"agent","versions":""}]}`, `{"affected":[{"component":"agent","versions":""},{"component":"runtime","versions":""}]}`},
		{"omitted after", func(r *Report) { r.Class = "" }, `{"class":"A"}`, `{}`},
		{"omitted before", func(r *Report) { r.Credit = "Jane" }, `{}`, `{"credit":"Jane"}`},
		{"pointer set", func(r *Report) { r.NoticeSentAt = &at }, `{}`, `{"notice_sent_at":"2026-01-01T00:00:00Z"}`},
		{"reminder set", func(r *Report) { r.Reminder = "x" }, `{}`, `{"embargo_reminder":"x"}`},
	}
	for _, tt := range tests {
		after := before
		after.Affected = slices.Clone(before.Affected)
		tt.change(&after)
		b, a := AuditDiff(&before, &after)
		if string(b) != tt.before || string(a) != tt.after {
			t.Errorf("%s: diff = %s, %s; want %s, %s", tt.name, b, a, tt.before, tt.after)
		}
	}
}

func TestSnapshot(t *testing.T) {
	if got := AuditSnapshot(nil); got != nil {
		t.Errorf("snapshot(nil) = %s", got)
	}
	if got := string(AuditSnapshot(Member{ProjectID: 1, UserID: 2, Role: MemberVMT})); got != `{"project_id":1,"user_id":2,"role":"vmt"}` {
		t.Errorf("snapshot(member) = %s", got)
	}
}
