//go:build !sqlite_ncruces && !sqlite_mattn

package store

import _ "modernc.org/sqlite" // registers the "sqlite" database/sql driver

// sqliteDriver is the database/sql driver of SQLite files: modernc.org's
// SQLite, translated to Go (no cgo). The build tags sqlite_ncruces and
// sqlite_mattn select other drivers, for measuring them (bench/import.sh
// with DRIVERS=all, docs/benchmarks.md).
const sqliteDriver = "sqlite"

// sqliteDSN is how a connection to the file at path is opened
// (pragmaDSN); write connections begin their transactions IMMEDIATE.
func sqliteDSN(path string, write bool) string {
	if write {
		return pragmaDSN(path) + "&_txlock=immediate"
	}
	return pragmaDSN(path)
}
