package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
)

// trackedAt is one checkpoint event of a person's history, as a batch
// compares scans with it.
type trackedAt struct {
	at         int64
	id         int64
	status     outpost.Status
	checkpoint outpost.Checkpoint
}

// TrackBatch records many checkpoints in one transaction, each on its
// own: a scan that is a duplicate (the same person, checkpoint and second
// as one recorded) records nothing, one that is wrong or contradicts the
// person's journey is refused, and the others are recorded. The results
// are in the order of ts.
//
// The scans are taken person by person in id order, and each person's in
// time order, so that the outcome of one batch does not depend on the
// order its scans were sent in, and two batches lock people in the same
// order. On PostgreSQL each person's row is locked (FOR UPDATE) for the
// transaction, so that two uploads of the same queue at once record each
// scan once.
func (db *DB) TrackBatch(ctx context.Context, ts []outpost.Track) ([]outpost.TrackResult, error) {
	return db.trackBatch(ctx, ts, true, nil)
}

// TrackMany records many checkpoints in one transaction, each on its own
// (Track is TrackMany of one): the group commit of checkpoints sent one by
// one, which pays for one commit instead of one each. A refusal's Err is
// what recording it alone answers.
func (db *DB) TrackMany(ctx context.Context, ts []outpost.Track) ([]outpost.TrackResult, error) {
	return db.trackBatch(ctx, ts, false, nil)
}

