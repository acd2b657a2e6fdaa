//go:build !sqlite_ncruces && !sqlite_mattn

package store

import _ "modernc.org/sqlite" // registers the "sqlite" database/sql driver

// sqliteDriver is the database/sql driver of SQLite files: modernc.org's
// SQLite, translated to Go (no cgo). The build tags sqlite_ncruces and
// sqlite_mattn select other drivers, for measuring them (bench/import.sh
// with DRIVERS=all, docs/benchmarks.md).
const sqliteDriver = "sqlite"

// sqliteDSN is how a connection to the file at path is opened: WAL,
// foreign keys, a busy timeout, every commit synced, a 64 MB page cache
// (which also bounds what a sort holds in memory before it spills to a
// temporary file); write connections begin their transactions IMMEDIATE.
func sqliteDSN(path string, write bool) string {
	dsn := "file:" + path + "?_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)" +
		"&_pragma=synchronous(FULL)&_pragma=cache_size(-65536)"
	if write {
		dsn += "&_txlock=immediate"
	}
	return dsn
}
