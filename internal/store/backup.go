package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/outpost-org/outpost/internal/export"
	"github.com/outpost-org/outpost/internal/outpost"
)

// Backup writes a consistent copy of the SQLite database to the file
// name, whole or not at all, while others go on reading and writing: the
// copy is made by VACUUM INTO inside one read transaction, so it holds
// every transaction committed before it began and none after. It is
// written beside name, synced, and renamed into place (mode 0600: it holds
// personal data). PostgreSQL databases are copied with pg_dump instead
// (PostgresCommands); Backup refuses them.
func (db *DB) Backup(ctx context.Context, name string) error {
	if db.dialect != SQLite {
		return outpost.Errorf(outpost.EINVALID, "backup: the database is PostgreSQL: copy it with pg_dump")
	}
	for _, suffix := range []string{"", "-wal", "-shm", "-journal"} {
		if same, err := sameFile(db.path()+suffix, name); err != nil || same {
			if err == nil {
				err = errors.New("that is the database itself")
				if suffix != "" {
					err = fmt.Errorf("that is the database's %s file", strings.TrimPrefix(suffix, "-"))
				}
			}
			return outpost.Errorf(outpost.EINVALID, "backup: cannot write %s: %v", name, err)
		}
	}
	dir := filepath.Dir(name)
	// VACUUM INTO makes its file itself and refuses one that exists: it
	// writes into a new folder beside the target, from which the finished
	// copy is renamed.
	tmpDir, err := os.MkdirTemp(dir, "."+filepath.Base(name)+".*.tmp")
	if err != nil {
		return outpost.Errorf(outpost.EINVALID, "backup: cannot write %s: %v", name, unwrapPathError(err))
	}
	defer os.RemoveAll(tmpDir)
	tmp := filepath.Join(tmpDir, "backup.db")
	if _, err := db.read.ExecContext(ctx, `VACUUM INTO ?`, tmp); err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("backup: %w", ctx.Err())
		}
		return outpost.Errorf(outpost.EINVALID, "backup: cannot write %s: %s", name, cleanDriverError(err))
	}
	// SQLite does not sync the file VACUUM INTO writes.
	if err := syncFile(tmp); err != nil {
		return outpost.Errorf(outpost.EINVALID, "backup: cannot write %s: %v", name, err)
	}
	if err := os.Chmod(tmp, 0o600); err != nil {
		return outpost.Errorf(outpost.EINVALID, "backup: cannot write %s: %v", name, unwrapPathError(err))
	}
	if err := os.Rename(tmp, name); err != nil {
		return outpost.Errorf(outpost.EINVALID, "backup: cannot write %s: %v", name, unwrapLinkError(err))
	}
	if err := export.SyncDir(dir); err != nil {
		return outpost.Errorf(outpost.EINVALID, "backup: cannot write %s: sync the folder: %v", name, err)
	}
	return nil
}

// path is the SQLite database's file.
func (db *DB) path() string { return strings.TrimPrefix(db.dsn, "sqlite:") }

