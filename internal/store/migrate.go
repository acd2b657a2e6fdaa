package store

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"

	"github.com/outpost-org/outpost/internal/outpost"
)

//go:embed migrations
var migrations embed.FS

// migration is one numbered schema step.
type migration struct {
	version int
	name    string
	sql     string
}

func (db *DB) migrations() ([]migration, error) {
	dir := "migrations/" + string(db.dialect)
	entries, err := fs.ReadDir(migrations, dir)
	if err != nil {
		return nil, err
	}
	var out []migration
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".sql") {
			continue
		}
		n, err := strconv.Atoi(strings.SplitN(name, "_", 2)[0])
		if err != nil {
			return nil, fmt.Errorf("migration %s: name must start with a number", name)
		}
		body, err := fs.ReadFile(migrations, dir+"/"+name)
		if err != nil {
			return nil, err
		}
		out = append(out, migration{version: n, name: name, sql: string(body)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	return out, nil
}

// goStep returns the part of a migration that SQL cannot do, or nil: it
// runs after the migration's SQL, in the same transaction.
func goStep(version int) func(context.Context, *tx) error {
	switch version {
	case 9:
		return cleanStoredPhotos
	}
	return nil
}

// migrate applies every migration the database has not had yet, each in
// its own transaction together with the record that it was applied.
func (db *DB) migrate(ctx context.Context) error {
	if _, err := db.write.ExecContext(ctx,
		`CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)`); err != nil {
		return &outpost.Error{Code: outpost.EUNAVAILABLE, Message: "cannot prepare database: " + cleanDriverError(err), Err: err}
	}
	steps, err := db.migrations()
	if err != nil {
		return err
	}
	for _, m := range steps {
		err := db.update(ctx, func(t *tx) error {
			if db.dialect == Postgres {
				// Two processes opening a new database at once take turns.
				if _, err := t.exec(ctx, `SELECT pg_advisory_xact_lock(727001)`); err != nil {
					return err
				}
			}
			var done int
			if err := t.queryRow(ctx, `SELECT COUNT(*) FROM schema_version WHERE version = ?`, m.version).Scan(&done); err != nil {
				return err
			}
			if done > 0 {
				return nil
			}
			// A migration is several statements: run as text, never
			// prepared (a prepared statement is one statement).
			if _, err := t.ExecContext(ctx, m.sql); err != nil {
				return fmt.Errorf("migration %s: %w", m.name, err)
			}
			if step := goStep(m.version); step != nil {
				if err := step(ctx, t); err != nil {
					return fmt.Errorf("migration %s: %w", m.name, err)
				}
			}
			_, err := t.exec(ctx, `INSERT INTO schema_version (version) VALUES (?)`, m.version)
			return err
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// SchemaVersion returns the newest migration applied.
func (db *DB) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := db.queryRow(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_version`).Scan(&v)
	return v, db.wrap(err)
}
