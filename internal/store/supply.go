package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"

	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/supply"
)

const itemCols = `code, name, kind, unit, daily_per_person`

func scanItem(sc interface{ Scan(...any) error }) (outpost.Item, error) {
	var it outpost.Item
	err := sc.Scan(&it.Code, &it.Name, &it.Kind, &it.Unit, &it.DailyPerPerson)
	return it, err
}

// ImportItems inserts or updates items by code, all or nothing.
func (db *DB) ImportItems(ctx context.Context, b outpost.Batch[outpost.Item]) (outpost.ImportStats, error) {
	var st outpost.ImportStats
	err := db.update(ctx, func(t *tx) error {
		var probs outpost.RowProblems
		for it := range b.Rows {
			st.Rows++
			if p := it.Validate(); len(p) > 0 {
				probs = appendProblems(probs, st.Rows, p)
				continue
			}
			ok, err := t.exists(ctx, "items", "code", it.Code)
			if err != nil {
				return err
			}
			if ok {
				st.Updated++
			} else {
				st.Inserted++
			}
			if _, err := t.exec(ctx, `INSERT INTO items (`+itemCols+`) VALUES (?, ?, ?, ?, ?)
				ON CONFLICT (code) DO UPDATE SET name = excluded.name, kind = excluded.kind,
				unit = excluded.unit, daily_per_person = excluded.daily_per_person`,
				it.Code, it.Name, string(it.Kind), it.Unit, it.DailyPerPerson); err != nil {
				return err
			}
		}
		if err := b.Err(); err != nil {
			return err
		}
		if len(probs) > 0 {
			return refused("items", probs)
		}
		return t.audit(ctx, "import", "items", "", "", nil, st)
	})
	if err != nil {
		return outpost.ImportStats{}, err
	}
	return st, nil
}

// appendProblems turns a row's own problems into RowProblems at the row's
// position (rows of a batch not read from a file have no line).
func appendProblems(probs outpost.RowProblems, line int, p outpost.Problems) outpost.RowProblems {
	for _, f := range p {
		probs = append(probs, outpost.RowProblem{Line: line, Column: f.Field, Got: f.Got, Message: f.Message})
	}
	return probs
}

