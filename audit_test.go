package vmt

import (
	"encoding/json"
	"errors"
	"iter"
	"slices"
	"strings"
	"testing"
	"time"
)

// testChain returns five events sealed into a chain.
func testChain() []*AuditEvent {
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
	var seq int64
	prev := GenesisHash
	for _, e := range evs {
		e.Seal(seq, prev)
		seq, prev = e.Seq, e.Hash
	}
	return evs
}

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
	evs := testChain()
	for i, e := range evs {
		if e.Seq != int64(i+1) {
			t.Errorf("event %d has Seq %d", i, e.Seq)
		}
		if i == 0 && e.PrevHash != GenesisHash || i > 0 && e.PrevHash != evs[i-1].Hash {
			t.Errorf("event %d PrevHash %q", e.Seq, e.PrevHash)
		}
		if len(e.Hash) != 64 {
			t.Errorf("event %d hash %q is not hex SHA-256", e.Seq, e.Hash)
		}
	}
	n, err := VerifyChain(stream(evs), evs[len(evs)-1])
	if err != nil || n != 5 {
		t.Fatalf("VerifyChain = %d, %v; want 5, nil", n, err)
	}
	if n, err := VerifyChain(stream(evs), nil); err != nil || n != 5 {
		t.Fatalf("VerifyChain without head = %d, %v", n, err)
	}
	if n, err := VerifyChain(stream(nil), nil); err != nil || n != 0 {
		t.Fatalf("VerifyChain of an empty log = %d, %v", n, err)
	}
	if n, err := VerifyChain(stream(nil), &AuditEvent{Seq: 0, Hash: GenesisHash}); err != nil || n != 0 {
		t.Fatalf("VerifyChain of an empty log with a genesis head = %d, %v", n, err)
	}
}

// TestChangedFieldBreaksChain changes each field of each event in turn.
func TestChangedFieldBreaksChain(t *testing.T) {
	fields := []struct {
		name   string
		change func(e *AuditEvent)
		reason string
	}{
		{"Seq", func(e *AuditEvent) { e.Seq += 100 }, "expected sequence number"},
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
	for _, f := range fields {
		for i := range testChain() {
			evs := copyChain(testChain())
			head := *evs[len(evs)-1]
			f.change(evs[i])
			for _, h := range []*AuditEvent{nil, &head} {
				n, err := VerifyChain(stream(evs), h)
				if n != int64(i) {
					t.Errorf("%s of event %d: %d events checked, want %d", f.name, i+1, n, i)
				}
				// The error names the event as stored, so it can be found.
				wantChainError(t, err, evs[i].Seq, f.reason)
			}
		}
	}
}

// TestTimeIsHashedAsAnInstant checks the documented precision: the zone of
// the time and anything below a microsecond are not part of the hash.
func TestTimeIsHashedAsAnInstant(t *testing.T) {
	evs := copyChain(testChain())
	evs[2].At = evs[2].At.In(time.FixedZone("CEST", 2*3600)).Add(999 * time.Nanosecond)
	if _, err := VerifyChain(stream(evs), nil); err != nil {
		t.Errorf("same instant in another zone: %v", err)
	}
}

func TestRemovedOrReorderedEvents(t *testing.T) {
	evs := testChain()
	head := evs[len(evs)-1]
	tests := []struct {
		name   string
		events []*AuditEvent
		head   *AuditEvent
		seq    int64
		reason string
	}{
		{"middle removed", []*AuditEvent{evs[0], evs[1], evs[3], evs[4]}, head, 4, "expected sequence number 3"},
		{"first removed", evs[1:], head, 2, "expected sequence number 1"},
		{"reordered", []*AuditEvent{evs[0], evs[2], evs[1], evs[3], evs[4]}, head, 3, "expected sequence number 2"},
		{"duplicated", []*AuditEvent{evs[0], evs[1], evs[1], evs[2]}, nil, 2, "expected sequence number 3"},
		{"tail truncated", evs[:3], head, 4, "the log ends at event 3 but the chain head records event 5"},
		{"all removed", nil, head, 1, "the log ends at event 0 but the chain head records event 5"},
		{"past the head", evs, evs[2], 4, "the chain head records event 3 but the log goes on to event 5"},
		{"head hash differs", evs, &AuditEvent{Seq: 5, Hash: evs[3].Hash}, 5, "the log was rewritten"},
	}
	for _, tt := range tests {
		_, err := VerifyChain(stream(tt.events), tt.head)
		if err == nil {
			t.Errorf("%s: chain verifies", tt.name)
			continue
		}
		wantChainError(t, err, tt.seq, tt.reason)
	}
	// Without a head, a truncated tail is a valid shorter chain: that is
	// what the head is for.
	if n, err := VerifyChain(stream(evs[:3]), nil); err != nil || n != 3 {
		t.Errorf("truncated without head = %d, %v; want 3, nil", n, err)
	}
}

// TestResealedChainNeedsTheHead rewrites an event and reseals everything
// after it, as someone with write access to the rows could.
func TestResealedChainNeedsTheHead(t *testing.T) {
	orig := testChain()
	head := *orig[len(orig)-1]
	evs := copyChain(orig)
	evs[1].After = json.RawMessage(`{"name":"forged"}`)
	for i := 1; i < len(evs); i++ {
		evs[i].Seal(evs[i-1].Seq, evs[i-1].Hash)
	}
	if _, err := VerifyChain(stream(evs), nil); err != nil {
		t.Fatalf("a resealed chain is internally consistent, got %v", err)
	}
	_, err := VerifyChain(stream(evs), &head)
	wantChainError(t, err, 5, "the log was rewritten")
}

func TestReadErrorIsNotAChainError(t *testing.T) {
	evs := testChain()
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
	if got, want := (&ChainError{Seq: 4, Reason: "gone"}).Error(), "audit event 4: gone"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}

func TestChainHashDependsOnPrev(t *testing.T) {
	e := testChain()[0]
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
