package store

import (
	"strings"

	"github.com/outpost-org/outpost/internal/outpost"
)

// ServeLockSuffix names the file beside a SQLite database that the
// serving process holds locked.
const ServeLockSuffix = ".serve-lock"

// LockServing claims a SQLite database for the one server process it may
// have, and answers how to let it go. The claim is an advisory lock
// (flock) on the file DB.serve-lock: the system lets it go when the
// process ends, however it ends, so a crash leaves nothing to clean up.
// A second `outpost serve` on the same file is refused (ECONFLICT): its
// check-in batcher, sign-in backoff and census would each think
// themselves alone, and SQLite lets one process write at a time.
// Commands that only import, back up or check still open the file beside
// the server. On PostgreSQL, where any number of servers may share the
// database, and for in-memory SQLite, it claims nothing.
func LockServing(dsn string) (release func(), err error) {
	if IsPostgres(dsn) {
		return func() {}, nil
	}
	path := strings.TrimPrefix(dsn, "sqlite:")
	if path == "" || path == ":memory:" || strings.HasPrefix(path, "file:") {
		return func() {}, nil
	}
	release, held, err := lockFile(path + ServeLockSuffix)
	if err != nil {
		return nil, outpost.Errorf(outpost.EUNAVAILABLE, "cannot lock %s%s: %v", path, ServeLockSuffix, err)
	}
	if held {
		return nil, outpost.Errorf(outpost.ECONFLICT,
			"%s is already served by another outpost serve process (it holds %s%s): a SQLite database takes one server; stop the other one, or move to PostgreSQL to run several servers",
			path, path, ServeLockSuffix)
	}
	return release, nil
}