// Items lists the catalogue by code.
func (db *DB) Items(ctx context.Context) ([]outpost.Item, error) {
	rows, err := db.query(ctx, `SELECT `+itemCols+` FROM items ORDER BY code`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []outpost.Item{}
	for rows.Next() {
		it, err := scanItem(rows)
		if err != nil {
			return nil, db.wrap(err)
		}
		out = append(out, it)
	}
	return out, db.wrap(rows.Err())
}

// Item returns one item, or ENOTFOUND.
func (db *DB) Item(ctx context.Context, code string) (outpost.Item, error) {
	it, err := scanItem(db.queryRow(ctx, `SELECT `+itemCols+` FROM items WHERE code = ?`, code))
	if errors.Is(err, sql.ErrNoRows) {
		return it, outpost.Errorf(outpost.ENOTFOUND, "no item %q", code)
	}
	return it, db.wrap(err)
}

// mustExist answers ENOTFOUND unless the mission and the item exist.
func (t *tx) mustExist(ctx context.Context, missions []string, item string) error {
	for _, m := range missions {
		ok, err := t.exists(ctx, "missions", "code", m)
		if err != nil {
			return err
		}
		if !ok {
			return outpost.Errorf(outpost.ENOTFOUND, "no mission %q", m)
		}
	}
	ok, err := t.exists(ctx, "items", "code", item)
	if err != nil {
		return err
	}
	if !ok {
		return outpost.Errorf(outpost.ENOTFOUND, "no item %q: add it with `outpost import items`", item)
	}
	return nil
}

// Receive records one new lot.
func (db *DB) Receive(ctx context.Context, r outpost.Receipt) (outpost.Receipt, error) {
	r.Transfer, r.Line = 0, 0
	if err := r.Validate().Err("receipt"); err != nil {
		return r, err
	}
	err := db.update(ctx, func(t *tx) error {
		if err := t.lockSupply(ctx); err != nil {
			return err
		}
		if err := t.mustExist(ctx, []string{r.Mission}, r.Item); err != nil {
			return err
		}
		var received string
		err := t.queryRow(ctx, `SELECT received FROM receipts WHERE mission = ? AND item = ? AND lot = ?`,
			r.Mission, r.Item, r.Lot).Scan(&received)
		if err == nil {
			return outpost.Errorf(outpost.ECONFLICT, "%s already has a lot %s of %s (received %s); correct a lot by importing the stock file again",
				r.Mission, r.Lot, r.Item, received)
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if _, err := t.exec(ctx, `INSERT INTO receipts (mission, item, lot, quantity, received, expires) VALUES (?, ?, ?, ?, ?, ?)`,
			r.Mission, r.Item, r.Lot, r.Quantity, string(r.Received), string(r.Expires)); err != nil {
			return err
		}
		return t.audit(ctx, "receive", "receipt", r.Mission+"/"+r.Item+"/"+r.Lot, r.Mission, nil, r)
	})
	return r, err
}

// IssueStock records one issue, refused when the stock does not cover it
// or when it would leave a later issue uncovered.
func (db *DB) IssueStock(ctx context.Context, u outpost.Issue) (outpost.Issue, error) {
	u.ID, u.Transfer, u.Line = 0, 0, 0
	if err := u.Validate().Err("issue"); err != nil {
		return u, err
	}
	day, _ := supply.ParseDate(string(u.Date))
	err := db.update(ctx, func(t *tx) error {
		if err := t.lockSupply(ctx); err != nil {
			return err
		}
		if err := t.mustExist(ctx, []string{u.Mission}, u.Item); err != nil {
			return err
		}
		l, err := db.loadPairs(ctx, t, []ledgerKey{{u.Mission, u.Item}})
		if err != nil {
			return err
		}
		n := len(l.Issues)
		issues := append(l.Issues, supply.Issue{Mission: u.Mission, Item: u.Item, Quantity: u.Quantity, Date: day})
		for _, e := range supply.Check(l.Receipts, issues) {
			if e.Index == n {
				return outpost.Errorf(outpost.ECONFLICT, "%s has %s %s on hand on %s: an issue of %s is more than that",
					u.Mission, outpost.FormatQuantity(e.Available), u.Item, u.Date, outpost.FormatQuantity(u.Quantity))
			}
			return outpost.Errorf(outpost.ECONFLICT, "issuing %s %s at %s on %s would leave the issue of %s on %s uncovered (%s on hand then)",
				outpost.FormatQuantity(u.Quantity), u.Item, u.Mission, u.Date,
				outpost.FormatQuantity(e.Issue.Quantity), e.Issue.Date, outpost.FormatQuantity(e.Available))
		}
		if err := t.queryRow(ctx, `INSERT INTO issues (mission, item, quantity, issued, note) VALUES (?, ?, ?, ?, ?) RETURNING id`,
			u.Mission, u.Item, u.Quantity, string(u.Date), u.Note).Scan(&u.ID); err != nil {
			return err
		}
		return t.audit(ctx, "issue", "issue", itoa(u.ID), u.Mission, nil, u)
	})
	return u, err
}

// Transfer records stock handed from one mission to another as a matched
// issue at the giver and one receipt per lot drawn at the receiver.
func (db *DB) Transfer(ctx context.Context, tr outpost.Transfer) (outpost.Transfer, error) {
	tr.ID, tr.Lots = 0, nil
	if err := tr.Validate().Err("transfer"); err != nil {
		return tr, err
	}
	day, _ := supply.ParseDate(string(tr.Date))
	err := db.update(ctx, func(t *tx) error {
		if err := t.lockSupply(ctx); err != nil {
			return err
		}
		if err := t.mustExist(ctx, []string{tr.From, tr.To}, tr.Item); err != nil {
			return err
		}
		l, err := db.loadPairs(ctx, t, []ledgerKey{{tr.From, tr.Item}})
		if err != nil {
			return err
		}
		lots, err := supply.Replay(l.Receipts, l.Issues, day)
		if err != nil {
			return fmt.Errorf("replay %s %s: %w", tr.From, tr.Item, err)
		}
		n := len(l.Issues)
		issues := append(l.Issues, supply.Issue{Mission: tr.From, Item: tr.Item, Quantity: tr.Quantity, Date: day})
		for _, e := range supply.Check(l.Receipts, issues) {
			if e.Index == n {
				return outpost.Errorf(outpost.ECONFLICT, "%s has %s %s on hand on %s: it cannot give %s",
					tr.From, outpost.FormatQuantity(e.Available), tr.Item, tr.Date, outpost.FormatQuantity(tr.Quantity))
			}
			return outpost.Errorf(outpost.ECONFLICT, "giving %s %s on %s would leave %s's issue of %s on %s uncovered (%s on hand then)",
				outpost.FormatQuantity(tr.Quantity), tr.Item, tr.Date, tr.From,
				outpost.FormatQuantity(e.Issue.Quantity), e.Issue.Date, outpost.FormatQuantity(e.Available))
		}
		if err := t.queryRow(ctx, `INSERT INTO transfers (item, from_mission, to_mission, quantity, sent, note, recorded_at)
			VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			tr.Item, tr.From, tr.To, tr.Quantity, string(tr.Date), tr.Note, db.Now().Unix()).Scan(&tr.ID); err != nil {
			return err
		}
		note := fmt.Sprintf("transfer %d to %s", tr.ID, tr.To)
		if tr.Note != "" {
			note += ": " + tr.Note
		}
		if _, err := t.exec(ctx, `INSERT INTO issues (mission, item, quantity, issued, note, transfer_id) VALUES (?, ?, ?, ?, ?, ?)`,
			tr.From, tr.Item, tr.Quantity, string(tr.Date), note, tr.ID); err != nil {
			return err
		}
		// The lots drawn, in the order the replay draws them: what the
		// issue just recorded takes from each.
		need := tr.Quantity
		for _, lot := range lots {
			take := min(lot.Quantity, need)
			need -= take
			if take > 1e-12 {
				name, err := t.freeLotName(ctx, tr.To, tr.Item, tr.From+"/"+lot.Name)
				if err != nil {
					return err
				}
				part := outpost.TransferLot{FromLot: lot.Name, ToLot: name, Quantity: take, Expires: outpost.Date(lot.Expires.String())}
				if _, err := t.exec(ctx, `INSERT INTO receipts (mission, item, lot, quantity, received, expires, transfer_id, from_lot)
					VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
					tr.To, tr.Item, part.ToLot, part.Quantity, string(tr.Date), string(part.Expires), tr.ID, part.FromLot); err != nil {
					return err
				}
				tr.Lots = append(tr.Lots, part)
			}
			if need <= 1e-12 {
				break
			}
		}
		return t.audit(ctx, "transfer", "transfer", itoa(tr.ID), tr.From, nil, tr)
	})
	if err != nil {
		tr.ID, tr.Lots = 0, nil
	}
	return tr, err
}

