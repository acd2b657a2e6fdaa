package store

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
)

const rollCallCols = `id, title, mission, status, started_at, closed_at, escalate_after, escalated_at, started_by,
	(SELECT COUNT(*) FROM rollcall_people rp WHERE rp.rollcall_id = rollcalls.id)`

func scanRollCall(sc interface{ Scan(...any) error }) (outpost.RollCall, error) {
	var rc outpost.RollCall
	var started, escAfter int64
	var closed, escalated sql.NullInt64
	err := sc.Scan(&rc.ID, &rc.Title, &rc.Mission, &rc.Status, &started, &closed, &escAfter, &escalated, &rc.StartedBy, &rc.Expected)
	rc.StartedAt = time.Unix(started, 0).UTC()
	rc.EscalateAfter = time.Duration(escAfter) * time.Second
	if closed.Valid {
		t := time.Unix(closed.Int64, 0).UTC()
		rc.ClosedAt = &t
	}
	if escalated.Valid {
		t := time.Unix(escalated.Int64, 0).UTC()
		rc.EscalatedAt = &t
	}
	return rc, err
}

// StartRollCall opens a roll call over everyone in the country now (or one
// mission's people).
func (db *DB) StartRollCall(ctx context.Context, rc outpost.RollCall) (outpost.RollCall, error) {
	if strings.TrimSpace(rc.Title) == "" {
		return rc, outpost.Errorf(outpost.EINVALID, "a roll call needs a title")
	}
	if msg := outpost.CheckLine(rc.Title, outpost.MaxTitle); msg != "" {
		return rc, outpost.Errorf(outpost.EINVALID, "title %s", msg)
	}
	if rc.EscalateAfter < 0 {
		return rc, outpost.Errorf(outpost.EINVALID, "escalation time must not be negative")
	}
	now := db.Now().Truncate(time.Second).UTC()
	var id int64
	err := db.update(ctx, func(t *tx) error {
		if rc.Mission != "" {
			var n int
			if err := t.queryRow(ctx, `SELECT COUNT(*) FROM missions WHERE code = ?`, rc.Mission).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				return outpost.Errorf(outpost.ENOTFOUND, "no mission %q", rc.Mission)
			}
		}
		if err := t.queryRow(ctx, `INSERT INTO rollcalls (title, mission, status, started_at, escalate_after, started_by)
			VALUES (?, ?, 'open', ?, ?, ?) RETURNING id`, rc.Title, rc.Mission, now.Unix(),
			int64(rc.EscalateAfter/time.Second), outpost.ActorFrom(ctx)).Scan(&id); err != nil {
			return err
		}
		q := `INSERT INTO rollcall_people (rollcall_id, person_id, mission)
			SELECT ?, id, mission FROM people WHERE status = 'in_country'`
		args := []any{id}
		if rc.Mission != "" {
			q += ` AND mission = ?`
			args = append(args, rc.Mission)
		}
		if _, err := t.exec(ctx, q, args...); err != nil {
			return err
		}
		return t.audit(ctx, "start", "rollcall", itoa(id), rc.Mission, nil, map[string]any{"title": rc.Title, "mission": rc.Mission})
	})
	if err != nil {
		return rc, err
	}
	return db.RollCall(ctx, id)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// RollCall returns one roll call, or ENOTFOUND.
