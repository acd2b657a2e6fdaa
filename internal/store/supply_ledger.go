package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

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

// Ledger loads the receipts and issues f selects: receipts in the order
// they were recorded, issues in no particular order (outpost.Ledger says
// why that is enough).
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
	// Millions of issues cross the driver one row at a time, which costs
	// far more than the replay: the query asks for no more columns than it
	// must and no sort. The issues that hand stock over (a partial index
	// finds them) come after the others and are marked. Neither the order
	// of a day's draws nor that of the days in the input changes what
	// package supply computes from a feasible ledger: a day's draws are
	// taken from the same lots in the same order, whatever their order.
	summed := f.Summed && f.AsOf != ""
	if err == nil && summed {
		err = db.summedIssues(ctx, lr, f.AsOf, &l)
	} else if err == nil && f.Mission == "" && f.Item == "" {
		// Issues are never deleted, so the largest id bounds how many
		// there are: one allocation instead of a slice grown (and copied)
		// some thirty times.
		var n sql.NullInt64
		if err = db.read.QueryRowContext(ctx, `SELECT MAX(id) FROM issues`).Scan(&n); err == nil && n.Valid {
			l.Issues = make([]supply.Issue, 0, n.Int64)
		}
	}
	issues := db.sqliteIssues(lr)
	if db.dialect == Postgres {
		issues = db.pgIssues(lr)
	}
	if err == nil && !summed {
		err = issues(ctx, db.read, db.rebind(`SELECT `+issueLedgerCols+` FROM issues`+
			whereClause(append(iwhere, "transfer_id IS NULL"))), iargs, &l, false)
	}
	if err == nil {
		// SQLite's planner would rather scan the whole table in id order
		// than sort the few rows the partial index finds.
		from := "issues"
		if db.dialect == SQLite {
			from = "issues INDEXED BY issues_transfer"
		}
		err = issues(ctx, db.read, db.rebind(`SELECT `+issueLedgerCols+` FROM `+from+
			whereClause(append(iwhere, "transfer_id IS NOT NULL"))+` ORDER BY id`), iargs, &l, true)
	}
	if err != nil {
		return outpost.Ledger{}, db.wrap(err)
	}
	return l, nil
}

