package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
)

// beginning is the since of the status a mission had from the beginning:
// the Unix time of the zero time.Time.
var beginning = time.Time{}.Unix()

func sinceTime(s int64) time.Time {
	if s == beginning {
		return time.Time{}
	}
	return time.Unix(s, 0).UTC()
}

// MissionHistory returns the status history of one mission (every
// mission when code is ""), ordered by mission and since.
func (db *DB) MissionHistory(ctx context.Context, code string) ([]outpost.MissionStatusChange, error) {
	q := `SELECT id, mission, status, since, note, actor, recorded FROM mission_status`
	var args []any
	if code != "" {
		q += ` WHERE mission = ?`
		args = append(args, code)
	}
	rows, err := db.query(ctx, q+` ORDER BY mission, since`, args...)
	if err != nil {
		return nil, fmt.Errorf("read mission history: %w", err)
	}
	defer rows.Close()
	out := []outpost.MissionStatusChange{}
	for rows.Next() {
		var c outpost.MissionStatusChange
		var since, recorded int64
		if err := rows.Scan(&c.ID, &c.Mission, &c.Status, &since, &c.Note, &c.Actor, &recorded); err != nil {
			return nil, db.wrap(err)
		}
		c.Since, c.Recorded = sinceTime(since), timeOrZero(recorded)
		out = append(out, c)
	}
	return out, db.wrap(rows.Err())
}

// SetMissionStatus records that a mission took a status at c.Since, with
// c.Note, replacing an entry at the same moment; a status that the
// mission already had just before then is refused (nothing would
// change). It answers the mission as it is now: its status is that of
// its latest entry.
func (db *DB) SetMissionStatus(ctx context.Context, c outpost.MissionStatusChange) (outpost.Mission, error) {
	if err := c.Validate().Err("mission status"); err != nil {
		return outpost.Mission{}, err
	}
	var m outpost.Mission
	err := db.update(ctx, func(t *tx) error {
		cur, err := scanMission(t.queryRow(ctx, `SELECT `+missionCols+` FROM missions WHERE code = ?`, c.Mission))
		if errors.Is(err, sql.ErrNoRows) {
			return outpost.Errorf(outpost.ENOTFOUND, "no mission %q", c.Mission)
		}
		if err != nil {
			return err
		}
		if err := t.ensureMissionBase(ctx, cur); err != nil {
			return err
		}
		since := c.Since.Unix()
		prev, err := t.missionStatusBefore(ctx, c.Mission, since)
		if err != nil {
			return err
		}
		if prev == c.Status {
			return outpost.Errorf(outpost.EINVALID, "status: %s is already %s before %s", c.Mission, c.Status,
				c.Since.Format(time.RFC3339))
		}
		if err := t.putMissionStatus(ctx, c.Mission, c.Status, since, c.Note); err != nil {
			return err
		}
		if m, err = t.refreshMissionStatus(ctx, cur); err != nil {
			return err
		}
		c.Since = c.Since.UTC()
		c.Actor = outpost.ActorFrom(ctx)
		return t.audit(ctx, "set", "mission_status", c.Mission, c.Mission, map[string]any{"status": cur.Status},
			map[string]any{"status": c.Status, "since": c.Since, "note": c.Note, "current": m.Status})
	})
	if err != nil {
		return outpost.Mission{}, fmt.Errorf("record the status of mission %s: %w", c.Mission, err)
	}
	return m, nil
}

// ensureMissionBase gives the mission the entry "from the beginning" with
// its current status when it has none (a mission written by a path that
// does not keep the history).
func (t *tx) ensureMissionBase(ctx context.Context, m outpost.Mission) error {
	_, err := t.exec(ctx, `INSERT INTO mission_status (mission, status, since, actor, recorded)
		VALUES (?, ?, ?, ?, ?) ON CONFLICT (mission, since) DO NOTHING`,
		m.Code, m.Status, beginning, outpost.ActorFrom(ctx), t.db.Now().Unix())
	return err
}

// missionStatusBefore returns the status in effect just before since.
func (t *tx) missionStatusBefore(ctx context.Context, code string, since int64) (outpost.MissionStatus, error) {
	var st outpost.MissionStatus
	err := t.queryRow(ctx, `SELECT status FROM mission_status WHERE mission = ? AND since < ?
		ORDER BY since DESC LIMIT 1`, code, since).Scan(&st)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return st, err
}

// putMissionStatus writes the entry at since, replacing one there.
func (t *tx) putMissionStatus(ctx context.Context, code string, st outpost.MissionStatus, since int64, note string) error {
	_, err := t.exec(ctx, `INSERT INTO mission_status (mission, status, since, note, actor, recorded)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (mission, since) DO UPDATE SET status = excluded.status,
		note = excluded.note, actor = excluded.actor, recorded = excluded.recorded`,
		code, st, since, note, outpost.ActorFrom(ctx), t.db.Now().Unix())
	return err
}

