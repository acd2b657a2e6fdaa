package outpost

import (
	"errors"
	"time"
)

// DayNumber is a civil date (a day in the proleptic Gregorian calendar, no time
// and no zone) stored as its day number counted from 0001-01-01 = 1, so that
// dates compare and subtract as integers and the zero DayNumber means "no date",
// which is how a lot without expiry is written. The numbering is that of
// Python's date.toordinal, which keeps testdata easy to produce.
//
// A 32-bit day number keeps ledger rows small (millions of them are replayed
// at once) and makes every date step an integer addition.
type DayNumber int32

// epochDayNumber is the DayNumber of 1970-01-01: 719,162 days lie between 0001-01-01 and
// the Unix epoch.
const epochDayNumber = 719163

// DayNumberOf returns the calendar date of t as seen in t's own location.
func DayNumberOf(t time.Time) DayNumber {
	y, m, d := t.Date()
	return civilToDayNumber(y, int(m), d)
}

// ParseDayNumber reads a date written YYYY-MM-DD (years 0001 to 9999); the empty
// string is an error, as is any other layout or a day that does not exist.
// Its messages say what is wrong but not the value, which the caller (an
// importer reporting FILE:LINE: COLUMN) already shows.
func ParseDayNumber(s string) (DayNumber, error) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return 0, errDayLayout
	}
	y, ok1 := dayDigits(s[0:4])
	m, ok2 := dayDigits(s[5:7])
	d, ok3 := dayDigits(s[8:10])
	if !ok1 || !ok2 || !ok3 {
		return 0, errDayLayout
	}
	if y < 1 {
		return 0, errors.New("year 0000 does not exist")
	}
	if m < 1 || m > 12 {
		return 0, errors.New("month out of range")
	}
	if d < 1 || d > daysInMonth(y, m) {
		return 0, errors.New("day out of range")
	}
	return civilToDayNumber(y, m, d), nil
}

var errDayLayout = errors.New("not a date (want YYYY-MM-DD)")

// dayDigits reads a run of ASCII digits; strconv would also take signs.
func dayDigits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

func daysInMonth(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// String returns the date as YYYY-MM-DD, or "" for the zero DayNumber.
func (d DayNumber) String() string {
	if d == 0 {
		return ""
	}
	y, m, dd := d.civil()
	if y < 0 || y > 9999 {
		// Out of the four-digit range only through arithmetic on dates;
		// time's formatting copes with it.
		return d.Time().Format("2006-01-02")
	}
	b := [10]byte{
		byte('0' + y/1000), byte('0' + y/100%10), byte('0' + y/10%10), byte('0' + y%10), '-',
		byte('0' + m/10), byte('0' + m%10), '-',
		byte('0' + dd/10), byte('0' + dd%10),
	}
	return string(b[:])
}

// Time returns midnight UTC at the start of the date, or the zero time.Time
// for the zero DayNumber.
func (d DayNumber) Time() time.Time {
	if d == 0 {
		return time.Time{}
	}
	return time.Unix(int64(d-epochDayNumber)*86400, 0).UTC()
}

// AddDays returns the date n days after d (before it when n is negative).
func (d DayNumber) AddDays(n int) DayNumber { return d + DayNumber(n) }

// IsZero reports whether d is the zero DayNumber, meaning no date.
func (d DayNumber) IsZero() bool { return d == 0 }

// MarshalText writes the date as YYYY-MM-DD (empty for the zero DayNumber), so
// that a Date field encodes as a JSON string.
func (d DayNumber) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads YYYY-MM-DD; empty text gives the zero DayNumber.
func (d *DayNumber) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = 0
		return nil
	}
	v, err := ParseDayNumber(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// civilToDayNumber is Howard Hinnant's days_from_civil, shifted to day numbers
// from 0001-01-01; plain integer arithmetic, no time.Time on the hot path of
// an import of millions of rows.
func civilToDayNumber(y, m, d int) DayNumber {
	if m <= 2 {
		y--
	}
	era := y
	if era < 0 {
		era -= 399
	}
	era /= 400
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return DayNumber(era*146097 + doe - 719468 + epochDayNumber)
}

// civil is the inverse of civilToDayNumber (Hinnant's civil_from_days).
func (d DayNumber) civil() (y, m, day int) {
	z := int(d) - epochDayNumber + 719468
	era := z
	if era < 0 {
		era -= 146096
	}
	era /= 146097
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y = yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	day = doy - (153*mp+2)/5 + 1
	if mp < 10 {
		m = mp + 3
	} else {
		m = mp - 9
	}
	if m <= 2 {
		y++
	}
	return y, m, day
}
