//go:build sqlite_ncruces

package store

import _ "github.com/ncruces/go-sqlite3/driver" // registers the "sqlite3" database/sql driver

// sqliteDriver: ncruces/go-sqlite3 (SQLite compiled to WebAssembly, run
// without cgo), selected by the build tag sqlite_ncruces for measurement.
const sqliteDriver = "sqlite3"

// sqliteDSN: as with modernc; readers begin DEFERRED (ncruces begins
// IMMEDIATE unless told).
func sqliteDSN(path string, write bool) string {
	if write {
		return pragmaDSN(path) + "&_txlock=immediate"
	}
	return pragmaDSN(path) + "&_txlock=deferred"
}
