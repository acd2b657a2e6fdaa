package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
)

// Visit records a visit to the dashboard; see outpost.DashboardStore.
func (db *DB) Visit(ctx context.Context, user string, now time.Time, gap time.Duration) (time.Time, error) {
	var since int64
	err := db.update(ctx, func(t *tx) error {
		var last int64
		err := t.queryRow(ctx, `SELECT last_seen, since FROM dashboard_visits WHERE user_name = ?`, user).Scan(&last, &since)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			since = 0
		case err != nil:
			return err
		case now.Unix()-last > int64(gap/time.Second):
			since = last
		}
		_, err = t.exec(ctx, `INSERT INTO dashboard_visits (user_name, last_seen, since) VALUES (?, ?, ?)
			ON CONFLICT (user_name) DO UPDATE SET last_seen = excluded.last_seen, since = excluded.since`,
			user, now.Unix(), since)
		return err
	})
	if err != nil {
		return time.Time{}, fmt.Errorf("record the dashboard visit of %s: %w", user, err)
	}
	if since == 0 {
		return time.Time{}, nil
	}
	return time.Unix(since, 0).UTC(), nil
}

// LastStockEntries answers each mission's latest ledger date on or before
// asOf; see outpost.DashboardStore. The dates are ISO text, so the
// greatest is the latest, and the ledger's (mission, …) indexes serve it.
func (db *DB) LastStockEntries(ctx context.Context, asOf outpost.Date) (map[string]outpost.Date, error) {
	rows, err := db.query(ctx, `SELECT mission, MAX(d) FROM (
		SELECT mission, MAX(received) AS d FROM receipts WHERE received <= ? GROUP BY mission
		UNION ALL
		SELECT mission, MAX(issued) AS d FROM issues WHERE issued <= ? GROUP BY mission) AS entries
		GROUP BY mission`, string(asOf), string(asOf))
	if err != nil {
		return nil, fmt.Errorf("read the last stock entries: %w", err)
	}
	defer rows.Close()
	out := map[string]outpost.Date{}
	for rows.Next() {
		var m, d string
		if err := rows.Scan(&m, &d); err != nil {
			return nil, db.wrap(err)
		}
		out[m] = outpost.Date(d)
	}
	return out, db.wrap(rows.Err())
}
