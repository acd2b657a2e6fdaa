package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
)

// A correction never deletes an event: it sets voided_at (and who and
// why) on the original, and an amendment inserts the replacement and
// names it in the original's replaced_by. Every read of a status skips
// voided events, so the census, the boards and the current status follow.

// eventRow is one row of status_events with its correction columns.
type eventRow struct {
	outpost.Event
	voidedAt   sql.NullInt64
	voidedBy   string
	reason     string
	replacedBy sql.NullInt64
}

const eventColumns = `e.id, e.person_id, e.at, e.status, e.checkpoint, e.source, e.note, e.voided_at, e.voided_by, e.void_reason, e.replaced_by, e.action_id`

func scanEvent(sc interface{ Scan(...any) error }, extra ...any) (eventRow, error) {
	var r eventRow
	var at int64
	var action sql.NullInt64
	err := sc.Scan(append([]any{&r.ID, &r.Person, &at, &r.Status, &r.Checkpoint, &r.Source, &r.Note,
		&r.voidedAt, &r.voidedBy, &r.reason, &r.replacedBy, &action}, extra...)...)
	r.At = time.Unix(at, 0).UTC()
	r.Action = action.Int64
	return r, err
}

// corrected is the row as a corrected event.
func (r eventRow) corrected() outpost.CorrectedEvent {
	c := outpost.CorrectedEvent{Event: r.Event, Correction: outpost.Voided, By: r.voidedBy, Reason: r.reason}
	c.On = time.Unix(r.voidedAt.Int64, 0).UTC()
	if r.replacedBy.Valid {
		c.Correction, c.ReplacedBy = outpost.Amended, r.replacedBy.Int64
	}
	return c
}

// History returns a person's presence history: the events that count in
// time order, the registration placed among them, each flagged when it
// cannot follow the status before it; and the events corrections took
// out, in the order they were recorded.
func (db *DB) History(ctx context.Context, person string) (outpost.History, error) {
	var reg outpost.Event
	var regAt int64
	err := db.queryRow(ctx, `SELECT id, reg_since, reg_status FROM people WHERE id = ?`, person).Scan(&reg.Person, &regAt, &reg.Status)
	if errors.Is(err, sql.ErrNoRows) {
		return outpost.History{}, outpost.Errorf(outpost.ENOTFOUND, "no person %q", person)
	}
	if err != nil {
		return outpost.History{}, db.wrap(err)
	}
	reg.At, reg.Source = time.Unix(regAt, 0).UTC(), "import"
	rows, err := db.query(ctx, `SELECT `+eventColumns+` FROM status_events e WHERE e.person_id = ? ORDER BY e.at, e.id`, person)
	if err != nil {
		return outpost.History{}, err
	}
	defer rows.Close()
	h := outpost.History{Events: []outpost.Event{}, Corrected: []outpost.CorrectedEvent{}}
	amends := map[int64]int64{} // replacement → original
	placed := false
	for rows.Next() {
		r, err := scanEvent(rows)
		if err != nil {
			return outpost.History{}, db.wrap(err)
		}
		if r.voidedAt.Valid {
			h.Corrected = append(h.Corrected, r.corrected())
			if r.replacedBy.Valid {
				amends[r.replacedBy.Int64] = r.ID
			}
			continue
		}
		if !placed && r.At.Unix() >= regAt {
			h.Events, placed = append(h.Events, reg), true
		}
		h.Events = append(h.Events, r.Event)
	}
	if err := rows.Err(); err != nil {
		return outpost.History{}, db.wrap(err)
	}
	if !placed {
		h.Events = append(h.Events, reg)
	}
	for i := range h.Events {
		h.Events[i].Amends = amends[h.Events[i].ID]
	}
	slices.SortFunc(h.Corrected, func(a, b outpost.CorrectedEvent) int { return cmp.Compare(a.ID, b.ID) })
	outpost.FlagOrder(h.Events)
	return h, nil
}