// Restore replaces the SQLite database named by dsn with the backup in
// from. The backup is first copied beside the database and checked (its
// integrity, its foreign keys, and that it is an Outpost database this
// version can open); a backup that fails leaves the database untouched.
// Every session of the backup is ended: a browser signed out, or a user
// disabled or given a new password since the backup, must not be signed
// in again by it (its passwords and API tokens come back: `outpost restore` says so).
// The database must not be open anywhere (outpost serve, another command):
// Restore refuses one that is, and holds it locked while the checked copy
// is renamed into its place. PostgreSQL databases are restored with
// pg_restore instead (PostgresCommands); Restore refuses them.
func Restore(ctx context.Context, dsn, from string) error {
	if IsPostgres(dsn) {
		return outpost.Errorf(outpost.EINVALID, "restore: the database is PostgreSQL: restore it with pg_restore")
	}
	target := strings.TrimPrefix(dsn, "sqlite:")
	if target == "" {
		return outpost.Errorf(outpost.EUNAVAILABLE, "no database file given")
	}
	if same, err := sameFile(target, from); err == nil && same {
		return outpost.Errorf(outpost.EINVALID, "restore: %s is the database itself", from)
	}
	src, err := os.Open(from)
	if err != nil {
		return outpost.Errorf(outpost.EINVALID, "restore: cannot open %s: %v", from, unwrapPathError(err))
	}
	defer src.Close()
	dir := filepath.Dir(target)
	tmpDir, err := os.MkdirTemp(dir, "."+filepath.Base(target)+".*.restore")
	if err != nil {
		return outpost.Errorf(outpost.EUNAVAILABLE, "restore: cannot write beside %s: %v", target, unwrapPathError(err))
	}
	defer os.RemoveAll(tmpDir)
	tmp := filepath.Join(tmpDir, "restore.db")
	if err := copyFile(ctx, tmp, src); err != nil {
		return outpost.Errorf(outpost.EINVALID, "restore: cannot copy %s beside the database: %v", from, err)
	}
	if err := verifyBackup(ctx, tmp); err != nil {
		return outpost.Errorf(outpost.EINVALID, "restore: %s is not a good backup: %v; the database was left as it was", from, err)
	}
	if err := endSessions(ctx, tmp); err != nil {
		return outpost.Errorf(outpost.EINVALID, "restore: cannot sign everyone out of %s: %v; the database was left as it was", from, err)
	}
	release, err := lockUnused(ctx, target)
	if err != nil {
		return err
	}
	defer release()
	// A journal left beside the old database belongs to it, never to the
	// restored one.
	for _, ext := range []string{"-wal", "-shm", "-journal"} {
		if err := os.Remove(target + ext); err != nil && !errors.Is(err, os.ErrNotExist) {
			return outpost.Errorf(outpost.EUNAVAILABLE, "restore: cannot remove %s: %v", target+ext, unwrapPathError(err))
		}
	}
	if err := os.Rename(tmp, target); err != nil {
		return outpost.Errorf(outpost.EUNAVAILABLE, "restore: cannot replace %s: %v", target, unwrapLinkError(err))
	}
	if err := export.SyncDir(dir); err != nil {
		return outpost.Errorf(outpost.EUNAVAILABLE, "restore: sync the folder of %s: %v", target, err)
	}
	return nil
}

// endSessions deletes every session of the SQLite database at path, a
// restored copy not yet in place, and syncs it.
func endSessions(ctx context.Context, path string) error {
	pool, err := sql.Open(sqliteDriver, sqliteDSN(path, true))
	if err != nil {
		return err
	}
	pool.SetMaxOpenConns(1)
	var n int
	err = pool.QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'sessions'`).Scan(&n)
	if err == nil && n > 0 {
		_, err = pool.ExecContext(ctx, `DELETE FROM sessions`)
	}
	// Closing the last connection checkpoints the journal into the file.
	if cerr := pool.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("end the sessions: %s", cleanDriverError(err))
	}
	return syncFile(path)
}

// lockUnused opens the database at path alone and keeps it locked until
// release is called, or refuses with a clear error when another
// connection, in this process or another, has it open. A WAL database can
// leave WAL mode only when no one else has it open (SQLite's own test), and
// an exclusive transaction in rollback mode keeps everyone out. A nil
// release when there is no database yet.
func lockUnused(ctx context.Context, path string) (release func(), err error) {
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return func() {}, nil
	}
	pool, err := sql.Open(sqliteDriver, sqliteDSN(path, false))
	if err != nil {
		return nil, outpost.Errorf(outpost.EUNAVAILABLE, "restore: cannot open %s: %v", path, err)
	}
	pool.SetMaxOpenConns(1)
	conn, err := pool.Conn(ctx)
	if err != nil {
		pool.Close()
		return nil, inUse(path, err)
	}
	release = func() {
		conn.Close()
		pool.Close()
	}
	for _, q := range []string{`PRAGMA busy_timeout = 0`, `PRAGMA journal_mode = DELETE`, `BEGIN EXCLUSIVE`} {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			release()
			return nil, inUse(path, err)
		}
	}
	var mode string
	if err := conn.QueryRowContext(ctx, `PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "delete" {
		release()
		return nil, inUse(path, fmt.Errorf("it stays in journal mode %q", mode))
	}
	return release, nil
}

func inUse(path string, err error) error {
	return &outpost.Error{Code: outpost.EINVALID, Err: err, Message: fmt.Sprintf(
		"restore: the database %s is in use (is outpost serve or another command running on it?): stop it, then restore (%s)", path, cleanDriverError(err))}
}

