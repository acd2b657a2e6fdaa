package store

import (
	"fmt"
	"net/url"
	"path/filepath"
	"strings"

	"github.com/outpost-org/outpost/internal/outpost"
)

// ServeLockSuffix names the file beside a SQLite database that the
// serving process holds locked where the database file itself cannot be
// (systems other than Linux; see lockServed).
const ServeLockSuffix = ".serve-lock"

// LockServing claims a SQLite database for the one server process it may
// have, and answers how to let it go. The claim is an advisory lock
// (flock): the system lets it go when the process ends, however it ends,
// so a crash leaves nothing to clean up. A second `outpost serve` on the
// same database is refused (ECONFLICT): its check-in batcher, sign-in
// backoff and census would each think themselves alone, and SQLite lets
// one process write at a time. The claim is on the database, not on how
// it was named: on Linux the database file itself is locked, so a
// symbolic link, a relative path, a file: URI or a hard link to it all
// meet the same lock. Commands that only import, back up or check still
// open the file beside the server. On PostgreSQL, where any number of
// servers may share the database, and for in-memory SQLite, it claims
// nothing.
func LockServing(dsn string) (release func(), err error) {
	if IsPostgres(dsn) {
		return func() {}, nil
	}
	path, err := sqliteFile(dsn)
	if err != nil {
		return nil, err
	}
	if path == "" {
		return func() {}, nil
	}
	release, locked, held, err := lockServed(path)
	if err != nil {
		return nil, outpost.Errorf(outpost.EUNAVAILABLE, "cannot lock %s: %v", locked, err)
	}
	if held {
		return nil, outpost.Errorf(outpost.ECONFLICT,
			"%s is already served by another outpost serve process (it holds a lock on %s): a SQLite database takes one server; stop the other one, or move to PostgreSQL to run several servers",
			path, locked)
	}
	return release, nil
}

// sqliteFile returns the file a SQLite dsn names (a path, optionally after
// "sqlite:", or a file: URI), "" for an in-memory database.
func sqliteFile(dsn string) (string, error) {
	p := strings.TrimPrefix(dsn, "sqlite:")
	if strings.HasPrefix(p, "file:") {
		u, err := url.Parse(p)
		if err != nil {
			return "", outpost.Errorf(outpost.EINVALID, "database %s: not a file: URI: %v", dsn, err)
		}
		if q := u.Query(); q.Get("mode") == "memory" || q.Get("vfs") == "memdb" {
			return "", nil
		}
		if u.Host != "" && u.Host != "localhost" {
			return "", outpost.Errorf(outpost.EINVALID, "database %s: a file: URI names a file on this machine (got host %q)", dsn, u.Host)
		}
		if p = u.Path; u.Opaque != "" {
			if p, err = url.PathUnescape(u.Opaque); err != nil {
				return "", outpost.Errorf(outpost.EINVALID, "database %s: %v", dsn, err)
			}
		}
	}
	if p == "" || p == ":memory:" {
		return "", nil
	}
	return p, nil
}

// canonical returns path absolute with every symbolic link resolved; a
// file not there yet is resolved through its folder.
func canonical(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", fmt.Errorf("resolve %s: %w", path, err)
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		return real, nil
	}
	dir, err := filepath.EvalSymlinks(filepath.Dir(abs))
	if err != nil {
		return "", fmt.Errorf("resolve %s: %w", path, err)
	}
	return filepath.Join(dir, filepath.Base(abs)), nil
}
