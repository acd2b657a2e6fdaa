package outpost

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// The bounds of every value that enters Outpost, from a file, the API, a
// web form or the command line. They are defined here once so that every
// entry point refuses the same things with the same words, and so that no
// later computation (a loop over days, a sum of quantities, a page that
// lists names) meets a value it was not written for.
//
// Dates: every date and time lies between FirstDate and LastDate. A birth
// date cannot be earlier (nobody registered was born before 1900) and no
// plan, receipt or event needs to be later; a date written 9999-12-31 or
// 0001-01-01 is a typing mistake, not a sentinel. A tracked event lies at
// or after the person's registration and at most MaxFuture after the
// clock. A range of days asked for (a headcount series) spans at most
// MaxRangeDays.
//
// Quantities: finite, and at most MaxQuantity in any one receipt, issue,
// transfer or daily ration, so that sums over millions of rows stay far
// from overflow to +Inf. Seats and staff counts are at most MaxCount.
//
// Text: at most a set number of characters per field (MaxName, MaxLabel,
// MaxNote, MaxTitle, MaxBody), valid UTF-8, and without control
// characters; only multi-line fields (notes, bodies) may hold tabs and
// line breaks.
//
// Ids: see IsID.
const (
	// MaxFuture is how far after the clock a tracked event may lie: a
	// checkpoint recorded ahead of time by a few hours, or from a post in
	// another time zone, is fine; one a week ahead is a mistake.
	MaxFuture = 24 * time.Hour
	// MaxRangeDays is the longest range of days a query may ask for: ten
	// years.
	MaxRangeDays = 3660
	// MaxQuantity is the largest quantity of one receipt, issue, transfer
	// or daily ration, in the item's unit.
	MaxQuantity = 1e9
	// MaxCount is the largest count of seats or staff.
	MaxCount = 1_000_000
	// MaxName is the longest name, in characters: a person's given or
	// family name, a mission's or item's name, a departure's route, a
	// restriction's source.
	MaxName = 200
	// MaxLabel is the longest short label, in characters: an item's unit,
	// a passport number.
	MaxLabel = 100
	// MaxNote is the longest note, in characters.
	MaxNote = 2000
	// MaxIDLen is the longest id, in bytes.
	MaxIDLen = 64
)

// FirstDate and LastDate are the first and last dates Outpost accepts.
const (
	FirstDate Date = "1900-01-01"
	LastDate  Date = "2100-12-31"
)

// firstYear and lastYear are the years of FirstDate and LastDate.
const (
	firstYear = 1900
	lastYear  = 2100
)

// DateWindow says which dates are accepted, for messages.
var DateWindow = "want a date from " + string(FirstDate) + " to " + string(LastDate)

// epoch is the day number of 1970-01-01 counted from 0001-01-01 = 1, as
// supply.Date counts, so that the two day numbers agree.
const epoch = 719163

// Day returns the date's day number: 0001-01-01 is day 1, so that days
// count and compare as integers (the same numbering as supply.Date). It
// returns 0 for a Date that is not a calendar date. Loops over days step
// this number, never the text, which sorts wrongly past year 9999.
func (d Date) Day() int {
	s := string(d)
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return 0
	}
	y, e1 := strconv.Atoi(s[0:4])
	m, e2 := strconv.Atoi(s[5:7])
	dd, e3 := strconv.Atoi(s[8:10])
	if e1 != nil || e2 != nil || e3 != nil || y < 1 || m < 1 || m > 12 || dd < 1 || dd > 31 {
		return 0
	}
	t := time.Date(y, time.Month(m), dd, 0, 0, 0, 0, time.UTC)
	if t.Day() != dd {
		return 0
	}
	return int(t.Unix()/86400) + epoch
}

// DateOfDay returns the date of a day number (see Date.Day).
func DateOfDay(n int) Date {
	return DateOf(time.Unix(int64(n-epoch)*86400, 0).UTC())
}

// InWindow reports whether d lies between FirstDate and LastDate.
func (d Date) InWindow() bool {
	return d >= FirstDate && d <= LastDate && len(d) == len(FirstDate)
}

// TimeInWindow reports whether t falls in a year from that of FirstDate to
// that of LastDate, read in t's own location.
func TimeInWindow(t time.Time) bool {
	y := t.Year()
	return y >= firstYear && y <= lastYear
}

// CheckEventTime says what is wrong with at as the time of an event of a
// person registered at registered (zero when unknown), with the clock at
// now (zero to skip the check), or "" when it is fine.
func CheckEventTime(at, registered, now time.Time) string {
	switch {
	case !TimeInWindow(at):
		return "is outside the years " + strconv.Itoa(firstYear) + " to " + strconv.Itoa(lastYear)
	case !registered.IsZero() && at.Before(registered):
		return "is before the person was registered (" + registered.UTC().Format(time.RFC3339) + ")"
	case !now.IsZero() && at.After(now.Add(MaxFuture)):
		return "is more than a day in the future"
	}
	return ""
}

