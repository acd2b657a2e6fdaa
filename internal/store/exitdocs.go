package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"

	"github.com/outpost-org/outpost/internal/outpost"
)

const exitDocCols = `person_id, sex, passport_expiry, permit_status, permit_number, permit_from, permit_to,
	permit_authority, quarantine_until, staying`

func scanExitDocs(sc interface{ Scan(...any) error }) (outpost.ExitDocuments, error) {
	var d outpost.ExitDocuments
	var exp, from, to, quar string
	err := sc.Scan(&d.Person, &d.Sex, &exp, &d.PermitStatus, &d.PermitNumber, &from, &to, &d.PermitAuthority, &quar, &d.Staying)
	d.PassportExpiry, d.PermitFrom, d.PermitTo, d.QuarantineUntil = outpost.Date(exp), outpost.Date(from), outpost.Date(to), outpost.Date(quar)
	return d, err
}

func exitDocValues(d *outpost.ExitDocuments) []any {
	return []any{d.Person, d.Sex, string(d.PassportExpiry), d.PermitStatus, d.PermitNumber, string(d.PermitFrom),
		string(d.PermitTo), d.PermitAuthority, string(d.QuarantineUntil), d.Staying}
}

// ExitDocuments returns a person's exit documents (the zero value with
// Person set when none are recorded), ENOTFOUND for no such person.
func (db *DB) ExitDocuments(ctx context.Context, person string) (outpost.ExitDocuments, error) {
	d, err := scanExitDocs(db.queryRow(ctx, `SELECT p.id, COALESCE(d.sex, ''), COALESCE(d.passport_expiry, ''),
		COALESCE(d.permit_status, ''), COALESCE(d.permit_number, ''), COALESCE(d.permit_from, ''), COALESCE(d.permit_to, ''),
		COALESCE(d.permit_authority, ''), COALESCE(d.quarantine_until, ''), COALESCE(d.staying, FALSE)
		FROM people p LEFT JOIN exit_documents d ON d.person_id = p.id WHERE p.id = ?`, person))
	if errors.Is(err, sql.ErrNoRows) {
		return outpost.ExitDocuments{}, outpost.Errorf(outpost.ENOTFOUND, "no person %q", person)
	}
	if err != nil {
		return outpost.ExitDocuments{}, db.wrap(fmt.Errorf("read exit documents of %s: %w", person, err))
	}
	return d, nil
}

// AllExitDocuments returns every recorded person's exit documents by id.
func (db *DB) AllExitDocuments(ctx context.Context) (map[string]outpost.ExitDocuments, error) {
	rows, err := db.query(ctx, `SELECT `+exitDocCols+` FROM exit_documents`)
	if err != nil {
		return nil, db.wrap(fmt.Errorf("read exit documents: %w", err))
	}
	defer rows.Close()
	out := map[string]outpost.ExitDocuments{}
	for rows.Next() {
		d, err := scanExitDocs(rows)
		if err != nil {
			return nil, db.wrap(fmt.Errorf("read exit documents: %w", err))
		}
		out[d.Person] = d
	}
	return out, db.wrap(rows.Err())
}

// SetExitDocuments replaces a person's exit documents, audited with the
// version before and after, in one transaction.
func (db *DB) SetExitDocuments(ctx context.Context, d outpost.ExitDocuments) error {
	if probs := d.Validate(); len(probs) > 0 {
		f := probs[0]
		return outpost.Errorf(outpost.EINVALID, "%s: %s (got %q)", f.Field, f.Message, f.Got)
	}
	return db.update(ctx, func(t *tx) error {
		var mission string
		err := t.queryRow(ctx, `SELECT mission FROM people WHERE id = ?`, d.Person).Scan(&mission)
		if errors.Is(err, sql.ErrNoRows) {
			return outpost.Errorf(outpost.ENOTFOUND, "no person %q", d.Person)
		}
		if err != nil {
			return err
		}
		before, err := scanExitDocs(t.queryRow(ctx, `SELECT `+exitDocCols+` FROM exit_documents WHERE person_id = ?`, d.Person))
		if errors.Is(err, sql.ErrNoRows) {
			before = outpost.ExitDocuments{Person: d.Person}
		} else if err != nil {
			return err
		}
		if err := writeExitDocs(ctx, sqlRunner{t}, []outpost.ExitDocuments{d}); err != nil {
			return err
		}
		return t.audit(ctx, "update", "exit_documents", d.Person, mission, before, d)
	})
}

// writeExitDocs replaces the documents of each person in ds inside a
// transaction: a zero value removes the row.
func writeExitDocs(ctx context.Context, r runner, ds []outpost.ExitDocuments) error {
	for i := range ds {
		if err := putExitDocs(ctx, r, &ds[i], true); err != nil {
			return err
		}
	}
	return nil
}

