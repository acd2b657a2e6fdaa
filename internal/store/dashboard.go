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
//
// A visit seen less than a minute ago is not written again: the dashboard
// is opened far more often than a visit ends, and a write on every view
// would queue behind the check-ins on SQLite's one writer.
func (db *DB) Visit(ctx context.Context, user string, now time.Time, gap time.Duration) (time.Time, error) {
	var last, since int64
	err := db.queryRow(ctx, `SELECT last_seen, since FROM dashboard_visits WHERE user_name = ?`, user).Scan(&last, &since)
	if err == nil && now.Unix()-last >= 0 && now.Unix()-last < int64(min(gap, time.Minute)/time.Second) {
		return unixOrZeroTime(since), nil
	}
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, fmt.Errorf("read the dashboard visit of %s: %w", user, db.wrap(err))
	}
	err = db.update(ctx, func(t *tx) error {
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
	return unixOrZeroTime(since), nil
}

// unixOrZeroTime is the moment of Unix seconds, 0 the zero time.
func unixOrZeroTime(s int64) time.Time {
	if s == 0 {
		return time.Time{}
	}
	return time.Unix(s, 0).UTC()
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

// RollCallTally counts and lists a roll call's answers in SQL; see
// outpost.DashboardStore. The lists follow the (rollcall_id, person_id)
// key, so that their LIMIT stops early instead of sorting the scope.
func (db *DB) RollCallTally(ctx context.Context, id int64, mission string, names int) (outpost.RollCallTally, error) {
	out := outpost.RollCallTally{ByMission: []outpost.RollCallByMission{}, NeedHelp: []outpost.ScopeEntry{}, NoResponse: []outpost.ScopeEntry{}}
	rows, err := db.query(ctx, `SELECT rp.mission, COUNT(*),
		COALESCE(SUM(CASE WHEN c.status = 'safe' THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN c.status = 'need_help' THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN c.person_id IS NULL THEN 1 ELSE 0 END), 0)
		FROM rollcall_people rp LEFT JOIN checkins c ON c.rollcall_id = rp.rollcall_id AND c.person_id = rp.person_id
		WHERE rp.rollcall_id = ? GROUP BY rp.mission ORDER BY rp.mission`, id)
	if err != nil {
		return out, fmt.Errorf("count roll call %d: %w", id, err)
	}
	for rows.Next() {
		var m outpost.RollCallByMission
		if err := rows.Scan(&m.Mission, &m.Expected, &m.Safe, &m.NeedHelp, &m.NoResponse); err != nil {
			rows.Close()
			return out, db.wrap(err)
		}
		out.ByMission = append(out.ByMission, m)
	}
	rows.Close()
	if err := rows.Err(); err != nil || names <= 0 {
		return out, db.wrap(err)
	}
	list := func(where string) ([]outpost.ScopeEntry, error) {
		args := []any{id}
		if mission != "" {
			where += ` AND rp.mission = ?`
			args = append(args, mission)
		}
		rows, err := db.query(ctx, `SELECT rp.person_id, p.given_name, p.family_name, rp.mission,
			COALESCE(c.status, ''), COALESCE(c.note, '')
			FROM rollcall_people rp JOIN people p ON p.id = rp.person_id
			LEFT JOIN checkins c ON c.rollcall_id = rp.rollcall_id AND c.person_id = rp.person_id
			WHERE rp.rollcall_id = ? AND `+where+` ORDER BY rp.person_id LIMIT ?`, append(args, names)...)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		out := []outpost.ScopeEntry{}
		for rows.Next() {
			var s outpost.ScopeEntry
			if err := rows.Scan(&s.Person, &s.GivenName, &s.FamilyName, &s.Mission, &s.Status, &s.Note); err != nil {
				return nil, db.wrap(err)
			}
			out = append(out, s)
		}
		return out, db.wrap(rows.Err())
	}
	if out.NeedHelp, err = list(`c.status = 'need_help'`); err != nil {
		return out, fmt.Errorf("list roll call %d: %w", id, err)
	}
	if out.NoResponse, err = list(`c.person_id IS NULL`); err != nil {
		return out, fmt.Errorf("list roll call %d: %w", id, err)
	}
	return out, nil
}