// CheckQuantity says what is wrong with q as a quantity (a receipt, issue
// or transfer: above 0, finite, at most MaxQuantity), or "" when it is
// fine.
func CheckQuantity(q float64) string {
	switch {
	case !(q > 0):
		return "must be a number greater than 0"
	case q > MaxQuantity:
		return "must be at most " + FormatQuantity(MaxQuantity)
	}
	return ""
}

// CheckRate says what is wrong with q as a daily ration (0 allowed), or ""
// when it is fine.
func CheckRate(q float64) string {
	switch {
	case !(q >= 0):
		return "must be a number ≥ 0"
	case q > MaxQuantity:
		return "must be at most " + FormatQuantity(MaxQuantity)
	}
	return ""
}

// CheckLine says what is wrong with s as one line of text of at most max
// characters, or "" when it is fine: no control characters at all.
func CheckLine(s string, max int) string {
	return checkText(s, max, false)
}

// CheckText says what is wrong with s as text of at most max characters
// that may run over several lines (tabs and line breaks allowed, no other
// control characters), or "" when it is fine.
func CheckText(s string, max int) string {
	return checkText(s, max, true)
}

func checkText(s string, max int, multiline bool) string {
	// A byte count bounds the rune count from above: the common case costs
	// nothing, and a 100 MB value is refused before it is counted.
	if len(s) > max && (len(s) > 4*max || utf8.RuneCountInString(s) > max) {
		return fmt.Sprintf("is longer than %d characters", max)
	}
	if !utf8.ValidString(s) {
		return "is not UTF-8 text"
	}
	for _, r := range s {
		if multiline && (r == '\t' || r == '\n' || r == '\r') {
			continue
		}
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			if r == 0 {
				return "holds a NUL character"
			}
			if multiline {
				return fmt.Sprintf("holds the control character %U (only tabs and line breaks are allowed)", r)
			}
			return fmt.Sprintf("holds the control character %U (it must be one line of text)", r)
		}
	}
	return ""
}

// Line records a problem when s is not one line of at most max characters.
func (p *Problems) Line(field, s string, max int) {
	if msg := CheckLine(s, max); msg != "" {
		p.Add(field, clip(s), msg)
	}
}

// Text records a problem when s is not text of at most max characters.
func (p *Problems) Text(field, s string, max int) {
	if msg := CheckText(s, max); msg != "" {
		p.Add(field, clip(s), msg)
	}
}

// clip shortens a refused value so that a message quoting it stays short.
func clip(s string) string {
	const n = 40
	if len(s) <= n {
		return s
	}
	i := n
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i] + "…"
}

// Clip shortens a refused value for a message that quotes it: a 100 MB
// name is shown by its first few characters.
func Clip(s string) string { return clip(s) }

// IDPattern describes the ids IsID accepts, for messages.
const IDPattern = "must be 1 to 64 letters, digits, '-', '_' or '.', starting with a letter or digit"

// IsID reports whether s can be a record id (of a person, household,
// departure, restriction or lot): 1 to 64 ASCII letters, digits, '-', '_'
// or '.', the first a letter or digit. Ids appear in URL paths and file
// names, so nothing in them may be read as a path separator, query, or
// fragment ("RU/../../x", "RU-7006?x=1#y").
func IsID(s string) bool {
	if s == "" || len(s) > MaxIDLen || !isAlnum(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		if c := s[i]; !isAlnum(c) && c != '-' && c != '_' && c != '.' {
			return false
		}
	}
	return true
}

func isAlnum(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
}

// CheckDateRange says what is wrong with the range of days from first to
// last (both in the window), or "" when it is fine.
func CheckDateRange(first, last Date) string {
	if n := last.Day() - first.Day(); n < 0 || n > MaxRangeDays {
		return fmt.Sprintf("want to on or after from, at most %d days later", MaxRangeDays)
	}
	return ""
}

// blank reports whether s holds nothing but spaces.
func blank(s string) bool { return strings.TrimSpace(s) == "" }

// Check says what is wrong with the filter's text, as an EINVALID *Error
// naming the query parameter, or returns nil. A search is one line of at
// most MaxName characters (SQLite refuses a LIKE pattern past 50,000
// bytes, and PostgreSQL any NUL), and a cursor is a person's id.
func (f PeopleFilter) Check() error {
	if msg := CheckLine(f.Query, MaxName); msg != "" {
		return Errorf(EINVALID, "q: %s (got %q)", msg, clip(f.Query))
	}
	if f.After != "" && !IsID(f.After) {
		return Errorf(EINVALID, "after: is not a person's id: %s (got %q)", IDPattern, clip(f.After))
	}
	if f.Mission != "" && !IsCode(f.Mission) {
		return Errorf(EINVALID, "mission: is not a mission code (got %q)", clip(f.Mission))
	}
	return nil
}
