package vmt

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"iter"
	"time"
)

// AuditEvent is one change, as the append-only audit log keeps it. The events
// form a hash chain: each Hash covers the event and the Hash before it, so
// that changing, removing or reordering a stored row breaks the chain.
type AuditEvent struct {
	Seq       int64           `json:"seq"`
	At        time.Time       `json:"at"`
	ActorID   int64           `json:"actor_id"` // 0: the system
	Action    string          `json:"action"`
	ProjectID int64           `json:"project_id,omitempty"`
	ReportID  int64           `json:"report_id,omitempty"`
	Subject   string          `json:"subject"` // what changed, e.g. "report:12", "user:3"
	Before    json.RawMessage `json:"before,omitempty"`
	After     json.RawMessage `json:"after,omitempty"`
	PrevHash  string          `json:"prev_hash"`
	Hash      string          `json:"hash"`
}

// GenesisHash is the PrevHash of the first event.
const GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000"

// ChainHash returns the hash of e given the hash of the event before it. The
// time is hashed in UTC with microseconds, the precision both stores keep.
func ChainHash(e *AuditEvent, prev string) string {
	h := sha256.New()
	// A struct with fixed field order and string/number fields marshals to
	// the same bytes every time.
	b, _ := json.Marshal(struct {
		Seq       int64  `json:"seq"`
		At        string `json:"at"`
		ActorID   int64  `json:"actor_id"`
		Action    string `json:"action"`
		ProjectID int64  `json:"project_id"`
		ReportID  int64  `json:"report_id"`
		Subject   string `json:"subject"`
		Before    string `json:"before"`
		After     string `json:"after"`
		Prev      string `json:"prev"`
	}{e.Seq, e.At.UTC().Format("2006-01-02T15:04:05.000000Z"), e.ActorID, e.Action, e.ProjectID, e.ReportID,
		e.Subject, string(e.Before), string(e.After), prev})
	h.Write(b)
	return hex.EncodeToString(h.Sum(nil))
}

// Seal sets e's sequence number, PrevHash and Hash so that it follows the
// event with sequence number prevSeq and hash prevHash.
func (e *AuditEvent) Seal(prevSeq int64, prevHash string) {
	e.Seq = prevSeq + 1
	e.PrevHash = prevHash
	e.Hash = ChainHash(e, prevHash)
}

// ChainError names the first event at which the chain is broken.
type ChainError struct {
	Seq    int64
	Reason string
}

func (e *ChainError) Error() string { return fmt.Sprintf("audit event %d: %s", e.Seq, e.Reason) }

// VerifyChain reads events in sequence order and checks each link. It returns
// the number of events checked and, on the first break, a *ChainError naming
// the event. head, when not nil, is the last sequence number and hash the
// store recorded, so that removed tail events are found too.
func VerifyChain(events iter.Seq2[*AuditEvent, error], head *AuditEvent) (int64, error) {
	var n, seq int64
	prev := GenesisHash
	for e, err := range events {
		if err != nil {
			return n, fmt.Errorf("reading audit events after %d: %w", seq, err)
		}
		switch {
		case e.Seq != seq+1:
			return n, &ChainError{e.Seq, fmt.Sprintf("expected sequence number %d: an event is missing or out of order", seq+1)}
		case e.PrevHash != prev:
			return n, &ChainError{e.Seq, "its previous-hash does not match the event before it"}
		case ChainHash(e, prev) != e.Hash:
			return n, &ChainError{e.Seq, "its content does not match its hash: the row was changed"}
		}
		seq, prev = e.Seq, e.Hash
		n++
	}
	if head == nil {
		return n, nil
	}
	switch {
	case head.Seq > seq:
		return n, &ChainError{seq + 1, fmt.Sprintf("the log ends at event %d but the chain head records event %d: events were removed", seq, head.Seq)}
	case head.Seq < seq:
		return n, &ChainError{head.Seq + 1, fmt.Sprintf("the chain head records event %d but the log goes on to event %d", head.Seq, seq)}
	case head.Hash != prev:
		// A consistent chain whose last hash is not the recorded one was
		// rewritten and resealed from some event on.
		return n, &ChainError{seq, "its hash is not the one the chain head records: the log was rewritten"}
	}
	return n, nil
}

// AuditSnapshot is the JSON of v for an audit record, or nil for nil.
func AuditSnapshot(v any) json.RawMessage {
	if v == nil {
		return nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("audit snapshot: %v", err)) // only domain types are passed
	}
	return b
}

// AuditDiff returns the fields of before and after (both JSON objects of the same
// type) that differ, so that an update's audit record shows only the change.
func AuditDiff(before, after any) (json.RawMessage, json.RawMessage) {
	var b, a map[string]json.RawMessage
	_ = json.Unmarshal(AuditSnapshot(before), &b)
	_ = json.Unmarshal(AuditSnapshot(after), &a)
	db, da := map[string]json.RawMessage{}, map[string]json.RawMessage{}
	for k, v := range a {
		if string(b[k]) != string(v) {
			db[k], da[k] = b[k], v
		}
	}
	for k, v := range b {
		if _, ok := a[k]; !ok {
			db[k] = v
		}
	}
	for k, v := range db {
		if v == nil {
			delete(db, k)
		}
	}
	return AuditSnapshot(db), AuditSnapshot(da)
}
