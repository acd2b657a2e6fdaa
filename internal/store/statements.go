package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
	"github.com/outpost-org/outpost/internal/photo"
)

const statementCols = `id, COALESCE(mission, ''), title, body, status, created, created_by, updated,
	COALESCE(approved, 0), approved_by, COALESCE(published, 0), published_by,
	COALESCE(corrected, 0), correction_note, COALESCE(withdrawn, 0), withdrawn_by, withdrawn_reason`

// auditStatement is what the audit log keeps of a statement.
type auditStatement struct {
	ID      int64  `json:"id"`
	Mission string `json:"mission,omitempty"`
	Title   string `json:"title"`
	Body    string `json:"body,omitempty"`
	Status  string `json:"status"`
	At      int64  `json:"at,omitempty"`
}

func scanStatement(sc interface{ Scan(...any) error }) (outpost.Statement, error) {
	var s outpost.Statement
	var created, updated, approved, published, corrected, withdrawn int64
	err := sc.Scan(&s.ID, &s.Mission, &s.Title, &s.Body, &s.Status, &created, &s.CreatedBy, &updated,
		&approved, &s.ApprovedBy, &published, &s.PublishedBy,
		&corrected, &s.CorrectionNote, &withdrawn, &s.WithdrawnBy, &s.WithdrawnReason)
	s.Created, s.Updated = time.Unix(created, 0).UTC(), time.Unix(updated, 0).UTC()
	s.Approved, s.Published = timeOrZero(approved), timeOrZero(published)
	s.Corrected, s.Withdrawn = timeOrZero(corrected), timeOrZero(withdrawn)
	s.Photos = []outpost.PhotoInfo{}
	return s, err
}

// loadStatement reads a statement inside t, or ENOTFOUND.
func (t *tx) loadStatement(ctx context.Context, id int64) (outpost.Statement, error) {
	s, err := scanStatement(t.queryRow(ctx, `SELECT `+statementCols+` FROM statements WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return s, outpost.Errorf(outpost.ENOTFOUND, "no statement %d", id)
	}
	return s, err
}

// CreateStatement saves a new draft and returns it with its id.
func (db *DB) CreateStatement(ctx context.Context, s outpost.Statement) (outpost.Statement, error) {
	s.Title = strings.TrimSpace(s.Title)
	if err := s.Validate().Err("statement"); err != nil {
		return outpost.Statement{}, err
	}
	now := db.Now().Truncate(time.Second).UTC()
	if s.Created.IsZero() {
		s.Created = now
	}
	s.Created = s.Created.Truncate(time.Second).UTC()
	s.Updated, s.Status, s.CreatedBy = s.Created, outpost.StatementDraft, outpost.ActorFrom(ctx)
	s.Approved, s.ApprovedBy, s.Published, s.PublishedBy = time.Time{}, "", time.Time{}, ""
	s.Photos = []outpost.PhotoInfo{}
	err := db.update(ctx, func(t *tx) error {
		if s.Mission != "" {
			var n int
			if err := t.queryRow(ctx, `SELECT COUNT(*) FROM missions WHERE code = ?`, s.Mission).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				return outpost.Errorf(outpost.EINVALID, "statement: no mission %q (see `outpost missions list`)", s.Mission)
			}
		}
		if err := t.queryRow(ctx, `INSERT INTO statements (mission, title, body, status, created, created_by, updated)
			VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			nullable(s.Mission), s.Title, s.Body, string(s.Status), s.Created.Unix(), s.CreatedBy, s.Updated.Unix()).Scan(&s.ID); err != nil {
			return err
		}
		return t.audit(ctx, "draft", "statement", idString(s.ID), s.Mission, nil, auditOf(s, 0))
	})
	if err != nil {
		return outpost.Statement{}, err
	}
	return s, nil
}

func idString(id int64) string { return strconv.FormatInt(id, 10) }

func auditOf(s outpost.Statement, at int64) auditStatement {
	return auditStatement{ID: s.ID, Mission: s.Mission, Title: s.Title, Body: s.Body, Status: string(s.Status), At: at}
}

