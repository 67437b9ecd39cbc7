package app

import (
	"context"
	"sync"
	"time"

	"github.com/vmtproject/vmt"
)

// Authenticated tokens are kept in memory for a short while, so that an
// API request does not look its token up in the store every time (issue
// 17: the lookup was a fifth of a GET). Every change to an account or its
// tokens made through this service empties the cache when it commits
// (guardedStore below is the one place that sees them), so this instance
// refuses a revoked token, a disabled account or an old role on the very
// next request. Another instance on the same PostgreSQL sees such a
// change within credTTL.
const (
	credTTL     = 2 * time.Second
	credMaxKept = 10000
)

// credCache maps a token's hash to the user holding it, checked at most
// credTTL ago.
type credCache struct {
	mu  sync.Mutex
	gen uint64 // bumped by every invalidation
	m   map[string]credEntry
}

type credEntry struct {
	user    vmt.User
	expires time.Time
}

func newCredCache() *credCache { return &credCache{m: make(map[string]credEntry)} }

// get returns a copy of the user cached for hash, if it is fresh, and the
// generation to hand to put after a store lookup.
func (c *credCache) get(hash string) (*vmt.User, uint64) {
	now := time.Now()
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[hash]
	if !ok || now.After(e.expires) {
		return nil, c.gen
	}
	return copyUser(&e.user), c.gen
}

// put keeps u for hash, unless an invalidation happened since the lookup
// that read u began (gen): that lookup may have read the state before the
// change, and must not outlive it.
func (c *credCache) put(hash string, u *vmt.User, gen uint64) {
	now := time.Now()
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	if len(c.m) >= credMaxKept {
		for h, e := range c.m {
			if now.After(e.expires) {
				delete(c.m, h)
			}
		}
		if len(c.m) >= credMaxKept {
			clear(c.m)
		}
	}
	c.m[hash] = credEntry{user: *copyUser(u), expires: now.Add(credTTL)}
}

// invalidate forgets every cached token.
func (c *credCache) invalidate() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	clear(c.m)
}

// copyUser is a copy of u that shares nothing a caller could change.
func copyUser(u *vmt.User) *vmt.User {
	c := *u
	if u.OpenPGPKeyExpires != nil {
		t := *u.OpenPGPKeyExpires
		c.OpenPGPKeyExpires = &t
	}
	if u.EmailVerifiedAt != nil {
		t := *u.EmailVerifiedAt
		c.EmailVerifiedAt = &t
	}
	return &c
}

// guardedStore is the store as the service uses it: every read-write
// transaction runs on a Tx that notes a change to users or tokens, and
// the cache of authenticated tokens is emptied once that transaction has
// ended, committed or not. Emptying it after the commit, with the
// generation check of put, means no lookup that began before the change
// can put the old state back.
type guardedStore struct {
	vmt.Store
	creds *credCache
}

func (g *guardedStore) Update(ctx context.Context, fn func(vmt.Tx) error) error {
	var touched bool
	err := g.Store.Update(ctx, func(tx vmt.Tx) error {
		return fn(&credTx{Tx: tx, touched: &touched})
	})
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
