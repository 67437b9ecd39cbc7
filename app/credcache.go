package app

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/vmtproject/vmt"
)

// Two reads on every API request are kept in memory for a short while
// (issue 17: together they were half of an authorized GET): who a token
// stands for, and a report with what one user is to it. Both are dropped
// when this service changes what they hold (guardedStore below is the one
// place that sees every change): a change to an account or its tokens
// empties the tokens, and any write empties the reports. So this instance
// refuses a revoked token, a disabled account or an old role, and shows a
// report as changed, on the very next request. Another instance on the
// same PostgreSQL (or a command run beside the server) is seen within
// cacheTTL.
const (
	cacheTTL       = 2 * time.Second
	credMaxKept    = 10000
	reportsMaxKept = 1000 // a report is up to a few hundred KiB
)

// genCache is a map whose entries live cacheTTL, emptied by invalidate.
// Values are copied in and out with cp, so that no caller shares one.
type genCache[K comparable, V any] struct {
	mu  sync.Mutex
	gen uint64 // bumped by every invalidation
	m   map[K]genEntry[V]
	max int
	cp  func(*V) *V
}

type genEntry[V any] struct {
	v       V
	expires time.Time
}

func newGenCache[K comparable, V any](max int, cp func(*V) *V) *genCache[K, V] {
	return &genCache[K, V]{m: make(map[K]genEntry[V]), max: max, cp: cp}
}

// get returns a copy of the value cached for k, if it is fresh, and the
// generation to hand to put after a store lookup.
func (c *genCache[K, V]) get(k K) (*V, uint64) {
	now := time.Now() // the monotonic clock: the TTL is real time, not the service's clock
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[k]
	if !ok || now.After(e.expires) {
		return nil, c.gen
	}
	return c.cp(&e.v), c.gen
}

// put keeps v for k, unless an invalidation happened since the lookup
// that read v began (gen): that lookup may have read the state before the
// change, and must not outlive it.
func (c *genCache[K, V]) put(k K, v *V, gen uint64) {
	now := time.Now()
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	if len(c.m) >= c.max {
		for h, e := range c.m {
			if now.After(e.expires) {
				delete(c.m, h)
			}
		}
		if len(c.m) >= c.max {
			clear(c.m)
		}
	}
	c.m[k] = genEntry[V]{v: *c.cp(v), expires: now.Add(cacheTTL)}
}

// invalidate forgets every entry.
func (c *genCache[K, V]) invalidate() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	clear(c.m)
}

// reportRead is what Tx.ReportFor returns for one report and user, and
// the store's count of writes before it was read.
type reportRead struct {
	r      vmt.Report
	g      vmt.Grants
	writes uint64
}

// writeCounter is a store that counts its read-write transactions
// (sqldb.DB): a report read is kept only on such a store, and only while
// the count stays, so that a write that bypasses the service (through
// Deps().Store) drops it too.
type writeCounter interface{ Writes() uint64 }

type reportKey struct{ id, user int64 }

// copyUser is a copy of u that shares nothing a caller could change.
func copyUser(u *vmt.User) *vmt.User {
	c := *u
	c.OpenPGPKeyExpires = copyTime(u.OpenPGPKeyExpires)
	c.EmailVerifiedAt = copyTime(u.EmailVerifiedAt)
	return &c
}

func copyReportRead(x *reportRead) *reportRead {
	c := *x
	r := &c.r
	r.Affected, r.CVEs, r.NeverDisclose = slices.Clone(r.Affected), slices.Clone(r.CVEs), slices.Clone(r.NeverDisclose)
	for _, t := range []**time.Time{&r.DisclosureAt, &r.CVERequestedAt, &r.NoticeSentAt, &r.RequestedDisclosureAt,
		&r.StageRemindedAt, &r.StageEscalatedAt, &r.EmbargoRaisedAt} {
		*t = copyTime(*t)
	}
	if r.PossibleLeak != nil {
		l := *r.PossibleLeak
		r.PossibleLeak = &l
	}
	if r.TermsOverride != nil {
		o := *r.TermsOverride
		r.TermsOverride = &o
	}
	return &c
}

func copyTime(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	c := *t
	return &c
}

// guardedStore is the store as the service uses it: every read-write
// transaction runs on a Tx that notes a change to users or tokens; once
// that transaction has ended, committed or not, the reports are dropped,
// and the tokens too if it touched them. Dropping them after the commit,
// with the generation check of put, means no lookup that began before the
// change can put the old state back.
type guardedStore struct {
	vmt.Store
	creds   *genCache[string, vmt.User]
	reports *genCache[reportKey, reportRead]
}

func (g *guardedStore) Update(ctx context.Context, fn func(vmt.Tx) error) error {
	var touched bool
	err := g.Store.Update(ctx, func(tx vmt.Tx) error {
		return fn(&credTx{Tx: tx, touched: &touched})
	})
	g.reports.invalidate()
	if touched {
		g.creds.invalidate()
	}
	return err
}

// credTx is a Tx that notes the writes that change who a token stands
// for: an account created or changed (role, disabled, address, key) and
// a token created or revoked.
type credTx struct {
	vmt.Tx
	touched *bool
}

func (t *credTx) CreateUser(u *vmt.User) error   { *t.touched = true; return t.Tx.CreateUser(u) }
func (t *credTx) UpdateUser(u *vmt.User) error   { *t.touched = true; return t.Tx.UpdateUser(u) }
func (t *credTx) CreateToken(k *vmt.Token) error { *t.touched = true; return t.Tx.CreateToken(k) }
func (t *credTx) DeleteToken(userID, id int64) error {
	*t.touched = true
	return t.Tx.DeleteToken(userID, id)
}

// SetUserForgeLogin is noted too: the login is not in the cached account,
// but a write to an account is one, whatever it changes.
func (t *credTx) SetUserForgeLogin(userID int64, login string) error {
	*t.touched = true
	return t.Tx.SetUserForgeLogin(userID, login)
}
