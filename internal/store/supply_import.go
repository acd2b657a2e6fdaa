package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/supply"
)

// refused is the error of an import whose rows clash with what the
// database holds: EINVALID, with the problems as its cause so that an
// importer can locate each in the file.
func refused(what string, probs outpost.RowProblems) error {
	slices.SortStableFunc(probs, func(a, b outpost.RowProblem) int { return cmp.Compare(a.Line, b.Line) })
	e := &outpost.Error{Code: outpost.EINVALID, Err: probs}
	for i, p := range probs {
		if i == 50 {
			e.More = len(probs) - i
			break
		}
		e.Details = append(e.Details, fmt.Sprintf("line %d: %s: %s (got %q)", p.Line, p.Column, p.Message, p.Got))
	}
	e.Message = fmt.Sprintf("%s: %d %s, nothing was imported", what, len(probs), map[bool]string{true: "problem", false: "problems"}[len(probs) == 1])
	return e
}

// line is where a batch row is reported: its line in the file, or its
// position in the batch.
func line(fileLine, pos int) int {
	if fileLine > 0 {
		return fileLine
	}
	return pos
}

// knownCodes checks that a row's mission and item exist.
type knownCodes struct{ missions, items map[string]bool }

func (t *tx) knownCodes(ctx context.Context) (knownCodes, error) {
	m, err := t.codeSet(ctx, "missions", "code")
	if err != nil {
		return knownCodes{}, err
	}
	i, err := t.codeSet(ctx, "items", "code")
	return knownCodes{m, i}, err
}

func (k knownCodes) check(p outpost.Problems, mission, item string) outpost.Problems {
	if outpost.IsCode(mission) && !k.missions[mission] {
		p.Add("mission", mission, "no such mission: import it with `outpost import missions` first")
	}
	if outpost.IsCode(item) && !k.items[item] {
		p.Add("item", item, "no such item: import it with `outpost import items` first")
	}
	return p
}

// change is a stock row that changed a lot already in the database.
type change struct {
	line   int
	column string // the column that lowers the lot, or ""
	got    string
}

// ImportStock inserts or updates receipts by (mission, item, lot), all or
// nothing. Adding a lot never takes stock away, but correcting one can: a
// lower quantity, a later receipt or an earlier expiry. Every ledger with
// a corrected lot is replayed with its recorded issues, and a file that
// leaves one of them uncovered is refused, located on the rows that
// lowered a lot of that ledger.
func (db *DB) ImportStock(ctx context.Context, b outpost.Batch[outpost.Receipt]) (outpost.ImportStats, error) {
	var st outpost.ImportStats
	err := db.update(ctx, func(t *tx) error {
		if err := t.lockSupply(ctx); err != nil {
			return err
		}
		known, err := t.knownCodes(ctx)
		if err != nil {
			return err
		}
		get, err := t.PrepareContext(ctx, db.rebind(`SELECT quantity, received, expires FROM receipts WHERE mission = ? AND item = ? AND lot = ?`))
		if err != nil {
			return err
		}
		defer get.Close()
		put, err := t.PrepareContext(ctx, db.rebind(`INSERT INTO receipts (mission, item, lot, quantity, received, expires)
			VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (mission, item, lot) DO UPDATE SET
			quantity = excluded.quantity, received = excluded.received, expires = excluded.expires`))
		if err != nil {
			return err
		}
		defer put.Close()
		var probs outpost.RowProblems
		changed := map[ledgerKey][]change{}
		for r := range b.Rows {
			st.Rows++
			at := line(r.Line, st.Rows)
			if p := known.check(r.Validate(), r.Mission, r.Item); len(p) > 0 {
				probs = appendProblems(probs, at, p)
				continue
			}
			var q float64
			var rec, exp string
			err := get.QueryRowContext(ctx, r.Mission, r.Item, r.Lot).Scan(&q, &rec, &exp)
			switch {
			case errors.Is(err, sql.ErrNoRows):
				st.Inserted++
			case err != nil:
				return err
			default:
				st.Updated++
				k := ledgerKey{r.Mission, r.Item}
				changed[k] = append(changed[k], lowering(at, q, rec, exp, r))
			}
			if _, err := put.ExecContext(ctx, r.Mission, r.Item, r.Lot, r.Quantity, string(r.Received), string(r.Expires)); err != nil {
				return err
			}
		}
		if err := b.Err(); err != nil {
			return err
		}
		if len(probs) == 0 && len(changed) > 0 {
			keys := slices.SortedFunc(maps.Keys(changed), compareKeys)
			l, err := db.loadPairs(ctx, t, keys)
			if err != nil {
				return err
			}
			probs = stockProblems(supply.Check(l.Receipts, l.Issues), changed)
		}
		if len(probs) > 0 {
			return refused("stock", probs)
		}
		return t.audit(ctx, "import", "stock", "", "", nil, st)
	})
	if err != nil {
		return outpost.ImportStats{}, err
	}
	return st, nil
}

