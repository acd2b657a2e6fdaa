package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
)

// SaveImportDraft stores an uploaded import file for its preview and
// commit, removing the expired drafts and the owner's oldest beyond keep.
func (db *DB) SaveImportDraft(ctx context.Context, d outpost.ImportDraft, expired time.Time, keep int) (outpost.ImportDraft, error) {
	d.Created = d.Created.Truncate(time.Second).UTC()
	err := db.update(ctx, func(t *tx) error {
		if _, err := t.exec(ctx, `DELETE FROM import_drafts WHERE created < ?`, expired.Unix()); err != nil {
			return err
		}
		if keep > 0 {
			if _, err := t.exec(ctx, `DELETE FROM import_drafts WHERE owner = ? AND id NOT IN
				(SELECT id FROM import_drafts WHERE owner = ? ORDER BY created DESC, id DESC LIMIT ?)`,
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
	err := db.queryRow(ctx, `SELECT id, owner, kind, name, created, data FROM import_drafts WHERE id = ?`, id).
		Scan(&d.ID, &d.Owner, &d.Kind, &d.Name, &created, &d.Data)
	if errors.Is(err, sql.ErrNoRows) {
		return d, outpost.Errorf(outpost.ENOTFOUND, "no import draft %d", id)
	}
	if err != nil {
		return d, db.wrap(err)
	}
	d.Created = time.Unix(created, 0).UTC()
	return d, nil
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
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		marks := strings.TrimSuffix(strings.Repeat("?, ", len(chunk)), ", ")
		rows, err := db.query(ctx, `SELECT `+personCols+` FROM people WHERE id IN (`+marks+`)`, args...)
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
