//go:build sqlite_mattn

package store

import (
	"strconv"

	_ "github.com/mattn/go-sqlite3" // registers the "sqlite3" database/sql driver
)

// sqliteDriver: mattn/go-sqlite3 (the C library through cgo), selected by
// the build tag sqlite_mattn for measurement; it needs a C compiler.
const sqliteDriver = "sqlite3"

func sqliteDSN(path string, write bool) string {
	dsn := "file:" + path + "?_foreign_keys=1&_journal_mode=WAL&_busy_timeout=10000&_synchronous=FULL&_cache_size=-" + strconv.Itoa(pageCacheKiB)
	if write {
		dsn += "&_txlock=immediate"
	}
	return dsn
}
