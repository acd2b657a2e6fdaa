package store

import (
	"context"
	"database/sql"
	"strings"

	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/supply"
)

// querier is what reads the ledger: the read pool, or a write transaction
// that must see its own rows.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// ledgerKey names one ledger: an item's stock at a mission.
type ledgerKey struct{ mission, item string }

// Ledger loads the receipts and issues f selects, each in the order it was
// recorded.
func (db *DB) Ledger(ctx context.Context, f outpost.LedgerFilter) (outpost.Ledger, error) {
	var where, rwhere, iwhere []string
	var args, rargs, iargs []any
	if f.Mission != "" {
		where = append(where, "mission = ?")
		args = append(args, f.Mission)
	}
	if f.Item != "" {
		where = append(where, "item = ?")
		args = append(args, f.Item)
	}
	rwhere, iwhere = append(rwhere, where...), append(iwhere, where...)
	rargs, iargs = append(rargs, args...), append(iargs, args...)
	if f.AsOf != "" {
		rwhere = append(rwhere, "received <= ?")
		rargs = append(rargs, string(f.AsOf))
		iwhere = append(iwhere, "issued <= ?")
		iargs = append(iargs, string(f.AsOf))
	}
	lr := newLedgerReader()
	var l outpost.Ledger
	err := lr.receipts(ctx, db.read, db.rebind(`SELECT `+receiptLedgerCols+` FROM receipts`+whereClause(rwhere)+` ORDER BY id`), rargs, &l)
	if err == nil {
		err = lr.issues(ctx, db.read, db.rebind(`SELECT `+issueLedgerCols+` FROM issues`+whereClause(iwhere)+` ORDER BY id`), iargs, &l)
	}
	if err != nil {
		return outpost.Ledger{}, db.wrap(err)
	}
	return l, nil
}

func whereClause(conds []string) string {
	if len(conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(conds, " AND ")
}

const (
	receiptLedgerCols = `mission, item, lot, quantity, received, expires`
	issueLedgerCols   = `mission, item, quantity, issued, COALESCE(transfer_id, 0)`
)

// pairChunk is how many ledgers one query of loadPairs names: two
// parameters each, far below either engine's limit.
const pairChunk = 200

// loadPairs loads every receipt and issue of the given ledgers, whatever
// their dates, through q (a write transaction sees its own rows). Rows of
// one ledger keep the order they were recorded in.
func (db *DB) loadPairs(ctx context.Context, q querier, pairs []ledgerKey) (outpost.Ledger, error) {
	lr := newLedgerReader()
	var l outpost.Ledger
	for lo := 0; lo < len(pairs); lo += pairChunk {
		chunk := pairs[lo:min(lo+pairChunk, len(pairs))]
		args := make([]any, 0, 2*len(chunk))
		for _, p := range chunk {
			args = append(args, p.mission, p.item)
		}
		in := ` WHERE (mission, item) IN (VALUES ` + strings.TrimSuffix(strings.Repeat("(?, ?), ", len(chunk)), ", ") + `) ORDER BY id`
		if err := lr.receipts(ctx, q, db.rebind(`SELECT `+receiptLedgerCols+` FROM receipts`+in), args, &l); err != nil {
			return l, err
		}
		if err := lr.issues(ctx, q, db.rebind(`SELECT `+issueLedgerCols+` FROM issues`+in), args, &l); err != nil {
			return l, err
		}
	}
	return l, nil
}

// ledgerReader scans ledger rows into package supply's values. A ledger of
// millions of issues names a few hundred missions and items and a few
// hundred days: each distinct code is kept once and each date parsed once.
type ledgerReader struct {
	codes map[string]string
	dates map[string]supply.Date
}

func newLedgerReader() *ledgerReader {
	return &ledgerReader{codes: map[string]string{}, dates: map[string]supply.Date{}}
}

func (lr *ledgerReader) code(b []byte) string {
	if s, ok := lr.codes[string(b)]; ok {
		return s
	}
	s := string(b)
	lr.codes[s] = s
	return s
}

func (lr *ledgerReader) date(b []byte) (supply.Date, error) {
	if len(b) == 0 {
		return 0, nil
	}
	if d, ok := lr.dates[string(b)]; ok {
		return d, nil
	}
	d, err := supply.ParseDate(string(b))
	if err != nil {
		return 0, outpost.Errorf(outpost.EINTERNAL, "the ledger holds a bad date %q: %v", b, err)
	}
	lr.dates[string(b)] = d
	return d, nil
}

func (lr *ledgerReader) receipts(ctx context.Context, q querier, query string, args []any, l *outpost.Ledger) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	var m, it, rec, exp sql.RawBytes
	var r supply.Receipt
	for rows.Next() {
		if err := rows.Scan(&m, &it, &r.Lot, &r.Quantity, &rec, &exp); err != nil {
			return err
		}
		r.Mission, r.Item = lr.code(m), lr.code(it)
		if r.Received, err = lr.date(rec); err != nil {
			return err
		}
		if r.Expires, err = lr.date(exp); err != nil {
			return err
		}
		l.Receipts = append(l.Receipts, r)
	}
	return rows.Err()
}

func (lr *ledgerReader) issues(ctx context.Context, q querier, query string, args []any, l *outpost.Ledger) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	var m, it, day sql.RawBytes
	var u supply.Issue
	var transfer int64
	for rows.Next() {
		if err := rows.Scan(&m, &it, &u.Quantity, &day, &transfer); err != nil {
			return err
		}
		u.Mission, u.Item = lr.code(m), lr.code(it)
		if u.Date, err = lr.date(day); err != nil {
			return err
		}
		if transfer != 0 {
			if l.Transferred == nil {
				l.Transferred = map[int]bool{}
			}
			l.Transferred[len(l.Issues)] = true
		}
		l.Issues = append(l.Issues, u)
	}
	return rows.Err()
}

// lockSupply makes the writes of the stock ledger take turns. Each one
// checks the ledger and then writes, so two at once could together
// overdraw what neither would alone. SQLite writes one transaction at a
// time already; PostgreSQL takes a transaction-scoped advisory lock.
func (t *tx) lockSupply(ctx context.Context) error {
	if t.db.dialect != Postgres {
		return nil
	}
	_, err := t.exec(ctx, `SELECT pg_advisory_xact_lock(727002)`)
	return err
}

// exists reports whether table has a row whose column equals v.
func (t *tx) exists(ctx context.Context, table, column, v string) (bool, error) {
	var n int
	err := t.queryRow(ctx, `SELECT COUNT(*) FROM `+table+` WHERE `+column+` = ?`, v).Scan(&n)
	return n > 0, err
}

// codeSet returns every value of a code column, for checking many rows.
func (t *tx) codeSet(ctx context.Context, table, column string) (map[string]bool, error) {
	rows, err := t.query(ctx, `SELECT `+column+` FROM `+table)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, err
		}
		out[c] = true
	}
	return out, rows.Err()
}