// refreshMissionStatus sets the mission's status to that of its latest
// entry and returns the mission.
func (t *tx) refreshMissionStatus(ctx context.Context, m outpost.Mission) (outpost.Mission, error) {
	var st outpost.MissionStatus
	if err := t.queryRow(ctx, `SELECT status FROM mission_status WHERE mission = ? ORDER BY since DESC LIMIT 1`,
		m.Code).Scan(&st); err != nil {
		return m, err
	}
	if _, err := t.exec(ctx, `UPDATE missions SET status = ? WHERE code = ?`, st, m.Code); err != nil {
		return m, err
	}
	m.Status = st
	return m, nil
}

// importMissionStatus keeps the history of an imported mission row m,
// written already; before is the mission's status before the row (""
// when the mission is new). Without status_since the row's status holds
// from the beginning for a mission new to the registry or whose history
// is its single entry from the beginning (as before missions had a
// history); for a mission with dated changes, a row that changes the
// status records a change at the moment of the import, so that re-importing
// an old file never erases the dates. With status_since the status takes
// effect then, the entries before it kept; a mission new to the registry
// was open before. Every entry an existing mission's row adds, replaces
// or removes is audited (mission_status), as a change by hand is.
func (t *tx) importMissionStatus(ctx context.Context, m outpost.Mission, before outpost.MissionStatus) error {
	if m.StatusSince.IsZero() {
		if before == m.Status {
			// The history may lack its entry from the beginning (a mission
			// written by a path that does not keep it).
			return t.ensureMissionBase(ctx, m)
		}
		if before == "" {
			// A new mission: no history of its own yet (an entry left by
			// a mission of the same code once removed goes with it).
			if _, err := t.exec(ctx, `DELETE FROM mission_status WHERE mission = ?`, m.Code); err != nil {
				return err
			}
			return t.putMissionStatus(ctx, m.Code, m.Status, beginning, "")
		}
		var dated int
		if err := t.queryRow(ctx, `SELECT COUNT(*) FROM mission_status WHERE mission = ? AND since <> ?`,
			m.Code, beginning).Scan(&dated); err != nil {
			return err
		}
		if dated == 0 {
			// Nothing dated to lose: the status from the beginning is
			// replaced, and the replacement audited.
			if err := t.putMissionStatus(ctx, m.Code, m.Status, beginning, ""); err != nil {
				return err
			}
			return t.auditImportedStatus(ctx, m.Code, before, m.Status, time.Time{}, "replaced")
		}
		m.StatusSince = time.Unix(t.db.Now().Unix(), 0).UTC()
	}
	base := m
	base.Status = before
	if before == "" {
		base.Status = outpost.MissionOpen
	}
	if err := t.ensureMissionBase(ctx, base); err != nil {
		return err
	}
	since := m.StatusSince.Unix()
	prev, err := t.missionStatusBefore(ctx, m.Code, since)
	if err != nil {
		return err
	}
	var at outpost.MissionStatus
	err = t.queryRow(ctx, `SELECT status FROM mission_status WHERE mission = ? AND since = ?`, m.Code, since).Scan(&at)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	err = nil
	switch {
	case prev == m.Status && at != "":
		// The row says nothing changed then: the entry there goes.
		if _, err = t.exec(ctx, `DELETE FROM mission_status WHERE mission = ? AND since = ?`, m.Code, since); err == nil && before != "" {
			err = t.auditImportedStatus(ctx, m.Code, at, prev, m.StatusSince, "removed")
		}
	case prev != m.Status && at != m.Status:
		how := "added"
		if at != "" {
			how = "replaced"
		}
		if err = t.putMissionStatus(ctx, m.Code, m.Status, since, ""); err == nil && before != "" {
			was := at
			if was == "" {
				was = prev
			}
			err = t.auditImportedStatus(ctx, m.Code, was, m.Status, m.StatusSince, how)
		}
	}
	if err != nil {
		return err
	}
	_, err = t.refreshMissionStatus(ctx, m)
	return err
}

// auditImportedStatus audits an entry of an existing mission's history
// that an import added, replaced or removed at since (zero: the entry
// from the beginning): from is the status there before, to after.
func (t *tx) auditImportedStatus(ctx context.Context, code string, from, to outpost.MissionStatus, since time.Time, how string) error {
	at := "beginning"
	if !since.IsZero() {
		at = since.UTC().Format(time.RFC3339)
	}
	return t.audit(ctx, "import", "mission_status", code, code,
		map[string]any{"status": from, "since": at},
		map[string]any{"status": to, "since": at, "entry": how})
}
