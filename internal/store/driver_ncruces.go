//go:build sqlite_ncruces

package store

import _ "github.com/ncruces/go-sqlite3/driver" // registers the "sqlite3" database/sql driver

// sqliteDriver: ncruces/go-sqlite3 (SQLite compiled to WebAssembly, run
// without cgo), selected by the build tag sqlite_ncruces for measurement.
const sqliteDriver = "sqlite3"

func sqliteDSN(path string, write bool) string {
	dsn := "file:" + path + "?_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)" +
		"&_pragma=synchronous(FULL)&_pragma=cache_size(-65536)"
	if write {
		dsn += "&_txlock=immediate"
	} else {
		dsn += "&_txlock=deferred"
	}
	return dsn
}