// EditStatement replaces the title and body of a draft or approved
// statement; an approved one goes back to draft.
func (db *DB) EditStatement(ctx context.Context, id int64, title, body string) (outpost.Statement, error) {
	var out outpost.Statement
	err := db.update(ctx, func(t *tx) error {
		s, err := t.loadStatement(ctx, id)
		if err != nil {
			return err
		}
		if s.IsPublic() {
			return outpost.Errorf(outpost.ECONFLICT, "statement %d is published: a published statement cannot be changed", id)
		}
		before := auditOf(s, 0)
		s.Title, s.Body = strings.TrimSpace(title), body
		if err := s.Validate().Err("statement"); err != nil {
			return err
		}
		s.Status, s.Approved, s.ApprovedBy = outpost.StatementDraft, time.Time{}, ""
		s.Updated = db.Now().Truncate(time.Second).UTC()
		if _, err := t.exec(ctx, `UPDATE statements SET title = ?, body = ?, status = ?, approved = NULL,
			approved_by = '', updated = ? WHERE id = ?`, s.Title, s.Body, string(s.Status), s.Updated.Unix(), id); err != nil {
			return err
		}
		out = s
		return t.audit(ctx, "edit", "statement", idString(id), s.Mission, before, auditOf(s, 0))
	})
	if err != nil {
		return outpost.Statement{}, err
	}
	return db.withPhotos(ctx, out)
}

// ApproveStatement approves a draft at the time at (zero: now).
func (db *DB) ApproveStatement(ctx context.Context, id int64, at time.Time) (outpost.Statement, error) {
	return db.step(ctx, id, "approve", outpost.StatementDraft, outpost.StatementApproved, at)
}

// PublishStatement makes an approved statement public at the time at
// (zero: now).
func (db *DB) PublishStatement(ctx context.Context, id int64, at time.Time) (outpost.Statement, error) {
	return db.step(ctx, id, "publish", outpost.StatementApproved, outpost.StatementPublished, at)
}

// step moves a statement from one status to the next, recording when and
// by whom.
func (db *DB) step(ctx context.Context, id int64, action string, from, to outpost.StatementStatus, at time.Time) (outpost.Statement, error) {
	var out outpost.Statement
	err := db.update(ctx, func(t *tx) error {
		s, err := t.loadStatement(ctx, id)
		if err != nil {
			return err
		}
		if s.Status != from {
			return stepConflict(s, action)
		}
		now := db.Now().Truncate(time.Second).UTC()
		if at.IsZero() {
			at = now
		}
		at = at.Truncate(time.Second).UTC()
		actor := outpost.ActorFrom(ctx)
		col := "approved"
		if to == outpost.StatementPublished {
			col = "published"
			s.Published, s.PublishedBy = at, actor
		} else {
			s.Approved, s.ApprovedBy = at, actor
		}
		s.Status, s.Updated = to, now
		if _, err := t.exec(ctx, `UPDATE statements SET status = ?, `+col+` = ?, `+col+`_by = ?, updated = ?
			WHERE id = ? AND status = ?`, string(to), at.Unix(), actor, now.Unix(), id, string(from)); err != nil {
			return err
		}
		out = s
		return t.audit(ctx, action, "statement", idString(id), s.Mission,
			auditStatement{ID: id, Status: string(from)}, auditStatement{ID: id, Title: s.Title, Status: string(to), At: at.Unix()})
	})
	if err != nil {
		return outpost.Statement{}, err
	}
	return db.withPhotos(ctx, out)
}

// stepConflict explains why a statement cannot take a step.
func stepConflict(s outpost.Statement, action string) error {
	switch {
	case action == "publish" && s.Status == outpost.StatementDraft:
		return outpost.Errorf(outpost.ECONFLICT, "statement %d is not approved: it is a draft; approve it first (outpost statement approve %d)", s.ID, s.ID)
	case s.Status == outpost.StatementPublished:
		return outpost.Errorf(outpost.ECONFLICT, "statement %d is already published", s.ID)
	case action == "approve":
		return outpost.Errorf(outpost.ECONFLICT, "statement %d is already approved", s.ID)
	}
	return outpost.Errorf(outpost.ECONFLICT, "statement %d cannot be %sd: it is %s", s.ID, action, s.Status)
}