// freeLotName returns name, or name-2, name-3, … if the mission already has
// a lot of that name for the item.
func (t *tx) freeLotName(ctx context.Context, mission, item, name string) (string, error) {
	for k := 1; ; k++ {
		try := name
		if k > 1 {
			try = name + "-" + strconv.Itoa(k)
		}
		var n int
		if err := t.queryRow(ctx, `SELECT COUNT(*) FROM receipts WHERE mission = ? AND item = ? AND lot = ?`,
			mission, item, try).Scan(&n); err != nil {
			return "", err
		}
		if n == 0 {
			return try, nil
		}
	}
}

// Transfers lists recorded transfers, newest first; mission "" lists all,
// otherwise those the mission gave or received.
func (db *DB) Transfers(ctx context.Context, mission string) ([]outpost.Transfer, error) {
	q := `SELECT id, item, from_mission, to_mission, quantity, sent, note FROM transfers`
	var args []any
	if mission != "" {
		q += ` WHERE from_mission = ? OR to_mission = ?`
		args = append(args, mission, mission)
	}
	rows, err := db.query(ctx, q+` ORDER BY id DESC`, args...)
	if err != nil {
		return nil, err
	}
	out := []outpost.Transfer{}
	idx := map[int64]int{}
	for rows.Next() {
		var tr outpost.Transfer
		if err := rows.Scan(&tr.ID, &tr.Item, &tr.From, &tr.To, &tr.Quantity, &tr.Date, &tr.Note); err != nil {
			rows.Close()
			return nil, db.wrap(err)
		}
		tr.Lots = []outpost.TransferLot{}
		idx[tr.ID] = len(out)
		out = append(out, tr)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(out) == 0 {
		return out, db.wrap(err)
	}
	rows, err = db.query(ctx, `SELECT transfer_id, from_lot, lot, quantity, expires FROM receipts
		WHERE transfer_id IS NOT NULL ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var p outpost.TransferLot
		if err := rows.Scan(&id, &p.FromLot, &p.ToLot, &p.Quantity, &p.Expires); err != nil {
			return nil, db.wrap(err)
		}
		if i, ok := idx[id]; ok {
			out[i].Lots = append(out[i].Lots, p)
		}
	}
	return out, db.wrap(rows.Err())
}
