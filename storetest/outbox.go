package storetest

import (
	"encoding/json"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/vmtproject/vmt"
)

// testOutbox: keys are unique, a claim takes due pending items oldest first,
// counts an attempt and leases them (a second claim gets none until the
// lease runs out), an outcome is stored only by the claim's holder, and
// done items are never claimed again.
func testOutbox(t *testing.T, st vmt.Store) {
	var r *vmt.Report
	items := make([]*vmt.OutboxItem, 3)
	update(t, st, func(tx vmt.Tx) error {
		p := mkProject(t, tx, "p")
		u := mkUser(t, tx, "u@example.org", vmt.RoleReporter)
		r = mkReport(t, tx, p.ID, u.ID, vmt.Private, t0)
		for i := range items {
			items[i] = &vmt.OutboxItem{Key: "k" + string(rune('a'+i)), Kind: vmt.KindNotice, ReportID: r.ID,
				Payload: json.RawMessage(`{"n":1}`), NextAttempt: at(i), CreatedAt: at(0)}
			must(t, tx.Enqueue(items[i]))
		}
		dup := &vmt.OutboxItem{Key: "ka", Kind: vmt.KindNotice, Payload: json.RawMessage(`{}`), NextAttempt: at(0), CreatedAt: at(0)}
		wantCode(t, "Enqueue of a taken key", tx.Enqueue(dup), vmt.ECONFLICT)
		return nil
	})
	var got []*vmt.OutboxItem
	update(t, st, func(tx vmt.Tx) (err error) { got, err = tx.ClaimOutbox(at(1), time.Minute*10, 10); return err })
	if len(got) != 2 || got[0].Key != "ka" || got[1].Key != "kb" || got[0].Attempts != 1 || !got[0].NextAttempt.Equal(at(11)) {
		t.Fatalf("first claim at +1m: %+v, want ka and kb with 1 attempt, leased to +11m", got)
	}
	update(t, st, func(tx vmt.Tx) error {
		again, err := tx.ClaimOutbox(at(2), time.Minute*10, 10)
		must(t, err)
		if len(again) != 1 || again[0].Key != "kc" {
			t.Errorf("claim during the lease: %+v, want only kc", again)
		}
		stale := *got[1]
		stale.Attempts = 0
		stale.State = vmt.OutboxDone
		wantCode(t, "UpdateOutbox by a stale claim", tx.UpdateOutbox(&stale), vmt.ENOTFOUND)
		done := *got[0]
		done.State, done.DoneAt = vmt.OutboxDone, ptr(at(3))
		must(t, tx.UpdateOutbox(&done))
		wantCode(t, "UpdateOutbox of a done item", tx.UpdateOutbox(&done), vmt.ENOTFOUND)
		return nil
	})
	update(t, st, func(tx vmt.Tx) error {
		late, err := tx.ClaimOutbox(at(30), time.Minute, 10)
		must(t, err)
		if len(late) != 2 || late[0].Key != "kb" || late[0].Attempts != 2 || late[1].Key != "kc" {
			t.Errorf("claim after the leases ran out: %+v, want kb (attempt 2) and kc", late)
		}
		all, err := tx.OutboxItems(r.ID)
		must(t, err)
		if len(all) != 3 || all[0].State != vmt.OutboxDone || all[0].DoneAt == nil || !all[0].DoneAt.Equal(at(3)) ||
			string(all[0].Payload) != `{"n":1}` {
			t.Errorf("OutboxItems: %+v", all)
		}
		return nil
	})
	testOutboxConcurrentClaims(t, st)
}

