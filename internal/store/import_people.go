package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/outpost-org/outpost/internal/outpost"
)

// A people import writes each row once into people: a new person gets the
// row's status as their registration (the first event of their history,
// kept in the row itself), an existing person gets the asserted status
// parked in imp_* columns. One set-based step afterwards turns parked
// statuses into events where they say something new. A bulk import of new
// people therefore costs one insert per row, like a plain table load.

// importCols are the columns a people import writes, in row order.
var importCols = []string{"id", "household", "given_name", "family_name", "nationality", "mission",
	"category", "birth_date", "essential", "medical", "ready", "passport", "status", "since", "imp_given"}

// updatable are the columns a re-import overwrites.
var updatable = []string{"household", "given_name", "family_name", "nationality", "mission",
	"category", "birth_date", "essential", "medical", "ready", "passport"}

func importValues(r *outpost.PersonRecord, dst []any) []any {
	return append(dst, r.ID, r.Household, r.GivenName, r.FamilyName, r.Nationality, r.Mission,
		string(r.Category), string(r.BirthDate), r.Essential, r.Medical, string(r.Ready), r.Passport,
		string(r.Status), r.Since.Unix(), r.SinceGiven)
}

// ImportPeople inserts or updates people by id and records the status each
// row asserts, all or nothing, in one transaction.
func (db *DB) ImportPeople(ctx context.Context, b outpost.Batch[outpost.PersonRecord]) (outpost.ImportStats, error) {
	if db.dialect == Postgres {
		return db.importPeoplePostgres(ctx, b)
	}
	var st outpost.ImportStats
	err := db.withPageCache(ctx, db.write, importPageCacheKiB, func(conn *sql.Conn) error {
		return db.updateOn(ctx, conn, func(t *tx) error { return db.importPeopleSQLite(ctx, t, b, &st) })
	})
	return st, db.wrap(err)
}

// importPageCacheKiB is the page cache of a people import on SQLite: a
// quarter of the usual. A large import writes every page of the table and
// its indexes once (it spills what the cache cannot hold to the WAL and
// goes on), and the indexes of a first import are built by a sort whose
// memory the cache size also bounds, spilling the rest to temporary files
// that have no name (O_TMPFILE, or deleted as they are opened), so that
// none outlives the process. The usual 64 MB cache saved no measurable
// time there and cost 200 MB of resident memory at a million people
// (docs/benchmarks.md, Memory).
const importPageCacheKiB = 16384

// importPeopleSQLite is ImportPeople's transaction on SQLite; it sets *st.
func (db *DB) importPeopleSQLite(ctx context.Context, t *tx, b outpost.Batch[outpost.PersonRecord], st *outpost.ImportStats) error {
	b, docs := collectExitDocs(b)
	var before int
	if err := t.queryRow(ctx, `SELECT COUNT(*) FROM people`).Scan(&before); err != nil {
		return err
	}
	// Into an empty table, the secondary indexes are built once after
	// the rows are in (a sort) instead of row by row (a B-tree descent
	// and often a page split for each row); inside the transaction, so
	// a failure or a kill leaves them as they were.
	bulk := before == 0
	if bulk {
		for _, ix := range peopleIndexes {
			if _, err := t.ExecContext(ctx, `DROP INDEX `+ix.name); err != nil {
				return err
			}
		}
	}
	n, err := upsertSQLite(ctx, t, b)
	if err != nil {
		return err
	}
	if err := b.Err(); err != nil {
		return err // a refused file: no index to build, all rolls back
	}
	if err := writeImportedDocs(ctx, sqlRunner{t}, db.Now().Unix(), *docs); err != nil {
		return err
	}
	if bulk {
		for _, ix := range peopleIndexes {
			if _, err := t.ExecContext(ctx, `CREATE INDEX `+ix.name+` ON people `+ix.def); err != nil {
				return err
			}
		}
	}
	var after int
	if err := t.queryRow(ctx, `SELECT COUNT(*) FROM people`).Scan(&after); err != nil {
		return err
	}
	*st = outpost.ImportStats{Rows: n, Inserted: after - before, Updated: n - (after - before)}
	return db.settleImport(ctx, sqlRunner{t}, st)
}