// verifyBackup opens the copy of a backup and checks it as Check does,
// and that this version of Outpost knows its schema.
func verifyBackup(ctx context.Context, path string) error {
	pool, err := sql.Open(sqliteDriver, sqliteDSN(path, false))
	if err != nil {
		return err
	}
	defer pool.Close()
	pool.SetMaxOpenConns(1)
	var v int
	if err := pool.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_version`).Scan(&v); err != nil {
		return fmt.Errorf("not an Outpost database (%s)", cleanDriverError(err))
	}
	latest, err := latestMigration(SQLite)
	if err != nil {
		return err
	}
	if v > latest {
		return fmt.Errorf("made by a newer Outpost (schema version %d, this one knows %d)", v, latest)
	}
	if v == 0 {
		return errors.New("not an Outpost database (no schema version)")
	}
	if problems, err := sqliteIntegrity(ctx, pool); err != nil || len(problems) > 0 {
		if err != nil {
			return err
		}
		return fmt.Errorf("integrity check failed: %s", strings.Join(problems, "; "))
	}
	return nil
}

// copyFile copies r to the new file name and syncs it.
func copyFile(ctx context.Context, name string, r io.Reader) error {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return unwrapPathError(err)
	}
	_, err = io.Copy(f, readerCtx{ctx, r})
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return unwrapPathError(err)
}

// readerCtx stops a copy when its context is cancelled.
type readerCtx struct {
	ctx context.Context
	r   io.Reader
}

func (r readerCtx) Read(p []byte) (int, error) {
	if err := r.ctx.Err(); err != nil {
		return 0, err
	}
	return r.r.Read(p)
}

func syncFile(name string) error {
	f, err := os.OpenFile(name, os.O_RDWR, 0)
	if err != nil {
		return unwrapPathError(err)
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return unwrapPathError(err)
}

// sameFile reports whether a and b name one file (false when b does not
// exist).
func sameFile(a, b string) (bool, error) {
	sb, err := os.Stat(b)
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, unwrapPathError(err)
	}
	sa, err := os.Stat(a)
	if err != nil {
		return false, nil
	}
	return os.SameFile(sa, sb), nil
}

func unwrapPathError(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func unwrapLinkError(err error) error {
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	return err
}

// PostgresCommands returns the pg_dump and pg_restore command lines that
// back up and restore the PostgreSQL database dsn into and from file. The
// password is left out of the printed DSN (pg_dump takes it from
// PGPASSWORD or ~/.pgpass), and a search_path parameter (a schema of its
// own) becomes pg_dump's --schema.
func PostgresCommands(dsn, file string) (dump, restore string) {
	conn, schema := libpqDSN(dsn)
	only := ""
	if schema != "" {
		only = " --schema=" + shellQuote(schema)
	}
	dump = fmt.Sprintf("pg_dump --format=custom --no-owner%s --file=%s %s", only, shellQuote(file), shellQuote(conn))
	restore = fmt.Sprintf("pg_restore --clean --if-exists --no-owner --single-transaction --exit-on-error --dbname=%s %s", shellQuote(conn), shellQuote(file))
	return dump, restore
}

// libpqParams are the URI parameters pg_dump understands; the others in an
// Outpost DSN are pgx's own.
var libpqParams = map[string]bool{"host": true, "hostaddr": true, "port": true, "dbname": true, "user": true,
	"sslmode": true, "sslcert": true, "sslkey": true, "sslrootcert": true, "sslcrl": true, "sslpassword": false,
	"connect_timeout": true, "application_name": true, "options": true, "target_session_attrs": true,
	"service": true, "gssencmode": true, "krbsrvname": true, "channel_binding": true}

// libpqDSN rewrites an Outpost DSN for libpq: no password, only the
// parameters libpq knows, and the search_path apart.
func libpqDSN(dsn string) (conn, schema string) {
	u, err := url.Parse(dsn)
	if err != nil {
		return "postgres://HOST/DATABASE", ""
	}
	if u.User != nil {
		u.User = url.User(u.User.Username())
	}
	q := u.Query()
	schema = q.Get("search_path")
	for k := range q {
		if !libpqParams[k] {
			q.Del(k)
		}
	}
	u.RawQuery = q.Encode()
	return u.String(), schema
}

// shellQuote quotes s for a POSIX shell where it needs it.
func shellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./:=@,+", r))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