func compareKeys(a, b ledgerKey) int {
	if c := strings.Compare(a.mission, b.mission); c != 0 {
		return c
	}
	return strings.Compare(a.item, b.item)
}

// lowering says which column of a corrected lot takes stock away, if any.
func lowering(at int, oldQ float64, oldRec, oldExp string, r outpost.Receipt) change {
	c := change{line: at}
	switch {
	case r.Quantity < oldQ:
		c.column, c.got = "quantity", outpost.FormatQuantity(r.Quantity)
	case string(r.Received) > oldRec:
		c.column, c.got = "received", string(r.Received)
	case r.Expires != "" && (oldExp == "" || string(r.Expires) < oldExp):
		c.column, c.got = "expires", string(r.Expires)
	}
	return c
}

// stockProblems locates each uncovered issue on the rows that lowered a
// lot of its ledger (or, should none have, on every row that changed one).
func stockProblems(short []*supply.OverdrawError, changed map[ledgerKey][]change) outpost.RowProblems {
	var probs outpost.RowProblems
	blamed := map[ledgerKey]bool{}
	for _, e := range short {
		k := ledgerKey{e.Issue.Mission, e.Issue.Item}
		if blamed[k] {
			continue // one uncovered issue per ledger says enough
		}
		blamed[k] = true
		rows := changed[k]
		var lowered []change
		for _, c := range rows {
			if c.column != "" {
				lowered = append(lowered, c)
			}
		}
		if len(lowered) == 0 {
			lowered = rows
		}
		for _, c := range lowered {
			col := cmp.Or(c.column, "quantity")
			probs = append(probs, outpost.RowProblem{Line: c.line, Column: col, Got: c.got,
				Message: fmt.Sprintf("leaves a recorded issue uncovered: %s %s issued at %s on %s, when only %s would be on hand",
					outpost.FormatQuantity(e.Issue.Quantity), e.Issue.Item, e.Issue.Mission, e.Issue.Date,
					outpost.FormatQuantity(e.Available))})
		}
	}
	return probs
}

// usageRows are the rows of a usage import, kept compact: a file can hold
// millions.
type usageRows struct {
	issues []supply.Issue
	lines  []int32
	notes  map[int]string // by index, where not empty
}

// usageInsertRows is how many issues one INSERT statement writes.
const usageInsertRows = 100

// ImportUsage appends issues, all or nothing. The rows are checked, before
// anything is written, by replaying every ledger they touch with what the
// database holds of it: an issue larger than the stock on hand at its date
// is refused, located on its row, and so is a row that takes stock an
// issue recorded earlier (for a later date) needs.
func (db *DB) ImportUsage(ctx context.Context, b outpost.Batch[outpost.Issue]) (outpost.ImportStats, error) {
	var st outpost.ImportStats
	err := db.update(ctx, func(t *tx) error {
		if err := t.lockSupply(ctx); err != nil {
			return err
		}
		known, err := t.knownCodes(ctx)
		if err != nil {
			return err
		}
		var probs outpost.RowProblems
		rows := usageRows{notes: map[int]string{}}
		pairs := map[ledgerKey]bool{}
		dates := map[outpost.Date]supply.Date{}
		for u := range b.Rows {
			st.Rows++
			at := line(u.Line, st.Rows)
			if p := known.check(u.Validate(), u.Mission, u.Item); len(p) > 0 {
				probs = appendProblems(probs, at, p)
				continue
			}
			d, ok := dates[u.Date]
			if !ok {
				d, _ = supply.ParseDate(string(u.Date))
				dates[u.Date] = d
			}
			if u.Note != "" {
				rows.notes[len(rows.issues)] = u.Note
			}
			rows.issues = append(rows.issues, supply.Issue{Mission: u.Mission, Item: u.Item, Quantity: u.Quantity, Date: d})
			rows.lines = append(rows.lines, int32(at))
			pairs[ledgerKey{u.Mission, u.Item}] = true
		}
		if err := b.Err(); err != nil {
			return err
		}
		if len(probs) > 0 {
			return refused("usage", probs)
		}
		l, err := db.loadPairs(ctx, t, slices.SortedFunc(maps.Keys(pairs), compareKeys))
		if err != nil {
			return err
		}
		if probs := usageProblems(l, &rows); len(probs) > 0 {
			return refused("usage", probs)
		}
		if err := t.insertIssues(ctx, &rows); err != nil {
			return err
		}
		st.Inserted = st.Rows
		return t.audit(ctx, "import", "usage", "", "", nil, st)
	})
	if err != nil {
		return outpost.ImportStats{}, err
	}
	db.tidyAfterBulk(ctx, "issues", st.Inserted)
	return st, nil
}

