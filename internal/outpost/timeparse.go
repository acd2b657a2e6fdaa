package outpost

import (
	"fmt"
	"strings"
	"time"
)

// Date is a calendar date written YYYY-MM-DD; the empty Date means "not
// given". Within the window of FirstDate to LastDate the written form sorts
// in date order, so Dates compare as strings; to count or step days use
// Day, never the text ("10000-01-01" sorts before "9999-12-31").
type Date string

// ParseDate checks that s is a real calendar date written YYYY-MM-DD,
// from FirstDate to LastDate.
func ParseDate(s string) (Date, error) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return "", fmt.Errorf("not a date, want YYYY-MM-DD")
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil || t.Format(time.DateOnly) != s {
		return "", fmt.Errorf("not a real calendar date")
	}
	if !Date(s).InWindow() {
		return "", fmt.Errorf("out of range: %s", DateWindow)
	}
	return Date(s), nil
}

// DateOf returns the calendar date of t in t's location.
func DateOf(t time.Time) Date { return Date(t.Format(time.DateOnly)) }

// Start returns the first instant of the date in loc.
func (d Date) Start(loc *time.Location) time.Time {
	t, _ := time.ParseInLocation(time.DateOnly, string(d), loc)
	return t
}

// End returns the last second of the date in loc: times are kept to the
// second, so "at or before End" covers the whole day.
func (d Date) End(loc *time.Location) time.Time {
	return d.Start(loc).AddDate(0, 0, 1).Add(-time.Second)
}

// AddDays returns the date n days after d (before it for negative n).
func (d Date) AddDays(n int) Date {
	return DateOf(d.Start(time.UTC).AddDate(0, 0, n))
}

// DaysSince returns the whole days from e to d (negative when d is earlier).
func (d Date) DaysSince(e Date) int {
	return int(d.Start(time.UTC).Sub(e.Start(time.UTC)).Hours() / 24)
}

// ParseTime reads a time written as RFC 3339, as YYYY-MM-DDTHH:MM (taken in
// loc), or as a bare date, which means the end of that day in loc; its year
// must lie from that of FirstDate to that of LastDate.
func ParseTime(s string, loc *time.Location) (time.Time, error) {
	t, err := parseTime(strings.TrimSpace(s), loc)
	if err == nil && !TimeInWindow(t) {
		return time.Time{}, fmt.Errorf("out of range: want a time from %s to %s", FirstDate, LastDate)
	}
	return t, err
}

func parseTime(s string, loc *time.Location) (time.Time, error) {
	if len(s) == 10 {
		d, err := ParseDate(s)
		if err != nil {
			return time.Time{}, err
		}
		return d.End(loc), nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.Truncate(time.Second), nil
	}
	if t, err := time.Parse("2006-01-02T15:04Z07:00", s); err == nil {
		return t, nil
	}
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02T15:04:05", "2006-01-02 15:04"} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t, nil
		}
	}
	if len(s) > 10 && s[4] == '-' && s[7] == '-' {
		if _, err := ParseDate(s[:10]); err != nil {
			return time.Time{}, err
		}
	}
	return time.Time{}, fmt.Errorf("not a time, want RFC 3339 (2021-02-25T08:00:00+09:00), YYYY-MM-DDTHH:MM or YYYY-MM-DD")
}
