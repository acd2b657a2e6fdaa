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
	dates    dateSystem
	local    bool
	problems []located
}

// dateSystem is how a source writes dates as numbers: not at all (CSV,
// JSON), or as spreadsheet serial days counted from the workbook's epoch.
type dateSystem int

const (
	noSerials dateSystem = iota
	// serial1900 is Excel's default: day 1 is 1900-01-01, with the
	// historical phantom 1900-02-29 (so the epoch is 1899-12-30).
	serial1900
	// serial1904 is the date system of workbooks made by Excel for Mac
	// before 2011 (<workbookPr date1904="1"/>): day 0 is 1904-01-01.
	serial1904
)

// epoch returns the day a serial of 0 stands for, at midnight in loc.
func (d dateSystem) epoch(loc *time.Location) time.Time {
	if d == serial1904 {
		return time.Date(1904, 1, 1, 0, 0, 0, 0, loc)
	}
	return time.Date(1899, 12, 30, 0, 0, 0, 0, loc)
}

// serial returns v as a serial day of the date system, ok false when v is
// not one: not a number, or outside 0001..9999 (the first serial of the
// 1900 system is 1, of the 1904 system 0; both end on 9999-12-31).
func (d dateSystem) serial(v string) (float64, bool) {
	if d == noSerials {
		return 0, false
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil {
		return 0, false
	}
	lo, hi := 1.0, 2958466.0
	if d == serial1904 {
		lo, hi = 0, 2958466-1462
	}
	return f, f >= lo && f < hi
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
// cell, in the workbook's date system; in a ';'-separated file also
// D.M.YYYY).
func (r *Row) Date(col string) outpost.Date {
	v := r.Str(col)
	if v == "" {
		return ""
	}
	if f, ok := r.dates.serial(v); ok && f == math.Trunc(f) {
		return outpost.DateOf(r.dates.epoch(time.UTC).AddDate(0, 0, int(f)))
	}
	in := v
	if r.local {
		in = localDate(v)
	}
	d, err := outpost.ParseDate(in)
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
// or a bare date meaning the end of that day; in XLSX also a date-time
// cell, in a ';'-separated file also D.M.YYYY H:MM); ok is false when
// empty.
func (r *Row) Time(col string, loc *time.Location) (time.Time, bool) {
	v := r.Str(col)
	if v == "" {
		return time.Time{}, false
	}
	if f, ok := r.dates.serial(v); ok {
		// The whole days count on the calendar and the fraction is the
		// wall-clock time of that day, to the minute, as the sheet shows it.
		whole := math.Floor(f)
		day := r.dates.epoch(time.UTC).AddDate(0, 0, int(whole))
		mins := int(math.Round((f - whole) * 24 * 60))
		return time.Date(day.Year(), day.Month(), day.Day(), 0, mins, 0, 0, loc), true
	}
	in := v
	if r.local {
		in = localDate(v)
	}
	t, err := outpost.ParseTime(in, loc)
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

// Int returns a whole-number column within [lo, hi]; empty gives def. A
// whole number is written with digits only (and a sign), in every file:
// "1,000" and "1.000" are refused, never read as 1 or as a thousand, since
// which one was meant depends on the program that wrote the file. The one
// fractional form read is a single zero after a dot (3.0), which is how
// spreadsheets and data tools write a whole number from a column of
// decimals, and which no locale writes for anything else.
func (r *Row) Int(col string, lo, hi, def int) int {
	v := r.Str(col)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(strings.TrimSuffix(v, ".0"))
	if err != nil || !wholeNumber(v) {
		msg := "must be a whole number"
		if strings.ContainsAny(v, ",.") {
			msg += ", written with digits only, without a thousands separator or decimals"
		}
		r.Problem(col, v, msg)
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

// wholeNumber reports whether v is digits with an optional sign, and an
// optional ".0" after them.
func wholeNumber(v string) bool {
	v = strings.TrimSuffix(v, ".0")
	if len(v) > 0 && (v[0] == '-' || v[0] == '+') {
		v = v[1:]
	}
	return digits(v)
}

// Decimal returns a decimal column (a dot as the decimal separator; in a
// ';'-separated file also a comma); ok is false when empty or wrong. In a
// ';'-separated file a number with one separator followed by exactly three
// digits after one to three leading digits (2,500 or 2.500) is refused as
// ambiguous: it is a decimal there as often as it is a thousand-grouped
// whole number.
func (r *Row) Decimal(col string) (float64, bool) {
	v := r.Str(col)
	if v == "" {
		return 0, false
	}
	in := v
	if r.local {
		if whole, frac, ok := ambiguousGrouping(v); ok {
			r.Problem(col, v, "is ambiguous: it may be a decimal or a number with a thousands separator; write "+
				whole+frac+" for the whole number or "+whole+","+unambiguousFraction(frac)+" for the decimal")
			return 0, false
		}
		in = localNumber(v)
	}
	f, err := strconv.ParseFloat(in, 64)
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

// ambiguousGrouping reports whether v, read in a ';'-separated file, is
// one to three digits (not a lone leading zero), one ',' or '.', and
// exactly three digits, with an optional sign: the form that means a
// decimal to one program and a thousand-grouped number to another. It
// returns the signed whole part and the three digits.
func ambiguousGrouping(v string) (whole, frac string, ok bool) {
	i := strings.IndexAny(v, ",.")
	if i < 0 {
		return "", "", false
	}
	whole, frac = v[:i], v[i+1:]
	lead := strings.TrimPrefix(strings.TrimPrefix(whole, "-"), "+")
	if len(lead) < 1 || len(lead) > 3 || lead[0] == '0' || !digits(lead) || len(frac) != 3 || !digits(frac) {
		return "", "", false
	}
	return whole, frac, true
}

// unambiguousFraction writes three decimal digits so that they cannot be
// read as a thousands group: without trailing zeros (500 → 5), or with
// one more digit (345 → 3450).
func unambiguousFraction(frac string) string {
	if t := strings.TrimRight(frac, "0"); t != "" && t != frac {
		return t
	} else if t == "" {
		return "0"
	}
	return frac + "0"
}

// localNumber rewrites a number written with a decimal comma (1,5), as
// Excel writes it where the comma is the decimal sign (and ';' separates
// the columns), with a dot; anything else is returned as it is. Only one
// comma between digits counts. A caller refuses the ambiguous 1,500 first
// (see ambiguousGrouping).
func localNumber(v string) string {
	i := strings.IndexByte(v, ',')
	if i < 0 || strings.Count(v, ",") != 1 || !digits(strings.TrimPrefix(v[:i], "-")) || !digits(v[i+1:]) {
		return v
	}
	return v[:i] + "." + v[i+1:]
}

// localDate rewrites a date written day first with dots, D.M.YYYY (how
// Excel writes dates in Russia and most of Europe), optionally followed
// by a time H:MM or H:MM:SS after a space, as YYYY-MM-DD or
// YYYY-MM-DDTHH:MM[:SS]; anything else is returned as it is, for the
// usual parser to judge.
func localDate(v string) string {
	day, clock, timed := strings.Cut(v, " ")
	parts := strings.Split(day, ".")
	if len(parts) != 3 || len(parts[0]) < 1 || len(parts[0]) > 2 || len(parts[1]) < 1 || len(parts[1]) > 2 || len(parts[2]) != 4 ||
		!digits(parts[0]) || !digits(parts[1]) || !digits(parts[2]) {
		return v
	}
	out := parts[2] + "-" + pad2(parts[1]) + "-" + pad2(parts[0])
	if !timed {
		return out
	}
	hms := strings.Split(strings.TrimSpace(clock), ":")
	if len(hms) < 2 || len(hms) > 3 || len(hms[0]) < 1 || len(hms[0]) > 2 || !digits(hms[0]) {
		return v
	}
	for _, p := range hms[1:] {
		if len(p) != 2 || !digits(p) {
			return v
		}
	}
	hms[0] = pad2(hms[0])
	return out + "T" + strings.Join(hms, ":")
}

// digits reports whether s is one or more ASCII digits.
func digits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func pad2(s string) string {
	if len(s) == 1 {
		return "0" + s
	}
	return s
}