// bulkRows is how many rows an import must add for tidyAfterBulk to act.
const bulkRows = 10000

// tidyAfterBulk, on PostgreSQL, vacuums and analyzes table after an import
// that added at least bulkRows rows, so that the planner knows its new
// size and index-only scans (the sums of supply status) need not visit
// the table; autovacuum would get there too, later. It runs after the
// commit and its failure loses nothing, so it is not reported.
func (db *DB) tidyAfterBulk(ctx context.Context, table string, added int) {
	if db.dialect != Postgres || added < bulkRows {
		return
	}
	db.write.ExecContext(ctx, "VACUUM (ANALYZE) "+table)
}

// usageProblems replays the database's rows of the touched ledgers followed
// by the file's (recorded order: a day's issues already in the database
// are drawn before the file's) and locates every issue found short.
func usageProblems(l outpost.Ledger, rows *usageRows) outpost.RowProblems {
	n := len(l.Issues)
	short := supply.Check(l.Receipts, append(l.Issues, rows.issues...))
	if len(short) == 0 {
		return nil
	}
	var probs outpost.RowProblems
	seen := map[int32]bool{}
	var byLedger map[ledgerKey][]int // the file's rows of each ledger, when needed
	for _, e := range short {
		if e.Index >= n {
			i := e.Index - n
			seen[rows.lines[i]] = true
			probs = append(probs, outpost.RowProblem{Line: int(rows.lines[i]), Column: "quantity",
				Got:     outpost.FormatQuantity(e.Issue.Quantity),
				Message: fmt.Sprintf("more than on hand on %s: %s available", e.Issue.Date, outpost.FormatQuantity(e.Available))})
			continue
		}
		// An issue already recorded (for a later date) lost its stock to
		// the file's rows: blame the latest of them on or before its date.
		if byLedger == nil {
			byLedger = map[ledgerKey][]int{}
			for i, u := range rows.issues {
				k := ledgerKey{u.Mission, u.Item}
				byLedger[k] = append(byLedger[k], i)
			}
		}
		blame := -1
		for _, i := range byLedger[ledgerKey{e.Issue.Mission, e.Issue.Item}] {
			if u := rows.issues[i]; u.Date <= e.Issue.Date && (blame < 0 || u.Date >= rows.issues[blame].Date) {
				blame = i
			}
		}
		if blame < 0 || seen[rows.lines[blame]] {
			continue
		}
		seen[rows.lines[blame]] = true
		u := rows.issues[blame]
		probs = append(probs, outpost.RowProblem{Line: int(rows.lines[blame]), Column: "quantity",
			Got: outpost.FormatQuantity(u.Quantity),
			Message: fmt.Sprintf("takes stock an issue already recorded needs: %s issued on %s, when only %s would be on hand",
				outpost.FormatQuantity(e.Issue.Quantity), e.Issue.Date, outpost.FormatQuantity(e.Available))})
	}
	return probs
}

// insertIssues writes the rows many to a statement.
func (t *tx) insertIssues(ctx context.Context, rows *usageRows) error {
	stmt := func(n int) string {
		return `INSERT INTO issues (mission, item, quantity, issued, note) VALUES ` +
			strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?), ", n), ", ")
	}
	many, err := t.PrepareContext(ctx, t.db.rebind(stmt(usageInsertRows)))
	if err != nil {
		return err
	}
	defer many.Close()
	args := make([]any, 0, 5*usageInsertRows)
	for lo := 0; lo < len(rows.issues); lo += usageInsertRows {
		hi := min(lo+usageInsertRows, len(rows.issues))
		args = args[:0]
		for i := lo; i < hi; i++ {
			u := &rows.issues[i]
			args = append(args, u.Mission, u.Item, u.Quantity, u.Date.String(), rows.notes[i])
		}
		if hi-lo == usageInsertRows {
			_, err = many.ExecContext(ctx, args...)
		} else {
			_, err = t.exec(ctx, stmt(hi-lo), args...)
		}
		if err != nil {
			return err
		}
	}
	return nil
}