// peopleIndexes are the secondary indexes of people on SQLite that a row
// of a fresh import enters, as migration 0001 creates them
// (people_pending holds only parked re-imports).
var peopleIndexes = []struct{ name, def string }{
	{"people_mission", "(mission, id)"},
	{"people_household", "(household)"},
}

// upsertSQLite writes the rows many to a statement: fewer trips through
// the driver is most of the speed on SQLite.
func upsertSQLite(ctx context.Context, t *tx, b outpost.Batch[outpost.PersonRecord]) (int, error) {
	const per = 200
	row := "(" + strings.TrimSuffix(strings.Repeat("?,", len(importCols)+2), ",") + ")"
	var set []string
	for _, c := range updatable {
		set = append(set, c+" = excluded."+c)
	}
	set = append(set, "imp_status = excluded.status", "imp_since = excluded.since", "imp_given = excluded.imp_given")
	stmt := func(rows int) string {
		return `INSERT INTO people (` + strings.Join(importCols, ", ") + `, reg_status, reg_since) VALUES ` +
			strings.TrimSuffix(strings.Repeat(row+",", rows), ",") +
			` ON CONFLICT (id) DO UPDATE SET ` + strings.Join(set, ", ")
	}
	many, err := t.PrepareContext(ctx, stmt(per))
	if err != nil {
		return 0, err
	}
	defer many.Close()
	one, err := t.PrepareContext(ctx, stmt(1))
	if err != nil {
		return 0, err
	}
	defer one.Close()
	width := len(importCols) + 2
	// The rows become statement arguments on the reading side, so the
	// writer (SQLite's one thread, the slower of the two) only binds them.
	blocks := func(yield func([]any) bool) {
		args := make([]any, 0, per*width)
		for r := range b.Rows {
			args = importValues(&r, args)
			args = append(args, string(r.Status), r.Since.Unix())
			if len(args) == per*width {
				if !yield(args) {
					return
				}
				args = make([]any, 0, per*width)
			}
		}
		if len(args) > 0 {
			yield(args)
		}
	}
	n := 0
	chunks, stop := prefetch(blocks, 4)
	defer stop()
	for chunk := range chunks {
		for _, args := range chunk {
			if len(args) == per*width {
				if _, err := many.ExecContext(ctx, args...); err != nil {
					return n, err
				}
				n += per
				continue
			}
			for i := 0; i < len(args)/width; i++ {
				if _, err := one.ExecContext(ctx, args[i*width:(i+1)*width]...); err != nil {
					return n, err
				}
				n++
			}
		}
	}
	stop()
	return n, nil
}

const stageTable = `(
	id TEXT COLLATE "C" NOT NULL, household TEXT NOT NULL, given_name TEXT NOT NULL, family_name TEXT NOT NULL,
	nationality TEXT NOT NULL, mission TEXT NOT NULL, category TEXT NOT NULL, birth_date TEXT NOT NULL,
	essential BOOLEAN NOT NULL, medical INTEGER NOT NULL, ready TEXT NOT NULL, passport TEXT NOT NULL,
	status TEXT NOT NULL, since BIGINT NOT NULL, imp_given BOOLEAN NOT NULL)`