// Event returns one recorded event by id, live or corrected, and the
// mission of its person.
func (db *DB) Event(ctx context.Context, id int64) (outpost.Event, string, error) {
	var mission string
	r, err := scanEvent(db.queryRow(ctx, `SELECT `+eventColumns+`, p.mission FROM status_events e JOIN people p ON p.id = e.person_id WHERE e.id = ?`, id), &mission)
	if errors.Is(err, sql.ErrNoRows) {
		return outpost.Event{}, "", outpost.Errorf(outpost.ENOTFOUND, "no event %d", id)
	}
	if err != nil {
		return outpost.Event{}, "", db.wrap(err)
	}
	return r.Event, mission, nil
}

// person is what a correction reads of the person it corrects.
type corrPerson struct {
	mission   string
	regAt     int64
	regStatus outpost.Status
}

// lockedEvent reads event id and its person inside t, the person's row
// locked on PostgreSQL; an event of a person outside missions (when not
// nil) is not found.
func (t *tx) lockedEvent(ctx context.Context, id int64, missions []string) (eventRow, corrPerson, error) {
	notFound := outpost.Errorf(outpost.ENOTFOUND, "no event %d", id)
	var person string
	err := t.queryRow(ctx, `SELECT person_id FROM status_events WHERE id = ?`, id).Scan(&person)
	if errors.Is(err, sql.ErrNoRows) {
		return eventRow{}, corrPerson{}, notFound
	}
	if err != nil {
		return eventRow{}, corrPerson{}, fmt.Errorf("read event %d: %w", id, err)
	}
	p, err := t.lockPerson(ctx, person)
	if err != nil {
		return eventRow{}, corrPerson{}, err
	}
	if missions != nil && !slices.Contains(missions, p.mission) {
		return eventRow{}, corrPerson{}, notFound
	}
	r, err := t.event(ctx, id)
	if err != nil {
		return eventRow{}, corrPerson{}, err
	}
	return r, p, nil
}

// event reads event id inside t, with its correction columns.
func (t *tx) event(ctx context.Context, id int64) (eventRow, error) {
	r, err := scanEvent(t.queryRow(ctx, `SELECT `+eventColumns+` FROM status_events e WHERE e.id = ?`, id))
	if err != nil {
		return eventRow{}, fmt.Errorf("read event %d: %w", id, err)
	}
	return r, nil
}

// lockPerson reads a person's mission and registration, the row locked
// on PostgreSQL until the transaction ends.
func (t *tx) lockPerson(ctx context.Context, person string) (corrPerson, error) {
	var p corrPerson
	if err := t.queryRow(ctx, `SELECT mission, reg_since, reg_status FROM people WHERE id = ?`+t.db.forUpdate(), person).
		Scan(&p.mission, &p.regAt, &p.regStatus); err != nil {
		return p, fmt.Errorf("read person %s: %w", person, err)
	}
	return p, nil
}

// alreadyCorrected is the conflict of correcting an event twice.
func alreadyCorrected(r eventRow) error {
	c := r.corrected()
	return outpost.Errorf(outpost.ECONFLICT, "event %d was already %s on %s by %s (%s)", r.ID, c.Correction,
		c.On.Format(time.RFC3339), c.By, c.Reason)
}

// void marks event id voided inside t (an amendment names the
// replacement afterwards).
func (t *tx) void(ctx context.Context, id int64, reason string) error {
	_, err := t.exec(ctx, `UPDATE status_events SET voided_at = ?, voided_by = ?, void_reason = ?, replaced_by = NULL WHERE id = ? AND voided_at IS NULL`,
		t.db.Now().Unix(), outpost.ActorFrom(ctx), reason, id)
	if err != nil {
		return fmt.Errorf("void event %d: %w", id, err)
	}
	return nil
}