func (db *DB) RollCall(ctx context.Context, id int64) (outpost.RollCall, error) {
	rc, err := scanRollCall(db.queryRow(ctx, `SELECT `+rollCallCols+` FROM rollcalls WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return rc, outpost.Errorf(outpost.ENOTFOUND, "no roll call %d", id)
	}
	return rc, db.wrap(err)
}

// txRollCall reads one roll call inside a write transaction, or
// ENOTFOUND.
func txRollCall(ctx context.Context, t *tx, id int64) (outpost.RollCall, error) {
	rc, err := scanRollCall(t.queryRow(ctx, `SELECT `+rollCallCols+` FROM rollcalls WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return rc, outpost.Errorf(outpost.ENOTFOUND, "no roll call %d", id)
	}
	return rc, err
}

// RollCalls lists roll calls, newest first; mission "" lists all.
func (db *DB) RollCalls(ctx context.Context, mission string) ([]outpost.RollCall, error) {
	q := `SELECT ` + rollCallCols + ` FROM rollcalls`
	var args []any
	if mission != "" {
		q += ` WHERE mission = ? OR mission = ''`
		args = append(args, mission)
	}
	rows, err := db.query(ctx, q+` ORDER BY id DESC`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []outpost.RollCall{}
	for rows.Next() {
		rc, err := scanRollCall(rows)
		if err != nil {
			return nil, db.wrap(err)
		}
		out = append(out, rc)
	}
	return out, db.wrap(rows.Err())
}

// CloseRollCall freezes a roll call.
func (db *DB) CloseRollCall(ctx context.Context, id int64) (outpost.RollCall, error) {
	err := db.update(ctx, func(t *tx) error {
		rc, err := txRollCall(ctx, t, id)
		if err != nil {
			return err
		}
		if rc.Status == outpost.RollCallClosed {
			return outpost.Errorf(outpost.ECONFLICT, "roll call %d is already closed", id)
		}
		if _, err := t.exec(ctx, `UPDATE rollcalls SET status = 'closed', closed_at = ? WHERE id = ?`, db.Now().Unix(), id); err != nil {
			return err
		}
		return t.audit(ctx, "close", "rollcall", itoa(id), rc.Mission, map[string]string{"status": "open"}, map[string]string{"status": "closed"})
	})
	if err != nil {
		return outpost.RollCall{}, err
	}
	return db.RollCall(ctx, id)
}

// CheckIn records answers in one transaction, the later answer of a person
// replacing the earlier one.
func (db *DB) CheckIn(ctx context.Context, answers []outpost.Checkin) ([]error, error) {
	errs := make([]error, len(answers))
	err := db.update(ctx, func(t *tx) error {
		if db.dialect == Postgres {
			return t.checkInSet(ctx, answers, errs)
		}
		return t.checkInRows(ctx, answers, errs)
	})
	if err != nil {
		return nil, err
	}
	return errs, nil
}

// rollCallStatus answers the status of roll call id inside t, "" when
// there is none, reading each roll call once per transaction.
func (t *tx) rollCallStatus(ctx context.Context, state map[int64]string, id int64) (string, error) {
	if st, ok := state[id]; ok {
		return st, nil
	}
	var st string
	err := t.queryRow(ctx, `SELECT status FROM rollcalls WHERE id = ?`, id).Scan(&st)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return "", err
	}
	state[id] = st
	return st, nil
}

// refuseAnswer is the error of an answer that is not valid or whose roll
// call does not take it (none, or closed), nil when it may be written.
func (t *tx) refuseAnswer(ctx context.Context, state map[int64]string, a *outpost.Checkin) (refused, err error) {
	if err := a.Validate(); err != nil {
		return err, nil
	}
	st, err := t.rollCallStatus(ctx, state, a.RollCall)
	if err != nil {
		return nil, err
	}
	switch st {
	case "":
		return outpost.Errorf(outpost.ENOTFOUND, "no roll call %d", a.RollCall), nil
	case outpost.RollCallClosed:
		return outpost.Errorf(outpost.ECONFLICT, "roll call %d is closed: it takes no more answers", a.RollCall), nil
	}
	return nil, nil
}

func notExpected(a *outpost.Checkin) error {
	return outpost.Errorf(outpost.ENOTFOUND, "%s is not among the people roll call %d expects", a.Person, a.RollCall)
}

func checkinAudit(a *outpost.Checkin) map[string]string {
	return map[string]string{"person": a.Person, "status": a.Status, "note": a.Note, "via": a.Via}
}

// checkInRows writes answers one statement at a time: on SQLite, in the
// process, a statement costs no round trip.
func (t *tx) checkInRows(ctx context.Context, answers []outpost.Checkin, errs []error) error {
	state := map[int64]string{}
	for i := range answers {
		a := &answers[i]
		refused, err := t.refuseAnswer(ctx, state, a)
		if err != nil {
			return err
		}
		if refused != nil {
			errs[i] = refused
			continue
		}
		var mission string
		err = t.queryRow(ctx, `SELECT mission FROM rollcall_people WHERE rollcall_id = ? AND person_id = ?`, a.RollCall, a.Person).Scan(&mission)
		if errors.Is(err, sql.ErrNoRows) {
			errs[i] = notExpected(a)
			continue
		}
		if err != nil {
			return err
		}
		if a.At.IsZero() {
			a.At = t.db.Now()
		}
		if _, err := t.exec(ctx, `INSERT INTO checkins (rollcall_id, person_id, status, note, at, seq, via)
			VALUES (?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (rollcall_id, person_id) DO UPDATE SET status = excluded.status, note = excluded.note,
			at = excluded.at, seq = excluded.seq, via = excluded.via`,
			a.RollCall, a.Person, a.Status, a.Note, a.At.Unix(), a.At.UnixNano(), a.Via); err != nil {
			return err
		}
		if err := t.audit(ctx, "checkin", "rollcall", itoa(a.RollCall), mission, nil, checkinAudit(a)); err != nil {
			return err
		}
	}
	return nil
}

// checkInSet writes answers on PostgreSQL in one statement whatever
// their number: every answer goes in as arrays (unnest), joined with its
// roll call (which must be open) and the people it expects; the last
// answer of each person is upserted into checkins, and every answer
// written gets its audit entry, in order. Each statement is a round trip
// to the server, and a transaction of three statements per answer spent
// its time waiting on them. A person answering twice in one batch keeps
// the later answer, as one statement per answer did (an INSERT … ON
// CONFLICT may not touch a row twice, so only the later one is
// upserted), and both answers are in the audit log. The statement
// answers the positions of the answers written; why any other was not
// (no such roll call, a closed one, a person it does not expect) is read
// afterwards, only then.
//
// The statement's plan is the generic one (plan_cache_mode, for this
// transaction only): it is the same for any batch — an index lookup per
// answer — and planning it afresh for every batch cost PostgreSQL more
// than running it.
func (t *tx) checkInSet(ctx context.Context, answers []outpost.Checkin, errs []error) error {
	var (
		pos                                 []int64
		rcs, ats, seqs, auditAt             []int64
		persons, statuses, notes, vias, aft []string
	)
	for i := range answers {
		a := &answers[i]
		if err := a.Validate(); err != nil {
			errs[i] = err
			continue
		}
		if a.At.IsZero() {
			a.At = t.db.Now()
		}
		after, err := jsonMarshal(checkinAudit(a))
		if err != nil {
			return err
		}
		pos, rcs, persons, statuses = append(pos, int64(i)), append(rcs, a.RollCall), append(persons, a.Person), append(statuses, a.Status)
		notes, ats, seqs, vias = append(notes, a.Note), append(ats, a.At.Unix()), append(seqs, a.At.UnixNano()), append(vias, a.Via)
		auditAt, aft = append(auditAt, t.db.Now().Unix()), append(aft, string(after))
	}
	if len(pos) == 0 {
		return nil
	}
	if _, err := t.exec(ctx, `SET LOCAL plan_cache_mode = force_generic_plan`); err != nil {
		return err
	}
	rows, err := t.query(ctx, `WITH answer AS (
			SELECT u.*, rp.mission FROM unnest(?::bigint[], ?::bigint[], ?::text[], ?::text[], ?::text[], ?::bigint[], ?::bigint[], ?::text[], ?::bigint[], ?::text[])
				AS u(pos, rc, person, status, note, at, seq, via, audit_at, after)
			JOIN rollcalls r ON r.id = u.rc AND r.status = 'open'
			JOIN rollcall_people rp ON rp.rollcall_id = u.rc AND rp.person_id = u.person
		), upsert AS (
			INSERT INTO checkins (rollcall_id, person_id, status, note, at, seq, via)
			SELECT DISTINCT ON (rc, person) rc, person, status, note, at, seq, via FROM answer ORDER BY rc, person, pos DESC
			ON CONFLICT (rollcall_id, person_id) DO UPDATE SET status = excluded.status, note = excluded.note,
				at = excluded.at, seq = excluded.seq, via = excluded.via
		), logged AS (
			INSERT INTO audit (at, actor, action, entity, entity_id, mission, before, after)
			SELECT audit_at, ?, 'checkin', 'rollcall', rc::text, mission, '', after FROM answer ORDER BY pos
		)
		SELECT pos FROM answer`,
		pos, rcs, persons, statuses, notes, ats, seqs, vias, auditAt, aft, outpost.ActorFrom(ctx))
	if err != nil {
		return err
	}
	written := make(map[int64]bool, len(pos))
	for rows.Next() {
		var p int64
		if err := rows.Scan(&p); err != nil {
			rows.Close()
			return err
		}
		written[p] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	state := map[int64]string{}
	for _, p := range pos {
		if written[p] {
			continue
		}
		a := &answers[p]
		refused, err := t.refuseAnswer(ctx, state, a)
		if err != nil {
			return err
		}
		if refused == nil {
			refused = notExpected(a)
		}
		errs[p] = refused
	}
	return nil
}

// RollCallReport counts the answers of a roll call.
func (db *DB) RollCallReport(ctx context.Context, id int64) (outpost.RollCallReport, error) {
	rc, err := db.RollCall(ctx, id)
	if err != nil {
		return outpost.RollCallReport{}, err
	}
	rep := outpost.RollCallReport{ID: rc.ID, Title: rc.Title, Mission: rc.Mission, Status: rc.Status,
		NoResponseIDs: []string{}, NeedHelpIDs: []string{}, ByMission: []outpost.RollCallByMission{}}
	scope, err := db.RollCallScope(ctx, id)
	if err != nil {
		return rep, err
	}
	var all outpost.RollCallByMission
	all, rep.ByMission, rep.NeedHelpIDs, rep.NoResponseIDs = outpost.Tally(scope, func(string) bool { return true })
	rep.Expected, rep.Safe, rep.NeedHelp, rep.NoResponse = all.Expected, all.Safe, all.NeedHelp, all.NoResponse
	return rep, nil
}

// RollCallScope lists the people a roll call expects, by mission and id,
// with their answers so far.
func (db *DB) RollCallScope(ctx context.Context, id int64) ([]outpost.ScopeEntry, error) {
	rows, err := db.query(ctx, `SELECT rp.person_id, p.given_name, p.family_name, rp.mission,
		COALESCE(c.status, ''), COALESCE(c.note, '')
		FROM rollcall_people rp JOIN people p ON p.id = rp.person_id
		LEFT JOIN checkins c ON c.rollcall_id = rp.rollcall_id AND c.person_id = rp.person_id
		WHERE rp.rollcall_id = ? ORDER BY rp.mission, rp.person_id`, id)
	if err != nil {
		return nil, err
	}
	return db.scanScopeEntries(rows)
}

// scanScopeEntries reads and closes rows of (person, given name, family
// name, mission, status, note): a roll call's scope with its answers.
func (db *DB) scanScopeEntries(rows *sql.Rows) ([]outpost.ScopeEntry, error) {
	defer rows.Close()
	out := []outpost.ScopeEntry{}
	for rows.Next() {
		var s outpost.ScopeEntry
		if err := rows.Scan(&s.Person, &s.GivenName, &s.FamilyName, &s.Mission, &s.Status, &s.Note); err != nil {
			return nil, db.wrap(err)
		}
		out = append(out, s)
	}
	return out, db.wrap(rows.Err())
}

// DueEscalations lists open roll calls whose escalation time has come.
func (db *DB) DueEscalations(ctx context.Context, now time.Time) ([]outpost.RollCall, error) {
	rows, err := db.query(ctx, `SELECT `+rollCallCols+` FROM rollcalls
		WHERE status = 'open' AND escalated_at IS NULL AND escalate_after > 0 AND started_at + escalate_after <= ?
		ORDER BY id`, now.Unix())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []outpost.RollCall
	for rows.Next() {
		rc, err := scanRollCall(rows)
		if err != nil {
			return nil, db.wrap(err)
		}
		out = append(out, rc)
	}
	return out, db.wrap(rows.Err())
}

// ClaimEscalation claims a roll call's escalation until now+hold, when it
// is not escalated and no unexpired claim holds it: one UPDATE, so that
// of servers claiming at once one wins. The claim is bookkeeping, not
// data: it leaves no audit entry.
func (db *DB) ClaimEscalation(ctx context.Context, id int64, now time.Time, hold time.Duration) (bool, error) {
	var n int64
	err := db.update(ctx, func(t *tx) error {
		res, err := t.exec(ctx, `UPDATE rollcalls SET escalation_claimed = ?
			WHERE id = ? AND escalated_at IS NULL AND (escalation_claimed IS NULL OR escalation_claimed <= ?)`,
			now.Add(hold).Unix(), id, now.Unix())
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return n == 1, err
}

// ReleaseEscalation gives up a claim on a roll call's escalation.
func (db *DB) ReleaseEscalation(ctx context.Context, id int64) error {
	return db.update(ctx, func(t *tx) error {
		_, err := t.exec(ctx, `UPDATE rollcalls SET escalation_claimed = NULL WHERE id = ?`, id)
		return err
	})
}

// MarkEscalated records that a roll call's non-responders were escalated.
func (db *DB) MarkEscalated(ctx context.Context, id int64, at time.Time) error {
	return db.update(ctx, func(t *tx) error {
		res, err := t.exec(ctx, `UPDATE rollcalls SET escalated_at = ? WHERE id = ?`, at.Unix(), id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return outpost.Errorf(outpost.ENOTFOUND, "no roll call %d", id)
		}
		return t.audit(ctx, "escalate", "rollcall", itoa(id), "", nil, nil)
	})
}
