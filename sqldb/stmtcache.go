package sqldb

import (
	"context"
	"database/sql"
	"sync"
)

// stmtCache keeps one prepared statement per query text for a pool. SQLite
// spends more time parsing a short query than running it; a statement
// prepared once is reused on each connection by database/sql. PostgreSQL
// needs no cache here: pgx prepares and caches statements per connection.
type stmtCache struct {
	pool   *sql.DB
	mu     sync.Mutex
	m      map[string]*sql.Stmt // nil value: being prepared
	closed bool
	// preparing counts the background prepares, which close waits for:
	// one that outlived the store would close its connection (and on
	// SQLite touch the database files) after the store said it was closed.
	preparing sync.WaitGroup
}

func newStmtCache(pool *sql.DB) *stmtCache {
	return &stmtCache{pool: pool, m: make(map[string]*sql.Stmt)}
}

// get returns the prepared statement for query, or nil if it is not
// prepared yet. The first miss prepares it in the background: preparing
// needs a connection of the pool, and a caller that waited for one while its
// own transaction holds another could deadlock a busy pool. The queries are
// this package's, in a bounded number of shapes, so the map stays small.
func (c *stmtCache) get(query string) *sql.Stmt {
	c.mu.Lock()
	defer c.mu.Unlock()
	st, ok := c.m[query]
	if !ok && !c.closed {
		c.m[query] = nil // being prepared
		c.preparing.Add(1)
		go c.prepare(query)
	}
	return st
}

func (c *stmtCache) prepare(query string) {
	defer c.preparing.Done()
	st, err := c.pool.PrepareContext(context.Background(), query)
	c.mu.Lock()
	defer c.mu.Unlock()
	if err != nil || c.closed {
		// The plain query reports the error; a closed store keeps nothing.
		delete(c.m, query)
		if st != nil {
			st.Close()
		}
		return
	}
	c.m[query] = st
}

func (c *stmtCache) close() {
	c.mu.Lock()
	c.closed = true
	c.mu.Unlock()
	c.preparing.Wait()
	c.mu.Lock()
	defer c.mu.Unlock()
	for q, st := range c.m {
		if st != nil {
			st.Close()
		}
		delete(c.m, q)
	}
}