// settle brings a corrected person's derived statuses up to date: an
// assembled checkpoint keeps the status before it, which a correction
// of an earlier event may have changed; then the current status.
func (t *tx) settle(ctx context.Context, person string, p corrPerson) error {
	evs, err := t.history(ctx, person)
	if err != nil {
		return err
	}
	status := p.regStatus
	for _, e := range evs {
		if _, changes := e.checkpoint.StatusAfter(); e.checkpoint != "" && !changes {
			if e.status != status {
				if _, err := t.exec(ctx, `UPDATE status_events SET status = ? WHERE id = ?`, string(status), e.id); err != nil {
					return fmt.Errorf("restate event %d: %w", e.id, err)
				}
			}
			continue
		}
		status = e.status
	}
	if err := t.refreshStatus(ctx, person); err != nil {
		return fmt.Errorf("refresh status of %s: %w", person, err)
	}
	return nil
}

// statusBefore is a person's status just before an event at at with id
// (their live events at or before it, ties by id; else the registration),
// and the status a checkpoint-less assembled event there takes.
func (t *tx) statusBefore(ctx context.Context, person string, p corrPerson, at, id int64) (outpost.Status, error) {
	evs, err := t.history(ctx, person)
	if err != nil {
		return "", err
	}
	st := p.regStatus
	for _, e := range evs {
		if e.at > at || e.at == at && e.id >= id {
			break
		}
		st = e.status
	}
	return st, nil
}

// correctionAudit is an audit entry's record of a corrected event: the
// original as it was, and what the correction said.
type correctionAudit struct {
	outpost.Event
	Reason string `json:"reason"`
}