// importPeoplePostgres streams the rows with COPY into a temporary table,
// then updates the people who exist and inserts the rest.
// It stays whole: the steps run in one transaction over one staging
// table, in an order the statements depend on.
func (db *DB) importPeoplePostgres(ctx context.Context, b outpost.Batch[outpost.PersonRecord]) (outpost.ImportStats, error) {
	conn, err := db.write.Conn(ctx)
	if err != nil {
		return outpost.ImportStats{}, db.wrap(err)
	}
	defer conn.Close()
	var st outpost.ImportStats
	b, docs := collectExitDocs(b)
	err = conn.Raw(func(dc any) error {
		pc := dc.(*stdlib.Conn).Conn()
		ptx, err := pc.Begin(ctx)
		if err != nil {
			return err
		}
		defer ptx.Rollback(context.WithoutCancel(ctx))
		var empty bool
		if err := ptx.QueryRow(ctx, `SELECT NOT EXISTS (SELECT 1 FROM people)`).Scan(&empty); err != nil {
			return err
		}
		if empty {
			// A first load: every row is new, so COPY goes straight into
			// people, each row its own registration.
			chunks, stop := prefetch(b.Rows, 1024)
			defer stop()
			n, err := ptx.CopyFrom(ctx, pgx.Identifier{"people"}, append(importCols, "reg_status", "reg_since"),
				&copySource{chunks: chunks, registration: true})
			if err != nil {
				return err
			}
			stop()
			if err := b.Err(); err != nil {
				return err
			}
			if err := writeImportedDocs(ctx, pgxRunner{db, ptx}, db.Now().Unix(), *docs); err != nil {
				return err
			}
			st = outpost.ImportStats{Rows: int(n), Inserted: int(n)}
			if err := db.settleImport(ctx, pgxRunner{db, ptx}, &st); err != nil {
				return err
			}
			return ptx.Commit(ctx)
		}
		if _, err := ptx.Exec(ctx, `CREATE TEMP TABLE stage_people `+stageTable+` ON COMMIT DROP`); err != nil {
			return err
		}
		chunks, stop := prefetch(b.Rows, 1024)
		defer stop()
		n, err := ptx.CopyFrom(ctx, pgx.Identifier{"stage_people"}, importCols, &copySource{chunks: chunks})
		if err != nil {
			return err
		}
		stop()
		if err := b.Err(); err != nil {
			return err
		}
		st.Rows = int(n)
		if st.Rows == 0 {
			return ptx.Commit(ctx)
		}
		var set []string
		for _, c := range updatable {
			set = append(set, c+" = s."+c)
		}
		tag, err := ptx.Exec(ctx, `UPDATE people p SET `+strings.Join(set, ", ")+`,
			imp_status = s.status, imp_since = s.since, imp_given = s.imp_given
			FROM stage_people s WHERE p.id = s.id`)
		if err != nil {
			return err
		}
		st.Updated = int(tag.RowsAffected())
		cols := strings.Join(importCols, ", ")
		tag, err = ptx.Exec(ctx, `INSERT INTO people (`+cols+`, reg_status, reg_since)
			SELECT `+cols+`, status, since FROM stage_people s
			WHERE NOT EXISTS (SELECT 1 FROM people p WHERE p.id = s.id)`)
		if err != nil {
			return err
		}
		st.Inserted = int(tag.RowsAffected())
		if err := writeImportedDocs(ctx, pgxRunner{db, ptx}, db.Now().Unix(), *docs); err != nil {
			return err
		}
		if err := db.settleImport(ctx, pgxRunner{db, ptx}, &st); err != nil {
			return err
		}
		return ptx.Commit(ctx)
	})
	if err != nil {
		return outpost.ImportStats{}, db.wrap(err)
	}
	db.censusChanged()
	return st, nil
}

// copySource feeds pgx's COPY from prefetched chunks.
type copySource struct {
	chunks <-chan []outpost.PersonRecord
	chunk  []outpost.PersonRecord
	vals   []any
	// registration adds reg_status and reg_since, for a COPY straight
	// into people.
	registration bool
}

func (c *copySource) Next() bool {
	for len(c.chunk) == 0 {
		var ok bool
		if c.chunk, ok = <-c.chunks; !ok {
			return false
		}
	}
	r := &c.chunk[0]
	c.vals = importValues(r, c.vals[:0])
	if c.registration {
		c.vals = append(c.vals, string(r.Status), r.Since.Unix())
	}
	c.chunk = c.chunk[1:]
	return true
}

