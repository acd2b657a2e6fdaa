package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
)

// bumpAuthGeneration records, inside t, that a token or a session
// stopped being valid before its time: servers caching tokens see the
// generation grow and look them up again.
func (t *tx) bumpAuthGeneration(ctx context.Context) error {
	_, err := t.exec(ctx, `UPDATE auth_generation SET gen = gen + 1 WHERE id = 1`)
	return err
}

// AuthGeneration returns the number that grows whenever a token or a
// session ends before its time.
func (db *DB) AuthGeneration(ctx context.Context) (int64, error) {
	var gen int64
	if err := db.queryRow(ctx, `SELECT gen FROM auth_generation WHERE id = 1`).Scan(&gen); err != nil {
		return 0, fmt.Errorf("read the auth generation: %w", db.wrap(err))
	}
	return gen, nil
}

// errAttemptRace is a new key inserted by another server between our
// read and our insert: the update starts again, reading theirs.
var errAttemptRace = errors.New("sign-in attempts: key inserted meanwhile")

// UpdateAttempts runs fn on key's attempts in one write transaction. On
// PostgreSQL the row is locked (FOR UPDATE) from the read to the write,
// so that two servers counting at once both count; a key that did not
// exist and was inserted meanwhile by another server makes the update
// start again. SQLite has one writer at a time, which is the lock.
func (db *DB) UpdateAttempts(ctx context.Context, key string, fn func(outpost.Attempts) (outpost.Attempts, bool)) error {
	for range 3 {
		err := db.update(ctx, func(t *tx) error {
			var n int
			var last int64
			var cur outpost.Attempts
			err := t.queryRow(ctx, `SELECT n, last FROM signin_attempts WHERE hash = ?`+db.forUpdate(), key).Scan(&n, &last)
			exists := err == nil
			switch {
			case errors.Is(err, sql.ErrNoRows):
			case err != nil:
				return err
			default:
				cur = outpost.Attempts{N: n, Last: time.UnixMilli(last)}
			}
			next, write := fn(cur)
			switch {
			case !write:
				return nil
			case next.N <= 0:
				if exists {
					_, err = t.exec(ctx, `DELETE FROM signin_attempts WHERE hash = ?`, key)
				}
				return err
			case exists:
				_, err = t.exec(ctx, `UPDATE signin_attempts SET n = ?, last = ? WHERE hash = ?`, next.N, next.Last.UnixMilli(), key)
				return err
			}
			res, err := t.exec(ctx, `INSERT INTO signin_attempts (hash, n, last) VALUES (?, ?, ?) ON CONFLICT (hash) DO NOTHING`,
				key, next.N, next.Last.UnixMilli())
			if err != nil {
				return err
			}
			added, err := res.RowsAffected()
			if err == nil && added == 0 {
				err = errAttemptRace
			}
			return err
		})
		if !errors.Is(err, errAttemptRace) {
			if err != nil {
				return fmt.Errorf("count sign-in attempts: %w", err)
			}
			return nil
		}
	}
	return fmt.Errorf("count sign-in attempts: %w", errAttemptRace)
}

// ForgetAttempts removes the counts unused since before, then the least
// recently used beyond keep.
func (db *DB) ForgetAttempts(ctx context.Context, before time.Time, keep int) (int, error) {
	all := "-1" // SQLite's "no limit"
	if db.dialect == Postgres {
		all = "ALL"
	}
	var n int64
	err := db.update(ctx, func(t *tx) error {
		res, err := t.exec(ctx, `DELETE FROM signin_attempts WHERE last < ?`, before.UnixMilli())
		if err != nil {
			return err
		}
		stale, err := res.RowsAffected()
		if err != nil {
			return err
		}
		res, err = t.exec(ctx, `DELETE FROM signin_attempts WHERE hash IN
			(SELECT hash FROM signin_attempts ORDER BY last DESC, hash LIMIT `+all+` OFFSET ?)`, max(keep, 0))
		if err != nil {
			return err
		}
		over, err := res.RowsAffected()
		n = stale + over
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("forget sign-in attempts: %w", err)
	}
	return int(n), nil
}