// testOutboxConcurrentClaims: many claims at once never hand one item to
// two of them.
func testOutboxConcurrentClaims(t *testing.T, st vmt.Store) {
	const n = 40
	update(t, st, func(tx vmt.Tx) error {
		for i := range n {
			must(t, tx.Enqueue(&vmt.OutboxItem{Key: "c" + strconv.Itoa(i), Kind: vmt.KindNotice, Payload: json.RawMessage(`{}`),
				NextAttempt: at(100), CreatedAt: at(100)}))
		}
		return nil
	})
	var mu sync.Mutex
	seen := map[string]int{}
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 10 {
				var got []*vmt.OutboxItem
				err := st.Update(t.Context(), func(tx vmt.Tx) (err error) { got, err = tx.ClaimOutbox(at(101), time.Hour, 3); return err })
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				for _, o := range got {
					if o.Key[0] != 'c' {
						continue // kb and kc, due again since their lease ended at +31m
					}
					seen[o.Key]++
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(seen) != n {
		t.Errorf("%d of %d items claimed", len(seen), n)
	}
	for k, c := range seen {
		if c != 1 {
			t.Errorf("item %s claimed %d times", k, c)
		}
	}
}

// testOutboxRelease: released claims are due again at once, with their
// attempt uncounted and the error given; a claim that is no longer the
// caller's (done, or claimed by another once its lease ran out) is left
// as it is.
func testOutboxRelease(t *testing.T, st vmt.Store) {
	update(t, st, func(tx vmt.Tx) error {
		for _, k := range []string{"ra", "rb", "rc", "rd"} {
			must(t, tx.Enqueue(&vmt.OutboxItem{Key: k, Kind: vmt.KindNotice, Payload: json.RawMessage(`{}`),
				NextAttempt: at(0), CreatedAt: at(0), LastError: "before"}))
		}
		return nil
	})
	// A worker claims all four for a minute and delivers ra; its lease
	// runs out and another worker takes rb.
	var held, other []*vmt.OutboxItem
	update(t, st, func(tx vmt.Tx) (err error) { held, err = tx.ClaimOutbox(at(1), time.Minute, 10); return err })
	if len(held) != 4 || held[0].Attempts != 1 {
		t.Fatalf("claim: %+v, want 4 items with one attempt", held)
	}
	update(t, st, func(tx vmt.Tx) (err error) {
		done := *held[0]
		done.State, done.DoneAt = vmt.OutboxDone, ptr(at(2))
		must(t, tx.UpdateOutbox(&done))
		other, err = tx.ClaimOutbox(at(5), time.Hour, 1)
		return err
	})
	if len(other) != 1 || other[0].Key != "rb" || other[0].Attempts != 2 {
		t.Fatalf("second claim: %+v, want rb on its second attempt", other)
	}

	// The first worker stops and releases its four claims; only rc and rd
	// are still its own.
	release := make([]*vmt.OutboxItem, len(held))
	for i, o := range held {
		c := *o
		c.NextAttempt = at(6)
		if c.Key == "rd" {
			c.LastError = "relay down"
		}
		release[i] = &c
	}
	var n int
	update(t, st, func(tx vmt.Tx) (err error) { n, err = tx.ReleaseOutbox(release); return err })
	if n != 2 {
		t.Errorf("released %d, want 2 (rc and rd)", n)
	}
	update(t, st, func(tx vmt.Tx) error {
		all, err := tx.OutboxItems(0)
		must(t, err)
		byKey := map[string]*vmt.OutboxItem{}
		for _, o := range all {
			byKey[o.Key] = o
		}
		if o := byKey["ra"]; o.State != vmt.OutboxDone || o.Attempts != 1 {
			t.Errorf("the done item after a release: %+v", o)
		}
		if o := byKey["rb"]; o.Attempts != 2 || !o.NextAttempt.Equal(at(65)) {
			t.Errorf("the item another worker holds, after a release: %+v, want its claim (2 attempts, leased to +65m)", o)
		}
		if o := byKey["rc"]; o.State != vmt.OutboxPending || o.Attempts != 0 || !o.NextAttempt.Equal(at(6)) || o.LastError != "before" {
			t.Errorf("a released item: %+v, want pending, 0 attempts, due at +6m, its error kept", o)
		}
		if o := byKey["rd"]; o.Attempts != 0 || o.LastError != "relay down" {
			t.Errorf("a released item with an error: %+v", o)
		}
		// The next claim takes them at once, on their first attempt.
		again, err := tx.ClaimOutbox(at(6), time.Hour, 10)
		must(t, err)
		if len(again) != 2 || again[0].Key != "rc" || again[1].Key != "rd" || again[0].Attempts != 1 || again[1].Attempts != 1 {
			t.Errorf("claim after the release: %+v, want rc and rd, each on its first attempt", again)
		}
		return nil
	})
}

// testOutboxRetry: a failed item goes back to pending, due when asked,
// with its attempts counted afresh, and the next claim takes it; a
// pending or done item is not retried (ECONFLICT) and an unknown one is
// ENOTFOUND.
func testOutboxRetry(t *testing.T, st vmt.Store) {
	var failed, pending *vmt.OutboxItem
	update(t, st, func(tx vmt.Tx) error {
		failed = &vmt.OutboxItem{Key: "ya", Kind: vmt.KindNotice, Payload: json.RawMessage(`{}`), NextAttempt: at(0), CreatedAt: at(0)}
		pending = &vmt.OutboxItem{Key: "yb", Kind: vmt.KindNotice, Payload: json.RawMessage(`{}`), NextAttempt: at(500), CreatedAt: at(0)}
		must(t, tx.Enqueue(failed))
		must(t, tx.Enqueue(pending))
		got, err := tx.ClaimOutbox(at(1), time.Minute, 1)
		must(t, err)
		if len(got) != 1 || got[0].Key != "ya" {
			t.Fatalf("claim: %+v, want ya", got)
		}
		f := *got[0]
		f.State, f.LastError = vmt.OutboxFailed, "550 mailbox unavailable"
		must(t, tx.UpdateOutbox(&f))
		return nil
	})
	view(t, st, func(tx vmt.Tx) error {
		page, err := tx.OutboxPage(vmt.OutboxFailed, 0, 10)
		must(t, err)
		if len(page) != 1 || page[0].Key != "ya" || page[0].LastError == "" {
			t.Errorf("OutboxPage(failed): %+v", page)
		}
		return nil
	})
	update(t, st, func(tx vmt.Tx) error {
		o, err := tx.RetryOutbox(failed.ID, at(10))
		must(t, err)
		if o.State != vmt.OutboxPending || o.Attempts != 0 || !o.NextAttempt.Equal(at(10)) || o.LastError != "550 mailbox unavailable" {
			t.Errorf("retried item: %+v, want pending, 0 attempts, due at +10m, the last error kept", o)
		}
		_, err = tx.RetryOutbox(failed.ID, at(10))
		wantCode(t, "RetryOutbox of a pending item", err, vmt.ECONFLICT)
		_, err = tx.RetryOutbox(pending.ID, at(10))
		wantCode(t, "RetryOutbox of an item never failed", err, vmt.ECONFLICT)
		_, err = tx.RetryOutbox(pending.ID+1000, at(10))
		wantCode(t, "RetryOutbox of no item", err, vmt.ENOTFOUND)
		page, err := tx.OutboxPage(vmt.OutboxPending, 0, 10)
		must(t, err)
		if len(page) != 2 || page[0].Key != "ya" || page[1].Key != "yb" {
			t.Errorf("OutboxPage(pending): %+v", page)
		}
		page, err = tx.OutboxPage("", failed.ID, 1)
		must(t, err)
		if len(page) != 1 || page[0].Key != "yb" {
			t.Errorf("OutboxPage after ya, one: %+v", page)
		}
		page, err = tx.OutboxPage(vmt.OutboxFailed, 0, 10)
		must(t, err)
		if len(page) != 0 {
			t.Errorf("OutboxPage(failed) after the retry: %+v", page)
		}
		got, err := tx.ClaimOutbox(at(10), time.Minute, 10)
		must(t, err)
		if len(got) != 1 || got[0].Key != "ya" || got[0].Attempts != 1 {
			t.Errorf("claim after the retry: %+v, want ya on a first attempt", got)
		}
		return nil
	})
}
