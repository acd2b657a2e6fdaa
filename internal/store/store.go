// Package store implements outpost.Store on database/sql for two engines:
// the embedded SQLite file (modernc.org/sqlite, no cgo) and PostgreSQL
// (pgx). One copy of each query serves both; PostgreSQL's placeholders are
// rebound from ? to $n, and the few statements that differ are chosen by
// dialect. Migrations are embedded per dialect and applied on open.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
	"github.com/outpost-org/outpost/internal/outpost"
)

// Dialect names the SQL engine behind a DB.
type Dialect string

// The supported engines.
const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// DB is an outpost.Store over SQLite or PostgreSQL.
type DB struct {
	dialect Dialect
	dsn     string
	// write takes every transaction that writes. On SQLite it holds one
	// connection whose transactions begin IMMEDIATE, so writers queue in
	// Go instead of failing with "database is locked".
	write *sql.DB
	// read serves queries; on SQLite several readers run beside the writer
	// thanks to WAL.
	read *sql.DB
	// Now is the clock; tests replace it.
	Now func() time.Time
	// readStmts keeps one-row reads prepared on the read pool (SQLite).
	readStmts sync.Map // query text → *sql.Stmt
	readStmtN atomic.Int32
	// notify tells the other servers on a PostgreSQL database that the
	// census changed (census_changes.go).
	notify notifier
}

var _ outpost.Store = (*DB)(nil)

// IsPostgres reports whether dsn selects PostgreSQL.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Exists reports whether the database named by dsn is already there: a
// PostgreSQL database is taken to be (connecting tells), a SQLite file
// must exist. Commands that only read a database (backup, check) ask
// first, so that a mistyped --db is not a new, empty database that
// "backs up" and "checks ok".
func Exists(dsn string) bool {
	if IsPostgres(dsn) {
		return true
	}
	st, err := os.Stat(strings.TrimPrefix(dsn, "sqlite:"))
	return err == nil && st.Mode().IsRegular() && st.Size() > 0
}

// Open opens (creating if needed) the database named by dsn and brings its
// schema up to date. A dsn starting with postgres:// or postgresql://
// selects PostgreSQL; anything else is a SQLite file path, optionally
// prefixed with "sqlite:".
func Open(ctx context.Context, dsn string) (*DB, error) {
	db := &DB{dsn: dsn, Now: time.Now}
	var err error
	if IsPostgres(dsn) {
		db.dialect = Postgres
		db.write, err = sql.Open("pgx", dsn)
		if err == nil {
			db.write.SetMaxOpenConns(8)
			db.write.SetMaxIdleConns(8)
			db.read = db.write
		}
	} else {
		db.dialect = SQLite
		path := strings.TrimPrefix(dsn, "sqlite:")
		if path == "" {
			return nil, outpost.Errorf(outpost.EUNAVAILABLE, "no database file given")
		}
		if dir := filepath.Dir(path); dir != "." {
			if st, serr := os.Stat(dir); serr != nil || !st.IsDir() {
				return nil, outpost.Errorf(outpost.EUNAVAILABLE, "cannot open database %s: folder %s does not exist", path, dir)
			}
		}
		if err := createPrivate(path); err != nil {
			return nil, err
		}
		db.write, err = sql.Open(sqliteDriver, sqliteDSN(path, true))
		if err == nil {
			db.write.SetMaxOpenConns(1)
			db.write.SetMaxIdleConns(1)
			db.write.SetConnMaxLifetime(0)
			db.write.SetConnMaxIdleTime(0)
			db.read, err = sql.Open(sqliteDriver, sqliteDSN(path, false))
			if err == nil {
				db.read.SetMaxOpenConns(maxReadConns)
				db.read.SetMaxIdleConns(maxReadConns)
			}
		}
	}
	if err != nil {
		return nil, &outpost.Error{Code: outpost.EUNAVAILABLE, Message: fmt.Sprintf("cannot open database: %v", err), Err: err}
	}
	if err := db.write.PingContext(ctx); err != nil {
		db.Close()
		return nil, &outpost.Error{Code: outpost.EUNAVAILABLE, Message: "cannot reach database: " + cleanDriverError(err), Err: err}
	}
	if err := db.migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// createPrivate creates a missing database file readable by its owner
// only: it holds personal data, and SQLite would create it 0644. SQLite
// gives its -wal and -shm files the mode of the database file.
func createPrivate(path string) error {
	if path == ":memory:" || strings.HasPrefix(path, "file:") {
		return nil
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return nil
	}
	if err != nil {
		return &outpost.Error{Code: outpost.EUNAVAILABLE, Message: fmt.Sprintf("cannot create database %s: %v", path, err), Err: err}
	}
	if err := f.Close(); err != nil {
		return &outpost.Error{Code: outpost.EUNAVAILABLE, Message: fmt.Sprintf("cannot create database %s: %v", path, err), Err: err}
	}
	return nil
}

func cleanDriverError(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Message
	}
	var ce *pgconn.ConnectError
	if errors.As(err, &ce) {
		return ce.Error()
	}
	return err.Error()
}

