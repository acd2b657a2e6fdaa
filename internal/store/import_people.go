package store

import (
	"context"
	"fmt"
	"iter"
	"os"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/outpost-org/outpost/internal/outpost"
)

// stageCols are the columns of the staging table a people import streams
// into before one set-based merge into the registry.
var stageCols = []string{"id", "household", "given_name", "family_name", "nationality", "mission",
	"category", "birth_date", "essential", "medical", "ready", "passport", "status", "since", "since_given"}

func stageValues(r *outpost.PersonRecord, dst []any) []any {
	return append(dst, r.ID, r.Household, r.GivenName, r.FamilyName, r.Nationality, r.Mission,
		string(r.Category), string(r.BirthDate), r.Essential, r.Medical, string(r.Ready), r.Passport,
		string(r.Status), r.Since.Unix(), r.SinceGiven)
}

const stageTable = `(
	id TEXT NOT NULL, household TEXT NOT NULL, given_name TEXT NOT NULL, family_name TEXT NOT NULL,
	nationality TEXT NOT NULL, mission TEXT NOT NULL, category TEXT NOT NULL, birth_date TEXT NOT NULL,
	essential BOOLEAN NOT NULL, medical INTEGER NOT NULL, ready TEXT NOT NULL, passport TEXT NOT NULL,
	status TEXT NOT NULL, since BIGINT NOT NULL, since_given BOOLEAN NOT NULL)`

// runner runs statements inside the import's transaction, whichever
// driver holds it.
type runner interface {
	exec(ctx context.Context, q string, args ...any) (int64, error)
	scalar(ctx context.Context, q string, dest any, args ...any) error
}

type sqlRunner struct{ t *tx }

