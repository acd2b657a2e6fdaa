package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"strconv"
)

// pageCacheKiB is the page cache of every SQLite connection, in KiB: 64 MB,
// which also bounds what a sort holds in memory before it spills to a
// temporary file.
const pageCacheKiB = 65536

// pragmaDSN is the part of a SQLite file's connection string that the
// drivers taking `_pragma` parameters share: WAL, foreign keys, a busy
// timeout, every commit synced, the page cache of pageCacheKiB.
func pragmaDSN(path string) string {
	return "file:" + path + "?_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)" +
		"&_pragma=synchronous(FULL)&_pragma=cache_size(-" + strconv.Itoa(pageCacheKiB) + ")"
}

// withPageCache runs fn on one connection of pool with its page cache held
// to kib KiB, and gives the connection its usual cache back afterwards.
// It is for work that reads or writes far more pages than any cache holds
// and reads each of them once or a few times (a scan of an index, a
// million-row import): there, a large cache only grows the process by
// its size (SQLite fills it and keeps it; each connection has its own)
// and saves no reading. A connection whose cache cannot be restored is
// closed, so the pool never hands it out again. On PostgreSQL it only
// lends fn a connection.
func (db *DB) withPageCache(ctx context.Context, pool *sql.DB, kib int, fn func(*sql.Conn) error) error {
	conn, err := pool.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if db.dialect != SQLite {
		return fn(conn)
	}
	if err := setPageCache(ctx, conn, kib); err != nil {
		return err
	}
	err = fn(conn)
	// Also after a cancelled context (an interrupted import), since the
	// connection goes back to the pool. Failing that, it is dropped, which
	// costs a new connection and is no failure of fn's work (an import may
	// have committed by then).
	if rerr := setPageCache(context.WithoutCancel(ctx), conn, pageCacheKiB); rerr != nil {
		conn.Raw(func(any) error { return driver.ErrBadConn })
	}
	return err
}

func setPageCache(ctx context.Context, conn *sql.Conn, kib int) error {
	_, err := conn.ExecContext(ctx, `PRAGMA cache_size = -`+strconv.Itoa(kib))
	return err
}
