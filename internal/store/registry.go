package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
)

func jsonMarshal(v any) ([]byte, error) { return json.Marshal(v) }

// Config returns a setting, "" when unset.
func (db *DB) Config(ctx context.Context, key string) (string, error) {
	var v string
	err := db.queryRow(ctx, `SELECT value FROM config WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return v, db.wrap(err)
}

// InitConfig stores value under key unless it holds one (an empty value
// is none), and answers the value it holds. The insert does nothing on
// conflict with a value, so of two processes making the key at once the
// second reads the first's.
func (db *DB) InitConfig(ctx context.Context, key, value string) (string, error) {
	var held string
	err := db.update(ctx, func(t *tx) error {
		// An empty value is no value (Config answers "" for both), so it
		// is filled as a missing one is.
		res, err := t.exec(ctx, `INSERT INTO config (key, value) VALUES (?, ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value WHERE config.value = ''`, key, value)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 1 {
			held = value
			audited := value
			if strings.Contains(key, "secret") {
				audited = redacted(value)
			}
			return t.audit(ctx, "set", "config", key, "", "", audited)
		}
		return t.queryRow(ctx, `SELECT value FROM config WHERE key = ?`, key).Scan(&held)
	})
	if err != nil {
		return "", fmt.Errorf("set %s unless set: %w", key, err)
	}
	return held, nil
}

// SetConfig stores a setting.
func (db *DB) SetConfig(ctx context.Context, key, value string) error {
	return db.update(ctx, func(t *tx) error {
		var before string
		err := t.queryRow(ctx, `SELECT value FROM config WHERE key = ?`, key).Scan(&before)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if _, err := t.exec(ctx, `INSERT INTO config (key, value) VALUES (?, ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value); err != nil {
			return err
		}
		if strings.Contains(key, "secret") {
			// Secrets never reach the audit log; only that they changed.
			before, value = redacted(before), redacted(value)
		}
		return t.audit(ctx, "set", "config", key, "", before, value)
	})
}

const missionCols = `code, name, country, kind, status, min_staff`

func scanMission(sc interface{ Scan(...any) error }) (outpost.Mission, error) {
	var m outpost.Mission
	err := sc.Scan(&m.Code, &m.Name, &m.Country, &m.Kind, &m.Status, &m.MinStaff)
	return m, err
}

// Missions lists every mission by code.
func (db *DB) Missions(ctx context.Context) ([]outpost.Mission, error) {
	rows, err := db.query(ctx, `SELECT `+missionCols+` FROM missions ORDER BY code`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []outpost.Mission{}
	for rows.Next() {
		m, err := scanMission(rows)
		if err != nil {
			return nil, db.wrap(err)
		}
		out = append(out, m)
	}
	return out, db.wrap(rows.Err())
}

// Mission returns one mission, or ENOTFOUND.
func (db *DB) Mission(ctx context.Context, code string) (outpost.Mission, error) {
	m, err := scanMission(db.queryRow(ctx, `SELECT `+missionCols+` FROM missions WHERE code = ?`, code))
	if errors.Is(err, sql.ErrNoRows) {
		return m, outpost.Errorf(outpost.ENOTFOUND, "no mission %q", code)
	}
	return m, db.wrap(err)
}

// ImportMissions inserts or updates missions by code, all or nothing.
func (db *DB) ImportMissions(ctx context.Context, b outpost.Batch[outpost.Mission]) (outpost.ImportStats, error) {
	var st outpost.ImportStats
	err := db.update(ctx, func(t *tx) error {
		for m := range b.Rows {
			st.Rows++
			var before outpost.MissionStatus
			err := t.queryRow(ctx, `SELECT status FROM missions WHERE code = ?`, m.Code).Scan(&before)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return err
			}
			if before != "" {
				st.Updated++
			} else {
				st.Inserted++
			}
			if _, err := t.exec(ctx, `INSERT INTO missions (`+missionCols+`) VALUES (?, ?, ?, ?, ?, ?)
				ON CONFLICT (code) DO UPDATE SET name = excluded.name, country = excluded.country,
				kind = excluded.kind, status = excluded.status, min_staff = excluded.min_staff`,
				m.Code, m.Name, m.Country, m.Kind, m.Status, m.MinStaff); err != nil {
				return err
			}
			if err := t.importMissionStatus(ctx, m, before); err != nil {
				return err
			}
		}
		if err := b.Err(); err != nil {
			return err
		}
		return t.audit(ctx, "import", "missions", "", "", nil, st)
	})
	if err != nil {
		return outpost.ImportStats{}, err
	}
	return st, nil
}

const personCols = `id, household, given_name, family_name, nationality, mission, category,
	birth_date, essential, medical, ready, passport, status, since`

func scanPerson(sc interface{ Scan(...any) error }) (outpost.Person, error) {
	var p outpost.Person
	var since int64
	err := sc.Scan(&p.ID, &p.Household, &p.GivenName, &p.FamilyName, &p.Nationality, &p.Mission,
		&p.Category, &p.BirthDate, &p.Essential, &p.Medical, &p.Ready, &p.Passport, &p.Status, &since)
	p.Since = time.Unix(since, 0).UTC()
	return p, err
}

