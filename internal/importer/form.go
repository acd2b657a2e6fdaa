package importer

import (
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/outpost-org/outpost/internal/outpost"
)

// FieldErrors are the problems of one record typed into a form, each on
// the column (the form's field) it is about, worded exactly as an import
// of the same row would word them. They are the cause (outpost.Error.Err)
// of the error Form's callers return, so that a page can show each beside
// its input.
type FieldErrors []outpost.FieldError

// Error lists the problems as "column: message (got "VALUE")".
func (p FieldErrors) Error() string {
	parts := make([]string, len(p))
	for i, f := range p {
		parts[i] = FieldDetail(f)
	}
	return strings.Join(parts, "; ")
}

// FieldDetail writes one problem as an import does after its FILE:LINE:
// part: `birth_date: not a date (got "31/02/2021")`.
func FieldDetail(f outpost.FieldError) string {
	s := f.Field + ": " + f.Message
	if f.Got != "" {
		s += " (got " + strconv.Quote(f.Got) + ")"
	}
	return s
}

// Fields returns the problems of err by field, each worded as
// FieldDetail words it without the field (the first of each field), or
// nil when err is not about a form's fields.
func Fields(err error) map[string]string {
	var p FieldErrors
	if !errors.As(err, &p) {
		return nil
	}
	out := map[string]string{}
	for _, f := range p {
		if _, ok := out[f.Field]; !ok {
			out[f.Field] = strings.TrimPrefix(FieldDetail(f), f.Field+": ")
		}
	}
	return out
}

// Invalid returns the EINVALID error of a form whose fields have
// problems, what naming the record ("person RU-0001"); nil when there are
// none.
func Invalid(what string, p FieldErrors) error {
	if len(p) == 0 {
		return nil
	}
	e := &outpost.Error{Code: outpost.EINVALID, Err: p}
	for _, f := range p {
		e.Details = append(e.Details, FieldDetail(f))
	}
	e.Message = what + ": " + strings.Join(e.Details, "; ")
	return e
}

// Form reads one record of a kind from a form's values, keyed by column
// (a column not given is empty), with the very checks an import applies
// to a row: the kind's Parse and Check and the bounds every cell has.
// Columns that the kind does not have are ignored. The problems, none
// when the record is good, come in the kind's column order.
//
// The row has only the columns values gives, as a file has only its
// header's: an optional group of columns that a form does not show (a
// person's exit documents) is then absent, and the write keeps what is
// recorded there instead of clearing it.
func Form[T any](kind Kind[T], values map[string]string) (T, FieldErrors) {
	idx := make(map[string]int, len(kind.Columns))
	cells := make([]string, len(kind.Columns))
	for i, c := range kind.Columns {
		v, ok := values[c]
		if ok {
			idx[c] = i
		}
		cells[i] = v
	}
	row := &Row{line: 1, idx: idx, values: cells}
	var v T
	// The same steps, in the same order, as a row of a file (Reader.all).
	for i, c := range cells {
		if !utf8.ValidString(c) {
			row.problems = append(row.problems, located{line: 1, column: kind.Columns[i], message: "not UTF-8 text", got: strings.ToValidUTF8(c, "?"), hasGot: true})
		}
	}
	if row.OK() {
		v, _ = kind.Parse(row)
		if kind.Check != nil {
			for _, f := range kind.Check(v) {
				if !row.hasProblem(f.Field) {
					row.Problem(f.Field, f.Got, f.Message)
				}
			}
		}
		for i, c := range cells {
			if msg := outpost.CheckText(c, outpost.MaxBody); msg != "" && !row.hasProblem(kind.Columns[i]) {
				row.problems = append(row.problems, located{line: 1, column: kind.Columns[i], message: msg, got: outpost.Clip(c), hasGot: true})
			}
		}
	}
	if row.OK() {
		return v, nil
	}
	order := make(map[string]int, len(kind.Columns))
	for i, c := range kind.Columns {
		order[c] = i
	}
	out := make(FieldErrors, 0, len(row.problems))
	for _, p := range row.problems {
		out = append(out, outpost.FieldError{Field: p.column, Message: p.message, Got: p.got})
	}
	// Stable by column, so that a page lists them in the form's order.
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && order[out[j].Field] < order[out[j-1].Field]; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return v, out
}

// ReadAll reads a whole file of a kind into memory, for a preview and its
// commit: the rows in file order with their lines, or the located error
// an import would give (every problem, as FILE:LINE: COLUMN: …). A file
// small enough for a browser's upload fits in memory.
func ReadAll[T any](kind Kind[T], r interface{ Read([]byte) (int, error) }, opts Options) ([]T, []int, error) {
	rd, err := Open(kind, r, opts)
	if err != nil {
		return nil, nil, err
	}
	defer rd.Close()
	var rows []T
	var lines []int
	for v := range rd.Batch().Rows {
		rows = append(rows, v)
		lines = append(lines, rd.lastLine)
	}
	if err := rd.Err(); err != nil {
		return nil, nil, err
	}
	return rows, lines, nil
}
