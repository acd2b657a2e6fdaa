package store

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
)

const caseCols = `c.id, c.person_id, p.mission, c.precedence, c.need, c.status, c.opened_at, c.updated_at, c.closed_at`

func scanCase(sc interface{ Scan(...any) error }) (outpost.MedicalCase, error) {
	var c outpost.MedicalCase
	var opened, updated int64
	var closed sql.NullInt64
	err := sc.Scan(&c.ID, &c.Person, &c.Mission, &c.Precedence, &c.Need, &c.Status, &opened, &updated, &closed)
	c.OpenedAt, c.UpdatedAt = time.Unix(opened, 0).UTC(), time.Unix(updated, 0).UTC()
	if closed.Valid {
		t := time.Unix(closed.Int64, 0).UTC()
		c.ClosedAt = &t
	}
	return c, err
}

func validPrecedence(p outpost.Precedence) error {
	if !slices.Contains(outpost.Precedences, string(p)) {
		return outpost.Errorf(outpost.EINVALID, "precedence must be one of %s (got %q)", strings.Join(outpost.Precedences, ", "), p)
	}
	return nil
}

// validNeed checks the text of a medical need: a note within the domain's
// bounds.
func validNeed(need string) error {
	if msg := outpost.CheckText(need, outpost.MaxNote); msg != "" {
		return outpost.Errorf(outpost.EINVALID, "need %s", msg)
	}
	return nil
}

// OpenCase opens a medical case for a person.
func (db *DB) OpenCase(ctx context.Context, c outpost.MedicalCase) (outpost.MedicalCase, error) {
	if err := validPrecedence(c.Precedence); err != nil {
		return c, err
	}
	if err := validNeed(c.Need); err != nil {
		return c, err
	}
	now := db.Now().Unix()
	var id int64
	err := db.update(ctx, func(t *tx) error {
		var mission string
		err := t.queryRow(ctx, `SELECT mission FROM people WHERE id = ?`, c.Person).Scan(&mission)
		if errors.Is(err, sql.ErrNoRows) {
			return outpost.Errorf(outpost.ENOTFOUND, "no person %q", c.Person)
		}
		if err != nil {
			return err
		}
		if err := t.queryRow(ctx, `INSERT INTO medical_cases (person_id, precedence, need, status, opened_at, updated_at)
			VALUES (?, ?, ?, 'open', ?, ?) RETURNING id`, c.Person, string(c.Precedence), c.Need, now, now).Scan(&id); err != nil {
			return err
		}
		return t.audit(ctx, "open", "medical_case", itoa(id), mission, nil, map[string]string{"person": c.Person, "precedence": string(c.Precedence), "need": c.Need})
	})
	if err != nil {
		return c, err
	}
	return db.Case(ctx, id)
}

// UpdateCase changes an open case's precedence or need.
func (db *DB) UpdateCase(ctx context.Context, id int64, u outpost.CaseUpdate) (outpost.MedicalCase, error) {
	if u.Precedence != nil {
		if err := validPrecedence(*u.Precedence); err != nil {
			return outpost.MedicalCase{}, err
		}
	}
	if u.Need != nil {
		if err := validNeed(*u.Need); err != nil {
			return outpost.MedicalCase{}, err
		}
	}
	err := db.update(ctx, func(t *tx) error {
		before, err := scanCase(t.queryRow(ctx, `SELECT `+caseCols+` FROM medical_cases c JOIN people p ON p.id = c.person_id WHERE c.id = ?`, id))
		if errors.Is(err, sql.ErrNoRows) {
			return outpost.Errorf(outpost.ENOTFOUND, "no medical case %d", id)
		}
		if err != nil {
			return err
		}
		if before.Status != "open" {
			return outpost.Errorf(outpost.ECONFLICT, "medical case %d is closed", id)
		}
		after := before
		if u.Precedence != nil {
			after.Precedence = *u.Precedence
		}
		if u.Need != nil {
			after.Need = *u.Need
		}
		if _, err := t.exec(ctx, `UPDATE medical_cases SET precedence = ?, need = ?, updated_at = ? WHERE id = ?`,
			string(after.Precedence), after.Need, db.Now().Unix(), id); err != nil {
			return err
		}
		return t.audit(ctx, "update", "medical_case", itoa(id), before.Mission, before, after)
	})
	if err != nil {
		return outpost.MedicalCase{}, err
	}
	return db.Case(ctx, id)
}

// CloseCase closes a case.
func (db *DB) CloseCase(ctx context.Context, id int64) (outpost.MedicalCase, error) {
	err := db.update(ctx, func(t *tx) error {
		before, err := scanCase(t.queryRow(ctx, `SELECT `+caseCols+` FROM medical_cases c JOIN people p ON p.id = c.person_id WHERE c.id = ?`, id))
		if errors.Is(err, sql.ErrNoRows) {
			return outpost.Errorf(outpost.ENOTFOUND, "no medical case %d", id)
		}
		if err != nil {
			return err
		}
		if before.Status != "open" {
			return outpost.Errorf(outpost.ECONFLICT, "medical case %d is already closed", id)
		}
		now := db.Now().Unix()
		if _, err := t.exec(ctx, `UPDATE medical_cases SET status = 'closed', closed_at = ?, updated_at = ? WHERE id = ?`, now, now, id); err != nil {
			return err
		}
		return t.audit(ctx, "close", "medical_case", itoa(id), before.Mission, map[string]string{"status": "open"}, map[string]string{"status": "closed"})
	})
	if err != nil {
		return outpost.MedicalCase{}, err
	}
	return db.Case(ctx, id)
}

// Case returns one case, or ENOTFOUND.
func (db *DB) Case(ctx context.Context, id int64) (outpost.MedicalCase, error) {
	c, err := scanCase(db.queryRow(ctx, `SELECT `+caseCols+` FROM medical_cases c JOIN people p ON p.id = c.person_id WHERE c.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return c, outpost.Errorf(outpost.ENOTFOUND, "no medical case %d", id)
	}
	return c, db.wrap(err)
}

// Cases lists cases, most urgent and oldest first.
func (db *DB) Cases(ctx context.Context, f outpost.CaseFilter) ([]outpost.MedicalCase, error) {
	q := `SELECT ` + caseCols + ` FROM medical_cases c JOIN people p ON p.id = c.person_id`
	var where []string
	var args []any
	if f.Mission != "" {
		where = append(where, "p.mission = ?")
		args = append(args, f.Mission)
	}
	if !f.All {
		where = append(where, "c.status = 'open'")
	}
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += ` ORDER BY CASE c.precedence WHEN 'urgent' THEN 0 WHEN 'priority' THEN 1 ELSE 2 END, c.opened_at, c.id`
	rows, err := db.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []outpost.MedicalCase{}
	for rows.Next() {
		c, err := scanCase(rows)
		if err != nil {
			return nil, db.wrap(err)
		}
		out = append(out, c)
	}
	return out, db.wrap(rows.Err())
}

// MedicalLevels returns, for each person with an open case, the level of
// their most urgent open case.
func (db *DB) MedicalLevels(ctx context.Context) (map[string]int, error) {
	rows, err := db.query(ctx, `SELECT person_id, precedence FROM medical_cases WHERE status = 'open'`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var id, p string
		if err := rows.Scan(&id, &p); err != nil {
			return nil, db.wrap(err)
		}
		if l := outpost.Precedence(p).MedicalLevel(); l > out[id] {
			out[id] = l
		}
	}
	return out, db.wrap(rows.Err())
}