// AmendEvent replaces an event: the original is voided with the reason
// and names the replacement, which is recorded with the fields the
// amendment gives (the others as they were). The audit entry (action
// "amend") has the original as before and the replacement as after.
func (db *DB) AmendEvent(ctx context.Context, a outpost.Amendment) (outpost.Event, error) {
	if err := a.Validate().Err("amendment"); err != nil {
		return outpost.Event{}, err
	}
	var out outpost.Event
	err := db.update(ctx, func(t *tx) error {
		if err := t.lockTimeout(ctx); err != nil {
			return err
		}
		r, p, err := t.lockedEvent(ctx, a.Event, a.Missions)
		if err != nil {
			return err
		}
		if r.voidedAt.Valid {
			return alreadyCorrected(r)
		}
		ev := r.Event
		ev.Action, ev.Flag = 0, ""
		if !a.At.IsZero() {
			ev.At = a.At.Truncate(time.Second).UTC()
		}
		switch {
		case a.Checkpoint != "" && r.Checkpoint == "":
			return outpost.Errorf(outpost.EINVALID, "amendment: checkpoint: event %d records a status, not a checkpoint; amend its status", r.ID)
		case a.Status != "" && r.Checkpoint != "":
			return outpost.Errorf(outpost.EINVALID, "amendment: status: event %d is a checkpoint, whose status follows from it; amend the checkpoint", r.ID)
		case a.Checkpoint != "":
			ev.Checkpoint = a.Checkpoint
		case a.Status != "":
			ev.Status = a.Status
		}
		if a.Note != nil {
			ev.Note = *a.Note
		}
		if msg := outpost.CheckEventTime(ev.At, time.Unix(p.regAt, 0), time.Time{}); msg != "" {
			return outpost.Errorf(outpost.EINVALID, "amendment: at %s: %s", ev.At.Format(time.RFC3339), msg)
		}
		if err := t.void(ctx, r.ID, a.Reason); err != nil {
			return err
		}
		at := ev.At.Unix()
		// The status before the replacement, which an assembled one keeps
		// and the order flag compares with (the replacement's id is the
		// largest: it follows the events of its second).
		before, err := t.statusBefore(ctx, ev.Person, p, at, 1<<62)
		if err != nil {
			return err
		}
		if st, changes := ev.Checkpoint.StatusAfter(); changes {
			ev.Status = st
		} else if ev.Checkpoint != "" {
			ev.Status = before
		}
		if err := t.queryRow(ctx, `INSERT INTO status_events (person_id, at, status, checkpoint, source, note)
			VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
			ev.Person, at, string(ev.Status), string(ev.Checkpoint), ev.Source, ev.Note).Scan(&ev.ID); err != nil {
			return fmt.Errorf("record the replacement of event %d: %w", r.ID, err)
		}
		if _, err := t.exec(ctx, `UPDATE status_events SET replaced_by = ? WHERE id = ?`, ev.ID, r.ID); err != nil {
			return fmt.Errorf("link event %d to its replacement: %w", r.ID, err)
		}
		if err := t.settle(ctx, ev.Person, p); err != nil {
			return err
		}
		if ev.Checkpoint != "" {
			ev.Flag = outpost.OrderFlag(before, ev.Checkpoint)
		}
		ev.Amends = r.ID
		out = ev
		return t.audit(ctx, "amend", "person", ev.Person, p.mission, r.Event, correctionAudit{Event: ev, Reason: a.Reason})
	})
	if err != nil {
		return outpost.Event{}, err
	}
	return out, nil
}

// VoidEvent takes an event out of the history with a reason; the event
// stays, marked voided. The audit entry (action "void") has the event as
// before and the correction as after.
func (db *DB) VoidEvent(ctx context.Context, id int64, reason string, missions []string) (outpost.CorrectedEvent, error) {
	if msg := outpost.CheckReason(reason); msg != "" {
		return outpost.CorrectedEvent{}, outpost.Errorf(outpost.EINVALID, "void: reason: %s", msg)
	}
	var out outpost.CorrectedEvent
	err := db.update(ctx, func(t *tx) error {
		if err := t.lockTimeout(ctx); err != nil {
			return err
		}
		r, p, err := t.lockedEvent(ctx, id, missions)
		if err != nil {
			return err
		}
		if r.voidedAt.Valid {
			return alreadyCorrected(r)
		}
		if out, err = t.voidOne(ctx, r, p, reason); err != nil {
			return err
		}
		return t.settle(ctx, r.Person, p)
	})
	if err != nil {
		return outpost.CorrectedEvent{}, err
	}
	return out, nil
}

// voidOne voids the live event r and audits it.
func (t *tx) voidOne(ctx context.Context, r eventRow, p corrPerson, reason string) (outpost.CorrectedEvent, error) {
	if err := t.void(ctx, r.ID, reason); err != nil {
		return outpost.CorrectedEvent{}, err
	}
	c := outpost.CorrectedEvent{Event: r.Event, Correction: outpost.Voided, By: outpost.ActorFrom(ctx),
		On: time.Unix(t.db.Now().Unix(), 0).UTC(), Reason: reason}
	if err := t.audit(ctx, "void", "person", r.Person, p.mission, r.Event, c); err != nil {
		return c, fmt.Errorf("audit the void of event %d: %w", r.ID, err)
	}
	return c, nil
}

// TrackAction records ts as one bulk action, in one transaction, each
// checkpoint exactly as TrackMany would; the events name the action, so
// that UndoAction voids exactly them.
func (db *DB) TrackAction(ctx context.Context, a outpost.TrackAction, ts []outpost.Track) (outpost.TrackAction, []outpost.TrackResult, error) {
	if msg := outpost.CheckLine(a.What, 200); msg != "" || a.What == "" {
		return a, nil, outpost.Errorf(outpost.EINVALID, "action: what: %s", msg+"must name the group")
	}
	a.At = db.Now().Truncate(time.Second).UTC()
	a.Actor = outpost.ActorFrom(ctx)
	res, err := db.trackBatch(ctx, ts, false, &a)
	if err != nil {
		return a, nil, err
	}
	return a, res, nil
}

// UndoAction voids, with the reason "undone", the events of a bulk action
// that still stand, of people in missions (nil every mission): an event
// corrected since is left and said so. The events of people outside
// missions are left standing, only counted, so that their own missions
// may still undo them; the action is marked undone once none of its
// events stands. An action none of whose people are in missions is not
// found; one with nothing left the caller may undo is a conflict.
func (db *DB) UndoAction(ctx context.Context, id int64, missions []string) (outpost.Undo, error) {
	out := outpost.Undo{Voided: []outpost.Event{}, Skipped: []outpost.Skipped{}}
	notFound := outpost.Errorf(outpost.ENOTFOUND, "no action %d", id)
	err := db.update(ctx, func(t *tx) error {
		if err := t.lockTimeout(ctx); err != nil {
			return err
		}
		a := &out.Action
		var at int64
		var undoneAt sql.NullInt64
		err := t.queryRow(ctx, `SELECT id, at, actor, checkpoint, what, undone_at, undone_by FROM track_actions WHERE id = ?`+db.forUpdate(), id).
			Scan(&a.ID, &at, &a.Actor, &a.Checkpoint, &a.What, &undoneAt, &a.UndoneBy)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound
		}
		if err != nil {
			return fmt.Errorf("read action %d: %w", id, err)
		}
		a.At = time.Unix(at, 0).UTC()
		rows, err := t.query(ctx, `SELECT `+eventColumns+`, p.mission FROM status_events e JOIN people p ON p.id = e.person_id
			WHERE e.action_id = ? ORDER BY e.person_id, e.id`, id)
		if err != nil {
			return fmt.Errorf("read the events of action %d: %w", id, err)
		}
		type row struct {
			eventRow
			mission string
		}
		var evs []row
		for rows.Next() {
			var r row
			if r.eventRow, err = scanEvent(rows, &r.mission); err != nil {
				rows.Close()
				return fmt.Errorf("read the events of action %d: %w", id, err)
			}
			evs = append(evs, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("read the events of action %d: %w", id, err)
		}
		mine := func(r row) bool { return missions == nil || slices.Contains(missions, r.mission) }
		if !slices.ContainsFunc(evs, mine) {
			return notFound
		}
		if undoneAt.Valid {
			return outpost.Errorf(outpost.ECONFLICT, "action %d (%s %s) was already undone on %s by %s", id, a.Checkpoint, a.What,
				time.Unix(undoneAt.Int64, 0).UTC().Format(time.RFC3339), a.UndoneBy)
		}
		// The caller's part was undone before, while other missions'
		// events still stand: a second undo of it is the same conflict,
		// said without naming those people.
		if !slices.ContainsFunc(evs, func(r row) bool { return mine(r) && !r.voidedAt.Valid }) &&
			slices.ContainsFunc(evs, func(r row) bool { return !mine(r) && !r.voidedAt.Valid }) &&
			slices.ContainsFunc(evs, func(r row) bool { return mine(r) && r.voidedAt.Valid && r.reason == outpost.UndoneReason }) {
			return outpost.Errorf(outpost.ECONFLICT, "action %d (%s %s): the events you may correct were already undone; the rest belong to people of other missions, for them to undo", id, a.Checkpoint, a.What)
		}
		settled := map[string]corrPerson{}
		// voided are the people this undo took an event from: only they
		// are settled. Settling a person whose events were all corrected
		// before may restate an assembled checkpoint's status (tracking
		// does not restate it when an earlier checkpoint comes later),
		// which would change their presence without an audit entry naming
		// them, unseen by the census that follows the audit log.
		voided := map[string]bool{}
		standing := 0
		for _, r := range evs {
			if !mine(r) {
				if !r.voidedAt.Valid {
					out.Others++
				}
				continue
			}
			p, ok := settled[r.Person]
			if !ok {
				if p, err = t.lockPerson(ctx, r.Person); err != nil {
					return err
				}
				settled[r.Person] = p
			}
			// Read again under the lock: a correction may have won.
			cur, err := t.event(ctx, r.ID)
			if err != nil {
				return err
			}
			if cur.voidedAt.Valid {
				c := cur.corrected()
				out.Skipped = append(out.Skipped, outpost.Skipped{Event: cur.Event, Reason: fmt.Sprintf("already %s on %s by %s (%s)",
					c.Correction, c.On.Format(time.RFC3339), c.By, c.Reason)})
				continue
			}
			if _, err := t.voidOne(ctx, cur, p, outpost.UndoneReason); err != nil {
				return err
			}
			voided[r.Person] = true
			out.Voided = append(out.Voided, cur.Event)
		}
		for _, person := range slices.Sorted(maps.Keys(voided)) {
			if err := t.settle(ctx, person, settled[person]); err != nil {
				return err
			}
		}
		// The action is undone once none of its events stands, whoever
		// voided them (this undo, an earlier one by another mission, a
		// correction).
		if err := t.queryRow(ctx, `SELECT COUNT(*) FROM status_events WHERE action_id = ? AND voided_at IS NULL`, id).Scan(&standing); err != nil {
			return fmt.Errorf("count the standing events of action %d: %w", id, err)
		}
		if standing > 0 {
			return nil
		}
		now := db.Now().Unix()
		if _, err := t.exec(ctx, `UPDATE track_actions SET undone_at = ?, undone_by = ? WHERE id = ?`, now, outpost.ActorFrom(ctx), id); err != nil {
			return fmt.Errorf("mark action %d undone: %w", id, err)
		}
		u := time.Unix(now, 0).UTC()
		a.UndoneAt, a.UndoneBy = &u, outpost.ActorFrom(ctx)
		return nil
	})
	if err != nil {
		return outpost.Undo{}, err
	}
	return out, nil
}

// maxFlagged bounds a listing of flagged events.
const maxFlagged = 1000

// FlaggedEvents lists, by person and time, the live events of the people
// of mission ("" every mission) that cannot follow the status before
// them (crossed while in the country…), at most limit (1 to 1000). Only
// people with a status-changing checkpoint are read.
func (db *DB) FlaggedEvents(ctx context.Context, mission string, limit int) ([]outpost.Event, error) {
	if limit <= 0 || limit > maxFlagged {
		return nil, fmt.Errorf("list flagged events: limit %d out of 1 to %d", limit, maxFlagged)
	}
	q := `SELECT ` + eventColumns + `, p.reg_since, p.reg_status
		FROM people p JOIN status_events e ON e.person_id = p.id AND e.voided_at IS NULL
		WHERE p.id IN (SELECT person_id FROM status_events WHERE checkpoint IN ('departed', 'crossed', 'arrived', 'returned') AND voided_at IS NULL)`
	var args []any
	if mission != "" {
		q += ` AND p.mission = ?`
		args = append(args, mission)
	}
	rows, err := db.query(ctx, q+` ORDER BY p.id, e.at, e.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("list flagged events: %w", err)
	}
	defer rows.Close()
	out := []outpost.Event{}
	var cur []outpost.Event
	var reg outpost.Event
	placed := true
	flush := func() {
		if !placed {
			cur = append(cur, reg)
		}
		outpost.FlagOrder(cur)
		for _, e := range cur {
			if e.Flag != "" && len(out) < limit {
				out = append(out, e)
			}
		}
		cur = cur[:0]
	}
	for rows.Next() {
		var regAt int64
		var regStatus outpost.Status
		r, err := scanEvent(rows, &regAt, &regStatus)
		if err != nil {
			return nil, fmt.Errorf("list flagged events: %w", db.wrap(err))
		}
		if len(cur) == 0 || cur[0].Person != r.Person {
			if len(cur) > 0 {
				flush()
			}
			reg = outpost.Event{Person: r.Person, At: time.Unix(regAt, 0).UTC(), Status: regStatus, Source: "import"}
			placed = false
		}
		if !placed && r.At.Unix() >= regAt {
			cur, placed = append(cur, reg), true
		}
		cur = append(cur, r.Event)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list flagged events: %w", db.wrap(err))
	}
	if len(cur) > 0 {
		flush()
	}
	return out, nil
}
