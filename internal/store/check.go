package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/outpost-org/outpost/internal/outpost"
)

// maxCheckDetails bounds the problems Check lists one by one.
const maxCheckDetails = 20

// Check verifies the database: every migration this version knows is
// applied; on SQLite, the file's integrity (PRAGMA integrity_check) and
// its foreign keys (PRAGMA foreign_key_check); on PostgreSQL, that every
// constraint is validated and every index valid (a constraint added NOT
// VALID, an index left by an interrupted CREATE INDEX CONCURRENTLY); on
// both, that every person's current status matches their latest event.
// A failure is an EINTERNAL error listing the problems.
func (db *DB) Check(ctx context.Context) error {
	var problems []string
	v, err := db.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	latest, err := latestMigration(db.dialect)
	if err != nil {
		return err
	}
	if v != latest {
		problems = append(problems, fmt.Sprintf("schema version %d, this version of Outpost expects %d", v, latest))
	}
	if db.dialect == SQLite {
		p, err := sqliteIntegrity(ctx, db.read)
		if err != nil {
			return db.wrap(err)
		}
		problems = append(problems, p...)
	} else {
		p, err := db.postgresIntegrity(ctx)
		if err != nil {
			return db.wrap(err)
		}
		problems = append(problems, p...)
	}
	var n int
	err = db.queryRow(ctx, `SELECT COUNT(*) FROM people WHERE status <> COALESCE(`+fmt.Sprintf(latestEvent, "status")+`, reg_status)
		OR imp_status IS NOT NULL`).Scan(&n)
	if err != nil {
		return db.wrap(err)
	}
	if n > 0 {
		problems = append(problems, fmt.Sprintf("%d people have a current status that differs from their latest event", n))
	}
	if len(problems) == 0 {
		return nil
	}
	e := &outpost.Error{Code: outpost.EINTERNAL, Message: fmt.Sprintf("check: %d %s found in the database", len(problems), outpost.Plural(len(problems), "problem", "problems"))}
	if len(problems) == 1 {
		e.Message = "check failed: " + problems[0]
	}
	for i, p := range problems {
		if i == maxCheckDetails {
			e.More = len(problems) - i
			break
		}
		e.Details = append(e.Details, "check: "+p)
	}
	return e
}

// sqliteIntegrity runs SQLite's integrity and foreign key checks on q and
// returns the problems they report.
func sqliteIntegrity(ctx context.Context, q *sql.DB) ([]string, error) {
	var problems []string
	rows, err := q.QueryContext(ctx, `PRAGMA integrity_check(`+fmt.Sprint(maxCheckDetails)+`)`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var res string
		if err := rows.Scan(&res); err != nil {
			rows.Close()
			return nil, err
		}
		if res != "ok" {
			problems = append(problems, "integrity: "+res)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = q.QueryContext(ctx, `PRAGMA foreign_key_check`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var table, parent string
		var rowid sql.NullInt64
		var fk int
		if err := rows.Scan(&table, &rowid, &parent, &fk); err != nil {
			return nil, err
		}
		problems = append(problems, fmt.Sprintf("foreign key: row %d of %s refers to a missing row of %s", rowid.Int64, table, parent))
	}
	return problems, rows.Err()
}

// postgresIntegrity lists the constraints not validated and the indexes
// not valid in the database's schema.
func (db *DB) postgresIntegrity(ctx context.Context) ([]string, error) {
	var problems []string
	rows, err := db.query(ctx, `SELECT conname, conrelid::regclass::text FROM pg_constraint
		WHERE connamespace = current_schema()::regnamespace AND NOT convalidated ORDER BY 2, 1`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var name, table string
		if err := rows.Scan(&name, &table); err != nil {
			rows.Close()
			return nil, err
		}
		problems = append(problems, fmt.Sprintf("constraint %s on %s is not validated: its rows were never checked", name, table))
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = db.query(ctx, `SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
		WHERE c.relnamespace = current_schema()::regnamespace AND (NOT i.indisvalid OR NOT i.indisready) ORDER BY 1`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return nil, err
		}
		problems = append(problems, fmt.Sprintf("index %s is not valid: rebuild it with REINDEX INDEX %s", name, name))
	}
	return problems, rows.Err()
}

// latestMigration returns the newest migration this version knows for an
// engine.
func latestMigration(d Dialect) (int, error) {
	steps, err := (&DB{dialect: d}).migrations()
	if err != nil || len(steps) == 0 {
		return 0, fmt.Errorf("check: no migrations for %s: %v", d, err)
	}
	return steps[len(steps)-1].version, nil
}
