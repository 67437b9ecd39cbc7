package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/vmtproject/vmt"
)

// tx is one vmt.Tx. vmt.Tx methods take no context, so the transaction's
// context is kept here and passed to every statement.
type tx struct {
	ctx   context.Context
	tx    *sql.Tx // nil for ViewOne: statements run on pool
	db    *DB
	stmts *stmtCache // nil: no statement cache (PostgreSQL)
	pool  *sql.DB    // for ViewOne
	ran   bool       // for ViewOne: a statement has run
	// forUpdate is the dialect's row-lock clause inside an Update, "" in
	// reads: a report read in a write transaction is locked until commit,
	// so that two read-modify-writes of one report never lose an update.
	forUpdate string
	// subject is that of the first audit event appended, for the
	// idempotency key of the transaction (claimRow).
	subject string
	// head is the chain this transaction appends its audit events to, its
	// head row locked by the first append (AppendAudit); nil before.
	head *vmt.ChainHead
}

// errSecondStatement is what ViewOne's second statement fails with.
var errSecondStatement = errors.New("sqldb: ViewOne ran a second statement; use View")

// conn is what a statement runs on: the transaction, or for ViewOne the
// pool, once.
type conn interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func (t *tx) conn() (conn, error) {
	if t.tx != nil {
		return t.tx, nil
	}
	if t.ran {
		return nil, errSecondStatement
	}
	t.ran = true
	return t.pool, nil
}

// stmt returns the transaction's handle on the cached statement for query,
// or nil when there is no cache or the statement is not prepared yet.
func (t *tx) stmt(query string) *sql.Stmt {
	if t.stmts == nil {
		return nil
	}
	st := t.stmts.get(query)
	if st == nil || t.tx == nil {
		return st
	}
	return t.tx.StmtContext(t.ctx, st)
}

func (t *tx) exec(query string, args ...any) (sql.Result, error) {
	c, err := t.conn()
	if err != nil {
		return nil, err
	}
	if st := t.stmt(query); st != nil {
		return st.ExecContext(t.ctx, args...)
	}
	return c.ExecContext(t.ctx, query, args...)
}

func (t *tx) query(query string, args ...any) (*sql.Rows, error) {
	c, err := t.conn()
	if err != nil {
		return nil, err
	}
	if st := t.stmt(query); st != nil {
		return st.QueryContext(t.ctx, args...)
	}
	return c.QueryContext(t.ctx, query, args...)
}

// queryRow is QueryRow; a second statement under ViewOne panics, since
// *sql.Row cannot carry an error of ours and the mistake is the caller's.
func (t *tx) queryRow(query string, args ...any) *sql.Row {
	c, err := t.conn()
	if err != nil {
		panic(err)
	}
	if st := t.stmt(query); st != nil {
		return st.QueryRowContext(t.ctx, args...)
	}
	return c.QueryRowContext(t.ctx, query, args...)
}

// insert runs an INSERT ... ON CONFLICT DO NOTHING RETURNING id and returns
// the new id, or conflict when a unique key was taken. DO NOTHING, rather than
// catching the violation, leaves a PostgreSQL transaction usable after the
// conflict.
func (t *tx) insert(op string, conflict *vmt.Error, query string, args ...any) (int64, error) {
	var id int64
	err := t.queryRow(query, args...).Scan(&id)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return 0, conflict
	case err != nil:
		return 0, wrap(op, err)
	}
	return id, nil
}

// wrap adds context to a store error. Unique violations that no ON
// CONFLICT clause expects stay internal errors: they are bugs (a sequence
// number taken twice), not the caller's mistake, so they are not ECONFLICT.
// A failure that says the store cannot work now (a full disk, say) gets
// vmt.EUNAVAILABLE here (classify).
func wrap(op string, err error) error {
	return classify(fmt.Errorf("sqldb: %s: %w", op, err))
}

// one maps a missing row to ENOTFOUND for kind.
func one(op, kind string, err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, sql.ErrNoRows):
		return vmt.NotFound(kind)
	}
	return wrap(op, err)
}

// affected returns ENOTFOUND for kind unless res changed a row.
func affected(op, kind string, res sql.Result, err error) error {
	if err != nil {
		return wrap(op, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return wrap(op, err)
	}
	if n == 0 {
		return vmt.NotFound(kind)
	}
	return nil
}

// scanner is a *sql.Row or *sql.Rows.
type scanner interface{ Scan(...any) error }

// list runs query and reads every row with scan. The result is never nil,
// so that an empty list encodes as [] rather than null.
func list[T any](t *tx, scan func(scanner) (T, error), query string, args ...any) ([]T, error) {
	rows, err := t.query(query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []T{}
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// Times are stored as unix microseconds: the precision the service keeps and
// ChainHash hashes, identical on both engines.

func micros(t time.Time) int64 { return t.UnixMicro() }

func nullMicros(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UnixMicro()
}

// timeCol scans unix microseconds into a UTC time.
type timeCol struct{ dst *time.Time }

func (c timeCol) Scan(src any) error {
	n, ok := src.(int64)
	if !ok {
		return fmt.Errorf("time column holds %T, want int64", src)
	}
	*c.dst = time.UnixMicro(n).UTC()
	return nil
}

// nullTimeCol scans nullable unix microseconds; NULL is nil.
type nullTimeCol struct{ dst **time.Time }

func (c nullTimeCol) Scan(src any) error {
	if src == nil {
		*c.dst = nil
		return nil
	}
	var t time.Time
	if err := (timeCol{&t}).Scan(src); err != nil {
		return err
	}
	*c.dst = &t
	return nil
}

// nullID stores 0 as NULL, for optional references such as a coordinator.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// idCol scans a nullable reference; NULL is 0.
type idCol struct{ dst *int64 }

func (c idCol) Scan(src any) error {
	var n sql.NullInt64
	if err := n.Scan(src); err != nil {
		return err
	}
	*c.dst = n.Int64
	return nil
}

// jsonList is the stored form of a string list: a JSON array, [] for nil.
func jsonList(xs []string) string {
	if len(xs) == 0 {
		return "[]"
	}
	b, _ := json.Marshal(xs) // a []string always marshals
	return string(b)
}

// listCol scans a JSON array into a string list, never nil.
type listCol struct{ dst *[]string }

func (c listCol) Scan(src any) error {
	var b []byte
	switch v := src.(type) {
	case string:
		b = []byte(v)
	case []byte:
		b = v
	default:
		return fmt.Errorf("list column holds %T, want text", src)
	}
	var xs []string
	if err := json.Unmarshal(b, &xs); err != nil {
		return err
	}
	if xs == nil {
		xs = []string{}
	}
	*c.dst = xs
	return nil
}
