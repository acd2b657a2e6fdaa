package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/outpost-org/outpost/internal/outpost"
)

// The census follows the audit log: every write leaves an audit entry, so
// a process that remembers the newest id it applied reads what changed
// since, whichever process wrote it. These methods serve it.

// maxAuditRanges bounds the ranges of ids one AuditSince call looks up
// besides the newer ones.
const maxAuditRanges = 1000

// AuditSince returns, in id order, at most limit audit entries with an id
// above after, preceded by at most limit of the entries within ranges (at
// most maxAuditRanges pairs of lowest and highest id, those the caller
// found missing before) that exist now; only their id, action, entity
// and entity id.
func (db *DB) AuditSince(ctx context.Context, after int64, ranges [][2]int64, limit int) ([]outpost.AuditEntry, error) {
	if limit <= 0 || limit > 100_000 {
		return nil, fmt.Errorf("read the audit log: limit %d out of 1 to 100000", limit)
	}
	if len(ranges) > maxAuditRanges {
		return nil, fmt.Errorf("read the audit log: %d ranges of ids, at most %d", len(ranges), maxAuditRanges)
	}
	var out []outpost.AuditEntry
	read := func(q string, args ...any) error {
		rows, err := db.query(ctx, q, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var e outpost.AuditEntry
			if err := rows.Scan(&e.ID, &e.Action, &e.Entity, &e.EntityID); err != nil {
				return db.wrap(err)
			}
			out = append(out, e)
		}
		return db.wrap(rows.Err())
	}
	if len(ranges) > 0 {
		args := make([]any, 0, 2*len(ranges)+1)
		var where strings.Builder
		for i, r := range ranges {
			if i > 0 {
				where.WriteString(" OR ")
			}
			where.WriteString("id BETWEEN ? AND ?")
			args = append(args, r[0], r[1])
		}
		args = append(args, limit)
		q := `SELECT id, action, entity, entity_id FROM audit WHERE ` + where.String() + ` ORDER BY id LIMIT ?`
		if err := read(q, args...); err != nil {
			return nil, fmt.Errorf("read audit entries by id: %w", err)
		}
	}
	if err := read(`SELECT id, action, entity, entity_id FROM audit WHERE id > ? ORDER BY id LIMIT ?`, after, limit); err != nil {
		return nil, fmt.Errorf("read the audit log since %d: %w", after, err)
	}
	return out, nil
}

// CommitHorizon tells, on PostgreSQL, which transactions may still commit
// audit entries with ids below ones already visible: those with a
// transaction id of at least xmin are not all finished, and xmax is the
// first id not yet assigned when asked. On SQLite, whose writers take
// turns, entries commit in id order: ordered is true and the rest is 0.
func (db *DB) CommitHorizon(ctx context.Context) (xmin, xmax int64, ordered bool, err error) {
	if db.dialect != Postgres {
		return 0, 0, true, nil
	}
	err = db.queryRow(ctx, `SELECT pg_snapshot_xmin(s)::text::bigint, pg_snapshot_xmax(s)::text::bigint
		FROM (SELECT pg_current_snapshot() AS s) x`).Scan(&xmin, &xmax)
	if err != nil {
		return 0, 0, false, fmt.Errorf("read the commit horizon: %w", db.wrap(err))
	}
	return xmin, xmax, false, nil
}

// maxPresenceIDs bounds the people one PresenceOf call reads.
const maxPresenceIDs = 1000

// PresenceOf streams the presence history of the people named (at most
// maxPresenceIDs), in the form of Presence; people not found are left out.
func (db *DB) PresenceOf(ctx context.Context, ids []string, fn func(outpost.Presence) error) error {
	if len(ids) == 0 {
		return nil
	}
	if len(ids) > maxPresenceIDs {
		return fmt.Errorf("read presence: %d people, at most %d", len(ids), maxPresenceIDs)
	}
	rows, err := db.query(ctx, `SELECT p.id, p.mission, p.nationality, p.category, p.reg_since, p.reg_status, e.at, e.status
		FROM people p LEFT JOIN status_events e ON e.person_id = p.id AND e.voided_at IS NULL
		WHERE p.id IN `+inList(len(ids))+`
		ORDER BY p.id, e.at, e.id`, stringArgs(ids)...)
	if err != nil {
		return fmt.Errorf("read presence of %d people: %w", len(ids), err)
	}
	return db.scanPresence(rows, fn)
}

// censusChannel is the PostgreSQL notification channel on which a
// server says that a transaction that changed the census committed.
const censusChannel = "outpost_census"