// summedIssues appends the use (issues that hand nothing over) of every
// ledger of l.Receipts, summed within each span of supply.Spans: one
// issue per span that has any, dated span.Day(). The database sums them
// with a range read of the ledger index per span, so a status of millions
// of issues reads tens of thousands of sums; the spans are split in
// shares summed at once on as many read connections as there are CPUs.
func (db *DB) summedIssues(ctx context.Context, lr *ledgerReader, asOf outpost.Date, l *outpost.Ledger) error {
	day, err := supply.ParseDate(string(asOf))
	if err != nil {
		return outpost.Errorf(outpost.EINVALID, "as of %q: %v", asOf, err)
	}
	spans := supply.Spans(l.Receipts, day)
	sums := make([]sql.NullFloat64, len(spans))
	w := max(1, min(runtime.GOMAXPROCS(0), maxReadConns, len(spans)/spansPerWorker))
	errs := make([]error, w)
	var wg sync.WaitGroup
	for k := range w {
		lo, hi := len(spans)*k/w, len(spans)*(k+1)/w
		wg.Go(func() {
			errs[k] = db.withPageCache(ctx, db.read, sumPageCacheKiB, func(c *sql.Conn) error {
				return db.sumSpans(ctx, c, spans[lo:hi], sums[lo:hi])
			})
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return err
	}
	n := 0
	for _, q := range sums {
		if q.Valid {
			n++
		}
	}
	l.Issues = slices.Grow(l.Issues, n)
	for k, q := range sums {
		if q.Valid {
			sp := spans[k]
			l.Issues = append(l.Issues, supply.Issue{Mission: code(lr, sp.Mission), Item: code(lr, sp.Item), Quantity: q.Float64, Date: sp.Day()})
		}
	}
	return nil
}

// sumPageCacheKiB is the page cache of each connection that sums spans on
// SQLite. The sums read the ledger index once from end to end (158 MB at
// 3.65 million issues): a cache cannot save a read there, only the pages
// of the index's upper levels are read again, and those are a few hundred
// pages. With the usual 64 MB, each summing connection filled its cache
// with pages it never read again: most of the 320 MB the command took
// over 3.65 million issues, 75 MB with this (docs/benchmarks.md, Memory).
const sumPageCacheKiB = 2048

// sumChunk is how many spans one query sums. The spans travel as one
// parameter (a JSON text or four arrays) that the driver copies and the
// engine parses whole, so a query takes a bounded share of them: the
// memory stays the same however many ledgers there are.
var sumChunk = 1024

// spansPerWorker is the fewest spans worth a connection of their own.
// Tests lower it and sumChunk, to sum in many small parts.
var spansPerWorker = 2000

// sumSpans sets sums[k] to the sum of the use within spans[k], NULL when
// there is none, through q, sumChunk spans a query.
func (db *DB) sumSpans(ctx context.Context, q querier, spans []supply.Span, sums []sql.NullFloat64) error {
	for lo := 0; lo < len(spans); lo += sumChunk {
		hi := min(lo+sumChunk, len(spans))
		if err := db.sumSpanChunk(ctx, q, spans[lo:hi], sums[lo:hi]); err != nil {
			return err
		}
	}
	return nil
}

// sumSpanChunk is sumSpans in one query.
func (db *DB) sumSpanChunk(ctx context.Context, q querier, spans []supply.Span, sums []sql.NullFloat64) error {
	const sum = `(SELECT SUM(i.quantity) FROM issues i WHERE i.mission = s.mission AND i.item = s.item
		AND i.issued >= s.lo AND i.issued < s.hi AND i.transfer_id IS NULL)`
	var rows *sql.Rows
	var err error
	if db.dialect == Postgres {
		var cols [4][]string // mission, item, lo, hi
		for _, sp := range spans {
			for j, v := range spanRow(sp) {
				cols[j] = append(cols[j], v)
			}
		}
		rows, err = q.QueryContext(ctx, `SELECT s.k - 1, `+sum+`
			FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS s(mission, item, lo, hi, k)`,
			cols[0], cols[1], cols[2], cols[3])
	} else {
		// The spans go over as one JSON array of [mission, item, lo, hi].
		list := make([][4]string, len(spans))
		for i, sp := range spans {
			list[i] = spanRow(sp)
		}
		b, _ := jsonMarshal(list)
		rows, err = q.QueryContext(ctx, `SELECT s.key, `+sum+` FROM (SELECT key, value->>0 AS mission,
			value->>1 AS item, value->>2 AS lo, value->>3 AS hi FROM json_each(?)) s`, string(b))
	}
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var k int
		var q sql.NullFloat64
		if err := rows.Scan(&k, &q); err != nil {
			return err
		}
		if k < 0 || k >= len(spans) {
			return fmt.Errorf("ledger: span %d of %d", k, len(spans))
		}
		sums[k] = q
	}
	return rows.Err()
}

// spanRow is a span as the sums query takes it: mission, item, first day
// (empty: since the beginning) and the day after the last.
func spanRow(sp supply.Span) [4]string {
	return [4]string{sp.Mission, sp.Item, sp.From.String(), sp.To.String()}
}

func whereClause(conds []string) string {
	if len(conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(conds, " AND ")
}

const (
	receiptLedgerCols = `mission, item, lot, quantity, received, expires`
	issueLedgerCols   = `mission, item, quantity, issued`
)

// manyPairs is how many ledgers loadPairs reads one by one; beyond it, it
// reads the whole ledger once and keeps what it needs.
const manyPairs = 500

// loadPairs loads every receipt and issue of the given ledgers, whatever
// their dates, through q (a write transaction sees its own rows), for
// supply.Check: rows keep the order they were recorded in, which decides
// which of a day's issues is the one found short. It leaves Transferred
// unset.
func (db *DB) loadPairs(ctx context.Context, q querier, pairs []ledgerKey) (outpost.Ledger, error) {
	lr := newLedgerReader()
	var l outpost.Ledger
	if len(pairs) > manyPairs {
		if err := lr.receipts(ctx, q, `SELECT `+receiptLedgerCols+` FROM receipts ORDER BY id`, nil, &l); err != nil {
			return l, err
		}
		if err := lr.issues(ctx, q, `SELECT `+issueLedgerCols+` FROM issues ORDER BY id`, nil, &l, false); err != nil {
			return l, err
		}
		want := make(map[ledgerKey]bool, len(pairs))
		for _, p := range pairs {
			want[p] = true
		}
		l.Receipts = slices.DeleteFunc(l.Receipts, func(r supply.Receipt) bool { return !want[ledgerKey{r.Mission, r.Item}] })
		l.Issues = slices.DeleteFunc(l.Issues, func(u supply.Issue) bool { return !want[ledgerKey{u.Mission, u.Item}] })
		return l, nil
	}
	// One ledger at a time: each query is an index range on both engines
	// (SQLite scans the table for a list of (mission, item) pairs).
	rq := db.rebind(`SELECT ` + receiptLedgerCols + ` FROM receipts WHERE mission = ? AND item = ? ORDER BY id`)
	iq := db.rebind(`SELECT ` + issueLedgerCols + ` FROM issues WHERE mission = ? AND item = ? ORDER BY id`)
	for _, p := range pairs {
		if err := lr.receipts(ctx, q, rq, []any{p.mission, p.item}, &l); err != nil {
			return l, err
		}
		if err := lr.issues(ctx, q, iq, []any{p.mission, p.item}, &l, false); err != nil {
			return l, err
		}
	}
	return l, nil
}

// ledgerReader scans ledger rows into package supply's values. A ledger of
// millions of issues names a few hundred missions and items and a few
// hundred days: each distinct code is kept once and each date parsed once,
// and a row that repeats the last row's mission or date (the common case:
// rows come by date, or by ledger) skips even the lookup.
type ledgerReader struct {
	codes map[string]string
	dates map[string]supply.Date

	lastMission string
	lastDay     string
	lastDate    supply.Date
}

func newLedgerReader() *ledgerReader {
	return &ledgerReader{codes: map[string]string{}, dates: map[string]supply.Date{}}
}

// text is a column's bytes as a driver hands them over.
type text interface{ ~string | ~[]byte }

func code[T text](lr *ledgerReader, b T) string {
	if s, ok := lr.codes[string(b)]; ok {
		return s
	}
	s := string(b)
	lr.codes[s] = s
	return s
}

func date[T text](lr *ledgerReader, b T) (supply.Date, error) {
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
		r.Mission, r.Item = code(lr, m), code(lr, it)
		if r.Received, err = date(lr, rec); err != nil {
			return err
		}
		if r.Expires, err = date(lr, exp); err != nil {
			return err
		}
		l.Receipts = append(l.Receipts, r)
	}
	return rows.Err()
}

// issues appends the issues query selects; transferred marks them as
// handing stock over.
func (lr *ledgerReader) issues(ctx context.Context, q querier, query string, args []any, l *outpost.Ledger, transferred bool) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	var m, it, day sql.RawBytes
	var qty float64
	for rows.Next() {
		if err := rows.Scan(&m, &it, &qty, &day); err != nil {
			return err
		}
		if err := addIssue(lr, l, m, it, qty, day, transferred); err != nil {
			return err
		}
	}
	return rows.Err()
}