// Person returns one person with their current status, or ENOTFOUND.
func (db *DB) Person(ctx context.Context, id string) (outpost.Person, error) {
	p, err := scanPerson(db.queryRow(ctx, `SELECT `+personCols+` FROM people WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return p, outpost.Errorf(outpost.ENOTFOUND, "no person %q", id)
	}
	return p, db.wrap(err)
}

func (db *DB) peopleWhere(f outpost.PeopleFilter) (string, []any) {
	var where []string
	var args []any
	if f.Mission != "" {
		where = append(where, "mission = ?")
		args = append(args, f.Mission)
	}
	if f.Status != "" {
		where = append(where, "status = ?")
		args = append(args, string(f.Status))
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		like := "%" + strings.ToLower(escapeLike(q)) + "%"
		// SQLite's LIKE ignores case (of ASCII letters, as its LOWER
		// does), so the column goes in as it is: half the work a row.
		col := func(c string) string { return c }
		if db.dialect == Postgres {
			col = func(c string) string { return "LOWER(" + c + ")" }
		}
		cols := []string{"id", "given_name", "family_name", "household"}
		if f.Passports {
			cols = append(cols, "passport")
		}
		var ors []string
		for _, c := range cols {
			ors = append(ors, col(c)+` LIKE ? ESCAPE '\'`)
			args = append(args, like)
		}
		where = append(where, "("+strings.Join(ors, " OR ")+")")
	}
	if len(where) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(where, " AND "), args
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// People lists people ordered by id, filtered and paginated.
func (db *DB) People(ctx context.Context, f outpost.PeopleFilter) ([]outpost.Person, error) {
	if err := f.Check(); err != nil {
		return nil, err
	}
	where, args := db.peopleWhere(f)
	if f.After != "" {
		if where == "" {
			where = " WHERE id > ?"
		} else {
			where += " AND id > ?"
		}
		args = append(args, f.After)
	}
	q := `SELECT ` + personCols + ` FROM people` + where + ` ORDER BY id`
	if f.Limit > 0 {
		q += ` LIMIT ?`
		args = append(args, f.Limit)
	}
	rows, err := db.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []outpost.Person{}
	for rows.Next() {
		p, err := scanPerson(rows)
		if err != nil {
			return nil, db.wrap(err)
		}
		out = append(out, p)
	}
	return out, db.wrap(rows.Err())
}

// CountPeople counts the people matching f (ignoring After and Limit).
func (db *DB) CountPeople(ctx context.Context, f outpost.PeopleFilter) (int, error) {
	if err := f.Check(); err != nil {
		return 0, err
	}
	where, args := db.peopleWhere(f)
	var n int
	err := db.queryRow(ctx, `SELECT COUNT(*) FROM people`+where, args...).Scan(&n)
	return n, db.wrap(err)
}

// Events returns a person's presence history in time order: the
// registration first, then every later event; events a correction took
// out are left out (History has them).
func (db *DB) Events(ctx context.Context, person string) ([]outpost.Event, error) {
	h, err := db.History(ctx, person)
	return h.Events, err
}

// Track records a checkpoint and the status it implies. A checkpoint that
// keeps the status (assembled) records the person's status at that time.
// It is the one write of TrackMany, person locked and checked alike.
func (db *DB) Track(ctx context.Context, tr outpost.Track) (outpost.Event, error) {
	res, err := db.TrackMany(ctx, []outpost.Track{tr})
	if err != nil {
		return outpost.Event{}, err
	}
	return res[0].Event, res[0].Err()
}

// refreshStatus sets a person's current status to that of their latest
// event.
func (t *tx) refreshStatus(ctx context.Context, id string) error {
	_, err := t.exec(ctx, `UPDATE people SET `+currentStatusSet+` WHERE id = ?`, id)
	return err
}

// Presence streams every person's status history, ordered by person id:
// the registration, then later events, in time order.
func (db *DB) Presence(ctx context.Context, fn func(outpost.Presence) error) error {
	rows, err := db.query(ctx, `SELECT p.id, p.mission, p.nationality, p.category, p.reg_since, p.reg_status, e.at, e.status
		FROM people p LEFT JOIN status_events e ON e.person_id = p.id AND e.voided_at IS NULL
		ORDER BY p.id, e.at, e.id`)
	if err != nil {
		return err
	}
	return db.scanPresence(rows, fn)
}

// Audit lists audit entries, newest first.
func (db *DB) Audit(ctx context.Context, f outpost.AuditFilter) ([]outpost.AuditEntry, error) {
	q := `SELECT id, at, actor, action, entity, entity_id, mission, before, after FROM audit`
	var where []string
	var args []any
	if f.Mission != "" {
		where = append(where, "mission = ?")
		args = append(args, f.Mission)
	}
	if f.Entity != "" {
		where = append(where, "entity = ?")
		args = append(args, f.Entity)
	}
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY id DESC"
	if f.Limit <= 0 {
		f.Limit = 100
	}
	q += " LIMIT ?"
	args = append(args, f.Limit)
	rows, err := db.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []outpost.AuditEntry{}
	for rows.Next() {
		var e outpost.AuditEntry
		var at int64
		if err := rows.Scan(&e.ID, &at, &e.Actor, &e.Action, &e.Entity, &e.EntityID, &e.Mission, &e.Before, &e.After); err != nil {
			return nil, db.wrap(err)
		}
		e.At = time.Unix(at, 0).UTC()
		out = append(out, e)
	}
	return out, db.wrap(rows.Err())
}

func redacted(v string) string {
	if v == "" {
		return ""
	}
	return "(secret)"
}
