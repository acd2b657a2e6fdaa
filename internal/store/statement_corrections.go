package store

import (
	"context"
	"strings"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
)

// auditCorrection is what the audit log keeps of a correction or a
// withdrawal: the statement's text before and after, with the note.
type auditCorrection struct {
	ID     int64  `json:"id"`
	Title  string `json:"title"`
	Body   string `json:"body,omitempty"`
	Note   string `json:"note,omitempty"`
	Status string `json:"status"`
}

// publishedStanding loads a statement inside t that may be corrected or
// withdrawn: published and not withdrawn.
func (t *tx) publishedStanding(ctx context.Context, id int64, what string) (outpost.Statement, error) {
	s, err := t.loadStatement(ctx, id)
	if err != nil {
		return s, err
	}
	if !s.IsPublic() {
		return s, outpost.Errorf(outpost.ECONFLICT, "statement %d is not published: only a published statement is %s (change the %s itself)", id, what, s.Status)
	}
	if !s.Withdrawn.IsZero() {
		return s, outpost.Errorf(outpost.ECONFLICT, "statement %d was withdrawn on %s: it is no longer %s", id, s.Withdrawn.Format(time.DateOnly), what)
	}
	return s, nil
}

// CorrectStatement replaces the text of a published statement, keeping
// the one it replaces.
func (db *DB) CorrectStatement(ctx context.Context, id int64, c outpost.StatementCorrection) (outpost.Statement, error) {
	c.Title, c.Note = strings.TrimSpace(c.Title), strings.TrimSpace(c.Note)
	if err := outpost.CheckCorrectionNote("note", c.Note); err != nil {
		return outpost.Statement{}, err
	}
	var out outpost.Statement
	err := db.update(ctx, func(t *tx) error {
		s, err := t.publishedStanding(ctx, id, "corrected")
		if err != nil {
			return err
		}
		before := s
		s.Title, s.Body = c.Title, c.Body
		if err := s.Validate().Err("statement"); err != nil {
			return err
		}
		if s.Title == before.Title && s.Body == before.Body {
			return outpost.Errorf(outpost.EINVALID, "statement: the corrected text is the same as the published one")
		}
		now := db.Now().Truncate(time.Second).UTC()
		actor := outpost.ActorFrom(ctx)
		var n int
		if err := t.queryRow(ctx, `SELECT COUNT(*) FROM statement_versions WHERE statement_id = ?`, id).Scan(&n); err != nil {
			return err
		}
		since := before.Published
		if !before.Corrected.IsZero() {
			since = before.Corrected
		}
		if _, err := t.exec(ctx, `INSERT INTO statement_versions (statement_id, version, title, body, note, since, replaced, replaced_by)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, id, n+1, before.Title, before.Body, before.CorrectionNote, since.Unix(), now.Unix(), actor); err != nil {
			return err
		}
		if _, err := t.exec(ctx, `UPDATE statements SET title = ?, body = ?, corrected = ?, correction_note = ?, updated = ?
			WHERE id = ?`, s.Title, s.Body, now.Unix(), c.Note, now.Unix(), id); err != nil {
			return err
		}
		s.Corrected, s.CorrectionNote, s.Updated = now, c.Note, now
		out = s
		return t.audit(ctx, "correct", "statement", idString(id), s.Mission,
			auditCorrection{ID: id, Title: before.Title, Body: before.Body, Note: before.CorrectionNote, Status: string(before.Status)},
			auditCorrection{ID: id, Title: s.Title, Body: s.Body, Note: c.Note, Status: string(s.Status)})
	})
	if err != nil {
		return outpost.Statement{}, err
	}
	return db.withPhotos(ctx, out)
}

// WithdrawStatement withdraws a published statement with a reason.
func (db *DB) WithdrawStatement(ctx context.Context, id int64, reason string) (outpost.Statement, error) {
	reason = strings.TrimSpace(reason)
	if err := outpost.CheckCorrectionNote("reason", reason); err != nil {
		return outpost.Statement{}, err
	}
	var out outpost.Statement
	err := db.update(ctx, func(t *tx) error {
		s, err := t.publishedStanding(ctx, id, "withdrawn")
		if err != nil {
			return err
		}
		now := db.Now().Truncate(time.Second).UTC()
		actor := outpost.ActorFrom(ctx)
		if _, err := t.exec(ctx, `UPDATE statements SET withdrawn = ?, withdrawn_by = ?, withdrawn_reason = ?, updated = ?
			WHERE id = ?`, now.Unix(), actor, reason, now.Unix(), id); err != nil {
			return err
		}
		s.Withdrawn, s.WithdrawnBy, s.WithdrawnReason, s.Updated = now, actor, reason, now
		out = s
		return t.audit(ctx, "withdraw", "statement", idString(id), s.Mission,
			auditCorrection{ID: id, Title: s.Title, Status: string(s.Status)},
			auditCorrection{ID: id, Title: s.Title, Note: reason, Status: "withdrawn"})
	})
	if err != nil {
		return outpost.Statement{}, err
	}
	return db.withPhotos(ctx, out)
}

// StatementVersions lists the texts a statement had before its
// corrections, oldest first.
func (db *DB) StatementVersions(ctx context.Context, id int64) ([]outpost.StatementVersion, error) {
	rows, err := db.query(ctx, `SELECT version, title, body, note, since, replaced, replaced_by
		FROM statement_versions WHERE statement_id = ? ORDER BY version`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []outpost.StatementVersion{}
	for rows.Next() {
		var v outpost.StatementVersion
		var since, replaced int64
		if err := rows.Scan(&v.Version, &v.Title, &v.Body, &v.Note, &since, &replaced, &v.ReplacedBy); err != nil {
			return nil, db.wrap(err)
		}
		v.Since, v.Replaced = time.Unix(since, 0).UTC(), time.Unix(replaced, 0).UTC()
		out = append(out, v)
	}
	return out, db.wrap(rows.Err())
}