func (r sqlRunner) exec(ctx context.Context, q string, args ...any) (int64, error) {
	res, err := r.t.exec(ctx, q, args...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

func (r sqlRunner) scalar(ctx context.Context, q string, dest any, args ...any) error {
	return r.t.queryRow(ctx, q, args...).Scan(dest)
}

type pgxRunner struct {
	db *DB
	tx pgx.Tx
}

func (r pgxRunner) exec(ctx context.Context, q string, args ...any) (int64, error) {
	tag, err := r.tx.Exec(ctx, r.db.rebind(q), args...)
	return tag.RowsAffected(), err
}

func (r pgxRunner) scalar(ctx context.Context, q string, dest any, args ...any) error {
	return r.tx.QueryRow(ctx, r.db.rebind(q), args...).Scan(dest)
}

// ImportPeople inserts or updates people by id and records the status each
// row asserts, all or nothing. Rows stream into a staging table (COPY on
// PostgreSQL, multi-row INSERTs on SQLite) and are merged in a few
// set-based statements, so memory stays flat however large the file.
func (db *DB) ImportPeople(ctx context.Context, b outpost.Batch[outpost.PersonRecord]) (outpost.ImportStats, error) {
	if db.dialect == Postgres {
		return db.importPeoplePostgres(ctx, b)
	}
	var st outpost.ImportStats
	err := db.update(ctx, func(t *tx) error {
		if _, err := t.exec(ctx, `DROP TABLE IF EXISTS temp.stage_people`); err != nil {
			return err
		}
		if _, err := t.exec(ctx, `CREATE TEMP TABLE stage_people `+stageTable); err != nil {
			return err
		}
		defer t.exec(context.WithoutCancel(ctx), `DROP TABLE IF EXISTS temp.stage_people`)
		n, err := stageSQLite(ctx, t, b)
		if err != nil {
			return err
		}
		if err := b.Err(); err != nil {
			return err
		}
		st, err = db.mergePeople(ctx, sqlRunner{t}, n)
		return err
	})
	return st, err
}

// stageSQLite inserts the batch into the staging table, many rows a
// statement: fewer round trips through the driver is most of the speed.
func stageSQLite(ctx context.Context, t *tx, b outpost.Batch[outpost.PersonRecord]) (int, error) {
	const per = 64
	row := "(" + strings.TrimSuffix(strings.Repeat("?,", len(stageCols)), ",") + ")"
	ins := `INSERT INTO stage_people (` + strings.Join(stageCols, ",") + `) VALUES `
	many, err := t.PrepareContext(ctx, ins+strings.TrimSuffix(strings.Repeat(row+",", per), ","))
	if err != nil {
		return 0, err
	}
	defer many.Close()
	one, err := t.PrepareContext(ctx, ins+row)
	if err != nil {
		return 0, err
	}
	defer one.Close()
	args := make([]any, 0, per*len(stageCols))
	pending, n := 0, 0
	for r := range b.Rows {
		args = stageValues(&r, args)
		pending++
		n++
		if pending == per {
			if _, err := many.ExecContext(ctx, args...); err != nil {
				return n, err
			}
			args, pending = args[:0], 0
		}
	}
	for i := 0; i < pending; i++ {
		if _, err := one.ExecContext(ctx, args[i*len(stageCols):(i+1)*len(stageCols)]...); err != nil {
			return n, err
		}
	}
	return n, nil
}

func (db *DB) importPeoplePostgres(ctx context.Context, b outpost.Batch[outpost.PersonRecord]) (outpost.ImportStats, error) {
	conn, err := db.write.Conn(ctx)
	if err != nil {
		return outpost.ImportStats{}, db.wrap(err)
	}
	defer conn.Close()
	var st outpost.ImportStats
	err = conn.Raw(func(dc any) error {
		pc := dc.(*stdlib.Conn).Conn()
		ptx, err := pc.Begin(ctx)
		if err != nil {
			return err
		}
		defer ptx.Rollback(context.WithoutCancel(ctx))
		if _, err := ptx.Exec(ctx, `CREATE TEMP TABLE stage_people `+stageTable+` ON COMMIT DROP`); err != nil {
			return err
		}
		src := &copySource{}
		next, stop := iter.Pull(b.Rows)
		defer stop()
		src.next = next
		n, err := ptx.CopyFrom(ctx, pgx.Identifier{"stage_people"}, stageCols, src)
		if err != nil {
			return err
		}
		if err := b.Err(); err != nil {
			return err
		}
		st, err = db.mergePeople(ctx, pgxRunner{db, ptx}, int(n))
		if err != nil {
			return err
		}
		return ptx.Commit(ctx)
	})
	if err != nil {
		return outpost.ImportStats{}, db.wrap(err)
	}
	return st, nil
}

// copySource feeds pgx's COPY from a pull iterator.
type copySource struct {
	next func() (outpost.PersonRecord, bool)
	vals []any
}

func (c *copySource) Next() bool {
	r, ok := c.next()
	if !ok {
		return false
	}
	c.vals = stageValues(&r, c.vals[:0])
	return true
}

func (c *copySource) Values() ([]any, error) { return c.vals, nil }
func (c *copySource) Err() error             { return nil }

// mergePeople moves the staged rows into people and status_events. A row
// records a status event when the person is new, when it gives a `since`
// that is not already an identical event, or when it gives none and its
// status differs from the person's current one.
func (db *DB) mergePeople(ctx context.Context, r runner, rows int) (outpost.ImportStats, error) {
	st := outpost.ImportStats{Rows: rows}
	t0 := time.Now()
	defer func() { debugf("merge %v", time.Since(t0)) }()
	if rows == 0 {
		return st, nil
	}
	var maxEvent int64
	if err := r.scalar(ctx, `SELECT COALESCE(MAX(id), 0) FROM status_events`, &maxEvent); err != nil {
		return st, err
	}
	if err := r.scalar(ctx, `SELECT COUNT(*) FROM stage_people s JOIN people p ON p.id = s.id`, &st.Updated); err != nil {
		return st, err
	}
	st.Inserted = rows - st.Updated
	cols := strings.Join(stageCols[:len(stageCols)-1], ", ")
	var set []string
	for _, c := range stageCols[1 : len(stageCols)-3] {
		set = append(set, c+" = excluded."+c)
	}
	debugf("count %v", time.Since(t0))
	if _, err := r.exec(ctx, `INSERT INTO people (`+cols+`) SELECT `+cols+` FROM stage_people WHERE true
		ON CONFLICT (id) DO UPDATE SET `+strings.Join(set, ", ")); err != nil {
		return st, err
	}
	debugf("people %v", time.Since(t0))
	n, err := r.exec(ctx, `INSERT INTO status_events (person_id, at, status, source)
		SELECT s.id, s.since, s.status, 'import' FROM stage_people s JOIN people p ON p.id = s.id
		WHERE NOT EXISTS (SELECT 1 FROM status_events e WHERE e.person_id = s.id)
		   OR (s.since_given AND NOT EXISTS (SELECT 1 FROM status_events e
		        WHERE e.person_id = s.id AND e.at = s.since AND e.status = s.status))
		   OR (NOT s.since_given AND p.status <> s.status)`)
	if err != nil {
		return st, err
	}
	st.Events = int(n)
	return st, db.finishPeopleImport(ctx, r, st, maxEvent)
}

// finishPeopleImport brings the current status of people who already had
// a history up to date with the events the import added, and audits.
func (db *DB) finishPeopleImport(ctx context.Context, r runner, st outpost.ImportStats, maxEvent int64) error {
	if maxEvent > 0 && st.Events > 0 {
		if _, err := r.exec(ctx, `UPDATE people SET
			status = (SELECT status FROM status_events e WHERE e.person_id = people.id ORDER BY at DESC, id DESC LIMIT 1),
			since = (SELECT at FROM status_events e WHERE e.person_id = people.id ORDER BY at DESC, id DESC LIMIT 1)
			WHERE id IN (SELECT e.person_id FROM status_events e WHERE e.id > ? AND EXISTS
				(SELECT 1 FROM status_events o WHERE o.person_id = e.person_id AND o.id <= ?))`, maxEvent, maxEvent); err != nil {
			return err
		}
	}
	after := fmt.Sprintf(`{"rows":%d,"inserted":%d,"updated":%d,"events":%d}`, st.Rows, st.Inserted, st.Updated, st.Events)
	_, err := r.exec(ctx, `INSERT INTO audit (at, actor, action, entity, entity_id, mission, before, after)
		VALUES (?, ?, 'import', 'people', '', '', '', ?)`, db.Now().Unix(), outpost.ActorFrom(ctx), after)
	return err
}

func debugf(f string, a ...any) {
	if os.Getenv("OUTPOST_DEBUG") != "" {
		fmt.Fprintf(os.Stderr, f+"\n", a...)
	}
}
