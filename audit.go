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
// form hash chains: each Hash covers the event and the Hash of the event
// before it in its chain, so that changing, removing or reordering a stored
// row breaks its chain.
//
// The log is several chains rather than one so that concurrent writers (two
// instances on one PostgreSQL, or many clients of one) do not all wait on one
// head row until they commit: a transaction appends to one chain, chosen by
// the store, and locks only that chain's head. Seq orders the whole log and
// is covered by the hash, so an event moved to another place in the log
// breaks its chain too; it may have gaps (a rolled-back append).
type AuditEvent struct {
	Seq int64 `json:"seq"`
	// Chain is the chain the event is in, and ChainSeq its position there.
	// Chain 0 is the single chain of a log begun before chains were split:
	// its positions are its sequence numbers, and nothing is appended to it.
	Chain     int             `json:"chain"`
	ChainSeq  int64           `json:"chain_seq,omitempty"`
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

// GenesisHash is the PrevHash of the first event of a chain.
const GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000"

// Pos is e's position in its chain, from 1.
func (e *AuditEvent) Pos() int64 {
	if e.Chain == 0 {
		return e.Seq
	}
	return e.ChainSeq
}

// ChainHash returns the hash of e given the hash of the event before it in
// its chain. The time is hashed in UTC with microseconds, the precision both
// stores keep. Chain 0 keeps the form it was sealed with, without the chain
// fields, so that a log begun before the split still verifies.
func ChainHash(e *AuditEvent, prev string) string {
	at := e.At.UTC().Format("2006-01-02T15:04:05.000000Z")
	// Structs with a fixed field order and string/number fields marshal to
	// the same bytes every time.
	var b []byte
	if e.Chain == 0 {
		b, _ = json.Marshal(struct {
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
		}{e.Seq, at, e.ActorID, e.Action, e.ProjectID, e.ReportID, e.Subject, string(e.Before), string(e.After), prev})
	} else {
		b, _ = json.Marshal(struct {
			Seq       int64  `json:"seq"`
			Chain     int    `json:"chain"`
			ChainSeq  int64  `json:"chain_seq"`
			At        string `json:"at"`
			ActorID   int64  `json:"actor_id"`
			Action    string `json:"action"`
			ProjectID int64  `json:"project_id"`
			ReportID  int64  `json:"report_id"`
			Subject   string `json:"subject"`
			Before    string `json:"before"`
			After     string `json:"after"`
			Prev      string `json:"prev"`
		}{e.Seq, e.Chain, e.ChainSeq, at, e.ActorID, e.Action, e.ProjectID, e.ReportID, e.Subject,
			string(e.Before), string(e.After), prev})
	}
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// Seal sets e's position, PrevHash and Hash so that it follows the event
// at position prevPos with hash prevHash in e's chain. In chain 0 the
// position is the sequence number; in the others the store sets Seq first.
func (e *AuditEvent) Seal(prevPos int64, prevHash string) {
	if e.Chain == 0 {
		e.Seq = prevPos + 1
	} else {
		e.ChainSeq = prevPos + 1
	}
	e.PrevHash = prevHash
	e.Hash = ChainHash(e, prevHash)
}

// ChainHead is what the store recorded as the end of one chain: the
// position and hash of its last event (0 and GenesisHash while it is
// empty), so that events removed from its end are found too.
type ChainHead struct {
	Chain int    `json:"chain"`
	Pos   int64  `json:"pos"`
	Hash  string `json:"hash"`
}

// HeadsDigest is one hash of every chain's head: what an operator notes
// down to compare a later verification with (the log has grown since, or
// it was rewritten, whatever the chains hold).
func HeadsDigest(heads []ChainHead) string {
	h := sha256.New()
	for _, c := range heads {
		fmt.Fprintf(h, "%d %d %s\n", c.Chain, c.Pos, c.Hash)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// ChainError names the first event at which a chain is broken: its sequence
// number (0 when the event is gone), its chain and its position there.
type ChainError struct {
	Seq    int64
	Chain  int
	Pos    int64
	Reason string
}

func (e *ChainError) Error() string {
	if e.Seq == 0 {
		return fmt.Sprintf("audit chain %d, position %d: %s", e.Chain, e.Pos, e.Reason)
	}
	return fmt.Sprintf("audit event %d (chain %d, position %d): %s", e.Seq, e.Chain, e.Pos, e.Reason)
}

// VerifyChain reads events ordered by chain and position and checks each
// link. It returns the number of events checked and, on the first break, a
// *ChainError naming the event. heads, when not nil, are the chain heads
// the store recorded, read before the events: every chain must end where
// its head says, and events after a head (appended since it was read) are
// not checked.
func VerifyChain(events iter.Seq2[*AuditEvent, error], heads []ChainHead) (int64, error) {
	var byChain map[int]ChainHead
	if heads != nil {
		byChain = make(map[int]ChainHead, len(heads))
		for _, h := range heads {
			byChain[h.Chain] = h
		}
	}
	var n, pos, seq int64
	chain, prev, started := 0, GenesisHash, false
	seen := map[int]bool{}
	// end checks that the chain read so far ends where its head says.
	end := func() error {
		if byChain == nil || !started {
			return nil
		}
		return checkEnd(chain, pos, prev, byChain[chain])
	}
	for e, err := range events {
		if err != nil {
			return n, fmt.Errorf("reading audit events after %d: %w", seq, err)
		}
		if !started || e.Chain != chain {
			if started && e.Chain < chain || seen[e.Chain] {
				return n, &ChainError{e.Seq, e.Chain, e.Pos(), "the events are not in chain order"}
			}
			if err := end(); err != nil {
				return n, err
			}
			chain, pos, prev, started = e.Chain, 0, GenesisHash, true
			seen[chain] = true
			if byChain != nil {
				if _, ok := byChain[chain]; !ok {
					return n, &ChainError{e.Seq, e.Chain, e.Pos(), "its chain has no head: the event was added"}
				}
			}
		}
		if h, ok := byChain[chain]; ok && e.Pos() > h.Pos {
			continue // appended after the heads were read
		}
		switch {
		case e.Chain == 0 && e.ChainSeq != 0:
			return n, &ChainError{e.Seq, e.Chain, e.Pos(), "an event of chain 0 has a chain position: the row was changed"}
		case e.Pos() != pos+1:
			return n, &ChainError{e.Seq, e.Chain, e.Pos(), fmt.Sprintf("expected position %d: an event is missing or out of order", pos+1)}
		case e.PrevHash != prev:
			return n, &ChainError{e.Seq, e.Chain, e.Pos(), "its previous-hash does not match the event before it"}
		case ChainHash(e, prev) != e.Hash:
			return n, &ChainError{e.Seq, e.Chain, e.Pos(), "its content does not match its hash: the row was changed"}
		}
		pos, prev, seq = e.Pos(), e.Hash, e.Seq
		n++
	}
	if err := end(); err != nil {
		return n, err
	}
	for _, h := range heads {
		if !seen[h.Chain] {
			if err := checkEnd(h.Chain, 0, GenesisHash, h); err != nil {
				return n, err
			}
		}
	}
	return n, nil
}

// checkEnd compares the end of a chain as read, at position pos with hash
// hash, with the head the store recorded.
func checkEnd(chain int, pos int64, hash string, head ChainHead) error {
	switch {
	case head.Pos > pos:
		return &ChainError{0, chain, pos + 1, fmt.Sprintf("the chain ends at position %d but its head records position %d: events were removed", pos, head.Pos)}
	case head.Hash != hash:
		// A consistent chain whose last hash is not the recorded one was
		// rewritten and resealed from some event on.
		return &ChainError{0, chain, pos, "its hash is not the one the chain head records: the chain was rewritten"}
	}
	return nil
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