// Close releases the database.
func (db *DB) Close() error {
	db.notify.stop()
	var err error
	db.readStmts.Range(func(_, v any) bool {
		v.(*sql.Stmt).Close()
		return true
	})
	if db.read != nil && db.read != db.write {
		err = db.read.Close()
	}
	if db.write != nil {
		if e := db.write.Close(); e != nil {
			err = e
		}
	}
	return err
}

// Engine names the engine: "sqlite" or "postgres".
func (db *DB) Engine() string { return string(db.dialect) }

// Ping answers nil when the database answers.
func (db *DB) Ping(ctx context.Context) error {
	var one int
	if err := db.read.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil {
		return &outpost.Error{Code: outpost.EUNAVAILABLE, Message: "database does not answer", Err: err}
	}
	return nil
}

// rebind turns ? placeholders into $1, $2, … for PostgreSQL. Queries in
// this package never contain a literal question mark.
func (db *DB) rebind(q string) string {
	if db.dialect != Postgres || !strings.Contains(q, "?") {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 16)
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(q[i])
	}
	return b.String()
}

// inList is the parenthesised list of n placeholders (n > 0) that
// "IN" takes.
func inList(n int) string {
	return "(?" + strings.Repeat(", ?", n-1) + ")"
}

// stringArgs is ss as query arguments.
func stringArgs(ss []string) []any {
	args := make([]any, len(ss))
	for i, s := range ss {
		args[i] = s
	}
	return args
}

// forUpdate is the clause that locks the rows a SELECT reads until the
// transaction ends: " FOR UPDATE" on PostgreSQL; nothing on SQLite, whose
// one writer at a time is the lock.
func (db *DB) forUpdate() string {
	if db.dialect == Postgres {
		return " FOR UPDATE"
	}
	return ""
}

// tx is a write transaction with the package's rebinding helpers.
type tx struct {
	db *DB
	*sql.Tx
	// stmts holds the statements prepared in this transaction (SQLite):
	// a batch that runs the same statement many times parses it once.
	// They close with the transaction.
	stmts map[string]*sql.Stmt
	// census is set when the transaction wrote an audit entry that may
	// change the census: the other servers are told once it commits.
	census bool
}

// maxTxStmts bounds how many statements one transaction keeps prepared;
// beyond it, statements run unprepared as before.
const maxTxStmts = 64

// prep answers the statement for q prepared in t, or nil when statements
// are not kept (PostgreSQL, whose driver caches them itself, or a
// transaction already holding maxTxStmts).
func (t *tx) prep(ctx context.Context, q string) (*sql.Stmt, error) {
	if t.db.dialect != SQLite {
		return nil, nil
	}
	if st, ok := t.stmts[q]; ok {
		return st, nil
	}
	if len(t.stmts) >= maxTxStmts {
		return nil, nil
	}
	st, err := t.PrepareContext(ctx, q)
	if err != nil {
		return nil, err
	}
	if t.stmts == nil {
		t.stmts = map[string]*sql.Stmt{}
	}
	t.stmts[q] = st
	return st, nil
}

func (t *tx) exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	st, err := t.prep(ctx, q)
	if err != nil {
		return nil, err
	}
	if st != nil {
		return st.ExecContext(ctx, args...)
	}
	return t.ExecContext(ctx, t.db.rebind(q), args...)
}

// query runs q unprepared: a prepared statement's rows would be cut short
// if the same statement ran again while they are read.
func (t *tx) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return t.QueryContext(ctx, t.db.rebind(q), args...)
}