// putExitDocs writes d as a person's exit documents, first removing the
// row recorded (when there is one); a zero d leaves no row.
func putExitDocs(ctx context.Context, r runner, d *outpost.ExitDocuments, recorded bool) error {
	if recorded {
		if _, err := r.exec(ctx, `DELETE FROM exit_documents WHERE person_id = ?`, d.Person); err != nil {
			return fmt.Errorf("write exit documents of %s: %w", d.Person, err)
		}
	}
	if d.IsZero() {
		return nil
	}
	if _, err := r.exec(ctx, `INSERT INTO exit_documents (`+exitDocCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		exitDocValues(d)...); err != nil {
		return fmt.Errorf("write exit documents of %s: %w", d.Person, err)
	}
	return nil
}

// importedDocs are the exit documents of one people row: the fields of
// cols (nil: all) to set, the row's line and the person's mission.
type importedDocs struct {
	docs    outpost.ExitDocuments
	cols    []string
	line    int
	mission string
}

// collectExitDocs passes the rows of b through and keeps the exit
// documents of those whose file has the columns, for the import to write
// after the people (the rows are read once, as they stream). The slice
// is complete once the rows have all been read.
func collectExitDocs(b outpost.Batch[outpost.PersonRecord]) (outpost.Batch[outpost.PersonRecord], *[]importedDocs) {
	docs := new([]importedDocs)
	rows := func(yield func(outpost.PersonRecord) bool) {
		for r := range b.Rows {
			if r.Documents != nil {
				d := *r.Documents
				d.Person = r.ID
				*docs = append(*docs, importedDocs{docs: d, cols: r.DocColumns, line: r.Line, mission: r.Mission})
			}
			if !yield(r) {
				return
			}
		}
	}
	return outpost.Batch[outpost.PersonRecord]{Rows: rows, Err: b.Err}, docs
}

// importDocsChunk is how many people's recorded documents an import
// reads in one query.
const importDocsChunk = 500

// writeImportedDocs writes the exit documents of a people import inside
// its transaction: each row's fields merged into what is recorded (a file
// with some of the columns sets those), the whole checked as the form
// checks it, and each person whose documents change audited with both
// versions, as the form's save is (entity exit_documents, action
// import). Documents that do not change are not written. A merged record
// that breaks a rule refuses the import with the rows located.
func writeImportedDocs(ctx context.Context, r runner, now int64, all []importedDocs) error {
	var probs outpost.RowProblems
	var audits []auditRow
	for chunk := range slices.Chunk(all, importDocsChunk) {
		ids := make([]any, len(chunk))
		for i := range chunk {
			ids[i] = chunk[i].docs.Person
		}
		recorded := make(map[string]outpost.ExitDocuments, len(chunk))
		q := `SELECT ` + exitDocCols + ` FROM exit_documents WHERE person_id IN ` + inList(len(ids))
		err := r.each(ctx, q, ids, func(sc interface{ Scan(...any) error }) error {
			d, err := scanExitDocs(sc)
			recorded[d.Person] = d
			return err
		})
		if err != nil {
			return fmt.Errorf("read exit documents: %w", err)
		}
		for i := range chunk {
			in := &chunk[i]
			before, ok := recorded[in.docs.Person]
			if !ok {
				before = outpost.ExitDocuments{Person: in.docs.Person}
			}
			after := before.Merge(in.docs, in.cols)
			if p := after.Validate(); len(p) > 0 {
				probs = appendProblems(probs, in.line, p)
				continue
			}
			if after == before || len(probs) > 0 {
				continue
			}
			// A person with nothing recorded has no row to remove.
			if err := putExitDocs(ctx, r, &after, ok); err != nil {
				return err
			}
			b, err := jsonMarshal(before)
			if err != nil {
				return fmt.Errorf("encode the audit entry of %s: %w", after.Person, err)
			}
			audits = append(audits, auditRow{action: "import", entity: "exit_documents", id: after.Person, mission: in.mission,
				before: string(b), after: after})
		}
	}
	if len(probs) > 0 {
		return refused("people", probs)
	}
	return auditDocs(ctx, r, now, audits)
}

// auditDocs writes the audit entries of imported exit documents, many to
// a statement.
func auditDocs(ctx context.Context, r runner, now int64, rows []auditRow) error {
	actor := outpost.ActorFrom(ctx)
	for chunk := range slices.Chunk(rows, auditRowsPerInsert) {
		q, args, err := auditInsert(now, actor, chunk)
		if err != nil {
			return err
		}
		if _, err := r.exec(ctx, q, args...); err != nil {
			return fmt.Errorf("audit exit documents: %w", err)
		}
	}
	return nil
}
