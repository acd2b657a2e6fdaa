package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
)

// ImportRestrictions inserts or updates restrictions by id, all or nothing.
func (db *DB) ImportRestrictions(ctx context.Context, b outpost.Batch[outpost.Restriction]) (outpost.ImportStats, error) {
	var st outpost.ImportStats
	err := db.update(ctx, func(t *tx) error {
		for r := range b.Rows {
			st.Rows++
			var n int
			if err := t.queryRow(ctx, `SELECT COUNT(*) FROM restrictions WHERE id = ?`, r.ID).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				st.Updated++
			} else {
				st.Inserted++
			}
			if _, err := t.exec(ctx, `INSERT INTO restrictions (id, kind, crossing, starts, ends, days, note, source)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?)
				ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, crossing = excluded.crossing, starts = excluded.starts,
				ends = excluded.ends, days = excluded.days, note = excluded.note, source = excluded.source`,
				r.ID, r.Kind, r.Crossing, string(r.Starts), string(r.Ends), r.Days, r.Note, r.Source); err != nil {
				return err
			}
		}
		if err := b.Err(); err != nil {
			return err
		}
		return t.audit(ctx, "import", "restrictions", "", "", nil, st)
	})
	return st, err
}

// Restrictions lists every restriction by start date.
func (db *DB) Restrictions(ctx context.Context) ([]outpost.Restriction, error) {
	rows, err := db.query(ctx, `SELECT id, kind, crossing, starts, ends, days, note, source FROM restrictions ORDER BY starts, id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []outpost.Restriction{}
	for rows.Next() {
		var r outpost.Restriction
		if err := rows.Scan(&r.ID, &r.Kind, &r.Crossing, &r.Starts, &r.Ends, &r.Days, &r.Note, &r.Source); err != nil {
			return nil, db.wrap(err)
		}
		out = append(out, r)
	}
	return out, db.wrap(rows.Err())
}

// ImportDepartures inserts or updates departures by id, all or nothing.
func (db *DB) ImportDepartures(ctx context.Context, b outpost.Batch[outpost.Departure]) (outpost.ImportStats, error) {
	var st outpost.ImportStats
	err := db.update(ctx, func(t *tx) error {
		for d := range b.Rows {
			st.Rows++
			var n int
			if err := t.queryRow(ctx, `SELECT COUNT(*) FROM departures WHERE id = ?`, d.ID).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				st.Updated++
			} else {
				st.Inserted++
			}
			if _, err := t.exec(ctx, `INSERT INTO departures (id, route, departs, seats, crossing, eligible)
				VALUES (?, ?, ?, ?, ?, ?)
				ON CONFLICT (id) DO UPDATE SET route = excluded.route, departs = excluded.departs, seats = excluded.seats,
				crossing = excluded.crossing, eligible = excluded.eligible`,
				d.ID, d.Route, d.Departs.Unix(), d.Seats, d.Crossing, strings.Join(d.Eligible, " ")); err != nil {
				return err
			}
		}
		if err := b.Err(); err != nil {
			return err
		}
		return t.audit(ctx, "import", "departures", "", "", nil, st)
	})
	return st, err
}

func scanDeparture(sc interface{ Scan(...any) error }) (outpost.Departure, error) {
	var d outpost.Departure
	var departs int64
	var eligible string
	err := sc.Scan(&d.ID, &d.Route, &departs, &d.Seats, &d.Crossing, &eligible)
	d.Departs = time.Unix(departs, 0).UTC()
	d.Eligible = strings.Fields(eligible)
	if d.Eligible == nil {
		d.Eligible = []string{}
	}
	return d, err
}

// Departures lists every departure by time.
func (db *DB) Departures(ctx context.Context) ([]outpost.Departure, error) {
	rows, err := db.query(ctx, `SELECT id, route, departs, seats, crossing, eligible FROM departures ORDER BY departs, id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []outpost.Departure{}
	for rows.Next() {
		d, err := scanDeparture(rows)
		if err != nil {
			return nil, db.wrap(err)
		}
		out = append(out, d)
	}
	return out, db.wrap(rows.Err())
}

// Departure returns one departure, or ENOTFOUND.
func (db *DB) Departure(ctx context.Context, id string) (outpost.Departure, error) {
	d, err := scanDeparture(db.queryRow(ctx, `SELECT id, route, departs, seats, crossing, eligible FROM departures WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return d, outpost.Errorf(outpost.ENOTFOUND, "no departure %q", id)
	}
	return d, db.wrap(err)
}

// SavePlan stores a plan and returns it with its new id.
func (db *DB) SavePlan(ctx context.Context, p outpost.PlanDoc) (outpost.PlanDoc, error) {
	p.CreatedAt = db.Now().Truncate(time.Second).UTC()
	people := 0
	for _, a := range p.Assignments {
		people += len(a.People)
	}
	err := db.update(ctx, func(t *tx) error {
		p.Plan = 0
		body, err := json.Marshal(p)
		if err != nil {
			return err
		}
		if err := t.queryRow(ctx, `INSERT INTO plans (start, score, bound, people, created_at, created_by, body)
			VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, p.Start, p.Score, p.Bound, people, p.CreatedAt.Unix(),
			outpost.ActorFrom(ctx), string(body)).Scan(&p.Plan); err != nil {
			return err
		}
		return t.audit(ctx, "plan", "plan", itoa(p.Plan), "", nil,
			map[string]any{"start": p.Start, "score": p.Score, "bound": p.Bound, "people": people})
	})
	return p, err
}

// Plan returns a saved plan, or ENOTFOUND.
func (db *DB) Plan(ctx context.Context, id int64) (outpost.PlanDoc, error) {
	var body string
	err := db.queryRow(ctx, `SELECT body FROM plans WHERE id = ?`, id).Scan(&body)
	if errors.Is(err, sql.ErrNoRows) {
		return outpost.PlanDoc{}, outpost.Errorf(outpost.ENOTFOUND, "no plan %d", id)
	}
	if err != nil {
		return outpost.PlanDoc{}, db.wrap(err)
	}
	var p outpost.PlanDoc
	if err := json.Unmarshal([]byte(body), &p); err != nil {
		return p, db.wrap(err)
	}
	p.Plan = id
	return p, nil
}

// Plans lists saved plans, newest first.
func (db *DB) Plans(ctx context.Context) ([]outpost.PlanSummary, error) {
	rows, err := db.query(ctx, `SELECT id, start, score, bound, people, created_at, created_by FROM plans ORDER BY id DESC`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []outpost.PlanSummary{}
	for rows.Next() {
		var p outpost.PlanSummary
		var created int64
		if err := rows.Scan(&p.ID, &p.Start, &p.Score, &p.Bound, &p.People, &created, &p.CreatedBy); err != nil {
			return nil, db.wrap(err)
		}
		p.CreatedAt = time.Unix(created, 0).UTC()
		out = append(out, p)
	}
	return out, db.wrap(rows.Err())
}