// Statement returns one statement with its photos' descriptions, or
// ENOTFOUND.
func (db *DB) Statement(ctx context.Context, id int64) (outpost.Statement, error) {
	s, err := scanStatement(db.queryRow(ctx, `SELECT `+statementCols+` FROM statements WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return s, outpost.Errorf(outpost.ENOTFOUND, "no statement %d", id)
	}
	if err != nil {
		return s, db.wrap(err)
	}
	return db.withPhotos(ctx, s)
}

func (db *DB) withPhotos(ctx context.Context, s outpost.Statement) (outpost.Statement, error) {
	list := []outpost.Statement{s}
	if err := db.loadPhotos(ctx, list); err != nil {
		return outpost.Statement{}, err
	}
	return list[0], nil
}

// Statements lists statements: published ones newest publication first,
// then the others newest first.
func (db *DB) Statements(ctx context.Context, f outpost.StatementFilter) ([]outpost.Statement, error) {
	var where []string
	var args []any
	if f.Mission != "" {
		where = append(where, "mission = ?")
		args = append(args, f.Mission)
	}
	if f.Status != "" {
		where = append(where, "status = ?")
		args = append(args, string(f.Status))
	}
	if !f.PublishedFrom.IsZero() {
		where = append(where, "published >= ?")
		args = append(args, f.PublishedFrom.Unix())
	}
	if !f.PublishedTo.IsZero() {
		where = append(where, "published <= ?")
		args = append(args, f.PublishedTo.Unix())
	}
	q := `SELECT ` + statementCols + ` FROM statements`
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, " AND ")
	}
	q += ` ORDER BY CASE WHEN published IS NULL THEN 1 ELSE 0 END, published DESC, id DESC`
	if f.Limit > 0 {
		q += ` LIMIT ?`
		args = append(args, f.Limit)
	}
	rows, err := db.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	out := []outpost.Statement{}
	for rows.Next() {
		s, err := scanStatement(rows)
		if err != nil {
			rows.Close()
			return nil, db.wrap(err)
		}
		out = append(out, s)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, db.wrap(err)
	}
	if err := db.loadPhotos(ctx, out); err != nil {
		return nil, err
	}
	return out, nil
}

const photoInfoCols = `id, statement_id, name, caption, content_type, size, width, height, added`

func scanPhotoInfo(dest *outpost.PhotoInfo, extra ...any) []any {
	return append([]any{&dest.ID, &dest.Statement, &dest.Name, &dest.Caption, &dest.Type, &dest.Size,
		&dest.Width, &dest.Height}, extra...)
}

// loadPhotos fills in the photos' descriptions of list, in chunks of
// statements to keep the number of placeholders modest.
func (db *DB) loadPhotos(ctx context.Context, list []outpost.Statement) error {
	idx := make(map[int64]int, len(list))
	for i := range list {
		idx[list[i].ID] = i
	}
	const chunk = 500
	for lo := 0; lo < len(list); lo += chunk {
		hi := min(lo+chunk, len(list))
		args := make([]any, 0, hi-lo)
		for _, s := range list[lo:hi] {
			args = append(args, s.ID)
		}
		rows, err := db.query(ctx, `SELECT `+photoInfoCols+` FROM statement_photos
			WHERE statement_id IN `+inList(len(args))+` ORDER BY statement_id, id`, args...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var p outpost.PhotoInfo
			var added int64
			if err := rows.Scan(scanPhotoInfo(&p, &added)...); err != nil {
				rows.Close()
				return db.wrap(err)
			}
			p.Added = time.Unix(added, 0).UTC()
			s := &list[idx[p.Statement]]
			s.Photos = append(s.Photos, p)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return db.wrap(err)
		}
	}
	return nil
}

// AddPhoto attaches a checked photo to a draft or approved statement,
// which goes back to draft.
func (db *DB) AddPhoto(ctx context.Context, statement int64, p outpost.Photo) (outpost.PhotoInfo, error) {
	if err := photo.Check(&p); err != nil {
		return outpost.PhotoInfo{}, err
	}
	p.Statement = statement
	p.Added = db.Now().Truncate(time.Second).UTC()
	err := db.update(ctx, func(t *tx) error {
		s, err := t.loadStatement(ctx, statement)
		if err != nil {
			return err
		}
		if s.IsPublic() {
			return outpost.Errorf(outpost.ECONFLICT, "statement %d is published: a published statement cannot be changed", statement)
		}
		var n int
		if err := t.queryRow(ctx, `SELECT COUNT(*) FROM statement_photos WHERE statement_id = ?`, statement).Scan(&n); err != nil {
			return err
		}
		if n >= outpost.MaxPhotos {
			return outpost.Errorf(outpost.ECONFLICT, "statement %d already has %d photos, the most it may have", statement, outpost.MaxPhotos)
		}
		if err := t.queryRow(ctx, `INSERT INTO statement_photos (statement_id, name, caption, content_type, size, width, height, added, data)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			statement, p.Name, p.Caption, p.Type, p.Size, p.Width, p.Height, p.Added.Unix(), p.Data).Scan(&p.ID); err != nil {
			return err
		}
		if s.Status == outpost.StatementApproved {
			if _, err := t.exec(ctx, `UPDATE statements SET status = ?, approved = NULL, approved_by = '', updated = ?
				WHERE id = ?`, string(outpost.StatementDraft), p.Added.Unix(), statement); err != nil {
				return err
			}
		}
		return t.audit(ctx, "attach", "statement", idString(statement), s.Mission, nil, p.PhotoInfo)
	})
	if err != nil {
		return outpost.PhotoInfo{}, err
	}
	return p.PhotoInfo, nil
}