func (c *copySource) Values() ([]any, error) { return c.vals, nil }
func (c *copySource) Err() error             { return nil }

// runner runs statements inside the import's transaction, whichever
// driver holds it.
type runner interface {
	exec(ctx context.Context, q string, args ...any) (int64, error)
	// each runs a query and calls row for each row it answers.
	each(ctx context.Context, q string, args []any, row func(interface{ Scan(...any) error }) error) error
}

type sqlRunner struct{ t *tx }

func (r sqlRunner) exec(ctx context.Context, q string, args ...any) (int64, error) {
	res, err := r.t.exec(ctx, q, args...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

func (r sqlRunner) each(ctx context.Context, q string, args []any, row func(interface{ Scan(...any) error }) error) error {
	rows, err := r.t.query(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	return eachRow(rows, row)
}

type pgxRunner struct {
	db *DB
	tx pgx.Tx
}

func (r pgxRunner) exec(ctx context.Context, q string, args ...any) (int64, error) {
	tag, err := r.tx.Exec(ctx, r.db.rebind(q), args...)
	return tag.RowsAffected(), err
}

func (r pgxRunner) each(ctx context.Context, q string, args []any, row func(interface{ Scan(...any) error }) error) error {
	rows, err := r.tx.Query(ctx, r.db.rebind(q), args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	return eachRow(rows, row)
}

// eachRow calls row for each of rows (database/sql's or pgx's, which
// share these methods), then answers the iteration's error.
func eachRow(rows interface {
	Next() bool
	Scan(...any) error
	Err() error
}, row func(interface{ Scan(...any) error }) error) error {
	for rows.Next() {
		if err := row(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// settleImport turns the statuses a re-import parked on existing people
// into events: a row that gives `since` records its status at that time
// unless the history already has that very event; a row without `since`
// records its status only when it differs from the current one. Then it
// brings current statuses up to date and audits the import.
func (db *DB) settleImport(ctx context.Context, r runner, st *outpost.ImportStats) error {
	if st.Updated > 0 {
		n, err := r.exec(ctx, `INSERT INTO status_events (person_id, at, status, source)
			SELECT id, imp_since, imp_status, 'import' FROM people
			WHERE imp_status IS NOT NULL AND (
			    (imp_given AND NOT (reg_since = imp_since AND reg_status = imp_status)
			     AND NOT EXISTS (SELECT 1 FROM status_events e
			                     WHERE e.person_id = people.id AND e.at = people.imp_since AND e.status = people.imp_status))
			 OR (NOT imp_given AND status <> imp_status))`)
		if err != nil {
			return err
		}
		st.Events = int(n)
		if _, err := r.exec(ctx, `UPDATE people SET `+currentStatusSet+`, imp_status = NULL, imp_since = NULL
			WHERE imp_status IS NOT NULL`); err != nil {
			return err
		}
	}
	st.Events += st.Inserted
	after := fmt.Sprintf(`{"rows":%d,"inserted":%d,"updated":%d,"events":%d}`, st.Rows, st.Inserted, st.Updated, st.Events)
	_, err := r.exec(ctx, `INSERT INTO audit (at, actor, action, entity, entity_id, mission, before, after)
		VALUES (?, ?, 'import', 'people', '', '', '', ?)`, db.Now().Unix(), outpost.ActorFrom(ctx), after)
	return err
}

// latestEvent selects a column of the person's latest event in
// status_events that is not older than the registration; when there is
// none, the registration is the latest.
const latestEvent = `(SELECT e.%s FROM status_events e WHERE e.person_id = people.id AND e.at >= people.reg_since
	AND e.voided_at IS NULL ORDER BY e.at DESC, e.id DESC LIMIT 1)`

// currentStatusSet assigns status and since from the person's history.
var currentStatusSet = fmt.Sprintf(`status = COALESCE(%s, reg_status), since = COALESCE(%s, reg_since)`,
	fmt.Sprintf(latestEvent, "status"), fmt.Sprintf(latestEvent, "at"))
