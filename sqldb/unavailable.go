package sqldb

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/vmtproject/vmt"
)

// A full disk, a file system remounted read-only or a database shutting
// down is not a bug of the request, and the client should hear so: the
// errors of the engines that say the store cannot do its work now are
// classified here, in one place, into vmt.EUNAVAILABLE (HTTP 503 with
// Retry-After), instead of the generic internal error (500) a bug gets.

// unavailableCause names why the store cannot work now, "" when err is not
// such a failure.
func unavailableCause(err error) string {
	var se *sqlite.Error
	if errors.As(err, &se) {
		// Extended codes carry the primary code in their low byte
		// (SQLITE_IOERR_FSYNC, SQLITE_READONLY_DBMOVED, ...).
		switch se.Code() & 0xff {
		case sqlite3.SQLITE_FULL:
			return "the disk is full"
		case sqlite3.SQLITE_READONLY:
			return "the database is read-only"
		case sqlite3.SQLITE_IOERR:
			return "the disk failed (I/O error)"
		case sqlite3.SQLITE_CANTOPEN:
			return "the database file cannot be opened"
		}
		return ""
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch {
		case pe.Code == "53100":
			return "the database server's disk is full"
		case len(pe.Code) == 5 && pe.Code[:2] == "53":
			return "the database server is out of resources (" + pe.Code + ")"
		case pe.Code == "25006":
			return "the database is read-only"
		case pe.Code == "57P01", pe.Code == "57P02", pe.Code == "57P03":
			return "the database server is shutting down or starting (" + pe.Code + ")"
		case len(pe.Code) == 5 && pe.Code[:2] == "08":
			return "the connection to the database server failed (" + pe.Code + ")"
		}
		return ""
	}
	if errors.Is(err, syscall.ECONNREFUSED) {
		return "the database server refuses connections"
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return "" // the caller went away; nothing is wrong with the store
	}
	var ce *pgconn.ConnectError
	var ne net.Error
	if errors.As(err, &ce) || errors.As(err, &ne) {
		return "the database server cannot be reached"
	}
	return ""
}

// classify returns err with vmt.EUNAVAILABLE in its chain when the engine
// says the store cannot work now; any other error as it is. The original
// error stays in the chain (and in the log line), the caller gets only the
// cause. An error already carrying a domain code keeps it.
func classify(err error) error {
	if err == nil {
		return nil
	}
	var ve *vmt.Error
	if errors.As(err, &ve) {
		return err
	}
	cause := unavailableCause(err)
	if cause == "" {
		return err
	}
	return fmt.Errorf("%w: %w", &vmt.Error{Code: vmt.EUNAVAILABLE,
		Message: "the store is unavailable: " + cause + "; try again later"}, err)
}

// writeFault remembers the last write that failed for a cause classify
// knows, until a write commits: what the readiness check reports.
type writeFault struct {
	mu  sync.Mutex
	err error
	at  time.Time // of err, or of the last probe that committed
}

func (f *writeFault) record(err error) {
	if vmt.ErrorCode(err) != vmt.EUNAVAILABLE {
		return
	}
	f.mu.Lock()
	f.err, f.at = err, time.Now()
	f.mu.Unlock()
}

func (f *writeFault) clear() {
	f.mu.Lock()
	f.err, f.at = nil, time.Now()
	f.mu.Unlock()
}

// fresh returns the remembered fault (nil if none) and whether it, or the
// last good write, is recent enough to answer without probing.
func (f *writeFault) fresh() (error, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.err, !f.at.IsZero() && time.Since(f.at) < probeEvery
}

// probeEvery bounds how often Ready writes its probe row: each probe is a
// synced commit, and a load balancer may ask every second.
const probeEvery = 5 * time.Second

// Ready reports whether the store takes writes now: nil, or an
// EUNAVAILABLE error naming the cause. It answers from the last write
// (failed for a cause classify knows, or committed) when that is recent,
// and otherwise writes a probe row. Reads may still work when writes do
// not (a read-only disk): Ping-like checks say "alive", Ready says "ready
// to write".
func (db *DB) Ready(ctx context.Context) error {
	if err, ok := db.fault.fresh(); ok {
		return err
	}
	// The probe is a real, committed write, so that a full disk or a
	// read-only file system shows here as it would to a report: a
	// transaction that only begins and rolls back may touch no disk. Its
	// success clears an old fault, so that a store that recovers while
	// no one writes is seen to.
	return db.Update(ctx, func(t vmt.Tx) error {
		_, err := t.(*tx).exec(`UPDATE store_probe SET at = $1 WHERE id = 1`, time.Now().UnixMicro())
		if err != nil {
			return wrap("write probe", err)
		}
		return nil
	})
}