// addIssue appends one issue row; its bytes may be reused after.
func addIssue[T text](lr *ledgerReader, l *outpost.Ledger, m, it T, q float64, day T, transferred bool) error {
	if string(day) != lr.lastDay {
		d, err := date(lr, day)
		if err != nil {
			return err
		}
		lr.lastDay, lr.lastDate = string(day), d
	}
	if string(m) != lr.lastMission {
		lr.lastMission = code(lr, m)
	}
	if transferred {
		if l.Transferred == nil {
			l.Transferred = map[int]bool{}
		}
		l.Transferred[len(l.Issues)] = true
	}
	l.Issues = append(l.Issues, supply.Issue{Mission: lr.lastMission, Item: code(lr, it), Quantity: q, Date: lr.lastDate})
	return nil
}

// sqliteIssues returns ledgerReader.issues for SQLite's driver used
// directly: database/sql's locking and conversions per row cost as much as
// the driver's own work, over millions of rows.
func (db *DB) sqliteIssues(lr *ledgerReader) func(context.Context, querier, string, []any, *outpost.Ledger, bool) error {
	return func(ctx context.Context, _ querier, query string, args []any, l *outpost.Ledger, transferred bool) error {
		conn, err := db.read.Conn(ctx)
		if err != nil {
			return err
		}
		defer conn.Close()
		return conn.Raw(func(dc any) error {
			qc, ok := dc.(driver.QueryerContext)
			if !ok {
				return lr.issues(ctx, db.read, query, args, l, transferred)
			}
			named := make([]driver.NamedValue, len(args))
			for i, a := range args {
				named[i] = driver.NamedValue{Ordinal: i + 1, Value: a}
			}
			rows, err := qc.QueryContext(ctx, query, named)
			if err != nil {
				return err
			}
			defer rows.Close()
			v := make([]driver.Value, 4)
			for {
				if err := rows.Next(v); err == io.EOF {
					return nil
				} else if err != nil {
					return err
				}
				m, mok := v[0].(string)
				it, iok := v[1].(string)
				day, dok := v[3].(string)
				q, qok := v[2].(float64)
				if n, isInt := v[2].(int64); isInt {
					q, qok = float64(n), true
				}
				if !mok || !iok || !dok || !qok {
					return fmt.Errorf("ledger: unexpected row %v", v)
				}
				if err := addIssue(lr, l, m, it, q, day, transferred); err != nil {
					return err
				}
			}
		})
	}
}

// pgIssues returns ledgerReader.issues for PostgreSQL's own protocol:
// database/sql would allocate a value for every column of millions of rows
// (seven allocations a row, most of the time of a large status), where pgx
// hands over each row's raw bytes, the quantity as a binary float8.
func (db *DB) pgIssues(lr *ledgerReader) func(context.Context, querier, string, []any, *outpost.Ledger, bool) error {
	return func(ctx context.Context, _ querier, query string, args []any, l *outpost.Ledger, transferred bool) error {
		conn, err := db.read.Conn(ctx)
		if err != nil {
			return err
		}
		defer conn.Close()
		return conn.Raw(func(dc any) error {
			formats := pgx.QueryResultFormats{pgx.TextFormatCode, pgx.TextFormatCode, pgx.BinaryFormatCode, pgx.TextFormatCode}
			rows, err := dc.(*stdlib.Conn).Conn().Query(ctx, query, append([]any{formats}, args...)...)
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				v := rows.RawValues()
				if len(v) != 4 || len(v[2]) != 8 {
					return fmt.Errorf("ledger: unexpected row of %d columns", len(v))
				}
				q := math.Float64frombits(binary.BigEndian.Uint64(v[2]))
				if err := addIssue(lr, l, v[0], v[1], q, v[3], transferred); err != nil {
					return err
				}
			}
			return rows.Err()
		})
	}
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
