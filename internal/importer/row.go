package importer

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/outpost-org/outpost/internal/outpost"
)

// Row is one data row being parsed; its methods read a column and record a
// located problem when the value is wrong.
type Row struct {
	line     int
	values   []string
	idx      map[string]int
	serial   bool
	problems []located
}

// Line returns the row's line in the file.
func (r *Row) Line() int { return r.line }

// Str returns the column's value with surrounding spaces removed, or ""
// when the file has no such column.
func (r *Row) Str(col string) string {
	i, ok := r.idx[col]
	if !ok || i >= len(r.values) {
		return ""
	}
	return strings.TrimSpace(r.values[i])
}

// Problem records that col is wrong.
func (r *Row) Problem(col, got, message string) {
	r.problems = append(r.problems, located{line: r.line, column: col, message: message, got: got, hasGot: true})
}

// Missing records that a required col is empty.
func (r *Row) Missing(col string) {
	r.problems = append(r.problems, located{line: r.line, column: col, message: "is required"})
}

func (r *Row) hasProblem(col string) bool {
	for _, p := range r.problems {
		if p.column == col {
			return true
		}
	}
	return false
}

// OK reports whether the row has no problem so far.
func (r *Row) OK() bool { return len(r.problems) == 0 }

// Required returns the column's value, recording a problem when it is empty.
func (r *Row) Required(col string) string {
	v := r.Str(col)
	if v == "" {
		r.Missing(col)
	}
	return v
}

// Enum returns the column's value if it is one of list; def when empty
// (a required column has def "").
func (r *Row) Enum(col string, list []string, def string) string {
	v := r.Str(col)
	if v == "" {
		if def == "" {
			r.Missing(col)
		}
		return def
	}
	if !slices.Contains(list, v) {
		r.Problem(col, v, "must be one of "+strings.Join(list, ", "))
	}
	return v
}

// Code returns a code column (letters, digits, '-' and '_').
func (r *Row) Code(col string) string {
	v := r.Required(col)
	if v != "" && !outpost.IsCode(v) {
		r.Problem(col, v, "must be 1 to 32 letters, digits, '-' or '_'")
	}
	return v
}

// ID returns an id column (see outpost.IsID).
func (r *Row) ID(col string) string {
	v := r.Required(col)
	if v != "" && !outpost.IsID(v) {
		r.Problem(col, outpost.Clip(v), outpost.IDPattern)
	}
	return v
}

// Country returns an ISO 3166-1 alpha-2 code; empty is allowed unless
// required.
func (r *Row) Country(col string, required bool) string {
	v := r.Str(col)
	if v == "" {
		if required {
			r.Missing(col)
		}
		return ""
	}
	if !outpost.IsCountry(v) {
		msg := "is not an ISO 3166-1 alpha-2 country code"
		if u := strings.ToUpper(v); outpost.IsCountry(u) {
			msg += " (write it in upper case: " + u + ")"
		} else {
			msg += " (two upper-case letters, e.g. RU, DE, KP)"
		}
		r.Problem(col, v, msg)
	}
	return v
}

// Date returns an optional date column (YYYY-MM-DD; in XLSX also a date
// cell).
func (r *Row) Date(col string) outpost.Date {
	v := r.Str(col)
	if v == "" {
		return ""
	}
	if r.serial {
		if f, err := strconv.ParseFloat(v, 64); err == nil && f >= 1 && f < 2958466 && f == math.Trunc(f) {
			// Spreadsheet serial day: day 1 is 1900-01-01, with the
			// historical phantom 1900-02-29 (so the epoch is 1899-12-30).
			return outpost.DateOf(time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(f)))
		}
	}
	d, err := outpost.ParseDate(v)
	if err != nil {
		r.Problem(col, v, err.Error())
	}
	return d
}

// RequiredDate returns a date column that must be given.
func (r *Row) RequiredDate(col string) outpost.Date {
	if r.Str(col) == "" {
		r.Missing(col)
		return ""
	}
	return r.Date(col)
}

// Time returns an optional time column (RFC 3339, YYYY-MM-DDTHH:MM in loc,
// or a bare date meaning the end of that day); ok is false when empty.
func (r *Row) Time(col string, loc *time.Location) (time.Time, bool) {
	v := r.Str(col)
	if v == "" {
		return time.Time{}, false
	}
	if r.serial {
		if f, err := strconv.ParseFloat(v, 64); err == nil && f >= 1 && f < 2958466 {
			day := time.Date(1899, 12, 30, 0, 0, 0, 0, loc)
			return day.Add(time.Duration(f * 24 * float64(time.Hour))).Round(time.Minute), true
		}
	}
	t, err := outpost.ParseTime(v, loc)
	if err != nil {
		r.Problem(col, v, err.Error())
		return time.Time{}, false
	}
	return t, true
}

// Bool returns a true/false column; empty is false.
func (r *Row) Bool(col string) bool {
	switch strings.ToLower(r.Str(col)) {
	case "", "false", "0", "no":
		return false
	case "true", "1", "yes":
		return true
	}
	r.Problem(col, r.Str(col), "must be true or false")
	return false
}

// Int returns a whole-number column within [lo, hi]; empty gives def.
func (r *Row) Int(col string, lo, hi, def int) int {
	v := r.Str(col)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		if f, ferr := strconv.ParseFloat(v, 64); ferr == nil && f == math.Trunc(f) && math.Abs(f) < 1e15 {
			n, err = int(f), nil // spreadsheets write 3 as 3.0
		}
	}
	if err != nil {
		r.Problem(col, v, "must be a whole number")
		return def
	}
	if n < lo || n > hi {
		if hi == math.MaxInt32 {
			r.Problem(col, v, "must be a whole number ≥ "+strconv.Itoa(lo))
		} else {
			r.Problem(col, v, "must be a whole number from "+strconv.Itoa(lo)+" to "+strconv.Itoa(hi))
		}
	}
	return n
}

// Decimal returns a decimal column (a dot as the decimal separator); ok is
// false when empty or wrong.
func (r *Row) Decimal(col string) (float64, bool) {
	v := r.Str(col)
	if v == "" {
		return 0, false
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		msg := "must be a decimal number"
		if strings.Contains(v, ",") {
			msg += " with a dot, not a comma, before the decimals"
		}
		r.Problem(col, v, msg)
		return 0, false
	}
	return f, true
}