// queryRow runs q through the transaction's prepared statement; callers
// scan the row at once, so the statement is free again before its next use.
func (t *tx) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	if st, err := t.prep(ctx, q); err == nil && st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return t.QueryRowContext(ctx, t.db.rebind(q), args...)
}

// update runs fn in one write transaction: commit if fn returns nil, roll
// back otherwise.
func (db *DB) update(ctx context.Context, fn func(*tx) error) error {
	return db.updateOn(ctx, db.write, fn)
}

// beginner starts transactions: the write pool, or one connection of it.
type beginner interface {
	BeginTx(ctx context.Context, opts *sql.TxOptions) (*sql.Tx, error)
}

// updateOn is update in a transaction of w.
func (db *DB) updateOn(ctx context.Context, w beginner, fn func(*tx) error) error {
	sqlTx, err := w.BeginTx(ctx, nil)
	if err != nil {
		return db.wrap(err)
	}
	t := &tx{db: db, Tx: sqlTx}
	defer sqlTx.Rollback()
	if err := fn(t); err != nil {
		return db.wrap(err)
	}
	if err := sqlTx.Commit(); err != nil {
		return db.wrap(err)
	}
	if t.census {
		db.censusChanged()
	}
	return nil
}

func (db *DB) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	rows, err := db.read.QueryContext(ctx, db.rebind(q), args...)
	return rows, db.wrap(err)
}

// queryRow runs a one-row read. On SQLite the statement is prepared once
// per read connection and kept (database/sql re-prepares it on each
// connection it lands on), which saves parsing it on every request.
func (db *DB) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	if st := db.readStmt(ctx, q); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return db.read.QueryRowContext(ctx, db.rebind(q), args...)
}

// maxReadConns is how many SQLite connections read at once, beside the
// writer.
const maxReadConns = 4

// maxReadStmts bounds the statements kept prepared on the read pool.
const maxReadStmts = 256

// readStmt answers the kept read statement for q, preparing it on first
// use; nil on PostgreSQL (pgx caches statements itself), when the cache is
// full, or when preparing fails (the caller then runs q unprepared and
// reports the error as usual).
func (db *DB) readStmt(ctx context.Context, q string) *sql.Stmt {
	if db.dialect != SQLite {
		return nil
	}
	if v, ok := db.readStmts.Load(q); ok {
		return v.(*sql.Stmt)
	}
	if db.readStmtN.Load() >= maxReadStmts {
		return nil
	}
	st, err := db.read.PrepareContext(ctx, q)
	if err != nil {
		return nil
	}
	if v, loaded := db.readStmts.LoadOrStore(q, st); loaded {
		st.Close()
		return v.(*sql.Stmt)
	}
	db.readStmtN.Add(1)
	return st
}

// wrap turns driver errors into outpost errors: *outpost.Error passes
// through, a vanished database is EUNAVAILABLE, the rest EINTERNAL.
func (db *DB) wrap(err error) error {
	if err == nil {
		return nil
	}
	var oe *outpost.Error
	if errors.As(err, &oe) {
		return err
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	// A lock not granted within the lock timeout (55P03) is a busy
	// database: try again later.
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "55P03" {
		return &outpost.Error{Code: outpost.EUNAVAILABLE, Message: "busy: a record is locked by another write; try again", Err: err}
	}
	var ce *pgconn.ConnectError
	if errors.As(err, &ce) || errors.Is(err, sql.ErrConnDone) {
		return &outpost.Error{Code: outpost.EUNAVAILABLE, Message: "database unavailable: " + cleanDriverError(err), Err: err}
	}
	return &outpost.Error{Code: outpost.EINTERNAL, Message: "database error: " + cleanDriverError(err), Err: err}
}

// audit writes one audit entry inside t.
func (t *tx) audit(ctx context.Context, action, entity, id, mission string, before, after any) error {
	t.census = t.census || changesCensus(entity)
	enc := func(v any) string {
		if v == nil {
			return ""
		}
		if s, ok := v.(string); ok {
			return s
		}
		b, _ := jsonMarshal(v)
		return string(b)
	}
	_, err := t.exec(ctx, `INSERT INTO audit (at, actor, action, entity, entity_id, mission, before, after)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		t.db.Now().Unix(), outpost.ActorFrom(ctx), action, entity, id, mission, enc(before), enc(after))
	return err
}