// trackBatch is TrackBatch with scanner's checks (duplicates, order), or
// TrackMany without; with act, the bulk action the events belong to,
// whose row it writes in the same transaction (and sets act.ID).
func (db *DB) trackBatch(ctx context.Context, ts []outpost.Track, checks bool, act *outpost.TrackAction) ([]outpost.TrackResult, error) {
	ts = slices.Clone(ts)
	out := make([]outpost.TrackResult, len(ts))
	order := make([]int, 0, len(ts))
	for i, tr := range ts {
		if !outpost.IsID(tr.Person) {
			out[i] = outpost.TrackResult{Kind: outpost.RefusedPerson, Reason: fmt.Sprintf("no person %q", outpost.Clip(tr.Person))}
			continue
		}
		what := "scan"
		if !checks {
			what = "checkpoint"
		}
		if err := tr.Validate().Err(what); err != nil {
			out[i] = outpost.TrackResult{Kind: outpost.RefusedInvalid, Reason: outpost.ErrorMessage(err)}
			continue
		}
		ts[i].At = tr.At.Truncate(time.Second).UTC()
		order = append(order, i)
	}
	slices.SortStableFunc(order, func(a, b int) int {
		if ts[a].Person != ts[b].Person {
			if ts[a].Person < ts[b].Person {
				return -1
			}
			return 1
		}
		return ts[a].At.Compare(ts[b].At)
	})
	if len(order) == 0 && act == nil {
		return out, nil
	}
	err := db.update(ctx, func(t *tx) error {
		if err := t.lockTimeout(ctx); err != nil {
			return err
		}
		var action int64
		if act != nil {
			if err := t.queryRow(ctx, `INSERT INTO track_actions (at, actor, checkpoint, what) VALUES (?, ?, ?, ?) RETURNING id`,
				act.At.Unix(), act.Actor, string(act.Checkpoint), act.What).Scan(&action); err != nil {
				return fmt.Errorf("record the action: %w", err)
			}
			act.ID = action
		}
		var audits []auditRow
		for start := 0; start < len(order); {
			person := ts[order[start]].Person
			end := start + 1
			for end < len(order) && ts[order[end]].Person == person {
				end++
			}
			var err error
			if audits, err = t.trackPerson(ctx, person, checks, action, ts, order[start:end], out, audits); err != nil {
				return err
			}
			start = end
		}
		// The audit entries are written last, just before the commit:
		// their ids are taken then, so that no entry of a long batch
		// lies far below the ids others committed meanwhile (the census
		// looks for late ones among the recent ids).
		if err := t.auditMany(ctx, audits); err != nil {
			return fmt.Errorf("audit checkpoints: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// trackPerson records the scans idx of one person inside t, and adds
// their audit entries to audits.
func (t *tx) trackPerson(ctx context.Context, person string, checks bool, action int64, ts []outpost.Track, idx []int, out []outpost.TrackResult, audits []auditRow) ([]auditRow, error) {
	var mission string
	var regAt, since int64
	var regStatus, status outpost.Status
	err := t.queryRow(ctx, `SELECT mission, reg_since, reg_status, status, since FROM people WHERE id = ?`+t.db.forUpdate(), person).
		Scan(&mission, &regAt, &regStatus, &status, &since)
	if errors.Is(err, sql.ErrNoRows) {
		for _, i := range idx {
			out[i] = outpost.TrackResult{Kind: outpost.RefusedPerson, Reason: fmt.Sprintf("no person %q", person)}
		}
		return audits, nil
	}
	if err != nil {
		return audits, fmt.Errorf("read person %s: %w", person, err)
	}
	// Without the scanner's checks the history is needed only for the
	// status at an assembled checkpoint's time, and for the status before
	// a checkpoint older than the latest event (its order flag).
	var h journal
	if checks || slices.ContainsFunc(idx, func(i int) bool {
		_, changes := ts[i].Checkpoint.StatusAfter()
		return !changes || ts[i].At.Unix() < since
	}) {
		if h.events, err = t.history(ctx, person); err != nil {
			return audits, err
		}
		h.index()
	}
	// A scan sent again after a correction took its event out is still a
	// duplicate: a scanner's queue uploaded twice must not bring back an
	// event a manager voided.
	var corrected map[trackedAt]bool
	if checks {
		if corrected, err = t.correctedScans(ctx, person); err != nil {
			return audits, err
		}
	}
	recorded := false
	for _, i := range idx {
		tr := ts[i]
		at := tr.At.Unix()
		// The caller's rights were checked against the mission the person
		// had then; an import may have moved them since.
		if tr.Missions != nil && !slices.Contains(tr.Missions, mission) {
			out[i] = outpost.TrackResult{Kind: outpost.RefusedPerson, Reason: fmt.Sprintf("no person %q", person)}
			continue
		}
		if msg := outpost.CheckEventTime(tr.At, time.Unix(regAt, 0), time.Time{}); msg != "" {
			out[i] = outpost.TrackResult{Kind: outpost.RefusedInvalid, Reason: "at " + tr.At.Format(time.RFC3339) + ": " + msg}
			continue
		}
		if checks && (h.has(at, tr.Checkpoint) || corrected[trackedAt{at: at, checkpoint: tr.Checkpoint}]) {
			out[i] = outpost.TrackResult{Duplicate: true}
			continue
		}
		if checks {
			if msg := h.outOfOrder(tr.Checkpoint, at); msg != "" {
				out[i] = outpost.TrackResult{Kind: outpost.RefusedOrder, Reason: msg}
				continue
			}
		}
		// The status before: the current one when the checkpoint is the
		// latest (the usual case, no history read), else the history's.
		before := status
		if at < since || h.events != nil {
			before = h.statusAt(at, regAt, regStatus, status)
		}
		st, changes := tr.Checkpoint.StatusAfter()
		if !changes {
			st = before
		}
		ev := outpost.Event{Person: person, At: tr.At, Status: st, Checkpoint: tr.Checkpoint, Source: "track", Note: tr.Note,
			Flag: outpost.OrderFlag(before, tr.Checkpoint), Action: action}
		if err := t.queryRow(ctx, `INSERT INTO status_events (person_id, at, status, checkpoint, source, note, action_id)
			VALUES (?, ?, ?, ?, 'track', ?, ?) RETURNING id`,
			person, at, string(st), string(tr.Checkpoint), tr.Note, nullID(action)).Scan(&ev.ID); err != nil {
			return audits, fmt.Errorf("record checkpoint of %s: %w", person, err)
		}
		audits = append(audits, auditRow{action: "track", entity: "person", id: person, mission: mission, after: ev})
		h.insert(trackedAt{at: at, id: ev.ID, status: st, checkpoint: tr.Checkpoint})
		if at >= since {
			// Later checkpoints of this batch follow this one.
			since, status = at, st
		}
		out[i] = outpost.TrackResult{Event: ev}
		recorded = true
	}
	if recorded {
		if err := t.refreshStatus(ctx, person); err != nil {
			return audits, fmt.Errorf("refresh status of %s: %w", person, err)
		}
	}
	return audits, nil
}

// history reads a person's events since their registration in time
// order (an event before it does not count, as in the census).
func (t *tx) history(ctx context.Context, person string) ([]trackedAt, error) {
	rows, err := t.query(ctx, `SELECT e.at, e.id, e.status, e.checkpoint FROM status_events e JOIN people p ON p.id = e.person_id
		WHERE e.person_id = ? AND e.at >= p.reg_since AND e.voided_at IS NULL ORDER BY e.at, e.id`, person)
	if err != nil {
		return nil, fmt.Errorf("read history of %s: %w", person, err)
	}
	defer rows.Close()
	var out []trackedAt
	for rows.Next() {
		var e trackedAt
		if err := rows.Scan(&e.at, &e.id, &e.status, &e.checkpoint); err != nil {
			return nil, fmt.Errorf("read history of %s: %w", person, err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read history of %s: %w", person, err)
	}
	return out, nil
}

// correctedScans are the times and checkpoints of a person's events that
// a correction took out.
func (t *tx) correctedScans(ctx context.Context, person string) (map[trackedAt]bool, error) {
	rows, err := t.query(ctx, `SELECT at, checkpoint FROM status_events WHERE person_id = ? AND voided_at IS NOT NULL`, person)
	if err != nil {
		return nil, fmt.Errorf("read corrected events of %s: %w", person, err)
	}
	defer rows.Close()
	var out map[trackedAt]bool
	for rows.Next() {
		var e trackedAt
		if err := rows.Scan(&e.at, &e.checkpoint); err != nil {
			return nil, fmt.Errorf("read corrected events of %s: %w", person, err)
		}
		if out == nil {
			out = map[trackedAt]bool{}
		}
		out[e] = true
	}
	return out, rows.Err()
}

// journal is a person's history in (at, id) order, and the times of its
// returned checkpoints in order, so that a batch checks each scan against
// it by binary search: a person's scans cost O(log n) each, not O(n),
// however long their history.
type journal struct {
	events  []trackedAt
	returns []int64
	stages  [4][]int64 // the times of the checkpoints of each journey stage
}

func (h *journal) index() {
	h.returns, h.stages = h.returns[:0], [4][]int64{}
	for _, e := range h.events {
		if e.checkpoint == outpost.Returned {
			h.returns = append(h.returns, e.at)
		}
		if k := e.checkpoint.JourneyStage(); k >= 0 {
			h.stages[k] = append(h.stages[k], e.at)
		}
	}
}

// insertTime adds at to the sorted times ts.
func insertTime(ts []int64, at int64) []int64 {
	i, _ := slices.BinarySearch(ts, at)
	return slices.Insert(ts, i, at)
}

// first is the index of the first event at at or later.
func (h *journal) first(at int64) int {
	i, _ := slices.BinarySearchFunc(h.events, at, func(e trackedAt, at int64) int { return cmp.Compare(e.at, at) })
	return i
}

// has says whether a checkpoint c at at is recorded.
func (h *journal) has(at int64, c outpost.Checkpoint) bool {
	for i := h.first(at); i < len(h.events) && h.events[i].at == at; i++ {
		if h.events[i].checkpoint == c {
			return true
		}
	}
	return false
}

// insert adds e, keeping the order.
func (h *journal) insert(e trackedAt) {
	i, _ := slices.BinarySearchFunc(h.events, e, func(a, b trackedAt) int {
		if a.at != b.at {
			return cmp.Compare(a.at, b.at)
		}
		return cmp.Compare(a.id, b.id)
	})
	h.events = slices.Insert(h.events, i, e)
	if e.checkpoint == outpost.Returned {
		h.returns = insertTime(h.returns, e.at)
	}
	if k := e.checkpoint.JourneyStage(); k >= 0 {
		h.stages[k] = insertTime(h.stages[k], e.at)
	}
}

// statusAt is the person's status at the Unix time at: that of their
// latest event at or before it, else the registration's (or, before the
// registration, the current status, as Track does).
func (h *journal) statusAt(at, regAt int64, regStatus, current outpost.Status) outpost.Status {
	if i := h.first(at + 1); i > 0 {
		return h.events[i-1].status
	}
	if regAt <= at {
		return regStatus
	}
	return current
}

// outOfOrder says how a checkpoint c at the Unix time at contradicts the
// journey the history records, or "" when it does not. A journey runs
// assembled, departed, crossed, arrived and ends at returned: within one
// (between two returned checkpoints), a checkpoint may not lie before one
// of an earlier stage or after one of a later stage. Repeating a stage
// later (assembled twice) is no contradiction, nor are two stages in the
// same second; returned itself is never out of order.
func (h *journal) outOfOrder(c outpost.Checkpoint, at int64) string {
	k := c.JourneyStage()
	if k < 0 {
		return ""
	}
	// The journey is from the latest returned at or before at to the
	// first after it.
	lo, hi := int64(-1<<62), int64(1<<62)
	j, found := slices.BinarySearch(h.returns, at)
	if found {
		for j < len(h.returns) && h.returns[j] == at {
			j++
		}
	}
	if j > 0 {
		lo = h.returns[j-1]
	}
	if j < len(h.returns) {
		hi = h.returns[j]
	}
	// The first contradiction in time order, as a walk through the
	// journey would meet it: a later stage in [lo, at), else an earlier
	// stage in (at, hi); each stage's times answer by binary search.
	first := int64(1 << 62)
	for st := k + 1; st < len(h.stages); st++ {
		ts := h.stages[st]
		if j, _ := slices.BinarySearch(ts, lo); j < len(ts) && ts[j] < at {
			first = min(first, ts[j])
		}
	}
	if first == 1<<62 {
		for st := range k {
			ts := h.stages[st]
			if j, _ := slices.BinarySearch(ts, at+1); j < len(ts) && ts[j] < hi {
				first = min(first, ts[j])
			}
		}
	}
	if first == 1<<62 {
		return ""
	}
	for i := h.first(first); i < len(h.events) && h.events[i].at == first; i++ {
		e := h.events[i]
		s := e.checkpoint.JourneyStage()
		switch {
		case s < 0:
		case s < k && e.at > at:
			return fmt.Sprintf("%s at %s is before %s at %s", c, unixTime(at), e.checkpoint, unixTime(e.at))
		case s > k && e.at < at:
			return fmt.Sprintf("%s at %s is after %s at %s", c, unixTime(at), e.checkpoint, unixTime(e.at))
		}
	}
	return ""
}

// nullID is id as a column value, NULL for 0.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

func unixTime(at int64) string {
	if at < -1<<40 || at > 1<<40 {
		return strconv.FormatInt(at, 10)
	}
	return time.Unix(at, 0).UTC().Format(time.RFC3339)
}

// auditRow is one audit entry a batch writes at its end: before is the
// version before, already encoded ("" for none).
type auditRow struct {
	action, entity, id, mission string
	before                      string
	after                       any
}

// auditInsert is the INSERT that writes rows as audit entries at now by
// actor, one row of values each, and its arguments.
func auditInsert(now int64, actor string, rows []auditRow) (string, []any, error) {
	var q strings.Builder
	q.WriteString(`INSERT INTO audit (at, actor, action, entity, entity_id, mission, before, after) VALUES `)
	args := make([]any, 0, 8*len(rows))
	for i, r := range rows {
		if i > 0 {
			q.WriteString(", ")
		}
		q.WriteString("(?, ?, ?, ?, ?, ?, ?, ?)")
		after, err := jsonMarshal(r.after)
		if err != nil {
			return "", nil, fmt.Errorf("encode the audit entry of %s: %w", r.id, err)
		}
		args = append(args, now, actor, r.action, r.entity, r.id, r.mission, r.before, string(after))
	}
	return q.String(), args, nil
}

// auditRowsPerInsert bounds the rows of one INSERT: 8 values each, far
// below either engine's limit on parameters.
const auditRowsPerInsert = 1000

// auditMany writes rows as audit entries, in order, in one INSERT per
// auditRowsPerInsert rows: the same entries as t.audit for each.
func (t *tx) auditMany(ctx context.Context, rows []auditRow) error {
	now, actor := t.db.Now().Unix(), outpost.ActorFrom(ctx)
	for _, r := range rows {
		t.census = t.census || changesCensus(r.entity)
	}
	for chunk := range slices.Chunk(rows, auditRowsPerInsert) {
		q, args, err := auditInsert(now, actor, chunk)
		if err != nil {
			return err
		}
		// Unprepared: the text varies with the number of rows.
		if _, err := t.ExecContext(ctx, t.db.rebind(q), args...); err != nil {
			return err
		}
	}
	return nil
}

// batchLockTimeout is how long a batch waits for a person's row that
// another transaction holds (PostgreSQL) before it fails: a request
// answers "busy" rather than waiting with the lane held.
const batchLockTimeout = "5s"

// lockTimeout bounds, on PostgreSQL, how long t waits for a lock.
func (t *tx) lockTimeout(ctx context.Context) error {
	if t.db.dialect != Postgres {
		return nil
	}
	if _, err := t.exec(ctx, `SET LOCAL lock_timeout = '`+batchLockTimeout+`'`); err != nil {
		return fmt.Errorf("set the lock timeout: %w", err)
	}
	return nil
}