// changesCensus reports whether an audit entry of this entity may change
// the census: a person's presence or record, an import of people or
// missions, a setting (the time zone).
func changesCensus(entity string) bool {
	switch entity {
	case "person", "people", "missions", "mission_status", "config":
		return true
	}
	return false
}

// censusChanged tells the servers listening on the database (WatchCensus)
// that a census change committed. The notification is sent after the
// commit, from one goroutine, outside the transaction that wrote: a
// transaction that notifies holds PostgreSQL's notification lock through
// its commit, so notifying inside every tracking transaction made them
// commit one at a time. Notifications that pile up while one is sent are
// sent as one. A notification lost (a connection error, the process
// ending) costs only time: the servers also poll the newest audit id.
func (db *DB) censusChanged() {
	if db.dialect != Postgres {
		return
	}
	db.notify.poke(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_, _ = db.write.ExecContext(ctx, `SELECT pg_notify($1, '')`, censusChannel)
	})
}

// notifier runs send in one goroutine for each poke, coalescing pokes
// that arrive while it sends; stop sends what is pending and ends it.
type notifier struct {
	mu      sync.Mutex
	c       chan struct{}
	done    chan struct{}
	stopped bool
}

func (n *notifier) poke(send func()) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.stopped {
		return
	}
	if n.c == nil {
		c, done := make(chan struct{}, 1), make(chan struct{})
		n.c, n.done = c, done
		go func() {
			defer close(done)
			for range c {
				send()
			}
		}()
	}
	select {
	case n.c <- struct{}{}:
	default: // one is pending: it covers this change too
	}
}

func (n *notifier) stop() {
	n.mu.Lock()
	n.stopped = true
	c, done := n.c, n.done
	n.c = nil
	n.mu.Unlock()
	if c != nil {
		close(c)
		<-done
	}
}

// ErrNoWatch is WatchCensus's answer on a database that cannot notify.
var ErrNoWatch = fmt.Errorf("this database does not notify changes: %w", errors.ErrUnsupported)

// WatchCensus calls fn each time a transaction that changed people,
// their presence, the missions or the settings commits, in this process
// or another, until ctx is done or the connection it listens on fails
// (the caller listens again). It calls fn once when it starts listening,
// for what committed before. On SQLite it returns ErrNoWatch at once:
// there the census polls.
func (db *DB) WatchCensus(ctx context.Context, fn func()) error {
	if db.dialect != Postgres {
		return ErrNoWatch
	}
	return db.listen(ctx, fn)
}

func (db *DB) listen(ctx context.Context, fn func()) error {
	conn, err := pgx.Connect(ctx, db.dsn)
	if err != nil {
		return fmt.Errorf("connect to listen: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, "LISTEN "+censusChannel); err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	fn() // whatever committed before LISTEN took effect
	for {
		if _, err := conn.WaitForNotification(ctx); err != nil {
			return fmt.Errorf("wait for a notification: %w", err)
		}
		fn()
	}
}

// scanPresence reads rows of (id, mission, nationality, category,
// reg_since, reg_status, event at, event status) ordered by person, event
// time and id into one Presence per person: the registration, then later
// events, in time order.
func (db *DB) scanPresence(rows *sql.Rows, fn func(outpost.Presence) error) error {
	defer rows.Close()
	var cur outpost.Presence
	var reg outpost.StatusAt // the current person's registration
	placed := true           // whether reg is already in cur.History
	flush := func() error {
		if cur.Person == "" {
			return nil
		}
		if !placed {
			cur.History = append(cur.History, reg)
		}
		return fn(cur)
	}
	var id, mission, nat, cat, regStatus string
	var regAt int64
	var at sql.NullInt64
	var status sql.NullString
	for rows.Next() {
		if err := rows.Scan(&id, &mission, &nat, &cat, &regAt, &regStatus, &at, &status); err != nil {
			return db.wrap(err)
		}
		if id != cur.Person {
			if err := flush(); err != nil {
				return err
			}
			cur = outpost.Presence{Person: id, Mission: mission, Nationality: nat,
				Category: outpost.Category(cat), History: make([]outpost.StatusAt, 0, 2)}
			reg, placed = outpost.StatusAt{At: regAt, Status: outpost.Status(regStatus)}, false
		}
		if !at.Valid {
			continue
		}
		if !placed && at.Int64 >= reg.At {
			cur.History, placed = append(cur.History, reg), true
		}
		cur.History = append(cur.History, outpost.StatusAt{At: at.Int64, Status: outpost.Status(status.String)})
	}
	if err := rows.Err(); err != nil {
		return db.wrap(err)
	}
	return flush()
}