// Photo returns one photo of a statement with its bytes, or ENOTFOUND.
func (db *DB) Photo(ctx context.Context, statement, photo int64) (outpost.Photo, error) {
	var p outpost.Photo
	var added int64
	err := db.queryRow(ctx, `SELECT `+photoInfoCols+`, data FROM statement_photos WHERE id = ? AND statement_id = ?`,
		photo, statement).Scan(scanPhotoInfo(&p.PhotoInfo, &added, &p.Data)...)
	if errors.Is(err, sql.ErrNoRows) {
		return p, outpost.Errorf(outpost.ENOTFOUND, "no photo %d of statement %d", photo, statement)
	}
	p.Added = time.Unix(added, 0).UTC()
	return p, db.wrap(err)
}

// cleanStoredPhotos writes every stored photo again from its pixels
// alone, as photo.Check does for a new one: photos attached before
// photos were cleaned still carry their EXIF (GPS position), XMP and
// comments. A photo that cannot be read whole (cut short, or larger than
// the limits) is removed rather than published with its metadata; the
// audit log says so.
func cleanStoredPhotos(ctx context.Context, t *tx) error {
	var ids []int64
	rows, err := t.query(ctx, `SELECT id FROM statement_photos ORDER BY id`)
	if err != nil {
		return fmt.Errorf("clean photos: %w", err)
	}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return fmt.Errorf("clean photos: %w", err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("clean photos: %w", err)
	}
	ctx = outpost.WithActor(ctx, "migration")
	for _, id := range ids {
		// One photo in memory at a time.
		var p outpost.Photo
		var added int64
		var mission sql.NullString
		err := t.queryRow(ctx, `SELECT `+prefixed("p.", photoInfoCols)+`, p.data, s.mission
			FROM statement_photos p JOIN statements s ON s.id = p.statement_id WHERE p.id = ?`, id).
			Scan(scanPhotoInfo(&p.PhotoInfo, &added, &p.Data, &mission)...)
		if err != nil {
			return fmt.Errorf("clean photo %d: %w", id, err)
		}
		p.Added = time.Unix(added, 0).UTC()
		before := p.PhotoInfo
		if err := photo.Check(&p); outpost.ErrorCode(err) == outpost.EINVALID {
			if _, err := t.exec(ctx, `DELETE FROM statement_photos WHERE id = ?`, id); err != nil {
				return fmt.Errorf("remove photo %d: %w", id, err)
			}
			if err := t.audit(ctx, "detach", "statement", idString(p.Statement), mission.String, before,
				"removed: it could not be cleaned of its metadata: "+outpost.ErrorMessage(err)); err != nil {
				return fmt.Errorf("remove photo %d: %w", id, err)
			}
			continue
		} else if err != nil {
			return fmt.Errorf("clean photo %d: %w", id, err)
		}
		if _, err := t.exec(ctx, `UPDATE statement_photos SET data = ?, content_type = ?, size = ?, width = ?, height = ?
			WHERE id = ?`, p.Data, p.Type, p.Size, p.Width, p.Height, id); err != nil {
			return fmt.Errorf("clean photo %d: %w", id, err)
		}
	}
	return nil
}

// prefixed puts prefix before each of the comma-separated columns cols.
func prefixed(prefix, cols string) string {
	parts := strings.Split(cols, ", ")
	for i := range parts {
		parts[i] = prefix + parts[i]
	}
	return strings.Join(parts, ", ")
}
