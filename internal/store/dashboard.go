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
		return timeOrZero(since), nil
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
	return timeOrZero(since), nil
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
// outpost.DashboardStore. The answers are read from checkins, so that
// their cost grows with the answers, not with the people expected; the
// lists follow the (rollcall_id, person_id) key, so that their LIMIT
// stops early instead of sorting the scope.
func (db *DB) RollCallTally(ctx context.Context, id int64, mission string, names int, expected bool) (outpost.RollCallTally, error) {
	out := outpost.RollCallTally{Answered: []outpost.RollCallByMission{}, NeedHelp: []outpost.ScopeEntry{}, NoResponse: []outpost.ScopeEntry{}}
	if expected {
		out.Expected = map[string]int{}
		rows, err := db.query(ctx, `SELECT mission, COUNT(*) FROM rollcall_people WHERE rollcall_id = ? GROUP BY mission`, id)
		if err != nil {
			return out, fmt.Errorf("count roll call %d: %w", id, err)
		}
		for rows.Next() {
			var m string
			var n int
			if err := rows.Scan(&m, &n); err != nil {
				rows.Close()
				return out, db.wrap(err)
			}
			out.Expected[m] = n
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return out, db.wrap(err)
		}
	}
	rows, err := db.query(ctx, `SELECT rp.mission,
		COALESCE(SUM(CASE WHEN c.status = 'safe' THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN c.status = 'need_help' THEN 1 ELSE 0 END), 0)
		FROM checkins c CROSS JOIN rollcall_people rp
		WHERE rp.rollcall_id = c.rollcall_id AND rp.person_id = c.person_id AND c.rollcall_id = ?
		GROUP BY rp.mission ORDER BY rp.mission`, id)
	if err != nil {
		return out, fmt.Errorf("count roll call %d: %w", id, err)
	}
	for rows.Next() {
		var m outpost.RollCallByMission
		if err := rows.Scan(&m.Mission, &m.Safe, &m.NeedHelp); err != nil {
			rows.Close()
			return out, db.wrap(err)
		}
		out.Answered = append(out.Answered, m)
	}
	rows.Close()
	if err := rows.Err(); err != nil || names <= 0 {
		return out, db.wrap(err)
	}
	list := func(q string) ([]outpost.ScopeEntry, error) {
		args := []any{id}
		if mission != "" {
			q += ` AND rp.mission = ?`
			args = append(args, mission)
		}
		rows, err := db.query(ctx, q+` ORDER BY rp.person_id LIMIT ?`, append(args, names)...)
		if err != nil {
			return nil, err
		}
		return db.scanScopeEntries(rows)
	}
	if out.NeedHelp, err = list(`SELECT rp.person_id, p.given_name, p.family_name, rp.mission, c.status, c.note
		FROM checkins c CROSS JOIN rollcall_people rp CROSS JOIN people p
		WHERE rp.rollcall_id = c.rollcall_id AND rp.person_id = c.person_id AND p.id = rp.person_id
		AND c.rollcall_id = ? AND c.status = 'need_help'`); err != nil {
		return out, fmt.Errorf("list roll call %d: %w", id, err)
	}
	if out.NoResponse, err = list(`SELECT rp.person_id, p.given_name, p.family_name, rp.mission, '', ''
		FROM rollcall_people rp JOIN people p ON p.id = rp.person_id
		WHERE rp.rollcall_id = ? AND NOT EXISTS (SELECT 1 FROM checkins c
			WHERE c.rollcall_id = rp.rollcall_id AND c.person_id = rp.person_id)`); err != nil {
		return out, fmt.Errorf("list roll call %d: %w", id, err)
	}
	return out, nil
}

// OpenRollCalls lists the open roll calls without counting their scope;
// see outpost.DashboardStore.
func (db *DB) OpenRollCalls(ctx context.Context, mission string) ([]outpost.RollCall, time.Time, error) {
	where, args := "", []any{}
	if mission != "" {
		where, args = ` AND (mission = ? OR mission = '')`, []any{mission}
	}
	var last sql.NullInt64
	if err := db.queryRow(ctx, `SELECT MAX(started_at) FROM rollcalls WHERE 1 = 1`+where, args...).Scan(&last); err != nil {
		return nil, time.Time{}, fmt.Errorf("read roll calls: %w", db.wrap(err))
	}
	rows, err := db.query(ctx, `SELECT id, title, mission, status, started_at, closed_at, escalate_after, escalated_at, started_by, 0
		FROM rollcalls WHERE status = 'open'`+where+` ORDER BY id DESC`, args...)
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("read roll calls: %w", err)
	}
	defer rows.Close()
	out := []outpost.RollCall{}
	for rows.Next() {
		rc, err := scanRollCall(rows)
		if err != nil {
			return nil, time.Time{}, db.wrap(err)
		}
		out = append(out, rc)
	}
	if err := rows.Err(); err != nil {
		return nil, time.Time{}, db.wrap(err)
	}
	if !last.Valid {
		return out, time.Time{}, nil
	}
	return out, time.Unix(last.Int64, 0).UTC(), nil
}
