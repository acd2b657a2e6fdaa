package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
)

// SaveImportDraft stores an uploaded import file for its preview and
// commit, removing the expired drafts and the owner's oldest beyond keep.
func (db *DB) SaveImportDraft(ctx context.Context, d outpost.ImportDraft, expired time.Time, keep int) (outpost.ImportDraft, error) {
	d.Created = d.Created.Truncate(time.Second).UTC()
	err := db.update(ctx, func(t *tx) error {
		// A claimed draft keeps its row until an hour after its commit.
		if _, err := t.exec(ctx, `DELETE FROM import_drafts WHERE (committed IS NULL AND created < ?) OR committed < ?`,
			expired.Unix(), expired.Unix()); err != nil {
			return err
		}
		if keep > 0 {
			// Only waiting drafts count; a claimed one answers a
			// second commit until its hour is over.
			if _, err := t.exec(ctx, `DELETE FROM import_drafts WHERE owner = ? AND committed IS NULL AND id NOT IN
				(SELECT id FROM import_drafts WHERE owner = ? AND committed IS NULL ORDER BY created DESC, id DESC LIMIT ?)`,
				d.Owner, d.Owner, keep-1); err != nil {
				return err
			}
		}
		return t.queryRow(ctx, `INSERT INTO import_drafts (owner, kind, name, created, data) VALUES (?, ?, ?, ?, ?) RETURNING id`,
			d.Owner, d.Kind, d.Name, d.Created.Unix(), d.Data).Scan(&d.ID)
	})
	if err != nil {
		return outpost.ImportDraft{}, db.wrap(err)
	}
	return d, nil
}

// ImportDraft returns one draft, or ENOTFOUND.
func (db *DB) ImportDraft(ctx context.Context, id int64) (outpost.ImportDraft, error) {
	var d outpost.ImportDraft
	var created int64
	var committed sql.NullInt64
	err := db.queryRow(ctx, `SELECT id, owner, kind, name, created, committed, data FROM import_drafts WHERE id = ?`, id).
		Scan(&d.ID, &d.Owner, &d.Kind, &d.Name, &created, &committed, &d.Data)
	if errors.Is(err, sql.ErrNoRows) {
		return d, outpost.Errorf(outpost.ENOTFOUND, "no import draft %d", id)
	}
	if err != nil {
		return d, db.wrap(err)
	}
	d.Created = time.Unix(created, 0).UTC()
	if committed.Valid {
		d.Committed = time.Unix(committed.Int64, 0).UTC()
	}
	return d, nil
}

// ClaimImportDraft marks a waiting draft committed at at, so that no
// second claim matches it and SaveImportDraft removes it an hour after
// at. The one conditional UPDATE is atomic on both engines, whatever
// commits run at once.
func (db *DB) ClaimImportDraft(ctx context.Context, id int64, owner string, at, expired time.Time) (bool, error) {
	var n int64
	err := db.update(ctx, func(t *tx) error {
		res, err := t.exec(ctx, `UPDATE import_drafts SET committed = ? WHERE id = ? AND owner = ? AND committed IS NULL AND created >= ?`,
			at.Unix(), id, owner, expired.Unix())
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return false, db.wrap(err)
	}
	return n == 1, nil
}

// ReleaseImportDraft makes a draft claimed at at wait again, as if
// uploaded at at (its hour starts again).
func (db *DB) ReleaseImportDraft(ctx context.Context, id int64, owner string, at time.Time) error {
	err := db.update(ctx, func(t *tx) error {
		_, err := t.exec(ctx, `UPDATE import_drafts SET committed = NULL, created = ? WHERE id = ? AND owner = ? AND committed = ?`,
			at.Unix(), id, owner, at.Unix())
		return err
	})
	return db.wrap(err)
}

// DeleteImportDraft removes a draft of owner.
func (db *DB) DeleteImportDraft(ctx context.Context, id int64, owner string) error {
	err := db.update(ctx, func(t *tx) error {
		_, err := t.exec(ctx, `DELETE FROM import_drafts WHERE id = ? AND owner = ?`, id, owner)
		return err
	})
	return db.wrap(err)
}

// peopleByIDChunk bounds the ids of one query (SQLite takes at most
// 32,766 parameters; PostgreSQL 65,535).
const peopleByIDChunk = 500

// PeopleByID returns the people with these ids that exist, by id: the
// preview of a people import compares every row with one query per
// chunk of ids instead of one per row.
func (db *DB) PeopleByID(ctx context.Context, ids []string) (map[string]outpost.Person, error) {
	out := make(map[string]outpost.Person, len(ids))
	for len(ids) > 0 {
		chunk := ids[:min(len(ids), peopleByIDChunk)]
		ids = ids[len(chunk):]
		rows, err := db.query(ctx, `SELECT `+personCols+` FROM people WHERE id IN `+inList(len(chunk)), stringArgs(chunk)...)
		if err != nil {
			return nil, db.wrap(err)
		}
		for rows.Next() {
			p, err := scanPerson(rows)
			if err != nil {
				rows.Close()
				return nil, db.wrap(err)
			}
			out[p.ID] = p
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, db.wrap(err)
		}
	}
	return out, nil
}
